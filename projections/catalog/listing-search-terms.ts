import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { foldVietnamese } from '../../domain/shared/text.js';
import { searchTables } from './listing-search-schema.js';

/**
 * A resolved keyword: every slot must match (AND); a slot matches any of its alternatives (the word
 * as typed and the lexicon words it was probably meant as). A number right after a word is one
 * token with it ("quan 1" → "quan1"), as the listings' title, area names and street are indexed,
 * so "quận 1" never matches "Quận 10 … 1 phòng ngủ".
 */
export type KeywordSlots = string[][];

/** Words seen in fewer listings than this may be typos even though they exist (a misspelt listing). */
const SUSPECT_DOCUMENTS = 3;
/** A neighbour replaces a suspect word only when it is this many times more common. */
const NEIGHBOUR_ADVANTAGE = 10;
const MAX_ALTERNATIVES = 3;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * Every string one edit away. Vietnamese syllables are short and dense ("thai", "hai", "than"), so
 * a word of four letters or fewer only gets same-length edits (a swap or a wrong letter: "qaun").
 */
export function oneEditAway(word: string): string[] {
  const out = new Set<string>();
  const lengthChanges = word.length > 4;
  for (let i = 0; i <= word.length; i++) {
    const head = word.slice(0, i);
    const tail = word.slice(i);
    if (tail && lengthChanges) out.add(head + tail.slice(1));
    if (tail.length > 1) out.add(head + (tail[1] ?? '') + (tail[0] ?? '') + tail.slice(2));
    for (const c of ALPHABET) {
      if (lengthChanges) out.add(head + c + tail);
      if (tail) out.add(head + c + tail.slice(1));
    }
  }
  out.delete(word);
  return [...out];
}

const maxDistanceFor = (word: string) => (word.length >= 6 ? 2 : 1);
const isNumber = (word: string) => /^[0-9]+$/.test(word);

// biome-ignore lint/suspicious/noExplicitAny: the projection's own tables
type Db = Kysely<any>;

/** Lexicon words near `word`, best first: fewest edits, then most listings. */
async function neighbours(db: Db, schema: string, word: string, minDocuments: number): Promise<string[]> {
  const { search_lexicon: lexicon } = searchTables(schema);
  const { rows } = await sql<{ word: string; documents: number }>`
    select word, documents from ${lexicon} where word = any(${oneEditAway(word)}::text[]) and documents >= ${minDocuments}
    union
    select * from (select word, documents from ${lexicon} where documents >= ${minDocuments} and ${word.length >= 6}
      order by word <-> ${word} limit 20) near`.execute(db);
  const max = maxDistanceFor(word);
  return rows
    .map((row) => ({ ...row, distance: editDistance(word, row.word) }))
    .filter((row) => row.distance <= max && row.word !== word)
    .sort((a, b) => a.distance - b.distance || b.documents - a.documents || a.word.localeCompare(b.word))
    .slice(0, MAX_ALTERNATIVES)
    .map((row) => row.word);
}

/** Tokens of folded text as the 'simple' parser splits it, in order, a number joined to the word before it. */
async function tokensOf(db: Db, text: string): Promise<string[]> {
  const { rows } = await sql<{ word: string; position: number }>`
    select lexeme as word, p as position from unnest(to_tsvector('simple', ${text})) u, unnest(u.positions) p
     order by p`.execute(db);
  const tokens: string[] = [];
  let previous = { word: '', position: Number.NEGATIVE_INFINITY };
  for (const row of rows.slice(0, 64)) {
    const joins = isNumber(row.word) && row.position === previous.position + 1 && /^\p{L}+$/u.test(previous.word);
    if (joins && tokens.length > 0) tokens[tokens.length - 1] = `${previous.word}${row.word}`;
    else tokens.push(row.word);
    previous = row;
  }
  return [...new Set(tokens)];
}

/** The word every listing of an area carries in its text vector (see the projection's `areaToken`). */
export const areaTokenOf = (areaId: string) => `zzarea${createHash('md5').update(areaId).digest('hex')}`;

export interface ResolvedKeyword {
  slots: KeywordSlots;
  /** At most this many visible listings match (the rarest slot's count). */
  atMost: number;
}

/**
 * Folds the keyword like the listings' text (accents, đ, case), splits it with the same parser
 * and widens each word the lexicon does not know (or barely knows) to its likely intended words.
 * Within an area, the area's word joins the slots (one index intersection).
 */
export async function resolveKeyword(
  db: Db,
  schema: string,
  keyword: string,
  areaId?: string,
): Promise<ResolvedKeyword> {
  const { search_lexicon: lexicon, search_stats: stats } = searchTables(schema);
  const tokens = (await tokensOf(db, foldVietnamese(keyword))).slice(0, 32);
  const area = areaId === undefined ? [] : [areaTokenOf(areaId)];
  const { rows } = await sql<{ word: string; documents: number }>`
    select word, documents from ${lexicon} where word = any(${[...tokens, ...area]}::text[])
    union all select '', visible::int from ${stats}`.execute(db);
  const documents = new Map(rows.map((row) => [row.word, row.documents]));
  const visible = Math.max(1, documents.get('') ?? 1);

  const slots: KeywordSlots = [];
  for (const word of tokens) {
    const count = documents.get(word) ?? 0;
    const slot = [word];
    if (count < SUSPECT_DOCUMENTS && !isNumber(word) && word.length >= 3) {
      const found = await neighbours(db, schema, word, Math.max(1, count * NEIGHBOUR_ADVANTAGE));
      slot.push(...found);
      const counted = await sql<{ word: string; documents: number }>`
        select word, documents from ${lexicon} where word = any(${found}::text[])`.execute(db);
      for (const row of counted.rows) documents.set(row.word, row.documents);
    }
    slots.push(slot);
  }
  if (slots.length > 0) slots.push(...area.map((word) => [word]));
  const countOf = (slot: string[]) =>
    Math.min(
      visible,
      slot.reduce((sum, w) => sum + (documents.get(w) ?? 0), 0),
    );
  const atMost = Math.min(visible, ...slots.map(countOf));
  return { slots, atMost };
}

const quote = (word: string) => `'${word.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;

/** The tsquery text of resolved slots; every word is quoted, so any text is safe to pass. */
export function tsqueryOf(slots: KeywordSlots): string {
  return slots
    .map((slot) => (slot.length === 1 ? quote(slot[0] ?? '') : `(${slot.map(quote).join(' | ')})`))
    .join(' & ');
}
