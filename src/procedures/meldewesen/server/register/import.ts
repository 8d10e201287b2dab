import fs from 'node:fs';
import path from 'node:path';
import type { Statement } from 'better-sqlite3';
import { sql } from 'kysely';
import { newId } from '../../../../core/ids.js';
import type { DatabaseHandle } from '../../../../db/database.js';
import type { RowProblem } from './format.js';
import {
  BATCH_ROWS,
  CHUNK_BYTES,
  chunkBatches,
  DATA_COLUMNS,
  detectEncoding,
  type ParseSummary,
  type RegisterEncoding,
  RegisterImportError,
} from './parse-export.js';
import { type ChunkSource, inThreadSource, workerSource } from './parse-source.js';
import { personTable } from './snapshot.js';

export { detectEncoding, type RegisterEncoding, RegisterImportError };

/**
 * Loads a resident register export (docs/REGISTER.md) as a new snapshot: the rows go into a fresh
 * table register_person_<n> that no search reads yet; indexes are built after the load; then one
 * transaction switches the active-snapshot pointer. Searches see either the old snapshot or the
 * new one, never half of one. Bad rows are reported with line numbers and reasons; good rows load.
 *
 * A worker thread reads, checks and prepares the rows (parse-export.ts) while this thread writes
 * them, so that reading and writing run on two cores.
 */

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
  /** Parse in this thread instead of a worker thread (same result, one core). */
  inThread?: boolean;
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
  /** Writes batches of rows (values in DATA_COLUMNS order, see ParsedChunk). */
  add(batches: Array<Array<string | null>>): Promise<void> | void;
  /** Commits what is written so far (SQLite: the write lock is free until the next add). */
  commit?(): void;
  /** Commits and pauses briefly, so that other writers get their turn. */
  checkpoint?(): Promise<void>;
  finish(): Promise<void>;
  abort(): Promise<void>;
}

const COLS = DATA_COLUMNS.length;
/** Commit (and let other writers in) after about this much of the file. */
const CHECKPOINT_BYTES = 4 * 1024 * 1024;

function sqliteSink(handle: DatabaseHandle, table: string): Sink {
  const db = handle.sqlite;
  if (!db) throw new Error('SQLite connection missing');
  db.exec(createTableSql(table, false));
  const placeholders = `(${DATA_COLUMNS.map(() => '?').join(',')})`;
  // One multi-row INSERT per batch; statements for shorter (last) batches are prepared on demand.
  const inserts = new Map<number, Statement>();
  const insert = (rows: number) => {
    let st = inserts.get(rows);
    if (!st) {
      st = db.prepare(
        `INSERT INTO ${table} (${DATA_COLUMNS.join(',')}) VALUES ${Array(rows).fill(placeholders).join(',')}`,
      );
      inserts.set(rows, st);
    }
    return st;
  };
  const full = insert(BATCH_ROWS);
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
  let open = false;
  const commit = () => {
    if (open) db.exec('COMMIT');
    open = false;
  };
  return {
    add(batches) {
      if (!open) db.exec('BEGIN');
      open = true;
      // Spread arguments bind about a fifth faster than one array argument in better-sqlite3.
      for (const b of batches) {
        if (b.length === BATCH_ROWS * COLS) full.run(...b);
        else insert(b.length / COLS).run(...b);
      }
    },
    // Every few MB of the file, and whenever the reader has nothing ready: commit what is loaded
    // (and pause briefly), so that a server working on the same database file can write meanwhile
    // (it waits up to its busy timeout, 5 s). The new table is invisible to searches until the
    // switch, so partial commits are harmless.
    commit,
    async checkpoint() {
      commit();
      await new Promise((r) => setTimeout(r, 5));
    },
    async finish() {
      commit();
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
  // One INSERT … SELECT FROM unnest(<one array per column>) per chunk: 24 parameters for
  // thousands of rows, instead of a VALUES list with a parameter per value.
  const cols = sql.join(DATA_COLUMNS.map((c) => sql.ref(c)));
  return {
    ready: sql
      .raw(createTableSql(table, true))
      .execute(handle.db)
      .then(() => undefined),
    async add(batches) {
      const rows = batches.reduce((n, b) => n + b.length / COLS, 0);
      if (rows === 0) return;
      const arrays = DATA_COLUMNS.map((_, c) => {
        const a: Array<string | null> = new Array(rows);
        let r = 0;
        for (const b of batches) for (let i = c; i < b.length; i += COLS) a[r++] = b[i] as string | null;
        return sql`${a}::text[]`;
      });
      await sql`INSERT INTO ${sql.table(table)} (${cols}) SELECT * FROM unnest(${sql.join(arrays)})`.execute(
        handle.db,
      );
    },
    async finish() {
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
  const keepProblems = opts.keepProblems ?? 10_000;
  let fd: number;
  try {
    fd = fs.openSync(opts.file, 'r');
  } catch (err) {
    throw new RegisterImportError(`Datei nicht lesbar: ${(err as NodeJS.ErrnoException).code ?? 'Fehler'}`);
  }
  let totalBytes: number;
  let encoding: RegisterEncoding;
  try {
    totalBytes = fs.fstatSync(fd).size;
    const head = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, totalBytes));
    const headLen = fs.readSync(fd, head, 0, head.length, 0);
    encoding = opts.encoding ?? detectEncoding(head.subarray(0, headLen));
  } finally {
    fs.closeSync(fd);
  }

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

  let rows = 0;
  let errors = 0;
  let bytesRead = 0;
  const progress = (phase: ImportProgress['phase']) =>
    opts.onProgress?.({ bytesRead, totalBytes, rows, errors, phase });

  let sink: Sink | undefined;
  let source: ChunkSource | undefined;
  let summary: ParseSummary | undefined;
  try {
    if (handle.dialect === 'sqlite') {
      sink = sqliteSink(handle, table);
    } else {
      const pgSink = postgresSink(handle, table);
      await pgSink.ready;
      sink = pgSink;
    }
    const sourceOpts = { file: opts.file, encoding, keepProblems };
    source = opts.inThread ? inThreadSource(sourceOpts) : workerSource(sourceOpts);
    let lastProgress = 0;
    let lastCheckpoint = 0;
    while (summary === undefined) {
      // Never hold the write lock while waiting for the reader.
      if (!source.ready()) sink.commit?.();
      const next = await source.next();
      if ('summary' in next) {
        summary = next.summary;
        break;
      }
      const { chunk } = next;
      if (chunk.rows > 0) await sink.add(chunkBatches(chunk));
      source.release();
      rows += chunk.rows;
      errors = chunk.errors;
      bytesRead = chunk.bytesRead;
      if (bytesRead - lastCheckpoint >= CHECKPOINT_BYTES) {
        await sink.checkpoint?.();
        lastCheckpoint = bytesRead;
      }
      const t = performance.now();
      if (t - lastProgress > 200) {
        progress('laden');
        lastProgress = t;
      }
    }
    await source.close();
    source = undefined;
    rows = summary.rows;
    errors = summary.errorCount;
    progress('indizieren');
    await sink.finish();
    progress('aktivieren');
  } catch (err) {
    await source?.close().catch(() => {});
    await sink?.abort().catch(() => {});
    await db
      .updateTable('register_snapshot')
      .set({ status: 'failed', finished_at: now().toISOString() })
      .where('id', '=', snapshotId)
      .execute();
    throw err;
  }

  const { sha256, errorCount, problems } = summary;
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
