import type { Kysely, Selectable } from 'kysely';
import type { AppUserTable, Database } from '../../db/types.js';
import { appendAudit } from '../audit/log.js';
import { AppError, validationFailed } from '../errors.js';
import { newId } from '../ids.js';
import { checkPasswordPolicy, hashPassword, verifyPassword } from './passwords.js';
import {
  createSession,
  endAllSessionsOf,
  endSession,
  type ResolvedSession,
  type SessionStage,
} from './sessions.js';
import { accountSubject, addressSubject, clearFailures, recordFailure, throttleWait } from './throttle.js';
import {
  enrolmentMaterial,
  hashRecoveryCode,
  looksLikeRecoveryCode,
  newRecoveryCode,
  newTotpSecret,
  RECOVERY_CODE_COUNT,
  verifyTotp,
} from './totp.js';

/**
 * The login ceremony. Stages, in order:
 *   first login:   password -> pending_password_change (one-time password) -> pending_enrolment -> active
 *   enrolled user: password -> pending_second_factor -> (pending_password_change after a reset) -> active
 * A password reset keeps the second factor: the reset password only leads to pending_second_factor.
 * Each stage change issues a new session token (and CSRF token) and ends the old session.
 */
type UserRow = Selectable<AppUserTable>;

export class RateLimitedError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super(
      'RATE_LIMITED',
      'Zu viele Fehlversuche',
      `Zu viele fehlgeschlagene Anmeldeversuche. Bitte in ${retryAfterSeconds} Sekunden erneut versuchen.`,
    );
  }
}

/** One message for every wrong name/password/disabled account: no user enumeration. */
export const badCredentials = () =>
  new AppError(
    'UNAUTHENTICATED',
    'Anmeldung fehlgeschlagen',
    'Benutzername oder Passwort ist falsch, oder das Konto ist gesperrt.',
  );

const stepNotExpected = () =>
  new AppError(
    'ACTION_NOT_ALLOWED',
    'Schritt nicht vorgesehen',
    'Dieser Anmeldeschritt ist jetzt nicht vorgesehen. Bitte die Seite neu laden.',
  );

export interface StageResult {
  stage: SessionStage;
  token: string;
  csrfToken: string;
}

function isEnrolled(u: UserRow): boolean {
  return u.totp_enrolled_at !== null && u.totp_secret !== null;
}

export function stageAfterPassword(u: UserRow): SessionStage {
  if (isEnrolled(u)) return 'pending_second_factor';
  return u.must_change_password ? 'pending_password_change' : 'pending_enrolment';
}

function stageAfterSecondFactor(u: UserRow): SessionStage {
  return u.must_change_password ? 'pending_password_change' : 'active';
}

export class AuthService {
  constructor(private readonly opts: { db: Kysely<Database>; now: () => Date }) {}

  private get db() {
    return this.opts.db;
  }

  private async user(userId: string): Promise<UserRow> {
    const u = await this.db.selectFrom('app_user').selectAll().where('id', '=', userId).executeTakeFirst();
    if (!u || u.disabled_at) throw badCredentials();
    return u;
  }

  private async guard(username: string, clientAddress: string, action: string, actorId: string | null) {
    const now = this.opts.now();
    const wait = await throttleWait(this.db, [accountSubject(username), addressSubject(clientAddress)], now);
    if (wait > 0) {
      await appendAudit(
        this.db,
        { action: `${action}.throttled`, actorId, clientAddress, status: 429, detail: { retryAfter: wait } },
        now,
      );
      throw new RateLimitedError(wait);
    }
  }

  private async failure(
    username: string,
    clientAddress: string,
    action: string,
    actorId: string | null,
    reason: string,
  ) {
    const now = this.opts.now();
    await recordFailure(this.db, [accountSubject(username), addressSubject(clientAddress)], now);
    await appendAudit(this.db, { action, actorId, clientAddress, detail: { reason } }, now);
  }

  private async rotate(
    current: { sessionId: string } | null,
    userId: string,
    stage: SessionStage,
    clientAddress: string,
  ): Promise<StageResult> {
    const now = this.opts.now();
    if (current) await endSession(this.db, current.sessionId, now);
    const s = await createSession(this.db, { userId, stage, clientAddress, now });
    return { stage, token: s.token, csrfToken: s.csrfToken };
  }

  /** Step 1: user name and password. Any session the browser still had is ended (new token). */
  async passwordLogin(input: {
    username: string;
    password: string;
    clientAddress: string;
    current: ResolvedSession | null;
  }): Promise<StageResult> {
    const { username, password, clientAddress } = input;
    await this.guard(username, clientAddress, 'login', null);
    // Control characters can be in no user name (and PostgreSQL refuses NUL in text): unknown user.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
    const plausible = !/[\u0000-\u001f\u007f]/.test(username);
    const user = plausible
      ? await this.db
          .selectFrom('app_user')
          .selectAll()
          .where('username', '=', username.trim().toLowerCase())
          .executeTakeFirst()
      : undefined;
    const passwordOk = await verifyPassword(user?.password_hash, password);
    if (!user || !passwordOk || user.disabled_at) {
      const reason = !user ? 'unknown_user' : !passwordOk ? 'wrong_password' : 'account_disabled';
      await this.failure(username, clientAddress, 'login.failed', user?.id ?? null, reason);
      throw badCredentials();
    }
    const stage = stageAfterPassword(user);
    const result = await this.rotate(input.current, user.id, stage, clientAddress);
    await appendAudit(
      this.db,
      { action: 'login.password_accepted', actorId: user.id, clientAddress, detail: { stage } },
      this.opts.now(),
    );
    return result;
  }

  /** Step 2 for enrolled users: a TOTP code or an unused recovery code (consumed). */
  async secondFactor(session: ResolvedSession, code: string, clientAddress: string): Promise<StageResult> {
    if (session.stage !== 'pending_second_factor') throw stepNotExpected();
    const user = await this.user(session.userId);
    await this.guard(user.username, clientAddress, 'login.second_factor', user.id);
    const now = this.opts.now();
    let method: 'totp' | 'recovery_code' | undefined;
    if (looksLikeRecoveryCode(code)) {
      const r = await this.db
        .updateTable('recovery_code')
        .set({ used_at: now.toISOString() })
        .where('user_id', '=', user.id)
        .where('code_hash', '=', hashRecoveryCode(code))
        .where('used_at', 'is', null)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 1) method = 'recovery_code';
    } else if (user.totp_secret) {
      const step = verifyTotp(user.totp_secret, code, now, user.totp_last_step);
      if (step !== undefined && (await this.claimStep(user, step))) method = 'totp';
    }
    if (!method) {
      await this.failure(user.username, clientAddress, 'login.second_factor_failed', user.id, 'wrong_code');
      throw new AppError(
        'UNAUTHENTICATED',
        'Code nicht gültig',
        'Der Code ist falsch, abgelaufen oder wurde schon verwendet.',
      );
    }
    await clearFailures(this.db, accountSubject(user.username));
    const stage = stageAfterSecondFactor(user);
    const result = await this.rotate(session, user.id, stage, clientAddress);
    let remaining: number | null = null;
    if (method === 'recovery_code') {
      const row = await this.db
        .selectFrom('recovery_code')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .where('user_id', '=', user.id)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      remaining = Number(row?.n ?? 0);
    }
    await appendAudit(
      this.db,
      {
        action: 'login.second_factor_accepted',
        actorId: user.id,
        clientAddress,
        detail: { method, stage, ...(remaining !== null ? { recoveryCodesLeft: remaining } : {}) },
      },
      this.opts.now(),
    );
    return result;
  }

  /** Records the accepted time step; false when a concurrent request used the same code. */
  private async claimStep(user: UserRow, step: number): Promise<boolean> {
    let q = this.db.updateTable('app_user').set({ totp_last_step: step }).where('id', '=', user.id);
    q =
      user.totp_last_step === null
        ? q.where('totp_last_step', 'is', null)
        : q.where('totp_last_step', '=', user.totp_last_step);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Changes the password: the one-time password at first login / after a reset, or voluntarily. */
  async changePassword(
    session: ResolvedSession,
    input: { currentPassword: string; newPassword: string },
    clientAddress: string,
  ): Promise<StageResult> {
    if (session.stage !== 'pending_password_change' && session.stage !== 'active') throw stepNotExpected();
    const user = await this.user(session.userId);
    await this.guard(user.username, clientAddress, 'password_change', user.id);
    if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
      await this.failure(user.username, clientAddress, 'password_change.failed', user.id, 'wrong_password');
      throw validationFailed(
        [{ path: 'body/currentPassword', message: 'Das bisherige Passwort stimmt nicht.' }],
        'Das Passwort wurde nicht geändert.',
      );
    }
    const policy = checkPasswordPolicy(input.newPassword, { username: user.username });
    if (policy.length) throw validationFailed(policy, 'Das neue Passwort erfüllt die Regeln nicht.');
    if (input.newPassword === input.currentPassword) {
      throw validationFailed(
        [{ path: 'body/newPassword', message: 'Das neue Passwort muss sich vom bisherigen unterscheiden.' }],
        'Das Passwort wurde nicht geändert.',
      );
    }
    const now = this.opts.now();
    await this.db
      .updateTable('app_user')
      .set({
        password_hash: await hashPassword(input.newPassword),
        must_change_password: 0,
        updated_at: now.toISOString(),
      })
      .where('id', '=', user.id)
      .execute();
    // Sessions elsewhere (perhaps an attacker's) end with the old password.
    await endAllSessionsOf(this.db, user.id, now);
    const stage: SessionStage =
      session.stage === 'active' || isEnrolled(user) ? 'active' : 'pending_enrolment';
    const result = await this.rotate(null, user.id, stage, clientAddress);
    await appendAudit(
      this.db,
      { action: 'password.changed', actorId: user.id, clientAddress, detail: { stage } },
      now,
    );
    return result;
  }

  /** Starts (or restarts) TOTP enrolment: a fresh secret, not active until confirmed. */
  async startEnrolment(
    session: ResolvedSession,
    clientAddress: string,
  ): Promise<{ otpauthUrl: string; qrCodeDataUrl: string; secret: string }> {
    if (session.stage !== 'pending_enrolment') throw stepNotExpected();
    const user = await this.user(session.userId);
    if (isEnrolled(user)) throw stepNotExpected();
    const secret = newTotpSecret();
    const now = this.opts.now();
    await this.db
      .updateTable('app_user')
      .set({
        totp_secret: secret,
        totp_enrolled_at: null,
        totp_last_step: null,
        updated_at: now.toISOString(),
      })
      .where('id', '=', user.id)
      .execute();
    await appendAudit(this.db, { action: 'totp.enrolment_started', actorId: user.id, clientAddress }, now);
    return enrolmentMaterial(secret, user.username);
  }

  /** Confirms enrolment with a code from the app; returns ten one-time recovery codes (shown once). */
  async confirmEnrolment(
    session: ResolvedSession,
    code: string,
    clientAddress: string,
  ): Promise<StageResult & { recoveryCodes: string[] }> {
    if (session.stage !== 'pending_enrolment') throw stepNotExpected();
    const user = await this.user(session.userId);
    if (isEnrolled(user)) throw stepNotExpected();
    if (!user.totp_secret) {
      throw new AppError(
        'ACTION_NOT_ALLOWED',
        'Einrichtung nicht gestartet',
        'Bitte zuerst die Einrichtung des zweiten Faktors starten (QR-Code anzeigen).',
      );
    }
    await this.guard(user.username, clientAddress, 'totp.enrolment', user.id);
    const now = this.opts.now();
    const step = verifyTotp(user.totp_secret, code, now, null);
    if (step === undefined) {
      await this.failure(user.username, clientAddress, 'totp.enrolment_failed', user.id, 'wrong_code');
      throw validationFailed(
        [
          {
            path: 'body/code',
            message:
              'Der Code stimmt nicht. Bitte die Uhrzeit des Telefons prüfen und den aktuellen Code eingeben.',
          },
        ],
        'Der zweite Faktor wurde nicht eingerichtet.',
      );
    }
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => newRecoveryCode());
    const nowIso = now.toISOString();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('app_user')
        .set({ totp_enrolled_at: nowIso, totp_last_step: step, updated_at: nowIso })
        .where('id', '=', user.id)
        .execute();
      await trx.deleteFrom('recovery_code').where('user_id', '=', user.id).execute();
      await trx
        .insertInto('recovery_code')
        .values(
          codes.map((c) => ({
            id: newId(),
            user_id: user.id,
            code_hash: hashRecoveryCode(c),
            created_at: nowIso,
            used_at: null,
          })),
        )
        .execute();
      await appendAudit(trx, { action: 'totp.enrolled', actorId: user.id, clientAddress }, now);
    });
    await clearFailures(this.db, accountSubject(user.username));
    const stage: SessionStage = user.must_change_password ? 'pending_password_change' : 'active';
    const result = await this.rotate(session, user.id, stage, clientAddress);
    return { ...result, recoveryCodes: codes };
  }

  async logout(session: ResolvedSession, clientAddress: string): Promise<void> {
    const now = this.opts.now();
    await endSession(this.db, session.sessionId, now);
    await appendAudit(this.db, { action: 'logout', actorId: session.userId, clientAddress }, now);
  }
}
