import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createTestContext,
  describeEachDialect,
  type TestContext,
  type TestUser,
  userWith,
} from '../../../../test/harness.js';
import { buildApp } from '../../../server/app.js';
import {
  bookableRoom,
  codeOf,
  crisisTeam,
  DAY,
  http,
  OLPE,
  openBookingForm,
  postBooking,
  postCancel,
  SIEGEN,
} from '../test-helpers.js';

/**
 * Appointments: the Amtsleitung releases a room of its office with slots (the shared slot
 * mechanism), citizens book without login and cancel with their code, the office sees the day's
 * appointments. No double booking under concurrency; bulk booking throttled per address in the
 * database; booking data deleted after the configured number of days by the server itself.
 */
const ENV = {
  NOTBETRIEB_TERMIN_BUCHUNGEN_JE_ADRESSE: '3',
  NOTBETRIEB_TERMIN_DROSSEL_MINUTEN: '60',
  NOTBETRIEB_TERMIN_CODE_FEHLVERSUCHE: '4',
  NOTBETRIEB_TERMIN_LOESCHFRIST_TAGE: '7',
  NOTBETRIEB_WARTUNG_SEKUNDEN: '1',
};

describeEachDialect('Krisenstab: Terminbuchung', (dialect) => {
  let ctx: TestContext;
  let leitung: TestUser;
  let clerk: TestUser;
  let slotIds: string[] = [];
  const saved: Record<string, string | undefined> = {};
  const NAME = 'Terminfrau Özdemir-Weiß';
  const EMAIL = 'oezdemir.termin@example.de';

  // Thursday 26 Nov 2026, 11:00 German time; the slots are on Friday from 10:00.
  const slot = (i: number): [string, string] => [
    new Date(Date.parse('2026-11-27T09:00:00Z') + i * 15 * 60_000).toISOString(),
    new Date(Date.parse('2026-11-27T09:15:00Z') + i * 15 * 60_000).toISOString(),
  ];
  const bookingRows = async () =>
    ctx.handle.db.selectFrom('krisenstab_termin').selectAll().orderBy('starts_at').execute();
  const form = (formular: string, over: Record<string, string> = {}) => ({
    formular,
    name: NAME,
    email: EMAIL,
    telefon: '',
    ...over,
  });

  beforeAll(async () => {
    for (const [k, v] of Object.entries(ENV)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    ctx = await createTestContext(dialect);
    leitung = await userWith(ctx, [{ ags: SIEGEN, office: 'meldebehoerde', role: 'leitung' }]);
    clerk = await userWith(ctx, [{ ags: SIEGEN, office: 'meldebehoerde' }]);
    ({ slotIds } = await bookableRoom(ctx, leitung, {
      slots: Array.from({ length: 12 }, (_, i) => slot(i)),
    }));
  });
  afterAll(async () => {
    await ctx.close();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('lists the free slots of released rooms on the public page', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: `/oeffentlich/${SIEGEN}/termine` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=10');
    expect(res.body).toContain('Freitag, 27.11.2026');
    expect(res.body).toContain(`href="/oeffentlich/${SIEGEN}/termine/${slotIds[0]}">10:00–10:15 Uhr`);
    expect(res.body.match(/\/oeffentlich\/05970040\/termine\/[0-9a-f-]{36}"/g)).toHaveLength(12);
    // A room that is not released is not offered.
    const hidden = await http(ctx).post(leitung, '/api/rooms', {
      authorityAgs: SIEGEN,
      officeType: 'meldebehoerde',
      name: 'Besprechungsraum',
    });
    const s = await http(ctx).post(leitung, `/api/rooms/${hidden.json().id}/slots`, {
      slots: [{ startsAt: slot(0)[0], endsAt: slot(0)[1] }],
    });
    expect(s.statusCode).toBe(201);
    const again = await ctx.app.inject({ method: 'GET', url: `/oeffentlich/${SIEGEN}/termine` });
    expect(again.body).not.toContain('Besprechungsraum');
    expect((await ctx.app.inject({ method: 'GET', url: `/oeffentlich/${OLPE}/termine` })).body).toContain(
      'bietet zurzeit keine Online-Termine an',
    );
  });

  it('books a slot without login and shows the booking code once; the slot is gone from the list', async () => {
    const formular = await openBookingForm(ctx, SIEGEN, slotIds[0] as string);
    // As a browser sends it under the app's no-referrer policy: Origin null, same-origin fetch.
    const res = await postBooking(ctx, SIEGEN, slotIds[0] as string, form(formular), {
      origin: 'null',
      fetchSite: 'same-origin',
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toContain('Ihr Termin ist gebucht');
    expect(res.body).toContain('Freitag, 27.11.2026, 10:00–10:15 Uhr');
    const code = codeOf(res.body);
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
    // The page never shows back what the citizen entered.
    expect(res.body).not.toContain('Özdemir');
    expect(res.body).not.toContain(EMAIL);
    const rows = await bookingRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ name: NAME, email: EMAIL, telefon: null, status: 'gebucht' });
    expect(rows[0]?.code_hash).not.toContain(code.replace(/-/g, ''));
    const list = await ctx.app.inject({ method: 'GET', url: `/oeffentlich/${SIEGEN}/termine` });
    expect(list.body).not.toContain(slotIds[0]);
    const formAgain = await ctx.app.inject({
      method: 'GET',
      url: `/oeffentlich/${SIEGEN}/termine/${slotIds[0]}`,
    });
    expect(formAgain.statusCode).toBe(409);
    expect(formAgain.body).toContain('Termin bereits vergeben');

    // Sending the same form again (reload after POST) books nothing new and shows no code.
    const replay = await postBooking(ctx, SIEGEN, slotIds[0] as string, form(formular));
    expect(replay.statusCode).toBe(200);
    expect(replay.body).toContain('Diese Buchung wurde bereits gespeichert');
    expect(replay.body).not.toContain('class="code"');
    expect(await bookingRows()).toHaveLength(1);

    // The office sees the day's appointments with name and contact.
    const day = await http(ctx).get(
      clerk,
      `/api/termine?authorityAgs=${SIEGEN}&officeType=meldebehoerde&tag=2026-11-27`,
    );
    expect(day.statusCode).toBe(200);
    expect(day.json().items).toEqual([
      expect.objectContaining({
        startsAt: '2026-11-27T09:00:00.000Z',
        roomName: 'Bürgerbüro Schalter 1',
        status: 'gebucht',
        name: NAME,
        email: EMAIL,
      }),
    ]);
    const audit = await ctx.handle.db
      .selectFrom('audit_log')
      .select(['action', 'target', 'detail'])
      .where('action', '=', 'termine.tagesliste')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.target ?? '{}')).toEqual({
      authorityAgs: SIEGEN,
      officeType: 'meldebehoerde',
      tag: '2026-11-27',
    });
    expect(JSON.parse(audit.detail ?? '{}')).toEqual({ anzahl: 1 });
    expect(JSON.stringify(audit)).not.toContain('Özdemir');

    // Cancelling with the code frees the slot and deletes the citizen's data at once.
    const cancel = await postCancel(ctx, SIEGEN, code.toLowerCase().replace(/-/g, ' '));
    expect(cancel.statusCode).toBe(200);
    expect(cancel.body).toContain('Ihr Termin ist abgesagt');
    const after = await bookingRows();
    expect(after[0]).toMatchObject({ status: 'abgesagt', name: null, email: null, telefon: null });
    const free = await ctx.app.inject({ method: 'GET', url: `/oeffentlich/${SIEGEN}/termine` });
    expect(free.body).toContain(slotIds[0]);
    const twice = await postCancel(ctx, SIEGEN, code);
    expect(twice.statusCode).toBe(409);
    expect(twice.body).toContain('Dieser Termin ist bereits abgesagt.');
  });

  it('never books a slot twice: of 20 simultaneous bookings exactly one succeeds', async () => {
    const target = slotIds[1] as string;
    const forms = await Promise.all(Array.from({ length: 20 }, () => openBookingForm(ctx, SIEGEN, target)));
    const results = await Promise.all(
      forms.map((f, i) =>
        postBooking(ctx, SIEGEN, target, form(f, { name: `Person ${String.fromCharCode(65 + i)}` }), {
          address: `198.51.100.${i + 1}`,
        }),
      ),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(19);
    expect(results.find((r) => r.statusCode === 409)?.body).toContain('Termin bereits vergeben');
    const rows = (await bookingRows()).filter((r) => r.slot_id === target);
    expect(rows).toHaveLength(1);
    const bookings = await ctx.handle.db
      .selectFrom('slot_booking')
      .selectAll()
      .where('slot_id', '=', target)
      .execute();
    expect(bookings).toHaveLength(1);
    expect(bookings[0]?.case_id).toBe(rows[0]?.id);
  });

  it('throttles bulk booking per address: at most 3 in the window, also when sent at once', async () => {
    const address = '203.0.113.77';
    const targets = slotIds.slice(2, 8);
    const forms = await Promise.all(targets.map((s) => openBookingForm(ctx, SIEGEN, s)));
    const before = (await bookingRows()).length;
    const results = await Promise.all(
      targets.map((s, i) => postBooking(ctx, SIEGEN, s, form(forms[i] as string), { address })),
    );
    const ok = results.filter((r) => r.statusCode === 201);
    const limited = results.filter((r) => r.statusCode === 429);
    expect(ok).toHaveLength(3);
    expect(limited).toHaveLength(3);
    expect(limited[0]?.body).toContain('Von Ihrem Anschluss kamen in kurzer Zeit zu viele Terminbuchungen');
    expect(Number(limited[0]?.headers['retry-after'])).toBeGreaterThan(3000);
    expect((await bookingRows()).length).toBe(before + 3);
    // Another address is not affected.
    const other = await openBookingForm(ctx, SIEGEN, slotIds[8] as string);
    expect(
      (await postBooking(ctx, SIEGEN, slotIds[8] as string, form(other), { address: '203.0.113.78' }))
        .statusCode,
    ).toBe(201);
    // The throttle keeps no address in clear.
    const attempts = await ctx.handle.db.selectFrom('krisenstab_termin_versuch').select('subject').execute();
    expect(JSON.stringify(attempts)).not.toContain('203.0.113');
  });

  it('throttles guessing of booking codes per address', async () => {
    const address = '203.0.113.200';
    for (let i = 0; i < 4; i++) {
      const res = await postCancel(ctx, SIEGEN, 'AAAA-BBBB-CCCC', address);
      expect(res.statusCode).toBe(404);
      expect(res.body).toContain(
        'Zu diesem Buchungscode gibt es bei dieser Behörde keinen gebuchten Termin.',
      );
    }
    const blocked = await postCancel(ctx, SIEGEN, 'AAAA-BBBB-CCCC', address);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.body).toContain('zu viele falsche Buchungscodes');
  });

  it('refuses invalid or hostile form input with German messages and changes nothing', async () => {
    const target = slotIds[9] as string;
    const formular = await openBookingForm(ctx, SIEGEN, target);
    const before = await bookingRows();
    const cases: Array<[Record<string, string>, string]> = [
      [{ name: '' }, 'Name: Bitte geben Sie Ihren Namen an.'],
      [{ name: '<script>alert(1)</script>' }, 'Name: Bitte nur Buchstaben'],
      [{ name: 'Max\u0007Muster' }, 'Name: Bitte nur Buchstaben'],
      [{ email: '', telefon: '' }, 'Bitte geben Sie eine E-Mail-Adresse oder eine Telefonnummer an.'],
      [{ email: 'nicht-erreichbar' }, 'E-Mail-Adresse: Bitte eine gültige Adresse angeben'],
      [{ email: '', telefon: "0271'; DROP TABLE slot;--" }, 'Telefonnummer: Bitte nur Ziffern'],
      [{ formular: 'x' }, 'Das Formular ist unvollständig.'],
    ];
    for (const [over, message] of cases) {
      const res = await postBooking(ctx, SIEGEN, target, form(formular, over));
      expect(res.statusCode, message).toBe(400);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toContain('Bitte prüfen Sie Ihre Angaben');
      expect(res.body).toContain(message);
      expect(res.body).not.toContain('<script>alert');
    }
    const nul = await postBooking(ctx, SIEGEN, target, form(formular, { name: 'Max\u0000Muster' }));
    expect(nul.statusCode).toBe(400);
    expect(nul.body).toContain('Die Anfrage enthält ein unzulässiges Nullzeichen.');
    // The entered values come back escaped in the form, never as markup.
    const echoed = await postBooking(
      ctx,
      SIEGEN,
      target,
      form(formular, { name: '"><img src=x onerror=alert(1)>', email: '' }),
    );
    expect(echoed.body).toContain('value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"');
    // From another site, and as JSON without the form: refused.
    const foreign = await postBooking(ctx, SIEGEN, target, form(formular), {
      origin: 'https://boese.example',
    });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.body).toContain('von einer anderen Internetseite abgeschickt');
    const crossSite = await postBooking(ctx, SIEGEN, target, form(formular), {
      origin: 'null',
      fetchSite: 'cross-site',
    });
    expect(crossSite.statusCode).toBe(403);
    const json = await ctx.app.inject({
      method: 'POST',
      url: `/oeffentlich/${SIEGEN}/termine/${target}`,
      payload: {},
    });
    expect(json.statusCode).toBe(400);
    const unknownSlot = await postBooking(
      ctx,
      SIEGEN,
      '0190d7a0-0000-7000-8000-000000000000',
      form(formular),
    );
    expect(unknownSlot.statusCode).toBe(404);
    const wrongTown = await postBooking(ctx, OLPE, target, form(formular));
    expect(wrongTown.statusCode).toBe(404);
    expect(await bookingRows()).toEqual(before);
  });

  it('lets the office cancel an appointment; the citizen’s contact stays for the office to call', async () => {
    const rows = (await bookingRows()).filter((r) => r.status === 'gebucht');
    const target = rows[0];
    if (!target) throw new Error('no booking');
    const other = await userWith(ctx, [{ ags: SIEGEN, office: 'standesamt', role: 'leitung' }]);
    expect((await http(ctx).post(other, `/api/termine/${target.id}/absage`, {})).statusCode).toBe(403);
    const res = await http(ctx).post(clerk, `/api/termine/${target.id}/absage`, {});
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'abgesagt_amt' });
    const row = (await bookingRows()).find((r) => r.id === target.id);
    expect(row).toMatchObject({ status: 'abgesagt_amt', name: target.name });
    expect(
      await ctx.handle.db
        .selectFrom('slot_booking')
        .selectAll()
        .where('slot_id', '=', target.slot_id)
        .execute(),
    ).toEqual([]);
    expect((await http(ctx).post(clerk, `/api/termine/${target.id}/absage`, {})).statusCode).toBe(409);
  });

  it('shows the day list and the rooms only to the office; the crisis team gets no names', async () => {
    const url = `/api/termine?authorityAgs=${SIEGEN}&officeType=meldebehoerde&tag=2026-11-27`;
    const crisis = await crisisTeam(ctx);
    const standesamt = await userWith(ctx, [{ ags: SIEGEN, office: 'standesamt', role: 'leitung' }]);
    const olpe = await userWith(ctx, [{ ags: OLPE, office: 'meldebehoerde', role: 'leitung' }]);
    for (const user of [crisis, standesamt, olpe]) {
      const res = await http(ctx).get(user, url);
      expect(res.statusCode).toBe(403);
      expect(res.body).not.toContain('Person ');
    }
    const rooms = await http(ctx).get(
      clerk,
      `/api/termine/raeume?authorityAgs=${SIEGEN}&officeType=meldebehoerde`,
    );
    expect(rooms.json().items).toEqual([
      expect.objectContaining({ name: 'Besprechungsraum', oeffentlich: false }),
      expect.objectContaining({
        name: 'Bürgerbüro Schalter 1',
        oeffentlich: true,
        freieTermine: expect.any(Number),
      }),
    ]);
    // Releasing a room is for the Amtsleitung of its office.
    const roomId = rooms.json().items[1].id;
    expect(
      (await http(ctx).put(clerk, `/api/termine/raeume/${roomId}/freigabe`, { oeffentlich: false }))
        .statusCode,
    ).toBe(403);
    expect(
      (await http(ctx).put(standesamt, `/api/termine/raeume/${roomId}/freigabe`, { oeffentlich: false }))
        .statusCode,
    ).toBe(403);
  });

  it('deletes booking data after the configured days, by the running server and on start', async () => {
    expect((await bookingRows()).length).toBeGreaterThan(0);
    // Six days after the appointments: still kept (7 days configured).
    ctx.clock.now = new Date('2026-12-03T10:00:00Z');
    await new Promise((r) => setTimeout(r, 1500));
    expect((await bookingRows()).length).toBeGreaterThan(0);
    // Eight days after: the server's interval (1 s here) deletes them.
    ctx.clock.now = new Date('2026-12-05T10:00:00Z');
    await expect.poll(async () => (await bookingRows()).length, { timeout: 15_000, interval: 200 }).toBe(0);
    // On start: a booking whose appointment is long past is gone before the new app answers.
    await ctx.handle.db
      .insertInto('krisenstab_termin')
      .values({
        id: '0190d7a0-0000-7000-8000-00000000abcd',
        slot_id: slotIds[11] as string,
        room_id: (
          await ctx.handle.db
            .selectFrom('slot')
            .select('room_id')
            .where('id', '=', slotIds[11] as string)
            .executeTakeFirstOrThrow()
        ).room_id,
        authority_ags: SIEGEN,
        office_type: 'meldebehoerde',
        starts_at: '2026-11-27T11:45:00.000Z',
        ends_at: '2026-11-27T12:00:00.000Z',
        name: 'Alt Eintrag',
        email: null,
        telefon: '0271 1',
        code_hash: 'x'.repeat(64),
        status: 'gebucht',
        created_at: '2026-11-26T10:00:00.000Z',
        cancelled_at: null,
      })
      .execute();
    const later = new Date(ctx.clock.now.getTime() + DAY);
    const app = await buildApp({ config: { logLevel: 'silent' }, database: ctx.handle, now: () => later });
    await app.ready();
    expect(await bookingRows()).toEqual([]);
    await app.close();
  });
});
