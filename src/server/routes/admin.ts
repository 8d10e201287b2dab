import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { Principal } from '../../core/access.js';
import { appendAudit } from '../../core/audit/log.js';
import {
  type AccountView,
  checkGrants,
  createAccount,
  displayNameSchema,
  getAccount,
  grantSchema,
  listAccounts,
  notFoundAccount,
  replaceGrants,
  usernameSchema,
} from '../../core/auth/accounts.js';
import { generateOneTimePassword, hashPassword } from '../../core/auth/passwords.js';
import { endAllSessionsOf } from '../../core/auth/sessions.js';
import { AppError, validationFailed } from '../../core/errors.js';
import {
  idempotencyHeaders,
  idempotencyOf,
  principalOf,
  problemSchema,
  sendIdempotent,
  standardErrors,
} from '../../core/http.js';
import { runIdempotent } from '../../core/idempotency.js';
import type { Database } from '../../db/types.js';

/**
 * Account administration (administrators only). An administrator manages accounts but reads no
 * cases unless also granted an office role. Every write carries an Idempotency-Key and is
 * recorded in the audit log in the same transaction. One-time passwords are returned once and
 * never stored in clear (a replayed response carries `oneTimePassword: null`).
 */
const accountSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    isAdmin: z.boolean(),
    isCrisisTeam: z.boolean(),
    disabled: z.boolean(),
    secondFactorEnrolled: z.boolean(),
    mustChangePassword: z.boolean(),
    grants: z.array(z.object({ authorityAgs: z.string(), officeType: z.string(), role: z.string() })),
    createdAt: z.string(),
  })
  .meta({ id: 'Account' });

const idParam = z.object({ id: z.uuid('Keine gültige Konto-ID.') });
const writeErrors = { ...standardErrors, 409: problemSchema, 422: problemSchema } as const;

const crisisTeamGetsNoRoles = () =>
  validationFailed(
    [
      {
        path: 'body/grants',
        message:
          'Konten des Krisenstabs sehen nur zusammengefasste Zahlen und erhalten keine Amtsrollen (keine personenbezogenen Daten).',
      },
    ],
    'Die Berechtigungen wurden nicht geändert.',
  );

function requireAdmin(request: FastifyRequest): Principal {
  const p = principalOf(request);
  if (!p.isAdmin) {
    throw new AppError(
      'FORBIDDEN',
      'Keine Berechtigung',
      'Diese Funktion steht nur der Administration zur Verfügung.',
    );
  }
  return p;
}

export const adminRoutes: FastifyPluginAsyncZod<{ db: Kysely<Database>; now: () => Date }> = async (
  app,
  { db, now },
) => {
  const nowIso = () => now().toISOString();
  // Before body validation: a non-administrator learns nothing, not even the body's rules.
  app.addHook('preValidation', async (request) => {
    requireAdmin(request);
  });

  /** An admin write on one account: idempotent, audited in the same transaction. */
  async function accountAct(
    request: FastifyRequest,
    id: string,
    content: unknown,
    action: string,
    work: (trx: Transaction<Database>, target: AccountView, admin: Principal) => Promise<void>,
  ) {
    const admin = requireAdmin(request);
    return runIdempotent(db, idempotencyOf(request, content), nowIso, async (trx) => {
      const target = await getAccount(trx, id);
      if (!target) throw notFoundAccount();
      await work(trx, target, admin);
      await appendAudit(
        trx,
        { action, actorId: admin.userId, target: { userId: id }, clientAddress: request.ip },
        now(),
      );
      const after = await getAccount(trx, id);
      return { statusCode: 200, body: after };
    });
  }

  app.get(
    '/admin/users',
    {
      schema: {
        tags: ['Verwaltung'],
        summary: 'Alle Konten',
        response: { 200: z.object({ items: z.array(accountSchema) }), ...standardErrors },
      },
    },
    async (request) => {
      requireAdmin(request);
      return { items: await listAccounts(db) };
    },
  );

  app.get(
    '/admin/users/:id',
    {
      schema: {
        tags: ['Verwaltung'],
        summary: 'Ein Konto',
        params: idParam,
        response: { 200: accountSchema, ...standardErrors },
      },
    },
    async (request) => {
      requireAdmin(request);
      const a = await getAccount(db, request.params.id);
      if (!a) throw notFoundAccount();
      return a;
    },
  );

  app.post(
    '/admin/users',
    {
      schema: {
        tags: ['Verwaltung'],
        summary: 'Konto anlegen (mit Einmalpasswort)',
        description:
          'Legt ein Konto an. Die Antwort enthält einmalig ein Einmalpasswort, das bei der ersten Anmeldung geändert werden muss; danach wird der zweite Faktor eingerichtet.',
        headers: idempotencyHeaders,
        body: z.object({
          username: usernameSchema,
          displayName: displayNameSchema,
          isAdmin: z.boolean().default(false),
          isCrisisTeam: z.boolean().default(false),
          grants: z.array(grantSchema).max(200).default([]),
        }),
        response: {
          201: z.object({ user: accountSchema, oneTimePassword: z.string().nullable() }),
          200: z.object({ user: accountSchema, oneTimePassword: z.string().nullable() }),
          ...writeErrors,
        },
      },
    },
    async (request, reply) => {
      const admin = requireAdmin(request);
      if (request.body.isCrisisTeam && request.body.grants.length) throw crisisTeamGetsNoRoles();
      const idem = idempotencyOf(request, request.body);
      const oneTimePassword = generateOneTimePassword();
      const passwordHash = await hashPassword(oneTimePassword);
      const result = await runIdempotent(db, idem, nowIso, async (trx) => {
        const c = await createAccount(trx, request.body, now(), { oneTimePassword, passwordHash });
        await appendAudit(
          trx,
          {
            action: 'admin.user_created',
            actorId: admin.userId,
            target: { userId: c.userId },
            clientAddress: request.ip,
            detail: {
              isAdmin: request.body.isAdmin,
              isCrisisTeam: request.body.isCrisisTeam,
              grants: request.body.grants.length,
            },
          },
          now(),
        );
        return { statusCode: 201, body: { user: await getAccount(trx, c.userId), oneTimePassword: null } };
      });
      if (!result.replayed) {
        result.body = { ...(result.body as object), oneTimePassword };
      }
      return sendIdempotent(reply, result);
    },
  );

  const simpleAct = (
    path: string,
    summary: string,
    action: string,
    work: (trx: Transaction<Database>, target: AccountView, admin: Principal) => Promise<void>,
  ) =>
    app.post(
      `/admin/users/:id/${path}`,
      {
        schema: {
          tags: ['Verwaltung'],
          summary,
          headers: idempotencyHeaders,
          params: idParam,
          response: { 200: accountSchema, ...writeErrors },
        },
      },
      async (request, reply) =>
        sendIdempotent(reply, await accountAct(request, request.params.id, {}, action, work)),
    );

  simpleAct(
    'disable',
    'Konto sperren (beendet alle Sitzungen)',
    'admin.user_disabled',
    async (trx, target, admin) => {
      if (target.id === admin.userId) {
        throw new AppError(
          'ACTION_NOT_ALLOWED',
          'Nicht möglich',
          'Das eigene Konto kann nicht gesperrt werden. Bitte eine andere Administratorin oder einen anderen Administrator bitten.',
        );
      }
      await trx
        .updateTable('app_user')
        .set({ disabled_at: nowIso(), updated_at: nowIso() })
        .where('id', '=', target.id)
        .where('disabled_at', 'is', null)
        .execute();
      await endAllSessionsOf(trx, target.id, now());
    },
  );

  simpleAct('enable', 'Konto entsperren', 'admin.user_enabled', async (trx, target) => {
    await trx
      .updateTable('app_user')
      .set({ disabled_at: null, updated_at: nowIso() })
      .where('id', '=', target.id)
      .execute();
  });

  simpleAct(
    'reset-second-factor',
    'Zweiten Faktor zurücksetzen (neu einrichten bei der nächsten Anmeldung)',
    'admin.second_factor_reset',
    async (trx, target) => {
      await trx
        .updateTable('app_user')
        .set({ totp_secret: null, totp_enrolled_at: null, totp_last_step: null, updated_at: nowIso() })
        .where('id', '=', target.id)
        .execute();
      await trx.deleteFrom('recovery_code').where('user_id', '=', target.id).execute();
      await endAllSessionsOf(trx, target.id, now());
    },
  );

  simpleAct(
    'end-sessions',
    'Alle Sitzungen des Kontos beenden',
    'admin.sessions_ended',
    async (trx, target) => {
      await endAllSessionsOf(trx, target.id, now());
    },
  );

  app.post(
    '/admin/users/:id/reset-password',
    {
      schema: {
        tags: ['Verwaltung'],
        summary: 'Passwort zurücksetzen (Einmalpasswort; der zweite Faktor bleibt)',
        headers: idempotencyHeaders,
        params: idParam,
        response: {
          200: z.object({ user: accountSchema, oneTimePassword: z.string().nullable() }),
          ...writeErrors,
        },
      },
    },
    async (request, reply) => {
      const oneTimePassword = generateOneTimePassword();
      const passwordHash = await hashPassword(oneTimePassword);
      const result = await accountAct(
        request,
        request.params.id,
        {},
        'admin.password_reset',
        async (trx, target) => {
          await trx
            .updateTable('app_user')
            .set({ password_hash: passwordHash, must_change_password: 1, updated_at: nowIso() })
            .where('id', '=', target.id)
            .execute();
          await endAllSessionsOf(trx, target.id, now());
        },
      );
      // The stored (replayable) response never holds the password.
      const user = result.body;
      result.body = { user, oneTimePassword: result.replayed ? null : oneTimePassword };
      return sendIdempotent(reply, result);
    },
  );

  app.put(
    '/admin/users/:id/grants',
    {
      schema: {
        tags: ['Verwaltung'],
        summary: 'Berechtigungen (Rolle je Amt und Behörde) setzen',
        headers: idempotencyHeaders,
        params: idParam,
        body: z.object({ grants: z.array(grantSchema).max(200) }),
        response: { 200: accountSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      const grants = request.body.grants;
      const errors = await checkGrants(db, grants);
      if (errors.length) throw validationFailed(errors, 'Die Berechtigungen wurden nicht geändert.');
      const result = await accountAct(
        request,
        request.params.id,
        request.body,
        'admin.grants_changed',
        async (trx, target) => {
          if (target.isCrisisTeam && grants.length) throw crisisTeamGetsNoRoles();
          await replaceGrants(trx, target.id, grants);
        },
      );
      return sendIdempotent(reply, result);
    },
  );
};
