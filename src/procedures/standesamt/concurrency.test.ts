import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createTestContext,
  describeEachDialect,
  type TestContext,
  type TestUser,
  userWith,
} from '../../../test/harness.js';
import { eheDaten, geburtDaten } from './fixtures.js';
import { api, OLPE, SIEGEN } from './test-helpers.js';

const NAMES = ['Albers', 'Becker', 'Dorn', 'Fuchs', 'Hoppe', 'Kraus', 'Lindner', 'Pohl', 'Rau', 'Tews'];

describeEachDialect('Standesamt: Registernummern und Trauräume unter Gleichzeitigkeit', (dialect) => {
  let ctx: TestContext;
  let clerk: TestUser;
  let head: TestUser;
  let otherTown: TestUser;
  let otherOffice: TestUser;
  let a: ReturnType<typeof api>;

  const post = (user: TestUser, url: string, payload: object) =>
    ctx.app.inject({
      method: 'POST',
      url,
      headers: { ...user.headers, 'idempotency-key': randomUUID() },
      payload,
    });
  const get = (user: TestUser, url: string) => ctx.app.inject({ method: 'GET', url, headers: user.headers });

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    a = api(ctx);
    clerk = await userWith(ctx, [{ ags: SIEGEN, office: 'standesamt' }]);
    head = await userWith(ctx, [{ ags: SIEGEN, office: 'standesamt', role: 'leitung' }]);
    otherTown = await userWith(ctx, [{ ags: OLPE, office: 'standesamt', role: 'leitung' }]);
    otherOffice = await userWith(ctx, [{ ags: SIEGEN, office: 'meldebehoerde', role: 'leitung' }]);
  });
  afterAll(() => ctx.close());

  it('numbers concurrent registrations G 1..n/2026 without gaps; a refused one takes no number', async () => {
    const ready = [];
    for (const name of NAMES) {
      const c = (
        await a.create(clerk, 'geburt', geburtDaten({ kind: { familienname: name, vornamen: 'Kim' } }))
      ).json();
      ready.push(await a.allDocuments(clerk, c));
    }
    const missing = (
      await a.create(clerk, 'geburt', geburtDaten({ kind: { familienname: 'Zuse', vornamen: 'Ada' } }))
    ).json();
    const results = await Promise.all([
      ...ready.map((c) => a.act(clerk, c.id, 'registrieren', c.version)),
      a.act(clerk, missing.id, 'registrieren', missing.version),
    ]);
    expect(results.slice(0, NAMES.length).map((r) => r.statusCode)).toEqual(NAMES.map(() => 200));
    expect(results.at(-1)?.statusCode).toBe(409);
    const numbers = results.slice(0, NAMES.length).map((r) => r.json().data.registereintrag.nummer as string);
    expect(numbers.sort((x, y) => Number(x.split(/[ /]/)[1]) - Number(y.split(/[ /]/)[1]))).toEqual(
      NAMES.map((_, i) => `G ${i + 1}/2026`),
    );
    // Another registry office counts on its own.
    const olpeClerk = await userWith(ctx, [{ ags: OLPE, office: 'standesamt' }]);
    const o = (
      await a.create(olpeClerk, 'geburt', geburtDaten({ kind: { geburtsort: 'Olpe' } }), OLPE)
    ).json();
    const od = await a.allDocuments(olpeClerk, o);
    const reg = await a.act(olpeClerk, o.id, 'registrieren', od.version);
    expect(reg.json().data.registereintrag.nummer).toBe('G 1/2026');

    // The register book lists the entries in number order, for the office's own staff only.
    const book = await get(clerk, `/api/registry/entries?authorityAgs=${SIEGEN}&register=G&year=2026`);
    expect(book.statusCode).toBe(200);
    expect(book.json().registerLabel).toBe('Geburtenregister');
    expect(book.json().items.map((e: { number: string }) => e.number)).toEqual(
      NAMES.map((_, i) => `G ${i + 1}/2026`),
    );
    for (const user of [otherTown, otherOffice]) {
      expect(
        (await get(user, `/api/registry/entries?authorityAgs=${SIEGEN}&register=G&year=2026`)).statusCode,
      ).toBe(403);
    }
  });

  it('lets only the head of office create rooms and slots, and only in their own office', async () => {
    expect((await post(clerk, '/api/rooms', { authorityAgs: SIEGEN, name: 'Trauzimmer' })).statusCode).toBe(
      403,
    );
    expect(
      (await post(otherTown, '/api/rooms', { authorityAgs: SIEGEN, name: 'Trauzimmer' })).statusCode,
    ).toBe(403);
    expect(
      (await post(otherOffice, '/api/rooms', { authorityAgs: SIEGEN, name: 'Trauzimmer' })).statusCode,
    ).toBe(403);
    const room = await post(head, '/api/rooms', {
      authorityAgs: SIEGEN,
      name: 'Trauzimmer Rathaus',
      capacity: 30,
    });
    expect(room.statusCode).toBe(201);
    const again = await post(head, '/api/rooms', { authorityAgs: SIEGEN, name: 'Trauzimmer Rathaus' });
    expect(again.statusCode).toBe(409);
    const id = room.json().id;
    for (const user of [otherTown, otherOffice]) {
      expect((await get(user, `/api/rooms?authorityAgs=${SIEGEN}`)).statusCode).toBe(403);
      expect((await get(user, `/api/rooms/${id}/slots`)).statusCode).toBe(403);
      expect(
        (
          await post(user, `/api/rooms/${id}/slots`, {
            slots: [{ startsAt: '2026-12-01T10:00:00Z', endsAt: '2026-12-01T10:30:00Z' }],
          })
        ).statusCode,
      ).toBe(403);
    }
    expect(
      (
        await post(clerk, `/api/rooms/${id}/slots`, {
          slots: [{ startsAt: '2026-12-01T10:00:00Z', endsAt: '2026-12-01T10:30:00Z' }],
        })
      ).statusCode,
    ).toBe(403);
    const bad = await post(head, `/api/rooms/${id}/slots`, {
      slots: [{ startsAt: '2026-12-01T10:30:00Z', endsAt: '2026-12-01T10:00:00Z' }],
    });
    expect(bad.statusCode).toBe(400);
    const list = (await get(clerk, `/api/rooms?authorityAgs=${SIEGEN}`)).json();
    expect(list.items.map((r: { name: string }) => r.name)).toEqual(['Trauzimmer Rathaus']);
  });

  it('books a slot once, also when two weddings ask for it at the same moment', async () => {
    const room = (
      await post(head, '/api/rooms', { authorityAgs: SIEGEN, name: 'Trauzimmer Schloss' })
    ).json();
    const created = await post(head, `/api/rooms/${room.id}/slots`, {
      slots: [
        { startsAt: '2026-12-11T09:00:00Z', endsAt: '2026-12-11T09:30:00Z' },
        { startsAt: '2026-12-11T10:00:00Z', endsAt: '2026-12-11T10:30:00Z' },
      ],
    });
    expect(created.json()).toEqual({ created: 2, unchanged: 0 });
    const slots = (await get(clerk, `/api/rooms/${room.id}/slots?free=true`)).json().items;
    expect(slots).toHaveLength(2);
    const couples = [];
    for (const n of ['Åström', 'Bäcker', 'Çelik', 'Dück']) {
      couples.push(
        (
          await a.create(
            clerk,
            'eheschliessung',
            eheDaten({ ehegatte1: { familienname: n, familiennameNachEhe: n }, ehename: n }),
          )
        ).json(),
      );
    }
    const attempts = await Promise.all(
      couples.map((c) => a.act(clerk, c.id, 'termin_buchen', c.version, { slotId: slots[0].id })),
    );
    const codes = attempts.map((r) => r.statusCode).sort();
    expect(codes).toEqual([200, 409, 409, 409]);
    const refused = attempts.find((r) => r.statusCode === 409);
    expect(refused?.json().title).toBe('Termin bereits vergeben');
    const count = await ctx.handle.db
      .selectFrom('slot_booking')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('slot_id', '=', slots[0].id)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
    const after = (await get(clerk, `/api/rooms/${room.id}/slots`)).json().items;
    expect(after.map((s: { booked: boolean }) => s.booked)).toEqual([true, false]);

    // The winner cancels: the slot is free again and another couple gets it.
    const winner = attempts.find((r) => r.statusCode === 200)?.json();
    expect(winner.data.termin).toMatchObject({
      raum: 'Trauzimmer Schloss',
      beginn: '2026-12-11T09:00:00.000Z',
    });
    expect(winner.summary).toContain('Trauung am 11.12.2026');
    const cancelled = await a.act(clerk, winner.id, 'termin_absagen', winner.version);
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json().data.termin).toBeUndefined();
    const other = couples.find((c) => c.id !== winner.id);
    const now = (await a.get(clerk, other.id)).json();
    expect(
      (await a.act(clerk, other.id, 'termin_buchen', now.version, { slotId: slots[0].id })).statusCode,
    ).toBe(200);
  });

  it('conducts a marriage only with a booked slot, on its day, with all documents', async () => {
    const room = (await post(head, '/api/rooms', { authorityAgs: SIEGEN, name: 'Trauzimmer Garten' })).json();
    await post(head, `/api/rooms/${room.id}/slots`, {
      slots: [{ startsAt: '2026-11-27T10:00:00Z', endsAt: '2026-11-27T10:30:00Z' }],
    });
    const slot = (await get(clerk, `/api/rooms/${room.id}/slots`)).json().items[0];
    let c = (
      await a.create(
        clerk,
        'eheschliessung',
        eheDaten({ ehegatte1: { familienname: 'Größer', familiennameNachEhe: 'Größer' }, ehename: 'Größer' }),
      )
    ).json();
    const noSlot = await a.act(clerk, c.id, 'eheschliessung_durchfuehren', c.version);
    expect(noSlot.json().title).toBe('Kein Termin gebucht');
    c = (await a.act(clerk, c.id, 'termin_buchen', c.version, { slotId: slot.id })).json();
    const missing = await a.act(clerk, c.id, 'eheschliessung_durchfuehren', c.version);
    expect(missing.json().title).toBe('Unterlagen unvollständig');
    c = await a.allDocuments(clerk, c);
    const early = await a.act(clerk, c.id, 'eheschliessung_durchfuehren', c.version);
    expect(early.json().title).toBe('Termin liegt in der Zukunft');
    ctx.clock.now = new Date('2026-11-27T10:40:00Z');
    const fresh = await userWith(ctx, [{ ags: SIEGEN, office: 'standesamt' }]);
    const done = await a.act(fresh, c.id, 'eheschliessung_durchfuehren', c.version);
    expect(done.statusCode).toBe(200);
    expect(done.json().status).toBe('geschlossen');
    expect(done.json().data.registereintrag.nummer).toBe('E 1/2026');
    const pdf = await ctx.app.inject({
      method: 'GET',
      url: done.json().documents[0].href,
      headers: fresh.headers,
    });
    const { pdfText } = await import('./test-helpers.js');
    const text = await pdfText(pdf.rawPayload);
    expect(text).toContain('Vorläufige Eheurkunde');
    expect(text).toContain('E 1/2026');
    expect(text).toContain('Zoë Großmann');
    expect(text).toContain('Trauzimmer Garten');
    expect(text).toContain('Änne Ößwald');
  });
});
