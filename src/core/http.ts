import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/types.js';
import type { Principal } from './access.js';
import { type AuditEntry, appendAudit, chainOf } from './audit/log.js';
import type { ResolvedSession } from './auth/sessions.js';
import { AppError } from './errors.js';
import { hashRequest, type IdempotentRequest, type IdempotentResult } from './idempotency.js';
import { isUuid } from './ids.js';

/**
 * Shared HTTP helpers for the routes of the server and of the procedure families: the request
 * fields that the auth and audit plugins (src/server/plugins) fill, the principal, the audit entry
 * of a request, idempotency keys, problem schemas, replies. Routes import these, never the plugins.
 */

/**
 * How a route is authenticated: `public` (health, login, static assets, public pages), `pending`
 * (a login not yet completed: second factor, enrolment, password change) or `active` (the default:
 * password and second factor done).
 */
export type AuthMode = 'public' | 'pending' | 'active';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AuthMode;
  }
  interface FastifyRequest {
    principal: Principal | null;
    session: ResolvedSession | null;
  }
}

export function unauthenticated(): AppError {
  return new AppError(
    'UNAUTHENTICATED',
    'Anmeldung erforderlich',
    'Bitte melden Sie sich an. Ihre Sitzung ist abgelaufen oder ungültig.',
  );
}

/** The principal of an authenticated route (the auth hook guarantees it). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw unauthenticated();
  return request.principal;
}

declare module 'fastify' {
  interface FastifyRequest {
    auditAction: string | null;
    auditTargets: Record<string, string> | null;
    auditDetail: Record<string, string | number | boolean | null> | null;
    /** Set by a route whose write transaction already holds the request's audit entry. */
    auditRecorded: boolean;
  }
}

export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Path values that are ids (UUIDs, AGS, action or document names), never free text. */
const ID_LIKE = /^[A-Za-z0-9_.:-]{1,80}$/;

export function targetIdsOf(params: unknown): Record<string, string> | null {
  if (!params || typeof params !== 'object') return null;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params as Record<string, unknown>)) {
    if (typeof v === 'string' && ID_LIKE.test(v)) out[k] = v;
    else if (v !== undefined) out[k] = '(nicht protokolliert)';
  }
  return Object.keys(out).length ? out : null;
}

function actionOf(method: string, route: string): string {
  if (/export|handover|uebergabe|documents/i.test(route))
    return SAFE_METHODS.has(method) ? 'http.export' : 'http.write';
  return SAFE_METHODS.has(method) ? 'http.read' : 'http.write';
}

/**
 * The audit entry of an API request: who, what (method, route, target ids), result, from where. It
 * goes to the given chain (a case write: the case's authority), else to the chain of the user's
 * authority when all their grants are at one, else to the installation's (audit/log.ts).
 */
export function auditEntryOf(
  request: FastifyRequest,
  actorId: string,
  status: number,
  chain?: string,
): AuditEntry {
  const route = request.routeOptions.url ?? '';
  const pathIds = targetIdsOf(request.params);
  return {
    action: request.auditAction ?? actionOf(request.method, route),
    chain: chain ?? chainOf(request.principal?.grants),
    actorId,
    method: request.method,
    route,
    target: request.auditTargets ? { ...pathIds, ...request.auditTargets } : pathIds,
    status,
    clientAddress: request.ip,
    detail: request.auditDetail,
  };
}

/**
 * The request's audit entry for a write that records it in its own transaction: the entry with the
 * write's status and targets (undefined without a user), and the moment it is stamped with.
 */
export interface WriteAudit {
  entry: (status: number, targets: Record<string, string>, chain?: string) => AuditEntry | undefined;
  now: () => Date;
}

/**
 * Writes the request's audit entry inside the caller's write transaction, so the write and its
 * audit row commit together (one fsync instead of two on SQLite). The route marks the request
 * `auditRecorded` once that transaction committed; refusals are still recorded by the hook.
 * The returned hook also carries `audit` (WriteAudit), so that a service can put the entry into a
 * statement of its own (the case write's single statement on PostgreSQL, core/cases/fast-path.ts).
 */
export function auditWriteIn(
  request: FastifyRequest,
  now: () => Date,
): ((
  trx: Transaction<Database>,
  status: number,
  targets: Record<string, string>,
  chain?: string,
) => Promise<void>) & {
  audit: WriteAudit;
} {
  const entry = (status: number, targets: Record<string, string>, chain?: string): AuditEntry | undefined => {
    const actorId = request.principal?.userId ?? request.session?.userId;
    if (!actorId) return undefined;
    request.auditTargets = { ...(request.auditTargets ?? {}), ...targets };
    return auditEntryOf(request, actorId, status, chain);
  };
  const hook = async (
    trx: Transaction<Database>,
    status: number,
    targets: Record<string, string>,
    chain?: string,
  ) => {
    const e = entry(status, targets, chain);
    if (e) await appendAudit(trx, e, now());
  };
  return Object.assign(hook, { audit: { entry, now } });
}

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
