import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createTestContext,
  describeEachDialect,
  type TestContext,
  type TestUser,
  userWith,
} from '../../../test/harness.js';
import { eheDaten, geburtDaten, sterbefallDaten } from './fixtures.js';
import { api, OLPE, pdfText, SIEGEN } from './test-helpers.js';

describeEachDialect('Standesamt: Geburt und Sterbefall', (dialect) => {
  let ctx: TestContext;
  let clerk: TestUser;
  let otherTown: TestUser;
  let otherOffice: TestUser;
  let a: ReturnType<typeof api>;

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    a = api(ctx);
    clerk = await userWith(ctx, [{ ags: SIEGEN, office: 'standesamt' }], {
      displayName: 'Renée Standesbeamtin',
    });
    otherTown = await userWith(ctx, [{ ags: OLPE, office: 'standesamt' }]);
    otherOffice = await userWith(ctx, [{ ags: SIEGEN, office: 'meldebehoerde' }]);
  });
  afterAll(() => ctx.close());

  it('records a birth with deadline, required documents and no duplicate', async () => {
    const res = await a.create(clerk, 'geburt', geburtDaten());
    expect(res.statusCode).toBe(201);
    const c = res.json();
    expect(c.aktenzeichen).toMatch(/^GB \d+\/2026$/);
    expect(c.status).toBe('angezeigt');
    // Born Tuesday 24 Nov 2026: one week later.
    expect(c.deadline).toMatchObject({ date: '2026-12-01', label: 'Anzeigefrist (§ 18 PStG)' });
    expect(c.data.unterlagen.map((u: { id: string }) => u.id)).toEqual([
      'geburtsbescheinigung',
      'ausweise_eltern',
      'geburtsurkunden_eltern',
      'eheurkunde_eltern',
    ]);
    expect(c.data.unterlagen.every((u: { eingegangen: boolean }) => !u.eingegangen)).toBe(true);
    expect(c.data.duplikat).toEqual({ status: 'keine', kandidaten: [] });
    expect(c.allowedActions.map((x: { id: string }) => x.id)).toContain('registrieren');
  });

  it('lists the documents of unmarried parents', async () => {
    const res = await a.create(
      clerk,
      'geburt',
      geburtDaten({
        kind: { familienname: 'Neumann', vornamen: 'Ida', geburtsort: 'Netphen' },
        elternMiteinanderVerheiratet: false,
        sorgeerklaerungAbgegeben: true,
      }),
    );
    expect(res.json().data.unterlagen.map((u: { id: string }) => u.id)).toEqual([
      'geburtsbescheinigung',
      'ausweise_eltern',
      'geburtsurkunde_mutter',
      'vaterschaftsanerkennung',
      'geburtsurkunde_vater',
      'sorgeerklaerung',
    ]);
  });

  it('refuses dates in the future, a death after its report and a written-only reporter speaking', async () => {
    const future = await a.create(clerk, 'geburt', geburtDaten({ kind: { geburtsdatum: '2026-11-27' } }));
    expect(future.statusCode).toBe(400);
    expect(future.json().errors).toContainEqual({
      path: 'data/kind/geburtsdatum',
      message: 'Tag der Geburt: darf nicht in der Zukunft liegen.',
    });
    const late = await a.create(
      clerk,
      'sterbefall',
      sterbefallDaten({ tod: { datum: '2026-11-25' }, anzeige: { datum: '2026-11-24' } }),
    );
    expect(late.statusCode).toBe(400);
    expect(late.json().errors).toContainEqual({
      path: 'data/tod/datum',
      message: 'Sterbetag: muss vor der Anzeige liegen (oder am selben Tag).',
    });
    const oral = await a.create(clerk, 'sterbefall', sterbefallDaten({ anzeige: { schriftlich: false } }));
    expect(oral.statusCode).toBe(400);
    expect(oral.json().errors[0].message).toContain('schriftlich');
  });

  it('refuses registration while documents are missing, then registers with G n/2026 and a certificate', async () => {
    const c = (
      await a.create(
        clerk,
        'geburt',
        geburtDaten({ kind: { familienname: 'Brück', vornamen: 'Mats', geburtsort: 'Kreuztal' } }),
      )
    ).json();
    const refused = await a.act(clerk, c.id, 'registrieren', c.version);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().title).toBe('Unterlagen unvollständig');
    expect(refused.json().detail).toContain('Es fehlen noch: Bescheinigung über die Geburt');
    const unchanged = (await a.get(clerk, c.id)).json();
    expect(unchanged.version).toBe(c.version);

    const partial = await a.act(clerk, c.id, 'unterlagen_erfassen', c.version, {
      eingegangen: ['geburtsbescheinigung'],
    });
    expect(partial.statusCode).toBe(200);
    expect(partial.json().data.unterlagen[0]).toMatchObject({ eingegangen: true, am: '2026-11-26' });
    const unknown = await a.act(clerk, c.id, 'unterlagen_erfassen', partial.json().version, {
      eingegangen: ['bogus'],
    });
    expect(unknown.statusCode).toBe(409);
    const complete = await a.allDocuments(clerk, partial.json());
    const reg = await a.act(clerk, c.id, 'registrieren', complete.version);
    expect(reg.statusCode).toBe(200);
    const r = reg.json();
    expect(r.status).toBe('registriert');
    expect(r.data.registereintrag.nummer).toMatch(/^G \d+\/2026$/);
    expect(r.deadline).toBeNull();
    const doc = r.documents.find((d: { id: string }) => d.id === 'vorlaeufige_geburtsurkunde');
    const pdf = await ctx.app.inject({ method: 'GET', url: doc.href, headers: clerk.headers });
    expect(pdf.statusCode).toBe(200);
    const text = await pdfText(pdf.rawPayload);
    expect(text).toContain('AUSGESTELLT IM NOTBETRIEB');
    expect(text).toContain('Vorläufige Geburtsurkunde');
    expect(text).toContain(r.aktenzeichen);
    expect(text).toContain(r.data.registereintrag.nummer);
    expect(text).toContain('Brück');
    expect(text).toContain('Jülide Schäfer geb. Öztürk');
    expect(text).toContain('Geburtenregister');
  });

  it('flags a similar death (Kölner Phonetik, ±2 days, same place) and refuses registration until resolved', async () => {
    const first = (
      await a.create(
        clerk,
        'sterbefall',
        sterbefallDaten({ verstorbene: { familienname: 'Meier', vornamen: 'Karl-Heinz' } }),
      )
    ).json();
    expect(first.data.duplikat.status).toBe('keine');
    // "Mayer", "Carl Heinz", one day earlier, same place: flagged.
    const second = (
      await a.create(
        clerk,
        'sterbefall',
        sterbefallDaten({
          verstorbene: { familienname: 'Mayer', vornamen: 'Carl Heinz' },
          tod: { datum: '2026-11-23' },
        }),
      )
    ).json();
    expect(second.data.duplikat.status).toBe('offen');
    expect(second.data.duplikat.kandidaten.map((k: { id: string }) => k.id)).toEqual([first.id]);
    // Different place: not flagged.
    const elsewhere = (
      await a.create(
        clerk,
        'sterbefall',
        sterbefallDaten({
          verstorbene: { familienname: 'Maier', vornamen: 'Karl-Heinz' },
          tod: { ort: 'Wilnsdorf' },
        }),
      )
    ).json();
    expect(elsewhere.data.duplikat.status).toBe('keine');
    // Three days apart: not flagged.
    const later = (
      await a.create(
        clerk,
        'sterbefall',
        sterbefallDaten({
          verstorbene: { familienname: 'Meyer', vornamen: 'Karlheinz' },
          tod: { datum: '2026-11-21' },
        }),
      )
    ).json();
    expect(later.data.duplikat.kandidaten.map((k: { id: string }) => k.id)).not.toContain(first.id);

    const docs = await a.allDocuments(clerk, second);
    const refused = await a.act(clerk, second.id, 'registrieren', docs.version);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().title).toBe('Mögliches Duplikat ungeklärt');
    expect(refused.json().detail).toContain(first.aktenzeichen);

    const confirmed = await a.act(clerk, second.id, 'kein_duplikat', docs.version, {
      begruendung: 'Andere Person, anderer Vater',
    });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json().data.duplikat.status).toBe('kein_duplikat');
    const reg = await a.act(clerk, second.id, 'registrieren', confirmed.json().version);
    expect(reg.statusCode).toBe(200);
    expect(reg.json().data.registereintrag.nummer).toMatch(/^S \d+\/2026$/);
  });

  it('reopens the duplicate check when a new similar report arrives after "kein Duplikat", and on correction', async () => {
    const mk = (vornamen: string, datum = '2026-11-25') =>
      a.create(
        clerk,
        'geburt',
        geburtDaten({
          kind: { familienname: 'Wagner', vornamen, geburtsort: 'Erndtebrück', geburtsdatum: datum },
        }),
      );
    const first = (await mk('Finn')).json();
    const second = (await mk('Fin')).json();
    expect(second.data.duplikat.status).toBe('offen');
    const ok = (await a.act(clerk, second.id, 'kein_duplikat', second.version, {})).json();
    expect(ok.data.duplikat).toMatchObject({ status: 'kein_duplikat', kandidaten: [{ id: first.id }] });
    // A third, similar report comes in: registering the second one is refused again.
    const third = (await mk('Phin', '2026-11-24')).json();
    expect(third.data.duplikat.kandidaten.map((k: { id: string }) => k.id).sort()).toEqual(
      [first.id, second.id].sort(),
    );
    const docs = await a.allDocuments(clerk, ok);
    const refused = await a.act(clerk, second.id, 'registrieren', docs.version);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toContain(third.aktenzeichen);
    // Correcting the name so that it no longer resembles anything clears the flag.
    const corrected = await a.act(
      clerk,
      third.id,
      'berichtigen',
      third.version,
      geburtDaten({
        kind: {
          familienname: 'Zimmermann',
          vornamen: 'Phin',
          geburtsort: 'Erndtebrück',
          geburtsdatum: '2026-11-24',
        },
      }),
    );
    expect(corrected.statusCode).toBe(200);
    expect(corrected.json().data.duplikat).toEqual({ status: 'keine', kandidaten: [] });
    expect(corrected.json().data.unterlagen).toHaveLength(4);
  });

  it('links a duplicate report to the existing case and closes it without a register entry', async () => {
    const first = (
      await a.create(
        clerk,
        'geburt',
        geburtDaten({ kind: { familienname: 'Schmidt', vornamen: 'Paul', geburtsort: 'Hilchenbach' } }),
      )
    ).json();
    const dup = (
      await a.create(
        clerk,
        'geburt',
        geburtDaten({
          kind: {
            familienname: 'Schmitt',
            vornamen: 'Paul',
            geburtsort: 'Hilchenbach',
            geburtsdatum: '2026-11-25',
          },
        }),
      )
    ).json();
    expect(dup.data.duplikat.status).toBe('offen');
    const wrong = await a.act(clerk, dup.id, 'als_duplikat_verknuepfen', dup.version, { vorgangId: dup.id });
    expect(wrong.statusCode).toBe(409);
    const linked = await a.act(clerk, dup.id, 'als_duplikat_verknuepfen', dup.version, {
      vorgangId: first.id,
    });
    expect(linked.statusCode).toBe(200);
    expect(linked.json().status).toBe('zusammengefuehrt');
    expect(linked.json().data.duplikat.verknuepftMit).toEqual({
      id: first.id,
      aktenzeichen: first.aktenzeichen,
    });
    expect(linked.json().deadline).toBeNull();
  });

  it('gives the funeral confirmation after the report and the death certificate after registration', async () => {
    const c = (
      await a.create(
        clerk,
        'sterbefall',
        sterbefallDaten({
          verstorbene: { familienname: 'Jäger', vornamen: 'Hannelore', geschlecht: 'w' },
          tod: { ort: 'Freudenberg' },
        }),
      )
    ).json();
    // Died Tuesday 24 Nov 2026: third working day is Friday 27 Nov.
    expect(c.deadline).toMatchObject({ date: '2026-11-27', label: 'Anzeigefrist (§ 28 PStG)' });
    expect(c.documents.map((d: { id: string }) => d.id)).toEqual(['bestaetigung_sterbefallanzeige']);
    const before = await ctx.app.inject({ method: 'GET', url: c.documents[0].href, headers: clerk.headers });
    const t1 = await pdfText(before.rawPayload);
    expect(t1).toContain('Bestätigung der Sterbefallanzeige');
    expect(t1).toContain('damit die Bestattung stattfinden kann');
    expect(t1).toContain('Hannelore Jäger');
    expect(t1).toContain('Löhrtor 7, 57072 Siegen');
    expect(t1).toContain('Bestattungshaus Müller GmbH');
    expect(t1).toContain('die Registernummer wird nachgereicht');

    const docs = await a.allDocuments(clerk, c);
    const reg = (await a.act(clerk, c.id, 'registrieren', docs.version)).json();
    expect(reg.documents.map((d: { id: string }) => d.id)).toEqual([
      'bestaetigung_sterbefallanzeige',
      'vorlaeufige_sterbeurkunde',
    ]);
    const after = await ctx.app.inject({ method: 'GET', url: reg.documents[0].href, headers: clerk.headers });
    expect(await pdfText(after.rawPayload)).toContain(reg.data.registereintrag.nummer);
    const cert = await ctx.app.inject({ method: 'GET', url: reg.documents[1].href, headers: clerk.headers });
    const t2 = await pdfText(cert.rawPayload);
    expect(t2).toContain('Vorläufige Sterbeurkunde');
    expect(t2).toContain('Sterberegister');
    expect(t2).toContain(reg.aktenzeichen);
  });

  it('shows an overdue death report in the worklist', async () => {
    const c = (
      await a.create(
        clerk,
        'sterbefall',
        sterbefallDaten({
          verstorbene: { familienname: 'Spät', vornamen: 'Ute' },
          tod: { datum: '2026-11-18', ort: 'Burbach' },
        }),
      )
    ).json();
    expect(c.deadline).toMatchObject({ date: '2026-11-23', state: 'overdue', stateLabel: 'Überfällig' });
    const list = await ctx.app.inject({
      method: 'POST',
      url: '/api/cases/search',
      headers: clerk.headers,
      payload: { procedureId: 'sterbefall', deadlineState: 'overdue' },
    });
    expect(list.json().items.map((i: { id: string }) => i.id)).toContain(c.id);
  });

  it('keeps civil-registry cases from other towns and other offices', async () => {
    const c = (
      await a.create(
        clerk,
        'geburt',
        geburtDaten({ kind: { familienname: 'Özdemir', vornamen: 'Elif', geburtsort: 'Bad Berleburg' } }),
      )
    ).json();
    for (const user of [otherTown, otherOffice]) {
      expect((await a.get(user, c.id)).statusCode).toBe(403);
      expect((await a.act(user, c.id, 'registrieren', c.version)).statusCode).toBe(403);
      expect((await a.create(user, 'sterbefall', sterbefallDaten())).statusCode).toBe(403);
    }
  });

  it('runs a marriage: notice, minimum age, documents', async () => {
    const young = await a.create(
      clerk,
      'eheschliessung',
      eheDaten({ ehegatte2: { geburtsdatum: '2008-11-27' } }),
    );
    expect(young.statusCode).toBe(400);
    expect(young.json().errors).toContainEqual({
      path: 'data/ehegatte2/geburtsdatum',
      message: 'Eine Ehe kann erst ab 18 Jahren geschlossen werden (§ 1303 BGB).',
    });
    const ok = await a.create(
      clerk,
      'eheschliessung',
      eheDaten({ ehegatte2: { geburtsdatum: '2008-11-26' } }),
    );
    expect(ok.statusCode).toBe(201);
    expect(ok.json().aktenzeichen).toMatch(/^EH \d+\/2026$/);
    expect(ok.json().data.unterlagen.map((u: { id: string }) => u.id)).toContain('scheidungsnachweis_2');
  });
});
