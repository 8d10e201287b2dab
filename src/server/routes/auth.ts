import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { type AuthService, RateLimitedError } from '../../core/auth/login.js';
import type { ResolvedSession } from '../../core/auth/sessions.js';
import { AppError } from '../../core/errors.js';
import { principalOf, problemSchema, standardErrors } from '../../core/http.js';
import type { Database } from '../../db/types.js';
import { clearSessionCookie, setSessionCookie } from '../plugins/auth.js';

/**
 * The login ceremony over HTTP (see core/auth/login.ts for the stages). Every step answers
 * {stage, csrfToken} and sets a fresh session cookie. Bodies carry the secrets; URLs never do.
 */
const STAGES = ['pending_second_factor', 'pending_password_change', 'pending_enrolment', 'active'] as const;
const stageSchema = z
  .object({ stage: z.enum(STAGES), csrfToken: z.string() })
  .meta({ id: 'LoginStage', description: 'Stand der Anmeldung und das CSRF-Token der (neuen) Sitzung' });

const authErrors = { ...standardErrors, 409: problemSchema, 429: problemSchema } as const;

export interface AuthRoutesOptions {
  db: Kysely<Database>;
  auth: AuthService;
  tls: boolean;
}

function sessionOf(request: FastifyRequest): ResolvedSession {
  if (!request.session) {
    throw new AppError('UNAUTHENTICATED', 'Anmeldung erforderlich', 'Bitte melden Sie sich an.');
  }
  return request.session;
}

/** Sets Retry-After on a throttled attempt before the error handler answers 429. */
async function withRetryAfter<T>(reply: FastifyReply, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof RateLimitedError) reply.header('retry-after', String(err.retryAfterSeconds));
    throw err;
  }
}

export const authRoutes: FastifyPluginAsyncZod<AuthRoutesOptions> = async (app, { auth, tls }) => {
  app.post(
    '/auth/login',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['Anmeldung'],
        summary: 'Anmelden: Benutzername und Passwort',
        description:
          'Erster Schritt der Anmeldung. Falsche Angaben ergeben immer dieselbe Meldung (401). Nach 10 Fehlversuchen in 15 Minuten wird jeder weitere Versuch verzögert (429 mit Retry-After).',
        security: [],
        body: z.object({
          username: z.string().min(1, 'Bitte den Benutzernamen angeben.').max(128),
          password: z.string().min(1, 'Bitte das Passwort angeben.').max(1024),
        }),
        response: { 200: stageSchema, ...authErrors },
      },
    },
    async (request, reply) => {
      const r = await withRetryAfter(reply, () =>
        auth.passwordLogin({
          username: request.body.username,
          password: request.body.password,
          clientAddress: request.ip,
          current: request.session,
        }),
      );
      setSessionCookie(reply, r.token, tls);
      return { stage: r.stage, csrfToken: r.csrfToken };
    },
  );

  app.post(
    '/auth/second-factor',
    {
      config: { auth: 'pending' },
      schema: {
        tags: ['Anmeldung'],
        summary: 'Zweiter Faktor: TOTP-Code oder Wiederherstellungscode',
        body: z.object({ code: z.string().min(1, 'Bitte den Code angeben.').max(64) }),
        response: { 200: stageSchema, ...authErrors },
      },
    },
    async (request, reply) => {
      const r = await withRetryAfter(reply, () =>
        auth.secondFactor(sessionOf(request), request.body.code, request.ip),
      );
      setSessionCookie(reply, r.token, tls);
      return { stage: r.stage, csrfToken: r.csrfToken };
    },
  );

  app.post(
    '/auth/password',
    {
      config: { auth: 'pending' },
      schema: {
        tags: ['Anmeldung'],
        summary: 'Passwort ändern (Pflicht nach Einmalpasswort)',
        description:
          'Mindestens 12 Zeichen; häufige oder aus Datenlecks bekannte Passwörter werden abgelehnt.',
        body: z.object({
          currentPassword: z.string().min(1, 'Bitte das bisherige Passwort angeben.').max(1024),
          newPassword: z.string().max(1024),
        }),
        response: { 200: stageSchema, ...authErrors },
      },
    },
    async (request, reply) => {
      const r = await withRetryAfter(reply, () =>
        auth.changePassword(sessionOf(request), request.body, request.ip),
      );
      setSessionCookie(reply, r.token, tls);
      return { stage: r.stage, csrfToken: r.csrfToken };
    },
  );

  app.post(
    '/auth/enrolment/start',
    {
      config: { auth: 'pending' },
      schema: {
        tags: ['Anmeldung'],
        summary: 'Zweiten Faktor einrichten: QR-Code für die Authenticator-App',
        response: {
          200: z.object({ otpauthUrl: z.string(), qrCodeDataUrl: z.string(), secret: z.string() }),
          ...authErrors,
        },
      },
    },
    async (request, reply) => {
      const material = await auth.startEnrolment(sessionOf(request), request.ip);
      return reply.header('cache-control', 'no-store').send(material);
    },
  );

  app.post(
    '/auth/enrolment/confirm',
    {
      config: { auth: 'pending' },
      schema: {
        tags: ['Anmeldung'],
        summary: 'Zweiten Faktor bestätigen; liefert zehn Wiederherstellungscodes (nur einmal)',
        body: z.object({ code: z.string().min(1, 'Bitte den Code aus der App angeben.').max(16) }),
        response: {
          200: stageSchema.extend({ recoveryCodes: z.array(z.string()) }).meta({ id: 'EnrolmentResult' }),
          ...authErrors,
        },
      },
    },
    async (request, reply) => {
      const r = await withRetryAfter(reply, () =>
        auth.confirmEnrolment(sessionOf(request), request.body.code, request.ip),
      );
      setSessionCookie(reply, r.token, tls);
      return reply
        .header('cache-control', 'no-store')
        .send({ stage: r.stage, csrfToken: r.csrfToken, recoveryCodes: r.recoveryCodes });
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { auth: 'pending' },
      schema: {
        tags: ['Anmeldung'],
        summary: 'Abmelden (beendet die Sitzung)',
        response: { 204: z.void(), ...standardErrors },
      },
    },
    async (request, reply) => {
      await auth.logout(sessionOf(request), request.ip);
      clearSessionCookie(reply, tls);
      return reply.code(204).send();
    },
  );

  app.get(
    '/session',
    {
      config: { auth: 'pending' },
      schema: {
        tags: ['Anmeldung'],
        summary: 'Eigene Sitzung: Benutzer, Berechtigungen, Stand der Anmeldung',
        response: {
          200: z
            .object({
              user: z.object({
                id: z.string(),
                username: z.string(),
                displayName: z.string(),
                isAdmin: z.boolean(),
                isCrisisTeam: z.boolean(),
                grants: z.array(
                  z.object({ authorityAgs: z.string(), officeType: z.string(), role: z.string() }),
                ),
              }),
              stage: z.enum(STAGES),
              csrfToken: z.string(),
            })
            .meta({ id: 'Session' }),
          ...standardErrors,
        },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const s = sessionOf(request);
      return reply.header('cache-control', 'no-store').send({
        user: {
          id: p.userId,
          username: p.username,
          displayName: p.displayName,
          isAdmin: p.isAdmin,
          isCrisisTeam: p.isCrisisTeam,
          grants: p.grants,
        },
        stage: s.stage,
        csrfToken: s.csrfToken,
      });
    },
  );
};
