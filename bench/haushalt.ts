import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { openDatabase } from '../src/db/database.js';
import { grosserHaushalt } from '../src/procedures/haushalt/fixtures.js';
import { BETRAG_SPALTEN, type HaushaltsZeile } from '../src/procedures/haushalt/katalog.js';
import { writeBudgetCsv } from '../src/procedures/haushalt/server/csv.js';
import { teilplanSheetName, writeBudgetXlsx } from '../src/procedures/haushalt/server/xlsx.js';
import { gesamtplan } from '../src/procedures/haushalt/totals.js';
import { buildApp } from '../src/server/app.js';
import { prepareDatabase } from './setup.js';

/**
 * Benchmark of the Kämmerei (issue 15, point 6): import and total a budget of N lines (default
 * 5 000) × six amount columns (result, last year, plan year and three planning years), and export
 * it — through the real API (app.inject on an in-process app, SQLite file or PostgreSQL), beside
 * a baseline measured in the same run: exceljs (csv-parse for CSV) reading and writing the same
 * sheets bare, with no checks, no database, no formatting. Medians of BENCH_RUNS runs (default 5,
 * after one warm-up) and the ratio to the baseline.
 *
 *   npm run bench:haushalt
 *   BENCH_HAUSHALT_LINES=20000 BENCH_RUNS=3 BENCH_DATABASE_URL=postgres://… npm run bench:haushalt
 *
 * "import" = POST /api/haushalt/plans/:id/import (base64 upload, read, check every row, write the
 * version in one transaction with its audit entry, compute the totals of the answer);
 * "total" = GET /api/haushalt/plans/:id (read the version's lines, Gesamtergebnis- and
 * Gesamtfinanzplan, Teilpläne); "export" = GET …/export/xlsx (read the lines, write the workbook
 * with summary sheet and formats). No timing is asserted anywhere: the machine is shared.
 */

const LINES = Number(process.env.BENCH_HAUSHALT_LINES ?? 5000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SIEGEN = '05970040';
const JAHR = 2027;
const log = (msg: string) => process.stdout.write(`${msg}\n`);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const r = await fn();
  return [performance.now() - t0, r];
}

/** exceljs reading the workbook and touching every cell: the floor for any import. */
async function bareRead(buf: Buffer): Promise<number> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  let cells = 0;
  wb.eachSheet((ws) =>
    ws.eachRow((row) =>
      row.eachCell(() => {
        cells++;
      }),
    ),
  );
  return cells;
}

/** exceljs writing the same rows, one sheet per Teilplan, values only. */
async function bareWrite(zeilen: HaushaltsZeile[]): Promise<number> {
  const wb = new ExcelJS.Workbook();
  const sheets = new Map<string, ExcelJS.Worksheet>();
  for (const z of zeilen) {
    let ws = sheets.get(z.produktbereich);
    if (!ws) {
      ws = wb.addWorksheet(teilplanSheetName(z.produktbereich));
      sheets.set(z.produktbereich, ws);
    }
    ws.addRow([
      z.produktbereich,
      z.produktgruppe,
      z.produktgruppeName,
      z.produkt,
      z.produktName,
      z.plan,
      z.position,
      ...BETRAG_SPALTEN.map((c) => z[c] / 100),
      z.erlaeuterung ?? '',
    ]);
  }
  return (await wb.xlsx.writeBuffer()).byteLength;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nb-bench-haushalt-'));
  const url = process.env.BENCH_DATABASE_URL;
  const handle = url
    ? openDatabase({ databaseUrl: url })
    : openDatabase({ sqliteFile: path.join(dir, 'nb.sqlite') });
  const user = await prepareDatabase(handle, SIEGEN);
  await handle.db
    .insertInto('user_grant')
    .values({
      user_id: user.userId,
      authority_ags: SIEGEN,
      office_type: 'kaemmerei',
      role: 'sachbearbeitung',
    })
    .execute();
  const app = await buildApp({ config: { logLevel: 'silent' }, database: handle });
  await app.ready();
  const inject = async (method: 'GET' | 'POST', u: string, payload?: object) => {
    const res = await app.inject({
      method,
      url: u,
      headers: { ...user.headers, ...(payload ? { 'idempotency-key': randomUUID() } : {}) },
      ...(payload ? { payload } : {}),
    });
    if (res.statusCode >= 300) throw new Error(`${method} ${u}: ${res.statusCode} ${res.body.slice(0, 300)}`);
    return res;
  };

  const zeilen = grosserHaushalt(LINES);
  const meta = {
    authorityName: 'Siegen',
    authorityAgs: SIEGEN,
    haushaltsjahr: JAHR,
    versionNo: 1,
    statusLabel: 'Entwurf',
    createdAt: new Date(),
  };
  const xlsx = await writeBudgetXlsx(meta, zeilen, gesamtplan(zeilen));
  const csv = writeBudgetCsv(JAHR, zeilen);
  const plan = (
    await inject('POST', '/api/cases', {
      procedureId: 'haushaltsplan',
      authorityAgs: SIEGEN,
      data: { haushaltsjahr: JAHR },
    })
  ).json() as { id: string };
  log(
    `Kämmerei-Benchmark: ${zeilen.length} Zeilen × ${BETRAG_SPALTEN.length} Beträge, XLSX ${(xlsx.length / 1024).toFixed(0)} KiB, CSV ${(csv.length / 1024).toFixed(0)} KiB, ${handle.dialect}, ${RUNS} Läufe (Median nach einem Aufwärmlauf)`,
  );

  let version = 0;
  const m: Record<string, number[]> = {};
  const add = (k: string, v: number) => {
    m[k] = m[k] ?? [];
    (m[k] as number[]).push(v);
  };
  for (let run = 0; run <= RUNS; run++) {
    const [tReadBare, cells] = await timed(() => bareRead(xlsx));
    const [tImport, res] = await timed(() =>
      inject('POST', `/api/haushalt/plans/${plan.id}/import`, {
        format: 'xlsx',
        fileName: 'bench.xlsx',
        content: xlsx.toString('base64'),
        basedOnVersion: version,
      }),
    );
    version++;
    const lineCount = (res.json() as { version: { lineCount: number } }).version.lineCount;
    if (lineCount !== zeilen.length) throw new Error(`imported ${lineCount} of ${zeilen.length} lines`);
    const [tTotal] = await timed(() => inject('GET', `/api/haushalt/plans/${plan.id}`));
    const [tWriteBare] = await timed(() => bareWrite(zeilen));
    const [tExport] = await timed(() =>
      inject('GET', `/api/haushalt/plans/${plan.id}/versions/${version}/export/xlsx`),
    );
    const [tCsvBare] = await timed(async () => parse(csv, { delimiter: ';', bom: true }).length);
    const [tCsvImport] = await timed(() =>
      inject('POST', `/api/haushalt/plans/${plan.id}/import`, {
        format: 'csv',
        fileName: 'bench.csv',
        content: csv,
        basedOnVersion: version,
      }),
    );
    version++;
    if (run === 0) {
      log(`  Aufwärmlauf: ${cells} Zellen gelesen`);
      continue;
    }
    add('readBare', tReadBare);
    add('import', tImport);
    add('total', tTotal);
    add('writeBare', tWriteBare);
    add('export', tExport);
    add('csvBare', tCsvBare);
    add('csvImport', tCsvImport);
  }
  const med = (k: string) => median(m[k] as number[]);
  const row = (label: string, k: string, base?: string) =>
    log(
      `  ${label.padEnd(46)} ${med(k).toFixed(0).padStart(7)} ms${base ? `   ${(med(k) / med(base)).toFixed(2)}× Basis (${med(base).toFixed(0)} ms)` : ''}`,
    );
  row('Basis: exceljs liest die Mappe (alle Zellen)', 'readBare');
  row('Import XLSX über die API (prüfen, speichern)', 'import', 'readBare');
  row('Summen: Gesamtplan über die API', 'total');
  log(
    `  ${'  (Import + Summen zusammen)'.padEnd(46)} ${(med('import') + med('total')).toFixed(0).padStart(7)} ms   ${((med('import') + med('total')) / med('readBare')).toFixed(2)}× Basis`,
  );
  row('Basis: exceljs schreibt dieselben Zeilen', 'writeBare');
  row('Export XLSX über die API (mit Übersicht)', 'export', 'writeBare');
  row('Basis: csv-parse liest die CSV', 'csvBare');
  row('Import CSV über die API', 'csvImport', 'csvBare');
  await app.close();
  await handle.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

await main();
