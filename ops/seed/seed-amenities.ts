import { systemMetadata } from '../../commands/metadata.js';
import { DomainError } from '../../domain/shared/errors.js';
import type { Services } from '../services.js';

/** The amenities the SRS's listing form offers (UC-PROJ-01 step 2), in display order. */
export const DEFAULT_AMENITIES = [
  { amenityId: 'air_conditioner', nameVi: 'Điều hòa', nameEn: 'Air conditioner', icon: 'snowflake' },
  { amenityId: 'water_heater', nameVi: 'Nóng lạnh', nameEn: 'Water heater', icon: 'flame' },
  { amenityId: 'wifi', nameVi: 'Wifi', nameEn: 'Wi-Fi', icon: 'wifi' },
  { amenityId: 'kitchen', nameVi: 'Bếp', nameEn: 'Kitchen', icon: 'cooking-pot' },
  { amenityId: 'washing_machine', nameVi: 'Máy giặt', nameEn: 'Washing machine', icon: 'washing-machine' },
  { amenityId: 'fridge', nameVi: 'Tủ lạnh', nameEn: 'Fridge', icon: 'refrigerator' },
  { amenityId: 'parking', nameVi: 'Chỗ để xe', nameEn: 'Parking', icon: 'bike' },
  { amenityId: 'elevator', nameVi: 'Thang máy', nameEn: 'Elevator', icon: 'arrow-up-down' },
  { amenityId: 'balcony', nameVi: 'Ban công', nameEn: 'Balcony', icon: 'sun' },
  { amenityId: 'furnished', nameVi: 'Nội thất', nameEn: 'Furnished', icon: 'sofa' },
  { amenityId: 'private_bathroom', nameVi: 'WC riêng', nameEn: 'Private bathroom', icon: 'bath' },
  { amenityId: 'free_hours', nameVi: 'Giờ giấc tự do', nameEn: 'No curfew', icon: 'clock' },
  { amenityId: 'security_camera', nameVi: 'Camera an ninh', nameEn: 'Security camera', icon: 'cctv' },
  { amenityId: 'security_guard', nameVi: 'Bảo vệ 24/7', nameEn: '24/7 security guard', icon: 'shield' },
] as const;

/**
 * Adds the default amenities once: each has a fixed idempotency key, so a later start finds the
 * first start's event and changes nothing (an admin's renames and disables stay as they are).
 * One an admin already added under the same id or name (a start with SEED off) is left alone.
 */
export async function seedAmenities(services: Services): Promise<void> {
  for (const amenity of DEFAULT_AMENITIES) {
    const key = `seed-amenities-v1-${amenity.amenityId}`;
    await services.commands
      .amenities({ type: 'AddAmenity', ...amenity }, { ...systemMetadata('seed-amenities-v1'), idempotencyKey: key })
      .catch((error: unknown) => {
        if (!(error instanceof DomainError && error.kind === 'conflict')) throw error;
      });
  }
}
