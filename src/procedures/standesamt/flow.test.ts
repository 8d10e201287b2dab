import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createTestContext,
  describeEachDialect,
  type TestContext,
  type TestUser,
  userWith,
} from '../../../test/harness.js';
import { runHandoverAcknowledge, runHandoverExport } from '../../cli/handover.js';
import { sterbefallDaten } from './fixtures.js';
import { api, pdfText, SIEGEN } from './test-helpers.js';

/**
 * The flow of issue 5 through the HTTP API, as the web app drives it: report a death, register
 * it, print the confirmation, export, acknowledge — then the same via the CLI.
 */
describeEachDialect('Standesamt: Sterbefall von der Anzeige bis zur Quittung', (dialect) => {
  let ctx: TestContext;
  let clerk: TestUser;
  let a: ReturnType<typeof api>;

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    a = api(ctx);
    clerk = await userWith(ctx, [{ ags: SIEGEN, office: 'standesamt' }]);
  });
  afterAll(() => ctx.close());

  it('reports, registers, confirms, exports and acknowledges a death over the API', async () => {
    const procedures = await ctx.app.inject({
      method: 'GET',
      url: '/api/procedures',
      headers: clerk.headers,
    });
    expect(procedures.statusCode).toBe(200);
    expect(JSON.stringify(procedures.json())).toContain('sterbefall');

    const created = await a.create(clerk, 'sterbefall', sterbefallDaten());
    expect(created.statusCode).toBe(201);
    const c = await a.allDocuments(clerk, created.json());
    const reg = (await a.act(clerk, c.id, 'registrieren', c.version)).json();
    expect(reg.status).toBe('registriert');
    const confirmation = reg.documents.find((d: { id: string }) => d.id === 'bestaetigung_sterbefallanzeige');
    const pdf = await ctx.app.inject({ method: 'GET', url: confirmation.href, headers: clerk.headers });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(await pdfText(pdf.rawPayload)).toContain(reg.data.registereintrag.nummer);

    const batch = await ctx.app.inject({
      method: 'POST',
      url: '/api/handover/batches',
      headers: { ...clerk.headers, 'idempotency-key': randomUUID() },
      payload: { procedureId: 'sterbefall', authorityAgs: SIEGEN },
    });
    expect(batch.statusCode).toBe(201);
    const b = batch.json();
    const ack = await ctx.app.inject({
      method: 'POST',
      url: `/api/handover/batches/${b.id}/acknowledgement`,
      headers: { ...clerk.headers, 'idempotency-key': randomUUID() },
      payload: {
        content: JSON.stringify({
          batchId: b.id,
          entries: [{ aktenzeichen: reg.aktenzeichen, status: 'uebernommen' }],
        }),
      },
    });
    expect(ack.statusCode).toBe(200);
    expect(ack.json().batch.status).toBe('quittiert');
    const history = await ctx.app.inject({
      method: 'GET',
      url: `/api/handover/cases/${reg.id}`,
      headers: clerk.headers,
    });
    expect(history.json().items[0].statusLabel).toBe('Übergeben');
  });

  it('exports with progress and imports an acknowledgement file on the command line', async () => {
    const c = await a.allDocuments(
      clerk,
      (
        await a.create(
          clerk,
          'sterbefall',
          sterbefallDaten({ verstorbene: { familienname: 'Kübler', vornamen: 'Rosi' } }),
        )
      ).json(),
    );
    const reg = (await a.act(clerk, c.id, 'registrieren', c.version)).json();
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (s: string) => out.push(s), err: (s: string) => err.push(s), now: () => ctx.clock.now };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nb-cli-handover-'));
    const b = await runHandoverExport(ctx.handle, { procedure: 'sterbefall', authority: SIEGEN, dir }, io);
    expect(b.caseCount).toBe(1);
    expect(out.join('')).toContain(`Übergabe ${b.id}: 1 Vorgänge`);
    expect(err.join('')).toContain('1/1 nacherfassung-05970040.csv');
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, b.id, 'manifest.json'), 'utf8'));
    expect(manifest.caseCount).toBe(1);
    expect(manifest.files).toHaveLength(2);

    const ackFile = path.join(dir, 'quittung.csv');
    fs.writeFileSync(ackFile, `aktenzeichen;status;grund\n${reg.aktenzeichen};uebernommen;\n`);
    const r = await runHandoverAcknowledge(ctx.handle, { batchId: b.id, file: ackFile, dir }, io);
    expect(r).toMatchObject({ accepted: 1, rejected: 0 });
    expect(out.join('')).toContain('Quittung eingelesen: 1 übergeben, 0 abgelehnt. Status: Quittiert');
  });
});
