import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createTestContext,
  describeEachDialect,
  type TestContext,
  type TestUser,
  userWith,
} from '../../../test/harness.js';
import { verlustanzeigeDaten } from '../../procedures/verlustanzeige/fixtures.js';

const SIEGEN = '05970040';
const KREUZTAL = '05970024';

describeEachDialect('case list', (dialect) => {
  let ctx: TestContext;
  let clerk: TestUser;
  const ids: Record<string, string> = {};

  const create = async (
    name: string,
    ags: string,
    day: string,
    extra: Parameters<typeof verlustanzeigeDaten>[0] = {},
  ) => {
    ctx.clock.now = new Date(`${day}T09:00:00Z`);
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: { ...clerk.headers, 'idempotency-key': randomUUID() },
      payload: {
        procedureId: 'verlustanzeige',
        authorityAgs: ags,
        data: verlustanzeigeDaten({
          person: { familienname: name },
          verlust: { art: 'verloren', datum: '2026-11-01', ort: 'Siegen' },
          ...extra,
        }),
      },
    });
    expect(res.statusCode).toBe(201);
    ids[name] = res.json().id;
    return res.json();
  };

  const search = async (body: object) => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/cases/search',
      headers: clerk.headers,
      payload: body,
    });
    expect(res.statusCode).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    clerk = await userWith(ctx, [
      { ags: SIEGEN, office: 'meldebehoerde' },
      { ags: KREUZTAL, office: 'meldebehoerde' },
    ]);
    // Deadline = next working day after recording.
    await create('Schäfer', SIEGEN, '2026-11-16'); // due 17 Nov: overdue on 26 Nov
    await create('Weiß', SIEGEN, '2026-11-25'); // due 26 Nov: due today
    await create('Öztürk', KREUZTAL, '2026-11-26'); // due 27 Nov: due soon
    const done = await create('Becker', SIEGEN, '2026-11-20');
    ctx.clock.now = new Date('2026-11-26T10:00:00Z');
    await ctx.app.inject({
      method: 'POST',
      url: `/api/cases/${done.id}/actions/bestaetigen`,
      headers: { ...clerk.headers, 'idempotency-key': randomUUID() },
      payload: { expectedVersion: 1 },
    });
  });
  afterAll(() => ctx.close());

  it('marks deadline states as overdue, due today and due soon, and none for closed cases', async () => {
    const { items } = await search({ sort: 'aktenzeichen', order: 'asc' });
    const state = Object.fromEntries(
      items.map((i: { summary: string; deadline: { state: string } | null }) => [
        i.summary.split(',')[0],
        i.deadline?.state ?? 'none',
      ]),
    );
    expect(state).toEqual({ Schäfer: 'overdue', Weiß: 'due_today', Öztürk: 'due_soon', Becker: 'none' });
  });

  it('filters by deadline state', async () => {
    expect((await search({ deadlineState: 'overdue' })).items.map((i: { id: string }) => i.id)).toEqual([
      ids.Schäfer,
    ]);
    expect((await search({ deadlineState: 'due_today' })).items.map((i: { id: string }) => i.id)).toEqual([
      ids.Weiß,
    ]);
    expect((await search({ deadlineState: 'due_soon' })).items.map((i: { id: string }) => i.id)).toEqual([
      ids.Öztürk,
    ]);
    expect((await search({ deadlineState: 'none' })).items.map((i: { id: string }) => i.id)).toEqual([
      ids.Becker,
    ]);
  });

  it('filters by status, authority and procedure', async () => {
    expect((await search({ status: 'bestaetigt' })).total).toBe(1);
    expect((await search({ authorityAgs: KREUZTAL })).items.map((i: { id: string }) => i.id)).toEqual([
      ids.Öztürk,
    ]);
    expect((await search({ procedureId: 'verlustanzeige' })).total).toBe(4);
    expect((await search({ procedureId: 'sterbefall' })).total).toBe(0);
  });

  it('lists only open or only closed cases on request', async () => {
    const open = await search({ open: true });
    expect(open.items.map((i: { id: string }) => i.id).sort()).toEqual(
      [ids.Schäfer, ids.Weiß, ids.Öztürk].sort(),
    );
    const closed = await search({ open: false });
    expect(closed.items.map((i: { id: string }) => i.id)).toEqual([ids.Becker]);
    expect((await search({})).total).toBe(4);
  });

  it('finds free text regardless of case and accents, and treats wildcards literally', async () => {
    expect((await search({ q: 'weiss' })).items.map((i: { id: string }) => i.id)).toEqual([ids.Weiß]);
    expect((await search({ q: 'OZTURK' })).items.map((i: { id: string }) => i.id)).toEqual([ids.Öztürk]);
    expect((await search({ q: 'schäfer jürgen' })).items.map((i: { id: string }) => i.id)).toEqual([
      ids.Schäfer,
    ]);
    expect((await search({ q: '%' })).total).toBe(0);
    expect((await search({ q: "' OR 1=1 --" })).total).toBe(0);
  });

  it('pages and sorts, overdue deadlines first when sorted by deadline', async () => {
    const page1 = await search({ pageSize: 2, page: 1, sort: 'created_at', order: 'asc' });
    const page2 = await search({ pageSize: 2, page: 2, sort: 'created_at', order: 'asc' });
    expect(page1.total).toBe(4);
    expect([...page1.items, ...page2.items].map((i: { id: string }) => i.id)).toEqual([
      ids.Schäfer,
      ids.Becker,
      ids.Weiß,
      ids.Öztürk,
    ]);
    const byDeadline = await search({ sort: 'deadline', order: 'asc' });
    expect(byDeadline.items.map((i: { id: string }) => i.id)).toEqual([
      ids.Schäfer,
      ids.Weiß,
      ids.Öztürk,
      ids.Becker,
    ]);
  });

  it('refuses bad list parameters with field errors', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/cases/search',
      headers: clerk.headers,
      payload: { pageSize: 1000, sort: 'password', extra: 1 },
    });
    expect(res.statusCode).toBe(400);
    const paths = res.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body/pageSize', 'body/sort']));
  });
});
