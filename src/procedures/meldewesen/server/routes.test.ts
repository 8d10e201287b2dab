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
} from '../../../../test/harness.js';
import { REGISTER_FIXTURE, writeRegisterCsv } from './register/fixtures.js';
import { importRegister, RegisterImportError } from './register/import.js';
import { activeSnapshot } from './register/snapshot.js';

const SIEGEN = '05970040';
const OLPE = '05966024';

describeEachDialect('resident register: import and search', (dialect) => {
  let ctx: TestContext;
  let clerk: TestUser;
  let olpeClerk: TestUser;
  let standesamt: TestUser;
  let dir: string;

  const search = (user: TestUser | null, body: object) =>
    ctx.app.inject({
      method: 'POST',
      url: '/api/register/search',
      headers: user ? user.headers : {},
      payload: body,
    });
  const ids = (res: { json: () => { items: Array<{ id: string }> } }) => res.json().items.map((i) => i.id);

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    clerk = await userWith(ctx, [{ ags: SIEGEN, office: 'meldebehoerde' }]);
    olpeClerk = await userWith(ctx, [{ ags: OLPE, office: 'meldebehoerde' }]);
    standesamt = await userWith(ctx, [{ ags: SIEGEN, office: 'standesamt' }]);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nb-reg-'));
    const file = path.join(dir, 'register.csv');
    writeRegisterCsv(file, REGISTER_FIXTURE, {
      extraLines: [
        'P99;Kaputt;;Karl;;1980-13-01;Siegen;m;DEU;Hauptstraße;1;57072;Siegen;05970040;;;;',
        'zu;wenig',
      ],
    });
    const result = await importRegister(ctx.handle, { file, importedBy: 'test', now: () => ctx.clock.now });
    expect(result.rows).toBe(REGISTER_FIXTURE.length);
    expect(result.problems).toEqual([
      { line: 14, message: 'geburtsdatum: „1980-13-01" ist kein Datum (JJJJ-MM-TT)' },
      { line: 15, message: '2 statt 18 Felder (Trennzeichen Semikolon?)' },
    ]);
  });
  afterAll(async () => {
    await ctx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finds Meier, Mayer and Maier by sound, exact match first, prefix before phonetic', async () => {
    const res = await search(clerk, { familienname: 'Meier' });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Array<{ id: string; match: string }>;
    expect(items.map((i) => i.id)).toEqual(['P1', 'P3', 'P2', 'P6', 'P5', 'P4']);
    expect(items.map((i) => i.match)).toEqual([
      'exakt',
      'exakt',
      'exakt',
      'praefix',
      'phonetisch',
      'phonetisch',
    ]);
  });

  it('finds Schmitt and Schmidt by sound', async () => {
    expect(ids(await search(clerk, { familienname: 'Schmitt' }))).toEqual(['P7', 'P8']);
    expect(ids(await search(clerk, { familienname: 'schmidt' }))).toEqual(['P8', 'P7']);
  });

  it('finds the one with the right first name or birth date even when the name alone fills the page', async () => {
    expect(ids(await search(clerk, { familienname: 'Meier', geburtsdatum: '1966-01-02', limit: 1 }))).toEqual(
      ['P2'],
    );
    expect(ids(await search(clerk, { familienname: 'Meier', vornamen: 'Özlem', limit: 1 }))).toEqual(['P2']);
    expect(ids(await search(clerk, { familienname: 'Maier', vornamen: 'Karl', limit: 2 }))).toEqual([
      'P5',
      'P4',
    ]);
  });

  it('ranks a matching first name and birth date higher', async () => {
    const res = await search(clerk, { familienname: 'Meier', vornamen: 'lena', geburtsdatum: '2010-05-05' });
    expect(ids(res)[0]).toBe('P3');
  });

  it('finds by birth name, name with particle, part of a double name, umlaut-free spelling', async () => {
    expect(ids(await search(clerk, { familienname: 'Yilmaz' }))).toEqual(['P2']);
    expect(ids(await search(clerk, { familienname: 'von der Heide' }))).toEqual(['P9']);
    expect(ids(await search(clerk, { familienname: 'Lüdenscheidt' }))).toEqual(['P10']);
    expect(ids(await search(clerk, { familienname: 'Mueller' }))).toContain('P10');
    expect(ids(await search(clerk, { familienname: 'Weiss' }))).toEqual(['P11']);
  });

  it('searches by birth date alone and by address', async () => {
    expect(ids(await search(clerk, { geburtsdatum: '1964-08-12' }))).toEqual(['P1']);
    expect(ids(await search(clerk, { strasse: 'Weidenauer Str.', hausnummer: '12' }))).toEqual(['P4']);
  });

  it('shows only persons of the clerk’s own municipality', async () => {
    expect(ids(await search(olpeClerk, { familienname: 'Meier' }))).toEqual(['O1']);
    const res = await search(clerk, { familienname: 'Meier', authorityAgs: OLPE });
    expect(res.statusCode).toBe(403);
    const person = await ctx.app.inject({
      method: 'GET',
      url: '/api/register/persons/O1',
      headers: clerk.headers,
    });
    expect(person.statusCode).toBe(403);
    expect(person.body).not.toContain('Otto');
  });

  it('refuses other offices and anonymous requests', async () => {
    expect((await search(standesamt, { familienname: 'Meier' })).statusCode).toBe(403);
    expect((await search(null, { familienname: 'Meier' })).statusCode).toBe(401);
    const anon = await ctx.app.inject({ method: 'GET', url: '/api/register/persons/P1' });
    expect(anon.statusCode).toBe(401);
    const other = await ctx.app.inject({
      method: 'GET',
      url: '/api/register/persons/P1',
      headers: standesamt.headers,
    });
    expect(other.statusCode).toBe(403);
  });

  it('refuses a search without name, birth date or street', async () => {
    const res = await search(clerk, { vornamen: 'Anna' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].message).toBe('Bitte Familienname, Geburtsdatum oder Straße angeben.');
  });

  it('opens a person with household and relations', async () => {
    const res = await ctx.app.inject({
      method: 'GET',
      url: '/api/register/persons/P1',
      headers: clerk.headers,
    });
    expect(res.statusCode).toBe(200);
    const p = res.json();
    expect(p).toMatchObject({
      id: 'P1',
      familienname: 'Meier',
      geschlechtLabel: 'männlich',
      staatsangehoerigkeit: ['DEU'],
    });
    expect(p.haushalt).toEqual([
      {
        id: 'P2',
        familienname: 'Meier',
        vornamen: 'Özlem',
        geburtsdatum: '1966-01-02',
        beziehung: 'Ehegatte/Lebenspartner',
      },
      { id: 'P3', familienname: 'Meier', vornamen: 'Lena', geburtsdatum: '2010-05-05', beziehung: 'Kind' },
    ]);
  });

  it('writes each search and each opened person to the audit log, with ids and without names', async () => {
    const before = await ctx.handle.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirstOrThrow();
    await search(clerk, { familienname: 'Schmitt' });
    // One entry per search: the generic request audit carries the ids of the persons shown.
    const ofSearch = await ctx.handle.db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>', Number(before.seq ?? 0))
      .execute();
    expect(ofSearch).toHaveLength(1);
    expect(ofSearch[0]).toMatchObject({
      action: 'register.search',
      actor_id: clerk.userId,
      method: 'POST',
      route: '/api/register/search',
      status: 200,
    });
    expect(JSON.parse(ofSearch[0]?.detail ?? '{}')).toEqual({
      criteria: 'familienname',
      hits: 2,
      truncated: false,
    });
    await ctx.app.inject({ method: 'GET', url: '/api/register/persons/P7', headers: clerk.headers });
    const rows = await ctx.handle.db
      .selectFrom('audit_log')
      .selectAll()
      .where((eb) =>
        eb.or([eb('action', '=', 'register.search'), eb('route', '=', '/api/register/persons/:id')]),
      )
      .orderBy('seq', 'desc')
      .limit(2)
      .execute();
    expect(rows.map((r) => r.action)).toEqual(['http.read', 'register.search']);
    expect(rows[1]?.target).toBe('{"persons":"P7,P8"}');
    expect(rows[0]?.target).toBe('{"id":"P7"}');
    expect(rows[0]?.actor_id).toBe(clerk.userId);
    const text = JSON.stringify(rows);
    expect(text).not.toMatch(/Schmitt|Anna/);
  });

  it('replaces the snapshot atomically on re-import and keeps the old one when the new file is unusable', async () => {
    const before = await activeSnapshot(ctx.handle.db);
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, 'name;vorname\nMeier;Jörg\n');
    await expect(importRegister(ctx.handle, { file: bad, importedBy: 'test' })).rejects.toThrow(
      RegisterImportError,
    );
    expect((await activeSnapshot(ctx.handle.db))?.id).toBe(before?.id);
    expect(ids(await search(clerk, { familienname: 'Meier' }))).toContain('P1');

    // A newer export, in ISO-8859-1: P1 moved, P7 gone, a new person.
    const newer = path.join(dir, 'newer.csv');
    writeRegisterCsv(
      newer,
      [
        {
          personen_id: 'P1',
          familienname: 'Meier',
          vornamen: 'Jürgen',
          strasse: 'Schloßplatz',
          hausnummer: '3',
        },
        { personen_id: 'P20', familienname: 'Größer', vornamen: 'Käthe' },
      ],
      { encoding: 'latin1' },
    );
    const r = await importRegister(ctx.handle, { file: newer, importedBy: 'test' });
    expect(r.encoding).toBe('iso-8859-1');
    expect(r.rows).toBe(2);
    const after = await activeSnapshot(ctx.handle.db);
    expect(after?.id).toBe(r.snapshotId);
    expect(ids(await search(clerk, { familienname: 'Schmitt' }))).toEqual([]);
    const g = (await search(clerk, { familienname: 'Grösser' })).json().items;
    expect(g).toMatchObject([{ id: 'P20', vornamen: 'Käthe', familienname: 'Größer' }]);
    const m = (await search(clerk, { strasse: 'Schlossplatz' })).json().items;
    expect(m.map((i: { id: string }) => i.id)).toEqual(['P1']);
  });
});
