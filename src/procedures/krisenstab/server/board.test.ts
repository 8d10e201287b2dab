import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createTestContext,
  describeEachDialect,
  type TestContext,
  type TestUser,
  userWith,
} from '../../../../test/harness.js';
import { einzugDaten, meldePerson } from '../../meldewesen/fixtures.js';
import { verlustanzeigeDaten } from '../../verlustanzeige/fixtures.js';
import { advance, crisisTeam, DAY, http, OLPE, SIEGEN } from '../test-helpers.js';

/**
 * The crisis team's situation board: backlog figures per authority and office from the live case
 * data (open, overdue, created and closed per day, the backlog at the end of each day, handed over
 * or not), for the crisis team only, with no name, Aktenzeichen or case id in any answer.
 */
describeEachDialect('Krisenstab: Lagebild aus den Vorgängen', (dialect) => {
  let ctx: TestContext;
  let clerk: TestUser;
  let olpeClerk: TestUser;
  let crisis: TestUser;
  const ids: Record<string, string> = {};
  const aktenzeichen: string[] = [];
  const NAME = 'Lagebildhuber';

  const create = async (user: TestUser, label: string, ags = SIEGEN) => {
    const res = await http(ctx).post(user, '/api/cases', {
      procedureId: 'verlustanzeige',
      authorityAgs: ags,
      data: verlustanzeigeDaten({ person: { familienname: NAME } }),
    });
    expect(res.statusCode).toBe(201);
    ids[label] = res.json().id;
    aktenzeichen.push(res.json().aktenzeichen);
  };
  const confirm = async (label: string) => {
    const res = await http(ctx).post(clerk, `/api/cases/${ids[label]}/actions/bestaetigen`, {
      expectedVersion: 1,
    });
    expect(res.statusCode).toBe(200);
  };

  /** Sessions end after a while: a moved clock needs fresh logins. */
  const logins = async () => {
    clerk = await userWith(ctx, [{ ags: SIEGEN, office: 'meldebehoerde' }]);
    olpeClerk = await userWith(ctx, [{ ags: OLPE, office: 'meldebehoerde' }]);
    crisis = await crisisTeam(ctx);
  };
  const move = async (ms: number) => {
    advance(ctx, ms);
    await logins();
  };

  beforeAll(async () => {
    // Tuesday 24 Nov 2026, 10:00 German time.
    ctx = await createTestContext(dialect, new Date('2026-11-24T09:00:00Z'));
    await logins();
    // Day 1: three reports, one confirmed (closed). Deadline: the next working day.
    await create(clerk, 'A');
    await create(clerk, 'B');
    await create(clerk, 'C');
    await confirm('A');
    await create(olpeClerk, 'O', OLPE);
    // Day 2: one more, B confirmed.
    await move(DAY);
    await create(clerk, 'D');
    await confirm('B');
    // Day 3 (today, Thursday 26 Nov): one more, D confirmed. Open: C (overdue since its deadline
    // was the 25th) and E.
    await move(DAY);
    await create(clerk, 'E');
    await confirm('D');
  });
  afterAll(() => ctx.close());

  it('counts open, overdue, created and closed today per authority and office', async () => {
    const res = await http(ctx).get(crisis, '/api/krisenstab/lage?tage=3');
    expect(res.statusCode).toBe(200);
    const board = res.json();
    expect(board.heute).toBe('2026-11-26');
    const siegen = board.behoerden.find((b: { ags: string }) => b.ags === SIEGEN);
    expect(siegen).toMatchObject({
      name: 'Siegen',
      offen: 2,
      ueberfaellig: 1,
      angelegtHeute: 1,
      erledigtHeute: 1,
      gesamt: 5,
      uebergeben: 0,
      inUebergabe: 0,
      nichtUebergeben: 5,
    });
    expect(siegen.aemter).toEqual([
      expect.objectContaining({
        officeType: 'meldebehoerde',
        officeLabel: 'Meldebehörde / Bürgerbüro',
        offen: 2,
      }),
    ]);
    const olpe = board.behoerden.find((b: { ags: string }) => b.ags === OLPE);
    expect(olpe).toMatchObject({ offen: 1, ueberfaellig: 1, gesamt: 1, angelegtHeute: 0 });
    // Authorities without cases are listed with zeros.
    const kreis = board.behoerden.find((b: { ags: string }) => b.ags === '05970000');
    expect(kreis).toMatchObject({ offen: 0, gesamt: 0, aemter: [] });
    expect(board.summe).toMatchObject({ offen: 3, ueberfaellig: 2, gesamt: 6 });
  });

  it('shows the backlog at the end of each day with the cases created and closed that day', async () => {
    const res = await http(ctx).get(crisis, `/api/krisenstab/lage/${SIEGEN}?tage=3`);
    expect(res.statusCode).toBe(200);
    const b = res.json();
    expect(b.tage).toEqual(['2026-11-24', '2026-11-25', '2026-11-26']);
    expect(b.verlauf).toEqual([
      { tag: '2026-11-24', angelegt: 3, erledigt: 1, offen: 2 },
      { tag: '2026-11-25', angelegt: 1, erledigt: 1, offen: 2 },
      { tag: '2026-11-26', angelegt: 1, erledigt: 1, offen: 2 },
    ]);
    const melde = b.aemter.find((a: { officeType: string }) => a.officeType === 'meldebehoerde');
    expect(melde.verlauf).toEqual(b.verlauf);
    // Every office of the town is listed, also those without cases.
    expect(b.aemter.map((a: { officeType: string }) => a.officeType).sort()).toEqual([
      'kaemmerei',
      'meldebehoerde',
      'sozialamt',
      'standesamt',
    ]);
    expect(b.aemter.find((a: { officeType: string }) => a.officeType === 'standesamt')).toMatchObject({
      offen: 0,
      gesamt: 0,
    });
  });

  it('counts a day in German time: a case created at 23:30 German time belongs to that day', async () => {
    // 26 Nov 22:30 UTC = 23:30 German time, still the 26th.
    const before = ctx.clock.now;
    ctx.clock.now = new Date('2026-11-26T22:30:00Z');
    await logins();
    await create(clerk, 'late');
    const res = await http(ctx).get(crisis, `/api/krisenstab/lage/${SIEGEN}?tage=2`);
    expect(res.json().verlauf.at(-1)).toMatchObject({ tag: '2026-11-26', angelegt: 2 });
    // Five minutes later it is the 27th in Germany, and the late case counts for the 26th.
    ctx.clock.now = new Date('2026-11-26T23:05:00Z');
    await logins();
    const next = await http(ctx).get(crisis, `/api/krisenstab/lage/${SIEGEN}?tage=2`);
    expect(next.json().tage).toEqual(['2026-11-26', '2026-11-27']);
    expect(next.json().verlauf[0]).toMatchObject({ tag: '2026-11-26', angelegt: 2, offen: 3 });
    expect(next.json().verlauf[1]).toMatchObject({ tag: '2026-11-27', angelegt: 0, offen: 3 });
    const stornieren = await http(ctx).post(clerk, `/api/cases/${ids.late}/actions/stornieren`, {
      expectedVersion: 1,
      payload: { grund: 'Doppelt erfasst' },
    });
    expect(stornieren.statusCode).toBe(200);
    ctx.clock.now = before;
    await logins();
  });

  it('counts cases handed over, in handover and not yet handed over', async () => {
    const a = await http(ctx).post(clerk, '/api/cases', {
      procedureId: 'anmeldung',
      authorityAgs: SIEGEN,
      data: einzugDaten({ personen: [meldePerson({ familienname: NAME })] }),
    });
    expect(a.statusCode).toBe(201);
    aktenzeichen.push(a.json().aktenzeichen);
    const b = await http(ctx).post(clerk, '/api/cases', {
      procedureId: 'anmeldung',
      authorityAgs: SIEGEN,
      data: einzugDaten({ personen: [meldePerson({ familienname: NAME, vornamen: 'Klara' })] }),
    });
    aktenzeichen.push(b.json().aktenzeichen);
    const batch = await http(ctx).post(clerk, '/api/handover/batches', {
      procedureId: 'anmeldung',
      authorityAgs: SIEGEN,
    });
    expect(batch.statusCode).toBe(201);
    let res = await http(ctx).get(crisis, '/api/krisenstab/lage?tage=1');
    let siegen = res.json().behoerden.find((x: { ags: string }) => x.ags === SIEGEN);
    expect(siegen).toMatchObject({ gesamt: 8, uebergeben: 0, inUebergabe: 2, nichtUebergeben: 6 });
    const ack = await http(ctx).post(clerk, `/api/handover/batches/${batch.json().id}/acknowledgement`, {
      entries: [{ aktenzeichen: a.json().aktenzeichen, status: 'uebernommen' }],
    });
    expect(ack.statusCode).toBe(200);
    res = await http(ctx).get(crisis, '/api/krisenstab/lage?tage=1');
    siegen = res.json().behoerden.find((x: { ags: string }) => x.ags === SIEGEN);
    expect(siegen).toMatchObject({ gesamt: 8, uebergeben: 1, inUebergabe: 1, nichtUebergeben: 6 });
  });

  it('holds no name, Aktenzeichen or case id in any answer of the board', async () => {
    const bodies = [
      await http(ctx).get(crisis, '/api/krisenstab/lage?tage=14'),
      await http(ctx).get(crisis, `/api/krisenstab/lage/${SIEGEN}?tage=14`),
      await http(ctx).get(crisis, `/api/krisenstab/verlauf.svg?authorityAgs=${SIEGEN}`),
      await http(ctx).get(crisis, '/api/krisenstab/verlauf.svg'),
    ];
    for (const res of bodies) {
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain(NAME);
      for (const az of aktenzeichen) expect(res.body).not.toContain(az);
      for (const id of Object.values(ids)) expect(res.body).not.toContain(id);
    }
  });

  it('draws the backlog as an SVG with a title and description for screen readers', async () => {
    const res = await http(ctx).get(crisis, `/api/krisenstab/verlauf.svg?authorityAgs=${SIEGEN}&tage=3`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(res.body).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(res.body).toContain('<title id="t">Rückstand Siegen: letzte 3 Tage</title>');
    // C and E, and the two Anmeldungen of the handover step.
    expect(res.body).toContain('zuletzt 4 offene Vorgänge');
    expect(res.body).toContain('<polyline');
    expect(res.body).not.toMatch(/<script|style=/);
    const office = await http(ctx).get(
      crisis,
      `/api/krisenstab/verlauf.svg?authorityAgs=${SIEGEN}&officeType=standesamt&tage=3`,
    );
    expect(office.body).toContain('Rückstand Siegen, Standesamt: letzte 3 Tage');
    expect(office.body).toContain('zuletzt 0 offene Vorgänge');
  });

  it('is for the crisis team only: clerks, heads of office and administrators get 403', async () => {
    const leitung = await userWith(ctx, [{ ags: SIEGEN, office: 'meldebehoerde', role: 'leitung' }]);
    const admin = await userWith(ctx, [], { isAdmin: true });
    for (const user of [clerk, leitung, admin]) {
      for (const url of [
        '/api/krisenstab/lage',
        `/api/krisenstab/lage/${SIEGEN}`,
        '/api/krisenstab/verlauf.svg',
        '/api/krisenstab/log',
        '/api/krisenstab/lageberichte',
      ]) {
        const res = await http(ctx).get(user, url);
        expect(res.statusCode, url).toBe(403);
        expect(res.json().detail).toBe('Das Lagebild ist dem Krisenstab vorbehalten.');
      }
    }
    expect((await http(ctx).get(null, '/api/krisenstab/lage')).statusCode).toBe(401);
  });

  it('refuses a bad number of days and an unknown authority with German messages', async () => {
    const bad = await http(ctx).get(crisis, '/api/krisenstab/lage?tage=500');
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('Tage: höchstens 92.');
    const unknown = await http(ctx).get(crisis, '/api/krisenstab/lage/05999999');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().detail).toBe('Die Behörde wurde nicht gefunden.');
  });
});
