import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startProcess } from '../bench/setup.js';
import { verifyAuditChain } from '../src/core/audit/log.js';
import { hashPassword } from '../src/core/auth/passwords.js';
import { FREE_FAILURES } from '../src/core/auth/throttle.js';
import { newTotpSecret, totpCode } from '../src/core/auth/totp.js';
import { seedDemoAuthorities } from '../src/core/authorities/seed.js';
import { newId } from '../src/core/ids.js';
import { type DatabaseHandle, openDatabase } from '../src/db/database.js';
import { verlustanzeigeDaten } from '../src/procedures/verlustanzeige/fixtures.js';
import { migrate } from '../src/server/platform.js';
import { createPgDatabase, DIALECTS, sessionUserIn, type TestUser } from './harness.js';

/**
 * Several app instances on one PostgreSQL database (issue 17, point 3): two real server processes
 * (A and B) share nothing but the database. What a region relies on when a load balancer sends a
 * clerk's requests to either: a login made on A is valid on B, the login throttle counts the
 * failures of both, Aktenzeichen stay unique and gapless under concurrent creates on both, and
 * every audit chain verifies after concurrent writes and reads on both.
 */

const SIEGEN = '05970040';
const OLPE = '05966024';
const PASSWORD = 'Kaffeemaschine im Flur 7';

function startApp(databaseUrl: string): Promise<ServerProcess> {
  return startProcess({
    args: ['--import', 'tsx', 'src/cli/main.ts', 'serve'],
    env: { DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', NODE_ENV: 'production' },
    readyPath: '/readyz',
  });
}

/** "name=value" of the session cookie a response set. */
function sessionCookie(res: Response): string {
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] as string)
    .find((c) => /^(__Host-)?nb_session=/.test(c));
  if (!cookie) throw new Error(`no session cookie (status ${res.status})`);
  return cookie;
}

async function post(url: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

const describePg = DIALECTS.includes('postgres') ? describe : describe.skip;

describePg('two app instances on one PostgreSQL database', () => {
  let handle: DatabaseHandle;
  let drop: () => Promise<void>;
  let a: ServerProcess;
  let b: ServerProcess;
  let account: { username: string; totpSecret: string; userId: string };
  let clerk: TestUser;

  beforeAll(async () => {
    const created = await createPgDatabase();
    drop = created.drop;
    handle = openDatabase({ databaseUrl: created.url, poolSize: 2 });
    await migrate(handle.db);
    await seedDemoAuthorities(handle.db, new Date());
    const userId = newId();
    const nowIso = new Date().toISOString();
    const totpSecret = newTotpSecret();
    const username = `mehrfach.${userId.slice(-8)}`;
    await handle.db
      .insertInto('app_user')
      .values({
        id: userId,
        username,
        display_name: 'Erika Beispiel',
        password_hash: await hashPassword(PASSWORD),
        must_change_password: 0,
        totp_secret: totpSecret,
        totp_enrolled_at: nowIso,
        totp_last_step: null,
        is_admin: 0,
        is_crisis_team: 0,
        disabled_at: null,
        created_at: nowIso,
        updated_at: nowIso,
      })
      .execute();
    await handle.db
      .insertInto('user_grant')
      .values({
        user_id: userId,
        authority_ags: SIEGEN,
        office_type: 'meldebehoerde',
        role: 'sachbearbeitung',
      })
      .execute();
    account = { username, totpSecret, userId };
    clerk = await sessionUserIn(handle, [
      { ags: SIEGEN, office: 'meldebehoerde' },
      { ags: OLPE, office: 'meldebehoerde' },
    ]);
    [a, b] = await Promise.all([startApp(created.url), startApp(created.url)]);
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await handle?.close();
    await drop?.();
  });

  it('accepts on B a login made on A (password on A, second factor on B), and a logout on B ends it on A', async () => {
    const first = await post(a.url, '/api/auth/login', { username: account.username, password: PASSWORD });
    expect(first.status).toBe(200);
    const pending = sessionCookie(first);
    const { csrfToken } = (await first.json()) as { csrfToken: string };
    const second = await post(
      b.url,
      '/api/auth/second-factor',
      { code: totpCode(account.totpSecret, new Date()) },
      { cookie: pending, 'x-csrf-token': csrfToken },
    );
    expect(second.status).toBe(200);
    const active = sessionCookie(second);
    const activeCsrf = ((await second.json()) as { csrfToken: string }).csrfToken;
    for (const server of [a, b]) {
      const me = await fetch(`${server.url}/api/session`, { headers: { cookie: active } });
      expect(me.status).toBe(200);
      expect(((await me.json()) as { user?: { id?: string } }).user?.id).toBe(account.userId);
    }
    const logout = await post(b.url, '/api/auth/logout', {}, { cookie: active, 'x-csrf-token': activeCsrf });
    expect(logout.status).toBeLessThan(300);
    const after = await fetch(`${a.url}/api/session`, { headers: { cookie: active } });
    expect(after.status).toBe(401);
  });

  it('counts failed logins on A and B together: after the free tries even the right password waits', async () => {
    const username = `niemand.${randomUUID().slice(0, 8)}`;
    for (let i = 0; i < FREE_FAILURES; i++) {
      const res = await post(i % 2 ? b.url : a.url, '/api/auth/login', {
        username,
        password: 'falsch falsch!',
      });
      expect(res.status, `Fehlversuch ${i + 1}`).toBe(401);
    }
    // The next try, on either instance, is refused before the password is checked.
    for (const server of [a, b]) {
      const res = await post(server.url, '/api/auth/login', { username, password: 'falsch falsch!' });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });

  it('numbers concurrent creates on A and B without duplicates or gaps, and every audit chain verifies', async () => {
    const perServer = 40;
    const body = (ags: string) => ({
      procedureId: 'verlustanzeige',
      authorityAgs: ags,
      data: verlustanzeigeDaten(),
    });
    const creates = Array.from({ length: perServer * 2 }, (_, i) => {
      const server = i % 2 ? b : a;
      const ags = i % 4 < 2 ? SIEGEN : OLPE;
      return post(server.url, '/api/cases', body(ags), {
        ...clerk.headers,
        'idempotency-key': randomUUID(),
      }).then(async (res) => ({
        status: res.status,
        json: (await res.json()) as { id: string; aktenzeichen: string },
        ags,
      }));
    });
    // Reads on both at the same time (their audit entries go to the same chains).
    const reads = Array.from({ length: 20 }, (_, i) =>
      post(i % 2 ? a.url : b.url, '/api/cases/search', { page: 1, pageSize: 5 }, clerk.headers).then(
        (r) => r.status,
      ),
    );
    const results = await Promise.all(creates);
    expect(results.map((r) => r.status)).toEqual(Array(perServer * 2).fill(201));
    expect(await Promise.all(reads)).toEqual(Array(20).fill(200));
    for (const ags of [SIEGEN, OLPE]) {
      const numbers = results
        .filter((r) => r.ags === ags)
        .map((r) => Number(/^VA (\d+)\//.exec(r.json.aktenzeichen)?.[1]))
        .sort((x, y) => x - y);
      expect(numbers).toEqual(Array.from({ length: perServer }, (_, i) => i + 1));
    }
    // Actions on both: each case moved once, from the instance that did not create it.
    const acted = await Promise.all(
      results.map((r, i) =>
        post(
          (i % 2 ? a : b).url,
          `/api/cases/${r.json.id}/actions/berichtigen`,
          { expectedVersion: 1, payload: verlustanzeigeDaten() },
          { ...clerk.headers, 'idempotency-key': randomUUID() },
        ).then((res) => res.status),
      ),
    );
    expect(acted).toEqual(Array(perServer * 2).fill(200));
    const v = await verifyAuditChain(handle.db);
    expect(v.ok).toBe(true);
    const byChain = Object.fromEntries(v.chains.map((c) => [c.chain, c.checked]));
    // The clerk has grants at two authorities: the reads go to the installation chain, the writes
    // to their case's authority (a create and an action per case).
    expect(byChain[SIEGEN]).toBe(perServer * 2);
    expect(byChain[OLPE]).toBe(perServer * 2);
  });
});
