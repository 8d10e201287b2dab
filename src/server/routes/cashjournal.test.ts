import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createTestContext,
  describeEachDialect,
  type TestContext,
  type TestUser,
  userWith,
} from '../../../test/harness.js';

const SIEGEN = '05970040';
const OLPE = '05966024';

describeEachDialect('cash journal API', (dialect) => {
  let ctx: TestContext;
  let clerk: TestUser;
  let olpe: TestUser;
  const base = `/api/cashjournal/${SIEGEN}/kaemmerei`;

  const book = (user: TestUser | null, body: object, key: string = randomUUID()) =>
    ctx.app.inject({
      method: 'POST',
      url: `${base}/entries`,
      headers: { ...(user?.headers ?? {}), 'idempotency-key': key },
      payload: body,
    });

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    clerk = await userWith(ctx, [{ ags: SIEGEN, office: 'kaemmerei' }], { displayName: 'Karl Kasse' });
    olpe = await userWith(ctx, [{ ags: OLPE, office: 'kaemmerei' }]);
  });
  afterAll(() => ctx.close());

  it('numbers concurrent bookings without gaps and keeps the running balance right', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        book(clerk, { kind: 'einzahlung', amountCents: 100 * (i + 1), purpose: `Gebühr ${i}` }),
      ),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(12).fill(201));
    const seqs = results.map((r) => r.json().seq).sort((a: number, b: number) => a - b);
    expect(seqs).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    const day = (
      await ctx.app.inject({ method: 'GET', url: `${base}/days/today`, headers: clerk.headers })
    ).json();
    expect(day.totalInCents).toBe(7800);
    expect(day.closingBalanceCents).toBe(7800);
    // Each entry's balance is the previous balance plus its amount, in number order.
    let balance = 0;
    for (const e of day.entries) {
      balance += e.amountCents;
      expect(e.balanceAfterCents).toBe(balance);
    }
  });

  it('books once per Idempotency-Key', async () => {
    const key = randomUUID();
    const first = await book(clerk, { kind: 'einzahlung', amountCents: 500, purpose: 'Wiederholt' }, key);
    const again = await book(clerk, { kind: 'einzahlung', amountCents: 500, purpose: 'Wiederholt' }, key);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(first.json().id);
    const day = (
      await ctx.app.inject({ method: 'GET', url: `${base}/days/today`, headers: clerk.headers })
    ).json();
    expect(day.entries.filter((e: { purpose: string }) => e.purpose === 'Wiederholt')).toHaveLength(1);
  });

  it('reverses an entry with a counter-entry, once, and prints a receipt for it', async () => {
    const e = (
      await book(clerk, { kind: 'einzahlung', amountCents: 2280, purpose: 'Falsch gebucht' })
    ).json();
    const storno = (body: object) =>
      ctx.app.inject({
        method: 'POST',
        url: `${base}/entries/${e.id}/storno`,
        headers: { ...clerk.headers, 'idempotency-key': randomUUID() },
        payload: body,
      });
    const s = await storno({ grund: 'Betrag vertippt' });
    expect(s.statusCode).toBe(201);
    expect(s.json()).toMatchObject({ kind: 'storno', amountCents: -2280, reversesEntryId: e.id });
    expect(s.json().purpose).toBe(`Storno Nr. ${e.seq}: Betrag vertippt`);
    expect((await storno({ grund: 'noch einmal' })).statusCode).toBe(409);
    const sid = s.json().id;
    const ofStorno = await ctx.app.inject({
      method: 'POST',
      url: `${base}/entries/${sid}/storno`,
      headers: { ...clerk.headers, 'idempotency-key': randomUUID() },
      payload: { grund: 'x' },
    });
    expect(ofStorno.statusCode).toBe(409);
    const receipt = await ctx.app.inject({
      method: 'GET',
      url: `/api/cashjournal/entries/${sid}/receipt`,
      headers: clerk.headers,
    });
    expect(receipt.statusCode).toBe(200);
    expect(receipt.headers['content-type']).toBe('application/pdf');
  });

  it('refuses hostile input and changes nothing', async () => {
    const entries = async () =>
      Number(
        (
          await ctx.handle.db
            .selectFrom('cash_journal_entry')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await entries();
    for (const body of [
      { kind: 'einzahlung', amountCents: -5, purpose: 'x' },
      { kind: 'einzahlung', amountCents: 1e12, purpose: 'x' },
      { kind: 'einzahlung', amountCents: 5, purpose: '' },
      { kind: 'einzahlung', amountCents: 5, purpose: 'a\u0000b' },
      { kind: 'diebstahl', amountCents: 5, purpose: 'x' },
      { kind: 'einzahlung', amountCents: 5, purpose: 'x', balanceAfterCents: 0 },
    ]) {
      expect((await book(clerk, body)).statusCode, JSON.stringify(body)).toBe(400);
    }
    expect(await entries()).toBe(before);
    const bad = await ctx.app.inject({
      method: 'GET',
      url: `/api/cashjournal/${SIEGEN}/tresor/days/today`,
      headers: clerk.headers,
    });
    expect(bad.statusCode).toBe(400);
  });

  it('refuses other towns, other offices and anonymous requests on every cash route', async () => {
    const meldebehoerde = await userWith(ctx, [{ ags: SIEGEN, office: 'meldebehoerde' }]);
    for (const user of [olpe, meldebehoerde]) {
      expect((await book(user, { kind: 'einzahlung', amountCents: 5, purpose: 'x' })).statusCode).toBe(403);
      expect(
        (await ctx.app.inject({ method: 'GET', url: `${base}/days/today`, headers: user.headers }))
          .statusCode,
      ).toBe(403);
      expect(
        (
          await ctx.app.inject({
            method: 'GET',
            url: `${base}/days/2026-11-26/report`,
            headers: user.headers,
          })
        ).statusCode,
      ).toBe(403);
    }
    expect((await book(null, { kind: 'einzahlung', amountCents: 5, purpose: 'x' })).statusCode).toBe(401);
    expect((await ctx.app.inject({ method: 'GET', url: `${base}/days/today` })).statusCode).toBe(401);
  });
});
