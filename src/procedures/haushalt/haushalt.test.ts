import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestContext, describeEachDialect, type TestContext, userWith } from '../../../test/harness.js';
import { fontsEmbedded } from '../../../test/pdf.js';
import { beispielHaushalt } from './fixtures.js';
import { writeBudgetCsv } from './server/csv.js';
import { api, kaemmereiUsers, pdfText, SIEGEN, xlsxBase64 } from './test-helpers.js';

/**
 * The Kämmerei's budget through the HTTP API on both dialects: drafts per year, XLSX/CSV import
 * (row errors, nothing half-imported, idempotent), versions and their diff, the lossless round
 * trip, the PDF, the approval chain of § 80 GO NRW with a person of the right role for each step,
 * and who may read what.
 */
describeEachDialect('Kämmerei: Haushaltsplan', (dialect) => {
  let ctx: TestContext;
  let a: ReturnType<typeof api>;
  let u: Awaited<ReturnType<typeof kaemmereiUsers>>;
  let planId = '';

  const counts = async () => {
    const n = async (t: 'haushalt_version' | 'haushalt_line' | 'cases' | 'haushalt_plan') =>
      Number(
        (
          await ctx.handle.db
            .selectFrom(t)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      versions: await n('haushalt_version'),
      lines: await n('haushalt_line'),
      cases: await n('cases'),
      plans: await n('haushalt_plan'),
    };
  };

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    a = api(ctx);
    u = await kaemmereiUsers(ctx);
  });
  afterAll(() => ctx.close());

  it('creates the draft of a year once, with the Anzeige deadline of 30 November on the worklist', async () => {
    const res = await a.createPlan(u.clerk, 2027);
    expect(res.statusCode).toBe(201);
    const c = res.json();
    planId = c.id;
    expect(c.aktenzeichen).toMatch(/^HH \d+\/2026$/);
    expect(c.status).toBe('entwurf');
    expect(c.deadline).toMatchObject({
      date: '2026-11-30',
      label: 'Anzeige an die Aufsicht (§ 80 Abs. 5 GO NRW)',
      state: 'on_time',
    });
    // On 1 December the worklist shows it overdue (the outage hit in the budget season).
    const start = ctx.clock.now;
    ctx.clock.now = new Date('2026-12-01T09:00:00Z');
    const later = await userWith(ctx, [{ ags: SIEGEN, office: 'kaemmerei' }]);
    const list = await a.write(later, '/api/cases/search', {
      procedureId: 'haushaltsplan',
      deadlineState: 'overdue',
    });
    ctx.clock.now = start;
    expect(
      list
        .json()
        .items.map((i: { id: string; deadline: { date: string; stateLabel: string } }) => [
          i.id,
          i.deadline.date,
          i.deadline.stateLabel,
        ]),
    ).toEqual([[planId, '2026-11-30', 'Überfällig']]);

    const before = await counts();
    const again = await a.createPlan(u.clerk, 2027);
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toBe(
      `Für das Haushaltsjahr 2027 gibt es bereits einen Haushaltsplan (${c.aktenzeichen}); neue Fassungen werden dort eingelesen.`,
    );
    const far = await a.createPlan(u.clerk, 2035);
    expect(far.statusCode).toBe(400);
    expect(far.json().errors).toContainEqual({
      path: 'data/haushaltsjahr',
      message: 'Haushaltsjahr: Im Notbetrieb werden die Haushalte 2025 bis 2028 geplant.',
    });
    expect(await counts()).toEqual(before);
    const bm = await a.createPlan(u.bm, 2028);
    expect(bm.statusCode).toBe(403);
  });

  it('imports the Teilpläne from XLSX; the totals are those of the hand-checked sample', async () => {
    const res = await a.importFile(u.clerk, planId, { content: await xlsxBase64(), basedOnVersion: 0 });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.version).toMatchObject({
      versionNo: 1,
      basedOn: 0,
      source: 'xlsx',
      lineCount: 22,
      createdByName: 'Sabine Sachbearbeiterin',
    });
    const row = (id: string, plan: 'ergebnisplan' | 'finanzplan' = 'ergebnisplan') =>
      body.gesamtplan[plan].find((r: { id: string }) => r.id === id);
    expect(row('jahresergebnis').ansatz).toBe(195_200_000);
    expect(row('ordentlichesErgebnis').ansatz).toBe(220_700_000);
    expect(row('finanzergebnis').ansatz).toBe(-28_500_000);
    expect(row('jahresergebnis').ergebnisVorvorjahr).toBe(176_407_604);
    expect(row('aenderungFinanzmittel', 'finanzplan').ansatz).toBe(121_500_000);
    expect(body.teilplaene.map((t: { produktbereich: string }) => t.produktbereich)).toEqual([
      '01',
      '06',
      '16',
    ]);

    const view = await a.get(u.kaemmerer, `/api/haushalt/plans/${planId}`);
    expect(view.statusCode).toBe(200);
    expect(view.json()).toMatchObject({
      haushaltsjahr: 2027,
      latestVersion: 1,
      editable: true,
      spalten: { ansatz: 'Ansatz 2027', ergebnisVorvorjahr: 'Ergebnis 2025' },
    });
    expect(view.json().gesamtplan).toEqual(body.gesamtplan);
    const lines = await a.get(u.clerk, `/api/haushalt/plans/${planId}/versions/1/lines?produktbereich=01`);
    expect(lines.json().items).toHaveLength(7);
    expect(lines.json().items[1]).toMatchObject({
      produkt: '01.01.01',
      produktName: 'Rat und Ausschüsse',
      plan: 'E',
      position: 10,
      positionLabel: 'Personalaufwendungen',
      ansatz: 25_000_000,
    });
  });

  it('refuses a file with row errors, another year or a stale version, and changes nothing', async () => {
    const before = await counts();
    const bad = beispielHaushalt();
    bad[2] = { ...bad[2], plan: 'E', position: 12, ansatz: -1 } as (typeof bad)[number];
    const csv = writeBudgetCsv(2027, bad).replace(
      'Rat und Ausschüsse;Ergebnisplan;4;',
      'Rat und Ausschüsse;Ergebnisplan;44;',
    );
    const res = await a.importFile(u.clerk, planId, {
      format: 'csv',
      fileName: 'kaputt.csv',
      content: csv,
      basedOnVersion: 1,
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json().detail).toBe('Die Datei wurde nicht eingelesen: 2 Fehler. Es wurde nichts übernommen.');
    expect(res.json().errors.map((e: { message: string }) => e.message)).toEqual([
      'Zeile 2, Zeile: Im Ergebnisplan gibt es die Zeilen 1 bis 19 (§ 2 KomHVO NRW).',
      'Zeile 4, Ansatz 2027: darf nicht negativ sein (Aufwendungen und Auszahlungen als positiven Betrag angeben).',
    ]);
    const other = await a.importFile(u.clerk, planId, {
      content: await xlsxBase64(beispielHaushalt(), 2026),
      basedOnVersion: 1,
    });
    expect(other.statusCode).toBe(400);
    expect(other.json().errors[0].message).toContain('Die Datei scheint zum Haushaltsjahr 2026 zu gehören');
    const garbage = await a.importFile(u.clerk, planId, {
      content: Buffer.from('kein Excel').toString('base64'),
      basedOnVersion: 1,
    });
    expect(garbage.json().errors[0].message).toBe('Die Datei ist keine XLSX-Datei.');
    const stale = await a.importFile(u.clerk, planId, { content: await xlsxBase64(), basedOnVersion: 0 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().detail).toContain('Inzwischen gibt es die Fassung 1');
    const bm = await a.importFile(u.bm, planId, { content: await xlsxBase64(), basedOnVersion: 1 });
    expect(bm.statusCode).toBe(403);
    expect(await counts()).toEqual(before);
  });

  it('a retried import with the same key gives the first result and no second version', async () => {
    const key = randomUUID();
    const content = await xlsxBase64();
    const first = await a.importFile(u.clerk, planId, { content, basedOnVersion: 1 }, key);
    expect(first.statusCode).toBe(201);
    const again = await a.importFile(u.clerk, planId, { content, basedOnVersion: 1 }, key);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().version.id).toBe(first.json().version.id);
    const other = await a.importFile(u.clerk, planId, { content, basedOnVersion: 2 }, key);
    expect(other.statusCode).toBe(422);
    const view = (await a.get(u.clerk, `/api/haushalt/plans/${planId}`)).json();
    expect(view.versions.map((v: { versionNo: number }) => v.versionNo)).toEqual([2, 1]);
    // The same content gives the same content hash, whatever the file.
    expect(view.versions[0].contentSha256).toBe(view.versions[1].contentSha256);
    const audit = await ctx.handle.db
      .selectFrom('audit_log')
      .select(['action', 'status', 'target'])
      .where('route', '=', '/api/haushalt/plans/:planId/import')
      .where('status', '=', 201)
      .execute();
    // Both imports and the replay are in the audit log, each with the plan it wrote to.
    expect(audit).toHaveLength(3);
    for (const row of audit) expect(JSON.parse(row.target ?? '{}')).toMatchObject({ planId });
  });

  it('export → import gives the same draft, as XLSX and as CSV', async () => {
    const xlsx = await a.get(u.clerk, `/api/haushalt/plans/${planId}/versions/2/export/xlsx`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(xlsx.headers['content-disposition']).toContain('haushaltsplan-2027-05970040-fassung-2.xlsx');
    const v3 = await a.importFile(u.clerk, planId, {
      content: xlsx.rawPayload.toString('base64'),
      basedOnVersion: 2,
    });
    expect(v3.statusCode).toBe(201);
    const csv = await a.get(u.clerk, `/api/haushalt/plans/${planId}/versions/3/export/csv`);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const v4 = await a.importFile(u.clerk, planId, {
      format: 'csv',
      fileName: 'h.csv',
      content: csv.body,
      basedOnVersion: 3,
    });
    expect(v4.statusCode).toBe(201);
    const versions = (await a.get(u.clerk, `/api/haushalt/plans/${planId}`)).json().versions;
    expect(new Set(versions.map((v: { contentSha256: string }) => v.contentSha256)).size).toBe(1);
    const l1 = (
      await a.get(u.clerk, `/api/haushalt/plans/${planId}/versions/1/lines?produktbereich=16`)
    ).json();
    const l4 = (
      await a.get(u.clerk, `/api/haushalt/plans/${planId}/versions/4/lines?produktbereich=16`)
    ).json();
    expect(l4.items).toEqual(l1.items);
    const diff = await a.get(u.clerk, `/api/haushalt/plans/${planId}/diff?from=1&to=4`);
    expect(diff.json().counts).toEqual({ neu: 0, entfernt: 0, geaendert: 0 });
  });

  it('edits lines into a new version and shows the difference between versions', async () => {
    const zeilen = beispielHaushalt();
    const kita = zeilen.find((z) => z.produkt === '06.01.01' && z.position === 14);
    const res = await a.write(u.clerk, `/api/haushalt/plans/${planId}/versions`, {
      basedOnVersion: 4,
      note: 'Kita-Beiträge nach dem Ratsbeschluss',
      upsert: [
        { ...kita, ansatz: 265_000_000, erlaeuterung: 'Mehr Plätze ab August' },
        {
          ...kita,
          plan: 'E',
          position: 12,
          ansatz: 1_000_000,
          ergebnisVorvorjahr: 0,
          ansatzVorjahr: 0,
          planung1: 0,
          planung2: 0,
          planung3: 0,
          erlaeuterung: null,
        },
      ],
      remove: [{ produkt: '16.01.01', plan: 'E', position: 19 }],
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().version).toMatchObject({
      versionNo: 5,
      source: 'bearbeitung',
      lineCount: 22,
      note: 'Kita-Beiträge nach dem Ratsbeschluss',
    });
    const diff = (await a.get(u.kaemmerer, `/api/haushalt/plans/${planId}/diff?from=4&to=5`)).json();
    expect(diff.counts).toEqual({ neu: 1, entfernt: 1, geaendert: 1 });
    const changed = diff.lines.find((l: { art: string }) => l.art === 'geaendert');
    expect(changed).toMatchObject({ produkt: '06.01.01', position: 14, felder: ['ansatz', 'erlaeuterung'] });
    expect(changed.vorher.ansatz).toBe(260_000_000);
    expect(changed.nachher.ansatz).toBe(265_000_000);
    const jahr = diff.ergebnisse.find((e: { id: string }) => e.id === 'jahresergebnis');
    // 1.952.000 − 50.000 (Transfer) − 10.000 (new Sachaufwand) + 20.000 (außerordentl. Aufwand removed)
    expect([jahr.vorher.ansatz, jahr.nachher.ansatz]).toEqual([195_200_000, 191_200_000]);

    const before = await counts();
    const bad = await a.write(u.clerk, `/api/haushalt/plans/${planId}/versions`, {
      basedOnVersion: 5,
      upsert: [{ ...kita, produktName: 'Kitas (umbenannt)' }],
      remove: [{ produkt: '99.99', plan: 'E', position: 1 }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].message).toBe(
      'Zu entfernen: Produkt 99.99, Ergebnisplan Zeile 1 gibt es in Fassung 5 nicht.',
    );
    const renamed = await a.write(u.clerk, `/api/haushalt/plans/${planId}/versions`, {
      basedOnVersion: 5,
      upsert: [{ ...kita, produktName: 'Kitas (umbenannt)' }],
    });
    expect(renamed.statusCode).toBe(400);
    expect(renamed.json().errors[0].message).toContain('Produkt 06.01.01 steht in');
    expect(await counts()).toEqual(before);
  });

  it('prints the Gesamtergebnis- and Gesamtfinanzplan as PDF with embedded fonts', async () => {
    const res = await a.get(u.bm, `/api/haushalt/plans/${planId}/versions/1/export/pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const text = await pdfText(res.rawPayload);
    for (const s of [
      'AUSGESTELLT IM NOTBETRIEB',
      'Gesamtergebnisplan und Gesamtfinanzplan 2027',
      'Siegen',
      'Fassung 1',
      'Gesamtergebnisplan (§ 2 KomHVO NRW)',
      'Außerordentliche Erträge',
      'Ergebnis der laufenden Verwaltungstätigkeit',
      'Jahresergebnis',
      '1.952.000,00',
      '1.764.076,04',
      'Änderung des Bestands an Finanzmitteln',
      '1.215.000,00',
      'Ansatz 2027',
      'Kinder-, Jugend- und Familienhilfe',
    ]) {
      expect(text, s).toContain(s);
    }
    expect(fontsEmbedded(res.rawPayload)).toBe(true);
  });

  it('goes the way of § 80 GO NRW, each step by the person with the role for it', async () => {
    let c = (await a.caseOf(u.clerk, planId)).json();
    const step = async (user: (typeof u)[keyof typeof u], action: string, payload?: unknown) => {
      const r = await a.act(user, planId, action, c.version, payload);
      if (r.statusCode === 200) c = r.json();
      return r;
    };
    expect((await step(u.clerk, 'aufstellen', {})).statusCode).toBe(403);
    expect((await step(u.bm, 'aufstellen', {})).statusCode).toBe(403);
    const auf = await step(u.kaemmerer, 'aufstellen', {
      datum: '2026-11-20',
      bemerkung: 'Aufgestellt nach Papierakte',
    });
    expect(auf.statusCode).toBe(200);
    expect(c.status).toBe('aufgestellt');
    expect(c.data.fassung).toMatchObject({ nummer: 5, zeilen: 22 });
    expect(c.actions.at(-1).payload.fassung.sha256).toMatch(/^[0-9a-f]{64}$/);

    // Frozen: no new version until it is given back.
    const frozen = await a.importFile(u.clerk, planId, { content: await xlsxBase64(), basedOnVersion: 5 });
    expect(frozen.statusCode).toBe(409);
    expect(frozen.json().title).toBe('Entwurf nicht mehr änderbar');

    expect((await step(u.kaemmerer, 'bestaetigen', {})).statusCode).toBe(403);
    expect((await step(u.rat, 'bestaetigen', {})).statusCode).toBe(403);
    const early = await step(u.bm, 'bestaetigen', { datum: '2026-11-19' });
    expect(early.statusCode).toBe(400);
    expect(early.json().errors).toContainEqual({
      path: 'payload/datum',
      message: 'Tag der Bestätigung: liegt vor der Aufstellung (20.11.2026).',
    });
    expect((await step(u.bm, 'bestaetigen', { datum: '2026-11-21' })).statusCode).toBe(200);
    expect(c.status).toBe('bestaetigt');

    expect(
      (await step(u.bm, 'beschliessen', { beschlussdatum: '2026-11-24', sitzung: 'Rat, TOP 4' })).statusCode,
    ).toBe(403);
    const future = await step(u.rat, 'beschliessen', { beschlussdatum: '2026-12-24', sitzung: 'Rat, TOP 4' });
    expect(future.statusCode).toBe(400);
    expect(future.json().errors[0].message).toBe('Tag des Beschlusses: darf nicht in der Zukunft liegen.');
    expect(
      (await step(u.rat, 'beschliessen', { beschlussdatum: '2026-11-24', sitzung: 'Rat, 24.11.2026, TOP 4' }))
        .statusCode,
    ).toBe(200);
    expect(c.status).toBe('beschlossen');
    expect(c.deadline?.date).toBe('2026-11-30');

    expect(
      (await step(u.rat, 'anzeigen', { anzeigedatum: '2026-11-25', aufsichtsbehoerde: 'Landrat' }))
        .statusCode,
    ).toBe(403);
    expect(
      (
        await step(u.kaemmerer, 'anzeigen', {
          anzeigedatum: '2026-11-25',
          aufsichtsbehoerde:
            'Landrat des Kreises Siegen-Wittgenstein als untere staatliche Verwaltungsbehörde',
        })
      ).statusCode,
    ).toBe(200);
    expect(c.status).toBe('angezeigt');
    expect(c.deadline).toBeNull();

    const tooEarly = await step(u.kaemmerer, 'bekanntmachen', {
      bekanntmachungsdatum: '2026-11-26',
      fristVerkuerzt: false,
    });
    expect(tooEarly.statusCode).toBe(400);
    expect(tooEarly.json().errors[0].message).toBe(
      'Tag der Bekanntmachung: frühestens einen Monat nach der Anzeige, also ab 25.12.2026 (§ 80 Abs. 5 GO NRW), es sei denn, die Aufsichtsbehörde hat die Frist verkürzt.',
    );
    expect(
      (await step(u.kaemmerer, 'bekanntmachen', { bekanntmachungsdatum: '2026-11-26', fristVerkuerzt: true }))
        .statusCode,
    ).toBe(200);
    expect(c.status).toBe('in_kraft');
    expect(c.actions.map((x: { action: string; actorName: string }) => [x.action, x.actorName])).toEqual([
      ['anlegen', 'Sabine Sachbearbeiterin'],
      ['aufstellen', 'Klaus Kämmerer'],
      ['bestaetigen', 'Steffen Bürgermeister'],
      ['beschliessen', 'Rita Ratsbüro'],
      ['anzeigen', 'Klaus Kämmerer'],
      ['bekanntmachen', 'Klaus Kämmerer'],
    ]);
    // Every step carries the version it approved.
    expect(
      new Set(
        c.actions.slice(1).map((x: { payload: { fassung: { nummer: number } } }) => x.payload.fassung.nummer),
      ),
    ).toEqual(new Set([5]));
    expect((await a.act(u.olpe, planId, 'zurueckgeben', c.version, { grund: 'x' })).statusCode).toBe(403);
  });

  it('gives a draft back for changes, which unfreezes it', async () => {
    const plan = (await a.createPlan(u.clerk, 2028)).json();
    await a.importFile(u.clerk, plan.id, {
      content: await xlsxBase64(beispielHaushalt(), 2028),
      basedOnVersion: 0,
    });
    const empty = (await a.createPlan(u.clerk, 2025)).json();
    const none = await a.act(u.kaemmerer, empty.id, 'aufstellen', empty.version, {});
    expect(none.statusCode).toBe(409);
    expect(none.json().detail).toContain('Der Entwurf hat noch keine Zeilen');
    let c = (await a.act(u.kaemmerer, plan.id, 'aufstellen', plan.version, {})).json();
    expect(c.status).toBe('aufgestellt');
    const back = await a.act(u.bm, plan.id, 'zurueckgeben', c.version, {
      grund: 'Kreisumlage neu berechnen',
    });
    expect(back.statusCode).toBe(200);
    c = back.json();
    expect(c.status).toBe('entwurf');
    expect(c.data.fassung).toBeUndefined();
    const again = await a.importFile(u.clerk, plan.id, {
      content: await xlsxBase64(beispielHaushalt(), 2028),
      basedOnVersion: 1,
    });
    expect(again.statusCode).toBe(201);
  });

  it('lets only the authority’s Kämmerei (and its Bürgermeister and Ratsbüro) read the plans', async () => {
    for (const user of [u.bm, u.rat, u.clerk]) {
      expect((await a.get(user, `/api/haushalt/plans/${planId}`)).statusCode).toBe(200);
    }
    const crisis = await userWith(ctx, []);
    await ctx.handle.db
      .updateTable('app_user')
      .set({ is_crisis_team: 1 })
      .where('id', '=', crisis.userId)
      .execute();
    const admin = await userWith(ctx, [], { isAdmin: true });
    for (const user of [u.olpe, u.standesamt, crisis, admin]) {
      for (const url of [
        `/api/haushalt/plans/${planId}`,
        `/api/haushalt/plans/${planId}/versions/1/lines?produktbereich=01`,
        `/api/haushalt/plans/${planId}/versions/1/export/xlsx`,
        `/api/haushalt/plans/${planId}/versions/1/export/pdf`,
        `/api/haushalt/plans/${planId}/diff?from=1&to=2`,
        `/api/haushalt/authorities/${SIEGEN}/plans`,
        `/api/haushalt/authorities/${SIEGEN}/vorlaeufig/2027`,
      ]) {
        const res = await a.get(user, url);
        expect({ url, status: res.statusCode }).toEqual({ url, status: 403 });
        expect(res.body).not.toContain('Rat und Ausschüsse');
      }
    }
    const list = await a.get(u.olpe, '/api/haushalt/authorities/05966024/plans');
    expect(list.json().items).toEqual([]);
  });

  it('grants the Bürgermeister and Ratsbüro roles at the Kämmerei only', async () => {
    const admin = await userWith(ctx, [], { isAdmin: true });
    const target = await userWith(ctx, []);
    const put = (grants: object[]) =>
      ctx.app.inject({
        method: 'PUT',
        url: `/api/admin/users/${target.userId}/grants`,
        headers: { ...admin.headers, 'idempotency-key': randomUUID() },
        payload: { grants },
      });
    const wrong = await put([{ authorityAgs: SIEGEN, officeType: 'standesamt', role: 'buergermeister' }]);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors).toContainEqual({
      path: 'body/grants/0/role',
      message: 'Die Rolle „Bürgermeister/in bzw. Landrat/Landrätin“ gibt es nur bei der Kämmerei.',
    });
    const right = await put([{ authorityAgs: SIEGEN, officeType: 'kaemmerei', role: 'ratsbuero' }]);
    expect(right.statusCode).toBe(200);
  });

  it('keeps versions and lines append-only in the database', async () => {
    const attempt = async (q: Promise<unknown>) => q.then(() => 'ok').catch((e: Error) => e.message);
    expect(await attempt(sql`UPDATE haushalt_line SET ansatz = 0`.execute(ctx.handle.db))).toContain(
      'append-only',
    );
    expect(await attempt(sql`DELETE FROM haushalt_version`.execute(ctx.handle.db))).toContain('append-only');
  });
});
