import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { csvRecords } from '../../../test/csv.js';
import {
  createTestContext,
  describeEachDialect,
  type TestContext,
  type TestUser,
  userWith,
} from '../../../test/harness.js';
import { paymentsOfCase } from '../../../test/payments.js';
import { fontsEmbedded, pdfText } from '../../../test/pdf.js';
import { findXmlTools, schemaErrors, sepaXsd, xpath } from '../../core/handover/xml-tools.js';
import { ASYL_CSV_COLUMNS } from './definition.js';
import { zuweisungDaten } from './fixtures.js';

const SIEGEN = '05970040';
const OLPE = '05966000';
const OFFICE = 'sozialamt';
const { tools, missing } = findXmlTools();

const single = (n: number) => ({
  familienname: `Person${n}`,
  vornamen: 'Test',
  geburtsdatum: '1995-05-05',
  staatsangehoerigkeit: 'afghanisch',
  aufenthaltSeit: '2026-10-01',
  wohnsituation: 'geteilter_wohnraum',
});

describeEachDialect('AsylbLG: Zuweisung, Unterbringung, Bescheid, Zahlung, Übergabe', (dialect) => {
  let ctx: TestContext;
  let clerk: TestUser;
  let leitung: TestUser;
  let olpe: TestUser;
  let standesamt: TestUser;

  const post = (user: TestUser, url: string, payload: object) =>
    ctx.app.inject({
      method: 'POST',
      url,
      headers: { ...user.headers, 'idempotency-key': randomUUID() },
      payload,
    });
  const put = (user: TestUser, url: string, payload: object) =>
    ctx.app.inject({
      method: 'PUT',
      url,
      headers: { ...user.headers, 'idempotency-key': randomUUID() },
      payload,
    });
  const get = (user: TestUser, url: string) => ctx.app.inject({ method: 'GET', url, headers: user.headers });
  const create = (user: TestUser, data: object, ags = SIEGEN) =>
    post(user, '/api/cases', { procedureId: 'asyl_leistungen', authorityAgs: ags, data });
  const act = (user: TestUser, id: string, action: string, expectedVersion: number, payload: object = {}) =>
    post(user, `/api/cases/${id}/actions/${action}`, { expectedVersion, payload });
  const count = async (table: 'cases' | 'asyl_platz_belegung' | 'asyl_belegung_log') =>
    Number(
      (
        await ctx.handle.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  /** The payment run for December 2026 (the test clock's next month) of the Siegen Sozialamt. */
  const decemberRun = () =>
    post(clerk, '/api/payment-runs', {
      authorityAgs: SIEGEN,
      officeType: OFFICE,
      month: '2026-12',
      executionDate: '2026-11-30',
    });
  const paymentsOf = (caseId: string) => paymentsOfCase(ctx, clerk, caseId);
  const unterkunft = async (name: string, plaetze: number) => {
    const r = await post(leitung, '/api/asyl/unterkuenfte', {
      authorityAgs: SIEGEN,
      name,
      anschrift: 'Am Lindenplatz 3, 57076 Siegen',
      plaetze,
    });
    expect(r.statusCode).toBe(201);
    return r.json().id as string;
  };

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    clerk = await userWith(ctx, [{ ags: SIEGEN, office: OFFICE }], { displayName: 'Sandra Sozial' });
    leitung = await userWith(ctx, [{ ags: SIEGEN, office: OFFICE, role: 'leitung' }]);
    olpe = await userWith(ctx, [{ ags: OLPE, office: OFFICE, role: 'leitung' }]);
    standesamt = await userWith(ctx, [{ ags: SIEGEN, office: 'standesamt', role: 'leitung' }]);
  });
  afterAll(() => ctx.close());

  it('refuses a Zuweisung with bad data in German and stores nothing', async () => {
    const before = await count('cases');
    const bad = zuweisungDaten({ iban: 'DE00 1234' });
    (bad.personen[0] as { aufenthaltSeit: string }).aufenthaltSeit = '2026-11-20';
    const r = await create(clerk, bad);
    expect(r.statusCode).toBe(400);
    expect(r.json().errors).toEqual(
      expect.arrayContaining([
        {
          path: 'data/personen/0/aufenthaltSeit',
          message: 'Aufenthalt im Bundesgebiet seit: liegt nach der Zuweisung.',
        },
        { path: 'data/zahlung/iban', message: 'IBAN: ungültig (Prüfziffer stimmt nicht).' },
      ]),
    );
    expect(await count('cases')).toBe(before);
    expect((await create(standesamt, zuweisungDaten())).statusCode).toBe(403);
    expect(await count('cases')).toBe(before);
  });

  it('houses, decides with the calculation line by line, shows the § 2 date, writes the Bescheid and pays by SEPA', async () => {
    const created = await create(clerk, zuweisungDaten());
    expect(created.statusCode).toBe(201);
    const c = created.json();
    expect(c.aktenzeichen).toMatch(/^AS \d+\/2026$/);
    expect(c.summary).toBe('Haddad, Rami (+2) – AsylbLG, Zuweisung ab 02.11.2026');

    const uid = await unterkunft('Übergangsheim Lindenplatz', 2);
    const u1 = await act(clerk, c.id, 'unterbringen', 1, {
      person: 0,
      unterkunftId: uid,
      einzug: '2026-11-02',
    });
    expect(u1.statusCode).toBe(200);
    expect(u1.json().data.belegungen).toEqual([
      {
        person: 0,
        unterkunftId: uid,
        unterkunft: 'Übergangsheim Lindenplatz',
        platzNr: 1,
        einzug: '2026-11-02',
      },
    ]);
    const twice = await act(clerk, c.id, 'unterbringen', 2, {
      person: 0,
      unterkunftId: uid,
      einzug: '2026-11-02',
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().detail).toContain('schon einen Platz (Übergangsheim Lindenplatz, Platz 1)');
    expect(
      (await act(clerk, c.id, 'unterbringen', 2, { person: 1, unterkunftId: uid, einzug: '2026-11-02' }))
        .statusCode,
    ).toBe(200);
    const full = await act(clerk, c.id, 'unterbringen', 3, {
      person: 2,
      unterkunftId: uid,
      einzug: '2026-11-02',
    });
    expect(full.statusCode).toBe(409);
    expect(full.json().title).toBe('Kein Platz frei');

    // Too early a start is refused with the reason, nothing stored.
    const early = await act(clerk, c.id, 'bewilligen', 3, { leistungsBeginn: '2026-10-01' });
    expect(early.statusCode).toBe(400);
    expect(early.json().errors[0].message).toBe('Leistungen ab: frühestens ab der Zuweisung (02.11.2026).');
    const ok = await act(clerk, c.id, 'bewilligen', 3, { leistungsBeginn: '2026-11-02' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().status).toBe('bewilligt');

    // November: 29/30 of the § 3a rates 2026 (Stufe 2: 227 + 182 EUR; Stufe 6: 179 + 130 EUR).
    const nov = (await get(clerk, `/api/asyl/faelle/${c.id}/berechnung?monat=2026-11`)).json();
    expect(nov.positionen.map((p: { betragCents: number }) => p.betragCents)).toEqual([
      21943, 17593, 21943, 17593, 17303, 12567,
    ]);
    expect(nov.summeCents).toBe(108942);
    // December: Rami switches to § 2 on 15.12.2026 (36 months since 15.12.2023): 14/30 § 3a, 16/30 of
    // the SGB XII Stufe 2 (506 EUR); the child waits for its own 36 months (20.01.2027).
    const dez = (await get(clerk, `/api/asyl/faelle/${c.id}/berechnung?monat=2026-12`)).json();
    expect(dez.positionen.map((p: { betragCents: number }) => p.betragCents)).toEqual([
      10593, 8493, 26987, 22700, 18200, 17900, 13000,
    ]);
    expect(dez.summeCents).toBe(117873);
    expect(dez.wechsel.map((w: { ab: string }) => w.ab)).toEqual(['2026-12-15', '2027-01-20', '2027-01-20']);
    expect(dez.hinweise).toEqual([
      'Rami Haddad: Wechsel zu Leistungen nach § 2 AsylbLG ab 15.12.2026 (Teilmonat).',
    ]);
    expect((await get(olpe, `/api/asyl/faelle/${c.id}/berechnung`)).statusCode).toBe(403);

    const pdf = await ctx.app.inject({
      method: 'GET',
      url: `/api/cases/${c.id}/documents/asyl_bescheid`,
      headers: clerk.headers,
    });
    expect(pdf.statusCode).toBe(200);
    expect(fontsEmbedded(pdf.rawPayload)).toBe(true);
    const t = await pdfText(pdf.rawPayload);
    expect(t).toContain('Ihnen werden ab 02.11.2026 Leistungen nach dem Asylbewerberleistungsgesetz');
    expect(t).toContain('Jörg Ömer');
    expect(t).toContain('Ab 15.12.2026 Leistungen entsprechend dem SGB XII (§ 2 AsylbLG)');
    expect(t).toContain('1.089,42 EUR');
    expect(t).toContain('Rechtsbehelfsbelehrung');

    // Payment run for December: November (back payment) and December; another person approves.
    expect(
      (
        await put(leitung, `/api/payment-accounts/${SIEGEN}/${OFFICE}`, {
          name: 'Stadt Siegen',
          iban: 'DE02120300000000202051',
          town: 'Siegen',
          country: 'DE',
        })
      ).statusCode,
    ).toBe(200);
    const run = await decemberRun();
    expect(run.statusCode).toBe(201);
    expect(run.json()).toMatchObject({ transferCount: 2, transferSumCents: 108942 + 117873 });
    const runId = run.json().id;
    const items = await paymentsOf(c.id);
    expect(items.map((p) => [p.period, p.amountCents]).sort()).toEqual([
      ['2026-11', 108942],
      ['2026-12', 117873],
    ]);
    const decision = await ctx.handle.db
      .selectFrom('case_action')
      .select('id')
      .where('case_id', '=', c.id)
      .where('action', '=', 'bewilligen')
      .executeTakeFirstOrThrow();
    expect(items.every((p) => p.decisionRef === decision.id)).toBe(true);
    expect((await post(clerk, `/api/payment-runs/${runId}/approval`, {})).statusCode).toBe(403);
    expect((await post(leitung, `/api/payment-runs/${runId}/approval`, {})).statusCode).toBe(200);
    const file = await get(clerk, `/api/payment-runs/${runId}/file`);
    expect(file.statusCode).toBe(200);

    // A later decision raises November and December, both already paid: the differences are paid
    // as obligations of their own (never a changed amount under a claimed key).
    const ch = await act(clerk, c.id, 'aendern', 4, {
      abMonat: '2026-11',
      wohnsituation: ['eigener_haushalt', 'eigener_haushalt', 'eigener_haushalt'],
      einkommenCents: 0,
      grund: 'Getrennt lebend (Wohnungen)',
    });
    expect(ch.statusCode).toBe(200);
    const run2 = await decemberRun();
    expect(run2.statusCode).toBe(201);
    // November: 2 × (24457 + 19527) + 29870 = 117838 (was 108942); December: 11807 + 9427 + 30027
    // + 45500 + 30900 = 127661 (was 117873).
    expect(run2.json()).toMatchObject({
      transferCount: 2,
      transferSumCents: 117838 - 108942 + (127661 - 117873),
    });
    const nach = (await paymentsOf(c.id))
      .filter((p) => p.purpose.startsWith('Nachzahlung'))
      .map((p) => [p.period, p.amountCents])
      .sort();
    expect(nach).toEqual([
      ['2026-11', 8896],
      ['2026-12', 9788],
    ]);
    if (!tools) return console.warn(missing);
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'asyl-sepa-')), 'run.xml');
    fs.writeFileSync(f, file.body);
    expect(schemaErrors(tools, sepaXsd(tools), f)).toBe('');
    expect(xpath(tools, f, "string(//*[local-name()='GrpHdr']/*[local-name()='CtrlSum'])")).toBe('2268.15');
    expect(file.body).toContain('<TwnNm>Siegen</TwnNm>');
  });

  it('pays a returned and re-queued month once: without the Nachzahlung already on its way', async () => {
    const c = (await create(clerk, zuweisungDaten({ personen: [single(40)] }))).json();
    const uid = await unterkunft('Haus Wenscht', 1);
    await act(clerk, c.id, 'unterbringen', 1, { person: 0, unterkunftId: uid, einzug: '2026-11-02' });
    expect((await act(clerk, c.id, 'bewilligen', 2, { leistungsBeginn: '2026-11-02' })).statusCode).toBe(200);
    const payments = () => paymentsOf(c.id);
    // November 29/30 and December of Stufe 2 in shared accommodation (227 + 182 EUR).
    const r1 = await decemberRun();
    expect(r1.statusCode).toBe(201);
    expect(r1.json()).toMatchObject({ transferCount: 2, transferSumCents: 21943 + 17593 + 40900 });
    expect((await post(leitung, `/api/payment-runs/${r1.json().id}/approval`, {})).statusCode).toBe(200);
    // Moving into a flat from December raises it to Stufe 1 (253 + 202 EUR): 46,00 EUR Nachzahlung.
    const ch = await act(clerk, c.id, 'aendern', 3, {
      abMonat: '2026-12',
      wohnsituation: ['eigener_haushalt'],
      einkommenCents: 0,
      grund: 'Umzug in eine Wohnung',
    });
    expect(ch.statusCode).toBe(200);
    const r2 = await decemberRun();
    expect(r2.statusCode).toBe(201);
    expect(r2.json()).toMatchObject({ transferCount: 1, transferSumCents: 45500 - 40900 });

    // The bank returns December's first payment; re-queued, the next run pays December again,
    // minus the Nachzahlung the second run holds: 455,00 − 46,00 = 409,00 EUR (not 455,00 EUR).
    const dez = (await payments()).find(
      (p) => p.period === '2026-12' && !p.purpose.startsWith('Nachzahlung'),
    );
    expect(dez?.amountCents).toBe(40900);
    const back = await post(clerk, `/api/payments/${dez?.id}/return`, { grund: 'AC04', erneutZahlen: true });
    expect(back.statusCode).toBe(200);
    const r3 = await decemberRun();
    expect(r3.statusCode).toBe(201);
    expect(r3.json()).toMatchObject({ transferCount: 1, transferSumCents: 40900 });
    const dezember = (await payments()).filter((p) => p.period === '2026-12');
    expect(dezember.map((p) => p.amountCents).sort((a, b) => a - b)).toEqual([4600, 40900, 40900]);
    // Nothing more is due for the case.
    const r4 = await decemberRun();
    expect(r4.statusCode).toBe(409);
    expect(r4.json().title).toBe('Nichts zu zahlen');
    expect((await payments()).length).toBe(4);
  });

  it('never gives one place twice: concurrent allocations fill the places exactly, a move-out frees one', async () => {
    const uid = await unterkunft('Container Eiserfeld', 3);
    const cs = [];
    for (let i = 0; i < 6; i++)
      cs.push((await create(clerk, zuweisungDaten({ personen: [single(i)] }))).json());
    const results = await Promise.all(
      cs.map((c) =>
        act(clerk, c.id, 'unterbringen', 1, { person: 0, unterkunftId: uid, einzug: '2026-11-20' }),
      ),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([200, 200, 200, 409, 409, 409]);
    const places = results
      .filter((r) => r.statusCode === 200)
      .map((r) => r.json().data.belegungen[0].platzNr)
      .sort();
    expect(places).toEqual([1, 2, 3]);
    const view = (await get(clerk, `/api/asyl/unterkuenfte/${uid}/belegung`)).json();
    expect(view.unterkunft).toMatchObject({ plaetze: 3, belegt: 3, frei: 0 });
    expect(view.plaetze.map((p: { person: string }) => p.person).every(Boolean)).toBe(true);

    // Fewer places than occupied is refused; a move-out frees the place for the next person.
    const shrink = await put(leitung, `/api/asyl/unterkuenfte/${uid}/plaetze`, { plaetze: 2 });
    expect(shrink.statusCode).toBe(400);
    expect(shrink.json().errors[0].message).toContain('Platz 3 ist belegt');
    const housed = results.findIndex((r) => r.statusCode === 200);
    const out = await act(clerk, cs[housed].id, 'auszug', 2, { person: 0, auszug: '2026-11-25' });
    expect(out.statusCode).toBe(200);
    expect(out.json().data.belegungen[0].auszug).toBe('2026-11-25');
    const waiting = results.findIndex((r) => r.statusCode === 409);
    const next = await act(clerk, cs[waiting].id, 'unterbringen', 1, {
      person: 0,
      unterkunftId: uid,
      einzug: '2026-11-26',
    });
    expect(next.statusCode).toBe(200);
    expect(next.json().data.belegungen[0].platzNr).toBe(results[housed]?.json().data.belegungen[0].platzNr);
    const again = await act(clerk, cs[housed].id, 'auszug', 3, { person: 0, auszug: '2026-11-26' });
    expect(again.statusCode).toBe(409);
  });

  it('keeps the places of an authority to its own staff', async () => {
    const uid = await unterkunft('Notunterkunft Turnhalle', 1);
    expect((await get(olpe, `/api/asyl/unterkuenfte?authorityAgs=${SIEGEN}`)).statusCode).toBe(403);
    expect((await get(standesamt, `/api/asyl/unterkuenfte/${uid}/belegung`)).statusCode).toBe(403);
    expect(
      (
        await post(clerk, '/api/asyl/unterkuenfte', {
          authorityAgs: SIEGEN,
          name: 'X',
          anschrift: 'Y',
          plaetze: 1,
        })
      ).statusCode,
    ).toBe(403);
    const clerkPut = await put(clerk, `/api/asyl/unterkuenfte/${uid}/plaetze`, { plaetze: 5 });
    expect(clerkPut.statusCode).toBe(403);
    expect(clerkPut.json().detail).toBe('Unterkünfte einrichten darf nur die Amtsleitung dieses Sozialamts.');
    expect((await put(olpe, `/api/asyl/unterkuenfte/${uid}/plaetze`, { plaetze: 5 })).statusCode).toBe(403);
    expect((await get(clerk, `/api/asyl/unterkuenfte?authorityAgs=${SIEGEN}`)).json().items).toContainEqual(
      expect.objectContaining({ id: uid, plaetze: 1 }),
    );
    const other = (await create(olpe, zuweisungDaten({ personen: [single(9)] }), OLPE)).json();
    const foreign = await act(olpe, other.id, 'unterbringen', 1, {
      person: 0,
      unterkunftId: uid,
      einzug: '2026-11-20',
    });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().errors[0].message).toBe('Unterkunft: bei dieser Behörde nicht bekannt.');
  });

  it('recomputes from a month on a change and hands decisions, entitlements and allocations over as CSV', async () => {
    const c = (await create(clerk, zuweisungDaten({ personen: [single(20)] }))).json();
    const uid = await unterkunft('Haus Rosterberg', 4);
    await act(clerk, c.id, 'unterbringen', 1, { person: 0, unterkunftId: uid, einzug: '2026-11-02' });
    expect((await act(clerk, c.id, 'bewilligen', 2, { leistungsBeginn: '2026-11-02' })).statusCode).toBe(200);
    const bad = await act(clerk, c.id, 'aendern', 3, {
      abMonat: '2026-12',
      wohnsituation: [],
      einkommenCents: 0,
      grund: 'Umzug',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].message).toBe('Wohnsituation: für jede der 1 Personen angeben.');
    const ch = await act(clerk, c.id, 'aendern', 3, {
      abMonat: '2026-12',
      wohnsituation: ['eigener_haushalt'],
      einkommenCents: 5000,
      grund: 'Umzug in eine Wohnung, Minijob',
    });
    expect(ch.statusCode).toBe(200);
    // November unchanged (Stufe 2 in shared accommodation, 29/30); December Stufe 1 minus 50 EUR.
    expect((await get(clerk, `/api/asyl/faelle/${c.id}/berechnung?monat=2026-11`)).json().summeCents).toBe(
      21943 + 17593,
    );
    expect((await get(clerk, `/api/asyl/faelle/${c.id}/berechnung?monat=2026-12`)).json().summeCents).toBe(
      25300 + 20200 - 5000,
    );

    const pdf = await ctx.app.inject({
      method: 'GET',
      url: `/api/cases/${c.id}/documents/asyl_bescheid`,
      headers: clerk.headers,
    });
    const t = (await pdfText(pdf.rawPayload)).replace(/\s+/g, ' ');
    expect(t).toContain(
      'Änderungsbescheid: Die Leistungen nach dem Asylbewerberleistungsgesetz (AsylbLG) werden ab Dezember 2026 neu festgesetzt.',
    );
    expect(t).toContain('Anrechenbares Einkommen des Haushalts');
    expect(t).toContain('405,00 EUR');
    const res = await post(clerk, '/api/handover/batches', {
      procedureId: 'asyl_leistungen',
      authorityAgs: SIEGEN,
    });
    expect(res.statusCode).toBe(201);
    const batch = res.json();
    const rows = csvRecords((await get(clerk, batch.files[0].href)).body, ASYL_CSV_COLUMNS);
    const mine = rows.filter((r) => r.vorgangs_id === c.id);
    expect(mine.map((r) => r.satzart)).toEqual([
      'person',
      'bescheid',
      'bescheid',
      'anspruch',
      'unterbringung',
    ]);
    expect(mine.find((r) => r.satzart === 'anspruch')).toMatchObject({
      gueltig_ab: '2026-11',
      betrag_cent: String(21943 + 17593),
      details: `asyl:${c.id}:2026-11`,
    });
    expect(mine.find((r) => r.satzart === 'unterbringung')).toMatchObject({
      gueltig_ab: '2026-11-02',
      details: 'Haus Rosterberg, Platz 1',
    });
    expect(mine[0]).toMatchObject({
      familienname: 'Person20',
      zuweisungsbescheid: 'ZW 4711/26 vom 2026-10-28',
    });
    const ack = await post(clerk, `/api/handover/batches/${batch.id}/acknowledgement`, {
      manifestSha256: batch.manifestSha256,
    });
    expect([200, 400]).toContain(ack.statusCode);
  });
  it('replays an allocation sent twice without a second place, and stops the benefits with the Einstellung', async () => {
    const c = (
      await create(clerk, { ...zuweisungDaten({ personen: [single(30)] }), zahlung: { weg: 'bar' } })
    ).json();
    const uid = await unterkunft('Haus Fischbacherberg', 2);
    const key = randomUUID();
    const send = () =>
      ctx.app.inject({
        method: 'POST',
        url: `/api/cases/${c.id}/actions/unterbringen`,
        headers: { ...clerk.headers, 'idempotency-key': key },
        payload: { expectedVersion: 1, payload: { person: 0, unterkunftId: uid, einzug: '2026-11-02' } },
      });
    const first = await send();
    const again = await send();
    expect(first.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().data.belegungen).toEqual(first.json().data.belegungen);
    const log = await ctx.handle.db
      .selectFrom('asyl_belegung_log')
      .select('ereignis')
      .where('case_id', '=', c.id)
      .execute();
    expect(log).toEqual([{ ereignis: 'einzug' }]);

    expect((await act(clerk, c.id, 'bewilligen', 2, { leistungsBeginn: '2026-11-02' })).statusCode).toBe(200);
    const stop = await act(clerk, c.id, 'einstellen', 3, {
      letzterTag: '2026-11-15',
      grund: 'Wegzug nach Köln',
    });
    expect(stop.statusCode).toBe(200);
    expect(stop.json().status).toBe('eingestellt');
    // 2.-15.11.: 14/30 of 227 and 182 EUR (Stufe 2, shared accommodation).
    expect((await get(clerk, `/api/asyl/faelle/${c.id}/berechnung?monat=2026-11`)).json().summeCents).toBe(
      10593 + 8493,
    );
    expect((await get(clerk, `/api/asyl/faelle/${c.id}/berechnung?monat=2026-12`)).json().fehler).toBe(
      'Dezember 2026 liegt außerhalb des Leistungszeitraums.',
    );
    expect(
      (await act(clerk, c.id, 'unterbringen', 4, { person: 0, unterkunftId: uid, einzug: '2026-11-20' }))
        .statusCode,
    ).toBe(409);
    const out = await act(clerk, c.id, 'auszug_eingestellt', 4, { person: 0, auszug: '2026-11-15' });
    expect(out.statusCode).toBe(200);
    const view = (await get(clerk, `/api/asyl/unterkuenfte?authorityAgs=${SIEGEN}`)).json();
    expect(view.items.find((u: { id: string }) => u.id === uid)).toMatchObject({ belegt: 0, frei: 2 });

    // The next run pays this case in cash for 2.-15.11. only; the case of the Änderung test above
    // by transfer for November (29/30 of Stufe 2) and December (Stufe 1 minus 50 EUR income).
    const run = await decemberRun();
    expect(run.statusCode).toBe(201);
    expect(run.json()).toMatchObject({
      cashCount: 1,
      cashSumCents: 10593 + 8493,
      transferCount: 2,
      transferSumCents: 21943 + 17593 + (25300 + 20200 - 5000),
    });
    expect((await paymentsOf(c.id)).map((p) => [p.period, p.method])).toEqual([['2026-11', 'bar']]);
  });
});
