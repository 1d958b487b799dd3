import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError, invalid } from '../domain/shared/errors.js';

/** Ceiling for every multipart route (routes ask for less): 10 MB a file, 10 files, a few short fields. */
export const UPLOAD_LIMITS = {
  fileSize: 10 * 1024 * 1024,
  files: 10,
  fields: 20,
  fieldSize: 1000,
  fieldNameSize: 100,
  parts: 30,
  headerPairs: 100,
} as const;

/** 413 in the API envelope (mapped by statusCode and code, like Fastify's own body limit). */
export class PayloadTooLarge extends Error {
  readonly statusCode = 413;
  readonly code = 'PAYLOAD_TOO_LARGE';
}

/** Multipart parsing for the routes of this scope only (JSON routes elsewhere never accept it). */
export async function registerUploads(scope: FastifyInstance): Promise<void> {
  await scope.register(fastifyMultipart, { limits: UPLOAD_LIMITS, throwFileSizeLimit: true });
}

export interface UploadedFile {
  fieldname: string;
  bytes: Buffer;
}

export interface Uploads {
  files: UploadedFile[];
  fields: Map<string, string[]>;
}

export interface ReadOptions {
  /** File fields accepted; a file in another field is refused. */
  fileFields: readonly string[];
  maxFiles: number;
  maxFileBytes: number;
}

const megabytes = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

/**
 * Reads a multipart request into memory within limits: each file at most `maxFileBytes`
 * (413 PAYLOAD_TOO_LARGE beyond), at most `maxFiles` files (400). The client's file names and
 * declared types are ignored: what a file is gets decided by sniffing its bytes.
 */
export async function readUploads(request: FastifyRequest, options: ReadOptions): Promise<Uploads> {
  const field = options.fileFields[0] ?? 'file';
  if (!request.isMultipart()) throw invalid('MULTIPART_REQUIRED', 'Gửi tệp dạng multipart/form-data', field);
  const files: UploadedFile[] = [];
  const fields = new Map<string, string[]>();
  try {
    const parts = request.parts({ limits: { fileSize: options.maxFileBytes, files: options.maxFiles } });
    for await (const part of parts) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        if (!options.fileFields.includes(part.fieldname)) {
          throw invalid('UNEXPECTED_FILE', `Không nhận tệp ở trường ${part.fieldname}`, part.fieldname);
        }
        files.push({ fieldname: part.fieldname, bytes });
      } else {
        if (part.valueTruncated || typeof part.value !== 'string') {
          throw invalid('FIELD_INVALID', `Trường ${part.fieldname} không hợp lệ`, part.fieldname);
        }
        fields.set(part.fieldname, [...(fields.get(part.fieldname) ?? []), part.value]);
      }
    }
  } catch (error) {
    throw uploadError(error, field, options);
  }
  return { files, fields };
}

function uploadError(error: unknown, field: string, options: ReadOptions): unknown {
  if (error instanceof DomainError) return error;
  const code = (error as { code?: string }).code;
  switch (code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return new PayloadTooLarge(`Tệp vượt quá ${megabytes(options.maxFileBytes)}`);
    case 'FST_FILES_LIMIT':
      return invalid('TOO_MANY_FILES', `Tối đa ${options.maxFiles} tệp mỗi lần gửi`, field);
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return invalid('TOO_MANY_FIELDS', 'Quá nhiều trường trong biểu mẫu', field);
    default:
      // Malformed multipart (cut off, bad boundary) is the client's fault, not a server error.
      return (error as { statusCode?: number }).statusCode
        ? error
        : invalid('MULTIPART_INVALID', 'Dữ liệu tải lên không hợp lệ', field);
  }
}
