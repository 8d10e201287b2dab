import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createTestContext,
  describeEachDialect,
  type TestContext,
  type TestUser,
  userWith,
} from '../../../../test/harness.js';
import { crisisTeam, http, SIEGEN } from '../test-helpers.js';

describeEachDialect('Krisenstab: Lagelog (Meldungen, Entscheidungen, Aufgaben)', (dialect) => {
  let ctx: TestContext;
  let crisis: TestUser;
  let clerk: TestUser;
  const count = async () =>
    Number(
      (
        await ctx.handle.db
          .selectFrom('krisenstab_log')
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    crisis = await crisisTeam(ctx);
    clerk = await userWith(ctx, [{ ags: SIEGEN, office: 'meldebehoerde', role: 'leitung' }]);
  });
  afterAll(() => ctx.close());

  it('records reports, decisions and tasks with owner and due date, newest first', async () => {
    const meldung = await http(ctx).post(crisis, '/api/krisenstab/log', {
      art: 'meldung',
      authorityAgs: SIEGEN,
      titel: 'Bürgerbüro: Warteschlange bis auf die Straße',
    });
    expect(meldung.statusCode).toBe(201);
    const entscheidung = await http(ctx).post(crisis, '/api/krisenstab/log', {
      art: 'entscheidung',
      titel: 'Kfz-Zulassung über Nachbarkreise',
      text: 'Ab Montag registrieren Nachbarkreise unter ihren Kennzeichen.',
    });
    expect(entscheidung.statusCode).toBe(201);
    const aufgabe = await http(ctx).post(crisis, '/api/krisenstab/log', {
      art: 'aufgabe',
      authorityAgs: SIEGEN,
      titel: 'Aushang an allen Rathaustüren',
      zustaendig: 'Pressestelle',
      faelligAm: '2026-11-27',
    });
    expect(aufgabe.statusCode).toBe(201);
    const res = await http(ctx).get(crisis, '/api/krisenstab/log');
    const items = res.json().items;
    expect(items.map((i: { art: string }) => i.art)).toEqual(['aufgabe', 'entscheidung', 'meldung']);
    expect(items[0]).toMatchObject({
      artLabel: 'Aufgabe',
      authorityName: 'Siegen',
      zustaendig: 'Pressestelle',
      faelligAm: '2026-11-27',
      createdByName: 'Kara Krisenstab',
      erledigtAm: null,
    });
    expect(items[1]).toMatchObject({ authorityAgs: null, authorityName: null });
    const open = await http(ctx).get(crisis, '/api/krisenstab/log?offen=true');
    expect(open.json().items.map((i: { id: string }) => i.id)).toEqual([aufgabe.json().id]);
    const forSiegen = await http(ctx).get(crisis, `/api/krisenstab/log?authorityAgs=${SIEGEN}`);
    expect(forSiegen.json().items).toHaveLength(2);
  });

  it('closes a task once; a report cannot be closed', async () => {
    const items = (await http(ctx).get(crisis, '/api/krisenstab/log')).json().items;
    const task = items.find((i: { art: string }) => i.art === 'aufgabe');
    const done = await http(ctx).post(crisis, `/api/krisenstab/log/${task.id}/erledigt`, {});
    expect(done.statusCode).toBe(200);
    const again = await http(ctx).post(crisis, `/api/krisenstab/log/${task.id}/erledigt`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toBe('Diese Aufgabe ist bereits als erledigt vermerkt.');
    const report = items.find((i: { art: string }) => i.art === 'meldung');
    const notATask = await http(ctx).post(crisis, `/api/krisenstab/log/${report.id}/erledigt`, {});
    expect(notATask.statusCode).toBe(409);
    const after = (await http(ctx).get(crisis, '/api/krisenstab/log?offen=true')).json().items;
    expect(after).toEqual([]);
    const closed = (await http(ctx).get(crisis, '/api/krisenstab/log')).json().items[0];
    expect(closed).toMatchObject({ erledigtVon: 'Kara Krisenstab' });
    expect(closed.erledigtAm).toBe(ctx.clock.now.toISOString());
  });

  it('refuses incomplete entries with German messages and changes nothing', async () => {
    const before = await count();
    const bad: Array<[object, string]> = [
      [
        { art: 'aufgabe', titel: 'Ohne Zuständigkeit' },
        'Zuständig: Bitte angeben, wer die Aufgabe übernimmt.',
      ],
      [{ art: 'meldung', titel: 'M', zustaendig: 'X' }, 'Titel: mindestens 2 Zeichen.'],
      [
        { art: 'meldung', titel: 'Meldung', faelligAm: '2026-11-30' },
        'Zuständigkeit und Fälligkeit gibt es nur bei Aufgaben.',
      ],
      [{ art: 'befehl', titel: 'Befehl' }, 'Art: meldung, entscheidung oder aufgabe.'],
      [
        { art: 'meldung', titel: 'Meldung', authorityAgs: '123' },
        'Behörde: Der Gemeindeschlüssel (AGS) hat acht Ziffern.',
      ],
    ];
    for (const [payload, message] of bad) {
      const res = await http(ctx).post(crisis, '/api/krisenstab/log', payload);
      expect(res.statusCode, message).toBe(400);
      expect(JSON.stringify(res.json().errors)).toContain(message);
    }
    const unknown = await http(ctx).post(crisis, '/api/krisenstab/log', {
      art: 'meldung',
      titel: 'Meldung',
      authorityAgs: '05999999',
    });
    expect(unknown.statusCode).toBe(400);
    expect(await count()).toBe(before);
  });

  it('is for the crisis team only', async () => {
    const before = await count();
    expect((await http(ctx).get(clerk, '/api/krisenstab/log')).statusCode).toBe(403);
    const write = await http(ctx).post(clerk, '/api/krisenstab/log', { art: 'meldung', titel: 'Von außen' });
    expect(write.statusCode).toBe(403);
    expect(await count()).toBe(before);
  });

  it('is append-only in the database', async () => {
    await expect(sql`UPDATE krisenstab_log SET titel = 'x'`.execute(ctx.handle.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`DELETE FROM krisenstab_log_erledigt`.execute(ctx.handle.db)).rejects.toThrow(
      /append-only/,
    );
  });
});
