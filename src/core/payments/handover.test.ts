import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, openTestDatabase } from '../../../test/harness.js';
import type { DatabaseHandle } from '../../db/database.js';
import { seedDemoAuthorities } from '../authorities/seed.js';
import { CaseService } from '../cases/service.js';
import { splitCsvLine as cells, csvFileFormat, csvLine } from '../handover/csv.js';
import { HandoverRegistry } from '../handover/format.js';
import { type BatchView, HandoverService } from '../handover/service.js';
import { ProcedureRegistry } from '../procedure-registry.js';
import { ACCOUNT, idem, MUELLER, OEZTUERK, person, SIEGEN, source, type ToyData, toy } from './fixtures.js';
import { PAYMENT_CSV_COLUMNS } from './handover.js';
import { PaymentService, type PaymentView } from './service.js';

/**
 * Payments in the handover (issue 13 point 4): every batch whose cases have payments carries the
 * core payments CSV beside the family's own files, listed in the manifest with its SHA-256 —
 * run, key, case, decision, amount, state and return of every payment in a run not discarded.
 */

describeEachDialect('payments in the handover batches (core/payments + core/handover)', (dialect) => {
  let handle: DatabaseHandle;
  let cleanup: () => Promise<void>;
  let cases: CaseService;
  let payments: PaymentService;
  let handover: HandoverService;
  let dir: string;
  const clock = { now: new Date('2026-12-03T09:00:00Z') };
  const anna = person('u-anna', ['sachbearbeitung']);
  const bernd = person('u-bernd', ['leitung']);
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    ({ handle, cleanup } = await openTestDatabase(dialect));
    await seedDemoAuthorities(handle.db, clock.now);
    const registry = new ProcedureRegistry([toy]);
    cases = new CaseService({ db: handle.db, registry, installationId: 'test', now: () => clock.now });
    payments = new PaymentService({
      db: handle.db,
      sources: [source],
      installationId: 'test',
      now: () => clock.now,
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payments-handover-'));
    handover = new HandoverService({
      db: handle.db,
      registry,
      handovers: new HandoverRegistry().register({
        procedureId: 'zahltest',
        eligibleStates: ['bewilligt'],
        formats: [
          csvFileFormat(
            (ctx) => `zahltest-${ctx.authority.ags}.csv`,
            ['aktenzeichen', 'name'],
            (c) => csvLine([c.aktenzeichen, (c.data as ToyData).name]),
          ),
        ],
      }),
      installationId: 'test',
      dir,
      now: () => clock.now,
    });
    const create = async (key: string, data: ToyData) => {
      const c = (await cases.create(anna, { procedureId: 'zahltest', authorityAgs: SIEGEN, data }, idem()))
        .body as { id: string; aktenzeichen: string };
      ids[key] = c.id;
      ids[`${key}Az`] = c.aktenzeichen;
    };
    // Müller: Nov + Dec × 612,34 EUR; Öztürk: Dec × 1.003,00 EUR (returned); Später: from May 2027, nothing due.
    await create('mueller', MUELLER);
    await create('oeztuerk', OEZTUERK);
    await create('spaeter', {
      name: 'Später',
      iban: 'DE89370400440532013000',
      betragCents: 1000,
      ab: '2027-05',
    });
  });
  afterAll(async () => {
    await cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const exportBatch = async () =>
    (await handover.export(anna, { procedureId: 'zahltest', authorityAgs: SIEGEN }, idem()))
      .body as BatchView;

  it('adds no payments file to a batch whose cases have no payments', async () => {
    const batch = await exportBatch();
    expect(batch.files.map((f) => f.name)).toEqual([`zahltest-${SIEGEN}.csv`]);
    // Rejected: the cases are released and go into the next batch again.
    await handover.reject(anna, batch.id, 'Test: erneut übergeben', idem());
  });

  it("hands over every payment of the batch's cases with run, key, decision, amount, state and return", async () => {
    await payments.setAccount(
      bernd,
      { authorityAgs: SIEGEN, officeType: 'sozialamt', account: ACCOUNT },
      idem(),
    );
    const prepare = async () =>
      (
        await payments.prepare(
          anna,
          { authorityAgs: SIEGEN, officeType: 'sozialamt', month: '2026-12', executionDate: '2026-12-07' },
          idem(),
        )
      ).body as { id: string };
    const run1 = await prepare();
    await payments.approve(bernd, run1.id, idem());
    const all = (await payments.payments(anna, run1.id, { page: 1, pageSize: 10 })).items;
    const oez = all.find((p) => p.caseId === ids.oeztuerk) as PaymentView;
    await payments.recordReturn(
      anna,
      oez.id,
      { reasonCode: 'AC04', note: 'Konto "alt"; aufgelöst', requeue: true },
      idem(),
    );
    // The re-queued payment goes into a second run, which is discarded: its payment is not handed over.
    const run2 = await prepare();
    await payments.discard(anna, run2.id, 'Test', idem());

    const batch = await exportBatch();
    const entry = batch.files.find((f) => f.formatId === 'zahlungen');
    expect(entry?.name).toBe(`zahlungen-${SIEGEN}.csv`);
    const bytes = fs.readFileSync(path.join(dir, batch.id, entry?.name as string));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(entry?.sha256);
    expect(bytes.length).toBe(entry?.bytes);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, batch.id, 'manifest.json'), 'utf8'));
    expect(manifest.files.map((f: { name: string }) => f.name)).toContain(`zahlungen-${SIEGEN}.csv`);

    const text = bytes.toString('utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const [head, ...lines] = text.slice(1).split('\r\n').filter(Boolean);
    expect(cells(head as string)).toEqual([...PAYMENT_CSV_COLUMNS]);
    const rows = lines.map((l) => {
      const c = cells(l);
      return Object.fromEntries(PAYMENT_CSV_COLUMNS.map((k, i) => [k, c[i] ?? '']));
    });
    const decisionOf = async (caseId: string) =>
      (
        await handle.db
          .selectFrom('case_action')
          .select('id')
          .where('case_id', '=', caseId)
          .where('seq', '=', 1)
          .executeTakeFirstOrThrow()
      ).id;
    expect(
      rows
        .map((r) => [r.aktenzeichen, r.zeitraum, r.betrag_cent, r.lauf_id, r.status, r.rueckgabe_grund])
        .sort(),
    ).toEqual(
      [
        [ids.muellerAz, '2026-11', '61234', run1.id, 'freigegeben', ''],
        [ids.muellerAz, '2026-12', '61234', run1.id, 'freigegeben', ''],
        [ids.oeztuerkAz, '2026-12', '100300', run1.id, 'erneut_vorgemerkt', 'AC04'],
      ].sort(),
    );
    const returned = rows.find((r) => r.status === 'erneut_vorgemerkt');
    expect(returned).toMatchObject({
      schluessel: `zahltest:${ids.oeztuerk}:2026-12`,
      vorgangs_id: ids.oeztuerk,
      bescheid_aktion_id: await decisionOf(ids.oeztuerk as string),
      end_to_end_id: oez.endToEndId,
      rueckgabe_text: 'Konto aufgelöst',
      rueckgabe_notiz: 'Konto "alt"; aufgelöst',
      empfaenger: 'Ayşe Öztürk',
      zahlweg: 'ueberweisung',
      lauf_status: 'freigegeben',
    });
    expect(returned?.erneut_vorgemerkt_am).not.toBe('');
    expect(rows.every((r) => r.lauf_id !== run2.id)).toBe(true);
  });
});
