import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { describe } from 'vitest';
import type { Grant, Role } from '../src/core/access.js';
import { hashPassword } from '../src/core/auth/passwords.js';
import { createSession } from '../src/core/auth/sessions.js';
import { newTotpSecret, totpCode } from '../src/core/auth/totp.js';
import { seedDemoAuthorities } from '../src/core/authorities/seed.js';
import { newId } from '../src/core/ids.js';
import type { OfficeType } from '../src/core/offices.js';
import { type DatabaseHandle, type DialectName, openDatabase } from '../src/db/database.js';
import { type AppServices, buildApp } from '../src/server/app.js';
import { migrate } from '../src/server/platform.js';

/**
 * Both-dialect test harness. Every DB-touching test runs on SQLite and on PostgreSQL. PostgreSQL
 * comes from TEST_DATABASE_URL (default: the local server); each test context gets its own fresh
 * database. Locally an unreachable PostgreSQL skips its half with a visible message; under CI
 * (CI=true) it fails.
 */
export const PG_ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const IS_CI = process.env.CI === 'true';

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

const pgAvailable = await postgresReachable();
if (!pgAvailable) {
  const msg = `PostgreSQL unter ${PG_ADMIN_URL} nicht erreichbar`;
  if (IS_CI) throw new Error(`${msg}: unter CI müssen die PostgreSQL-Tests laufen.`);
  console.warn(`\n⚠  ${msg} – PostgreSQL-Tests werden übersprungen.\n`);
}

export const DIALECTS: DialectName[] = ['sqlite', 'postgres'];

/** Runs a describe block once per dialect. */
export function describeEachDialect(title: string, fn: (dialect: DialectName) => void): void {
  for (const dialect of DIALECTS) {
    const d = dialect === 'postgres' && !pgAvailable ? describe.skip : describe;
    d(`${title} [${dialect}]`, () => fn(dialect));
  }
}

/** A fresh PostgreSQL database; returns its URL and a function that drops it. */
export async function createPgDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `nb_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A migrated, empty database of the given dialect. */
export async function openTestDatabase(
  dialect: DialectName,
): Promise<{ handle: DatabaseHandle; cleanup: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    // A real file, as in production: WAL, the separate reading connection, fsync on commit.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'notbetrieb-test-'));
    const handle = openDatabase({ sqliteFile: path.join(dir, 'notbetrieb.sqlite') });
    await migrate(handle.db);
    return {
      handle,
      cleanup: async () => {
        await handle.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const { url, drop } = await createPgDatabase();
  const handle = openDatabase({ databaseUrl: url, poolSize: 5 });
  await migrate(handle.db);
  return {
    handle,
    cleanup: async () => {
      await handle.close();
      await drop();
    },
  };
}

export interface TestContext {
  dialect: DialectName;
  app: FastifyInstance & { services: AppServices };
  handle: DatabaseHandle;
  /** The clock the app sees; tests may move it. */
  clock: { now: Date };
  close: () => Promise<void>;
}

/** A migrated database with the demo authorities, and an app on it with a settable clock. */
export async function createTestContext(
  dialect: DialectName,
  start = new Date('2026-11-26T10:00:00Z'),
): Promise<TestContext> {
  const { handle, cleanup } = await openTestDatabase(dialect);
  const clock = { now: start };
  await seedDemoAuthorities(handle.db, clock.now);
  const app = await buildApp({ config: { logLevel: 'silent' }, database: handle, now: () => clock.now });
  await app.ready();
  return {
    dialect,
    app,
    handle,
    clock,
    close: async () => {
      await app.close();
      await cleanup();
    },
  };
}

export interface TestUser {
  userId: string;
  headers: { cookie: string; 'x-csrf-token': string };
}

/**
 * A user with the given grants and an active session (password and second factor already passed).
 * The login ceremony itself is tested in the auth tests; this only saves each test the ceremony.
 */
export async function userWith(
  ctx: TestContext,
  grants: Array<{ ags: string; office: OfficeType; role?: Role }>,
  opts: { displayName?: string; isAdmin?: boolean } = {},
): Promise<TestUser> {
  return sessionUserIn(ctx.handle, grants, { ...opts, now: ctx.clock.now });
}

/**
 * Like userWith, on a bare database handle (no app): for tests and benchmarks that start their
 * own server processes against a database they prepared.
 */
export async function sessionUserIn(
  handle: DatabaseHandle,
  grants: Array<{ ags: string; office: OfficeType; role?: Role }>,
  opts: { displayName?: string; isAdmin?: boolean; now?: Date } = {},
): Promise<TestUser> {
  const now = opts.now ?? new Date();
  const userId = newId();
  const nowIso = now.toISOString();
  await handle.db
    .insertInto('app_user')
    .values({
      id: userId,
      username: `u${userId.slice(-12)}`,
      display_name: opts.displayName ?? 'Erika Beispiel',
      password_hash: '!unusable',
      must_change_password: 0,
      totp_secret: null,
      totp_enrolled_at: nowIso,
      is_admin: opts.isAdmin ? 1 : 0,
      is_crisis_team: 0,
      disabled_at: null,
      created_at: nowIso,
      updated_at: nowIso,
    })
    .execute();
  const rows: Array<{ user_id: string; authority_ags: string; office_type: string; role: string }> = grants
    .map((g): Grant & { user_id: string } => ({
      user_id: userId,
      authorityAgs: g.ags,
      officeType: g.office,
      role: g.role ?? 'sachbearbeitung',
    }))
    .map((g) => ({
      user_id: g.user_id,
      authority_ags: g.authorityAgs,
      office_type: g.officeType,
      role: g.role,
    }));
  if (rows.length) await handle.db.insertInto('user_grant').values(rows).execute();
  const s = await createSession(handle.db, {
    userId,
    stage: 'active',
    clientAddress: '127.0.0.1',
    now,
  });
  return { userId, headers: { cookie: `nb_session=${s.token}`, 'x-csrf-token': s.csrfToken } };
}

/** A real account: argon2id password and an enrolled TOTP secret, for tests of the login ceremony. */
export interface AccountCredentials {
  userId: string;
  username: string;
  password: string;
  totpSecret: string;
}

export async function accountWith(
  ctx: TestContext,
  grants: Array<{ ags: string; office: OfficeType; role?: Role }>,
  opts: { username?: string; isAdmin?: boolean; isCrisisTeam?: boolean } = {},
): Promise<AccountCredentials> {
  const userId = newId();
  const username = opts.username ?? `konto.${userId.slice(-8)}`;
  const password = 'Kaffeemaschine im Flur 7';
  const totpSecret = newTotpSecret();
  const nowIso = ctx.clock.now.toISOString();
  await ctx.handle.db
    .insertInto('app_user')
    .values({
      id: userId,
      username,
      display_name: 'Erika Beispiel',
      password_hash: await hashPassword(password),
      must_change_password: 0,
      totp_secret: totpSecret,
      totp_enrolled_at: nowIso,
      totp_last_step: null,
      is_admin: opts.isAdmin ? 1 : 0,
      is_crisis_team: opts.isCrisisTeam ? 1 : 0,
      disabled_at: null,
      created_at: nowIso,
      updated_at: nowIso,
    })
    .execute();
  if (grants.length) {
    await ctx.handle.db
      .insertInto('user_grant')
      .values(
        grants.map((g) => ({
          user_id: userId,
          authority_ags: g.ags,
          office_type: g.office,
          role: g.role ?? 'sachbearbeitung',
        })),
      )
      .execute();
  }
  return { userId, username, password, totpSecret };
}

/** The session cookie pair ("name=value") from a response, if it set one. */
export function sessionCookieOf(res: {
  cookies: Array<{ name: string; value: string }>;
}): string | undefined {
  const c = res.cookies.find((k) => k.name === 'nb_session' || k.name === '__Host-nb_session');
  return c ? `${c.name}=${c.value}` : undefined;
}

/**
 * The full login ceremony over HTTP: password, then the TOTP code computed from the secret.
 * Moves ctx.clock 30 s forward first, so that every ceremony gets a fresh TOTP time step (a code
 * is accepted once only).
 */
export async function loginOverHttp(ctx: TestContext, account: AccountCredentials): Promise<TestUser> {
  ctx.clock.now = new Date(ctx.clock.now.getTime() + 30_000);
  const first = await ctx.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: account.username, password: account.password },
  });
  if (first.statusCode !== 200) throw new Error(`login failed: ${first.statusCode} ${first.body}`);
  const cookie = sessionCookieOf(first) as string;
  const second = await ctx.app.inject({
    method: 'POST',
    url: '/api/auth/second-factor',
    headers: { cookie, 'x-csrf-token': first.json().csrfToken },
    payload: { code: totpCode(account.totpSecret, ctx.clock.now) },
  });
  if (second.statusCode !== 200 || second.json().stage !== 'active') {
    throw new Error(`second factor failed: ${second.statusCode} ${second.body}`);
  }
  return {
    userId: account.userId,
    headers: { cookie: sessionCookieOf(second) as string, 'x-csrf-token': second.json().csrfToken },
  };
}
