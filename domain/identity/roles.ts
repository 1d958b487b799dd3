/** Roles a person can hold (GLOSSARY: KhachHang, ChuDuAn, NhanVienBanHang, NhanVienDieuHanh, QuanTriVien, expert). */
export const ROLES = ['customer', 'owner', 'sales', 'operator', 'admin', 'expert'] as const;
export type Role = (typeof ROLES)[number];

/** Roles a person may choose when signing up; staff and admins are created by operators and admins. */
export const SELF_SERVICE_ROLES = ['customer', 'owner', 'expert'] as const satisfies readonly Role[];
export type SelfServiceRole = (typeof SELF_SERVICE_ROLES)[number];

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);
