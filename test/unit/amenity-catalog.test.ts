import { describe, expect, test } from 'vitest';
import { activeAmenities, amenityCatalog, amenityProblem } from '../../domain/catalog/amenity-catalog.js';
import type { AmenityEvent } from '../../domain/catalog/amenity-events.js';
import { fold } from '../../domain/shared/decider.js';
import { scenario } from '../support/given-when-then.js';

const added = (amenityId: string, nameVi: string, position: number, icon: string | null = null): AmenityEvent => ({
  type: 'AmenityAdded',
  data: { amenityId, nameVi, nameEn: nameVi, icon, position },
});
const wifi = added('wifi', 'Wifi', 0, 'wifi');
const ac = added('air_conditioner', 'Điều hòa', 1);
const disabled = (amenityId: string): AmenityEvent => ({ type: 'AmenityDisabled', data: { amenityId } });
const add = (amenityId: string, nameVi: string, icon: string | null = null) => ({
  type: 'AddAmenity' as const,
  amenityId,
  nameVi,
  nameEn: nameVi,
  icon,
});
const catalog = () => scenario(amenityCatalog);

describe('amenity catalog', () => {
  test('adds an amenity at the end, names cleaned', () => {
    catalog()
      .given([wifi])
      .when({ type: 'AddAmenity', amenityId: 'fridge', nameVi: '  Tủ   lạnh ', nameEn: 'Fridge', icon: 'refrigerator' })
      .thenEmits([
        {
          type: 'AmenityAdded',
          data: { amenityId: 'fridge', nameVi: 'Tủ lạnh', nameEn: 'Fridge', icon: 'refrigerator', position: 1 },
        },
      ]);
  });

  test('ids are lower_snake slugs, unique; Vietnamese names unique without accents or case', () => {
    for (const id of ['Wifi', 'x', '1abc', 'wi-fi', 'a'.repeat(41), 'điều_hòa']) {
      catalog().given([]).when(add(id, 'Tên')).thenFails('AMENITY_ID_INVALID', 'id');
    }
    catalog().given([wifi]).when(add('wifi', 'Mạng')).thenFails('AMENITY_EXISTS', 'id');
    const taken = catalog()
      .given([wifi, ac])
      .when(add('dieu_hoa', 'ĐIỀU HOÀ'))
      .thenFails('AMENITY_NAME_TAKEN', 'nameVi');
    expect(taken.status).toBe(409);
    catalog().given([]).when(add('empty', '   ')).thenFails('AMENITY_NAME_INVALID', 'nameVi');
    catalog()
      .given([])
      .when({ ...add('long', 'Dài'), nameEn: 'x'.repeat(61) })
      .thenFails('AMENITY_NAME_INVALID', 'nameEn');
    catalog()
      .given([])
      .when(add('icon', 'Biểu tượng', 'Bad Icon'))
      .thenFails('AMENITY_ICON_INVALID', 'icon');
  });

  test('rename: new names and icon with the previous ones; nothing when unchanged; unique names', () => {
    catalog()
      .given([wifi])
      .when({ type: 'RenameAmenity', amenityId: 'wifi', nameVi: 'Wifi miễn phí', icon: null })
      .thenEmits([
        {
          type: 'AmenityRenamed',
          data: {
            amenityId: 'wifi',
            nameVi: 'Wifi miễn phí',
            nameEn: 'Wifi',
            icon: null,
            previousNameVi: 'Wifi',
            previousNameEn: 'Wifi',
            previousIcon: 'wifi',
          },
        },
      ]);
    catalog().given([wifi]).when({ type: 'RenameAmenity', amenityId: 'wifi', nameVi: ' Wifi ' }).thenEmits([]);
    catalog()
      .given([wifi, ac])
      .when({ type: 'RenameAmenity', amenityId: 'wifi', nameVi: 'dieu hoa' })
      .thenFails('AMENITY_NAME_TAKEN', 'nameVi');
    catalog().given([]).when({ type: 'RenameAmenity', amenityId: 'wifi', nameVi: 'X' }).thenFails('AMENITY_NOT_FOUND');
  });

  test('disable and enable are idempotent', () => {
    catalog()
      .given([wifi])
      .when({ type: 'DisableAmenity', amenityId: 'wifi' })
      .thenEmits([disabled('wifi')]);
    catalog()
      .given([wifi, disabled('wifi')])
      .when({ type: 'DisableAmenity', amenityId: 'wifi' })
      .thenEmits([]);
    catalog()
      .given([wifi, disabled('wifi')])
      .when({ type: 'EnableAmenity', amenityId: 'wifi' })
      .thenEmits([{ type: 'AmenityEnabled', data: { amenityId: 'wifi' } }]);
    catalog().given([wifi]).when({ type: 'EnableAmenity', amenityId: 'wifi' }).thenEmits([]);
  });

  test('reorder lists every amenity exactly once', () => {
    const fridge = added('fridge', 'Tủ lạnh', 2);
    catalog()
      .given([wifi, ac, fridge, disabled('air_conditioner')])
      .when({ type: 'ReorderAmenities', order: ['fridge', 'wifi', 'air_conditioner'] })
      .thenEmits([
        {
          type: 'AmenitiesReordered',
          data: { order: ['fridge', 'wifi', 'air_conditioner'], previousOrder: ['wifi', 'air_conditioner', 'fridge'] },
        },
      ]);
    catalog()
      .given([wifi, ac])
      .when({ type: 'ReorderAmenities', order: ['wifi', 'air_conditioner'] })
      .thenEmits([]);
    catalog()
      .given([wifi, ac])
      .when({ type: 'ReorderAmenities', order: ['wifi'] })
      .thenFails('AMENITY_ORDER_STALE');
    catalog()
      .given([wifi, ac])
      .when({ type: 'ReorderAmenities', order: ['wifi', 'pool'] })
      .thenFails('AMENITY_UNKNOWN', 'order.1');
    catalog()
      .given([wifi, ac])
      .when({ type: 'ReorderAmenities', order: ['wifi', 'wifi'] })
      .thenFails('AMENITY_DUPLICATE', 'order.1');
  });

  test('amenityProblem: listings may use active amenities; a disabled one only if they already had it', () => {
    const state = fold(amenityCatalog, [wifi, ac, disabled('air_conditioner')]);
    expect(activeAmenities(state).map((a) => a.id)).toEqual(['wifi']);
    expect(amenityProblem(['wifi'], state)).toBeNull();
    expect(amenityProblem([], state)).toBeNull();
    expect(amenityProblem(['wifi', 'pool'], state)).toMatchObject({
      code: 'AMENITY_UNKNOWN',
      field: 'amenities.1',
      status: 400,
    });
    expect(amenityProblem(['air_conditioner'], state)).toMatchObject({
      code: 'AMENITY_DISABLED',
      field: 'amenities.0',
    });
    expect(amenityProblem(['wifi', 'air_conditioner'], state, ['air_conditioner'])).toBeNull();
  });
});
