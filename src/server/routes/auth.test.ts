import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accountWith,
  createTestContext,
  describeEachDialect,
  loginOverHttp,
  openTestDatabase,
  sessionCookieOf,
  type TestContext,
  userWith,
} from '../../../test/harness.js';
import { createAccount } from '../../core/auth/accounts.js';
import { totpCode } from '../../core/auth/totp.js';
import { buildApp } from '../app.js';

const SIEGEN = '05970040';
const NEW_PASSWORD = 'Wasserturm am Marktplatz 1907';

describeEachDialect('login ceremony', (dialect) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(dialect);
  });
  afterAll(() => ctx.close());

  const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
    ctx.app.inject({ method: 'POST', url, payload, headers });
  const tick = (ms = 30_000) => {
    ctx.clock.now = new Date(ctx.clock.now.getTime() + ms);
  };
  const withSession = (res: {
    cookies: Array<{ name: string; value: string }>;
    json: () => { csrfToken: string };
  }) => ({
    cookie: sessionCookieOf(res) as string,
    'x-csrf-token': res.json().csrfToken,
  });

  it('leads a new account from the one-time password through password change and TOTP enrolment to an active session', async () => {
    const { oneTimePassword } = await createAccount(
      ctx.handle.db,
      { username: 'clara.neu', displayName: 'Clara Neu', grants: [] },
      ctx.clock.now,
    );
    const login = await post('/api/auth/login', { username: 'Clara.Neu', password: oneTimePassword });
    expect(login.statusCode).toBe(200);
    expect(login.json().stage).toBe('pending_password_change');
    const setCookie = String(login.headers['set-cookie']);
    expect(setCookie).toMatch(/^nb_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).not.toContain('Secure');
    let h = withSession(login);

    // Pending: no access to the API yet.
    const early = await ctx.app.inject({ method: 'GET', url: '/api/procedures', headers: h });
    expect(early.statusCode).toBe(401);
    // Enrolment is not the step now.
    expect((await post('/api/auth/enrolment/start', {}, h)).statusCode).toBe(409);

    const short = await post(
      '/api/auth/password',
      { currentPassword: oneTimePassword, newPassword: 'kurz' },
      h,
    );
    expect(short.statusCode).toBe(400);
    expect(short.json().errors[0].message).toContain('mindestens 12 Zeichen');
    const common = await post(
      '/api/auth/password',
      { currentPassword: oneTimePassword, newPassword: 'password1234' },
      h,
    );
    expect(common.statusCode).toBe(400);
    expect(common.json().errors[0].message).toContain('häufig verwendeter');
    const commonDecorated = await post(
      '/api/auth/password',
      { currentPassword: oneTimePassword, newPassword: 'Fussball2026!!' },
      h,
    );
    expect(commonDecorated.statusCode).toBe(400);
    const wrongCurrent = await post(
      '/api/auth/password',
      { currentPassword: 'falsch-falsch-falsch', newPassword: NEW_PASSWORD },
      h,
    );
    expect(wrongCurrent.statusCode).toBe(400);
    expect(wrongCurrent.json().errors[0].path).toBe('body/currentPassword');

    const changed = await post(
      '/api/auth/password',
      { currentPassword: oneTimePassword, newPassword: NEW_PASSWORD },
      h,
    );
    expect(changed.statusCode).toBe(200);
    expect(changed.json().stage).toBe('pending_enrolment');
    const oldH = h;
    h = withSession(changed);
    expect(h.cookie).not.toBe(oldH.cookie);
    // The old token is dead after the stage change.
    expect((await ctx.app.inject({ method: 'GET', url: '/api/session', headers: oldH })).statusCode).toBe(
      401,
    );

    const start = await post('/api/auth/enrolment/start', {}, h);
    expect(start.statusCode).toBe(200);
    const { secret, otpauthUrl, qrCodeDataUrl } = start.json();
    expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\/Notbetrieb:clara\.neu\?/);
    expect(otpauthUrl).toContain(`secret=${secret}`);
    expect(qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);

    const wrong = await post('/api/auth/enrolment/confirm', { code: '000000' }, h);
    expect(wrong.statusCode).toBe(400);
    const confirm = await post('/api/auth/enrolment/confirm', { code: totpCode(secret, ctx.clock.now) }, h);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.json().stage).toBe('active');
    const codes: string[] = confirm.json().recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    // Stored hashed only.
    const stored = await ctx.handle.db.selectFrom('recovery_code').select('code_hash').execute();
    expect(stored.map((r) => r.code_hash)).not.toContain(codes[0]);
    h = withSession(confirm);

    const session = await ctx.app.inject({ method: 'GET', url: '/api/session', headers: h });
    expect(session.statusCode).toBe(200);
    expect(session.json()).toMatchObject({
      user: {
        username: 'clara.neu',
        displayName: 'Clara Neu',
        isAdmin: false,
        isCrisisTeam: false,
        grants: [],
      },
      stage: 'active',
    });
    expect(session.headers['cache-control']).toBe('no-store');

    // Next login: password alone is not enough.
    tick();
    const again = await post('/api/auth/login', { username: 'clara.neu', password: NEW_PASSWORD });
    expect(again.json().stage).toBe('pending_second_factor');
    const h2 = withSession(again);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/procedures', headers: h2 })).statusCode).toBe(
      401,
    );
    const bad = await post('/api/auth/second-factor', { code: '123456' }, h2);
    expect(bad.statusCode).toBe(401);
    expect(bad.json().code).toBe('UNAUTHENTICATED');
    const code = totpCode(secret, ctx.clock.now);
    const good = await post('/api/auth/second-factor', { code }, h2);
    expect(good.statusCode).toBe(200);
    expect(good.json().stage).toBe('active');
    const h3 = withSession(good);
    expect(h3.cookie).not.toBe(h2.cookie);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/procedures', headers: h3 })).statusCode).toBe(
      200,
    );

    // The same TOTP code does not work twice.
    const replay = await post('/api/auth/login', { username: 'clara.neu', password: NEW_PASSWORD });
    const replayed = await post('/api/auth/second-factor', { code }, withSession(replay));
    expect(replayed.statusCode).toBe(401);

    // A recovery code works once.
    tick();
    const r1 = await post('/api/auth/login', { username: 'clara.neu', password: NEW_PASSWORD });
    const rc = await post(
      '/api/auth/second-factor',
      { code: (codes[3] as string).toLowerCase() },
      withSession(r1),
    );
    expect(rc.statusCode).toBe(200);
    expect(rc.json().stage).toBe('active');
    const r2 = await post('/api/auth/login', { username: 'clara.neu', password: NEW_PASSWORD });
    const rcAgain = await post('/api/auth/second-factor', { code: codes[3] as string }, withSession(r2));
    expect(rcAgain.statusCode).toBe(401);
  });

  it('answers wrong passwords and unknown users with the same generic message and logs each failure', async () => {
    const acct = await accountWith(ctx, [], { username: 'bernd.falsch' });
    const wrong = await post('/api/auth/login', { username: acct.username, password: 'nicht das richtige' });
    const unknown = await post('/api/auth/login', {
      username: 'niemand.hier',
      password: 'nicht das richtige',
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().code).toBe('UNAUTHENTICATED');
    expect(unknown.json().detail).toBe(wrong.json().detail);
    expect(unknown.json().title).toBe(wrong.json().title);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const failures = await ctx.handle.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'login.failed')
      .execute();
    expect(failures.some((f) => f.actor_id === acct.userId && f.detail?.includes('wrong_password'))).toBe(
      true,
    );
    expect(failures.some((f) => f.actor_id === null && f.detail?.includes('unknown_user'))).toBe(true);
    // A NUL character is refused for every input before any lookup (no account can contain one).
    const nul = await post('/api/auth/login', { username: 'a\u0000b', password: 'nicht das richtige' });
    expect(nul.statusCode).toBe(400);
    expect(nul.json().detail).toBe('Die Anfrage enthält ein unzulässiges Nullzeichen.');
    // The typed user name is not written anywhere in clear.
    expect(JSON.stringify(failures)).not.toContain('niemand.hier');
  });

  it('slows down an attacker after ten failures in 15 minutes, with Retry-After, and lets the clerk in again later', async () => {
    tick(16 * 60_000); // earlier tests' failures from this address no longer count
    const acct = await accountWith(ctx, [], { username: 'ziel.konto' });
    for (let i = 0; i < 10; i++) {
      const r = await post('/api/auth/login', { username: acct.username, password: `falsch ${i}` });
      expect(r.statusCode).toBe(401);
    }
    const blocked = await post('/api/auth/login', { username: acct.username, password: acct.password });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().code).toBe('RATE_LIMITED');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.json().detail).toContain('Sekunden');
    // Even the right password is not checked while throttled.
    tick(31_000);
    const oneMore = await post('/api/auth/login', { username: acct.username, password: 'wieder falsch' });
    expect(oneMore.statusCode).toBe(401);
    const longer = await post('/api/auth/login', { username: acct.username, password: acct.password });
    expect(longer.statusCode).toBe(429);
    expect(Number(longer.headers['retry-after'])).toBeGreaterThan(30);
    // No permanent lockout: after the window the clerk logs in.
    tick(16 * 60_000);
    const user = await loginOverHttp(ctx, acct);
    expect(
      (await ctx.app.inject({ method: 'GET', url: '/api/session', headers: user.headers })).statusCode,
    ).toBe(200);
    const throttled = await ctx.handle.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'login.throttled')
      .execute();
    expect(throttled.length).toBeGreaterThanOrEqual(2);
  });

  it('throttles per client address across accounts', async () => {
    tick(60 * 60_000);
    for (let i = 0; i < 10; i++) {
      const r = await post('/api/auth/login', { username: `ratelos${i}`, password: 'egal egal egal' });
      expect(r.statusCode).toBe(401);
    }
    const r = await post('/api/auth/login', { username: 'noch.einer', password: 'egal egal egal' });
    expect(r.statusCode).toBe(429);
    tick(16 * 60_000);
  });

  it('ends sessions after 30 minutes idle and after 10 hours at most', async () => {
    tick(60 * 60_000);
    const acct = await accountWith(ctx, []);
    const u = await loginOverHttp(ctx, acct);
    const get = () => ctx.app.inject({ method: 'GET', url: '/api/session', headers: u.headers });
    tick(29 * 60_000);
    expect((await get()).statusCode).toBe(200);
    tick(29 * 60_000);
    expect((await get()).statusCode).toBe(200);
    tick(31 * 60_000);
    expect((await get()).statusCode).toBe(401);

    const u2 = await loginOverHttp(ctx, acct);
    for (let i = 0; i < 21; i++) {
      tick(29 * 60_000);
      const r = await ctx.app.inject({ method: 'GET', url: '/api/session', headers: u2.headers });
      if (i < 20) expect(r.statusCode).toBe(200);
      else expect(r.statusCode).toBe(401);
    }
  });

  it('gives an unfinished login 20 minutes at most', async () => {
    const acct = await accountWith(ctx, []);
    tick();
    const login = await post('/api/auth/login', { username: acct.username, password: acct.password });
    const h = withSession(login);
    tick(19 * 60_000);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/session', headers: h })).statusCode).toBe(200);
    tick(2 * 60_000);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/session', headers: h })).statusCode).toBe(401);
    const late = await post('/api/auth/second-factor', { code: totpCode(acct.totpSecret, ctx.clock.now) }, h);
    expect(late.statusCode).toBe(401);
  });

  it('logs out with 204 and the token is dead afterwards; state changes need the CSRF token', async () => {
    const acct = await accountWith(ctx, []);
    const u = await loginOverHttp(ctx, acct);
    const noCsrf = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie: u.headers.cookie },
    });
    expect(noCsrf.statusCode).toBe(403);
    const wrongCsrf = await ctx.app.inject({
      method: 'POST',
      url: '/api/cases/search',
      headers: {
        cookie: u.headers.cookie,
        'x-csrf-token': `${u.headers['x-csrf-token'].slice(0, -1)}${u.headers['x-csrf-token'].endsWith('A') ? 'B' : 'A'}`,
      },
      payload: {},
    });
    expect(wrongCsrf.statusCode).toBe(403);
    expect(wrongCsrf.json().title).toBe('Sicherheitsprüfung fehlgeschlagen');
    const out = await ctx.app.inject({ method: 'POST', url: '/api/auth/logout', headers: u.headers });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toContain('nb_session=;');
    expect(
      (await ctx.app.inject({ method: 'GET', url: '/api/session', headers: u.headers })).statusCode,
    ).toBe(401);
  });

  it('a password reset by an admin keeps the second factor and forces a new password', async () => {
    const admin = await userWith(ctx, [], { isAdmin: true });
    const acct = await accountWith(ctx, [{ ags: SIEGEN, office: 'meldebehoerde' }]);
    const reset = await ctx.app.inject({
      method: 'POST',
      url: `/api/admin/users/${acct.userId}/reset-password`,
      headers: { ...admin.headers, 'idempotency-key': randomUUID() },
    });
    expect(reset.statusCode).toBe(200);
    const otp = reset.json().oneTimePassword as string;
    expect(otp).toHaveLength(20);
    tick();
    const login = await post('/api/auth/login', { username: acct.username, password: otp });
    expect(login.json().stage).toBe('pending_second_factor');
    // Skipping the second factor: password change is not the step yet.
    const skip = await post(
      '/api/auth/password',
      { currentPassword: otp, newPassword: NEW_PASSWORD },
      withSession(login),
    );
    expect(skip.statusCode).toBe(409);
    const sf = await post(
      '/api/auth/second-factor',
      { code: totpCode(acct.totpSecret, ctx.clock.now) },
      withSession(login),
    );
    expect(sf.json().stage).toBe('pending_password_change');
    const blocked = await ctx.app.inject({ method: 'GET', url: '/api/procedures', headers: withSession(sf) });
    expect(blocked.statusCode).toBe(401);
    const done = await post(
      '/api/auth/password',
      { currentPassword: otp, newPassword: NEW_PASSWORD },
      withSession(sf),
    );
    expect(done.json().stage).toBe('active');
  });

  it('refuses a disabled account with the generic message and ends its sessions', async () => {
    const admin = await userWith(ctx, [], { isAdmin: true });
    const acct = await accountWith(ctx, []);
    const u = await loginOverHttp(ctx, acct);
    const dis = await ctx.app.inject({
      method: 'POST',
      url: `/api/admin/users/${acct.userId}/disable`,
      headers: { ...admin.headers, 'idempotency-key': randomUUID() },
    });
    expect(dis.statusCode).toBe(200);
    expect(dis.json().disabled).toBe(true);
    expect(
      (await ctx.app.inject({ method: 'GET', url: '/api/session', headers: u.headers })).statusCode,
    ).toBe(401);
    const open = await ctx.handle.db
      .selectFrom('session')
      .select('id')
      .where('user_id', '=', acct.userId)
      .where('ended_at', 'is', null)
      .execute();
    expect(open).toHaveLength(0);
    const login = await post('/api/auth/login', { username: acct.username, password: acct.password });
    expect(login.statusCode).toBe(401);
    expect(login.json().detail).toBe('Benutzername oder Passwort ist falsch, oder das Konto ist gesperrt.');
  });
});

describe('session cookie over TLS', () => {
  it('is Secure with the __Host- prefix', async () => {
    const { handle, cleanup } = await openTestDatabase('sqlite');
    const app = await buildApp({ config: { logLevel: 'silent' }, database: handle, tls: true });
    try {
      const { oneTimePassword } = await createAccount(
        handle.db,
        { username: 'tls.test', displayName: 'T' },
        new Date(),
      );
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'tls.test', password: oneTimePassword },
      });
      expect(res.statusCode).toBe(200);
      const c = String(res.headers['set-cookie']);
      expect(c).toMatch(/^__Host-nb_session=/);
      expect(c).toContain('Secure');
      expect(c).toContain('HttpOnly');
      expect(c).toContain('SameSite=Strict');
      expect(c).toContain('Path=/');
      expect(res.headers['strict-transport-security']).toBeDefined();
      const s = await app.inject({
        method: 'GET',
        url: '/api/session',
        headers: { cookie: c.split(';')[0] as string },
      });
      expect(s.statusCode).toBe(200);
    } finally {
      await app.close();
      await cleanup();
    }
  });
});
