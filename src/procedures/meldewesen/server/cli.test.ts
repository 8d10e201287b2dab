import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPgDatabase, describeEachDialect } from '../../../../test/harness.js';
import { openDatabase, sqliteFileFor } from '../../../db/database.js';
import { activeSnapshot } from './register/snapshot.js';

const run = promisify(execFile);
const cli = (args: string[], env: NodeJS.ProcessEnv) =>
  run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env }).then(
    (r) => ({ ...r, code: 0 }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

describeEachDialect('notbetrieb register generate / import (CLI)', (dialect) => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let databaseUrl = '';
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nb-reg-cli-'));
    if (dialect === 'postgres') {
      const pg = await createPgDatabase();
      databaseUrl = pg.url;
      drop = pg.drop;
    }
    env = { ...process.env, DATA_DIR: dir, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' };
  });
  afterAll(async () => {
    await drop?.();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const open = () =>
    dialect === 'postgres'
      ? openDatabase({ databaseUrl, poolSize: 1 })
      : openDatabase({ sqliteFile: sqliteFileFor(dir) });

  it('generates a reproducible export and imports it, reporting bad rows with line numbers', async () => {
    const a = path.join(dir, 'a.csv');
    const b = path.join(dir, 'b.csv');
    const gen = await cli(['register', 'generate', '--count', '800', '--seed', '7', '--out', a], env);
    expect(gen.code).toBe(0);
    expect(gen.stdout).toContain('800 Personen');
    await cli(['register', 'generate', '--count', '800', '--seed', '7', '--out', b], env);
    expect(fs.readFileSync(a)).toEqual(fs.readFileSync(b));
    fs.appendFileSync(
      a,
      'X1;Kaputt;;Karl;;1980-02-30;Siegen;m;DEU;Hauptstraße;1;57072;Siegen;05970040;;;;\n',
    );

    const report = path.join(dir, 'fehler.csv');
    const imp = await cli(['register', 'import', a, '--fehlerbericht', report], env);
    expect(imp.code, imp.stderr).toBe(0);
    expect(imp.stdout).toContain('800 Personen geladen');
    expect(imp.stdout).toContain('1 fehlerhafte Zeilen wurden nicht geladen');
    expect(imp.stdout).toContain('Zeile 802: geburtsdatum');
    expect(fs.readFileSync(report, 'utf8')).toContain('802;');

    const handle = open();
    try {
      expect((await activeSnapshot(handle.db))?.rowCount).toBe(800);
    } finally {
      await handle.close();
    }
  });

  it('keeps the active snapshot when an import is refused, and refuses an unknown encoding', async () => {
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, 'name;vorname\nMeier;Jörg\n');
    const r = await cli(['register', 'import', bad], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Kopfzeile: Spalten fehlen');
    expect(r.stderr).toContain('Der bisherige Registerstand bleibt aktiv.');
    const enc = await cli(['register', 'import', bad, '--encoding', 'ebcdic'], env);
    expect(enc.code).toBe(1);
    expect(enc.stderr).toContain('Unbekannte Kodierung');
    const handle = open();
    try {
      expect((await activeSnapshot(handle.db))?.rowCount).toBe(800);
    } finally {
      await handle.close();
    }
  });
});
