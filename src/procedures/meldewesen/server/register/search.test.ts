import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, openTestDatabase } from '../../../../../test/harness.js';
import type { Principal } from '../../../../core/access.js';
import type { DatabaseHandle } from '../../../../db/database.js';
import { type FixtureRow, writeRegisterCsv } from './fixtures.js';
import { importRegister } from './import.js';
import { replaceOverlay } from './overlay.js';
import { type RegisterSearchInput, RegisterService } from './search.js';

const SIEGEN = '05970040';
const OLPE = '05966024';

const clerkOf = (...ags: string[]): Principal => ({
  userId: 'u1',
  username: 'clerk',
  displayName: 'Clerk',
  grants: ags.map((a) => ({ authorityAgs: a, officeType: 'meldebehoerde', role: 'sachbearbeitung' })),
  isAdmin: false,
  isCrisisTeam: false,
});

// More persons of one name than fit on a page, so that every search arm's own limit matters.
const HOME = { strasse: 'Bahnhofstraße', hausnummer: '1' };
const FIRST_NAMES =
  'Anna Bernd Clara Dieter Emil Frieda Gustav Hanna Ida Jonas Karl Lea Max Nora Otto Paula Quirin Rosa Sven Tina Udo Vera Willi Xaver Yvonne Zoe'.split(
    ' ',
  );
const ROWS: FixtureRow[] = [
  ...FIRST_NAMES.map((v, i) => ({
    personen_id: `S${String(i).padStart(2, '0')}`,
    familienname: 'Schneider',
    vornamen: v,
    geburtsdatum: `1980-01-${String(i + 1).padStart(2, '0')}`,
    ...HOME,
  })),
  ...FIRST_NAMES.slice(0, 6).map((v, i) => ({
    personen_id: `T${i}`,
    familienname: 'Schnabel',
    vornamen: v,
    geburtsdatum: '1975-05-05',
    ...HOME,
  })),
  // Found by the second name only (birth name), and by its sound.
  { personen_id: 'B1', familienname: 'Abel', geburtsname: 'Schneidewind', vornamen: 'Berta', ...HOME },
  { personen_id: 'B2', familienname: 'Zander', geburtsname: 'Schnaider', vornamen: 'Carla', ...HOME },
  // One address in different spellings of the house number, on two streets of one prefix.
  { personen_id: 'A1', familienname: 'Adler', vornamen: 'Ali', strasse: 'Hauptstraße', hausnummer: '3A' },
  {
    personen_id: 'A2',
    familienname: 'Berger',
    vornamen: 'Bea',
    strasse: 'Hauptstraße Nord',
    hausnummer: '3a',
  },
  { personen_id: 'A3', familienname: 'Conrad', vornamen: 'Cem', strasse: 'Hauptstraße', hausnummer: '3' },
  { personen_id: 'A4', familienname: 'Dahl', vornamen: 'Dana', strasse: 'Hauptstraße', hausnummer: '3b' },
  { personen_id: 'A5', familienname: 'Ebert', vornamen: 'Eva', strasse: 'Hauptweg', hausnummer: '3a' },
  {
    personen_id: 'O1',
    familienname: 'Ahrens',
    vornamen: 'Olga',
    strasse: 'Hauptstraße',
    hausnummer: '3A',
    ags: OLPE,
  },
];

describeEachDialect('register search', (dialect) => {
  let handle: DatabaseHandle;
  let cleanup: () => Promise<void>;
  let service: RegisterService;
  let dir: string;
  const ids = async (input: RegisterSearchInput, principal = clerkOf(SIEGEN)) =>
    (await service.search(principal, input)).items.map((i) => i.id);

  beforeAll(async () => {
    ({ handle, cleanup } = await openTestDatabase(dialect));
    service = new RegisterService(handle.db, dialect);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nb-search-'));
    const file = path.join(dir, 'register.csv');
    writeRegisterCsv(file, ROWS);
    await importRegister(handle, { file, importedBy: 'test' });
  });
  afterAll(async () => {
    await cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('gives the same order whatever the page size: a short page is the start of a long one', async () => {
    for (const familienname of ['Schneider', 'Schn', 'Schnaider', 'Sch']) {
      const all = await ids({ familienname, limit: 100 });
      expect(all.length).toBeGreaterThan(5);
      for (const limit of [1, 3, 5, 10, 26]) {
        expect(await ids({ familienname, limit })).toEqual(all.slice(0, limit));
      }
    }
  });

  it('ranks by name: exact, then prefix (of the name or the birth name, alphabetical), then by sound', async () => {
    const r = await service.search(clerkOf(SIEGEN), { familienname: 'Schn', limit: 100 });
    // Abel (born Schneidewind) sorts first among the prefix hits by the family name.
    expect(r.items.map((i) => i.id).slice(0, 2)).toEqual(['B1', 'T0']);
    expect(r.items.every((i) => i.match === 'praefix')).toBe(true);
    const byName = await service.search(clerkOf(SIEGEN), { familienname: 'Schneider', limit: 100 });
    expect(byName.items.slice(0, 26).every((i) => i.match === 'exakt' && i.score === 100)).toBe(true);
    // Zander (born Schnaider) sounds like Schneider.
    expect(byName.items.find((i) => i.id === 'B2')).toMatchObject({ match: 'phonetisch', score: 30 });
    expect(byName.items.find((i) => i.id === 'B1')).toBeUndefined();
  });

  it('reports a full page as truncated', async () => {
    const r = await service.search(clerkOf(SIEGEN), { familienname: 'Schneider', limit: 10 });
    expect(r.items).toHaveLength(10);
    expect(r.truncated).toBe(true);
    const all = await service.search(clerkOf(SIEGEN), { familienname: 'Schnabel', limit: 10 });
    expect(all.truncated).toBe(false);
  });

  it('finds the person with the first name or birth date beyond the first page of the name', async () => {
    expect(await ids({ familienname: 'Schneider', vornamen: 'Zoe', limit: 1 })).toEqual(['S25']);
    expect(await ids({ familienname: 'Schneider', geburtsdatum: '1980-01-24', limit: 1 })).toEqual(['S23']);
    expect(await ids({ familienname: 'Schneyder', vornamen: 'Yvonne', limit: 1 })).toEqual(['S24']);
  });

  it('searches by birth date alone, ranking a matching first name first', async () => {
    expect(await ids({ geburtsdatum: '1975-05-05' })).toEqual(['T0', 'T1', 'T2', 'T3', 'T4', 'T5']);
    expect((await ids({ geburtsdatum: '1975-05-05', vornamen: 'Emil' }))[0]).toBe('T4');
    expect(await ids({ geburtsdatum: '1975-05-05', limit: 2 })).toEqual(['T0', 'T1']);
  });

  it('finds an address by street prefix and house number in any case, in the clerk’s towns only', async () => {
    expect(await ids({ strasse: 'Hauptstr.', hausnummer: '3a' })).toEqual(['A1', 'A2']);
    expect(await ids({ strasse: 'Hauptstraße', hausnummer: '3A' })).toEqual(['A1', 'A2']);
    expect(await ids({ strasse: 'hauptstrasse nord', hausnummer: '3A' })).toEqual(['A2']);
    expect(await ids({ strasse: 'Haupt', hausnummer: '3a' })).toEqual(['A1', 'A2', 'A5']);
    expect(await ids({ strasse: 'Hauptstr', hausnummer: '3' })).toEqual(['A3']);
    expect(await ids({ strasse: 'Hauptstr', hausnummer: '4' })).toEqual([]);
    expect(await ids({ strasse: 'Hauptstr' })).toEqual(['A1', 'A2', 'A3', 'A4']);
    // A clerk of two towns.
    expect(await ids({ strasse: 'Hauptstr', hausnummer: '3a' }, clerkOf(SIEGEN, OLPE))).toEqual([
      'A1',
      'O1',
      'A2',
    ]);
    expect(
      await ids({ strasse: 'Hauptstr', hausnummer: '3a', authorityAgs: OLPE }, clerkOf(SIEGEN, OLPE)),
    ).toEqual(['O1']);
  });

  it('finds emergency registrations by second name and its sound, and shows a moved person at the new address', async () => {
    const at = '2026-11-26T10:00:00.000Z';
    await replaceOverlay(handle.db, {
      caseId: 'case-1',
      procedureId: 'anmeldung',
      authorityAgs: SIEGEN,
      persons: [
        { familienname: 'Yildiz', geburtsname: 'Schneidewind', vornamen: 'Ece', geburtsdatum: '1999-09-09' },
      ],
      address: { strasse: 'Löhrstraße', hausnummer: '5', plz: '57072', ort: 'Siegen' },
      movedOn: '2026-11-20',
      status: 'gemeldet',
      recordedAt: at,
    });
    await replaceOverlay(handle.db, {
      caseId: 'case-2',
      procedureId: 'ummeldung',
      authorityAgs: SIEGEN,
      persons: [
        {
          registerPersonId: 'S00',
          familienname: 'Schneider',
          vornamen: 'Anna',
          geburtsdatum: '1980-01-01',
        },
      ],
      address: { strasse: 'Löhrstraße', hausnummer: '7', plz: '57072', ort: 'Siegen' },
      movedOn: '2026-11-20',
      status: 'gemeldet',
      recordedAt: at,
    });
    try {
      const byBirthName = await service.search(clerkOf(SIEGEN), { familienname: 'Schneidewind' });
      expect(byBirthName.items.map((i) => [i.id, i.source, i.match])).toEqual([
        ['B1', 'register', 'exakt'],
        [expect.any(String), 'notbetrieb', 'exakt'],
      ]);
      const bySound = await service.search(clerkOf(SIEGEN), { familienname: 'Schneidwind' });
      expect(bySound.items.find((i) => i.source === 'notbetrieb')).toMatchObject({
        vornamen: 'Ece',
        match: 'phonetisch',
        imNotbetriebErfasst: { procedureId: 'anmeldung' },
      });
      expect(await ids({ familienname: 'Yildiz' }, clerkOf(OLPE))).toEqual([]);

      const moved = await service.search(clerkOf(SIEGEN), { familienname: 'Schneider', vornamen: 'Anna' });
      expect(moved.items[0]).toMatchObject({
        id: 'S00',
        anschrift: { strasse: 'Löhrstraße', hausnummer: '7' },
        imNotbetriebErfasst: { procedureId: 'ummeldung' },
      });
      expect(await ids({ strasse: 'Löhrstr.' })).toEqual(['S00', expect.any(String)]);
      // Moved away from the old address: no longer found there.
      const oldAddress = await ids({ strasse: 'Bahnhofstr', hausnummer: '1', limit: 100 });
      expect(oldAddress).toContain('S01');
      expect(oldAddress).not.toContain('S00');
    } finally {
      await handle.db.deleteFrom('register_overlay').execute();
    }
  });
});
