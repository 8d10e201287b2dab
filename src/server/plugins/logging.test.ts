import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { createTestContext, describeEachDialect, userWith } from '../../../test/harness.js';
import { verlustanzeigeDaten } from '../../procedures/verlustanzeige/fixtures.js';
import { buildApp } from '../app.js';

describeEachDialect('logging', (dialect) => {
  it('writes JSON log lines with request ids and without personal data', async () => {
    const ctx = await createTestContext(dialect);
    const lines: string[] = [];
    const app = await buildApp({
      config: { logLevel: 'info' },
      database: ctx.handle,
      now: () => ctx.clock.now,
      logStream: { write: (line) => lines.push(line) },
    });
    const clerk = await userWith(ctx, [{ ags: '05970040', office: 'meldebehoerde' }]);
    const data = verlustanzeigeDaten({ person: { familienname: 'Zwiebelhuber', vornamen: 'Hildegard' } });
    const created = await app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: { ...clerk.headers, 'idempotency-key': randomUUID() },
      payload: { procedureId: 'verlustanzeige', authorityAgs: '05970040', data },
    });
    expect(created.statusCode).toBe(201);
    await app.inject({
      method: 'POST',
      url: '/api/cases/search',
      headers: clerk.headers,
      payload: { q: 'Zwiebelhuber' },
    });
    // A refused write with personal data in it.
    await app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: { ...clerk.headers, 'idempotency-key': randomUUID() },
      payload: {
        procedureId: 'verlustanzeige',
        authorityAgs: '05970040',
        data: { ...data, dokument: { art: 'x', nummer: 'T220001294' } },
      },
    });
    await app.close();
    await ctx.close();

    expect(lines.length).toBeGreaterThan(3);
    const parsed = lines.map((l) => JSON.parse(l));
    const withReq = parsed.filter((p) => p.req);
    expect(withReq.length).toBeGreaterThan(0);
    for (const p of withReq) expect(p.reqId).toMatch(/^[0-9a-f-]{36}$/);
    const all = lines.join('\n');
    for (const secret of [
      'Zwiebelhuber',
      'Hildegard',
      'T22000129',
      clerk.headers.cookie.split('=')[1] ?? '',
      clerk.headers['x-csrf-token'],
    ]) {
      expect(all).not.toContain(secret);
    }
  });
});
