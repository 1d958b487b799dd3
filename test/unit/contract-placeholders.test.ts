import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  CONTRACT_PLACEHOLDER_NAMES,
  CONTRACT_PLACEHOLDERS,
  checkTemplateBody,
  formatDate,
  formatVnd,
  placeholdersIn,
  renderContract,
  sampleValues,
  sha256Hex,
} from '../../domain/contracts/placeholders.js';
import { isDomainError } from '../../domain/shared/decider.js';

const required = [
  'MaHopDong',
  'NgayLap',
  'TenKhachHang',
  'SoDienThoaiKhachHang',
  'EmailKhachHang',
  'TenChuNha',
  'SoDienThoaiChuNha',
  'TenDuAn',
  'DiaChi',
  'TenPhong',
  'DienTich',
  'GiaThue',
  'TienCoc',
  'NgayBatDau',
  'NgayKetThuc',
  'ThoiHanThang',
  'DieuKhoan',
];

describe('the documented placeholders', () => {
  test('every placeholder of the spec is listed once, with a Vietnamese description and a sample', () => {
    expect(CONTRACT_PLACEHOLDER_NAMES).toEqual(expect.arrayContaining(required));
    expect(new Set(CONTRACT_PLACEHOLDER_NAMES).size).toBe(CONTRACT_PLACEHOLDER_NAMES.length);
    for (const p of CONTRACT_PLACEHOLDERS) {
      expect(p.description.length).toBeGreaterThan(0);
      expect(p.sample.length).toBeGreaterThan(0);
    }
    expect(Object.keys(sampleValues())).toEqual(CONTRACT_PLACEHOLDER_NAMES);
  });
});

describe('placeholdersIn and checkTemplateBody', () => {
  test('distinct names in order of first use, spaces inside the braces tolerated', () => {
    expect(placeholdersIn('{{TenKhachHang}} thuê {{ TenPhong }} của {{TenChuNha}}; {{TenKhachHang }} ký')).toEqual([
      'TenKhachHang',
      'TenPhong',
      'TenChuNha',
    ]);
    expect(checkTemplateBody('# Hợp đồng {{MaHopDong}}\n\nGiá: {{GiaThue}}')).toEqual(['MaHopDong', 'GiaThue']);
    expect(checkTemplateBody('Không có biến nào')).toEqual([]);
  });

  test('an unknown placeholder is refused by name, on the field asked for', () => {
    const error = checkTemplateBody('Xin chào {{TenKhachHang}} và {{TenNguoiLa}}', 'template.body');
    if (!isDomainError(error)) throw new Error('expected an error');
    expect(error).toMatchObject({ code: 'PLACEHOLDER_UNKNOWN', field: 'template.body', status: 400 });
    expect(error.message).toContain('{{TenNguoiLa}}');
    const spaced = checkTemplateBody('{{Ten Khach}}');
    expect(isDomainError(spaced) && spaced.message).toContain('{{Ten Khach}}');
  });

  test('empty, too long or unbalanced bodies are refused', () => {
    const codeOf = (body: string) => {
      const result = checkTemplateBody(body);
      return isDomainError(result) ? result.code : null;
    };
    expect(codeOf('   ')).toBe('TEMPLATE_BODY_REQUIRED');
    expect(codeOf('a'.repeat(100_001))).toBe('TEMPLATE_BODY_TOO_LONG');
    expect(codeOf('a'.repeat(100_000))).toBeNull();
    expect(codeOf('Giá {{GiaThue')).toBe('PLACEHOLDER_UNBALANCED');
    expect(codeOf('{{GiaThue}} rồi {{')).toBe('PLACEHOLDER_UNBALANCED');
    expect(codeOf('{{Gia{{GiaThue}}')).toBe('PLACEHOLDER_UNBALANCED');
  });
});

describe('renderContract', () => {
  test('values replace their placeholders; blank or absent ones stay and are listed as missing', () => {
    const body =
      'Bên B: {{TenKhachHang}}. Từ {{ NgayBatDau }} đến {{NgayKetThuc}}. Giá {{GiaThue}}, lại {{NgayBatDau}}.';
    expect(renderContract(body, { TenKhachHang: 'Nguyễn Văn An', GiaThue: '5.000.000 ₫', NgayKetThuc: '  ' })).toEqual({
      text: 'Bên B: Nguyễn Văn An. Từ {{NgayBatDau}} đến {{NgayKetThuc}}. Giá 5.000.000 ₫, lại {{NgayBatDau}}.',
      missing: ['NgayBatDau', 'NgayKetThuc'],
    });
  });

  test('a value is never read as a template itself', () => {
    expect(
      renderContract('{{TenKhachHang}} / {{TenPhong}}', { TenKhachHang: '{{TenPhong}}', TenPhong: 'P.1' }),
    ).toEqual({
      text: '{{TenPhong}} / P.1',
      missing: [],
    });
  });

  const name = fc.constantFrom(...CONTRACT_PLACEHOLDER_NAMES);
  const prose = fc.string({ maxLength: 20 }).map((s) => s.replace(/[{}]/g, ''));
  const body = fc
    .array(fc.tuple(prose, name, fc.constantFrom('', ' ', '  ')), { maxLength: 12 })
    .map((parts) => parts.map(([text, n, pad]) => `${text}{{${pad}${n}${pad}}}`).join(''));
  const values = fc.dictionary(name, fc.oneof(prose, fc.constant('')));

  test('never leaves a placeholder with a value unreplaced, and lists exactly the others', () => {
    fc.assert(
      fc.property(body, values, (template, given) => {
        const { text, missing } = renderContract(template, given);
        const withValue = (n: string) => (given[n] ?? '').trim().length > 0;
        for (const n of placeholdersIn(template)) {
          expect(text.includes(`{{${n}}}`)).toBe(!withValue(n));
          expect(missing.includes(n)).toBe(!withValue(n));
        }
        expect(missing).toEqual(placeholdersIn(template).filter((n) => !withValue(n)));
        expect(checkTemplateBody(template.length ? template : 'x')).not.toHaveProperty('code');
      }),
      { numRuns: 300 },
    );
  });
});

describe('hashing and formatting', () => {
  test('SHA-256 of the UTF-8 text, deterministic', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('Hợp đồng')).toBe(sha256Hex('Hợp đồng'));
    expect(sha256Hex('Hợp đồng')).not.toBe(sha256Hex('Hợp đồng '));
  });

  test('VND with dots and dd/mm/yyyy dates', () => {
    expect(formatVnd(5_000_000)).toBe('5.000.000 ₫');
    expect(formatVnd(999)).toBe('999 ₫');
    expect(formatDate('2026-12-01')).toBe('01/12/2026');
  });
});
