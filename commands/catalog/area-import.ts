import { parse as parseCsv } from 'csv-parse/sync';
import { stringify as stringifyCsv } from 'csv-stringify/sync';
import { z } from 'zod';
import type { ImportRow, ImportRowError } from '../../domain/catalog/area-catalog.js';
import { AREA_LEVELS } from '../../domain/catalog/area-events.js';
import { DomainError } from '../../domain/shared/errors.js';

export type AreaFileFormat = 'csv' | 'json';

export const CSV_COLUMNS = ['id', 'code', 'name', 'level', 'parent_id', 'hot'] as const;

const blankToNull = (value: unknown) => (value === '' || value === undefined ? null : value);
const optionalText = (max: number) => z.preprocess(blankToNull, z.string().trim().min(1).max(max).nullable());

const rowSchema = z.object({
  id: optionalText(64),
  code: optionalText(32),
  name: z.string().trim().min(1, 'name is required').max(120),
  level: z.enum(AREA_LEVELS, { message: `level must be one of ${AREA_LEVELS.join(', ')}` }),
  parentId: optionalText(64),
  parentCode: optionalText(32),
  hot: z.preprocess(
    (v) =>
      v === '' || v === undefined || v === null
        ? false
        : v === 'true' || v === '1'
          ? true
          : v === 'false' || v === '0'
            ? false
            : v,
    z.boolean({ message: 'hot must be true or false' }),
  ),
});

const fieldOfCsv: Record<string, string> = { parentId: 'parent_id', parentCode: 'parent_code' };

function fileError(message: string): DomainError {
  return new DomainError('invalid', 'IMPORT_INVALID', message, { details: { rows: [] } });
}

function recordsOf(body: string, format: AreaFileFormat): Record<string, unknown>[] {
  if (format === 'json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (error) {
      throw fileError(`The file is not valid JSON: ${(error as Error).message}`);
    }
    if (!Array.isArray(parsed)) throw fileError('A JSON import is an array of areas');
    return parsed.map((item) => (typeof item === 'object' && item !== null ? item : {}));
  }
  try {
    const records = parseCsv(body, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Record<
      string,
      string
    >[];
    return records.map(({ parent_id, parent_code, ...rest }) => ({
      ...rest,
      parentId: parent_id,
      parentCode: parent_code,
    }));
  } catch (error) {
    throw fileError(`The file is not valid CSV: ${(error as Error).message}`);
  }
}

/**
 * Parses an import file into rows for the ImportAreas command. Every record is checked; any bad
 * one refuses the whole file with all row errors (rows are numbered from 1, header excluded).
 */
export function parseAreaFile(body: string, format: AreaFileFormat, newId: () => string): ImportRow[] {
  const records = recordsOf(body, format);
  if (records.length === 0) throw fileError('The file has no areas');
  const rows: ImportRow[] = [];
  const errors: ImportRowError[] = [];
  records.forEach((record, index) => {
    const result = rowSchema.safeParse(record);
    if (result.success) {
      rows.push({ row: index + 1, newId: newId(), ...result.data });
      return;
    }
    for (const issue of result.error.issues) {
      const field = String(issue.path[0] ?? 'row');
      errors.push({
        row: index + 1,
        field: format === 'csv' ? (fieldOfCsv[field] ?? field) : field,
        message: issue.message,
      });
    }
  });
  if (errors.length > 0) {
    throw new DomainError('invalid', 'IMPORT_INVALID', `${errors.length} lỗi trong tệp; không có gì được nhập`, {
      details: { rows: errors },
    });
  }
  return rows;
}

export interface ExportedArea {
  id: string;
  code: string | null;
  name: string;
  level: string;
  parentId: string | null;
  hot: boolean;
}

export function areasToCsv(areas: ExportedArea[]): string {
  return stringifyCsv(
    areas.map((a) => [a.id, a.code ?? '', a.name, a.level, a.parentId ?? '', a.hot ? 'true' : 'false']),
    { header: true, columns: [...CSV_COLUMNS] },
  );
}
