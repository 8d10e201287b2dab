import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createTestContext,
  describeEachDialect,
  type TestContext,
  type TestUser,
  userWith,
} from '../../../../test/harness.js';
import { fontsEmbedded, pdfText } from '../../../../test/pdf.js';
import { verlustanzeigeDaten } from '../../verlustanzeige/fixtures.js';
import { crisisTeam, dienst, http, SIEGEN } from '../test-helpers.js';
import { CatalogueService, familyServices } from './catalogue.js';
import { takeSnapshotIfDue } from './lagebericht.js';
import { LogService } from './log.js';

/**
 * The daily Lagebericht: a snapshot taken by the server itself at a fixed German hour (no cron),
 * the PDF and CSV built from it. The interval is set to one second here so that the test sees
 * the server take the snapshot when the clock passes the hour.
 */
describeEachDialect('Krisenstab: täglicher Lagebericht', (dialect) => {
  let ctx: TestContext;
  let crisis: TestUser;
  let clerk: TestUser;
  const NAME = 'Berichtsmeier';
  const saved = {
    interval: process.env.NOTBETRIEB_WARTUNG_SEKUNDEN,
    hour: process.env.NOTBETRIEB_LAGEBERICHT_STUNDE,
  };

  const snapshots = async () => (await http(ctx).get(crisis, '/api/krisenstab/lageberichte')).json().items;
  const createCase = async () => {
    const res = await http(ctx).post(clerk, '/api/cases', {
      procedureId: 'verlustanzeige',
      authorityAgs: SIEGEN,
      data: verlustanzeigeDaten({ person: { familienname: NAME } }),
    });
    expect(res.statusCode).toBe(201);
  };

  beforeAll(async () => {
    process.env.NOTBETRIEB_WARTUNG_SEKUNDEN = '1';
    process.env.NOTBETRIEB_LAGEBERICHT_STUNDE = '6';
    // 05:30 German time: before the hour of the snapshot.
    ctx = await createTestContext(dialect, new Date('2026-11-26T04:30:00Z'));
    crisis = await crisisTeam(ctx);
    clerk = await userWith(ctx, [{ ags: SIEGEN, office: 'meldebehoerde' }]);
  });
  afterAll(async () => {
    await ctx.close();
    for (const [k, v] of [
      ['NOTBETRIEB_WARTUNG_SEKUNDEN', saved.interval],
      ['NOTBETRIEB_LAGEBERICHT_STUNDE', saved.hour],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('takes no snapshot before the hour, then one when the server passes it', async () => {
    expect(await snapshots()).toEqual([]);
    await createCase();
    await createCase();
    const services = await http(ctx).put(crisis, `/api/krisenstab/katalog/${SIEGEN}/dienste/standesamt`, {
      expectedVersion: 0,
      dienst: dienst({ status: 'ausgesetzt', title: 'Standesamt – Beurkundungen', wazStunden: 4 }),
    });
    expect(services.statusCode).toBe(201);
    await http(ctx).put(crisis, `/api/krisenstab/katalog/${SIEGEN}/lage`, {
      expectedVersion: 0,
      lage: { ausfallSeit: '2026-11-25T22:00:00.000Z' },
    });
    await http(ctx).post(crisis, '/api/krisenstab/log', {
      art: 'entscheidung',
      titel: 'Sterbefälle über Nachbarstandesamt Kreuztal',
    });
    await http(ctx).post(crisis, '/api/krisenstab/log', {
      art: 'aufgabe',
      titel: 'Notfallmappe Standesamt prüfen',
      zustaendig: 'Amtsleitung Standesamt',
      faelligAm: '2026-11-27',
    });
    // 06:10 German time: the interval (1 s in this test) finds the snapshot due.
    ctx.clock.now = new Date('2026-11-26T05:10:00Z');
    crisis = await crisisTeam(ctx);
    clerk = await userWith(ctx, [{ ags: SIEGEN, office: 'meldebehoerde' }]);
    await expect
      .poll(snapshots, { timeout: 15_000, interval: 200 })
      .toEqual([{ tag: '2026-11-26', erstelltAm: '2026-11-26T05:10:00.000Z', stunde: 6 }]);
  });

  it('builds the report from the snapshot: later cases do not change the day’s report', async () => {
    await createCase();
    const res = await http(ctx).get(crisis, '/api/krisenstab/lageberichte/2026-11-26');
    expect(res.statusCode).toBe(200);
    const l = res.json();
    const siegen = l.behoerden.find((b: { ags: string }) => b.ags === SIEGEN);
    expect(siegen.summe).toMatchObject({ offen: 2, gesamt: 2, angelegtVortag: 0 });
    expect(siegen.dienste).toEqual([
      expect.objectContaining({
        title: 'Standesamt – Beurkundungen',
        statusLabel: 'ausgesetzt',
        wazUeberschritten: true,
      }),
    ]);
    expect(l.offeneAufgaben).toEqual([
      expect.objectContaining({
        titel: 'Notfallmappe Standesamt prüfen',
        zustaendig: 'Amtsleitung Standesamt',
      }),
    ]);
    expect(l.entscheidungen).toEqual([
      expect.objectContaining({ titel: 'Sterbefälle über Nachbarstandesamt Kreuztal' }),
    ]);
    expect(JSON.stringify(l)).not.toContain(NAME);
    // The live board already counts the third case.
    const live = await http(ctx).get(crisis, `/api/krisenstab/lage/${SIEGEN}?tage=1`);
    expect(live.json().summe.offen).toBe(3);
  });

  it('delivers the report as a PDF with the figures, services, tasks and decisions', async () => {
    const res = await http(ctx).get(crisis, '/api/krisenstab/lageberichte/2026-11-26/lagebericht.pdf');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['cache-control']).toBe('no-store');
    const text = (await pdfText(res.rawPayload)).replace(/\s+/g, ' ');
    for (const s of [
      'Lagebericht vom 26.11.2026',
      'Stand: 26.11.2026, 06:10 Uhr (Stichzeit 06:00 Uhr)',
      'Region gesamt',
      'Überfällig',
      'Meldebehörde / Bürgerbüro',
      'Standesamt – Beurkundungen',
      'WAZ überschritten, Notbetrieb noch nicht aufgenommen',
      'Notfallmappe Standesamt prüfen',
      'Sterbefälle über Nachbarstandesamt Kreuztal',
    ]) {
      expect(text).toContain(s);
    }
    expect(text).not.toContain(NAME);
    expect(fontsEmbedded(res.rawPayload)).toBe(true);
  });

  it('delivers the report as CSV (semicolon, UTF-8 with BOM) with one line per authority and office', async () => {
    const res = await http(ctx).get(crisis, '/api/krisenstab/lageberichte/2026-11-26/lagebericht.csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = res.body.split('\r\n');
    expect(lines[0]).toBe(
      '\uFEFFtag;stand;ags;behoerde;amt;offen;ueberfaellig;angelegt_vortag;erledigt_vortag;vorgaenge_gesamt;uebergeben;in_uebergabe;nicht_uebergeben',
    );
    expect(lines).toContain(
      '2026-11-26;2026-11-26T05:10:00.000Z;05970040;Siegen;Meldebehörde / Bürgerbüro;2;0;0;0;2;0;0;2',
    );
    expect(lines).toContain('2026-11-26;2026-11-26T05:10:00.000Z;;Region gesamt;;2;0;0;0;2;0;0;2');
  });

  it('takes one snapshot per day, also when two instances try at once', async () => {
    const registry = ctx.app.services.registry;
    const catalogue = new CatalogueService({
      db: ctx.handle.db,
      now: () => ctx.clock.now,
      families: familyServices([], registry),
    });
    const log = new LogService({ db: ctx.handle.db, now: () => ctx.clock.now });
    const deps = { db: ctx.handle.db, registry, catalogue, log, stunde: 6 };
    expect(await takeSnapshotIfDue({ ...deps, now: new Date('2026-11-26T12:00:00Z') })).toBeNull();
    const next = new Date('2026-11-27T07:00:00Z');
    const results = await Promise.all([
      takeSnapshotIfDue({ ...deps, now: next }),
      takeSnapshotIfDue({ ...deps, now: next }),
    ]);
    expect(results.filter((r) => r === '2026-11-27')).toHaveLength(1);
    const rows = await ctx.handle.db.selectFrom('krisenstab_lagebild').select('tag').orderBy('tag').execute();
    expect(rows.map((r) => r.tag)).toEqual(['2026-11-26', '2026-11-27']);
  });

  it('answers an unknown or malformed day and other users with German refusals', async () => {
    const missing = await http(ctx).get(crisis, '/api/krisenstab/lageberichte/2026-01-01/lagebericht.pdf');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().detail).toBe('Der Lagebericht dieses Tages wurde nicht gefunden.');
    const bad = await http(ctx).get(crisis, '/api/krisenstab/lageberichte/2026-02-30');
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json().errors)).toContain('Tag: Dieses Datum gibt es nicht.');
    const other = await http(ctx).get(clerk, '/api/krisenstab/lageberichte/2026-11-26/lagebericht.csv');
    expect(other.statusCode).toBe(403);
  });
});
