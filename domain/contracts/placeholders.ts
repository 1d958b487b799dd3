import { createHash } from 'node:crypto';
import { type DomainError, invalid } from '../shared/errors.js';

export interface PlaceholderInfo {
  name: string;
  /** Vietnamese, shown in the template editor. */
  description: string;
  /** Used by previews. */
  sample: string;
}

/** Every placeholder a contract template may use, in the order the editor lists them. */
export const CONTRACT_PLACEHOLDERS: readonly PlaceholderInfo[] = [
  { name: 'MaHopDong', description: 'Mã hợp đồng', sample: 'HD-3F2A9C1B' },
  { name: 'NgayLap', description: 'Ngày lập hợp đồng (dd/mm/yyyy)', sample: '22/11/2026' },
  { name: 'TenKhachHang', description: 'Họ tên khách thuê (Bên B)', sample: 'Nguyễn Văn An' },
  { name: 'SoDienThoaiKhachHang', description: 'Số điện thoại khách thuê', sample: '0901 234 567' },
  { name: 'EmailKhachHang', description: 'Email khách thuê', sample: 'an.nguyen@example.com' },
  { name: 'TenChuNha', description: 'Họ tên chủ nhà / chủ dự án (Bên A)', sample: 'Trần Thị Bình' },
  { name: 'SoDienThoaiChuNha', description: 'Số điện thoại chủ nhà', sample: '0912 345 678' },
  { name: 'TenDuAn', description: 'Tên dự án / toà nhà', sample: 'Chung cư Hoa Sen' },
  { name: 'DiaChi', description: 'Địa chỉ dự án', sample: '12 Nguyễn Trãi, Phường Bến Thành, Quận 1, TP. Hồ Chí Minh' },
  { name: 'TenPhong', description: 'Tên / số phòng', sample: 'P.302' },
  { name: 'DienTich', description: 'Diện tích phòng (m²)', sample: '25 m²' },
  { name: 'GiaThue', description: 'Giá thuê mỗi tháng', sample: '5.000.000 ₫' },
  { name: 'TienCoc', description: 'Tiền cọc an ninh', sample: '5.000.000 ₫' },
  { name: 'NgayBatDau', description: 'Ngày bắt đầu thuê (dd/mm/yyyy)', sample: '01/12/2026' },
  { name: 'NgayKetThuc', description: 'Ngày kết thúc thuê (dd/mm/yyyy)', sample: '30/11/2027' },
  { name: 'ThoiHanThang', description: 'Thời hạn thuê (số tháng)', sample: '12' },
  { name: 'DieuKhoan', description: 'Điều khoản bổ sung do chủ nhà nhập', sample: 'Không nuôi thú cưng.' },
];

export const CONTRACT_PLACEHOLDER_NAMES: readonly string[] = CONTRACT_PLACEHOLDERS.map((p) => p.name);
const KNOWN = new Set(CONTRACT_PLACEHOLDER_NAMES);
export const isKnownPlaceholder = (name: string) => KNOWN.has(name);

export const TEMPLATE_BODY_MAX = 100_000;

/** `{{Name}}`, spaces inside the braces tolerated; anything between the braces is captured. */
const SLOT = /\{\{([^{}]*)\}\}/g;
const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Distinct placeholder names in order of first use (`{{ Ten }}` counts as `Ten`). */
export function placeholdersIn(body: string): string[] {
  const names: string[] = [];
  for (const match of body.matchAll(SLOT)) {
    const name = (match[1] ?? '').trim();
    if (NAME.test(name) && !names.includes(name)) names.push(name);
  }
  return names;
}

/**
 * The placeholders of a valid template body, or why it is not valid: empty, too long, a `{{`
 * never closed, or a slot that is not a known placeholder (named in the message).
 */
export function checkTemplateBody(body: string, field = 'body'): DomainError | string[] {
  if (typeof body !== 'string' || body.trim().length === 0) {
    return invalid('TEMPLATE_BODY_REQUIRED', 'Nhập nội dung mẫu hợp đồng', field);
  }
  if (body.length > TEMPLATE_BODY_MAX) {
    return invalid('TEMPLATE_BODY_TOO_LONG', 'Nội dung mẫu dài tối đa 100.000 ký tự', field);
  }
  for (const match of body.matchAll(SLOT)) {
    const name = (match[1] ?? '').trim();
    if (!KNOWN.has(name)) {
      return invalid('PLACEHOLDER_UNKNOWN', `Biến không được hỗ trợ: {{${name}}}`, field);
    }
  }
  if (body.replace(SLOT, '').includes('{{')) {
    return invalid('PLACEHOLDER_UNBALANCED', 'Có "{{" chưa được đóng bằng "}}"', field);
  }
  return placeholdersIn(body);
}

/**
 * The body with each placeholder that has a non-blank value replaced (in one pass: a value is never
 * read as a template); the others stay as `{{Name}}` and are listed in `missing`.
 */
export function renderContract(
  body: string,
  values: Readonly<Record<string, string>>,
): {
  text: string;
  missing: string[];
} {
  const missing: string[] = [];
  const text = body.replace(SLOT, (slot, inner: string) => {
    const name = inner.trim();
    if (!NAME.test(name)) return slot;
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    if (typeof value === 'string' && value.trim().length > 0) return value;
    if (!missing.includes(name)) missing.push(name);
    return `{{${name}}}`;
  });
  return { text, missing };
}

export const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export const sampleValues = (): Record<string, string> =>
  Object.fromEntries(CONTRACT_PLACEHOLDERS.map((p) => [p.name, p.sample]));

/** "5.000.000 ₫": integer VND with dot thousands separators. */
export const formatVnd = (amountVnd: number) => `${String(amountVnd).replace(/\B(?=(\d{3})+(?!\d))/g, '.')} ₫`;

/** 'yyyy-mm-dd' → 'dd/mm/yyyy'. */
export const formatDate = (date: string) => `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;
