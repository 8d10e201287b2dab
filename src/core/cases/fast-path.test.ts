import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createTestContext,
  describeEachDialect,
  type TestContext,
  type TestUser,
  userWith,
} from '../../../test/harness.js';
import { createVerlustanzeige } from '../../procedures/verlustanzeige/definition.js';
import { verlustanzeigeDaten } from '../../procedures/verlustanzeige/fixtures.js';
import { foldForSearch } from '../text.js';

/**
 * The case row, action and stored answer are the same whichever way a write is made: on
 * PostgreSQL a create or action without hook is one statement (fast-path.ts), whose Aktenzeichen,
 * search text and stored response are assembled in SQL; on SQLite the general path builds them in
 * JavaScript. Both must give what the procedure definition says.
 */
const SIEGEN = '05970040';

describeEachDialect('case writes: the stored rows and answers', (dialect) => {
  let ctx: TestContext;
  let clerk: TestUser;
  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    clerk = await userWith(ctx, [{ ags: SIEGEN, office: 'meldebehoerde' }]);
  });
  afterAll(() => ctx.close());

  it('stores Aktenzeichen, search text and the answer of a create as the definition says, and replays the same answer', async () => {
    const key = randomUUID();
    const data = verlustanzeigeDaten({ person: { familienname: 'Öztürk-Weiß' } });
    const create = () =>
      ctx.app.inject({
        method: 'POST',
        url: '/api/cases',
        headers: { ...clerk.headers, 'idempotency-key': key },
        payload: { procedureId: 'verlustanzeige', authorityAgs: SIEGEN, data },
      });
    const first = await create();
    expect(first.statusCode).toBe(201);
    const body = first.json();
    expect(body.aktenzeichen).toBe('VA 1/2026');
    const row = await ctx.handle.db
      .selectFrom('cases')
      .selectAll()
      .where('id', '=', body.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ aktenzeichen: 'VA 1/2026', seq: 1, year: 2026, version: 1 });
    const def = createVerlustanzeige({ today: () => '2026-11-26' });
    const expected = ['VA 1/2026', ...def.searchText(data)]
      .filter((s): s is string => typeof s === 'string' && s.length > 0)
      .map(foldForSearch)
      .join(' | ');
    expect(row.search_text).toBe(expected);
    expect(row.search_text).toContain('ozturk-weiss');
    const again = await create();
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(body);
  });

  it('stores an action and its answer, replays it after the case moved on, and refuses an outdated version', async () => {
    const created = await ctx.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: { ...clerk.headers, 'idempotency-key': randomUUID() },
      payload: { procedureId: 'verlustanzeige', authorityAgs: SIEGEN, data: verlustanzeigeDaten() },
    });
    const id = created.json().id as string;
    const key = randomUUID();
    const payload = verlustanzeigeDaten({
      verlust: { art: 'gestohlen', datum: '2026-11-20', ort: 'Kreuztal' },
    });
    const act = (k: string, expectedVersion: number) =>
      ctx.app.inject({
        method: 'POST',
        url: `/api/cases/${id}/actions/berichtigen`,
        headers: { ...clerk.headers, 'idempotency-key': k },
        payload: { expectedVersion, payload },
      });
    const first = await act(key, 1);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ version: 2 });
    expect((await act(randomUUID(), 2)).statusCode).toBe(200);
    // The first key again, although the case is at version 3 now: its own stored answer.
    const replay = await act(key, 1);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(first.json());
    const outdated = await act(randomUUID(), 1);
    expect(outdated.statusCode).toBe(409);
    const actions = await ctx.handle.db
      .selectFrom('case_action')
      .select(['seq', 'action'])
      .where('case_id', '=', id)
      .orderBy('seq')
      .execute();
    expect(actions.map((a) => [Number(a.seq), a.action])).toEqual([
      [1, 'erfassen'],
      [2, 'berichtigen'],
      [3, 'berichtigen'],
    ]);
    const row = await ctx.handle.db
      .selectFrom('cases')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.version).toBe(3);
    expect(row.search_text).toContain('kreuztal');
  });
});
