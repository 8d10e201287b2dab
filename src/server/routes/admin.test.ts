import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  accountWith,
  createTestContext,
  describeEachDialect,
  loginOverHttp,
  sessionCookieOf,
  type TestContext,
  type TestUser,
  userWith,
} from '../../../test/harness.js';

const SIEGEN = '05970040';
const KREIS_SI = '05970000';

describeEachDialect('account administration', (dialect) => {
  let ctx: TestContext;
  let admin: TestUser;
  let clerk: TestUser;
  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    admin = await userWith(ctx, [], { isAdmin: true });
    clerk = await userWith(ctx, [{ ags: SIEGEN, office: 'meldebehoerde', role: 'leitung' }]);
  });
  afterAll(() => ctx.close());

  const write = (user: TestUser, method: 'POST' | 'PUT', url: string, payload?: object, key = randomUUID()) =>
    ctx.app.inject({
      method,
      url,
      headers: { ...user.headers, 'idempotency-key': key },
      ...(payload ? { payload } : {}),
    });

  it('creates an account with a one-time password shown once; a replay does not show it again', async () => {
    const key = randomUUID();
    const body = {
      username: 'Sabine.Standesamt',
      displayName: 'Sabine Beispiel',
      grants: [{ authorityAgs: SIEGEN, officeType: 'standesamt', role: 'sachbearbeitung' }],
    };
    const res = await write(admin, 'POST', '/api/admin/users', body, key);
    expect(res.statusCode).toBe(201);
    expect(res.json().user).toMatchObject({
      username: 'sabine.standesamt',
      isAdmin: false,
      mustChangePassword: true,
      secondFactorEnrolled: false,
      disabled: false,
      grants: body.grants,
    });
    expect(res.json().oneTimePassword).toMatch(/^[A-Za-z0-9]{20}$/);
    const replay = await write(admin, 'POST', '/api/admin/users', body, key);
    expect(replay.statusCode).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json().oneTimePassword).toBeNull();
    expect(replay.json().user.id).toBe(res.json().user.id);
    // The password is nowhere in the database in clear.
    const stored = await ctx.handle.db.selectFrom('idempotency').select('response').execute();
    expect(JSON.stringify(stored)).not.toContain(res.json().oneTimePassword);

    const login = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'sabine.standesamt', password: res.json().oneTimePassword },
    });
    expect(login.json().stage).toBe('pending_password_change');
  });

  it('refuses bad input with German field messages and changes nothing', async () => {
    const dup = await write(admin, 'POST', '/api/admin/users', {
      username: 'sabine.standesamt',
      displayName: 'X',
    });
    expect(dup.statusCode).toBe(400);
    expect(dup.json().errors[0]).toEqual({
      path: 'body/username',
      message: 'Dieser Benutzername ist bereits vergeben.',
    });
    const wrongOffice = await write(admin, 'POST', '/api/admin/users', {
      username: 'kreis.standesamt',
      displayName: 'X',
      grants: [{ authorityAgs: KREIS_SI, officeType: 'standesamt', role: 'sachbearbeitung' }],
    });
    expect(wrongOffice.statusCode).toBe(400);
    expect(wrongOffice.json().errors[0].message).toContain('hat kein Amt');
    const badName = await write(admin, 'POST', '/api/admin/users', { username: 'a b', displayName: 'X' });
    expect(badName.statusCode).toBe(400);
    const crisis = await write(admin, 'POST', '/api/admin/users', {
      username: 'krisenstab.mit.rolle',
      displayName: 'K',
      isCrisisTeam: true,
      grants: [{ authorityAgs: SIEGEN, officeType: 'meldebehoerde', role: 'sachbearbeitung' }],
    });
    expect(crisis.statusCode).toBe(400);
    expect(crisis.json().errors[0].message).toContain('Krisenstab');
    const noKey = await ctx.app.inject({
      method: 'POST',
      url: '/api/admin/users',
      headers: admin.headers,
      payload: { username: 'ohne.schluessel', displayName: 'X' },
    });
    expect(noKey.statusCode).toBe(400);
    expect(noKey.json().code).toBe('IDEMPOTENCY_KEY_MISSING');
    const users = await ctx.app.inject({ method: 'GET', url: '/api/admin/users', headers: admin.headers });
    const names = users.json().items.map((u: { username: string }) => u.username);
    expect(names).not.toContain('kreis.standesamt');
    expect(names).not.toContain('krisenstab.mit.rolle');
    expect(names).not.toContain('ohne.schluessel');
  });

  it('refuses every admin route to non-administrators', async () => {
    const list = await ctx.app.inject({ method: 'GET', url: '/api/admin/users', headers: clerk.headers });
    expect(list.statusCode).toBe(403);
    expect(list.json().detail).toContain('Administration');
    const create = await write(clerk, 'POST', '/api/admin/users', {
      username: 'selbst.gemacht',
      displayName: 'X',
    });
    expect(create.statusCode).toBe(403);
    const grant = await write(clerk, 'PUT', `/api/admin/users/${clerk.userId}/grants`, {
      grants: [{ authorityAgs: SIEGEN, officeType: 'standesamt', role: 'leitung' }],
    });
    expect(grant.statusCode).toBe(403);
  });

  it('sets grants, which take effect on the next request', async () => {
    const acct = await accountWith(ctx, []);
    const user = await loginOverHttp(ctx, acct);
    const grants = [{ authorityAgs: SIEGEN, officeType: 'meldebehoerde', role: 'sachbearbeitung' }];
    const put = await write(admin, 'PUT', `/api/admin/users/${acct.userId}/grants`, { grants });
    expect(put.statusCode).toBe(200);
    expect(put.json().grants).toEqual(grants);
    const session = await ctx.app.inject({ method: 'GET', url: '/api/session', headers: user.headers });
    expect(session.json().user.grants).toEqual(grants);
    const missing = await write(admin, 'PUT', `/api/admin/users/${randomUUID()}/grants`, { grants: [] });
    expect(missing.statusCode).toBe(404);
  });

  it('ends sessions, disables and enables accounts; an admin cannot lock themself out', async () => {
    const acct = await accountWith(ctx, []);
    const u1 = await loginOverHttp(ctx, acct);
    const u2 = await loginOverHttp(ctx, acct);
    const end = await write(admin, 'POST', `/api/admin/users/${acct.userId}/end-sessions`);
    expect(end.statusCode).toBe(200);
    for (const u of [u1, u2]) {
      expect(
        (await ctx.app.inject({ method: 'GET', url: '/api/session', headers: u.headers })).statusCode,
      ).toBe(401);
    }
    const self = await write(admin, 'POST', `/api/admin/users/${admin.userId}/disable`);
    expect(self.statusCode).toBe(409);
    expect((await write(admin, 'POST', `/api/admin/users/${acct.userId}/disable`)).json().disabled).toBe(
      true,
    );
    const enable = await write(admin, 'POST', `/api/admin/users/${acct.userId}/enable`);
    expect(enable.json().disabled).toBe(false);
    await loginOverHttp(ctx, acct);
  });

  it('resets the second factor: the next login must enrol anew, old codes no longer work', async () => {
    const acct = await accountWith(ctx, []);
    const reset = await write(admin, 'POST', `/api/admin/users/${acct.userId}/reset-second-factor`);
    expect(reset.statusCode).toBe(200);
    expect(reset.json().secondFactorEnrolled).toBe(false);
    ctx.clock.now = new Date(ctx.clock.now.getTime() + 30_000);
    const login = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: acct.username, password: acct.password },
    });
    expect(login.json().stage).toBe('pending_enrolment');
    const sf = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/second-factor',
      headers: { cookie: sessionCookieOf(login) as string, 'x-csrf-token': login.json().csrfToken },
      payload: { code: '123456' },
    });
    expect(sf.statusCode).toBe(409);
  });
});
