import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect, openTestDatabase } from '../../../../../test/harness.js';
import { openDatabase, sqliteFileFor } from '../../../../db/database.js';
import { migrate } from '../../../../server/platform.js';
import { writeRegisterCsv } from './fixtures.js';
import { writeSyntheticExport } from './generate.js';
import { type ImportProgress, importRegister } from './import.js';
import { activeSnapshot } from './snapshot.js';

describe('register import on an SQLite file shared with a running server', () => {
  it('lets another connection write while a large export loads, and reports progress', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nb-imp-'));
    const file = path.join(dir, 'r.csv');
    writeSyntheticExport(file, { count: 70_000, seed: 3 });
    expect(fs.statSync(file).size).toBeGreaterThan(8 * 1024 * 1024); // several 4 MB chunks
    const importer = openDatabase({ dataDir: dir });
    await migrate(importer.db);
    // The server as its own process writing the same file every 20 ms, as `serve` beside a CLI
    // import would (in one thread, a waiting SQLite write would block the importer too).
    const script = `
      const SQLite = require('better-sqlite3');
      const db = new SQLite(process.argv[1]);
      db.pragma('busy_timeout = 5000');
      let writes = 0, failed = 0;
      const insert = db.prepare('INSERT INTO installation (key, value) VALUES (?, ?)');
      const timer = setInterval(() => {
        try { insert.run('probe-' + writes, new Date().toISOString()); writes++; } catch { failed++; }
      }, 20);
      process.stdin.on('end', () => { clearInterval(timer); db.close(); process.stdout.write(JSON.stringify({ writes, failed })); });
      process.stdin.resume();`;
    const writer = spawn(process.execPath, ['-e', script, sqliteFileFor(dir)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    writer.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const writerDone = new Promise<void>((resolve) => writer.on('exit', () => resolve()));
    const server = openDatabase({ dataDir: dir }); // reads the result afterwards
    try {
      const progress: ImportProgress[] = [];
      const running = importRegister(importer, {
        file,
        importedBy: 'test',
        onProgress: (p) => progress.push(p),
      });
      const result = await running;
      writer.stdin.end();
      await writerDone;
      const { writes, failed } = JSON.parse(out) as { writes: number; failed: number };
      expect(result.rows).toBe(70_000);
      expect(writes).toBeGreaterThan(1);
      expect(failed).toBe(0);
      expect(progress.map((p) => p.phase)).toContain('indizieren');
      expect(progress.at(-1)?.phase).toBe('aktivieren');
      expect(
        progress.some((p) => p.phase === 'laden' && p.bytesRead > 0 && p.bytesRead <= p.totalBytes),
      ).toBe(true);
      expect((await activeSnapshot(server.db))?.rowCount).toBe(70_000);
    } finally {
      writer.kill();
      await importer.close();
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describeEachDialect('register import: reader thread and checks', (dialect) => {
  let db: Awaited<ReturnType<typeof openTestDatabase>>;
  let dir: string;
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nb-imp2-'));
  });
  afterAll(async () => {
    await db.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const tableRows = async (table: string) =>
    (
      await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)} ORDER BY person_id`.execute(
        db.handle.db,
      )
    ).rows;

  it('loads the same rows and reports the same problems whether a worker thread parses or not', async () => {
    // Several read chunks (256 KB each), with the odd rows spread over them: a quoted field with a
    // semicolon, a refused record over two lines, a refused row, and a duplicate id far from its
    // first row.
    const file = path.join(dir, 'mixed.csv');
    writeSyntheticExport(file, { count: 6000, seed: 5 });
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    const row = (id: string, name: string) =>
      `${id};${name};;Anna;;1980-01-02;Siegen;w;DEU;Hauptstraße;1;57072;Siegen;05970040;;;;`;
    lines.splice(2500, 0, row('Q1', '"Müller; Lüdenscheidt"'));
    lines.splice(3000, 0, row('Q3', '"Zwei\nZeilen"'));
    lines.splice(4000, 0, row('Q2', 'Schmidt').replace('1980-01-02', '1980-02-30'));
    lines.push(row('Q1', 'Doppelt'));
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    expect(fs.statSync(file).size).toBeGreaterThan(3 * 256 * 1024);

    const inWorker = await importRegister(db.handle, { file, importedBy: 'test' });
    const rowsWorker = await tableRows(`register_person_${inWorker.tableNo}`);
    const inThread = await importRegister(db.handle, { file, importedBy: 'test', inThread: true });
    const rowsThread = await tableRows(`register_person_${inThread.tableNo}`);

    expect(inWorker.rows).toBe(6001);
    expect(inWorker.problems).toEqual([
      { line: 3001, message: 'familienname: enthält Steuerzeichen' },
      { line: 4002, message: 'geburtsdatum: „1980-02-30" ist kein Datum (JJJJ-MM-TT)' },
      {
        line: lines.length + 1, // the quoted field spans two lines
        message: 'personen_id: kommt mehrfach vor (erste Zeile wurde übernommen)',
      },
    ]);
    expect(rowsWorker).toHaveLength(6001);
    expect(rowsWorker.find((r) => r.person_id === 'Q1')).toMatchObject({
      familienname: 'Müller; Lüdenscheidt',
      namensbestandteil: null,
      hausnummer: '1',
      fam_fold: 'muller',
      fam_fold2: 'ludenscheidt',
    });
    expect({ ...inThread, snapshotId: '', tableNo: 0, seconds: 0 }).toEqual({
      ...inWorker,
      snapshotId: '',
      tableNo: 0,
      seconds: 0,
    });
    expect(rowsThread).toEqual(rowsWorker);
  }, 60_000);

  it('keeps the previous snapshot when the worker finds broken UTF-8 late in the file', async () => {
    const before = await activeSnapshot(db.handle.db);
    const file = path.join(dir, 'broken.csv');
    writeSyntheticExport(file, { count: 5000, seed: 6 });
    // Invalid UTF-8 (a lone continuation byte) after the first chunks, in a name.
    const bytes = fs.readFileSync(file);
    const at = bytes.indexOf(0x0a, 600_000) + 11;
    bytes[at] = 0x9f;
    fs.writeFileSync(file, bytes);
    await expect(importRegister(db.handle, { file, importedBy: 'test' })).rejects.toThrow(
      /nicht durchgehend UTF-8-kodiert/,
    );
    expect((await activeSnapshot(db.handle.db))?.id).toBe(before?.id);
    const failed = await db.handle.db
      .selectFrom('register_snapshot')
      .select(['status', 'table_no'])
      .orderBy('table_no', 'desc')
      .executeTakeFirstOrThrow();
    expect(failed.status).toBe('failed');
    // The half-loaded table is gone.
    await expect(tableRows(`register_person_${failed.table_no}`)).rejects.toThrow();
  }, 60_000);

  it('refuses values that only looked valid to a loose check', async () => {
    const file = path.join(dir, 'loose.csv');
    writeRegisterCsv(file, [
      { personen_id: 'P1', geschlecht: 'constructor' },
      { personen_id: 'P2', staatsangehoerigkeit: 'DEU,' },
      { personen_id: 'P3', eltern_ids: 'P1,,P2' },
      { personen_id: 'P4', plz: '５７０７２' },
      { personen_id: 'P5', staatsangehoerigkeit: 'DEU,POL', eltern_ids: 'P1,P2', geschlecht: 'W' },
    ]);
    const r = await importRegister(db.handle, { file, importedBy: 'test' });
    expect(r.problems).toEqual([
      { line: 2, message: 'geschlecht: erlaubt sind m, w, d, x' },
      {
        line: 3,
        message: 'staatsangehoerigkeit: Staatencodes mit drei Großbuchstaben (z. B. DEU), mehrere mit Komma',
      },
      { line: 4, message: 'eltern_ids: Personen-IDs mit Komma getrennt erwartet' },
      { line: 5, message: 'plz: fünf Ziffern erwartet' },
    ]);
    expect(await tableRows(`register_person_${r.tableNo}`)).toMatchObject([
      { person_id: 'P5', geschlecht: 'w', staatsangehoerigkeit: 'DEU,POL', eltern_ids: 'P1,P2' },
    ]);
  });
});
