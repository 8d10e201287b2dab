import { timingSafeEqual } from 'node:crypto';
import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import { principalOfSession, resolveSession } from '../../core/auth/sessions.js';
import { AppError } from '../../core/errors.js';
import { type AuthMode, unauthenticated } from '../../core/http.js';
import type { Database } from '../../db/types.js';
import { sendProblem } from './errors.js';

/**
 * Authentication for every route, deny by default. A route opts out with `config.auth = 'public'`
 * (health, login, static assets, public pages) or accepts a not yet completed login with
 * `config.auth = 'pending'` (second factor, enrolment, password change). Everything else needs an
 * active session (password + second factor done). State-changing requests must also carry the
 * session's CSRF token in the `X-CSRF-Token` header.
 */
declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered after trackRoutes(): the access-matrix test walks this list. */
    registeredRoutes: RegisteredRoute[];
  }
}

export interface RegisteredRoute {
  method: string;
  url: string;
  auth: AuthMode;
}

/**
 * Records every route (method, URL pattern, auth mode) as it is registered. Called first thing in
 * buildApp so that routes of every plugin, also ones added later, are listed.
 */
export function trackRoutes(app: FastifyInstance): void {
  const list: RegisteredRoute[] = [];
  app.decorate('registeredRoutes', list);
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      // Read lazily: later onRoute hooks (e.g. the one marking /api/docs public) may still set it.
      list.push({
        method,
        url: route.url,
        get auth(): AuthMode {
          return (route.config as { auth?: AuthMode } | undefined)?.auth ?? 'active';
        },
      });
    }
  });
}

/** Session cookie: HttpOnly, SameSite=Strict, Path=/; over TLS also Secure with the __Host- prefix. */
export function setSessionCookie(reply: FastifyReply, token: string, tls: boolean): void {
  reply.setCookie(sessionCookieName(tls), token, {
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    secure: tls,
  });
}

export function clearSessionCookie(reply: FastifyReply, tls: boolean): void {
  reply.clearCookie(sessionCookieName(tls), { httpOnly: true, sameSite: 'strict', path: '/', secure: tls });
}

export const SESSION_COOKIE = 'nb_session';
export const SESSION_COOKIE_TLS = '__Host-nb_session';
export const CSRF_HEADER = 'x-csrf-token';

export function sessionCookieName(tls: boolean): string {
  return tls ? SESSION_COOKIE_TLS : SESSION_COOKIE;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Constant-time comparison of the CSRF header with the session's token. */
function sameToken(header: string | string[] | undefined, expected: string): boolean {
  if (typeof header !== 'string') return false;
  const a = Buffer.from(header);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

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
    if (!SAFE_METHODS.has(request.method) && !sameToken(request.headers[CSRF_HEADER], session.csrfToken)) {
      return sendProblem(
        reply,
        new AppError(
          'FORBIDDEN',
          'Sicherheitsprüfung fehlgeschlagen',
          'Die Anfrage trägt kein gültiges CSRF-Token. Bitte die Seite neu laden.',
        ),
      );
    }
    request.principal = principalOfSession(session);
  });
});
