import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createTestContext,
  describeEachDialect,
  type TestContext,
  type TestUser,
  userWith,
} from '../../../../test/harness.js';
import {
  ausserbetriebsetzungDaten,
  KREIS_OLPE,
  kurzzeitDaten,
  neuzulassungDaten,
  SIEGEN_WITTGENSTEIN,
  TODAY,
  testPlateConfig,
  umschreibungDaten,
} from '../fixtures.js';
import { kfzApi } from '../test-helpers.js';

const SW = SIEGEN_WITTGENSTEIN;
const CLERKS = 50;

describeEachDialect('Zulassungsstelle: Kennzeichenvorrat', (dialect) => {
  let ctx: TestContext;
  let clerk: TestUser;
  let head: TestUser;
  let a: ReturnType<typeof kfzApi>;

  const fresh = () => a.created(clerk, 'neuzulassung', neuzulassungDaten());
  const draw = async (payload: object = { wahl: 'naechstes' }, data = neuzulassungDaten()) => {
    const c = await a.created(clerk, 'neuzulassung', data);
    return a.act(clerk, c.id, 'kennzeichen_zuteilen', c.version, payload);
  };
  const plateRows = async (kennzeichen: string) =>
    ctx.handle.db.selectFrom('kfz_plate').selectAll().where('kennzeichen', '=', kennzeichen).execute();
  /** Moves the clock (sessions are then new: an idle session ends). */
  const at = async (when: Date) => {
    ctx.clock.now = when;
    clerk = await userWith(ctx, [{ ags: SW, office: 'zulassungsstelle' }]);
    head = await userWith(ctx, [{ ags: SW, office: 'zulassungsstelle', role: 'leitung' }]);
  };
  const days = (n: number) => at(new Date(ctx.clock.now.getTime() + n * 86_400_000));
  const backToToday = () => at(new Date(`${TODAY}T09:00:00Z`));

  beforeAll(async () => {
    ctx = await createTestContext(dialect, new Date(`${TODAY}T09:00:00Z`));
    a = kfzApi(ctx);
    clerk = await userWith(ctx, [{ ags: SW, office: 'zulassungsstelle' }]);
    head = await userWith(ctx, [{ ags: SW, office: 'zulassungsstelle', role: 'leitung' }]);
  });
  afterAll(() => ctx.close());

  it('refuses to draw before the head of office set up a series, with a clear message', async () => {
    const res = await draw();
    expect(res.statusCode).toBe(409);
    expect(res.json().title).toBe('Keine Kennzeichenserie eingerichtet');
    expect(res.json().detail).toContain('Die Amtsleitung richtet sie auf der Seite „Kennzeichen“ ein.');
  });

  it('lets only the head of office of this Kreis set the series, and only with its own Unterscheidungszeichen', async () => {
    const olpeHead = await userWith(ctx, [{ ags: KREIS_OLPE, office: 'zulassungsstelle', role: 'leitung' }]);
    const body = { authorityAgs: SW, config: testPlateConfig() };
    expect((await a.put(clerk, '/api/kfz/kennzeichen/einstellungen', body)).statusCode).toBe(403);
    expect((await a.put(olpeHead, '/api/kfz/kennzeichen/einstellungen', body)).statusCode).toBe(403);
    const foreign = await a.put(head, '/api/kfz/kennzeichen/einstellungen', {
      authorityAgs: SW,
      config: testPlateConfig({
        serien: [{ unterscheidungszeichen: 'OE', buchstaben: ['A'], von: 1, bis: 9 }],
      }),
    });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().errors[0].message).toBe(
      'Unterscheidungszeichen OE gehört nicht zu diesem Kreis (SI, BLB).',
    );
    const stale = await a.put(head, '/api/kfz/kennzeichen/einstellungen', { ...body, expectedVersion: 7 });
    expect(stale.statusCode).toBe(409);
    const settings = (await a.get(clerk, `/api/kfz/kennzeichen/einstellungen?authorityAgs=${SW}`)).json();
    expect(settings).toMatchObject({ version: 0, unterscheidungszeichen: ['SI', 'BLB'] });
    await a.configure(head);
    expect((await a.get(olpeHead, `/api/kfz/kennzeichen/einstellungen?authorityAgs=${SW}`)).statusCode).toBe(
      403,
    );
  });

  it(`never hands out a plate twice when ${CLERKS} clerks draw at the same moment, and leaves no gap`, async () => {
    const cases = [];
    for (let i = 0; i < CLERKS; i++) cases.push(await fresh());
    const clerks = await Promise.all(
      cases.map(() => userWith(ctx, [{ ags: SW, office: 'zulassungsstelle' }])),
    );
    const results = await Promise.all(
      cases.map((c, i) =>
        a.act(clerks[i] as TestUser, c.id, 'kennzeichen_zuteilen', c.version, { wahl: 'naechstes' }),
      ),
    );
    expect(results.map((r) => r.statusCode)).toEqual(cases.map(() => 200));
    const plates = results.map((r) => r.json().data.zuteilung.kennzeichen as string);
    expect(new Set(plates).size).toBe(CLERKS);
    const numbers = plates.map((p) => Number(p.split(' ')[1])).sort((x, y) => x - y);
    expect(numbers).toEqual(cases.map((_, i) => i + 1));
    const rows = await ctx.handle.db
      .selectFrom('kfz_plate')
      .select(['kennzeichen', 'case_id'])
      .where('authority_ags', '=', SW)
      .where('status', '=', 'zugeteilt')
      .execute();
    expect(rows).toHaveLength(CLERKS);
    expect(new Set(rows.map((r) => r.case_id)).size).toBe(CLERKS);
    const events = await ctx.handle.db
      .selectFrom('kfz_plate_event')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('event', '=', 'zugeteilt')
      .executeTakeFirstOrThrow();
    expect(Number(events.n)).toBe(CLERKS);
  });

  it('gives a wished plate to exactly one of ten clerks asking for it at once', async () => {
    const cases = [];
    for (let i = 0; i < 10; i++) cases.push(await fresh());
    const results = await Promise.all(
      cases.map((c) =>
        a.act(clerk, c.id, 'kennzeichen_zuteilen', c.version, { wahl: 'wunsch', kennzeichen: 'SI-XB 500' }),
      ),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, ...Array(9).fill(409)]);
    const refused = results.find((r) => r.statusCode === 409);
    expect(refused?.json()).toMatchObject({
      title: 'Kennzeichen nicht frei',
      detail: 'SI-XB 500 ist bereits zugeteilt.',
    });
    expect(await plateRows('SI-XB 500')).toHaveLength(1);
    const winner = results.find((r) => r.statusCode === 200)?.json();
    expect(winner.data.kosten.positionen.map((p: { code: string }) => p.code)).toEqual([
      'zulassung',
      'wunschkennzeichen',
    ]);
    expect(winner.data.kosten.summeCents).toBe(2700 + 1020);
  });

  it('refuses banned, too long, foreign and off-series wishes with the reason, and nothing changes', async () => {
    const c = await fresh();
    const wish = async (kennzeichen: string) => {
      const r = await a.act(clerk, c.id, 'kennzeichen_zuteilen', c.version, { wahl: 'wunsch', kennzeichen });
      return { status: r.statusCode, message: (r.json().errors?.[0]?.message ?? r.json().detail) as string };
    };
    expect(await wish('SI-SS 12')).toEqual({
      status: 400,
      message: 'Kennzeichen: Die Buchstabenfolge „SS“ wird als Erkennungsnummer nicht vergeben.',
    });
    expect(await wish('SI-HH 88')).toEqual({
      status: 400,
      message: 'Kennzeichen: Die Kombination „HH 88“ wird in diesem Land nicht vergeben.',
    });
    expect((await wish('SI-ÖL 1')).message).toBe(
      'Kennzeichen: Umlaute (Ä, Ö, Ü) sind in der Erkennungsnummer nicht zulässig.',
    );
    expect((await wish('BLB-XA 1234')).message).toContain('höchstens 8 Zeichen');
    expect(await wish('OE-XA 1')).toEqual({
      status: 400,
      message: 'Kennzeichen: OE ist kein Unterscheidungszeichen dieses Kreises (SI, BLB).',
    });
    expect(await wish('SI-AB 1')).toMatchObject({ status: 409 });
    expect((await wish('SI-AB 1')).message).toContain('liegt nicht in den Notbetriebsserien');
    const after = (await a.get(clerk, `/api/cases/${c.id}`)).json();
    expect(after).toMatchObject({ version: c.version, status: 'erfasst' });
    expect(await plateRows('SI-AB 1')).toHaveLength(0);
    // With "alle", any valid plate of the Kreis may be wished.
    await a.configure(head, testPlateConfig({ wunschkennzeichen: 'alle' }));
    const ok = await a.act(clerk, c.id, 'kennzeichen_zuteilen', c.version, {
      wahl: 'wunsch',
      kennzeichen: 'si ab 1',
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().data.zuteilung.kennzeichen).toBe('SI-AB 1');
    await a.configure(head, testPlateConfig({ wunschkennzeichen: 'aus' }));
    const off = await draw({ wahl: 'wunsch', kennzeichen: 'SI-XB 501' });
    expect(off.json().title).toBe('Keine Wunschkennzeichen im Notbetrieb');
    await a.configure(head);
  });

  it('skips plates too long for the E suffix without losing them for the next car', async () => {
    await a.configure(
      head,
      testPlateConfig({
        serien: [{ unterscheidungszeichen: 'BLB', buchstaben: ['X', 'XA'], von: 998, bis: 1001 }],
      }),
    );
    const ev = () =>
      neuzulassungDaten({
        kennzeichen: { zusatz: 'E', unterscheidungszeichen: 'BLB' },
        fahrzeug: { kraftstoff: 'elektro' },
      });
    const plain = () =>
      neuzulassungDaten({ kennzeichen: { zusatz: 'keiner', unterscheidungszeichen: 'BLB' } });
    const got = async (data: object) => {
      const r = await draw({ wahl: 'naechstes' }, data as ReturnType<typeof neuzulassungDaten>);
      return r.statusCode === 200 ? r.json().data.zuteilung.text : r.json().title;
    };
    expect(await got(ev())).toBe('BLB-X 998E');
    expect(await got(plain())).toBe('BLB-X 999');
    expect(await got(ev())).toBe('Kennzeichenserie erschöpft');
    expect(await got(plain())).toBe('BLB-XA 998');
    expect(await got(plain())).toBe('BLB-XA 999');
    expect(await got(plain())).toBe('BLB-X 1000');
    expect(await got(plain())).toBe('BLB-X 1001');
    expect(await got(plain())).toBe('Kennzeichenserie erschöpft');
    await a.configure(head);
  });

  it('blocks a deregistered plate for the blocking period, then hands it out again first', async () => {
    // SI-XA 1 was the first plate drawn above.
    const ab = await a.created(
      clerk,
      'ausserbetriebsetzung',
      ausserbetriebsetzungDaten({ kennzeichen: { aktuell: 'SI-XA 1' } }),
    );
    expect(
      ab.data.kosten.positionen.map((p: { code: string; amountCents: number }) => [p.code, p.amountCents]),
    ).toEqual([['ausserbetriebsetzung', 690]]);
    const paid = await a.step(clerk, ab, 'gebuehr_bar_bezahlen', {});
    const done = await a.step(clerk, paid, 'ausser_betrieb_setzen', {});
    expect(done.data.abschluss).toMatchObject({ am: TODAY, sperreBis: '2027-03-02' });
    expect(await plateRows('SI-XA 1')).toMatchObject([{ status: 'gesperrt', verfuegbar_ab: '2027-03-03' }]);
    const blocked = await draw({ wahl: 'wunsch', kennzeichen: 'SI-XA 1' });
    expect(blocked.json().detail).toBe('SI-XA 1 ist nach der Außerbetriebsetzung bis 02.03.2027 gesperrt.');
    const next = await draw();
    expect(next.json().data.zuteilung.kennzeichen).not.toBe('SI-XA 1');
    await days(90);
    const back = await draw();
    expect(back.json().data.zuteilung.kennzeichen).toBe('SI-XA 1');
    await backToToday();
  });

  it('reserves a Wunschkennzeichen for a person until it expires', async () => {
    const res = await a.post(clerk, '/api/kfz/kennzeichen/reservierungen', {
      authorityAgs: SW,
      kennzeichen: 'SI-XB 77',
      name: 'Brigitte Höfer',
    });
    expect(res.statusCode).toBe(201);
    const r = res.json();
    expect(r).toMatchObject({ kennzeichen: 'SI-XB 77', reserviertBis: '2027-03-02' });
    const twice = await a.post(clerk, '/api/kfz/kennzeichen/reservierungen', {
      authorityAgs: SW,
      kennzeichen: 'SI-XB 77',
      name: 'Jemand Anders',
    });
    expect(twice.json().detail).toBe('SI-XB 77 ist bis 02.03.2027 reserviert.');
    const list = (await a.get(clerk, `/api/kfz/kennzeichen/reservierungen?authorityAgs=${SW}`)).json();
    expect(list.items).toContainEqual(
      expect.objectContaining({ id: r.id, name: 'Brigitte Höfer', status: 'aktiv' }),
    );
    // Reading the names is audited with the reservation ids.
    const audit = await ctx.handle.db
      .selectFrom('audit_log')
      .select(['route', 'target'])
      .where('route', '=', '/api/kfz/kennzeichen/reservierungen')
      .where('method', '=', 'GET')
      .executeTakeFirstOrThrow();
    expect(audit.target).toContain(r.id);

    expect((await draw({ wahl: 'wunsch', kennzeichen: 'SI-XB 77' })).json().detail).toBe(
      'SI-XB 77 ist bis 02.03.2027 reserviert.',
    );
    const taken = await draw({ wahl: 'reservierung', reservierungId: r.id });
    expect(taken.statusCode).toBe(200);
    expect(taken.json().data.zuteilung).toMatchObject({
      kennzeichen: 'SI-XB 77',
      wahl: 'reservierung',
      reservierungId: r.id,
    });
    expect(taken.json().data.kosten.positionen.map((p: { code: string }) => p.code)).toEqual([
      'zulassung',
      'wunschkennzeichen',
      'reservierung',
    ]);
    expect(taken.json().data.kosten.summeCents).toBe(2700 + 1020 + 260);
    expect((await draw({ wahl: 'reservierung', reservierungId: r.id })).json().title).toBe(
      'Reservierung nicht mehr gültig',
    );
    // Giving the plate back restores the reservation.
    const back = await a.step(clerk, taken.json(), 'kennzeichen_freigeben', {});
    expect(back.data.zuteilung).toBeUndefined();
    expect(back.data.kosten.summeCents).toBe(2700);
    expect(await plateRows('SI-XB 77')).toMatchObject([{ status: 'reserviert', reservation_id: r.id }]);

    // Expiry: after the reservation's last day it is shown as expired and the plate is free.
    const r2 = (
      await a.post(clerk, '/api/kfz/kennzeichen/reservierungen', {
        authorityAgs: SW,
        kennzeichen: 'SI-XB 78',
        name: 'Kai Groß',
      })
    ).json();
    await days(91);
    const later = (await a.get(clerk, `/api/kfz/kennzeichen/reservierungen?authorityAgs=${SW}`)).json();
    expect(later.items.find((i: { id: string }) => i.id === r2.id)?.status).toBe('abgelaufen');
    expect((await draw({ wahl: 'reservierung', reservierungId: r2.id })).json().title).toBe(
      'Reservierung abgelaufen',
    );
    expect((await draw({ wahl: 'wunsch', kennzeichen: 'SI-XB 78' })).statusCode).toBe(200);
    await backToToday();

    // Cancelling frees the plate at once; only the office may do it.
    const olpeClerk = await userWith(ctx, [{ ags: KREIS_OLPE, office: 'zulassungsstelle' }]);
    expect(
      (await a.post(olpeClerk, `/api/kfz/kennzeichen/reservierungen/${r.id}/stornierung`, {})).statusCode,
    ).toBe(403);
    expect(
      (await a.get(olpeClerk, `/api/kfz/kennzeichen/reservierungen?authorityAgs=${SW}`)).statusCode,
    ).toBe(403);
    expect(
      (await a.post(clerk, `/api/kfz/kennzeichen/reservierungen/${r.id}/stornierung`, {})).statusCode,
    ).toBe(200);
    expect((await draw({ wahl: 'wunsch', kennzeichen: 'SI-XB 77' })).statusCode).toBe(200);
  });

  it('reserves the plate of a deregistered car for its holder', async () => {
    let ab = await a.created(
      clerk,
      'ausserbetriebsetzung',
      ausserbetriebsetzungDaten({ kennzeichen: { aktuell: 'SI-XA 2', reservieren: true } }),
    );
    expect(ab.data.kosten.summeCents).toBe(690 + 260);
    ab = await a.step(clerk, ab, 'gebuehr_bar_bezahlen', {});
    const done = await a.step(clerk, ab, 'ausser_betrieb_setzen', {});
    expect(done.data.abschluss).toMatchObject({ reserviertBis: '2027-03-02' });
    const list = (await a.get(clerk, `/api/kfz/kennzeichen/reservierungen?authorityAgs=${SW}`)).json();
    expect(list.items).toContainEqual(
      expect.objectContaining({
        kennzeichen: 'SI-XA 2',
        name: 'Schäfer, Jülide Ayşe',
        id: done.data.abschluss.reservierungId,
      }),
    );
    // A car of another district is deregistered here too (GebOSt 224.2), its plate is not ours.
    const foreign = await a.created(
      clerk,
      'ausserbetriebsetzung',
      ausserbetriebsetzungDaten({ kennzeichen: { aktuell: 'OE-K 5' } }),
    );
    expect(foreign.data.kosten.positionen[0]).toMatchObject({
      code: 'ausserbetriebsetzung_fremd',
      amountCents: 1020,
    });
  });

  it('blocks the old plate of an Umschreibung in the district that gets a new one', async () => {
    let u = await a.created(
      clerk,
      'umschreibung',
      umschreibungDaten({ umschreibung: { bisherigesKennzeichen: 'SI-XA 3', kennzeichen: 'neu' } }),
    );
    expect(u.data.kosten.summeCents).toBe(1670);
    u = await a.step(clerk, u, 'kennzeichen_zuteilen', { wahl: 'naechstes' });
    u = await a.step(clerk, u, 'gebuehr_bar_bezahlen', {});
    const done = await a.step(clerk, u, 'umschreiben', {});
    expect(done.data.abschluss.sperreBis).toBe('2027-03-02');
    expect(await plateRows('SI-XA 3')).toMatchObject([{ status: 'gesperrt' }]);
    // Keeping a plate of another district is refused; from another district a new one is allocated.
    const keep = await a.create(
      clerk,
      'umschreibung',
      umschreibungDaten({
        umschreibung: { herkunft: 'bezirk', bisherigesKennzeichen: 'OE-K 5', kennzeichen: 'behalten' },
      }),
    );
    expect(keep.statusCode).toBe(400);
    expect(keep.json().errors[0]).toEqual({
      path: 'data/umschreibung/kennzeichen',
      message:
        'Das Kennzeichen OE-K 5 stammt nicht aus diesem Kreis (SI, BLB): Es wird ein neues Kennzeichen zugeteilt.',
    });
    const fromOutside = await a.create(
      clerk,
      'umschreibung',
      umschreibungDaten({
        umschreibung: {
          herkunft: 'anderer_bezirk',
          bisherigesKennzeichen: 'OE-K 5',
          kennzeichen: 'behalten',
        },
      }),
    );
    expect(fromOutside.json().errors[0].message).toBe(
      'Aus einem anderen Zulassungsbezirk: Das Fahrzeug erhält ein Kennzeichen dieses Kreises.',
    );
    const payFirst = await a.created(
      clerk,
      'umschreibung',
      umschreibungDaten({
        umschreibung: { herkunft: 'anderer_bezirk', bisherigesKennzeichen: 'OE-K 5', kennzeichen: 'neu' },
      }),
    );
    expect(payFirst.data.kosten.summeCents).toBe(2700);
    expect((await a.act(clerk, payFirst.id, 'gebuehr_bar_bezahlen', payFirst.version, {})).json().title).toBe(
      'Kennzeichen fehlt',
    );
  });

  it('gives back a plate at once when the case is cancelled, and draws Kurzzeitkennzeichen from their own series', async () => {
    const c = await fresh();
    const z = await a.step(clerk, c, 'kennzeichen_zuteilen', { wahl: 'naechstes' });
    const plate = z.data.zuteilung.kennzeichen;
    await a.step(clerk, z, 'stornieren', { grund: 'Fahrzeug nicht abgeholt' });
    expect(await plateRows(plate)).toMatchObject([{ status: 'frei', case_id: null }]);
    expect((await draw()).json().data.zuteilung.kennzeichen).toBe(plate);

    let k = await a.created(clerk, 'kurzzeitkennzeichen', kurzzeitDaten());
    expect(k.data.kosten.summeCents).toBe(1020);
    expect(
      (
        await a.act(clerk, k.id, 'kennzeichen_zuteilen', k.version, {
          wahl: 'wunsch',
          kennzeichen: 'SI-04123',
        })
      ).statusCode,
    ).toBe(400);
    k = await a.step(clerk, k, 'kennzeichen_zuteilen', { wahl: 'naechstes' });
    expect(k.data.zuteilung).toMatchObject({
      kennzeichen: 'SI-04001',
      art: 'kurzzeit',
      gueltigBis: '2026-12-07',
    });
    const k2 = await a.created(clerk, 'kurzzeitkennzeichen', kurzzeitDaten());
    expect(
      (await a.step(clerk, k2, 'kennzeichen_zuteilen', { wahl: 'naechstes' })).data.zuteilung.kennzeichen,
    ).toBe('SI-04002');
    // After its validity and the blocking period the Kurzzeitkennzeichen returns to its series.
    await days(5 + 90);
    const k3 = await a.created(
      clerk,
      'kurzzeitkennzeichen',
      kurzzeitDaten({ antrag: { antragsdatum: '2027-03-08' }, kurzzeit: { gueltigAb: '2027-03-08' } }),
    );
    expect(
      (await a.step(clerk, k3, 'kennzeichen_zuteilen', { wahl: 'naechstes' })).data.zuteilung.kennzeichen,
    ).toBe('SI-04001');
    await backToToday();
  });

  it('shows the pool, the next free plate and the allocations to the office only', async () => {
    const pool = (await a.get(clerk, `/api/kfz/kennzeichen/vorrat?authorityAgs=${SW}`)).json();
    expect(pool.naechste).toContainEqual({
      unterscheidungszeichen: 'BLB',
      art: 'standard',
      naechstes: 'BLB-Y 1',
    });
    expect(pool.naechste).toContainEqual({
      unterscheidungszeichen: 'SI',
      art: 'kurzzeit',
      naechstes: 'SI-04003',
    });
    expect(pool.bestand).toContainEqual(
      expect.objectContaining({ unterscheidungszeichen: 'SI', status: 'gesperrt' }),
    );
    const alloc = (
      await a.get(clerk, `/api/kfz/kennzeichen/zuteilungen?authorityAgs=${SW}&limit=500`)
    ).json();
    expect(
      alloc.items.some(
        (i: { kennzeichen: string; ereignis: string }) =>
          i.kennzeichen === 'SI-XA 1' && i.ereignis === 'gesperrt',
      ),
    ).toBe(true);
    expect(
      alloc.items[0].aktenzeichen === null || /^[A-Z]{2} \d+\/\d{4}$/.test(alloc.items[0].aktenzeichen),
    ).toBe(true);
    const check = (
      await a.get(
        clerk,
        `/api/kfz/kennzeichen/pruefen?authorityAgs=${SW}&kennzeichen=${encodeURIComponent('SI-XB 900')}`,
      )
    ).json();
    expect(check).toEqual({ frei: true, kennzeichen: 'SI-XB 900', hinweis: 'SI-XB 900 ist frei.' });
    const other = await userWith(ctx, [{ ags: SW, office: 'meldebehoerde', role: 'leitung' }]);
    for (const url of ['vorrat', 'zuteilungen', 'reservierungen', `pruefen&kennzeichen=SI-XB%20900`]) {
      const u = url.includes('&')
        ? `/api/kfz/kennzeichen/${url.replace('&', `?authorityAgs=${SW}&`)}`
        : `/api/kfz/kennzeichen/${url}?authorityAgs=${SW}`;
      expect((await a.get(other, u)).statusCode, u).toBe(403);
      expect((await a.get(null, u)).statusCode, u).toBe(401);
    }
  });

  it('history of the plates is append-only', async () => {
    await expect(ctx.handle.db.updateTable('kfz_plate_event').set({ event: 'x' }).execute()).rejects.toThrow(
      /append-only/,
    );
    await expect(ctx.handle.db.deleteFrom('kfz_plate_event').execute()).rejects.toThrow(/append-only/);
  });
});
