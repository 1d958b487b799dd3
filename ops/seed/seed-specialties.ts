import { systemMetadata } from '../../commands/metadata.js';
import { DomainError } from '../../domain/shared/errors.js';
import type { Services } from '../services.js';

/** Expert specialties for a rental marketplace: advice around renting, money and the home. */
export const DEFAULT_SPECIALTIES = [
  { specialtyId: 'phap-ly-thue-nha', nameVi: 'Pháp lý thuê nhà', nameEn: 'Tenancy law' },
  { specialtyId: 'hop-dong-dat-coc', nameVi: 'Hợp đồng và đặt cọc', nameEn: 'Contracts and deposits' },
  { specialtyId: 'tai-chinh-ca-nhan', nameVi: 'Tài chính cá nhân', nameEn: 'Personal finance' },
  { specialtyId: 'dau-tu-bat-dong-san', nameVi: 'Đầu tư bất động sản', nameEn: 'Real estate investment' },
  { specialtyId: 'noi-that', nameVi: 'Thiết kế nội thất', nameEn: 'Interior design' },
  { specialtyId: 'phong-thuy', nameVi: 'Phong thủy', nameEn: 'Feng shui' },
  { specialtyId: 'sua-chua-nha', nameVi: 'Sửa chữa và cải tạo nhà', nameEn: 'Home repair and renovation' },
  { specialtyId: 'quan-ly-cho-thue', nameVi: 'Quản lý nhà cho thuê', nameEn: 'Rental property management' },
] as const;

/**
 * Adds the default specialties once, like the amenities: fixed idempotency keys, so a later start
 * changes nothing (an admin's renames and disables stay); one an admin already added is left alone.
 */
export async function seedSpecialties(services: Services): Promise<void> {
  for (const specialty of DEFAULT_SPECIALTIES) {
    const key = `seed-specialties-v1-${specialty.specialtyId}`;
    await services.commands
      .specialties(
        { type: 'AddSpecialty', ...specialty },
        { ...systemMetadata('seed-specialties-v1'), idempotencyKey: key },
      )
      .catch((error: unknown) => {
        if (!(error instanceof DomainError && error.kind === 'conflict')) throw error;
      });
  }
}
