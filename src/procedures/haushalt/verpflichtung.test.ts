import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestContext, describeEachDialect, type TestContext } from '../../../test/harness.js';
import { verpflichtungDaten } from './fixtures.js';
import { api, kaemmereiUsers, pdfText, SIEGEN, xlsxBase64 } from './test-helpers.js';

/**
 * The vorläufige Haushaltsführung (§ 82 GO NRW) through the HTTP API on both dialects: no
 * commitment without a legal ground and its proof (API and database), the Produkt checked against
 * the year's draft, the report against last year's budget per Produktbereich, the end of the
 * provisional budget when the bylaw is published, and the handover to the finance system.
 */
describeEachDialect('Kämmerei: vorläufige Haushaltsführung', (dialect) => {
  let ctx: TestContext;
  let a: ReturnType<typeof api>;
  let u: Awaited<ReturnType<typeof kaemmereiUsers>>;
  let planId = '';

  const verpflichtung = verpflichtungDaten;
  const erfassen = (data: object, user = u.clerk) =>
    a.write(user, '/api/cases', { procedureId: 'vorlaeufige_ausgabe', authorityAgs: SIEGEN, data });
  const count = async () =>
    Number(
      (
        await ctx.handle.db
          .selectFrom('haushalt_commitment')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const cases = async () =>
    Number(
      (
        await ctx.handle.db
          .selectFrom('cases')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    ctx = await createTestContext(dialect, new Date('2027-01-20T10:00:00Z'));
    a = api(ctx);
    u = await kaemmereiUsers(ctx);
  });
  afterAll(() => ctx.close());

  it('refuses a commitment before any budget of the year or the year before is loaded', async () => {
    const res = await erfassen(verpflichtung());
    expect(res.statusCode).toBe(409);
    expect(res.json().title).toBe('Kein Haushaltsplan zum Abgleich');
    planId = (await a.createPlan(u.clerk, 2027)).json().id;
    expect(
      (await a.importFile(u.clerk, planId, { content: await xlsxBase64(), basedOnVersion: 0 })).statusCode,
    ).toBe(201);
  });

  it('refuses a commitment without a legal ground, without its proof, or of an unknown Produkt — nothing changes', async () => {
    const before = { commitments: await count(), cases: await cases() };
    const { rechtsgrund: _r, ...ohne } = verpflichtung();
    const noGround = await erfassen(ohne);
    expect(noGround.statusCode).toBe(400);
    expect(noGround.json().errors).toContainEqual({
      path: 'data/rechtsgrund',
      message: 'Rechtsgrund nach § 82 GO NRW: Bitte eine der vorgegebenen Möglichkeiten wählen.',
    });
    const invented = await erfassen(verpflichtung({ rechtsgrund: 'freiwillige_leistung' }));
    expect(invented.statusCode).toBe(400);
    const noProof = await erfassen(verpflichtung({ rechtsgrund: 'unaufschiebbar', nachweis: 'eilt' }));
    expect(noProof.statusCode).toBe(400);
    expect(noProof.json().errors).toContainEqual({
      path: 'data/nachweis',
      message:
        'Nachweis des Rechtsgrunds: Bitte belegen – warum die Aufgabe notwendig ist und die Ausgabe nicht warten kann.',
    });
    const wrongArt = await erfassen(verpflichtung({ rechtsgrund: 'fortsetzung_investition' }));
    expect(wrongArt.json().errors[0]).toEqual({
      path: 'data/art',
      message: 'Art: Die Fortsetzung einer Investition ist eine Investitionsauszahlung.',
    });
    const unknown = await erfassen(verpflichtung({ produkt: '02.01.01' }));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors).toEqual([
      { path: 'data/produkt', message: 'Produkt: 02.01.01 gibt es im Haushaltsplan 2027 (Fassung 1) nicht.' },
    ]);
    const future = await erfassen(verpflichtung({ datum: '2027-02-01' }));
    expect(future.json().errors[0].message).toBe('Tag der Verpflichtung: darf nicht in der Zukunft liegen.');
    const zero = await erfassen(verpflichtung({ betragCents: 0 }));
    expect(zero.json().errors[0].message).toBe('Betrag: muss größer als 0 sein.');
    expect((await erfassen(verpflichtung(), u.bm)).statusCode).toBe(403);
    expect((await erfassen(verpflichtung(), u.olpe)).statusCode).toBe(403);
    expect({ commitments: await count(), cases: await cases() }).toEqual(before);
  });

  it('no commitment without a legal ground can reach the table, not even past the API', async () => {
    const row = {
      case_id: randomUUID(),
      authority_ags: SIEGEN,
      haushaltsjahr: 2027,
      datum: '2027-01-10',
      produktbereich: '01',
      produkt: '01.01.02',
      art: 'aufwand',
      rechtsgrund: 'rechtliche_verpflichtung',
      nachweis: 'Vertrag vom 01.01.2026',
      betrag_cents: 100,
      created_at: new Date().toISOString(),
    };
    const attempt = (over: object) =>
      ctx.handle.db
        .insertInto('haushalt_commitment')
        .values({ ...row, case_id: randomUUID(), ...over })
        .execute()
        .then(() => 'gespeichert')
        .catch(() => 'abgelehnt');
    expect(await attempt({ rechtsgrund: '' })).toBe('abgelehnt');
    expect(await attempt({ rechtsgrund: 'freiwillig' })).toBe('abgelehnt');
    expect(await attempt({ nachweis: '   ' })).toBe('abgelehnt');
    expect(await attempt({ betrag_cents: 0 })).toBe('abgelehnt');
    expect(await count()).toBe(0);
  });

  it('records commitments with ground, Produkt and amount; the report compares them with last year’s budget', async () => {
    const r1 = await erfassen(verpflichtung());
    expect(r1.statusCode).toBe(201);
    expect(r1.json()).toMatchObject({
      aktenzeichen: expect.stringMatching(/^VH \d+\/2027$/),
      status: 'erfasst',
    });
    expect(r1.json().data).toMatchObject({
      haushaltsjahr: 2027,
      produktbereich: '01',
      produktName: 'Bürgerbüro',
    });
    const r2 = await erfassen(
      verpflichtung({
        produkt: '06.01.01',
        art: 'investition',
        gegenstand: 'Abschlagsrechnung 4 Rohbau Kita „Am Häusling“',
        betragCents: 25_000_000,
        rechtsgrund: 'fortsetzung_investition',
        nachweis: 'Baumaßnahme Kita Am Häusling, Finanzposition 06.01.01 Zeile 21 des Haushalts 2026',
      }),
    );
    expect(r2.statusCode).toBe(201);
    const r3 = await erfassen(
      verpflichtung({
        gegenstand: 'Notreparatur der Heizung im Bürgerbüro',
        betragCents: 500_000,
        rechtsgrund: 'unaufschiebbar',
        nachweis: 'Heizungsausfall am 11.01.2027; ohne Reparatur keine Öffnung des Bürgerbüros',
      }),
    );
    const storno = await a.act(u.clerk, r3.json().id, 'stornieren', r3.json().version, {
      grund: 'Doppelt erfasst (siehe Papierbeleg)',
    });
    expect(storno.json().status).toBe('storniert');

    const report = await a.get(u.bm, `/api/haushalt/authorities/${SIEGEN}/vorlaeufig/2027`);
    expect(report.statusCode).toBe(200);
    const rep = report.json();
    expect(rep.vergleich).toMatchObject({ quelle: 'entwurf', fassung: 1 });
    expect(rep.vergleich.label).toContain('Spalte „Ansatz 2026“');
    expect(rep.inKraftSeit).toBeNull();
    const pb = (code: string) =>
      rep.bereiche.find((b: { produktbereich: string }) => b.produktbereich === code);
    // Ansatz 2026 of PB 01: Personal 240.000 + 400.000, Sach- und Dienstleistungen 75.000.
    expect(pb('01')).toMatchObject({
      vorjahrAufwandCents: 71_500_000,
      verpflichtetAufwandCents: 1_200_000,
      vorjahrInvestitionCents: 2_000_000,
      verpflichtetInvestitionCents: 0,
      anzahl: 1,
    });
    expect(pb('01').anteilAufwand).toBeCloseTo(12_000 / 715_000, 10);
    expect(pb('06')).toMatchObject({
      vorjahrAufwandCents: 250_000_000,
      vorjahrInvestitionCents: 50_000_000,
      verpflichtetInvestitionCents: 25_000_000,
      anteilInvestition: 0.5,
    });
    // PB 16: Transfer 3.800.000 + Zinsen 300.000; no commitments.
    expect(pb('16')).toMatchObject({
      vorjahrAufwandCents: 410_000_000,
      verpflichtetAufwandCents: 0,
      anzahl: 0,
    });
    expect(rep.summe).toMatchObject({
      verpflichtetAufwandCents: 1_200_000,
      verpflichtetInvestitionCents: 25_000_000,
      anzahl: 2,
    });
    expect(
      rep.nachRechtsgrund.map((g: { rechtsgrund: string; anzahl: number }) => [g.rechtsgrund, g.anzahl]),
    ).toEqual([
      ['rechtliche_verpflichtung', 1],
      ['unaufschiebbar', 0],
      ['fortsetzung_investition', 1],
    ]);

    const pdf = await a.get(u.kaemmerer, `/api/haushalt/authorities/${SIEGEN}/vorlaeufig/2027/export/pdf`);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = await pdfText(pdf.rawPayload);
    for (const s of [
      'Vorläufige Haushaltsführung 2027 (§ 82 GO NRW)',
      'Innere Verwaltung',
      'Kinder-, Jugend- und Familienhilfe',
      '715.000,00',
      '250.000,00',
      'Summe',
    ]) {
      expect(text, s).toContain(s);
    }
    expect(
      (await a.get(u.olpe, `/api/haushalt/authorities/${SIEGEN}/vorlaeufig/2027/export/pdf`)).statusCode,
    ).toBe(403);
  });

  it('hands the commitments over as CSV, without the cancelled one', async () => {
    const batch = await a.write(u.clerk, '/api/handover/batches', {
      procedureId: 'vorlaeufige_ausgabe',
      authorityAgs: SIEGEN,
    });
    expect(batch.statusCode).toBe(201);
    const b = batch.json();
    expect(b.caseCount).toBe(2);
    const file = b.files.find((f: { name: string }) => f.name.endsWith('.csv'));
    const csv = await a.get(u.clerk, file.href);
    expect(csv.body).toContain('tag_der_verpflichtung;produktbereich;produkt');
    expect(csv.body).toContain(
      ';2027;2027-01-12;06;06.01.01;Kindertageseinrichtungen;Investitionsauszahlung (Finanzplan);Abschlagsrechnung 4 Rohbau Kita „Am Häusling“;250000,00;',
    );
    expect(csv.body).not.toContain('Notreparatur');
  });

  it('ends when the budget bylaw is published: no commitment dated from then on', async () => {
    let c = (await a.caseOf(u.clerk, planId)).json();
    const step = async (user: (typeof u)[keyof typeof u], action: string, payload: unknown) => {
      const r = await a.act(user, planId, action, c.version, payload);
      expect(r.statusCode, `${action}: ${r.body}`).toBe(200);
      c = r.json();
    };
    await step(u.kaemmerer, 'aufstellen', { datum: '2026-10-01' });
    await step(u.bm, 'bestaetigen', { datum: '2026-10-05' });
    await step(u.rat, 'beschliessen', { beschlussdatum: '2026-12-10', sitzung: 'Rat, 10.12.2026, TOP 3' });
    await step(u.kaemmerer, 'anzeigen', {
      anzeigedatum: '2026-12-14',
      aufsichtsbehoerde: 'Landrat des Kreises Siegen-Wittgenstein',
    });
    await step(u.kaemmerer, 'bekanntmachen', { bekanntmachungsdatum: '2027-01-15', fristVerkuerzt: false });
    expect(c.status).toBe('in_kraft');

    const after = await erfassen(verpflichtung({ datum: '2027-01-18' }));
    expect(after.statusCode).toBe(409);
    expect(after.json().detail).toBe(
      'Die Haushaltssatzung 2027 ist seit dem 15.01.2027 bekannt gemacht; die vorläufige Haushaltsführung (§ 82 GO NRW) ist beendet. Verpflichtungen werden im Finanzverfahren gebucht.',
    );
    const before = await erfassen(
      verpflichtung({ datum: '2027-01-14', gegenstand: 'Nachgetragen: Druckerpapier' }),
    );
    expect(before.statusCode).toBe(201);
    const rep = (await a.get(u.kaemmerer, `/api/haushalt/authorities/${SIEGEN}/vorlaeufig/2027`)).json();
    expect(rep.inKraftSeit).toBe('2027-01-15');
  });

  it('keeps the commitments append-only in the database', async () => {
    const msg = await sql`UPDATE haushalt_commitment SET betrag_cents = 1`
      .execute(ctx.handle.db)
      .then(() => 'ok')
      .catch((e: Error) => e.message);
    expect(msg).toContain('append-only');
  });
});
