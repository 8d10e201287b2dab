import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Kysely, Transaction } from 'kysely';
import { type AuditEntry, appendAudit } from '../../core/audit/log.js';
import type { Database } from '../db/types.js';

/**
 * Generic audit of the API: every request under /api made with a session (reads, writes,
 * exports, refusals) is written to the hash-chained audit log — who (user id), what (method,
 * route pattern, target ids from the path), result (status), from where (client address), when
 * (UTC). The entry is written in onSend, i.e. BEFORE the response leaves: if the audit write
 * fails, the request fails with 500 and no data is delivered.
 *
 * A route may add to its entry through the request (set only once the data is about to be sent):
 * `request.auditAction` (a more specific action name), `request.auditTargets` (further ids, e.g.
 * the persons a search showed) and `request.auditDetail` (non-personal facts such as counts). So a
 * read is one entry, never a second explicit one. Ids and facts only — never names, search terms
 * or bodies.
 *
 * Not recorded here: the login routes (they write their own, more specific entries), and reads
 * that carry no personal data (session, procedure definitions, authorities).
 */
declare module 'fastify' {
  interface FastifyRequest {
    auditAction: string | null;
    auditTargets: Record<string, string> | null;
    auditDetail: Record<string, string | number | boolean | null> | null;
    /** Set by a route whose write transaction already holds the request's audit entry. */
    auditRecorded: boolean;
  }
}

const NO_PERSONAL_DATA_READS = new Set([
  '/api/session',
  '/api/procedures',
  '/api/procedures/:id',
  '/api/authorities',
  '/api/authorities/:ags',
]);

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
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

/** The audit entry of an API request: who, what (method, route, target ids), result, from where. */
export function auditEntryOf(request: FastifyRequest, actorId: string, status: number): AuditEntry {
  const route = request.routeOptions.url ?? '';
  const pathIds = targetIdsOf(request.params);
  return {
    action: request.auditAction ?? actionOf(request.method, route),
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
 * Writes the request's audit entry inside the caller's write transaction, so the write and its
 * audit row commit together (one fsync instead of two on SQLite). The route marks the request
 * `auditRecorded` once that transaction committed; refusals are still recorded by the hook.
 */
export function auditWriteIn(
  request: FastifyRequest,
  now: () => Date,
): (trx: Transaction<Database>, status: number, targets: Record<string, string>) => Promise<void> {
  return async (trx, status, targets) => {
    const actorId = request.principal?.userId ?? request.session?.userId;
    if (!actorId) return;
    request.auditTargets = { ...(request.auditTargets ?? {}), ...targets };
    await appendAudit(trx, auditEntryOf(request, actorId, status), now());
  };
}

export const auditPlugin = fp(
  async (app: FastifyInstance, opts: { db: Kysely<Database>; now: () => Date }) => {
    const audited = new WeakSet<FastifyRequest>();
    app.decorateRequest('auditAction', null);
    app.decorateRequest('auditTargets', null);
    app.decorateRequest('auditDetail', null);
    app.decorateRequest('auditRecorded', false);
    app.addHook('onSend', async (request, reply, payload) => {
      const route = request.routeOptions.url;
      if (!route?.startsWith('/api/') || route.startsWith('/api/auth/') || route.startsWith('/api/docs')) {
        return payload;
      }
      if (SAFE_METHODS.has(request.method) && NO_PERSONAL_DATA_READS.has(route)) return payload;
      const actorId = request.principal?.userId ?? request.session?.userId;
      if (!actorId) return payload;
      // An error response for a failed audit write passes here again: record once only.
      if (audited.has(request) || request.auditRecorded) return payload;
      audited.add(request);
      await appendAudit(opts.db, auditEntryOf(request, actorId, reply.statusCode), opts.now());
      return payload;
    });
  },
);
