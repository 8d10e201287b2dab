import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import type { Principal } from '../../core/access.js';
import { loadPrincipal, type ResolvedSession, resolveSession } from '../../core/auth/sessions.js';
import { AppError } from '../../core/errors.js';
import type { Database } from '../db/types.js';
import { sendProblem } from './errors.js';

/**
 * Authentication for every route, deny by default. A route opts out with `config.auth = 'public'`
 * (health, login, static assets, public pages) or accepts a not yet completed login with
 * `config.auth = 'pending'` (second factor, enrolment, password change). Everything else needs an
 * active session (password + second factor done). State-changing requests must also carry the
 * session's CSRF token in the `X-CSRF-Token` header.
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

export const SESSION_COOKIE = 'nb_session';
export const SESSION_COOKIE_TLS = '__Host-nb_session';
export const CSRF_HEADER = 'x-csrf-token';

export function sessionCookieName(tls: boolean): string {
  return tls ? SESSION_COOKIE_TLS : SESSION_COOKIE;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const unauthenticated = () =>
  new AppError(
    'UNAUTHENTICATED',
    'Anmeldung erforderlich',
    'Bitte melden Sie sich an. Ihre Sitzung ist abgelaufen oder ungültig.',
  );

export interface AuthPluginOptions {
  db: Kysely<Database>;
  now: () => Date;
  tls: boolean;
}

export const authPlugin = fp(async (app: FastifyInstance, opts: AuthPluginOptions) => {
  app.decorateRequest('principal', null);
  app.decorateRequest('session', null);
  const cookieName = sessionCookieName(opts.tls);

  app.addHook('onRequest', async (request: FastifyRequest, reply) => {
    const mode: AuthMode = request.routeOptions.config?.auth ?? 'active';
    // Unmatched routes fall through to the 404 handler, which reveals nothing.
    if (!request.routeOptions.url) return;
    const token = request.cookies?.[cookieName];
    const session = token ? await resolveSession(opts.db, token, opts.now()) : undefined;
    if (session) request.session = session;
    if (mode === 'public') return;
    if (!session) return sendProblem(reply, unauthenticated());
    if (mode === 'active' && session.stage !== 'active') {
      return sendProblem(
        reply,
        new AppError(
          'UNAUTHENTICATED',
          'Anmeldung nicht abgeschlossen',
          'Bitte schließen Sie die Anmeldung ab (zweiter Faktor).',
        ),
      );
    }
    if (!SAFE_METHODS.has(request.method) && request.headers[CSRF_HEADER] !== session.csrfToken) {
      return sendProblem(
        reply,
        new AppError(
          'FORBIDDEN',
          'Sicherheitsprüfung fehlgeschlagen',
          'Die Anfrage trägt kein gültiges CSRF-Token. Bitte die Seite neu laden.',
        ),
      );
    }
    const principal = await loadPrincipal(opts.db, session.userId);
    if (!principal) return sendProblem(reply, unauthenticated());
    request.principal = principal;
  });
});

/** The principal of an authenticated route (the auth hook guarantees it). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw unauthenticated();
  return request.principal;
}
