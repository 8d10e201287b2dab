import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { verlustanzeigeDaten } from '../src/procedures/verlustanzeige/fixtures.js';
import { createTestContext, userWith } from '../test/harness.js';

/**
 * Counts the statements (round trips to PostgreSQL) one case create and one action issue, by
 * wrapping pg's Client#query. `npx tsx bench/pg-statements.ts` (TEST_DATABASE_URL as the tests).
 */
const seen: string[] = [];
const original = pg.Client.prototype.query;
let counting = false;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  if (counting) {
    const q = args[0] as string | { text: string };
    seen.push((typeof q === 'string' ? q : q.text).replace(/\s+/g, ' ').slice(0, 110));
  }
  return (original as (...a: unknown[]) => unknown).apply(this, args);
} as typeof original;

const ctx = await createTestContext('postgres');
try {
  const user = await userWith(ctx, [{ ags: '05970040', office: 'meldebehoerde' }]);
  const post = (url: string, payload: unknown) =>
    ctx.app.inject({
      method: 'POST',
      url,
      headers: { ...user.headers, 'idempotency-key': randomUUID() },
      payload: payload as object,
    });
  await post('/api/cases', {
    procedureId: 'verlustanzeige',
    authorityAgs: '05970040',
    data: verlustanzeigeDaten(),
  });
  counting = true;
  const created = await post('/api/cases', {
    procedureId: 'verlustanzeige',
    authorityAgs: '05970040',
    data: verlustanzeigeDaten(),
  });
  counting = false;
  process.stdout.write(`create (${created.statusCode}): ${seen.length} statements\n  ${seen.join('\n  ')}\n`);
  seen.length = 0;
  const id = created.json().id as string;
  counting = true;
  const acted = await post(`/api/cases/${id}/actions/berichtigen`, {
    expectedVersion: 1,
    payload: verlustanzeigeDaten({ verlust: { art: 'gestohlen', datum: '2026-11-20', ort: 'Siegen' } }),
  });
  counting = false;
  process.stdout.write(`action (${acted.statusCode}): ${seen.length} statements\n  ${seen.join('\n  ')}\n`);
} finally {
  await ctx.close();
}
