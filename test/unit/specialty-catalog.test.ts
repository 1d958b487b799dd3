import { describe, expect, test } from 'vitest';
import { specialtyCatalog, specialtyProblem } from '../../domain/booking/specialty-catalog.js';
import type { SpecialtyEvent } from '../../domain/booking/specialty-events.js';
import { fold } from '../../domain/shared/decider.js';
import { scenario } from '../support/given-when-then.js';

const added = (specialtyId: string, nameVi: string, position: number): SpecialtyEvent => ({
  type: 'SpecialtyAdded',
  data: { specialtyId, nameVi, nameEn: `${nameVi} (en)`, position },
});
const law = added('phap-ly-thue-nha', 'Pháp lý thuê nhà', 0);
const fengShui = added('phong-thuy', 'Phong thủy', 1);
const disabled = (specialtyId: string): SpecialtyEvent => ({ type: 'SpecialtyDisabled', data: { specialtyId } });
const add = (specialtyId: string, nameVi: string) => ({
  type: 'AddSpecialty' as const,
  specialtyId,
  nameVi,
  nameEn: nameVi,
});
const catalog = () => scenario(specialtyCatalog);

describe('specialty catalog', () => {
  test('adds a specialty at the end, names cleaned', () => {
    catalog()
      .given([law])
      .when({ type: 'AddSpecialty', specialtyId: 'noi-that', nameVi: '  Thiết kế   nội thất ', nameEn: 'Interior' })
      .thenEmits([
        {
          type: 'SpecialtyAdded',
          data: { specialtyId: 'noi-that', nameVi: 'Thiết kế nội thất', nameEn: 'Interior', position: 1 },
        },
      ]);
  });

  test('ids are dashed slugs, unique; Vietnamese names unique without accents or case; names 1–80', () => {
    for (const id of ['Phong-thuy', 'x', '1abc', 'phong_thuy', 'phong--thuy', 'phong-', `a${'b'.repeat(48)}`]) {
      catalog().given([]).when(add(id, 'Tên')).thenFails('SPECIALTY_ID_INVALID', 'id');
    }
    catalog().given([law]).when(add('phap-ly-thue-nha', 'Khác')).thenFails('SPECIALTY_EXISTS', 'id');
    const taken = catalog()
      .given([law, fengShui])
      .when(add('phong-thuy-2', 'PHONG THUY'))
      .thenFails('SPECIALTY_NAME_TAKEN', 'nameVi');
    expect(taken.status).toBe(409);
    catalog().given([]).when(add('trong', '   ')).thenFails('SPECIALTY_NAME_INVALID', 'nameVi');
    catalog()
      .given([])
      .when({ ...add('dai', 'Dài'), nameEn: 'x'.repeat(81) })
      .thenFails('SPECIALTY_NAME_INVALID', 'nameEn');
  });

  test('at most 100 specialties', () => {
    const many = Array.from({ length: 100 }, (_, i) => added(`s${i}`, `Chuyên môn ${i}`, i));
    catalog().given(many).when(add('s-moi', 'Mới')).thenFails('SPECIALTY_LIMIT');
  });

  test('rename: new names with the previous ones; nothing when unchanged; unique names; unknown 404', () => {
    catalog()
      .given([law])
      .when({ type: 'RenameSpecialty', specialtyId: 'phap-ly-thue-nha', nameEn: 'Tenancy law' })
      .thenEmits([
        {
          type: 'SpecialtyRenamed',
          data: {
            specialtyId: 'phap-ly-thue-nha',
            nameVi: 'Pháp lý thuê nhà',
            nameEn: 'Tenancy law',
            previousNameVi: 'Pháp lý thuê nhà',
            previousNameEn: 'Pháp lý thuê nhà (en)',
          },
        },
      ]);
    catalog()
      .given([law])
      .when({ type: 'RenameSpecialty', specialtyId: 'phap-ly-thue-nha', nameVi: ' Pháp lý thuê nhà ' })
      .thenEmits([]);
    catalog()
      .given([law, fengShui])
      .when({ type: 'RenameSpecialty', specialtyId: 'phong-thuy', nameVi: 'phap ly thue nha' })
      .thenFails('SPECIALTY_NAME_TAKEN', 'nameVi');
    const missing = catalog()
      .given([])
      .when({ type: 'RenameSpecialty', specialtyId: 'x-y', nameVi: 'X' })
      .thenFails('SPECIALTY_NOT_FOUND');
    expect(missing.status).toBe(404);
  });

  test('disable and enable are idempotent; unknown ids 404', () => {
    catalog()
      .given([law])
      .when({ type: 'DisableSpecialty', specialtyId: 'phap-ly-thue-nha' })
      .thenEmits([disabled('phap-ly-thue-nha')]);
    catalog()
      .given([law, disabled('phap-ly-thue-nha')])
      .when({ type: 'DisableSpecialty', specialtyId: 'phap-ly-thue-nha' })
      .thenEmits([]);
    catalog()
      .given([law, disabled('phap-ly-thue-nha')])
      .when({ type: 'EnableSpecialty', specialtyId: 'phap-ly-thue-nha' })
      .thenEmits([{ type: 'SpecialtyEnabled', data: { specialtyId: 'phap-ly-thue-nha' } }]);
    catalog().given([law]).when({ type: 'EnableSpecialty', specialtyId: 'phap-ly-thue-nha' }).thenEmits([]);
    catalog().given([]).when({ type: 'DisableSpecialty', specialtyId: 'x-y' }).thenFails('SPECIALTY_NOT_FOUND');
  });

  test('specialtyProblem: unknown and disabled ids are refused, a disabled one already kept is allowed', () => {
    const state = fold(specialtyCatalog, [law, fengShui, disabled('phong-thuy')]);
    expect(specialtyProblem(['phap-ly-thue-nha'], state)).toBeNull();
    expect(specialtyProblem(['phap-ly-thue-nha', 'nope'], state)).toMatchObject({
      code: 'SPECIALTY_UNKNOWN',
      field: 'specialties.1',
    });
    expect(specialtyProblem(['phong-thuy'], state)).toMatchObject({
      code: 'SPECIALTY_DISABLED',
      field: 'specialties.0',
    });
    expect(specialtyProblem(['phong-thuy'], state, ['phong-thuy'])).toBeNull();
  });
});
