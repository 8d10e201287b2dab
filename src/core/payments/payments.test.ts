import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, openTestDatabase } from '../../../test/harness.js';
import type { DatabaseHandle } from '../../db/database.js';
import type { Principal } from '../access.js';
import { seedDemoAuthorities } from '../authorities/seed.js';
import { CaseService } from '../cases/service.js';
import { bookEntry, journalDay } from '../cashjournal/journal.js';
import { findXmlTools, schemaErrors, sepaXsd, xpath } from '../handover/xml-tools.js';
import { ProcedureRegistry } from '../procedure-registry.js';
import { ACCOUNT, idem, MUELLER, OEZTUERK, person, SIEGEN, source, type ToyData, toy } from './fixtures.js';
import { PaymentService } from './service.js';

/**
 * The payment runs of core/payments with a test procedure as the contributing family: collect,
 * check, claim; four eyes for every role; the SEPA file validated against the EPC XSD and kept;
 * returns and re-queueing; cash payouts through the cash journal; discarding; concurrency.
 * Routes and the Sozialhilfe family's own payments are tested in src/procedures/sozialhilfe.
 */
const { tools, missing } = findXmlTools();

describeEachDialect('payment runs (core/payments)', (dialect) => {
  let handle: DatabaseHandle;
  let cleanup: () => Promise<void>;
  let cases: CaseService;
  let payments: PaymentService;
  const clock = { now: new Date('2026-12-03T09:00:00Z') };
  // Anna prepares; she also holds the Amtsleitung role (two roles, one person).
  const anna = person('u-anna', ['sachbearbeitung', 'leitung']);
  // Bernd is Amtsleitung and administrator.
  const bernd = person('u-bernd', ['leitung'], true);
  const clerk = person('u-clerk', ['sachbearbeitung']);
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    ({ handle, cleanup } = await openTestDatabase(dialect));
    await seedDemoAuthorities(handle.db, clock.now);
    cases = new CaseService({
      db: handle.db,
      registry: new ProcedureRegistry([toy]),
      installationId: 'test',
      now: () => clock.now,
    });
    payments = new PaymentService({
      db: handle.db,
      sources: [source],
      installationId: 'test',
      now: () => clock.now,
    });
    const create = async (key: string, data: ToyData) => {
      const c = (await cases.create(clerk, { procedureId: 'zahltest', authorityAgs: SIEGEN, data }, idem()))
        .body as {
        id: string;
      };
      ids[key] = c.id;
    };
    // Hand-worked totals below: Müller 2 months × 612,34 EUR; Öztürk 1 month × 1.003,00 EUR;
    // Kaputt has an invalid IBAN (skipped); Bar 1 month × 150,00 EUR cash.
    await create('mueller', MUELLER);
    await create('oeztuerk', OEZTUERK);
    await create('kaputt', { name: 'Kaputt', iban: 'DE00123', betragCents: 5000, ab: '2026-12' });
    await create('bar', { name: 'Bar Person', iban: '', betragCents: 15000, ab: '2026-12', bar: true });
  });
  afterAll(() => cleanup());

  const runCount = async () =>
    Number(
      (
        await handle.db
          .selectFrom('payment_run')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('refuses to prepare transfers without the office account, and records nothing', async () => {
    await expect(
      payments.prepare(
        clerk,
        { authorityAgs: SIEGEN, officeType: 'sozialamt', month: '2026-12', executionDate: '2026-12-07' },
        idem(),
      ),
    ).rejects.toMatchObject({ title: 'Auftraggeberkonto fehlt' });
    expect(await runCount()).toBe(0);
    expect(await handle.db.selectFrom('payment_claim').selectAll().execute()).toHaveLength(0);
  });

  it('lets only the Amtsleitung set the account, and checks its IBAN', async () => {
    await expect(
      payments.setAccount(clerk, { authorityAgs: SIEGEN, officeType: 'sozialamt', account: ACCOUNT }, idem()),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      payments.setAccount(
        bernd,
        {
          authorityAgs: SIEGEN,
          officeType: 'sozialamt',
          account: { ...ACCOUNT, iban: 'DE85460500010000012346' },
        },
        idem(),
      ),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const set = await payments.setAccount(
      bernd,
      { authorityAgs: SIEGEN, officeType: 'sozialamt', account: ACCOUNT },
      idem(),
    );
    expect(set.body).toMatchObject({ iban: 'DE85460500010000012345' });
  });

  it('refuses an execution day that is no bank business day or lies in the past', async () => {
    for (const executionDate of ['2026-12-05', '2026-12-25', '2026-12-02', '2026-13-01']) {
      await expect(
        payments.prepare(
          clerk,
          { authorityAgs: SIEGEN, officeType: 'sozialamt', month: '2026-12', executionDate },
          idem(),
        ),
      ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    }
    expect(await runCount()).toBe(0);
  });

  it('prepares a run with the due payments, skips an invalid one with its reason, and totals in cents', async () => {
    const run = (
      await payments.prepare(
        anna,
        { authorityAgs: SIEGEN, officeType: 'sozialamt', month: '2026-12', executionDate: '2026-12-07' },
        idem(),
      )
    ).body as Awaited<ReturnType<PaymentService['get']>>;
    ids.run1 = run.id;
    expect(run.status).toBe('vorbereitet');
    // 2 × 612,34 + 1.003,00 = 2.227,68 EUR in three transfers; 150,00 EUR cash.
    expect(run).toMatchObject({
      transferCount: 3,
      transferSumCents: 222768,
      cashCount: 1,
      cashSumCents: 15000,
    });
    expect(run.skipped).toEqual([
      expect.objectContaining({ aktenzeichen: expect.stringMatching(/^ZT /), reasons: ['IBAN ungültig.'] }),
    ]);
    expect(run.preparedBy).toBe('u-anna');
    expect(run.mayApprove).toBe(false);
  });

  it('never takes an obligation twice: a second preparation finds nothing new', async () => {
    await expect(
      payments.prepare(
        clerk,
        { authorityAgs: SIEGEN, officeType: 'sozialamt', month: '2026-12', executionDate: '2026-12-07' },
        idem(),
      ),
    ).rejects.toMatchObject({ title: 'Nichts zu zahlen' });
    expect(await runCount()).toBe(1);
  });

  it('refuses the approval to the preparer, who holds the Amtsleitung role too', async () => {
    await expect(payments.approve(anna, ids.run1 as string, idem())).rejects.toMatchObject({
      title: 'Vier-Augen-Prinzip',
    });
    const run = await payments.get(anna, ids.run1 as string);
    expect(run.status).toBe('vorbereitet');
    expect(run.file).toBeNull();
  });

  it('refuses the approval to a clerk without the Amtsleitung role', async () => {
    await expect(payments.approve(clerk, ids.run1 as string, idem())).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('the database itself refuses an approval by the preparer (CHECK), whatever the code does', async () => {
    await expect(
      handle.db
        .updateTable('payment_run')
        .set({ status: 'freigegeben', decided_by: 'u-anna', decided_at: 'x', decided_by_name: 'x' })
        .where('id', '=', ids.run1 as string)
        .execute(),
    ).rejects.toThrow();
    expect((await payments.get(anna, ids.run1 as string)).status).toBe('vorbereitet');
  });

  it('is approved by another person; the SEPA file validates against the EPC XSD and stays the same', async () => {
    const run = (await payments.approve(bernd, ids.run1 as string, idem())).body as Awaited<
      ReturnType<PaymentService['get']>
    >;
    expect(run).toMatchObject({ status: 'freigegeben', decidedBy: 'u-bernd' });
    expect(run.file?.sha256).toMatch(/^[0-9a-f]{64}$/);
    const first = await payments.file(bernd, run.id);
    clock.now = new Date(clock.now.getTime() + 3_600_000);
    const again = await payments.file(anna, run.id);
    expect(again.content).toBe(first.content);
    expect(again.sha256).toBe(run.file?.sha256);
    expect(first.content).toContain('<TwnNm>Siegen</TwnNm>');
    expect(first.content).toContain('<Nm>Juergen Mueller</Nm>');
    expect(first.content).toContain('<Nm>Ayse Oeztuerk</Nm>');
    expect(first.content).not.toContain('Kaputt');
    if (!tools) return console.warn(missing);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sepa-')), first.name);
    fs.writeFileSync(file, first.content);
    expect(schemaErrors(tools, sepaXsd(tools), file)).toBe('');
    const ns = "*[local-name()='GrpHdr']/*[local-name()";
    expect(xpath(tools, file, `string(//${ns}='NbOfTxs'])`)).toBe('3');
    expect(xpath(tools, file, `string(//${ns}='CtrlSum'])`)).toBe('2227.68');
    expect(xpath(tools, file, "count(//*[local-name()='CdtTrfTxInf'])")).toBe('3');
  });

  it('is frozen once approved: no second approval, no discard, and the database refuses changes', async () => {
    await expect(
      payments.approve(person('u-third', ['leitung']), ids.run1 as string, idem()),
    ).rejects.toMatchObject({
      title: 'Lauf nicht mehr offen',
    });
    await expect(payments.discard(clerk, ids.run1 as string, 'Versehen', idem())).rejects.toMatchObject({
      title: 'Lauf nicht mehr offen',
    });
    await expect(
      handle.db
        .updateTable('payment_run')
        .set({ execution_date: '2026-12-08' })
        .where('id', '=', ids.run1 as string)
        .execute(),
    ).rejects.toThrow();
    await expect(
      handle.db
        .updateTable('payment')
        .set({ amount_cents: 1 } as never)
        .execute(),
    ).rejects.toThrow();
    await expect(handle.db.deleteFrom('payment_file').execute()).rejects.toThrow();
  });

  it('traces each payment of a case to its decision', async () => {
    const list = await payments.ofCase(clerk, ids.mueller as string);
    expect(list.map((p) => [p.period, p.amountCents, p.status])).toEqual([
      ['2026-11', 61234, 'freigegeben'],
      ['2026-12', 61234, 'freigegeben'],
    ]);
    const caseView = await cases.get(clerk, ids.mueller as string);
    const decision = await handle.db
      .selectFrom('case_action')
      .select('id')
      .where('case_id', '=', caseView.id)
      .where('seq', '=', 1)
      .executeTakeFirstOrThrow();
    expect(list.every((p) => p.decisionRef === decision.id && p.runId === ids.run1)).toBe(true);
    await expect(payments.ofCase(person('u-olpe', []), ids.mueller as string)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('pays a cash payment out through the cash journal, once', async () => {
    const [cash] = (
      await payments.payments(clerk, ids.run1 as string, { page: 1, pageSize: 10, status: 'bar' })
    ).items;
    expect(cash?.amountCents).toBe(15000);
    // The till needs the money first.
    await expect(payments.payCash(clerk, cash?.id as string, idem())).rejects.toMatchObject({
      title: 'Kassenbestand reicht nicht',
    });
    await handle.db.transaction().execute((trx) =>
      bookEntry(trx, {
        scope: { authorityAgs: SIEGEN, officeType: 'sozialamt' },
        kind: 'einzahlung',
        amountCents: 50000,
        purpose: 'Barmittel von der Sparkasse',
        actor: { userId: 'u-clerk', displayName: 'Clerk' },
        now: clock.now,
      }),
    );
    const paid = (await payments.payCash(clerk, cash?.id as string, idem())).body as {
      status: string;
      cash: unknown;
    };
    expect(paid.status).toBe('ausgezahlt');
    const day = await journalDay(handle.db, { authorityAgs: SIEGEN, officeType: 'sozialamt' }, '2026-12-03');
    expect(day.entries.map((e) => [e.kind, e.amountCents, e.reference?.type])).toEqual([
      ['einzahlung', 50000, undefined],
      ['auszahlung', -15000, 'payment'],
    ]);
    await expect(payments.payCash(clerk, cash?.id as string, idem())).rejects.toMatchObject({
      title: 'Bereits gebucht',
    });
    const transfer = (
      await payments.payments(clerk, ids.run1 as string, { page: 1, pageSize: 10 })
    ).items.find((p) => p.method === 'ueberweisung');
    await expect(payments.payCash(clerk, transfer?.id as string, idem())).rejects.toMatchObject({
      title: 'Keine Barzahlung',
    });
  });

  it('records a returned transfer; re-queued, the next run pays it again, otherwise not', async () => {
    const all = (await payments.payments(clerk, ids.run1 as string, { page: 1, pageSize: 10 })).items;
    const nov = all.find((p) => p.period === '2026-11') as (typeof all)[number];
    const oez = all.find((p) => p.caseId === ids.oeztuerk) as (typeof all)[number];
    // Found by the EndToEndId the bank reports.
    const found = await payments.payments(clerk, ids.run1 as string, {
      page: 1,
      pageSize: 10,
      q: nov.endToEndId,
    });
    expect(found.items.map((p) => p.id)).toEqual([nov.id]);

    const ret = (await payments.recordReturn(clerk, nov.id, { reasonCode: 'AC04', requeue: true }, idem()))
      .body as {
      status: string;
    };
    expect(ret.status).toBe('erneut_vorgemerkt');
    await payments.recordReturn(
      clerk,
      oez.id,
      { reasonCode: 'MD07', note: 'verstorben', requeue: false },
      idem(),
    );
    await expect(
      payments.recordReturn(clerk, oez.id, { reasonCode: 'MD07', requeue: false }, idem()),
    ).rejects.toMatchObject({ title: 'Bereits erfasst' });

    const run2 = (
      await payments.prepare(
        clerk,
        { authorityAgs: SIEGEN, officeType: 'sozialamt', month: '2026-12', executionDate: '2026-12-08' },
        idem(),
      )
    ).body as { id: string; transferCount: number; transferSumCents: number };
    expect(run2).toMatchObject({ transferCount: 1, transferSumCents: 61234 });
    const again = (await payments.payments(clerk, run2.id, { page: 1, pageSize: 10 })).items;
    expect(again.map((p) => [p.caseId, p.period])).toEqual([[ids.mueller, '2026-11']]);
    await payments.discard(anna, run2.id, 'Test: verworfen', idem());

    // Öztürk's payment follows only once it is re-queued.
    await payments.requeue(clerk, oez.id, idem());
    const run3 = (
      await payments.prepare(
        clerk,
        { authorityAgs: SIEGEN, officeType: 'sozialamt', month: '2026-12', executionDate: '2026-12-08' },
        idem(),
      )
    ).body as { id: string; transferCount: number; transferSumCents: number };
    // Müller's November again (run2 was discarded) and Öztürk's December: 612,34 + 1.003,00.
    expect(run3).toMatchObject({ transferCount: 2, transferSumCents: 161534 });
    ids.run3 = run3.id;
  });

  it('discarding frees the obligations; a monthly run takes the next month only when it is due', async () => {
    await payments.discard(clerk, ids.run3 as string, 'neu', idem());
    const jan = (
      await payments.prepare(
        clerk,
        { authorityAgs: SIEGEN, officeType: 'sozialamt', month: '2027-01', executionDate: '2026-12-30' },
        idem(),
      )
    ).body as { id: string; transferCount: number; transferSumCents: number; cashCount: number };
    // Free or new: Müller Nov + Jan, Öztürk Dec + Jan (2 × 612,34 + 2 × 1.003,00), Bar Jan (cash).
    expect(jan).toMatchObject({ transferCount: 4, transferSumCents: 2 * 61234 + 2 * 100300, cashCount: 1 });
    const view = await payments.get(clerk, jan.id);
    expect(view.period).toBe('2027-01');
  });

  it('claims each obligation in one run only, also when two runs are prepared at the same time', async () => {
    // A new case, then two concurrent preparations by date.
    await cases.create(
      clerk,
      {
        procedureId: 'zahltest',
        authorityAgs: SIEGEN,
        data: { name: 'Gleichzeitig', iban: 'DE89370400440532013000', betragCents: 1000, ab: '2026-12' },
      },
      idem(),
    );
    const attempt = (who: Principal) =>
      payments
        .prepare(
          who,
          {
            authorityAgs: SIEGEN,
            officeType: 'sozialamt',
            dueUntil: '2026-12-03',
            executionDate: '2026-12-04',
          },
          idem(),
        )
        .then(
          (r) => (r.body as { transferCount: number }).transferCount,
          (e: { title?: string }) => e.title,
        );
    const results = await Promise.all([attempt(clerk), attempt(anna)]);
    expect(results.sort()).toEqual([1, 'Nichts zu zahlen']);
    const taken = await handle.db
      .selectFrom('payment')
      .select('run_id')
      .where('payee_name', '=', 'Gleichzeitig')
      .execute();
    expect(taken).toHaveLength(1);
  });
});
