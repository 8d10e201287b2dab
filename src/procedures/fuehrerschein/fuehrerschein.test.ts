import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createTestContext,
  describeEachDialect,
  type TestContext,
  type TestUser,
  userWith,
} from '../../../test/harness.js';
import { fontsEmbedded, pdfText } from '../../../test/pdf.js';
import { ersatzDaten, ersterteilungDaten, internationalDaten, umtauschDaten } from './fixtures.js';
import { STANDARD_GEBUEHREN } from './gebuehren.js';
import { fuehrerscheinPruefziffer } from './nummer.js';

const SIWI = '05970000'; // Kreis Siegen-Wittgenstein
const OLPE = '05966000'; // Kreis Olpe
const OFFICE = 'fahrerlaubnisbehoerde';

/** A valid new Führerscheinnummer with the given serial part (9 characters). */
const nummer = (first9: string, ausfertigung = '1') =>
  `${first9}${fuehrerscheinPruefziffer(first9)}${ausfertigung}`;

function api(getCtx: () => TestContext) {
  const create = (user: TestUser | null, procedureId: string, data: unknown, ags = SIWI) =>
    getCtx().app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: { ...(user?.headers ?? {}), 'idempotency-key': randomUUID() },
      payload: { procedureId, authorityAgs: ags, data },
    });
  const act = (user: TestUser, id: string, action: string, expectedVersion: number, payload: unknown = {}) =>
    getCtx().app.inject({
      method: 'POST',
      url: `/api/cases/${id}/actions/${action}`,
      headers: { ...user.headers, 'idempotency-key': randomUUID() },
      payload: { expectedVersion, payload },
    });
  const get = (user: TestUser, url: string) =>
    getCtx().app.inject({ method: 'GET', url, headers: user.headers });
  const count = async (table: 'cases' | 'cash_journal_entry' | 'fahrerlaubnis_nummer') =>
    Number(
      (
        await getCtx()
          .handle.db.selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { create, act, get, count };
}

describeEachDialect('Fahrerlaubnisbehörde: Anträge, Gebühr, vorläufiger Nachweis', (dialect) => {
  let ctx: TestContext;
  let clerk: TestUser;
  let olpeClerk: TestUser;
  let zulassung: TestUser;
  const { create, act, get, count } = api(() => ctx);
  let bf17Aktenzeichen = '';

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    clerk = await userWith(ctx, [{ ags: SIWI, office: OFFICE }], { displayName: 'Frieda Führerschein' });
    olpeClerk = await userWith(ctx, [{ ags: OLPE, office: OFFICE }]);
    zulassung = await userWith(ctx, [{ ags: SIWI, office: 'zulassungsstelle', role: 'leitung' }]);
  });
  afterAll(() => ctx.close());

  it('takes a BF17 application, books the fee in cash and issues the Prüfungsbescheinigung with the companions', async () => {
    const res = await create(clerk, 'fahrerlaubnis_ersterteilung', ersterteilungDaten());
    expect(res.statusCode).toBe(201);
    const c = res.json();
    bf17Aktenzeichen = c.aktenzeichen;
    expect(c.aktenzeichen).toMatch(/^FE \d+\/2026$/);
    expect(c.summary).toBe('Müßig, Lea – Fahrerlaubnis B (BF17)');
    expect(c.data.antrag.klassen).toEqual(['B']);
    expect(c.data.pruefung.klassen).toEqual([
      expect.objectContaining({ klasse: 'B', jahre: 17, ab: '2026-09-10' }),
    ]);
    expect(c.data.kosten).toMatchObject({ stichtag: '2026-11-26', summeCents: 4340 });
    expect(c.data.kosten.positionen[0].code).toBe('FE_ERSTERTEILUNG');

    const paid = await act(clerk, c.id, 'gebuehr_bar_bezahlen', 1);
    expect(paid.statusCode).toBe(200);
    expect(paid.json().status).toBe('bezahlt');
    const zahlung = paid.json().data.zahlung;
    expect(zahlung).toMatchObject({ betragCents: 4340, tag: '2026-11-26', belegNr: 1 });
    const day = (await get(clerk, `/api/cashjournal/${SIWI}/${OFFICE}/days/today`)).json();
    expect(day.entries).toEqual([
      expect.objectContaining({
        id: zahlung.kassenbuchungId,
        amountCents: 4340,
        purpose: 'Gebühr Fahrerlaubnis',
        feeCode: 'FE_ERSTERTEILUNG',
        reference: { type: 'case', id: c.id, label: c.aktenzeichen },
        createdByName: 'Frieda Führerschein',
      }),
    ]);
    // Paying twice is refused; the journal keeps one entry.
    expect((await act(clerk, c.id, 'gebuehr_bar_bezahlen', 2)).statusCode).toBe(409);
    expect(await count('cash_journal_entry')).toBe(1);

    const future = await act(clerk, c.id, 'nachweis_ausstellen', 2, {
      ausgestelltAm: '2026-11-27',
      pruefungBestandenAm: '2026-11-26',
    });
    expect(future.statusCode).toBe(400);
    expect(future.json().errors).toEqual([
      {
        path: 'payload/ausgestelltAm',
        message: 'Ausgestellt am: zwischen dem Antragsdatum (26.11.2026) und heute.',
      },
    ]);
    const badNumber = await act(clerk, c.id, 'nachweis_ausstellen', 2, {
      ausgestelltAm: '2026-11-26',
      pruefungBestandenAm: '2026-11-26',
      fuehrerscheinnummer: 'B072RRE2I45',
    });
    expect(badNumber.statusCode).toBe(400);
    expect(JSON.stringify(badNumber.json().errors)).toContain('Prüfziffer stimmt nicht');

    const examFirst = await act(clerk, c.id, 'nachweis_ausstellen', 2, {
      ausgestelltAm: '2026-11-26',
      pruefungBestandenAm: '2026-11-25',
    });
    expect(examFirst.json().errors).toEqual([
      {
        path: 'payload/pruefungBestandenAm',
        message:
          'Praktische Prüfung bestanden am: nicht vor dem Antrag und frühestens 1 Monat vor Erreichen des Mindestalters (ab 26.11.2026).',
      },
    ]);
    const issued = await act(clerk, c.id, 'nachweis_ausstellen', 2, {
      ausgestelltAm: '2026-11-26',
      pruefungBestandenAm: '2026-11-26',
      fuehrerscheinnummer: 'b072 rre2 i55',
    });
    expect(issued.statusCode).toBe(200);
    const v = issued.json();
    expect(v.status).toBe('nachweis_ausgestellt');
    expect(v.data.nachweis).toMatchObject({
      art: 'pruefungsbescheinigung_bf17',
      ausgestelltAm: '2026-11-26',
      // Until three months after the 18th birthday (10 Sep 2027).
      gueltigBis: '2027-12-09',
      klassen: ['B'],
      fuehrerscheinnummer: 'B072RRE2I55',
      begleitpersonen: ['Müßig, Bärbel (geb. 03.03.1975)'],
    });
    expect(v.data.nachweis.auflagen).toEqual([
      'Klassen B/BE: bis zum 18. Geburtstag (10.09.2027) nur in Begleitung einer der unten genannten Begleitpersonen und nur im Inland (§ 48a Abs. 2 FeV).',
    ]);
    expect(v.documents.map((d: { id: string }) => d.id)).toEqual(['vorlaeufiger_nachweis']);

    const pdf = await get(clerk, `/api/cases/${c.id}/documents/vorlaeufiger_nachweis`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(fontsEmbedded(pdf.rawPayload)).toBe(true);
    const text = await pdfText(pdf.rawPayload);
    for (const s of [
      'AUSGESTELLT IM NOTBETRIEB',
      'Vorläufiger Nachweis der Fahrberechtigung',
      'Prüfungsbescheinigung zum „Begleiteten Fahren ab 17 Jahre"',
      'Müßig, Lea',
      'Müßig, Bärbel (geb. 03.03.1975)',
      'Gültig bis: 09.12.2027',
      'Führerscheinnummer: B072RRE2I55',
      'Koblenzer Straße 73, 57072 Siegen',
    ])
      expect(text).toContain(s);
  });

  it('refuses what the class rules forbid with the field and a German message, and records nothing', async () => {
    const before = await count('cases');
    const young = await create(
      clerk,
      'fahrerlaubnis_ersterteilung',
      ersterteilungDaten({
        begleitpersonen: [
          {
            familienname: 'Jäger',
            vornamen: 'Jörn',
            geburtsdatum: '2000-01-01',
            klasseBSeit: '2018-05-01',
            punkte: 0,
          },
        ],
      }),
    );
    expect(young.statusCode).toBe(400);
    expect(young.json().errors).toEqual([
      {
        path: 'data/begleitpersonen/0/geburtsdatum',
        message: 'Begleitperson Jörn Jäger: muss mindestens 30 Jahre alt sein (§ 48a Abs. 5 FeV).',
      },
    ]);
    const ce = await create(
      clerk,
      'fahrerlaubnis_ersterteilung',
      ersterteilungDaten({
        bewerber: { familienname: 'Groß', vornamen: 'Uwe', geburtsdatum: '1990-01-01', geburtsort: 'Olpe' },
        antrag: { antragsdatum: '2026-11-26', klassen: 'CE', begleitetesFahren: false },
        vorbesitz: { klassen: 'B' },
        begleitpersonen: [],
      }),
    );
    expect(ce.statusCode).toBe(400);
    expect(ce.json().errors[0].message).toBe(
      'Klasse CE setzt die Klasse C voraus (§ 9 Abs. 2 FeV); C ist weder vorhanden noch mit beantragt.',
    );
    const hostile = await create(clerk, 'fahrerlaubnis_ersterteilung', {
      ...ersterteilungDaten(),
      antrag: { antragsdatum: '2026-11-26', klassen: ['B', '<script>'], begleitetesFahren: true },
    });
    expect(hostile.statusCode).toBe(400);
    expect(await count('cases')).toBe(before);
  });

  it('issues a class no earlier than the day of the minimum age, and an Erweiterung costs the Erweiterung fee', async () => {
    // Sixteen and a half on the application day: may apply for BF17, gets it on the 17th birthday.
    const res = await create(
      clerk,
      'fahrerlaubnis_ersterteilung',
      ersterteilungDaten({
        bewerber: {
          familienname: 'Kühn',
          vornamen: 'Till',
          geburtsdatum: '2010-04-01',
          geburtsort: 'Netphen',
        },
        vorbesitz: { klassen: 'AM' },
      }),
    );
    expect(res.statusCode).toBe(201);
    const c = res.json();
    expect(c.data.kosten.positionen.map((f: { code: string }) => f.code)).toEqual(['FE_ERWEITERUNG']);
    expect(c.data.kosten.summeCents).toBe(4260);
    await act(clerk, c.id, 'gebuehr_bar_bezahlen', 1);
    const early = await act(clerk, c.id, 'nachweis_ausstellen', 2, {
      ausgestelltAm: '2026-11-26',
      pruefungBestandenAm: '2026-11-26',
    });
    expect(early.statusCode).toBe(400);
    expect(early.json().detail).toBe(
      'Klasse B darf erst ab dem 01.04.2027 erteilt werden (Mindestalter 17 Jahre, § 10 Abs. 1 Nr. 5 b aa FeV (Begleitetes Fahren ab 17, § 48a FeV)); der vorläufige Nachweis kann ab diesem Tag ausgestellt werden.',
    );
    expect((await get(clerk, `/api/cases/${c.id}`)).json().status).toBe('bezahlt');
  });

  it('computes the exchange deadline of an old licence and shows it as overdue; a 2013 card is not exchanged', async () => {
    const paper = await create(clerk, 'fuehrerschein_umtausch', umtauschDaten());
    expect(paper.statusCode).toBe(201);
    const p = paper.json();
    expect(p.data.umtauschfrist).toEqual({
      frist: '2024-01-19',
      grundlage: 'Anlage 8e FeV: bis 31.12.1998 ausgestellt, Geburtsjahr 1965 bis 1970',
      dokument: 'papier',
      stichtag: '2026-11-26',
      ueberfaellig: true,
    });
    expect(p.summary).toBe('Schäfer, Jörg – Umtausch (Frist 19.01.2024, überfällig)');
    expect(p.data.neueKlassen).toEqual(['AM', 'A1', 'B', 'BE', 'C1', 'C1E', 'L']);
    expect(p.data.kosten.summeCents).toBe(2650);

    const card = await create(
      clerk,
      'fuehrerschein_umtausch',
      umtauschDaten({
        bisherigerFuehrerschein: {
          ausgestelltAm: '2009-03-02',
          ausstellendeBehoerde: 'Stadt Siegen',
          nummer: nummer('K5970A123'),
        },
      }),
    );
    expect(card.statusCode).toBe(201);
    expect(card.json().data.umtauschfrist).toMatchObject({
      frist: '2030-01-19',
      ueberfaellig: false,
      dokument: 'karte',
    });

    const recent = await create(
      clerk,
      'fuehrerschein_umtausch',
      umtauschDaten({
        bisherigerFuehrerschein: { ausgestelltAm: '2013-01-19', ausstellendeBehoerde: 'Kreis Olpe' },
      }),
    );
    expect(recent.statusCode).toBe(400);
    expect(recent.json().errors[0]).toMatchObject({ path: 'data/bisherigerFuehrerschein/ausgestelltAm' });
    expect(recent.json().errors[0].message).toContain(
      'fallen nicht unter den Pflichtumtausch (Anlage 8e FeV)',
    );

    // The proof only against the old licence; otherwise the case is closed without one.
    await act(clerk, p.id, 'gebuehr_bar_bezahlen', 1);
    const kept = await act(clerk, p.id, 'nachweis_ausstellen', 2, {
      ausgestelltAm: '2026-11-26',
      bisherigerFuehrerscheinEingezogen: false,
    });
    expect(kept.statusCode).toBe(400);
    expect(JSON.stringify(kept.json().errors)).toContain('nur gegen Abgabe des bisherigen Führerscheins');
    const issued = await act(clerk, p.id, 'nachweis_ausstellen', 2, {
      ausgestelltAm: '2026-11-26',
      bisherigerFuehrerscheinEingezogen: true,
    });
    expect(issued.statusCode).toBe(200);
    expect(issued.json().data.nachweis).toMatchObject({
      art: 'vorlaeufiger_nachweis',
      gueltigBis: '2027-02-25',
      klassen: ['AM', 'A1', 'B', 'BE', 'C1', 'C1E', 'L'],
    });
    const text = await pdfText(
      (await get(clerk, `/api/cases/${p.id}/documents/vorlaeufiger_nachweis`)).rawPayload,
    );
    expect(text).toContain('Schäfer, Jörg');
    expect(text).toContain('Umtauschfrist abgelaufen am 19.01.2024 – überfällig');
    expect(text).toContain('wird nach Wiederanlauf vom Fachverfahren vergeben');

    const c2 = card.json();
    await act(clerk, c2.id, 'gebuehr_bar_bezahlen', 1);
    const closed = await act(clerk, c2.id, 'ohne_nachweis_abschliessen', 2, {
      vermerk: 'Karte folgt per Post',
    });
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({
      status: 'abgeschlossen',
      data: { abschluss: { am: '2026-11-26' } },
    });
    expect(closed.json().documents).toEqual([]);
  });

  it('replaces a lost licence only once the licence is confirmed; a new number is given to one case only', async () => {
    const res = await create(clerk, 'fuehrerschein_ersatz', ersatzDaten());
    expect(res.statusCode).toBe(201);
    const c = res.json();
    expect(c.data.kosten.positionen.map((f: { code: string }) => f.code)).toEqual([
      'FE_ERSATZ',
      'FE_EIDESSTATTLICH',
    ]);
    expect(c.data.kosten.summeCents).toBe(3230 + 1000);
    expect(c.data.umtauschfrist).toBeUndefined();
    await act(clerk, c.id, 'gebuehr_bar_bezahlen', 1);

    const lost = await act(clerk, c.id, 'nachweis_ausstellen', 2, {
      ausgestelltAm: '2026-11-26',
      fahrerlaubnisBestaetigtDurch: 'fuehrerschein_vorgelegt',
    });
    expect(lost.statusCode).toBe(400);
    const taken = await act(clerk, c.id, 'nachweis_ausstellen', 2, {
      ausgestelltAm: '2026-11-26',
      fahrerlaubnisBestaetigtDurch: 'karteikarte',
      fuehrerscheinnummer: 'B072RRE2I55',
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().errors).toEqual([
      {
        path: 'payload/fuehrerscheinnummer',
        message: `Neue Führerscheinnummer: B072RRE2I55 ist bereits im Vorgang ${bf17Aktenzeichen} vergeben – bitte die Nummer prüfen.`,
      },
    ]);
    expect((await get(clerk, `/api/cases/${c.id}`)).json().status).toBe('bezahlt');
    const ok = await act(clerk, c.id, 'nachweis_ausstellen', 2, {
      ausgestelltAm: '2026-11-26',
      fahrerlaubnisBestaetigtDurch: 'karteikarte',
      vermerk: 'Karteikarte Kreis Olpe, Blatt 17',
      fuehrerscheinnummer: 'B072RRE2I56',
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().data.nachweis).toMatchObject({
      klassen: ['AM', 'B', 'L'],
      fahrerlaubnisBestaetigtDurch: 'Karteikarte / örtliches Fahrerlaubnisregister (Papier)',
      fuehrerscheinnummer: 'B072RRE2I56',
    });
    const text = await pdfText(
      (await get(clerk, `/api/cases/${c.id}/documents/vorlaeufiger_nachweis`)).rawPayload,
    );
    expect(text).toContain('Öztürk, Ayşe');
    expect(text).toContain('Ersatzführerschein – Verloren (§ 25 Abs. 4 FeV)');

    // Another Kreis learns that the number is taken, not where.
    const olpe = (await create(olpeClerk, 'fuehrerschein_ersatz', ersatzDaten(), OLPE)).json();
    await act(olpeClerk, olpe.id, 'gebuehr_bar_bezahlen', 1);
    const foreign = await act(olpeClerk, olpe.id, 'nachweis_ausstellen', 2, {
      ausgestelltAm: '2026-11-26',
      fahrerlaubnisBestaetigtDurch: 'ausstellende_behoerde',
      fuehrerscheinnummer: 'B072RRE2I56',
    });
    expect(foreign.statusCode).toBe(409);
    expect(foreign.json().detail).toContain('bereits bei einer anderen Behörde vergeben');
    expect(foreign.json().detail).not.toContain('FS ');
  });

  it('never gives one number to two cases, also when two clerks issue at the same moment', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const c = (await create(clerk, 'fuehrerschein_ersatz', ersatzDaten())).json();
      await act(clerk, c.id, 'gebuehr_bar_bezahlen', 1);
      ids.push(c.id);
    }
    const same = nummer('K597RACE0');
    const results = await Promise.all(
      ids.map((id) =>
        act(clerk, id, 'nachweis_ausstellen', 2, {
          ausgestelltAm: '2026-11-26',
          fahrerlaubnisBestaetigtDurch: 'zfer',
          fuehrerscheinnummer: same,
        }),
      ),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409]);
    const rows = await ctx.handle.db
      .selectFrom('fahrerlaubnis_nummer')
      .selectAll()
      .where('nummer', '=', same)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('keeps the issued numbers append-only in the database', async () => {
    await expect(
      ctx.handle.db.updateTable('fahrerlaubnis_nummer').set({ aktenzeichen: 'x' }).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(ctx.handle.db.deleteFrom('fahrerlaubnis_nummer').execute()).rejects.toThrow(/append-only/);
    if (dialect === 'postgres') {
      const r = await sql<{ upd: boolean; del: boolean; ins: boolean }>`
        SELECT has_table_privilege('notbetrieb_app', 'fahrerlaubnis_nummer', 'UPDATE') AS upd,
               has_table_privilege('notbetrieb_app', 'fahrerlaubnis_nummer', 'DELETE') AS del,
               has_table_privilege('notbetrieb_app', 'fahrerlaubnis_nummer', 'INSERT') AS ins`.execute(
        ctx.handle.db,
      );
      expect(r.rows[0]).toEqual({ upd: false, del: false, ins: true });
    }
  });

  it('issues an international licence for 3 years, never for an overdue card, a paper licence or a 17-year-old', async () => {
    const young = await create(
      clerk,
      'internationaler_fuehrerschein',
      internationalDaten({
        inhaber: { familienname: 'Jung', vornamen: 'Jana', geburtsdatum: '2009-01-01', geburtsort: 'Siegen' },
      }),
    );
    expect(young.statusCode).toBe(400);
    expect(young.json().errors[0]).toEqual({
      path: 'data/inhaber/geburtsdatum',
      message: 'Den Internationalen Führerschein gibt es ab 18 Jahren.',
    });
    const national = (ausgestelltAm: string, gueltigBis?: string) =>
      internationalDaten({
        nationalerFuehrerschein: {
          nummer: 'B072RRE2I55',
          ausgestelltAm,
          ...(gueltigBis ? { gueltigBis } : {}),
          ausstellendeBehoerde: 'Kreis Siegen-Wittgenstein',
          klassen: 'B',
        },
      });
    const paper = await create(clerk, 'internationaler_fuehrerschein', national('1995-04-04'));
    expect(paper.json().errors[0].message).toContain('EU-Kartenführerschein nötig');
    const overdue = await create(clerk, 'internationaler_fuehrerschein', national('2000-04-04'));
    expect(overdue.statusCode).toBe(400);
    expect(overdue.json().errors[0].message).toBe(
      'Der Kartenführerschein hätte bis zum 19.01.2026 umgetauscht werden müssen (Anlage 8e FeV); bitte zuerst den Umtausch beantragen.',
    );
    const expired = await create(
      clerk,
      'internationaler_fuehrerschein',
      national('2011-04-04', '2026-11-01'),
    );
    expect(expired.json().errors[0].message).toContain('seit dem 02.11.2026 abgelaufen');

    const ok = await create(clerk, 'internationaler_fuehrerschein', internationalDaten());
    expect(ok.statusCode).toBe(201);
    const c = ok.json();
    expect(c.aktenzeichen).toMatch(/^IF /);
    expect(c.data.kosten.summeCents).toBe(1500);
    expect(
      (await act(clerk, c.id, 'aushaendigen', 1, { nummer: 'X1', ausgestelltAm: '2026-11-26' })).statusCode,
    ).toBe(409);
    await act(clerk, c.id, 'gebuehr_bar_bezahlen', 1);
    const out = await act(clerk, c.id, 'aushaendigen', 2, {
      nummer: 'ifs-2026-0042',
      ausgestelltAm: '2026-11-26',
    });
    expect(out.statusCode).toBe(200);
    expect(out.json().data.international).toEqual({
      nummer: 'IFS-2026-0042',
      ausgestelltAm: '2026-11-26',
      gueltigBis: '2029-11-25',
    });
    // Never beyond the national licence.
    const short = (
      await create(clerk, 'internationaler_fuehrerschein', national('2015-04-04', '2027-05-31'))
    ).json();
    await act(clerk, short.id, 'gebuehr_bar_bezahlen', 1);
    const s = await act(clerk, short.id, 'aushaendigen', 2, {
      nummer: 'IFS-43',
      ausgestelltAm: '2026-11-26',
    });
    expect(s.json().data.international.gueltigBis).toBe('2027-05-31');
  });

  it('refuses other Kreise, other offices and anonymous requests, and reading a case across Kreise', async () => {
    expect((await create(olpeClerk, 'fahrerlaubnis_ersterteilung', ersterteilungDaten())).statusCode).toBe(
      403,
    );
    expect((await create(zulassung, 'fahrerlaubnis_ersterteilung', ersterteilungDaten())).statusCode).toBe(
      403,
    );
    expect((await create(null, 'fahrerlaubnis_ersterteilung', ersterteilungDaten())).statusCode).toBe(401);
    const c = (await create(clerk, 'fuehrerschein_umtausch', umtauschDaten())).json();
    expect((await get(olpeClerk, `/api/cases/${c.id}`)).statusCode).toBe(403);
    expect((await get(zulassung, `/api/cases/${c.id}`)).statusCode).toBe(403);
    expect((await act(olpeClerk, c.id, 'gebuehr_bar_bezahlen', 1)).statusCode).toBe(403);
    expect((await act(zulassung, c.id, 'stornieren', 1, { grund: 'x' })).statusCode).toBe(403);
    expect((await get(clerk, `/api/cases/${c.id}`)).json().status).toBe('beantragt');
  });

  it('corrects an application before payment (fee and deadline recomputed) and cancels one with a reason', async () => {
    const c = (await create(clerk, 'fuehrerschein_umtausch', umtauschDaten())).json();
    const fixed = await act(
      clerk,
      c.id,
      'berichtigen',
      1,
      umtauschDaten({
        inhaber: {
          familienname: 'Schäfer',
          vornamen: 'Jörg',
          geburtsdatum: '1950-07-14',
          geburtsort: 'Siegen',
        },
      }),
    );
    expect(fixed.statusCode).toBe(200);
    expect(fixed.json().data.umtauschfrist).toMatchObject({ frist: '2033-01-19', ueberfaellig: false });
    expect(fixed.json().data.kosten.summeCents).toBe(2650);
    expect((await act(clerk, c.id, 'stornieren', 2, { grund: '' })).statusCode).toBe(400);
    const cancelled = await act(clerk, c.id, 'stornieren', 2, { grund: 'Antrag zurückgenommen' });
    expect(cancelled.json().status).toBe('storniert');
  });
});

describeEachDialect('Fahrerlaubnisbehörde: Regeln und Gebühren aus der Konfiguration', (dialect) => {
  let ctx: TestContext;
  let clerk: TestUser;
  const { create } = api(() => ctx);

  beforeAll(async () => {
    // Operations remove the NRW rule for AM at 15 and set this Kreis's own Ersterteilung fee.
    process.env.FAHRERLAUBNIS_REGELN_JSON = JSON.stringify({ amLaender: [] });
    process.env.FAHRERLAUBNIS_GEBUEHREN_JSON = JSON.stringify({
      ...STANDARD_GEBUEHREN,
      behoerden: { [SIWI]: { FE_ERSTERTEILUNG: [{ validFrom: '2024-01-01', cents: 4470 }] } },
    });
    try {
      ctx = await createTestContext(dialect);
    } finally {
      delete process.env.FAHRERLAUBNIS_REGELN_JSON;
      delete process.env.FAHRERLAUBNIS_GEBUEHREN_JSON;
    }
    clerk = await userWith(ctx, [{ ags: SIWI, office: OFFICE }]);
  });
  afterAll(() => ctx.close());

  it('checks the office Land on the server and charges the office fee', async () => {
    const am15 = ersterteilungDaten({
      bewerber: {
        familienname: 'Roller',
        vornamen: 'Rita',
        geburtsdatum: '2011-09-01',
        geburtsort: 'Siegen',
      },
      antrag: { antragsdatum: '2026-11-26', klassen: 'AM', begleitetesFahren: false },
      begleitpersonen: [],
    });
    const refused = await create(clerk, 'fahrerlaubnis_ersterteilung', am15);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors).toEqual([
      {
        path: 'data/antrag/klassen',
        message:
          'Klasse AM: Mindestalter 16 Jahre (§ 10 Abs. 1 FeV) erst am 01.09.2027; der Antrag ist frühestens 6 Monate vorher möglich (ab 01.03.2027).',
      },
    ]);
    const b = await create(clerk, 'fahrerlaubnis_ersterteilung', ersterteilungDaten());
    expect(b.statusCode).toBe(201);
    expect(b.json().data.kosten.positionen).toEqual([
      {
        code: 'FE_ERSTERTEILUNG',
        label: 'Ersterteilung einer Fahrerlaubnis',
        amountCents: 4470,
        basis: 'GebOSt (Fahrerlaubnis)',
      },
    ]);
  });
});

describeEachDialect('Fahrerlaubnisbehörde: AM ab 15 in NRW', (dialect) => {
  let ctx: TestContext;
  let clerk: TestUser;
  const { create } = api(() => ctx);
  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    clerk = await userWith(ctx, [{ ags: SIWI, office: OFFICE }]);
  });
  afterAll(() => ctx.close());

  it('records AM for a 15-year-old in NRW with the restriction to Germany until 16', async () => {
    const res = await create(
      clerk,
      'fahrerlaubnis_ersterteilung',
      ersterteilungDaten({
        bewerber: {
          familienname: 'Roller',
          vornamen: 'Rita',
          geburtsdatum: '2011-09-01',
          geburtsort: 'Siegen',
        },
        antrag: { antragsdatum: '2026-11-26', klassen: 'AM', begleitetesFahren: false },
        begleitpersonen: [],
      }),
    );
    expect(res.statusCode).toBe(201);
    expect(res.json().data.pruefung).toMatchObject({
      land: '05',
      klassen: [{ klasse: 'AM', jahre: 15, ab: '2026-09-01' }],
      auflagen: [
        { text: 'Klasse AM: bis zum 16. Geburtstag (01.09.2027) nur im Inland gültig.', bis: '2027-09-01' },
      ],
    });
  });
});
