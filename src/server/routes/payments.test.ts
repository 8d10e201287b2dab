import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createTestContext,
  describeEachDialect,
  type TestContext,
  type TestUser,
  userWith,
} from '../../../test/harness.js';
import { zuweisungDaten } from '../../procedures/asyl/fixtures.js';

/**
 * Four eyes on payment runs over HTTP (issue 13 point 3): no path lets one person both prepare and
 * approve a run — whatever roles the account holds (Amtsleitung, administrator, Sachbearbeitung
 * and Amtsleitung together) and whatever key a request is sent or replayed with. The run is an
 * AsylbLG case's payments (the family's PaymentSource); the core is tested in core/payments.
 */
const SIEGEN = '05970040';
const OFFICE = 'sozialamt';

describeEachDialect('payment runs over HTTP: four eyes for everyone, replays', (dialect) => {
  let ctx: TestContext;
  let clerk: TestUser;
  let both: TestUser;
  let admin: TestUser;
  let head: TestUser;
  let other: TestUser;

  const post = (user: TestUser, url: string, payload: object, key: string = randomUUID()) =>
    ctx.app.inject({ method: 'POST', url, headers: { ...user.headers, 'idempotency-key': key }, payload });
  const get = (user: TestUser, url: string) => ctx.app.inject({ method: 'GET', url, headers: user.headers });
  const prepare = (user: TestUser, key?: string) =>
    post(
      user,
      '/api/payment-runs',
      { authorityAgs: SIEGEN, officeType: OFFICE, month: '2026-12', executionDate: '2026-11-30' },
      key,
    );
  const files = async () =>
    Number(
      (
        await ctx.handle.db
          .selectFrom('payment_file')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    const at = (role: 'sachbearbeitung' | 'leitung') => ({ ags: SIEGEN, office: OFFICE, role }) as const;
    clerk = await userWith(ctx, [at('sachbearbeitung')]);
    both = await userWith(ctx, [at('sachbearbeitung'), at('leitung')], { displayName: 'Beide Rollen' });
    admin = await userWith(ctx, [at('leitung')], { displayName: 'Amtsleitung und Admin', isAdmin: true });
    head = await userWith(ctx, [at('leitung')], { displayName: 'Amtsleitung' });
    other = await userWith(ctx, [at('leitung')], { displayName: 'Zweite Person' });
    const account = await ctx.app.inject({
      method: 'PUT',
      url: `/api/payment-accounts/${SIEGEN}/${OFFICE}`,
      headers: { ...head.headers, 'idempotency-key': randomUUID() },
      payload: { name: 'Stadt Siegen', iban: 'DE02120300000000202051', town: 'Siegen', country: 'DE' },
    });
    expect(account.statusCode).toBe(200);
    const c = await post(clerk, '/api/cases', {
      procedureId: 'asyl_leistungen',
      authorityAgs: SIEGEN,
      data: zuweisungDaten(),
    });
    expect(c.statusCode).toBe(201);
    const decided = await post(clerk, `/api/cases/${c.json().id}/actions/bewilligen`, {
      expectedVersion: c.json().version,
      payload: { leistungsBeginn: '2026-11-02' },
    });
    expect(decided.statusCode).toBe(200);
  });
  afterAll(() => ctx.close());

  it('refuses the approval to the preparer whatever roles the account holds', async () => {
    for (const preparer of [both, admin, head]) {
      const run = await prepare(preparer);
      expect(run.statusCode).toBe(201);
      expect(run.json().mayApprove).toBe(false);
      const refused = await post(preparer, `/api/payment-runs/${run.json().id}/approval`, {});
      expect(refused.statusCode).toBe(409);
      expect(refused.json().title).toBe('Vier-Augen-Prinzip');
      const after = (await get(preparer, `/api/payment-runs/${run.json().id}`)).json();
      expect(after).toMatchObject({ status: 'vorbereitet', decidedBy: null, file: null });
      expect(
        (await post(preparer, `/api/payment-runs/${run.json().id}/discard`, { grund: 'Test' })).statusCode,
      ).toBe(200);
    }
    expect(await files()).toBe(0);
  });

  it('a replayed approval returns the first result once; nobody else, the preparer least, can replay it', async () => {
    const prepKey = randomUUID();
    const run = await prepare(both, prepKey);
    expect(run.statusCode).toBe(201);
    const id = run.json().id as string;
    // The preparer sends her own preparation key to the approval: refused, nothing changes.
    const ownKey = await post(both, `/api/payment-runs/${id}/approval`, {}, prepKey);
    expect(ownKey.statusCode).toBe(422);
    expect((await get(both, `/api/payment-runs/${id}`)).json().status).toBe('vorbereitet');

    const key = randomUUID();
    const first = await post(other, `/api/payment-runs/${id}/approval`, {}, key);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ status: 'freigegeben', decidedBy: other.userId });
    const replay = await post(other, `/api/payment-runs/${id}/approval`, {}, key);
    expect(replay.statusCode).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json().file.sha256).toBe(first.json().file.sha256);
    expect(await files()).toBe(1);

    // The preparer replaying the approver's request is refused and does not become the approver.
    const stolen = await post(both, `/api/payment-runs/${id}/approval`, {}, key);
    expect(stolen.statusCode).toBe(422);
    expect((await get(both, `/api/payment-runs/${id}`)).json().decidedBy).toBe(other.userId);
    // A second approval with a new key: the run is frozen.
    const again = await post(head, `/api/payment-runs/${id}/approval`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().title).toBe('Lauf nicht mehr offen');

    // The same file, the same SHA-256, on every download.
    const a = await get(clerk, `/api/payment-runs/${id}/file`);
    const b = await get(both, `/api/payment-runs/${id}/file`);
    expect(a.statusCode).toBe(200);
    expect(b.body).toBe(a.body);
    expect(a.headers['x-content-sha256']).toBe(first.json().file.sha256);
    expect(b.headers['x-content-sha256']).toBe(first.json().file.sha256);
  });
});
