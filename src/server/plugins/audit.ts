import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import { appendAudit } from '../../core/audit/log.js';
import { auditEntryOf, SAFE_METHODS } from '../../core/http.js';
import type { Database } from '../../db/types.js';

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
const NO_PERSONAL_DATA_READS = new Set([
  '/api/session',
  '/api/procedures',
  '/api/procedures/:id',
  '/api/authorities',
  '/api/authorities/:ags',
]);

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
