import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { formatDateTime } from '../exports/format.js';

/** One signature as the PDF's signatures block shows it. */
export interface PdfSignature {
  party: 'customer' | 'owner';
  signerName: string;
  signedAt: Date;
  ip: string;
  userAgent: string;
  documentSha256: string;
}

export interface ContractPdf {
  /** "Hợp đồng thuê phòng HD-1A2B3C4D" (PDF title). */
  title: string;
  /** The contract's Markdown text as generated (the snapshot that was hashed). */
  text: string;
  sha256: string;
  /** Vietnamese status label shown under the title ("Đã ký", "Chờ ký", …). */
  statusLabel: string;
  signatures: PdfSignature[];
  /** Fixes the PDF's creation date (and so its bytes) for a given contract state. */
  createdAt: Date;
}

// Be Vietnam Pro, as in commands/exports/pdf.ts: complete Vietnamese glyphs (see the note there).
const packageRequire = createRequire(import.meta.url);
const REGULAR = packageRequire.resolve('@expo-google-fonts/be-vietnam-pro/400Regular/BeVietnamPro_400Regular.ttf');
const BOLD = packageRequire.resolve('@expo-google-fonts/be-vietnam-pro/700Bold/BeVietnamPro_700Bold.ttf');
const ITALIC = packageRequire.resolve(
  '@expo-google-fonts/be-vietnam-pro/400Regular_Italic/BeVietnamPro_400Regular_Italic.ttf',
);

const MARGIN = 50;
const FOOTER_SPACE = 30;
const COLOR = { text: '#101828', muted: '#667085', rule: '#d0d5dd' };
const HEADING_SIZES = [16, 13, 11.5] as const;
const BODY = 10.5;

const PARTY_LABEL = { customer: 'Bên thuê (khách hàng)', owner: 'Bên cho thuê (chủ dự án)' } as const;

type Pdf = PDFKit.PDFDocument;

/** A Markdown block: what the contract templates use (headings, paragraphs, lists, rules). */
type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'item'; marker: string; text: string }
  | { kind: 'rule' };

/** Splits Markdown into blocks; consecutive plain lines form one paragraph. */
export function markdownBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length > 0) blocks.push({ kind: 'paragraph', text: paragraph.join(' ') });
    paragraph = [];
  };
  for (const raw of markdown.replaceAll('\r\n', '\n').split('\n')) {
    const line = raw.trim();
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const bullet = /^[-*+]\s+(.*)$/.exec(line);
    const numbered = /^(\d{1,3}[.)])\s+(.*)$/.exec(line);
    if (line === '') flush();
    else if (/^(-{3,}|\*{3,}|_{3,})$/.test(line)) {
      flush();
      blocks.push({ kind: 'rule' });
    } else if (heading) {
      flush();
      const level = Math.min((heading[1] ?? '#').length, 3) as 1 | 2 | 3;
      blocks.push({ kind: 'heading', level, text: heading[2] ?? '' });
    } else if (bullet) {
      flush();
      blocks.push({ kind: 'item', marker: '•', text: bullet[1] ?? '' });
    } else if (numbered) {
      flush();
      blocks.push({ kind: 'item', marker: numbered[1] ?? '', text: numbered[2] ?? '' });
    } else paragraph.push(line);
  }
  flush();
  return blocks;
}

/** `**bold**` and `*italic*` runs of one line of text. */
function inlineRuns(text: string): { text: string; font: string }[] {
  const runs: { text: string; font: string }[] = [];
  const pattern = /\*\*(.+?)\*\*|\*(.+?)\*|__(.+?)__/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const at = match.index ?? 0;
    if (at > last) runs.push({ text: text.slice(last, at), font: REGULAR });
    if (match[1] !== undefined) runs.push({ text: match[1], font: BOLD });
    else if (match[2] !== undefined) runs.push({ text: match[2], font: ITALIC });
    else runs.push({ text: match[3] ?? '', font: BOLD });
    last = at + match[0].length;
  }
  if (last < text.length) runs.push({ text: text.slice(last), font: REGULAR });
  return runs.length > 0 ? runs : [{ text: ' ', font: REGULAR }];
}

function width(doc: Pdf): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

function writeRuns(doc: Pdf, text: string, x: number, w: number, size = BODY) {
  const runs = inlineRuns(text.normalize('NFC'));
  runs.forEach((run, index) => {
    doc.font(run.font, size).fillColor(COLOR.text);
    const options = { width: w, continued: index < runs.length - 1, lineGap: 2 };
    if (index === 0) doc.text(run.text, x, doc.y, options);
    else doc.text(run.text, options);
  });
}

function drawBlock(doc: Pdf, block: Block) {
  switch (block.kind) {
    case 'heading': {
      const size = HEADING_SIZES[block.level - 1] ?? BODY;
      doc.moveDown(block.level === 1 ? 0.4 : 0.6);
      doc.font(BOLD, size).fillColor(COLOR.text);
      doc.text(block.text.replaceAll('**', '').normalize('NFC'), MARGIN, doc.y, {
        width: width(doc),
        align: block.level === 1 ? 'center' : 'left',
      });
      doc.moveDown(0.3);
      return;
    }
    case 'paragraph':
      writeRuns(doc, block.text, MARGIN, width(doc));
      doc.moveDown(0.5);
      return;
    case 'item': {
      const indent = 18;
      const top = doc.y;
      doc
        .font(REGULAR, BODY)
        .fillColor(COLOR.text)
        .text(block.marker, MARGIN + 4, top, { width: indent });
      doc.y = top;
      writeRuns(doc, block.text, MARGIN + indent, width(doc) - indent);
      doc.moveDown(0.25);
      return;
    }
    case 'rule':
      doc.moveDown(0.3);
      doc
        .moveTo(MARGIN, doc.y)
        .lineTo(MARGIN + width(doc), doc.y)
        .lineWidth(0.5)
        .strokeColor(COLOR.rule)
        .stroke();
      doc.moveDown(0.5);
  }
}

function drawSignatures(doc: Pdf, signatures: PdfSignature[]) {
  doc.moveDown(1);
  doc
    .font(BOLD, 12)
    .fillColor(COLOR.text)
    .text('Chữ ký điện tử (OTP)', MARGIN, doc.y, { width: width(doc) });
  doc.moveDown(0.3);
  const line = (text: string, font = REGULAR, color = COLOR.text) =>
    doc
      .font(font, 9)
      .fillColor(color)
      .text(text.normalize('NFC'), MARGIN + 10, doc.y, { width: width(doc) - 10 });
  for (const party of ['customer', 'owner'] as const) {
    const signature = signatures.find((s) => s.party === party);
    doc.moveDown(0.4);
    line(PARTY_LABEL[party], BOLD);
    if (!signature) {
      line('Chưa ký', REGULAR, COLOR.muted);
      continue;
    }
    line(`Người ký: ${signature.signerName}`);
    line(`Thời điểm: ${formatDateTime(signature.signedAt)} (giờ Việt Nam)`);
    line(`Địa chỉ IP: ${signature.ip}`);
    line(`Thiết bị: ${signature.userAgent.slice(0, 160)}`, REGULAR, COLOR.muted);
    line(`Văn bản đã ký (SHA-256): ${signature.documentSha256}`, REGULAR, COLOR.muted);
  }
}

function stampFooters(doc: Pdf, sha256: string) {
  const { start, count } = doc.bufferedPageRange();
  for (let index = start; index < start + count; index++) {
    doc.switchToPage(index);
    const reserved = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing inside the bottom margin would otherwise add a page
    const y = doc.page.height - MARGIN;
    doc.font(REGULAR, 7).fillColor(COLOR.muted);
    doc.text(`SHA-256 của văn bản: ${sha256}`, MARGIN, y, { width: width(doc) - 60, lineBreak: false });
    doc.text(`Trang ${index - start + 1}/${count}`, MARGIN + width(doc) - 60, y, {
      width: 60,
      align: 'right',
      lineBreak: false,
    });
    doc.page.margins.bottom = reserved;
  }
}

/** The contract as a PDF: its Markdown text, a signatures block, and the document's SHA-256 on every page. */
export function renderContractPdf(contract: ContractPdf): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN + FOOTER_SPACE },
    bufferPages: true,
    lang: 'vi-VN',
    displayTitle: true,
    font: REGULAR,
    info: { Title: contract.title, Creator: 'Rental marketplace contracts', CreationDate: contract.createdAt },
  });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      doc
        .font(REGULAR, 9)
        .fillColor(COLOR.muted)
        .text(`${contract.title} · ${contract.statusLabel}`, {
          width: width(doc),
          align: 'right',
        });
      doc.moveDown(0.5);
      for (const block of markdownBlocks(contract.text)) drawBlock(doc, block);
      drawSignatures(doc, contract.signatures);
      stampFooters(doc, contract.sha256);
      doc.end();
    } catch (error) {
      reject(error);
    }
  });
}
