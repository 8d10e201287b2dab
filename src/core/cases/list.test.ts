import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createTestContext,
  describeEachDialect,
  type TestContext,
  type TestUser,
  userWith,
} from '../../../test/harness.js';
import type { verlustanzeigeDaten } from '../../procedures/verlustanzeige/fixtures.js';
import type { Principal } from '../access.js';
import { CaseService } from './service.js';
import { recordVerlustanzeige, searchCases } from './test-helpers.js';

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
    const created = await recordVerlustanzeige(ctx, clerk, ags, {
      person: { familienname: name },
      verlust: { art: 'verloren', datum: '2026-11-01', ort: 'Siegen' },
      ...extra,
    });
    ids[name] = created.id;
    return created;
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
    expect((await search({ q: '%%%' })).total).toBe(0);
    expect((await search({ q: 'we%' })).total).toBe(0);
    // Only one- or two-letter terms: no index can answer that, so it is refused with a hint.
    const short = await ctx.app.inject({
      method: 'POST',
      url: '/api/cases/search',
      headers: clerk.headers,
      payload: { q: '%' },
    });
    expect(short.statusCode).toBe(400);
    expect(short.json().errors).toEqual([
      { path: 'body/q', message: 'Suchbegriff zu kurz: bitte mindestens drei Zeichen eingeben.' },
    ]);
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

describeEachDialect('case list at region scale: keyset pages, bounded count, folding', (dialect) => {
  let ctx: TestContext;
  let clerk: TestUser;
  const byName: Record<string, { id: string; aktenzeichen: string }> = {};

  const create = async (name: string, day: string) => {
    ctx.clock.now = new Date(`${day}T09:00:00Z`);
    const { id, aktenzeichen } = await recordVerlustanzeige(ctx, clerk, SIEGEN, {
      person: { familienname: name, vornamen: 'Anna' },
      verlust: { art: 'verloren', datum: '2026-11-01', ort: 'Siegen' },
    });
    byName[name] = { id, aktenzeichen };
    ctx.clock.now = new Date('2026-11-26T10:00:00Z');
  };
  const search = async (body: object, status = 200) => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/cases/search',
      headers: clerk.headers,
      payload: body,
    });
    expect(res.statusCode).toBe(status);
    return res.json();
  };
  /** The clerk as a principal, for the service called directly (other limits than over HTTP). */
  const siegenClerk = (): Principal => ({
    userId: clerk.userId,
    username: 'clerk',
    displayName: 'Clerk',
    grants: [{ authorityAgs: SIEGEN, officeType: 'meldebehoerde', role: 'sachbearbeitung' }],
    isAdmin: false,
    isCrisisTeam: false,
  });
  const names = (items: Array<{ id: string }>) =>
    items.map((i) => Object.keys(byName).find((n) => byName[n]?.id === i.id));

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    clerk = await userWith(ctx, [{ ags: SIEGEN, office: 'meldebehoerde' }]);
    // Deadlines follow the recording day: one per day, so the deadline order is the day order.
    const days = ['2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05', '2026-11-06', '2026-11-09'];
    for (const [i, name] of ['Müller', 'Mueller', 'Muller', 'Möller', 'Moeller', 'Schmidt'].entries())
      await create(name, days[i] as string);
  });
  afterAll(() => ctx.close());

  it('finds Müller, Mueller and Muller with any of the three spellings, and not Möller', async () => {
    for (const q of ['Müller', 'mueller', 'MULLER']) {
      const { items } = await search({ q, sort: 'deadline', order: 'asc' });
      expect(names(items)).toEqual(['Müller', 'Mueller', 'Muller']);
    }
    expect(names((await search({ q: 'Möller' })).items).sort()).toEqual(['Moeller', 'Möller']);
  });

  it('finds a case by its whole Aktenzeichen, and by the number alone', async () => {
    const az = byName.Muller?.aktenzeichen as string;
    expect(names((await search({ q: az })).items)).toEqual(['Muller']);
    expect(names((await search({ q: az.toLowerCase() })).items)).toEqual(['Muller']);
    const number = az.split(' ')[1] as string;
    expect(names((await search({ q: number })).items)).toContain('Muller');
  });

  it('pages with the cursor through every case exactly once, stable when cases are added meanwhile', async () => {
    const first = await search({ pageSize: 2, sort: 'deadline', order: 'asc', open: true });
    expect(names(first.items)).toEqual(['Müller', 'Mueller']);
    expect(first.nextCursor).toEqual(expect.any(String));
    // A new case that sorts before everything (earliest deadline) must not shift the next pages.
    await create('Früher', '2026-11-01');
    const seen = [...names(first.items)];
    let cursor = first.nextCursor;
    while (cursor) {
      const next = await search({ pageSize: 2, sort: 'deadline', order: 'asc', open: true, cursor });
      seen.push(...names(next.items));
      cursor = next.nextCursor;
    }
    expect(seen).toEqual(['Müller', 'Mueller', 'Muller', 'Möller', 'Moeller', 'Schmidt']);
    // Newest first (by recording time), by the cursor as well.
    const byCreated = await search({ pageSize: 4, sort: 'created_at', order: 'desc' });
    const rest = await search({
      pageSize: 4,
      sort: 'created_at',
      order: 'desc',
      cursor: byCreated.nextCursor,
    });
    expect([...names(byCreated.items), ...names(rest.items)]).toEqual([
      'Schmidt',
      'Moeller',
      'Möller',
      'Muller',
      'Mueller',
      'Müller',
      'Früher',
    ]);
    expect(rest.nextCursor).toBeNull();
  });

  it('stops counting at the limit and says so', async () => {
    const service = new CaseService({
      db: ctx.handle.db,
      registry: ctx.app.services.registry,
      installationId: 'test',
      now: () => ctx.clock.now,
      countLimit: 3,
    });
    const principal = siegenClerk();
    const all = { page: 1, pageSize: 2, sort: 'deadline', order: 'asc' } as const;
    expect(await service.list(principal, all)).toMatchObject({ total: 3, totalCapped: true });
    expect(await service.list(principal, { ...all, q: 'muller' })).toMatchObject({
      total: 3,
      totalCapped: false,
    });
    expect(await service.list(principal, { ...all, q: 'moller' })).toMatchObject({
      total: 2,
      totalCapped: false,
    });
    // Over HTTP the limit is 10 000: these few are counted exactly.
    expect(await search({})).toMatchObject({ total: 7, totalCapped: false });
  });

  it('counts anew after every change of a case in the scope, also one made outside the app', async () => {
    const open = async () => (await search({ open: true })).total as number;
    const schmidt = async () => (await search({ q: 'schmidt' })).total as number;
    const before = await open();
    expect(await open()).toBe(before); // asked twice: the same count (SQLite keeps it)
    expect(await schmidt()).toBe(1);
    await create('Schmidtke', '2026-11-10');
    expect(await open()).toBe(before + 1);
    expect(await schmidt()).toBe(2);
    // Written around the application (an admin's SQL, a family's own statement): still seen.
    const id = byName.Schmidtke?.id as string;
    await sql`UPDATE cases SET is_open = 0, search_text = 'anders' WHERE id = ${id}`.execute(ctx.handle.db);
    expect(await open()).toBe(before);
    expect(await schmidt()).toBe(1);
    await sql`UPDATE cases SET is_open = 1, authority_ags = ${KREUZTAL} WHERE id = ${id}`.execute(
      ctx.handle.db,
    );
    expect(await open()).toBe(before); // moved to an authority the clerk has no grant for
    expect(await search({})).toMatchObject({ total: 7 });
  });

  it('finds free text in an office whose first case is recorded after an earlier search', async () => {
    const NETPHEN = '05970032';
    const both = await userWith(ctx, [
      { ags: SIEGEN, office: 'meldebehoerde' },
      { ags: NETPHEN, office: 'meldebehoerde' },
    ]);
    const find = (q: string) => searchCases(ctx, both, { q });
    expect((await find('wachtelberg')).total).toBe(0); // Netphen has no case yet
    ctx.clock.now = new Date('2026-11-12T09:00:00Z');
    await recordVerlustanzeige(ctx, both, NETPHEN, {
      person: { familienname: 'Wachtelberg', vornamen: 'Jonas' },
      verlust: { art: 'verloren', datum: '2026-11-01', ort: 'Netphen' },
    });
    ctx.clock.now = new Date('2026-11-26T10:00:00Z');
    const found = await find('wachtelberg');
    expect(found.total).toBe(1);
    expect(found.items.map((i) => i.authorityAgs)).toEqual([NETPHEN]);
  });

  it('gives the same pages whichever way a free-text page is read (joined, by match set, by text)', async () => {
    const principal = siegenClerk();
    const walk = async (textLimits: { join: number; set: number }, body: object) => {
      const service = new CaseService({
        db: ctx.handle.db,
        registry: ctx.app.services.registry,
        installationId: 'test',
        now: () => ctx.clock.now,
        textLimits,
      });
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        // Later pages as the web app asks for them: without counting again.
        const r = await service.list(principal, {
          page: 1,
          pageSize: 2,
          ...body,
          cursor,
          ...(cursor ? { count: false } : {}),
        } as never);
        seen.push(...r.items.map((i) => i.id));
        cursor = r.nextCursor ?? undefined;
      } while (cursor);
      return seen;
    };
    for (const body of [
      { q: 'anna', sort: 'deadline', order: 'asc' },
      { q: 'mull', sort: 'created_at', order: 'desc' },
      { q: 'anna', open: true, sort: 'deadline', order: 'desc' },
    ]) {
      const joined = await walk({ join: 1_000, set: 1_000 }, body);
      expect(joined.length).toBeGreaterThan(1);
      expect(await walk({ join: 0, set: 1_000 }, body)).toEqual(joined);
      expect(await walk({ join: 0, set: 0 }, body)).toEqual(joined);
    }
  });

  it('refuses a cursor of another sort order or a forged one, with a German message', async () => {
    const first = await search({ pageSize: 2, sort: 'deadline', order: 'asc' });
    const other = await search(
      { pageSize: 2, sort: 'created_at', order: 'asc', cursor: first.nextCursor },
      400,
    );
    expect(other.errors[0]).toMatchObject({ path: 'body/cursor' });
    expect(other.errors[0].message).toContain('Sortierung');
    const forged = await search({ cursor: 'nicht-base64-json' }, 400);
    expect(forged.errors[0].message).toContain('Weiterblättern');
  });
});
