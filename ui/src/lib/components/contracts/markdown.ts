// The small Markdown subset contract templates use (headings, paragraphs, lists, **bold**), as
// blocks the page renders itself: no HTML from the text ever reaches the DOM. Placeholders still
// written as `{{Name}}` (missing values) come out as their own segments so they can be highlighted.

export type Segment = { text: string; bold?: boolean; placeholder?: string };
export type Line = Segment[];
export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; line: Line }
  | { kind: 'paragraph'; lines: Line[] }
  | { kind: 'list'; ordered: boolean; items: Line[] }
  | { kind: 'rule' };

const PLACEHOLDER = /\{\{\s*([^{}\s]+)\s*\}\}/g;

function plain(text: string, bold: boolean): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    const at = match.index ?? 0;
    if (at > last) out.push({ text: text.slice(last, at), bold });
    out.push({ text: match[0], bold, placeholder: match[1] as string });
    last = at + match[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last), bold });
  return out;
}

/** One line's inline parts: `**bold**` and placeholders. */
export function inline(text: string): Line {
  const parts = text.split('**');
  // An odd count of `**` leaves the last one unbalanced: keep it as text.
  if (parts.length % 2 === 0) return plain(text, false);
  return parts.flatMap((part, i) => plain(part, i % 2 === 1)).filter((s) => s.text !== '');
}

export function blocks(text: string): Block[] {
  const out: Block[] = [];
  let paragraph: Line[] | null = null;
  let list: { kind: 'list'; ordered: boolean; items: Line[] } | null = null;
  const flush = () => {
    if (paragraph) out.push({ kind: 'paragraph', lines: paragraph });
    if (list) out.push(list);
    paragraph = null;
    list = null;
  };
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trimEnd();
    const heading = /^(#{1,3})\s+(.*)$/.exec(line);
    const bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
    const numbered = /^\s*\d+[.)]\s+(.*)$/.exec(line);
    if (line.trim() === '') {
      flush();
    } else if (/^\s*(-{3,}|\*{3,}|_{3,})\s*$/.test(line)) {
      flush();
      out.push({ kind: 'rule' });
    } else if (heading) {
      flush();
      out.push({
        kind: 'heading',
        level: (heading[1] as string).length as 1 | 2 | 3,
        line: inline(heading[2] as string),
      });
    } else if (bullet || numbered) {
      const ordered = !bullet;
      if (paragraph || (list && list.ordered !== ordered)) flush();
      list ??= { kind: 'list', ordered, items: [] };
      list.items.push(inline(((bullet ?? numbered) as RegExpExecArray)[1] as string));
    } else {
      if (list) flush();
      paragraph ??= [];
      paragraph.push(inline(line.trim()));
    }
  }
  flush();
  return out;
}
