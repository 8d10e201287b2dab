import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import { appendAudit } from '../../core/audit/log.js';
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

export const auditPlugin = fp(
  async (app: FastifyInstance, opts: { db: Kysely<Database>; now: () => Date }) => {
    const audited = new WeakSet<FastifyRequest>();
    app.decorateRequest('auditAction', null);
    app.decorateRequest('auditTargets', null);
    app.decorateRequest('auditDetail', null);
    app.addHook('onSend', async (request, reply, payload) => {
      const route = request.routeOptions.url;
      if (!route?.startsWith('/api/') || route.startsWith('/api/auth/') || route.startsWith('/api/docs')) {
        return payload;
      }
      if (SAFE_METHODS.has(request.method) && NO_PERSONAL_DATA_READS.has(route)) return payload;
      const actorId = request.principal?.userId ?? request.session?.userId;
      if (!actorId) return payload;
      // An error response for a failed audit write passes here again: record once only.
      if (audited.has(request)) return payload;
      audited.add(request);
      const pathIds = targetIdsOf(request.params);
      await appendAudit(
        opts.db,
        {
          action: request.auditAction ?? actionOf(request.method, route),
          actorId,
          method: request.method,
          route,
          target: request.auditTargets ? { ...pathIds, ...request.auditTargets } : pathIds,
          status: reply.statusCode,
          clientAddress: request.ip,
          detail: request.auditDetail,
        },
        opts.now(),
      );
      return payload;
    });
  },
);
