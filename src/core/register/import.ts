import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../server/db/database.js';
import { newId } from '../ids.js';
import {
  CsvSplitter,
  parseRow,
  REGISTER_COLUMNS,
  type RegisterColumn,
  type RegisterPerson,
  type RowProblem,
  searchKeysOf,
} from './format.js';
import { personTable } from './snapshot.js';

/**
 * Loads a resident register export (docs/REGISTER.md) as a new snapshot: the rows go into a fresh
 * table register_person_<n> that no search reads yet; indexes are built after the load; then one
 * transaction switches the active-snapshot pointer. Searches see either the old snapshot or the
 * new one, never half of one. Bad rows are reported with line numbers and reasons; good rows load.
 */

export type RegisterEncoding = 'utf-8' | 'iso-8859-1';

export interface ImportProgress {
  bytesRead: number;
  totalBytes: number;
  rows: number;
  errors: number;
  phase: 'laden' | 'indizieren' | 'aktivieren';
}

export interface ImportOptions {
  file: string;
  /** Forced encoding; absent: detected (UTF-8 when the start of the file is valid UTF-8). */
  encoding?: RegisterEncoding;
  importedBy: string;
  now?: () => Date;
  onProgress?: (p: ImportProgress) => void;
  /** How many row problems are kept in the result (all are counted). Default 10 000. */
  keepProblems?: number;
}

export interface ImportResult {
  snapshotId: string;
  tableNo: number;
  rows: number;
  errorCount: number;
  problems: RowProblem[];
  encoding: RegisterEncoding;
  sha256: string;
  seconds: number;
}

export class RegisterImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegisterImportError';
  }
}

const CHUNK = 4 * 1024 * 1024;

/** Detects the encoding from the first bytes: a UTF-8 BOM or valid UTF-8 means UTF-8, else ISO-8859-1. */
export function detectEncoding(head: Buffer): RegisterEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  // Cut at the last line break so that a multi-byte character split by the sample does not count.
  const lastNl = head.lastIndexOf(0x0a);
  const sample = lastNl > 0 ? head.subarray(0, lastNl) : head;
  return isUtf8(sample) ? 'utf-8' : 'iso-8859-1';
}

const DATA_COLUMNS = [
  'person_id',
  'familienname',
  'namensbestandteil',
  'vornamen',
  'geburtsname',
  'geburtsdatum',
  'geburtsort',
  'geschlecht',
  'staatsangehoerigkeit',
  'strasse',
  'hausnummer',
  'plz',
  'ort',
  'ags',
  'haushalt_id',
  'ehegatte_id',
  'eltern_ids',
  'einzugsdatum',
  'fam_fold',
  'fam_phon',
  'fam_fold2',
  'fam_phon2',
  'vorname_fold',
  'strasse_fold',
] as const;

function rowValues(p: RegisterPerson): Array<string | null> {
  const k = searchKeysOf(p);
  return [
    p.personenId,
    p.familienname,
    p.namensbestandteil,
    p.vornamen,
    p.geburtsname,
    p.geburtsdatum,
    p.geburtsort,
    p.geschlecht,
    p.staatsangehoerigkeit,
    p.strasse,
    p.hausnummer,
    p.plz,
    p.ort,
    p.ags,
    p.haushaltId,
    p.ehegatteId,
    p.elternIds,
    p.einzugsdatum,
    k.famFold,
    k.famPhon,
    k.famFold2,
    k.famPhon2,
    k.vornameFold,
    k.strasseFold,
  ];
}

function createTableSql(table: string, postgres: boolean): string {
  // Search keys compare bytewise on PostgreSQL too (COLLATE "C"), so prefix ranges use the index.
  const key = postgres ? 'text COLLATE "C"' : 'text';
  const cols = DATA_COLUMNS.map((c) => {
    const type = ['fam_fold', 'fam_phon', 'fam_fold2', 'fam_phon2', 'vorname_fold', 'strasse_fold'].includes(
      c,
    )
      ? key
      : 'text';
    const notNull = [
      'person_id',
      'familienname',
      'vornamen',
      'geburtsdatum',
      'geschlecht',
      'ags',
      'fam_fold',
      'fam_phon',
    ].includes(c);
    return `${c} ${type}${notNull ? ' NOT NULL' : ''}`;
  });
  return `CREATE TABLE ${table} (${cols.join(', ')})`;
}

function indexSql(table: string): string[] {
  return [
    `CREATE UNIQUE INDEX ${table}_id_uq ON ${table} (person_id)`,
    // Name indexes cover the first search phase (no table reads): key, fam_fold, vorname_fold, person_id.
    `CREATE INDEX ${table}_name_idx ON ${table} (ags, fam_fold, vorname_fold, person_id)`,
    `CREATE INDEX ${table}_phon_idx ON ${table} (ags, fam_phon, fam_fold, vorname_fold, person_id)`,
    `CREATE INDEX ${table}_name2_idx ON ${table} (ags, fam_fold2, fam_fold, vorname_fold, person_id) WHERE fam_fold2 IS NOT NULL`,
    `CREATE INDEX ${table}_phon2_idx ON ${table} (ags, fam_phon2, fam_fold, vorname_fold, person_id) WHERE fam_phon2 IS NOT NULL`,
    `CREATE INDEX ${table}_birth_idx ON ${table} (ags, geburtsdatum)`,
    `CREATE INDEX ${table}_street_idx ON ${table} (ags, strasse_fold, hausnummer)`,
    // Household members share the address: the street index finds them (no index of its own).
  ];
}

interface Sink {
  add(values: Array<string | null>): Promise<void> | void;
  checkpoint?(): Promise<void>;
  finish(): Promise<void>;
  abort(): Promise<void>;
}

function sqliteSink(handle: DatabaseHandle, table: string): Sink {
  const db = handle.sqlite;
  if (!db) throw new Error('SQLite connection missing');
  db.exec(createTableSql(table, false));
  const placeholders = `(${DATA_COLUMNS.map(() => '?').join(',')})`;
  const ROWS = 64;
  const multi = db.prepare(
    `INSERT INTO ${table} (${DATA_COLUMNS.join(',')}) VALUES ${Array(ROWS).fill(placeholders).join(',')}`,
  );
  const single = db.prepare(`INSERT INTO ${table} (${DATA_COLUMNS.join(',')}) VALUES ${placeholders}`);
  let pending: Array<string | null> = [];
  let pendingRows = 0;
  // A big cache and in-memory temp storage make the index builds sort in memory. The load itself
  // need not be durable (nothing reads the new table until the switch): synchronous=NORMAL while
  // loading; the switch commits with the configured setting, which syncs the whole WAL.
  const oldCache = db.pragma('cache_size', { simple: true });
  const oldSync = db.pragma('synchronous', { simple: true });
  const oldTemp = db.pragma('temp_store', { simple: true });
  db.pragma('cache_size = -262144');
  db.pragma('temp_store = MEMORY');
  db.pragma('synchronous = NORMAL');
  // Let SQLite sort for CREATE INDEX with a helper thread (no effect where threads are disabled).
  const oldThreads = db.pragma('threads', { simple: true });
  db.pragma('threads = 2');
  const restore = () => {
    db.pragma(`cache_size = ${Number(oldCache)}`);
    db.pragma(`temp_store = ${Number(oldTemp)}`);
    db.pragma(`synchronous = ${Number(oldSync)}`);
    db.pragma(`threads = ${Number(oldThreads)}`);
  };
  db.exec('BEGIN');
  let open = true;
  return {
    add(values) {
      for (const v of values) pending.push(v);
      pendingRows++;
      if (pendingRows === ROWS) {
        multi.run(pending);
        pending = [];
        pendingRows = 0;
      }
    },
    // Between file chunks: commit what is loaded and pause briefly, so that a server working on
    // the same database file can write meanwhile (it waits up to its busy timeout, 5 s). The new
    // table is invisible to searches until the switch, so partial commits are harmless.
    async checkpoint() {
      db.exec('COMMIT');
      open = false;
      await new Promise((r) => setTimeout(r, 5));
      db.exec('BEGIN');
      open = true;
    },
    async finish() {
      for (let i = 0; i < pendingRows; i++) {
        single.run(pending.slice(i * DATA_COLUMNS.length, (i + 1) * DATA_COLUMNS.length));
      }
      pending = [];
      pendingRows = 0;
      db.exec('COMMIT');
      open = false;
      // One index per transaction, with a pause between them (see checkpoint).
      for (const s of indexSql(table)) {
        db.exec(s);
        await new Promise((r) => setTimeout(r, 5));
      }
      // Sampled statistics are enough for the planner and take milliseconds instead of a full scan.
      db.pragma('analysis_limit = 1000');
      db.exec(`ANALYZE ${table}`);
      restore();
    },
    async abort() {
      if (open) db.exec('ROLLBACK');
      open = false;
      restore();
      db.exec(`DROP TABLE IF EXISTS ${table}`);
    },
  };
}

function postgresSink(handle: DatabaseHandle, table: string): Sink & { ready: Promise<void> } {
  const ROWS = 500;
  let batch: Array<Array<string | null>> = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    await sql`INSERT INTO ${sql.table(table)} (${sql.join(DATA_COLUMNS.map((c) => sql.ref(c)))}) VALUES ${sql.join(
      rows.map((r) => sql`(${sql.join(r)})`),
    )}`.execute(handle.db);
  };
  return {
    ready: sql
      .raw(createTableSql(table, true))
      .execute(handle.db)
      .then(() => undefined),
    async add(values) {
      batch.push(values);
      if (batch.length >= ROWS) await flush();
    },
    async finish() {
      await flush();
      for (const s of indexSql(table)) await sql.raw(s).execute(handle.db);
      await sql.raw(`ANALYZE ${table}`).execute(handle.db);
    },
    async abort() {
      await sql.raw(`DROP TABLE IF EXISTS ${table}`).execute(handle.db);
    },
  };
}

export async function importRegister(handle: DatabaseHandle, opts: ImportOptions): Promise<ImportResult> {
  const started = performance.now();
  const now = opts.now ?? (() => new Date());
  const keep = opts.keepProblems ?? 10_000;
  let fd: number;
  try {
    fd = fs.openSync(opts.file, 'r');
  } catch (err) {
    throw new RegisterImportError(`Datei nicht lesbar: ${(err as NodeJS.ErrnoException).code ?? 'Fehler'}`);
  }
  const totalBytes = fs.fstatSync(fd).size;
  const buf = Buffer.allocUnsafe(CHUNK);
  const firstLen = fs.readSync(fd, buf, 0, CHUNK, 0);
  const encoding = opts.encoding ?? detectEncoding(buf.subarray(0, firstLen));

  const db = handle.db;
  const last = await db
    .selectFrom('register_snapshot')
    .select((eb) => eb.fn.max('table_no').as('n'))
    .executeTakeFirst();
  const tableNo = Number(last?.n ?? 0) + 1;
  const snapshotId = newId();
  const table = personTable(tableNo);
  await db
    .insertInto('register_snapshot')
    .values({
      id: snapshotId,
      table_no: tableNo,
      status: 'loading',
      source_name: path.basename(opts.file).slice(0, 200),
      source_sha256: '',
      encoding,
      row_count: 0,
      error_count: 0,
      started_at: now().toISOString(),
      finished_at: null,
      activated_at: null,
      imported_by: opts.importedBy,
    })
    .execute();

  const problems: RowProblem[] = [];
  let errorCount = 0;
  let rows = 0;
  let bytesRead = 0;
  const problem = (line: number, message: string) => {
    errorCount++;
    if (problems.length < keep) problems.push({ line, message });
  };
  const progress = (phase: ImportProgress['phase']) =>
    opts.onProgress?.({ bytesRead, totalBytes, rows, errors: errorCount, phase });

  let sink: Sink | undefined;
  const hash = createHash('sha256');
  try {
    if (handle.dialect === 'sqlite') {
      sink = sqliteSink(handle, table);
    } else {
      const pgSink = postgresSink(handle, table);
      await pgSink.ready;
      sink = pgSink;
    }
    const activeSink = sink;
    let header: Record<RegisterColumn, number> | null = null;
    let needed = REGISTER_COLUMNS.length;
    const seen = new Set<string>();
    const pendingAsync: Array<Promise<void>> = [];
    let fieldsRef: string[] = [];
    // A plain object lookup per field: this runs 18 times per row.
    let pos = {} as Record<RegisterColumn, number>;
    const get = (col: RegisterColumn) => fieldsRef[pos[col]] ?? '';
    const splitter = new CsvSplitter((fields, line) => {
      if (header === null) {
        const names = fields.map((f, i) => (i === 0 ? f.replace(/^\uFEFF/, '') : f).trim().toLowerCase());
        const missing = REGISTER_COLUMNS.filter((c) => !names.includes(c));
        if (missing.length > 0) {
          throw new RegisterImportError(
            `Kopfzeile: Spalten fehlen: ${missing.join(', ')}. Erwartet wird das Format aus docs/REGISTER.md (Trennzeichen Semikolon).`,
          );
        }
        header = Object.fromEntries(REGISTER_COLUMNS.map((c) => [c, names.indexOf(c)])) as Record<
          RegisterColumn,
          number
        >;
        pos = header;
        needed = Math.max(...Object.values(header)) + 1;
        return;
      }
      if (fields.length < needed) {
        problem(line, `${fields.length} statt ${needed} Felder (Trennzeichen Semikolon?)`);
        return;
      }
      fieldsRef = fields;
      const parsed = parseRow(get);
      if (!parsed.ok) {
        problem(line, parsed.message);
        return;
      }
      if (seen.has(parsed.person.personenId)) {
        problem(line, 'personen_id: kommt mehrfach vor (erste Zeile wurde übernommen)');
        return;
      }
      seen.add(parsed.person.personenId);
      rows++;
      const r = activeSink.add(rowValues(parsed.person));
      if (r) pendingAsync.push(r);
    });

    let len = firstLen;
    let position = 0;
    let lastProgress = 0;
    const decoder = encoding === 'utf-8' ? new TextDecoder('utf-8', { fatal: true }) : null;
    while (len > 0) {
      const bytes = buf.subarray(0, len);
      hash.update(bytes);
      let text: string;
      try {
        text = decoder ? decoder.decode(bytes, { stream: true }) : bytes.toString('latin1');
      } catch {
        throw new RegisterImportError(
          'Die Datei ist nicht durchgehend UTF-8-kodiert. Bitte mit --encoding iso-8859-1 erneut importieren.',
        );
      }
      splitter.push(text);
      while (pendingAsync.length > 0) await pendingAsync.shift();
      await sink.checkpoint?.();
      position += len;
      bytesRead = position;
      const t = performance.now();
      if (t - lastProgress > 200) {
        progress('laden');
        lastProgress = t;
      }
      len = fs.readSync(fd, buf, 0, CHUNK, position);
    }
    if (decoder) splitter.push(decoder.decode());
    splitter.end();
    while (pendingAsync.length > 0) await pendingAsync.shift();
    if (header === null) throw new RegisterImportError('Die Datei ist leer (keine Kopfzeile).');
    progress('indizieren');
    await sink.finish();
    progress('aktivieren');
  } catch (err) {
    await sink?.abort().catch(() => {});
    await db
      .updateTable('register_snapshot')
      .set({ status: 'failed', finished_at: now().toISOString() })
      .where('id', '=', snapshotId)
      .execute();
    throw err;
  } finally {
    fs.closeSync(fd);
  }

  const sha256 = hash.digest('hex');
  const finished = now().toISOString();
  if (rows === 0) {
    await sql.raw(`DROP TABLE IF EXISTS ${table}`).execute(db);
    await db
      .updateTable('register_snapshot')
      .set({ status: 'failed', finished_at: finished, error_count: errorCount, source_sha256: sha256 })
      .where('id', '=', snapshotId)
      .execute();
    throw new RegisterImportError(
      `Keine gültige Zeile gefunden (${errorCount} fehlerhafte Zeilen). Der bisherige Stand bleibt aktiv.`,
    );
  }

  // The switch: one transaction; searches see the old snapshot or the new one.
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('register_snapshot')
      .set({ status: 'superseded' })
      .where('status', '=', 'active')
      .execute();
    await trx
      .updateTable('register_snapshot')
      .set({
        status: 'active',
        row_count: rows,
        error_count: errorCount,
        source_sha256: sha256,
        finished_at: finished,
        activated_at: finished,
      })
      .where('id', '=', snapshotId)
      .execute();
    await trx
      .insertInto('register_active')
      .values({ id: 'active', snapshot_id: snapshotId, table_no: tableNo, switched_at: finished })
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({ snapshot_id: snapshotId, table_no: tableNo, switched_at: finished }),
      )
      .execute();
  });

  // Keep the previous snapshot (a search that began before the switch may still read it, and
  // it allows a look back); drop older ones.
  const superseded = await db
    .selectFrom('register_snapshot')
    .select(['id', 'table_no'])
    .where('status', '=', 'superseded')
    .orderBy('table_no', 'desc')
    .execute();
  for (const old of superseded.slice(1)) {
    await sql.raw(`DROP TABLE IF EXISTS ${personTable(old.table_no)}`).execute(db);
    await db.updateTable('register_snapshot').set({ status: 'dropped' }).where('id', '=', old.id).execute();
  }

  return {
    snapshotId,
    tableNo,
    rows,
    errorCount,
    problems,
    encoding,
    sha256,
    seconds: (performance.now() - started) / 1000,
  };
}
