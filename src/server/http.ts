import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../core/errors.js';
import { hashRequest, type IdempotentRequest, type IdempotentResult } from '../core/idempotency.js';
import { isUuid } from '../core/ids.js';

/** Shared HTTP helpers for routes: idempotency keys, problem schemas, replies. */

/** A Gemeindeschlüssel (AGS) in a request: eight digits. */
export const agsSchema = z.string().regex(/^\d{8}$/, 'Der Gemeindeschlüssel (AGS) hat acht Ziffern.');

export const IDEMPOTENCY_HEADER = 'idempotency-key';

export const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .meta({ description: 'Vom Client erzeugte UUID; dieselbe UUID erneut liefert das erste Ergebnis.' })
    .optional(),
});

/** The idempotency key of a write request, scoped to the user and route. */
export function idempotencyOf(request: FastifyRequest, content: unknown): IdempotentRequest {
  const raw = request.headers[IDEMPOTENCY_HEADER];
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (!key) {
    throw new AppError(
      'IDEMPOTENCY_KEY_MISSING',
      'Idempotenzschlüssel fehlt',
      'Jede Änderung braucht einen Idempotency-Key (eine vom Client erzeugte UUID), damit ein Wiederholen nichts doppelt anlegt.',
      [{ path: 'header/idempotency-key', message: 'Bitte eine UUID angeben.' }],
    );
  }
  if (!isUuid(key)) {
    throw new AppError(
      'VALIDATION_FAILED',
      'Ungültiger Idempotenzschlüssel',
      'Der Idempotency-Key muss eine UUID sein.',
      [{ path: 'header/idempotency-key', message: 'Keine gültige UUID.' }],
    );
  }
  const user = request.principal?.userId ?? 'anonymous';
  return {
    key: key.toLowerCase(),
    scope: `${user} ${request.method} ${request.routeOptions.url}`,
    requestHash: hashRequest({ params: request.params, body: content }),
  };
}

export function sendIdempotent(reply: FastifyReply, result: IdempotentResult) {
  if (result.replayed) reply.header('idempotent-replayed', 'true');
  return reply.code(result.statusCode).header('cache-control', 'no-store').send(result.body);
}

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    requestId: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details with German title/detail' });

/** Standard refusals every authenticated route can give. */
export const standardErrors = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
} as const;
