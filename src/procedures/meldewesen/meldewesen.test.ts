import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createTestContext,
  describeEachDialect,
  type TestContext,
  type TestUser,
  userWith,
} from '../../../test/harness.js';
import { pdfText } from '../../../test/pdf.js';
import { abmeldungDaten, ausweisDaten, einzugDaten, meldePerson } from './fixtures.js';
import { REGISTER_FIXTURE, writeRegisterCsv } from './server/register/fixtures.js';
import { importRegister } from './server/register/import.js';

const SIEGEN = '05970040';
const OLPE = '05966024';

describeEachDialect('Meldewesen: Meldevorgänge and ID applications', (dialect) => {
  let ctx: TestContext;
  let clerk: TestUser;
  let clerk2: TestUser;
  let olpeClerk: TestUser;
  let standesamt: TestUser;
  let dir: string;

  const create = (user: TestUser | null, procedureId: string, data: unknown, ags = SIEGEN) =>
    ctx.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: { ...(user?.headers ?? {}), 'idempotency-key': randomUUID() },
      payload: { procedureId, authorityAgs: ags, data },
    });
  const act = (user: TestUser, id: string, action: string, expectedVersion: number, payload: unknown = {}) =>
    ctx.app.inject({
      method: 'POST',
      url: `/api/cases/${id}/actions/${action}`,
      headers: { ...user.headers, 'idempotency-key': randomUUID() },
      payload: { expectedVersion, payload },
    });
  const search = (user: TestUser, body: object) =>
    ctx.app.inject({ method: 'POST', url: '/api/register/search', headers: user.headers, payload: body });

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    clerk = await userWith(ctx, [{ ags: SIEGEN, office: 'meldebehoerde' }], { displayName: 'Clara Kasse' });
    clerk2 = await userWith(ctx, [{ ags: SIEGEN, office: 'meldebehoerde', role: 'leitung' }], {
      displayName: 'Lea Leitung',
    });
    olpeClerk = await userWith(ctx, [{ ags: OLPE, office: 'meldebehoerde' }]);
    standesamt = await userWith(ctx, [{ ags: SIEGEN, office: 'standesamt' }]);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nb-mw-'));
    const file = path.join(dir, 'register.csv');
    writeRegisterCsv(file, REGISTER_FIXTURE);
    await importRegister(ctx.handle, { file, importedBy: 'test' });
  });
  afterAll(async () => {
    await ctx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('records an Ummeldung of a family; search finds them at the new address, marked as recorded in emergency operation', async () => {
    const data = einzugDaten({
      personen: [
        meldePerson({
          registerPersonId: 'P1',
          familienname: 'Meier',
          vornamen: 'Jürgen',
          geburtsdatum: '1964-08-12',
        }),
        meldePerson({
          registerPersonId: 'P3',
          familienname: 'Meier',
          vornamen: 'Lena',
          geburtsdatum: '2010-05-05',
          geschlecht: 'w',
        }),
      ],
    });
    const res = await create(clerk, 'ummeldung', data);
    expect(res.statusCode).toBe(201);
    const c = res.json();
    expect(c.aktenzeichen).toMatch(/^UM \d+\/2026$/);
    expect(c.data.meldefrist).toEqual({
      stichtag: '2026-11-20',
      endetAm: '2026-12-04',
      gemeldetAm: '2026-11-26',
      eingehalten: true,
    });

    const byName = (await search(clerk, { familienname: 'Meier', vornamen: 'Jürgen' })).json().items[0];
    expect(byName).toMatchObject({
      id: 'P1',
      anschrift: { strasse: 'Löhrstraße', hausnummer: '5a', plz: '57072', ort: 'Siegen' },
      imNotbetriebErfasst: {
        caseId: c.id,
        procedureId: 'ummeldung',
        label: 'Im Notbetrieb erfasst: Ummeldung',
      },
    });
    const byAddress = (await search(clerk, { strasse: 'Löhrstr.' }))
      .json()
      .items.map((i: { id: string }) => i.id);
    expect(byAddress.sort()).toEqual(['P1', 'P3']);
    // The imported snapshot is unchanged: the person view shows both.
    const person = (
      await ctx.app.inject({ method: 'GET', url: '/api/register/persons/P1', headers: clerk.headers })
    ).json();
    expect(person.registerAnschrift).toMatchObject({ strasse: 'Hauptstraße' });
    expect(person.anschrift.strasse).toBe('Löhrstraße');

    const pdf = await ctx.app.inject({
      method: 'GET',
      url: `/api/cases/${c.id}/documents/meldebestaetigung`,
      headers: clerk.headers,
    });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = await pdfText(pdf.rawPayload);
    expect(text).toContain('Meldebestätigung');
    expect(text).toContain('Löhrstraße 5a, 57072 Siegen');
    expect(text).toContain('Lena');
    expect(text).toContain('AUSGESTELLT IM NOTBETRIEB');

    // Cancelled: the persons appear as in the snapshot again.
    expect((await act(clerk, c.id, 'stornieren', 1, { grund: 'Falsche Person' })).statusCode).toBe(200);
    const after = (await search(clerk, { familienname: 'Meier', vornamen: 'Jürgen' })).json().items[0];
    expect(after.imNotbetriebErfasst).toBeNull();
    expect(after.anschrift.strasse).toBe('Hauptstraße');
  });

  it('records an Anmeldung of a newcomer who is found by sound and marked', async () => {
    const data = einzugDaten({
      personen: [meldePerson({ familienname: 'Schmied', vornamen: 'Ömer', geburtsdatum: '1991-01-01' })],
      einzug: { datum: '2026-11-01', wohnungsstatus: 'hauptwohnung' },
      bisherigeWohnung: { ort: 'İzmir', staat: 'Türkei' },
    });
    const res = await create(clerk, 'anmeldung', data);
    expect(res.statusCode).toBe(201);
    // Moved in on 1 Nov, recorded 26 Nov: the two weeks ended on 15 Nov.
    expect(res.json().data.meldefrist).toMatchObject({ endetAm: '2026-11-15', eingehalten: false });
    const hits = (await search(clerk, { familienname: 'Schmitt' })).json().items;
    const newcomer = hits.find((h: { familienname: string }) => h.familienname === 'Schmied');
    expect(newcomer).toMatchObject({
      source: 'notbetrieb',
      match: 'phonetisch',
      imNotbetriebErfasst: { procedureId: 'anmeldung' },
    });
    // Not visible in Olpe.
    const olpe = (await search(olpeClerk, { familienname: 'Schmied' })).json().items;
    expect(olpe).toEqual([]);
    // The newcomer can be opened by the id the search gave; not from Olpe.
    const opened = await ctx.app.inject({
      method: 'GET',
      url: `/api/register/persons/${newcomer.id}`,
      headers: clerk.headers,
    });
    expect(opened.statusCode).toBe(200);
    expect(opened.json()).toMatchObject({
      source: 'notbetrieb',
      vornamen: 'Ömer',
      anschrift: { strasse: 'Löhrstraße' },
      notbetriebVorgaenge: [{ procedureId: 'anmeldung' }],
    });
    const foreign = await ctx.app.inject({
      method: 'GET',
      url: `/api/register/persons/${newcomer.id}`,
      headers: olpeClerk.headers,
    });
    expect(foreign.statusCode).toBe(403);
  });

  it('refuses a registration without the Wohnungsgeberbestätigung and changes nothing', async () => {
    const data = einzugDaten({
      wohnungsgeberbestaetigung: { vorgelegt: false, wohnungsgeber: 'Privat', datum: '2026-11-18' },
    });
    const before = await ctx.handle.db
      .selectFrom('register_overlay')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    const res = await create(clerk, 'anmeldung', data);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toContainEqual({
      path: 'data/wohnungsgeberbestaetigung/vorgelegt',
      message:
        'Die Wohnungsgeberbestätigung (§ 19 BMG) muss vorgelegt werden. Ohne sie kann die Anmeldung nicht erfasst werden.',
    });
    const after = await ctx.handle.db
      .selectFrom('register_overlay')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    expect(Number(after?.n)).toBe(Number(before?.n));
    const future = await create(
      clerk,
      'anmeldung',
      einzugDaten({ einzug: { datum: '2026-12-01', wohnungsstatus: 'hauptwohnung' } }),
    );
    expect(future.statusCode).toBe(400);
  });

  it('records an Abmeldung up to one week ahead; the person is marked as abgemeldet', async () => {
    const res = await create(
      clerk,
      'abmeldung',
      abmeldungDaten({
        personen: [
          meldePerson({
            registerPersonId: 'P5',
            familienname: 'Maier',
            vornamen: 'Gisela',
            geburtsdatum: '1955-04-04',
            geschlecht: 'w',
          }),
        ],
      }),
    );
    expect(res.statusCode).toBe(201);
    const hit = (await search(clerk, { familienname: 'Maier', geburtsdatum: '1955-04-04' })).json().items[0];
    expect(hit).toMatchObject({
      id: 'P5',
      imNotbetriebErfasst: { status: 'abgemeldet', label: 'Im Notbetrieb erfasst: Abmeldung (abgemeldet)' },
    });
    const tooEarly = await create(clerk, 'abmeldung', abmeldungDaten({ auszug: { datum: '2026-12-10' } }));
    expect(tooEarly.statusCode).toBe(400);
    expect(JSON.stringify(tooEarly.json().errors)).toContain('§ 17 Abs. 2 BMG');
  });

  it('refuses Meldevorgänge for another town, from another office and anonymously', async () => {
    expect((await create(olpeClerk, 'anmeldung', einzugDaten())).statusCode).toBe(403);
    expect((await create(standesamt, 'anmeldung', einzugDaten())).statusCode).toBe(403);
    expect((await create(null, 'anmeldung', einzugDaten())).statusCode).toBe(401);
  });

  it('takes a Personalausweis application: fee by the 2026 law, cash payment into the journal, receipt, hand-over with check digit', async () => {
    const res = await create(
      clerk,
      'personalausweis',
      ausweisDaten({ antrag: { antragsdatum: '2026-11-26', zuschlag: true } }),
    );
    expect(res.statusCode).toBe(201);
    const c = res.json();
    expect(c.data.gebuehren.summeCents).toBe(4600 + 1300);
    expect(c.data.gebuehren.positionen.map((f: { code: string }) => f.code)).toEqual(['PA', 'ZUSCHLAG']);

    const paid = await act(clerk, c.id, 'gebuehr_bar_bezahlen', 1);
    expect(paid.statusCode).toBe(200);
    const zahlung = paid.json().data.zahlung;
    expect(zahlung).toMatchObject({ betragCents: 5900, tag: '2026-11-26' });

    const day = (
      await ctx.app.inject({
        method: 'GET',
        url: `/api/cashjournal/${SIEGEN}/meldebehoerde/days/today`,
        headers: clerk.headers,
      })
    ).json();
    const entry = day.entries.find((e: { id: string }) => e.id === zahlung.kassenbuchungId);
    expect(entry).toMatchObject({
      amountCents: 5900,
      purpose: 'Gebühr Personalausweis',
      reference: { type: 'case', id: c.id },
      createdByName: 'Clara Kasse',
    });
    expect(day.closingBalanceCents).toBe(day.openingBalanceCents + day.totalInCents - day.totalOutCents);

    const quittung = await ctx.app.inject({
      method: 'GET',
      url: `/api/cases/${c.id}/documents/gebuehrenquittung`,
      headers: clerk.headers,
    });
    expect(quittung.statusCode).toBe(200);
    const text = await pdfText(quittung.rawPayload);
    expect(text).toContain('46,00 EUR');
    expect(text).toContain('59,00 EUR');
    expect(text).toContain('Müßig');
    const receipt = await ctx.app.inject({
      method: 'GET',
      url: `/api/cashjournal/entries/${zahlung.kassenbuchungId}/receipt`,
      headers: clerk.headers,
    });
    expect(receipt.statusCode).toBe(200);
    expect(await pdfText(receipt.rawPayload)).toContain('59,00 EUR in bar erhalten');
    const foreign = await ctx.app.inject({
      method: 'GET',
      url: `/api/cashjournal/entries/${zahlung.kassenbuchungId}/receipt`,
      headers: olpeClerk.headers,
    });
    expect(foreign.statusCode).toBe(403);

    const wrong = await act(clerk, c.id, 'aushaendigen', 2, {
      dokumentnummer: 'T220001294',
      ausgestelltAm: '2026-11-26',
    });
    expect(wrong.statusCode).toBe(400);
    const mrzBad = await act(clerk, c.id, 'aushaendigen', 2, {
      dokumentnummer: 'T220001293',
      ausgestelltAm: '2026-11-26',
      mrz: [
        'IDD<<T220001293<<<<<<<<<<<<<<<',
        '6408125<2010315D<<<<<<<<<<<<<3',
        'MUSSIG<<JUERGEN<<<<<<<<<<<<<<<',
      ],
    });
    expect(mrzBad.statusCode).toBe(400);
    expect(JSON.stringify(mrzBad.json().errors)).toContain('Gesamtprüfziffer');
    const ok = await act(clerk, c.id, 'aushaendigen', 2, {
      dokumentnummer: 'T220001293',
      ausgestelltAm: '2026-11-26',
      mrz: [
        'IDD<<T220001293<<<<<<<<<<<<<<<',
        '6408125<2010315D<<<<<<<<<<<<<4',
        'MUSSIG<<JUERGEN<<<<<<<<<<<<<<<',
      ],
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().data.dokument).toMatchObject({ nummer: 'T220001293', gueltigBis: '2036-11-25' });
  });

  it('prices a Reisepass with 48 pages and express, and a vorläufiger Personalausweis', async () => {
    const rp = await create(
      clerk,
      'reisepass',
      ausweisDaten({
        antrag: { antragsdatum: '2026-11-26', zuschlag: false, seiten: '48', express: true } as never,
      }),
    );
    expect(rp.statusCode).toBe(201);
    expect(rp.json().data.gebuehren.summeCents).toBe(7000 + 2200 + 3200);
    const vpa = await create(clerk, 'vorlaeufiger_personalausweis', ausweisDaten());
    expect(vpa.json().data.gebuehren.summeCents).toBe(1000);
    const notGerman = await create(
      clerk,
      'personalausweis',
      ausweisDaten({ antragsteller: { ...ausweisDaten().antragsteller, staatsangehoerigkeit: 'AUT' } }),
    );
    expect(notGerman.statusCode).toBe(400);
  });

  it('closes the cash day: no booking afterwards, confirmation only by a second person, printable report', async () => {
    const app = await create(clerk, 'vorlaeufiger_reisepass', ausweisDaten());
    const id = app.json().id;
    const close = (user: TestUser, body: object = {}) =>
      ctx.app.inject({
        method: 'POST',
        url: `/api/cashjournal/${SIEGEN}/meldebehoerde/days/2026-11-26/close`,
        headers: { ...user.headers, 'idempotency-key': randomUUID() },
        payload: body,
      });
    expect((await close(olpeClerk)).statusCode).toBe(403);
    const closed = await close(clerk, { countedCents: 5900, note: 'Kasse gezählt' });
    expect(closed.statusCode).toBe(200);
    const v = closed.json();
    expect(v.closing).toMatchObject({ closedByName: 'Clara Kasse', countedCents: 5900, confirmation: null });
    expect(v.closing.differenceCents).toBe(5900 - v.closingBalanceCents);

    const late = await act(clerk, id, 'gebuehr_bar_bezahlen', 1);
    expect(late.statusCode).toBe(409);
    expect(late.json().title).toBe('Kassentag abgeschlossen');
    expect((await close(clerk)).statusCode).toBe(409);

    const confirm = (user: TestUser) =>
      ctx.app.inject({
        method: 'POST',
        url: `/api/cashjournal/${SIEGEN}/meldebehoerde/days/2026-11-26/confirm`,
        headers: user.headers,
        payload: {},
      });
    expect((await confirm(clerk)).statusCode).toBe(409);
    const confirmed = await confirm(clerk2);
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json().closing.confirmation.confirmedByName).toBe('Lea Leitung');

    const report = await ctx.app.inject({
      method: 'GET',
      url: `/api/cashjournal/${SIEGEN}/meldebehoerde/days/2026-11-26/report`,
      headers: clerk.headers,
    });
    expect(report.statusCode).toBe(200);
    const text = await pdfText(report.rawPayload);
    expect(text).toContain('Kassenbericht 26.11.2026');
    expect(text).toContain('Lea Leitung');

    // Next day the booking goes through.
    // (Moving the clock ends idle sessions: the next day starts with a fresh login.)
    ctx.clock.now = new Date('2026-11-27T09:00:00Z');
    const tomorrow = await userWith(ctx, [{ ags: SIEGEN, office: 'meldebehoerde' }]);
    const next = await act(tomorrow, id, 'gebuehr_bar_bezahlen', 1);
    expect(next.statusCode).toBe(200);
    expect(next.json().data.zahlung).toMatchObject({ betragCents: 2600, tag: '2026-11-27' });
    ctx.clock.now = new Date('2026-11-26T10:00:00Z');
    clerk = await userWith(ctx, [{ ags: SIEGEN, office: 'meldebehoerde' }], { displayName: 'Clara Kasse' });
    olpeClerk = await userWith(ctx, [{ ags: OLPE, office: 'meldebehoerde' }]);
    standesamt = await userWith(ctx, [{ ags: SIEGEN, office: 'standesamt' }]);
  });

  it('keeps journal entries append-only in the database', async () => {
    await expect(
      ctx.handle.db.updateTable('cash_journal_entry').set({ purpose: 'x' }).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(ctx.handle.db.deleteFrom('cash_journal_entry').execute()).rejects.toThrow(/append-only/);
  });

  it('refuses the cash journal to other towns, other offices and anonymous requests', async () => {
    const url = `/api/cashjournal/${SIEGEN}/meldebehoerde/days/today`;
    expect((await ctx.app.inject({ method: 'GET', url, headers: olpeClerk.headers })).statusCode).toBe(403);
    expect((await ctx.app.inject({ method: 'GET', url, headers: standesamt.headers })).statusCode).toBe(403);
    expect((await ctx.app.inject({ method: 'GET', url })).statusCode).toBe(401);
    const book = await ctx.app.inject({
      method: 'POST',
      url: `/api/cashjournal/${SIEGEN}/meldebehoerde/entries`,
      headers: { ...olpeClerk.headers, 'idempotency-key': randomUUID() },
      payload: { kind: 'einzahlung', amountCents: 100, purpose: 'x' },
    });
    expect(book.statusCode).toBe(403);
  });

  it('books a manual cash payout and refuses one larger than the cash on hand', async () => {
    ctx.clock.now = new Date('2026-11-28T09:00:00Z');
    const post = (body: object) =>
      ctx.app.inject({
        method: 'POST',
        url: `/api/cashjournal/${SIEGEN}/sozialamt/entries`,
        headers: { ...clerkSozial.headers, 'idempotency-key': randomUUID() },
        payload: body,
      });
    const clerkSozial = await userWith(ctx, [{ ags: SIEGEN, office: 'sozialamt' }]);
    expect((await post({ kind: 'auszahlung', amountCents: 100, purpose: 'Barauszahlung' })).statusCode).toBe(
      409,
    );
    const inn = await post({ kind: 'einzahlung', amountCents: 50000, purpose: 'Wechselgeld' });
    expect(inn.statusCode).toBe(201);
    const out = await post({ kind: 'auszahlung', amountCents: 12345, purpose: 'Barauszahlung Regelbedarf' });
    expect(out.json()).toMatchObject({ amountCents: -12345, balanceAfterCents: 37655, seq: 2 });
    expect((await post({ kind: 'einzahlung', amountCents: 10.5, purpose: 'x' })).statusCode).toBe(400);
    ctx.clock.now = new Date('2026-11-26T10:00:00Z');
  });
});
