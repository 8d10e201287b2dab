import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { describeEachDialect, openTestDatabase } from '../../../test/harness.js';
import type { DatabaseHandle } from '../../db/database.js';
import { AuthorityImportError, importAuthorities, parseAuthoritiesCsv } from './import.js';
import { seedDemoAuthorities } from './seed.js';

const HEADER = 'ags,name,art,kreis_ags,kreis,kfz_unterscheidungszeichen,quelle';
const now = new Date('2026-11-26T10:00:00Z');

describeEachDialect('authorities', (dialect) => {
  let handle: DatabaseHandle;
  let cleanup: () => Promise<void>;
  const open = async () => {
    ({ handle, cleanup } = await openTestDatabase(dialect));
  };
  afterEach(() => cleanup());

  it('seeds the 5 Kreise and 59 Gemeinden of Südwestfalen with their offices', async () => {
    await open();
    await seedDemoAuthorities(handle.db, now);
    const kinds = await handle.db
      .selectFrom('authority')
      .select(['kind', handle.db.fn.countAll<number>().as('n')])
      .groupBy('kind')
      .execute();
    const byKind = Object.fromEntries(kinds.map((k) => [k.kind, Number(k.n)]));
    expect(byKind.Kreis).toBe(5);
    expect((byKind.Stadt ?? 0) + (byKind.Gemeinde ?? 0)).toBe(59);
    const siegen = await handle.db
      .selectFrom('office')
      .select('office_type')
      .where('authority_ags', '=', '05970040')
      .execute();
    expect(siegen.map((o) => o.office_type).sort()).toEqual([
      'kaemmerei',
      'meldebehoerde',
      'sozialamt',
      'standesamt',
    ]);
    const kreis = await handle.db
      .selectFrom('office')
      .select('office_type')
      .where('authority_ags', '=', '05970000')
      .execute();
    expect(kreis.map((o) => o.office_type)).toContain('zulassungsstelle');
    const si = await handle.db
      .selectFrom('authority')
      .select('plate_codes')
      .where('ags', '=', '05970000')
      .executeTakeFirstOrThrow();
    expect(si.plate_codes).toBe('SI,BLB');
    // Seeding again changes nothing.
    expect(await seedDemoAuthorities(handle.db, now)).toBeUndefined();
  });

  it('imports nothing when one row is bad and names the line', async () => {
    await open();
    const csv = [
      HEADER,
      '09162000,München,Kreis,09162000,München,M,test',
      '0916200X,Kaputt,Gemeinde,09162000,München,M,test',
      '09162004,Irgendwo,Dorf,09162000,München,M,test',
    ].join('\n');
    const err = await importAuthorities(handle.db, csv, now).catch((e) => e);
    expect(err).toBeInstanceOf(AuthorityImportError);
    expect(err.rowErrors).toEqual([
      { line: 3, message: 'AGS "0916200X" hat nicht acht Ziffern' },
      { line: 4, message: 'Art "Dorf" ist nicht Kreis, Stadt oder Gemeinde' },
    ]);
    const count = await handle.db
      .selectFrom('authority')
      .select(handle.db.fn.countAll().as('n'))
      .executeTakeFirst();
    expect(Number(count?.n)).toBe(0);
  });

  it('loads another region with configured offices and updates on re-import', async () => {
    await open();
    const csv = [
      `${HEADER},aemter`,
      '05962000,Märkischer Kreis,Kreis,05962000,Märkischer Kreis,MK,test,',
      '05962024,Iserlohn,Stadt,05962000,Märkischer Kreis,MK,test,standesamt;meldebehoerde;auslaenderbehoerde',
    ].join('\n');
    expect(await importAuthorities(handle.db, csv, now)).toEqual({ authorities: 2, offices: 8 });
    const iserlohn = await handle.db
      .selectFrom('office')
      .select('office_type')
      .where('authority_ags', '=', '05962024')
      .execute();
    expect(iserlohn.map((o) => o.office_type).sort()).toEqual([
      'auslaenderbehoerde',
      'meldebehoerde',
      'standesamt',
    ]);
    const renamed = csv.replace('Iserlohn,Stadt', 'Iserlohn (Waldstadt),Stadt');
    expect(await importAuthorities(handle.db, renamed, now)).toEqual({ authorities: 2, offices: 0 });
    const row = await handle.db
      .selectFrom('authority')
      .select('name')
      .where('ags', '=', '05962024')
      .executeTakeFirstOrThrow();
    expect(row.name).toBe('Iserlohn (Waldstadt)');
  });

  it('refuses a Gemeinde whose Kreis is unknown', async () => {
    await open();
    const err = await importAuthorities(
      handle.db,
      `${HEADER}\n09162004,Irgendwo,Gemeinde,09162000,X,M,t`,
      now,
    ).catch((e) => e);
    expect(err.rowErrors).toEqual([
      { line: 2, message: 'Kreis 09162000 ist weder in der Datei noch bereits bekannt' },
    ]);
  });
});

describe('authorities CSV', () => {
  it('reports missing columns', () => {
    expect(parseAuthoritiesCsv('ags,name\n1,2').errors).toEqual([
      { line: 1, message: 'Spalten fehlen: art, kreis_ags, kfz_unterscheidungszeichen' },
    ]);
  });

  it('reports duplicate AGS and bad plate codes', () => {
    const r = parseAuthoritiesCsv(
      `${HEADER}\n05966000,Kreis Olpe,Kreis,05966000,Kreis Olpe,OE,k\n05966000,Kreis Olpe,Kreis,05966000,Kreis Olpe,oe1,k`,
    );
    expect(r.errors).toEqual([
      {
        line: 3,
        message:
          'Unterscheidungszeichen "oe1" ist nicht 1–3 Großbuchstaben; AGS 05966000 steht schon in Zeile 2',
      },
    ]);
  });
});

describe('notbetrieb authorities import (CLI)', () => {
  it('lists row errors, exits non-zero and leaves the database unchanged', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nb-cli-'));
    const file = path.join(dir, 'bad.csv');
    fs.writeFileSync(
      file,
      `${HEADER}\n05966000,Kreis Olpe,Kreis,05966000,Kreis Olpe,OE,k\n123,Falsch,Gemeinde,05966000,K,OE,k\n`,
    );
    const run = promisify(execFile);
    const env = { ...process.env, DATA_DIR: dir, DATABASE_URL: '', LOG_LEVEL: 'silent' };
    const result = await run(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'authorities', 'import', file],
      { env },
    ).catch((e) => e);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Import abgebrochen, nichts wurde geändert.');
    expect(result.stderr).toContain('Zeile 3: AGS "123" hat nicht acht Ziffern');
    const ok = await run(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'authorities', 'import', 'resources/suedwestfalen-kommunen.csv'],
      { env },
    );
    expect(ok.stdout).toContain('64 Behörden geladen');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
