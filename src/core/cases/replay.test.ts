import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createTestContext,
  describeEachDialect,
  type TestContext,
  type TestUser,
  userWith,
} from '../../../test/harness.js';
import { verlustanzeigeDaten } from '../../procedures/verlustanzeige/fixtures.js';
import { todayInGermany } from '../dates.js';
import { replay } from './replay.js';

/**
 * Property: whatever sequence of actions clerks attempt, in whatever order, with whatever retries
 * of the same idempotency key, every case's stored snapshot equals the replay of its stored
 * actions, each key produced at most one action, and versions count the actions without gaps.
 */
type Step =
  | { kind: 'act'; action: 'berichtigen' | 'bestaetigen' | 'stornieren'; stale: boolean; retries: number }
  | { kind: 'read' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('act' as const),
    action: fc.constantFrom('berichtigen' as const, 'bestaetigen' as const, 'stornieren' as const),
    stale: fc.boolean(),
    retries: fc.nat(2),
  }),
  fc.constant({ kind: 'read' as const }),
);

describeEachDialect('case snapshot and replay', (dialect) => {
  let ctx: TestContext;
  let clerk: TestUser;
  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    clerk = await userWith(ctx, [{ ags: '05970040', office: 'meldebehoerde' }]);
  });
  afterAll(() => ctx.close());

  it('keeps the snapshot equal to the replay of the actions under random actions and retries', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 8 }), async (steps) => {
        const created = await ctx.app.inject({
          method: 'POST',
          url: '/api/cases',
          headers: { ...clerk.headers, 'idempotency-key': randomUUID() },
          payload: { procedureId: 'verlustanzeige', authorityAgs: '05970040', data: verlustanzeigeDaten() },
        });
        expect(created.statusCode).toBe(201);
        const id: string = created.json().id;
        let version = 1;
        let accepted = 1;
        for (const step of steps) {
          if (step.kind === 'read') {
            const r = await ctx.app.inject({
              method: 'GET',
              url: `/api/cases/${id}`,
              headers: clerk.headers,
            });
            expect(r.json().version).toBe(version);
            continue;
          }
          const key = randomUUID();
          const payload =
            step.action === 'berichtigen'
              ? verlustanzeigeDaten({
                  verlust: { art: 'verloren', datum: `2026-11-1${version % 10}`, ort: `Ort ${version}` },
                })
              : step.action === 'stornieren'
                ? { grund: 'Dokument wiedergefunden' }
                : undefined;
          const body = {
            expectedVersion: step.stale ? version - 1 || 99 : version,
            ...(payload ? { payload } : {}),
          };
          const results = [];
          for (let i = 0; i <= step.retries; i++) {
            results.push(
              await ctx.app.inject({
                method: 'POST',
                url: `/api/cases/${id}/actions/${step.action}`,
                headers: { ...clerk.headers, 'idempotency-key': key },
                payload: body,
              }),
            );
          }
          const first = results[0];
          if (!first) throw new Error('no result');
          // Retries give the same answer as the first try.
          for (const r of results) {
            expect(r.statusCode).toBe(first.statusCode);
            if (first.statusCode === 200) expect(r.json().version).toBe(first.json().version);
          }
          if (first.statusCode === 200) {
            version = first.json().version;
            accepted++;
          } else {
            expect([409]).toContain(first.statusCode);
          }
        }
        const row = await ctx.handle.db
          .selectFrom('cases')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        const actions = await ctx.handle.db
          .selectFrom('case_action')
          .selectAll()
          .where('case_id', '=', id)
          .orderBy('seq')
          .execute();
        expect(actions.map((a) => a.seq)).toEqual(Array.from({ length: accepted }, (_, i) => i + 1));
        expect(new Set(actions.map((a) => a.idempotency_key)).size).toBe(actions.length);
        const def = ctx.app.services.registry.get('verlustanzeige');
        if (!def) throw new Error('no definition');
        const replayed = replay(
          def,
          actions.map((a) => ({
            action: a.action,
            payload: JSON.parse(a.payload),
            day: todayInGermany(new Date(a.created_at)),
          })),
        );
        expect(row.version).toBe(replayed.version);
        expect(row.status).toBe(replayed.status);
        expect(JSON.parse(row.data)).toEqual(replayed.data);
        expect(actions.at(-1)?.status_after).toBe(row.status);
      }),
      { numRuns: dialect === 'sqlite' ? 40 : 15 },
    );
  });

  it('creates one case when the same idempotency key arrives several times at once', async () => {
    const key = randomUUID();
    const body = { procedureId: 'verlustanzeige', authorityAgs: '05970040', data: verlustanzeigeDaten() };
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        ctx.app.inject({
          method: 'POST',
          url: '/api/cases',
          headers: { ...clerk.headers, 'idempotency-key': key },
          payload: body,
        }),
      ),
    );
    const ok = results.filter((r) => r.statusCode === 201);
    // Every request either got the one result or was told the first is still in progress.
    for (const r of results) expect([201, 409]).toContain(r.statusCode);
    expect(ok.length).toBeGreaterThan(0);
    expect(new Set(ok.map((r) => r.json().id)).size).toBe(1);
    const n = await ctx.handle.db
      .selectFrom('case_action')
      .select(ctx.handle.db.fn.countAll().as('n'))
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
    expect(Number(n?.n)).toBe(1);
  });
});
