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
import { SOZIALHILFE_CSV_COLUMNS } from './definition.js';
import { antragDaten, person, wohnung } from './fixtures.js';

/**
 * Sozialhilfe through the HTTP API on both dialects. Rates by hand (FACTS.md §6, RBSFV 2026,
 * "Nullrunde": Regelbedarfsstufe 1 563,00 €, 2 506,00 €, 4 471,00 €, 6 357,00 €); Mehrbedarfe
 * § 30 SGB XII: Abs. 1 and 2 17 % of the person's Stufe, Abs. 3 Nr. 1 36 % of Stufe 1, Abs. 7 hot
 * water 2,3 % (Stufen 1–3), 1,4 % (4), 0,8 % (6), shares rounded half up to the cent; Kosten der
 * Unterkunft und Heizung at the actual amounts (§ 35), countable income deducted (§§ 82–84).
 * Angemessenheitsgrenzen: test values of the Kreis Siegen-Wittgenstein set by configuration below.
 */

process.env.NOTBETRIEB_SOZIALHILFE_JSON = JSON.stringify({
  kdu: [
    {
      ags: '05970000',
      bruttokaltCents: [45000, 55000, 65000, 75000],
      jeWeiterePersonCents: 10000,
      heizungCents: [6000, 8000, 10000, 12000],
      quelle: 'KdU-Richtlinie Kreis Siegen-Wittgenstein (Testwerte)',
    },
  ],
});

const SIEGEN = '05970040';
const OLPE = '05966000';
const OFFICE = 'sozialamt';
const PROC = 'sozialhilfe_leistungen';
const { tools, missing } = findXmlTools();

interface Haushaltsfall {
  name: string;
  daten: ReturnType<typeof antragDaten>;
  /** Each line by hand: [text fragment, cents, source fragment]. */
  zeilen: Array<[string, number, string]>;
  bedarf: number;
  anspruch: number;
  /** A fragment of each warning, [] for none. */
  hinweise: string[];
}

const HAUSHALTE: Haushaltsfall[] = [
  {
    name: 'Grundsicherung im Alter, alleinstehend, Merkzeichen G, Altersrente',
    daten: antragDaten({
      leistungsart: 'grundsicherung',
      personen: [
        person('Müller', 'Else', '1955-03-14', {
          merkzeichenG: true,
          einkommenCents: 61000,
          einkommensart: 'Altersrente',
        }),
      ],
      unterkunft: wohnung(34000, 8000, 6000),
    }),
    zeilen: [
      ['Regelbedarfsstufe 1', 56300, 'RBSFV 2026'], // Stufe 1: 563,00 €
      ['Merkzeichen G, 17 %', 9571, '§ 30 Abs. 1'], // 17 % of 563,00 = 95,71
      ['Unterkunft', 42000, '§ 35 Abs. 1'], // 340,00 + 80,00 (limit 1 person 450,00)
      ['Heizung', 6000, '§ 35 Abs. 4'], // limit 60,00
      ['Einkommen Else Müller: Altersrente', -61000, '§§ 82–84'],
    ],
    bedarf: 113871, // 563 + 95,71 + 420 + 60 = 1.138,71 €
    anspruch: 52871, // 1.138,71 − 610,00
    hinweise: [],
  },
  {
    name: 'Paar mit zwei Kindern (4 und 15 Jahre), Durchlauferhitzer, Miete über der Grenze',
    daten: antragDaten({
      personen: [
        person('Weiß', 'Andreas', '1985-01-10', { wohnsituation: 'mit_partner' }),
        person('Weiß', 'Jana', '1987-06-20', {
          wohnsituation: 'mit_partner',
          einkommenCents: 45000,
          einkommensart: 'Erwerbseinkommen nach Freibeträgen',
        }),
        person('Weiß', 'Lukas', '2022-08-01'),
        person('Weiß', 'Sophie', '2011-02-15'),
      ],
      unterkunft: wohnung(70000, 12000, 11000, true),
    }),
    zeilen: [
      ['Andreas Weiß: Regelbedarfsstufe 2', 50600, 'RBSFV 2026'],
      ['Andreas Weiß: dezentrale Warmwassererzeugung, 2,3 %', 1164, '§ 30 Abs. 7'], // 11,638 → 11,64
      ['Jana Weiß: Regelbedarfsstufe 2', 50600, 'RBSFV 2026'],
      ['Jana Weiß: dezentrale Warmwassererzeugung', 1164, '§ 30 Abs. 7'],
      ['Lukas Weiß: Regelbedarfsstufe 6', 35700, 'RBSFV 2026'], // 4 years on 01.12.2026
      ['Lukas Weiß: dezentrale Warmwassererzeugung, 0,8 %', 286, '§ 30 Abs. 7'], // 2,856 → 2,86
      ['Sophie Weiß: Regelbedarfsstufe 4', 47100, 'RBSFV 2026'], // 15 years on 01.12.2026
      ['Sophie Weiß: dezentrale Warmwassererzeugung, 1,4 %', 659, '§ 30 Abs. 7'], // 6,594 → 6,59
      ['Unterkunft', 82000, '§ 35 Abs. 1'], // 700,00 + 120,00
      ['Heizung', 11000, '§ 35 Abs. 4'], // limit 4 persons 120,00
      ['Einkommen Jana Weiß', -45000, '§§ 82–84'],
    ],
    // 506 + 11,64 + 506 + 11,64 + 357 + 2,86 + 471 + 6,59 + 820 + 110 = 2.802,73 €
    bedarf: 280273,
    anspruch: 235273, // − 450,00
    hinweise: ['über der Angemessenheitsgrenze von 750,00 € für 4 Personen'],
  },
  {
    name: 'Alleinerziehende, schwanger, mit Kind (2 Jahre), Unterhaltsvorschuss',
    daten: antragDaten({
      personen: [
        person('Kowalczyk', 'Maria', '1996-09-09', { alleinerziehend: true, schwanger: true }),
        person('Kowalczyk', 'Emil', '2024-05-05', {
          einkommenCents: 20000,
          einkommensart: 'Unterhaltsvorschuss',
        }),
      ],
      unterkunft: wohnung(40000, 9000, 7000),
      zahlung: { weg: 'ueberweisung', kontoinhaber: 'Maria Kowalczyk', iban: 'DE02 1203 0000 0000 2020 51' },
    }),
    zeilen: [
      ['Maria Kowalczyk: Regelbedarfsstufe 1', 56300, 'RBSFV 2026'],
      ['Schwangerschaft nach der 12. Woche, 17 %', 9571, '§ 30 Abs. 2'], // 17 % of 563,00
      ['alleinerziehend mit 1 Kind, 36 %', 20268, '§ 30 Abs. 3 Nr. 1'], // 36 % of 563,00 = 202,68
      ['Emil Kowalczyk: Regelbedarfsstufe 6', 35700, 'RBSFV 2026'],
      ['Unterkunft', 49000, '§ 35 Abs. 1'], // limit 2 persons 550,00
      ['Heizung', 7000, '§ 35 Abs. 4'], // limit 80,00
      ['Einkommen Emil Kowalczyk: Unterhaltsvorschuss', -20000, '§§ 82–84'],
    ],
    bedarf: 177839, // 563 + 95,71 + 202,68 + 357 + 490 + 70 = 1.778,39 €
    anspruch: 157839, // − 200,00
    hinweise: [],
  },
];

describeEachDialect(
  'Sozialhilfe (SGB XII): Antrag, Berechnung, Bescheide, Vorschuss, Zahlung, Übergabe',
  (dialect) => {
    let ctx: TestContext;
    let clerk: TestUser;
    let leitung: TestUser;
    let olpe: TestUser;
    let standesamt: TestUser;
    const ids: string[] = [];

    const post = (user: TestUser, url: string, payload: object) =>
      ctx.app.inject({
        method: 'POST',
        url,
        headers: { ...user.headers, 'idempotency-key': randomUUID() },
        payload,
      });
    const get = (user: TestUser, url: string) =>
      ctx.app.inject({ method: 'GET', url, headers: user.headers });
    const create = (user: TestUser, data: object, ags = SIEGEN) =>
      post(user, '/api/cases', { procedureId: PROC, authorityAgs: ags, data });
    const act = (user: TestUser, id: string, action: string, expectedVersion: number, payload: object = {}) =>
      post(user, `/api/cases/${id}/actions/${action}`, { expectedVersion, payload });
    const calc = async (id: string, monat: string) =>
      (await get(clerk, `/api/sozialhilfe/faelle/${id}/berechnung?monat=${monat}`)).json();
    const caseOf = async (id: string) => (await get(clerk, `/api/cases/${id}`)).json();
    const countCases = async () =>
      Number(
        (
          await ctx.handle.db
            .selectFrom('cases')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const pdf = async (id: string) => {
      const r = await ctx.app.inject({
        method: 'GET',
        url: `/api/cases/${id}/documents/sozialhilfe_bescheid`,
        headers: clerk.headers,
      });
      expect(r.statusCode).toBe(200);
      expect(fontsEmbedded(r.rawPayload)).toBe(true);
      return (await pdfText(r.rawPayload)).replace(/\s+/g, ' ');
    };
    const run = (body: object) =>
      post(clerk, '/api/payment-runs', { authorityAgs: SIEGEN, officeType: OFFICE, ...body });
    /** The id of the (only) case action of that kind: the decision a payment must name. */
    const actionId = async (caseId: string, action: string) =>
      (
        await ctx.handle.db
          .selectFrom('case_action')
          .select('id')
          .where('case_id', '=', caseId)
          .where('action', '=', action)
          .executeTakeFirstOrThrow()
      ).id;
    const paymentsOf = (id: string) => paymentsOfCase(ctx, clerk, id);

    beforeAll(async () => {
      ctx = await createTestContext(dialect);
      clerk = await userWith(ctx, [{ ags: SIEGEN, office: OFFICE }], { displayName: 'Sandra Sozial' });
      leitung = await userWith(ctx, [{ ags: SIEGEN, office: OFFICE, role: 'leitung' }]);
      olpe = await userWith(ctx, [{ ags: OLPE, office: OFFICE, role: 'leitung' }]);
      standesamt = await userWith(ctx, [{ ags: SIEGEN, office: 'standesamt', role: 'leitung' }]);
    });
    afterAll(() => ctx.close());

    it('refuses an application with bad data in German and stores nothing', async () => {
      const before = await countCases();
      const bad = antragDaten({ iban: 'DE00 1234', antragsdatum: '2026-12-01' });
      (bad.personen[0] as { geburtsdatum: string }).geburtsdatum = '2027-01-01';
      const r = await create(clerk, bad);
      expect(r.statusCode).toBe(400);
      expect(r.json().errors).toEqual(
        expect.arrayContaining([
          { path: 'data/antrag/antragsdatum', message: 'Antrag gestellt am: liegt in der Zukunft.' },
          { path: 'data/personen/0/geburtsdatum', message: 'Geburtsdatum: liegt in der Zukunft.' },
          { path: 'data/zahlung/iban', message: 'IBAN: ungültig (Prüfziffer stimmt nicht).' },
        ]),
      );
      const leer = await create(clerk, antragDaten({ personen: [] }));
      expect(leer.statusCode).toBe(400);
      expect(leer.json().errors).toContainEqual({
        path: 'data/personen',
        message: 'Mitglieder: Mindestens eine Person angeben.',
      });
      expect((await create(standesamt, antragDaten())).statusCode).toBe(403);
      expect(await countCases()).toBe(before);
    });

    it('computes three households line by line as worked out by hand, before the decision', async () => {
      for (const h of HAUSHALTE) {
        const created = await create(clerk, h.daten);
        expect(created.statusCode, h.name).toBe(201);
        expect(created.json().aktenzeichen).toMatch(/^SH \d+\/2026$/);
        ids.push(created.json().id);
        const r = await calc(created.json().id, '2026-12');
        expect(r.grundlage).toBe('antrag');
        expect(r.fehler).toBeNull();
        const b = r.berechnung;
        expect(
          b.zeilen.map((z: { cents: number }) => z.cents),
          h.name,
        ).toEqual(h.zeilen.map((z) => z[1]));
        h.zeilen.forEach(([text, , quelle], i) => {
          expect(b.zeilen[i].text, h.name).toContain(text);
          expect(b.zeilen[i].quelle, h.name).toContain(quelle);
        });
        expect(b.bedarfCents, h.name).toBe(h.bedarf);
        expect(b.anspruchCents, h.name).toBe(h.anspruch);
        const kdu = b.hinweise.filter(
          (x: string) => x.includes('Angemessenheitsgrenze') || x.includes('Grenzwert'),
        );
        expect(kdu.length, h.name).toBe(h.hinweise.length);
        for (const x of h.hinweise) expect(kdu.join(' ')).toContain(x);
      }
      expect(ids).toHaveLength(3);
      expect((await get(olpe, `/api/sozialhilfe/faelle/${ids[0]}/berechnung`)).statusCode).toBe(403);
      expect((await get(standesamt, `/api/sozialhilfe/faelle/${ids[0]}/berechnung`)).statusCode).toBe(403);
    });

    it('refuses actions with German messages and changes nothing', async () => {
      const id = ids[1] as string;
      const early = await act(clerk, id, 'bewilligen', 1, { abMonat: '2026-10' });
      expect(early.statusCode).toBe(400);
      expect(early.json().errors[0].message).toBe(
        'Bewilligung ab Monat: frühestens ab dem Monat des Antrags (November 2026).',
      );
      const badMonth = await act(clerk, id, 'bewilligen', 1, { abMonat: '12/2026' });
      expect(badMonth.statusCode).toBe(400);
      expect(badMonth.json().errors[0].message).toBe(
        'Bewilligung ab Monat: Bitte einen Monat im Format JJJJ-MM angeben.',
      );
      const far = await act(clerk, id, 'bewilligen', 1, { abMonat: '2027-12' });
      expect(far.statusCode).toBe(400);
      expect(far.json().errors[0].message).toBe('Dezember 2027: höchstens zwölf Monate im Voraus.');
      const noReason = await act(clerk, id, 'ablehnen', 1, {});
      expect(noReason.statusCode).toBe(400);
      expect(noReason.json().errors[0].message).toBe('Grund der Ablehnung: Bitte angeben.');
      const zero = await act(clerk, id, 'vorschuss', 1, { betragCents: 0, grund: 'Miete fällig' });
      expect(zero.statusCode).toBe(400);
      expect(zero.json().errors[0].message).toBe('Vorschuss (§ 42 SGB I): mindestens 0,01 €.');
      expect(
        (await act(clerk, id, 'einstellen', 1, { letzterMonat: '2026-12', grund: 'x' })).statusCode,
      ).toBe(409);
      expect((await act(olpe, id, 'bewilligen', 1, { abMonat: '2026-12' })).statusCode).toBe(403);
      expect((await act(standesamt, id, 'vorschuss', 1, { betragCents: 100, grund: 'x' })).statusCode).toBe(
        403,
      );
      const view = await caseOf(id);
      expect(view.version).toBe(1);
      expect(view.status).toBe('beantragt');
      expect(view.data.bewilligung).toBeUndefined();
      expect(view.data.vorschuesse).toBeUndefined();
    });

    it('rejects with a reason; the advance paid is to be repaid; the Bescheid says so with the Rechtsbehelfsbelehrung', async () => {
      const id = ids[0] as string;
      // Sent twice (a retry after a lost answer): one advance, the first answer replayed.
      const key = randomUUID();
      const send = () =>
        ctx.app.inject({
          method: 'POST',
          url: `/api/cases/${id}/actions/vorschuss`,
          headers: { ...clerk.headers, 'idempotency-key': key },
          payload: { expectedVersion: 1, payload: { betragCents: 30000, grund: 'Miete Dezember' } },
        });
      const v = await send();
      expect(v.statusCode).toBe(200);
      const again = await send();
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.json().version).toBe(2);
      expect(v.json().data.vorschuesse).toEqual([
        { betragCents: 30000, grund: 'Miete Dezember', am: '2026-11-26' },
      ]);
      const r = await act(clerk, id, 'ablehnen', 2, {
        grund: 'Das Vermögen übersteigt die Freibeträge (§ 90 SGB XII).',
      });
      expect(r.statusCode).toBe(200);
      expect(r.json().status).toBe('abgelehnt');
      expect((await act(clerk, id, 'vorschuss', 3, { betragCents: 100, grund: 'x' })).statusCode).toBe(409);
      const calcAfter = await calc(id, '2026-12');
      expect(calcAfter.vorschuss).toEqual({
        summeCents: 30000,
        angerechnetCents: 0,
        offenCents: 0,
        erstattungCents: 30000,
      });
      const t = await pdf(id);
      expect(t).toContain(
        'Ihr Antrag vom 10.11.2026 auf Grundsicherung im Alter und bei Erwerbsminderung (4. Kapitel SGB XII) wird abgelehnt.',
      );
      expect(t).toContain('Das Vermögen übersteigt die Freibeträge (§ 90 SGB XII).');
      expect(t).toContain(
        'Der gezahlte Vorschuss von 300,00 EUR übersteigt die zustehende Leistung und ist zu erstatten',
      );
      expect(t).toContain('Rechtsbehelfsbelehrung');
      expect(t).toContain(
        'innerhalb eines Monats, nachdem er Ihnen bekannt gegeben worden ist, Widerspruch erheben',
      );
      expect(t).toContain('zur Niederschrift bei Siegen');
    });

    it('pays the advance, then each month minus the set-off by SEPA; an Änderung changes the next months only', async () => {
      const id = ids[2] as string;
      expect(
        (
          await ctx.app.inject({
            method: 'PUT',
            url: `/api/payment-accounts/${SIEGEN}/${OFFICE}`,
            headers: { ...leitung.headers, 'idempotency-key': randomUUID() },
            payload: { name: 'Stadt Siegen', iban: 'DE02120300000000202051', town: 'Siegen', country: 'DE' },
          })
        ).statusCode,
      ).toBe(200);
      expect(
        (await act(clerk, id, 'vorschuss', 1, { betragCents: 100000, grund: 'Mietrückstand' })).statusCode,
      ).toBe(200);
      // Run 1 by date: the advance is due the day it was granted; the rejected case's advance is not paid.
      const r1 = await run({ dueUntil: '2026-11-26', executionDate: '2026-11-27' });
      expect(r1.statusCode).toBe(201);
      expect(r1.json()).toMatchObject({ transferCount: 1, transferSumCents: 100000 });
      expect((await post(leitung, `/api/payment-runs/${r1.json().id}/approval`, {})).statusCode).toBe(200);
      expect(await paymentsOf(ids[0] as string)).toEqual([]);

      const b = await act(clerk, id, 'bewilligen', 2, { abMonat: '2026-11' });
      expect(b.statusCode).toBe(200);
      expect(b.json().status).toBe('bewilligt');
      // The lines of the first month are stored with the decision.
      const stored = b.json().data.fassungen[0].berechnung;
      expect(stored.monat).toBe('2026-11');
      expect(stored.anspruchCents).toBe(157839);
      const nov = await calc(id, '2026-11');
      expect(nov.zahlung).toEqual({ anspruchCents: 157839, anrechnungCents: 100000, zahlCents: 57839 });
      const bescheid = await pdf(id);
      expect(bescheid).toContain('Anrechnung des Vorschusses (§ 42 Abs. 2 SGB I)');
      expect(bescheid).toContain(
        'November 2026: Anspruch 1.578,39 EUR, angerechnet 1.000,00 EUR, Zahlbetrag 578,39 EUR',
      );
      expect(bescheid).toContain('Überweisung an Maria Kowalczyk');

      // Run 2 for December: November minus the advance, December in full.
      const r2 = await run({ month: '2026-12', executionDate: '2026-11-30' });
      expect(r2.statusCode).toBe(201);
      expect(r2.json()).toMatchObject({ transferCount: 2, transferSumCents: 57839 + 157839 });
      const bewilligung = await actionId(id, 'bewilligen');
      const vorschuss = await actionId(id, 'vorschuss');
      const paid = await paymentsOf(id);
      expect(paid.map((p) => [p.period, p.amountCents, p.decisionRef]).sort()).toEqual([
        ['2026-11', 100000, vorschuss], // (sorted as text)
        ['2026-11', 57839, bewilligung],
        ['2026-12', 157839, bewilligung],
      ]);
      expect((await post(clerk, `/api/payment-runs/${r2.json().id}/approval`, {})).statusCode).toBe(403);
      expect((await post(leitung, `/api/payment-runs/${r2.json().id}/approval`, {})).statusCode).toBe(200);
      const file = await get(clerk, `/api/payment-runs/${r2.json().id}/file`);
      expect(file.statusCode).toBe(200);
      expect(file.body).toContain('<Nm>Maria Kowalczyk</Nm>');

      // Änderung from January: the maintenance advance rises to 500 € (countable); earlier months stay.
      const h = HAUSHALTE[2]?.daten as ReturnType<typeof antragDaten>;
      const personen = structuredClone(h.personen) as Array<Record<string, unknown>>;
      (personen[1] as { einkommenCents: number }).einkommenCents = 50000;
      const early = await act(clerk, id, 'aendern', 3, {
        abMonat: '2026-10',
        grund: 'Unterhalt',
        personen,
        unterkunft: h.unterkunft,
      });
      expect(early.statusCode).toBe(400);
      expect(early.json().errors[0].message).toBe(
        'Änderung ab Monat: nicht vor dem Beginn der Bewilligung (November 2026).',
      );
      const ch = await act(clerk, id, 'aendern', 3, {
        abMonat: '2027-01',
        grund: 'Höherer Unterhaltsvorschuss',
        personen,
        unterkunft: h.unterkunft,
      });
      expect(ch.statusCode).toBe(200);
      expect((await calc(id, '2026-12')).berechnung.anspruchCents).toBe(157839);
      const jan = await calc(id, '2027-01');
      expect(jan.fassungAb).toBe('2027-01');
      expect(jan.berechnung.anspruchCents).toBe(177839 - 50000);
      expect(jan.berechnung.hinweise.join(' ')).toContain('Regelbedarf für 2027-01 nicht bestätigt');
      const r3 = await run({ month: '2027-01', executionDate: '2026-12-30' });
      expect(r3.statusCode).toBe(201);
      expect(r3.json()).toMatchObject({ transferCount: 1, transferSumCents: 127839 });
      const aenderung = await actionId(id, 'aendern');
      expect((await paymentsOf(id)).find((p) => p.period === '2027-01')).toMatchObject({
        amountCents: 127839,
        decisionRef: aenderung,
        purpose: 'Sozialhilfe (SGB XII) Januar 2027',
      });

      // Einstellung after January: nothing more is due.
      const bad = await act(clerk, id, 'einstellen', 4, { letzterMonat: '2026-10', grund: 'Umzug' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors[0].message).toBe(
        'Letzter Leistungsmonat: liegt vor dem Beginn der Bewilligung (November 2026).',
      );
      const stop = await act(clerk, id, 'einstellen', 4, {
        letzterMonat: '2027-01',
        grund: 'Umzug nach Köln',
      });
      expect(stop.statusCode).toBe(200);
      expect(stop.json().status).toBe('eingestellt');
      const t = await pdf(id);
      expect(t).toContain(
        'Änderungsbescheid: Die Leistungen (Hilfe zum Lebensunterhalt (3. Kapitel SGB XII)) werden wegen geänderter Verhältnisse ab Januar 2027 neu festgesetzt. Grund: Höherer Unterhaltsvorschuss.',
      );
      expect(t).toContain(
        'Die Leistungen werden mit Ablauf des Monats Januar 2027 eingestellt. Grund: Umzug nach Köln.',
      );
      expect(t).toContain('Berechnung für Januar 2027 (2 Personen)');
      expect((await calc(id, '2027-02')).fehler).toBe(
        'Februar 2027 liegt nach der Einstellung (letzter Leistungsmonat Januar 2027).',
      );
      const r4 = await run({ month: '2027-02', executionDate: '2027-01-22' });
      expect(r4.statusCode).toBe(409);

      if (!tools) return console.warn(missing);
      const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sozialhilfe-sepa-')), 'run.xml');
      fs.writeFileSync(f, file.body);
      expect(schemaErrors(tools, sepaXsd(tools), f)).toBe('');
      expect(xpath(tools, f, "string(//*[local-name()='GrpHdr']/*[local-name()='CtrlSum'])")).toBe('2156.78');
    });

    it('writes the Bescheid of a Bewilligung with every line, its source, the KdU warning and the Rechtsbehelfsbelehrung', async () => {
      const id = ids[1] as string;
      const b = await act(clerk, id, 'bewilligen', 1, { abMonat: '2026-12' });
      expect(b.statusCode).toBe(200);
      const t = await pdf(id);
      expect(t).toContain(
        'Ihnen wird ab Dezember 2026 Hilfe zum Lebensunterhalt (3. Kapitel SGB XII) bewilligt.',
      );
      expect(t).toContain('Weiß, Sophie');
      expect(t).toContain('Regelbedarf Sophie Weiß: Regelbedarfsstufe 4');
      expect(t).toContain(': 471,00 EUR (§ 27a, § 28 SGB XII mit Anlage; RBSFV 2026 (Nullrunde))');
      expect(t).toContain(
        'Mehrbedarf Lukas Weiß: dezentrale Warmwassererzeugung, 0,8 % der Regelbedarfsstufe 6',
      );
      expect(t).toContain('2,86 EUR (§ 30 Abs. 7 SGB XII)');
      expect(t).toContain('Gesamtbedarf: 2.802,73 EUR');
      expect(t).toContain('Monatlicher Anspruch: 2.352,73 EUR');
      expect(t).toContain('liegen über der Angemessenheitsgrenze von 750,00 € für 4 Personen');
      expect(t).toContain('Überweisung an Jürgen Özdemir');
      expect(t).toContain('Rechtsbehelfsbelehrung');
      expect(t).toContain('(§ 84 Abs. 1 SGG)');
    });

    it('hands decisions, advances and monthly entitlements with their payment keys over as CSV', async () => {
      const res = await post(clerk, '/api/handover/batches', { procedureId: PROC, authorityAgs: SIEGEN });
      expect(res.statusCode).toBe(201);
      const batch = res.json();
      const body = (await get(clerk, batch.files[0].href)).body as string;
      const rows = csvRecords(body, SOZIALHILFE_CSV_COLUMNS);
      const id = ids[2] as string;
      const mine = rows.filter((r) => r.vorgangs_id === id);
      expect(mine.map((r) => r.satzart)).toEqual([
        'person',
        'person',
        'bescheid',
        ...Array(7).fill('berechnung'),
        'bescheid',
        ...Array(7).fill('berechnung'),
        'vorschuss',
        'anspruch',
        'bescheid',
      ]);
      expect(mine[0]).toMatchObject({
        familienname: 'Kowalczyk',
        vornamen: 'Maria',
        details: '1',
        status: 'eingestellt',
      });
      expect(mine[1]).toMatchObject({ vornamen: 'Emil', details: '6', betrag_cent: '50000' });
      expect(mine[2]).toMatchObject({ art: 'bewilligung', gueltig_ab: '2026-11', betrag_cent: '157839' });
      expect(mine.find((r) => r.art === 'aenderung')).toMatchObject({
        gueltig_ab: '2027-01',
        betrag_cent: '127839',
      });
      expect(mine.find((r) => r.satzart === 'vorschuss')).toMatchObject({
        betrag_cent: '100000',
        zahlungsschluessel: `sozialhilfe:${id}:vorschuss:1`,
      });
      // Export month November 2026 (the test clock): entitlement, set-off of the advance, amount paid.
      expect(mine.find((r) => r.satzart === 'anspruch')).toMatchObject({
        gueltig_ab: '2026-11',
        betrag_cent: '157839',
        anrechnung_cent: '100000',
        zahlbetrag_cent: '57839',
        zahlungsschluessel: `sozialhilfe:${id}:2026-11`,
      });
      expect(mine[mine.length - 1]).toMatchObject({ art: 'einstellung', gueltig_bis: '2027-01' });
      const rejected = rows.filter((r) => r.vorgangs_id === ids[0]);
      expect(rejected.map((r) => r.satzart)).toEqual(['person', 'bescheid', 'vorschuss', 'erstattung']);
      expect(rejected[3]).toMatchObject({ betrag_cent: '30000' });
    });

    it('pays a raise of a month already paid as a Nachzahlung under its own key, and a cash advance at the counter', async () => {
      const id = ids[1] as string; // bewilligt from December 2026 above: 2.352,73 € a month
      const r1 = await run({ month: '2026-12', executionDate: '2026-11-30' });
      expect(r1.statusCode).toBe(201);
      expect(r1.json()).toMatchObject({ transferCount: 1, transferSumCents: 235273 });
      expect((await post(leitung, `/api/payment-runs/${r1.json().id}/approval`, {})).statusCode).toBe(200);
      // Jana's earnings stop from December: December rises by 450,00 € to 2.802,73 €.
      const h = HAUSHALTE[1]?.daten as ReturnType<typeof antragDaten>;
      const personen = structuredClone(h.personen) as Array<Record<string, unknown>>;
      delete personen[1]?.einkommenCents;
      delete personen[1]?.einkommensart;
      const ch = await act(clerk, id, 'aendern', 2, {
        abMonat: '2026-12',
        grund: 'Arbeitsstelle verloren',
        personen,
        unterkunft: h.unterkunft,
      });
      expect(ch.statusCode).toBe(200);
      expect((await calc(id, '2026-12')).berechnung.anspruchCents).toBe(280273);
      // A cash case with an advance.
      const bar = await create(
        clerk,
        antragDaten({ personen: [person('Brück', 'Hans-Jürgen', '1970-07-07')], zahlung: { weg: 'bar' } }),
      );
      expect(
        (await act(clerk, bar.json().id, 'vorschuss', 1, { betragCents: 5000, grund: 'Lebensmittel' }))
          .statusCode,
      ).toBe(200);
      const r2 = await run({ month: '2026-12', executionDate: '2026-11-30' });
      expect(r2.statusCode).toBe(201);
      expect(r2.json()).toMatchObject({
        transferCount: 1,
        transferSumCents: 45000,
        cashCount: 1,
        cashSumCents: 5000,
      });
      const aenderung = await actionId(id, 'aendern');
      const nach = (await paymentsOf(id)).filter((p) => p.purpose.startsWith('Nachzahlung'));
      expect(nach).toEqual([
        expect.objectContaining({ period: '2026-12', amountCents: 45000, decisionRef: aenderung }),
      ]);
      const claimed = await ctx.handle.db
        .selectFrom('payment')
        .select('obligation_key')
        .where('case_id', '=', id)
        .orderBy('obligation_key')
        .execute();
      expect(claimed.map((c) => c.obligation_key)).toEqual([
        `sozialhilfe:${id}:2026-12`,
        `sozialhilfe:${id}:2026-12:nachzahlung:${aenderung}`,
      ]);
      expect((await paymentsOf(bar.json().id)).map((p) => [p.period, p.amountCents])).toEqual([
        ['2026-11', 5000],
      ]);

      // The bank returns December's first payment (account closed); re-queued, the next run pays it
      // again, without the Nachzahlung already on its way: 2.802,73 − 450,00 = 2.352,73 €.
      const first = (await paymentsOf(id)).find((p) => !p.purpose.startsWith('Nachzahlung'));
      const back = await post(clerk, `/api/payments/${first?.id}/return`, {
        grund: 'AC04',
        erneutZahlen: true,
      });
      expect(back.statusCode).toBe(200);
      const r3 = await run({ month: '2026-12', executionDate: '2026-11-30' });
      expect(r3.statusCode).toBe(201);
      expect(r3.json()).toMatchObject({ transferCount: 1, transferSumCents: 235273 });
    });
  },
);
