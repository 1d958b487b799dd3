import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { WrongExpectedVersion } from '../commands/eventstore/port.js';
import { DomainError } from '../domain/shared/errors.js';

/** The SRS response envelope (§3.5.1): every answer has this shape. */
export interface Envelope<T> {
  success: boolean;
  message: string;
  data: T | null;
  error: { code: string; field?: string; details?: unknown } | null;
}

export const ok = <T>(data: T, message = 'OK'): Envelope<T> => ({ success: true, message, data, error: null });

export const failure = (
  code: string,
  message: string,
  extra: { field?: string; details?: unknown } = {},
): Envelope<null> => ({
  success: false,
  message,
  data: null,
  error: { code, ...extra },
});

/** Response schema for OpenAPI: the envelope around `data`. */
export const envelopeOf = <T extends z.ZodType>(data: T) =>
  z.object({
    success: z.boolean(),
    message: z.string(),
    data: data.nullable(),
    error: z.object({ code: z.string(), field: z.string().optional(), details: z.unknown().optional() }).nullable(),
  });

/** Maps every error to the envelope with a stable code; 5xx are logged, 4xx are the caller's. */
export function registerErrorEnvelope(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const first = error.validation[0];
      const where = (error.validationContext ?? 'body').replace('querystring', 'query');
      const path = first?.instancePath?.replace(/^\//, '').replaceAll('/', '.') ?? '';
      const field =
        path || (first?.params as { issue?: { path?: string[] } } | undefined)?.issue?.path?.join('.') || where;
      const message = `${field}: ${first?.message ?? 'invalid'}`;
      const details = error.validation.map((v) => ({
        field: v.instancePath.replace(/^\//, '').replaceAll('/', '.'),
        message: v.message,
      }));
      return reply.status(400).send(failure('VALIDATION_FAILED', message, { field, details }));
    }
    if (error instanceof DomainError) {
      const retryAfter = (error as { retryAfterSeconds?: number }).retryAfterSeconds;
      if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
      return reply.status(error.status).send(
        failure(error.code, error.message, {
          ...(error.field !== undefined && { field: error.field }),
          ...(error.details !== undefined && { details: error.details }),
        }),
      );
    }
    if (error instanceof WrongExpectedVersion) {
      return reply
        .status(409)
        .send(failure('CONCURRENT_CHANGE', 'Dữ liệu vừa bị thay đổi bởi người khác; vui lòng thử lại'));
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return reply.status(500).send(failure('INTERNAL', 'Lỗi máy chủ; vui lòng thử lại sau'));
    }
    const code = error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'PAYLOAD_TOO_LARGE' : (error.code ?? 'BAD_REQUEST');
    return reply.status(status).send(failure(code, error.message));
  });
}
