import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { precompiled } from '../../db/precompiled.js';
import type { Database } from '../../db/types.js';
import type { Grant, Principal, Role } from '../access.js';
import { newId } from '../ids.js';
import { isOfficeType } from '../offices.js';

/** Idle timeout and absolute lifetime of a session (issue: 30 min idle, 10 h absolute). */
export const SESSION_IDLE_MS = 30 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 10 * 60 * 60 * 1000;
/** A login that is not finished (password done, second factor etc. pending) lives 20 min at most. */
export const PENDING_SESSION_ABSOLUTE_MS = 20 * 60 * 1000;

export type SessionStage =
  | 'pending_second_factor'
  | 'pending_enrolment'
  | 'pending_password_change'
  | 'active';

export interface ResolvedSession {
  sessionId: string;
  userId: string;
  stage: SessionStage;
  csrfToken: string;
  /** The account behind the session, as read with it. */
  account: { username: string; displayName: string; isAdmin: boolean; isCrisisTeam: boolean };
  /** The account's grants, read in the same query (every request: a revoked grant counts at once). */
  grants: ReadonlyArray<{ authority_ags: string; office_type: string; role: string }>;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A random 256-bit token for the cookie; only its hash is stored. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export async function createSession(
  db: Kysely<Database>,
  opts: { userId: string; stage: SessionStage; clientAddress: string; now: Date },
): Promise<{ token: string; sessionId: string; csrfToken: string }> {
  const token = newToken();
  const csrfToken = newToken();
  const sessionId = newId();
  const nowIso = opts.now.toISOString();
  await db
    .insertInto('session')
    .values({
      id: sessionId,
      token_hash: hashToken(token),
      user_id: opts.userId,
      csrf_token: csrfToken,
      stage: opts.stage,
      created_at: nowIso,
      last_seen_at: nowIso,
      expires_at: new Date(
        opts.now.getTime() + (opts.stage === 'active' ? SESSION_ABSOLUTE_MS : PENDING_SESSION_ABSOLUTE_MS),
      ).toISOString(),
      ended_at: null,
      client_address: opts.clientAddress,
    })
    .execute();
  return { token, sessionId, csrfToken };
}

// Hot path (every request): built once, see src/db/precompiled.ts. One row per grant of the
// account (one row with empty grant columns for an account without any): session, account and
// permissions in one round trip.
const sessionByTokenHash = precompiled((db, p) =>
  db
    .selectFrom('session')
    .innerJoin('app_user', 'app_user.id', 'session.user_id')
    .leftJoin('user_grant', 'user_grant.user_id', 'session.user_id')
    .select([
      'user_grant.authority_ags',
      'user_grant.office_type',
      'user_grant.role',
      'session.id',
      'session.user_id',
      'session.stage',
      'session.csrf_token',
      'session.last_seen_at',
      'session.expires_at',
      'session.ended_at',
      'app_user.disabled_at',
      'app_user.username',
      'app_user.display_name',
      'app_user.is_admin',
      'app_user.is_crisis_team',
    ])
    .where('session.token_hash', '=', p<string>('tokenHash')),
);
const touchSession = precompiled((db, p) =>
  db
    .updateTable('session')
    .set({ last_seen_at: p<string>('now') })
    .where('id', '=', p<string>('id')),
);

/**
 * Finds the live session for a cookie token and extends its idle window. Returns undefined for an
 * unknown, ended, idle-expired or absolutely expired session, or a disabled account. The account's
 * name and flags come with it (one query), for the principal of the request.
 */
export async function resolveSession(
  db: Kysely<Database>,
  token: string,
  now: Date,
): Promise<ResolvedSession | undefined> {
  const rows = await sessionByTokenHash.rows(db, { tokenHash: hashToken(token) });
  const row = rows[0];
  if (!row || row.ended_at || row.disabled_at) return undefined;
  const nowMs = now.getTime();
  if (Date.parse(row.expires_at) <= nowMs) return undefined;
  if (Date.parse(row.last_seen_at) + SESSION_IDLE_MS <= nowMs) return undefined;
  // Touch at most once a minute: keeps write load low under many reads.
  if (nowMs - Date.parse(row.last_seen_at) > 60_000) {
    await touchSession.affected(db, { now: now.toISOString(), id: row.id });
  }
  return {
    sessionId: row.id,
    userId: row.user_id,
    stage: row.stage as SessionStage,
    csrfToken: row.csrf_token,
    account: {
      username: row.username,
      displayName: row.display_name,
      isAdmin: row.is_admin === 1,
      isCrisisTeam: row.is_crisis_team === 1,
    },
    grants: rows.flatMap((r) =>
      r.authority_ags !== null && r.office_type !== null && r.role !== null
        ? [{ authority_ags: r.authority_ags, office_type: r.office_type, role: r.role }]
        : [],
    ),
  };
}

/**
 * The principal of a live session (from resolveSession, which has just checked that the account
 * is enabled and read its grants with the session, anew on every request so that a revoked grant
 * takes effect at once).
 */
export function principalOfSession(session: ResolvedSession): Principal {
  return principalFrom(session.userId, session.account, session.grants);
}

function principalFrom(
  userId: string,
  account: ResolvedSession['account'],
  grants: ReadonlyArray<{ authority_ags: string; office_type: string; role: string }>,
): Principal {
  return {
    userId,
    username: account.username,
    displayName: account.displayName,
    isAdmin: account.isAdmin,
    isCrisisTeam: account.isCrisisTeam,
    // Crisis team: aggregate figures only, never an office role (no personal data), whatever the table says.
    grants: grants
      .filter((g) => !account.isCrisisTeam && isOfficeType(g.office_type))
      .map(
        (g): Grant => ({
          authorityAgs: g.authority_ags,
          officeType: g.office_type as Grant['officeType'],
          role: g.role as Role,
        }),
      ),
  };
}

export async function endSession(db: Kysely<Database>, sessionId: string, now: Date): Promise<void> {
  await db
    .updateTable('session')
    .set({ ended_at: now.toISOString() })
    .where('id', '=', sessionId)
    .where('ended_at', 'is', null)
    .execute();
}

export async function endAllSessionsOf(db: Kysely<Database>, userId: string, now: Date): Promise<number> {
  const r = await db
    .updateTable('session')
    .set({ ended_at: now.toISOString() })
    .where('user_id', '=', userId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
