import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, test } from 'vitest';
import { markdownBlocks, renderContractPdf } from '../../commands/contracts/contract-pdf.js';
import { maskEmail } from '../../commands/contracts/signing.js';

async function pdfText(bytes: Buffer): Promise<string> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false }).promise;
  const pages: string[] = [];
  for (let number = 1; number <= pdf.numPages; number++) {
    const content = await (await pdf.getPage(number)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(''));
  }
  await pdf.destroy();
  return pages.join('\n');
}

const SHA = 'a'.repeat(64);

describe('contract PDF', () => {
  test('Markdown blocks: headings, paragraphs joined, bullet and numbered items, rules', () => {
    expect(markdownBlocks('# Tiêu đề\n\nDòng một\ndòng hai\n\n- mục a\n2. mục b\n---\n### Nhỏ')).toEqual([
      { kind: 'heading', level: 1, text: 'Tiêu đề' },
      { kind: 'paragraph', text: 'Dòng một dòng hai' },
      { kind: 'item', marker: '•', text: 'mục a' },
      { kind: 'item', marker: '2.', text: 'mục b' },
      { kind: 'rule' },
      { kind: 'heading', level: 3, text: 'Nhỏ' },
    ]);
  });

  test('Vietnamese text, the signatures block and the hash on the page; the same contract gives the same bytes', async () => {
    const contract = {
      title: 'Hợp đồng thuê phòng HD-1A2B3C4D',
      text: '# HỢP ĐỒNG THUÊ PHÒNG\n\nBên thuê: **Nguyễn Thị Hoa**, giá thuê 3.000.000 ₫.',
      sha256: SHA,
      statusLabel: 'Đã ký',
      signatures: [
        {
          party: 'customer' as const,
          signerName: 'Nguyễn Thị Hoa',
          signedAt: new Date('2026-03-01T03:04:00Z'),
          ip: '203.0.113.7',
          userAgent: 'Firefox',
          documentSha256: SHA,
        },
      ],
      createdAt: new Date('2026-03-01T03:04:00Z'),
    };
    const bytes = await renderContractPdf(contract);
    const text = await pdfText(bytes);
    expect(text).toContain('HỢP ĐỒNG THUÊ PHÒNG');
    expect(text).toContain('Nguyễn Thị Hoa');
    expect(text).toContain('01/03/2026 10:04');
    expect(text).toContain('203.0.113.7');
    expect(text).toContain('Chưa ký'); // the owner's signature is still awaited
    expect(text).toContain(SHA);
    expect((await renderContractPdf(contract)).equals(bytes)).toBe(true);
  });

  test('the address a code went to is masked', () => {
    expect(maskEmail('lan.nguyen@example.vn')).toBe('l***@example.vn');
    expect(maskEmail('no-at-sign')).toBe('***');
  });
});
