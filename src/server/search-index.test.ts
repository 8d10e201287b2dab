import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, describeEachDialect, type TestContext, userWith } from '../../test/harness.js';
import { recordVerlustanzeige, searchCases } from '../core/cases/test-helpers.js';
import { optimizeDue, searchIndexStep } from './search-index.js';

describe('nightly merge of the search index: when it is due', () => {
  // 8 Dec 2026 is winter time: German time = UTC + 1.
  it('is due within the configured German hour, once a day', () => {
    expect(optimizeDue(new Date('2026-12-08T02:10:00Z'), 3, null)).toBe(true);
    expect(optimizeDue(new Date('2026-12-08T02:50:00Z'), 3, '2026-12-08')).toBe(false);
    expect(optimizeDue(new Date('2026-12-09T02:05:00Z'), 3, '2026-12-08')).toBe(true);
    expect(optimizeDue(new Date('2026-12-08T03:00:00Z'), 3, null)).toBe(false); // 04:00 in Germany
    expect(optimizeDue(new Date('2026-07-08T01:30:00Z'), 3, null)).toBe(true); // summer: UTC + 2
  });
});

describeEachDialect('nightly merge of the search index', (dialect) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(dialect);
  });
  afterAll(() => ctx.close());

  it('merges the SQLite text index into one segment and finds the same cases afterwards', async () => {
    const clerk = await userWith(ctx, [{ ags: '05970040', office: 'meldebehoerde' }]);
    // Each case its own commit: each adds a segment to the text index.
    for (const name of ['Quellbrunn', 'Quellmann', 'Quellweg', 'Quellhof', 'Quellberg', 'Quellstein']) {
      await recordVerlustanzeige(ctx, clerk, '05970040', {
        person: { familienname: name, vornamen: 'Ida' },
        verlust: { art: 'verloren', datum: '2026-11-01', ort: 'Siegen' },
      });
    }
    const search = async () => (await searchCases(ctx, clerk, { q: 'quell' })).items.map((i) => i.id).sort();
    const before = await search();
    expect(before).toHaveLength(6);
    const dataRows = async () =>
      Number(
        (await sql<{ n: number }>`SELECT count(*) AS n FROM cases_fts_data`.execute(ctx.handle.db)).rows[0]
          ?.n,
      );
    const rowsBefore = dialect === 'sqlite' ? await dataRows() : 0;

    const logged: string[] = [];
    const log = { info: (_o: unknown, msg: string) => logged.push(msg) };
    const step = searchIndexStep({
      db: ctx.handle.db,
      now: () => new Date('2026-12-08T02:10:00Z'), // 03:10 in Germany
      hour: 3,
      log: log as never,
    });
    await step();
    await step(); // once a day

    if (dialect === 'sqlite') {
      expect(logged).toEqual(['Suchindex zusammengeführt']);
      expect(await dataRows()).toBeLessThan(rowsBefore);
    } else {
      expect(logged).toEqual([]); // PostgreSQL keeps its trigram index itself
    }
    expect(await search()).toEqual(before);
  });
});
