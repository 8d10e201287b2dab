import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestContext,
  describeEachDialect,
  type TestContext,
  type TestUser,
  userWith,
} from '../../../../test/harness.js';
import { advance, crisisTeam, dienst, HOUR, http, KREIS_SI, OLPE, SIEGEN } from '../test-helpers.js';
import { wazOf } from './catalogue.js';

describe('WAZ judgement (BSI 200-4)', () => {
  const outage = '2026-11-01T06:00:00.000Z';
  const now = new Date('2026-11-02T12:00:00.000Z'); // 30 h after the outage
  const base = { status: 'notbetrieb', notbetriebSeit: null, wazStunden: 24, mtaStunden: 48 };

  it('judges a start within the WAZ as kept and a later one as exceeded', () => {
    expect(wazOf({ ...base, notbetriebSeit: '2026-11-01T16:00:00.000Z' }, outage, now)).toEqual({
      state: 'eingehalten',
      label: 'Notbetrieb innerhalb der WAZ aufgenommen',
      stunden: 10,
      mtaUeberschritten: false,
    });
    expect(wazOf({ ...base, notbetriebSeit: '2026-11-02T07:00:00.000Z' }, outage, now)).toMatchObject({
      state: 'ueberschritten',
      stunden: 25,
    });
    // Exactly at the WAZ still counts as kept.
    expect(wazOf({ ...base, notbetriebSeit: '2026-11-02T06:00:00.000Z' }, outage, now).state).toBe(
      'eingehalten',
    );
  });

  it('runs the clock while emergency operation has not started, and flags the MTA', () => {
    expect(wazOf({ ...base, status: 'ausgesetzt' }, outage, new Date('2026-11-01T20:00:00Z'))).toMatchObject({
      state: 'laeuft',
      stunden: 14,
      mtaUeberschritten: false,
    });
    expect(wazOf({ ...base, status: 'ausgesetzt' }, outage, now)).toMatchObject({
      state: 'offen_ueberschritten',
      stunden: 30,
      mtaUeberschritten: false,
    });
    expect(wazOf({ ...base, status: null }, outage, new Date('2026-11-03T12:00:00Z'))).toMatchObject({
      state: 'offen_ueberschritten',
      mtaUeberschritten: true,
    });
  });

  it('says so when there is no outage time, no WAZ, or normal operation', () => {
    expect(wazOf(base, null, now).state).toBe('ohne_ausfall');
    expect(wazOf({ ...base, wazStunden: null }, outage, now).state).toBe('ohne_ziel');
    expect(wazOf({ ...base, status: 'normal' }, outage, now).state).toBe('normal');
  });
});

describeEachDialect('Krisenstab: Dienstekatalog', (dialect) => {
  let ctx: TestContext;
  let crisis: TestUser;
  let standesamtLeitung: TestUser;
  let standesamtClerk: TestUser;
  let olpeLeitung: TestUser;

  const catalogue = async (user: TestUser = crisis, ags = SIEGEN) => {
    const res = await http(ctx).get(user, `/api/krisenstab/katalog/${ags}`);
    expect(res.statusCode).toBe(200);
    return res.json();
  };
  const entry = async (key: string, ags = SIEGEN) =>
    (await catalogue(crisis, ags)).dienste.find(
      (d: { key: string; familyId: string | null }) => d.key === key || d.familyId === key,
    );
  const save = (user: TestUser, key: string, expectedVersion: number, d: object, ags = SIEGEN) =>
    http(ctx).put(user, `/api/krisenstab/katalog/${ags}/dienste/${key}`, { expectedVersion, dienst: d });
  const changeCount = async () =>
    Number(
      (
        await ctx.handle.db
          .selectFrom('krisenstab_dienst_aenderung')
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  /** Fresh sessions (a moved clock ends idle ones). */
  const logins = async () => {
    crisis = await crisisTeam(ctx);
    standesamtLeitung = await userWith(ctx, [{ ags: SIEGEN, office: 'standesamt', role: 'leitung' }]);
    standesamtClerk = await userWith(ctx, [{ ags: SIEGEN, office: 'standesamt' }]);
    olpeLeitung = await userWith(ctx, [{ ags: OLPE, office: 'standesamt', role: 'leitung' }]);
  };

  beforeAll(async () => {
    ctx = await createTestContext(dialect, new Date('2026-11-02T08:00:00Z'));
    await logins();
  });
  afterAll(() => ctx.close());

  it('lists one entry per procedure family whose office the authority has, not yet recorded', async () => {
    const c = await catalogue();
    expect(c.authority).toEqual({ ags: SIEGEN, name: 'Siegen', kind: 'Stadt' });
    // Families land over time: every entry belongs to an office Siegen has, in the families' order.
    const families = c.dienste.map((d: { familyId: string }) => d.familyId);
    expect(
      families.filter((f: string) => ['verlustanzeige', 'standesamt', 'meldewesen'].includes(f)),
    ).toEqual(['verlustanzeige', 'standesamt', 'meldewesen']);
    const siegenOffices = (
      await ctx.handle.db
        .selectFrom('office')
        .select('office_type')
        .where('authority_ags', '=', SIEGEN)
        .execute()
    ).map((o) => o.office_type);
    for (const d of c.dienste) expect(siegenOffices).toContain(d.officeType);
    const standesamt = c.dienste.find((d: { familyId: string }) => d.familyId === 'standesamt');
    expect(standesamt).toMatchObject({
      key: 'standesamt',
      id: null,
      title: 'Standesamt (Geburt, Sterbefall, Eheschließung)',
      officeType: 'standesamt',
      status: null,
      statusLabel: 'nicht erfasst',
      version: 0,
      editable: true,
    });
    // A Kreis has no Standesamt and no Meldebehörde (FACTS.md §1): none of their entries.
    const kreis = (await catalogue(crisis, KREIS_SI)).dienste as Array<{ officeType: string }>;
    expect(kreis.filter((d) => d.officeType === 'standesamt' || d.officeType === 'meldebehoerde')).toEqual(
      [],
    );
  });

  it('lets the crisis team record a service; status, since when and the history are kept', async () => {
    const before = await changeCount();
    const res = await save(crisis, 'standesamt', 0, dienst({ status: 'notbetrieb' }));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      familyId: 'standesamt',
      status: 'notbetrieb',
      statusLabel: 'Notbetrieb',
      statusSeit: '2026-11-02T08:00:00.000Z',
      notbetriebSeit: '2026-11-02T08:00:00.000Z',
      version: 1,
      ort: 'Rathaus, Markt 2, 57072 Siegen',
    });
    expect(await changeCount()).toBe(before + 1);
    advance(ctx, HOUR);
    await logins();
    const id = res.json().id;
    const moved = await save(
      crisis,
      id,
      1,
      dienst({ status: 'nachbarbehoerde', ausweichAgs: OLPE, zeiten: 'Di und Do 9–12 Uhr' }),
    );
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({
      status: 'nachbarbehoerde',
      ausweichName: 'Olpe',
      statusSeit: '2026-11-02T09:00:00.000Z',
      // Emergency operation started with the first switch; a later change of status keeps it.
      notbetriebSeit: '2026-11-02T08:00:00.000Z',
      version: 2,
    });
    const c = await catalogue();
    expect(c.aenderungen[0]).toMatchObject({
      dienstId: id,
      actorName: 'Kara Krisenstab',
      changes: {
        status: ['notbetrieb', 'nachbarbehoerde'],
        ausweich_ags: [null, OLPE],
        ausweich_name: [null, 'Olpe'],
        zeiten: ['Mo–Fr 8–12 Uhr', 'Di und Do 9–12 Uhr'],
      },
    });
    // The request is in the audit log as well (who, which route, which authority and entry).
    const audit = await ctx.handle.db
      .selectFrom('audit_log')
      .select(['action', 'route', 'target', 'actor_id'])
      .where('route', '=', '/api/krisenstab/katalog/:ags/dienste/:key')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ action: 'http.write', actor_id: crisis.userId });
    expect(JSON.parse(audit.target ?? '{}')).toEqual({ ags: SIEGEN, key: id });
  });

  it('refuses a change based on an outdated version (409) and changes nothing', async () => {
    const current = await entry('standesamt');
    const before = await changeCount();
    const res = await save(crisis, current.id, 1, dienst({ status: 'ausgesetzt' }));
    expect(res.statusCode).toBe(409);
    expect(res.json().title).toBe('Inzwischen geändert');
    expect(await entry('standesamt')).toEqual(current);
    expect(await changeCount()).toBe(before);
  });

  it('lets the Amtsleitung change its own office’s entry, nobody else', async () => {
    const current = await entry('standesamt');
    const ok = await save(standesamtLeitung, 'standesamt', current.version, dienst({ status: 'notbetrieb' }));
    expect(ok.statusCode).toBe(200);
    const leitungView = await catalogue(standesamtLeitung);
    expect(leitungView.dienste.find((d: { familyId: string }) => d.familyId === 'standesamt').editable).toBe(
      true,
    );
    expect(leitungView.dienste.find((d: { familyId: string }) => d.familyId === 'meldewesen').editable).toBe(
      false,
    );
    expect(leitungView.editableLage).toBe(false);

    const before = await entry('meldewesen');
    const other = await save(standesamtLeitung, 'meldewesen', 0, dienst({ title: 'Bürgerbüro' }));
    expect(other.statusCode).toBe(403);
    expect(other.json().detail).toBe(
      'Diesen Dienst ändern dürfen nur der Krisenstab und die Amtsleitung des Amtes.',
    );
    expect((await save(standesamtClerk, 'standesamt', ok.json().version, dienst())).statusCode).toBe(403);
    expect((await save(olpeLeitung, 'standesamt', ok.json().version, dienst())).statusCode).toBe(403);
    expect(await entry('meldewesen')).toEqual(before);
    // Reading: the crisis team and anyone with a role at the authority; not Olpe.
    expect((await http(ctx).get(standesamtClerk, `/api/krisenstab/katalog/${SIEGEN}`)).statusCode).toBe(200);
    expect((await http(ctx).get(olpeLeitung, `/api/krisenstab/katalog/${SIEGEN}`)).statusCode).toBe(403);
  });

  it('refuses incomplete or hostile input with German field messages and changes nothing', async () => {
    const before = await entry('meldewesen');
    const changes = await changeCount();
    const cases: Array<[object, string, string]> = [
      [
        dienst({ status: 'nachbarbehoerde' }),
        'body/dienst/ausweichName',
        'welche Behörde den Dienst übernimmt',
      ],
      [
        dienst({ wazStunden: 100, mtaStunden: 48 }),
        'body/dienst/wazStunden',
        'nicht länger sein als die maximal',
      ],
      [dienst({ title: 'A\u0007B' }), 'body/dienst/title', 'unzulässige Steuerzeichen'],
      [dienst({ status: 'kaputt' }), 'body/dienst/status', 'Status: normal, notbetrieb'],
      [dienst({ niveauProzent: 140 }), 'body/dienst/niveauProzent', 'höchstens 100 %'],
      [dienst({ hotline: 'ruf mich an' }), 'body/dienst/hotline', 'Telefonnummer aus Ziffern'],
      [dienst({ title: 'x'.repeat(121) }), 'body/dienst/title', 'höchstens 120 Zeichen'],
    ];
    for (const [d, path, message] of cases) {
      const res = await save(crisis, 'meldewesen', 0, d);
      expect(res.statusCode, path).toBe(400);
      const errors = res.json().errors as Array<{ path: string; message: string }>;
      expect(
        errors.some((e) => e.path.endsWith(path.replace(/^body\//, '')) && e.message.includes(message)),
        JSON.stringify(errors),
      ).toBe(true);
    }
    const unknownAuthority = await save(
      crisis,
      'meldewesen',
      0,
      dienst({ status: 'nachbarbehoerde', ausweichAgs: '05999999' }),
    );
    expect(unknownAuthority.statusCode).toBe(400);
    expect(unknownAuthority.json().errors[0]).toEqual({
      path: 'dienst/ausweichAgs',
      message: 'Ausweichbehörde: Keine bekannte Behörde mit diesem Schlüssel.',
    });
    expect((await save(crisis, 'kfz', 0, dienst())).statusCode).toBe(404);
    expect(await entry('meldewesen')).toEqual(before);
    expect(await changeCount()).toBe(changes);
  });

  it('keeps HTML in a title as text (stored as given, never markup)', async () => {
    const res = await save(
      crisis,
      'meldewesen',
      0,
      dienst({ title: 'Bürgerbüro <b>Süd</b>', status: 'normal' }),
    );
    expect(res.statusCode).toBe(201);
    expect(res.json().title).toBe('Bürgerbüro <b>Süd</b>');
  });

  it('adds free entries: the crisis team any, the Amtsleitung for its own office', async () => {
    const free = await http(ctx).post(crisis, `/api/krisenstab/katalog/${SIEGEN}/dienste`, {
      dienst: dienst({ title: 'Bürgertelefon', status: 'notbetrieb', ort: null }),
    });
    expect(free.statusCode).toBe(201);
    expect(free.json()).toMatchObject({
      familyId: null,
      officeType: null,
      title: 'Bürgertelefon',
      version: 1,
    });
    const mine = await http(ctx).post(standesamtLeitung, `/api/krisenstab/katalog/${SIEGEN}/dienste`, {
      officeType: 'standesamt',
      dienst: dienst({ title: 'Trauungen im Ratssaal', status: 'normal' }),
    });
    expect(mine.statusCode).toBe(201);
    const none = await http(ctx).post(standesamtLeitung, `/api/krisenstab/katalog/${SIEGEN}/dienste`, {
      dienst: dienst({ title: 'Wertstoffhof' }),
    });
    expect(none.statusCode).toBe(403);
    const c = await catalogue();
    expect(
      c.dienste
        .filter((d: { familyId: string | null }) => !d.familyId)
        .map((d: { title: string }) => d.title),
    ).toEqual(['Bürgertelefon', 'Trauungen im Ratssaal']);
  });

  it('records the outage time and public notice (crisis team only) and judges the WAZ from it', async () => {
    const lage = {
      ausfallSeit: '2026-11-01T05:30:00.000Z',
      hinweis: 'Wegen eines IT-Ausfalls sind viele Dienste eingeschränkt.',
      buergertelefon: '0271 404-1111',
      kontaktEmail: 'notbetrieb@siegen.example',
    };
    const refused = await http(ctx).put(standesamtLeitung, `/api/krisenstab/katalog/${SIEGEN}/lage`, {
      expectedVersion: 0,
      lage,
    });
    expect(refused.statusCode).toBe(403);
    const res = await http(ctx).put(crisis, `/api/krisenstab/katalog/${SIEGEN}/lage`, {
      expectedVersion: 0,
      lage,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ausfallSeit: '2026-11-01T05:30:00.000Z', version: 1 });
    const stale = await http(ctx).put(crisis, `/api/krisenstab/katalog/${SIEGEN}/lage`, {
      expectedVersion: 0,
      lage,
    });
    expect(stale.statusCode).toBe(409);
    const bad = await http(ctx).put(crisis, `/api/krisenstab/katalog/${SIEGEN}/lage`, {
      expectedVersion: 1,
      lage: { ...lage, kontaktEmail: 'kein-at-zeichen' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].message).toBe('E-Mail: Bitte eine gültige E-Mail-Adresse angeben.');
    // The Standesamt went into emergency operation at 08:00 on 2 Nov: 26.5 h after the outage,
    // beyond its WAZ of 24 h.
    const standesamt = await entry('standesamt');
    expect(standesamt.waz).toEqual({
      state: 'ueberschritten',
      label: 'Notbetrieb nach Ablauf der WAZ aufgenommen',
      stunden: 26.5,
      mtaUeberschritten: false,
    });
    // A backdated start (the team records it afterwards) is taken as given.
    const backdated = await save(
      crisis,
      standesamt.id,
      standesamt.version,
      dienst({ status: 'notbetrieb', notbetriebSeit: '2026-11-01T15:30:00.000Z' }),
    );
    expect(backdated.statusCode).toBe(200);
    expect(backdated.json().waz).toMatchObject({ state: 'eingehalten', stunden: 10 });
    // The board summarises it per authority.
    const board = await http(ctx).get(crisis, '/api/krisenstab/lage?tage=1');
    const siegen = board.json().behoerden.find((b: { ags: string }) => b.ags === SIEGEN);
    expect(siegen.ausfallSeit).toBe('2026-11-01T05:30:00.000Z');
    const total = (await catalogue()).dienste.length;
    expect(siegen.dienste).toMatchObject({
      gesamt: total,
      notbetrieb: 2,
      normal: 2,
      nichtErfasst: total - 4,
    });
  });

  it('keeps the history append-only: the database refuses to change or delete it', async () => {
    await expect(
      sql`UPDATE krisenstab_dienst_aenderung SET actor_name = 'x'`.execute(ctx.handle.db),
    ).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM krisenstab_dienst_aenderung`.execute(ctx.handle.db)).rejects.toThrow(
      /append-only/,
    );
  });
});
