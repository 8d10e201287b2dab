import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { csvRecords } from '../../../../test/csv.js';
import {
  createTestContext,
  describeEachDialect,
  type TestContext,
  type TestUser,
  userWith,
} from '../../../../test/harness.js';
import { ERSATZ_CSV_COLUMNS } from '../ersatz.js';
import { ERSTERTEILUNG_CSV_COLUMNS } from '../ersterteilung.js';
import { ersatzDaten, ersterteilungDaten, internationalDaten, umtauschDaten } from '../fixtures.js';
import { INTERNATIONAL_CSV_COLUMNS } from '../international.js';
import { UMTAUSCH_CSV_COLUMNS } from '../umtausch.js';

const SIWI = '05970000';
const OLPE = '05966000';

describeEachDialect('Fahrerlaubnisbehörde: Übergabe als CSV', (dialect) => {
  let ctx: TestContext;
  let clerk: TestUser;
  let olpeClerk: TestUser;
  let zulassung: TestUser;

  const post = (user: TestUser, url: string, payload: object) =>
    ctx.app.inject({
      method: 'POST',
      url,
      headers: { ...user.headers, 'idempotency-key': randomUUID() },
      payload,
    });
  const get = (user: TestUser, url: string) => ctx.app.inject({ method: 'GET', url, headers: user.headers });
  const create = async (procedureId: string, data: unknown) => {
    const r = await post(clerk, '/api/cases', { procedureId, authorityAgs: SIWI, data });
    expect(r.statusCode).toBe(201);
    return r.json() as { id: string; aktenzeichen: string };
  };
  const act = async (id: string, action: string, expectedVersion: number, payload: object = {}) => {
    const r = await post(clerk, `/api/cases/${id}/actions/${action}`, { expectedVersion, payload });
    expect(r.statusCode).toBe(200);
  };
  /** The batch and its CSV records (BOM, header = `columns`, every line one cell per column). */
  const exportCsv = async <C extends string>(procedureId: string, columns: readonly C[]) => {
    const res = await post(clerk, '/api/handover/batches', { procedureId, authorityAgs: SIWI });
    expect(res.statusCode).toBe(201);
    const b = res.json();
    expect(b.files.map((f: { formatId: string }) => f.formatId)).toEqual(['csv']);
    return { batch: b, rows: csvRecords((await get(clerk, b.files[0].href)).body, columns) };
  };

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    clerk = await userWith(ctx, [{ ags: SIWI, office: 'fahrerlaubnisbehoerde' }]);
    olpeClerk = await userWith(ctx, [{ ags: OLPE, office: 'fahrerlaubnisbehoerde' }]);
    zulassung = await userWith(ctx, [{ ags: SIWI, office: 'zulassungsstelle' }]);
  });
  afterAll(() => ctx.close());

  it('hands over issued licences once, one CSV line each with every column, and takes the acknowledgement', async () => {
    const done = await create('fahrerlaubnis_ersterteilung', ersterteilungDaten());
    await act(done.id, 'gebuehr_bar_bezahlen', 1);
    await act(done.id, 'nachweis_ausstellen', 2, {
      ausgestelltAm: '2026-11-26',
      pruefungBestandenAm: '2026-11-26',
    });
    // Paid but not yet issued: stays in emergency operation.
    const open = await create('fahrerlaubnis_ersterteilung', ersterteilungDaten());
    await act(open.id, 'gebuehr_bar_bezahlen', 1);

    const { batch, rows } = await exportCsv('fahrerlaubnis_ersterteilung', ERSTERTEILUNG_CSV_COLUMNS);
    expect(rows).toHaveLength(1);
    const row = rows[0];
    expect(row).toMatchObject({
      aktenzeichen: done.aktenzeichen,
      status: 'nachweis_ausgestellt',
      familienname: 'Müßig',
      vornamen: 'Lea',
      geburtsdatum: '2009-09-10',
      klassen: 'B',
      begleitetes_fahren: 'ja',
      begleitpersonen: 'Müßig, Bärbel; geb. 1975-03-03; B seit 1993-06-01; 0 Punkte',
      nachweis_art: 'pruefungsbescheinigung_bf17',
      nachweis_gueltig_bis: '2027-12-09',
      fuehrerscheinnummer: '',
      gebuehr_cent: '4340',
      beleg_nr: '1',
      vorgangs_id: done.id,
    });
    expect(row?.auflagen).toContain('nur in Begleitung');

    expect(
      (
        await post(clerk, '/api/handover/batches', {
          procedureId: 'fahrerlaubnis_ersterteilung',
          authorityAgs: SIWI,
        })
      ).statusCode,
    ).toBe(409);
    const ack = await post(clerk, `/api/handover/batches/${batch.id}/acknowledgement`, {
      content: `aktenzeichen;status;grund\r\n${done.aktenzeichen};uebernommen;\r\n`,
    });
    expect(ack.statusCode).toBe(200);
    expect(ack.json()).toMatchObject({ accepted: 1, rejected: 0, batch: { status: 'quittiert' } });
  });

  it('hands over exchanges with the Anlage 8e deadline, replacements with the source of the check, international licences', async () => {
    const u = await create('fuehrerschein_umtausch', umtauschDaten());
    await act(u.id, 'gebuehr_bar_bezahlen', 1);
    await act(u.id, 'ohne_nachweis_abschliessen', 2, {});
    const um = await exportCsv('fuehrerschein_umtausch', UMTAUSCH_CSV_COLUMNS);
    expect(um.rows[0]).toMatchObject({
      status: 'abgeschlossen',
      bisher_ausgestellt_am: '1987-05-12',
      bisher_listennummer: '1234/87',
      neue_klassen: 'AM,A1,B,BE,C1,C1E,L',
      umtauschfrist: '2024-01-19',
      ueberfaellig: 'ja',
      abgeschlossen_ohne_nachweis: 'ja',
      gebuehr_cent: '2650',
    });

    const e = await create('fuehrerschein_ersatz', ersatzDaten());
    await act(e.id, 'gebuehr_bar_bezahlen', 1);
    await act(e.id, 'nachweis_ausstellen', 2, {
      ausgestelltAm: '2026-11-26',
      fahrerlaubnisBestaetigtDurch: 'ausstellende_behoerde',
    });
    const er = await exportCsv('fuehrerschein_ersatz', ERSATZ_CSV_COLUMNS);
    expect(er.rows[0]).toMatchObject({
      familienname: 'Öztürk',
      vornamen: 'Ayşe',
      anlass: 'verloren',
      versicherung_an_eides_statt: 'ja',
      bisher_nummer: 'B072RRE2I55',
      klassen: 'AM,B,L',
      fahrerlaubnis_geprueft_anhand: 'Auskunft der ausstellenden Fahrerlaubnisbehörde',
      nachweis_gueltig_bis: '2027-02-25',
      gebuehr_cent: '4230',
    });

    const i = await create('internationaler_fuehrerschein', internationalDaten());
    await act(i.id, 'gebuehr_bar_bezahlen', 1);
    // Not handed out yet: nothing to hand over.
    expect(
      (
        await post(clerk, '/api/handover/batches', {
          procedureId: 'internationaler_fuehrerschein',
          authorityAgs: SIWI,
        })
      ).statusCode,
    ).toBe(409);
    await act(i.id, 'aushaendigen', 2, { nummer: 'IFS-7', ausgestelltAm: '2026-11-26' });
    const ir = await exportCsv('internationaler_fuehrerschein', INTERNATIONAL_CSV_COLUMNS);
    expect(ir.rows[0]).toMatchObject({
      fuehrerscheinnummer: 'B072RRE2I55',
      klassen: 'AM,B,BE,L',
      ifs_nummer: 'IFS-7',
      ifs_gueltig_bis: '2029-11-25',
      gebuehr_cent: '1500',
    });
  });

  it('refuses the handover to another Kreis and to another office', async () => {
    for (const user of [olpeClerk, zulassung]) {
      const r = await post(user, '/api/handover/batches', {
        procedureId: 'fuehrerschein_umtausch',
        authorityAgs: SIWI,
      });
      expect(r.statusCode).toBe(403);
    }
  });
});
