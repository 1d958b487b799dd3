import { fileTypeFromBuffer } from 'file-type';
import { DomainError } from '../../domain/shared/errors.js';

export const SNIFFABLE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as const;
export type SniffableType = (typeof SNIFFABLE_TYPES)[number];

/**
 * The type of a file decided by its content (magic bytes), never by its name or declared type:
 * one of `allowed`, or a DomainError FILE_TYPE_NOT_ALLOWED on `field` for anything else (text,
 * HTML, SVG, executables, a PDF named photo.png, an empty file…).
 */
export async function sniffFile<T extends SniffableType>(
  bytes: Uint8Array,
  allowed: readonly T[],
  field = 'file',
): Promise<T | DomainError> {
  const detected = bytes.length === 0 ? undefined : await fileTypeFromBuffer(bytes);
  const mime = detected?.mime as string | undefined;
  const match = allowed.find((type) => type === mime);
  if (match) return match;
  return new DomainError(
    'invalid',
    'FILE_TYPE_NOT_ALLOWED',
    `Loại tệp không được chấp nhận (${mime ?? 'không xác định'}); chỉ nhận ${allowed.join(', ')}`,
    { field, details: { detected: mime ?? null, allowed } },
  );
}
