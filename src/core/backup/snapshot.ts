import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { APP_ROLE } from '../../db/migrations/2026-11-26T1800-security.js';
import { headsFingerprint } from '../audit/log.js';
import { BackupError } from './format.js';

/**
 * Consistent snapshots of a live database, and loading a snapshot into an empty target.
 *
 * SQLite: `VACUUM INTO` runs inside one read transaction, so in WAL mode writers continue while the
 * copy is made and the copy is exactly the database at one instant. It runs in a worker thread so the
 * main thread can draw progress from the growing file.
 * PostgreSQL: a REPEATABLE READ transaction exports its snapshot, row counts are taken in it and
 * `pg_dump --snapshot` dumps exactly that state while writes continue.
 */

const MIGRATION_TABLE = 'kysely_migration';

export interface SnapshotInfo {
  counts: Record<string, number>;
  migrations: string[];
  /** Last row of the audit chain in the snapshot (absent when the schema has no audit log). */
  audit?: { entries: number; head: string | null } | undefined;
}

const AUDIT_TABLE = 'audit_log';
/** The head (last row) of every audit chain (src/core/audit/log.ts). */
const AUDIT_HEADS = `SELECT chain, seq, hash FROM ${AUDIT_TABLE} a WHERE seq = (SELECT max(seq) FROM ${AUDIT_TABLE} b WHERE b.chain = a.chain)`;

/** Entries (the chains are gap-free: the sum of their last seqs) and the heads' fingerprint. */
function auditSummary(
  heads: Array<{ chain: string; seq: number | string; hash: string }>,
): SnapshotInfo['audit'] {
  const parsed = heads.map((h) => ({ chain: h.chain, seq: Number(h.seq), hash: h.hash }));
  return { entries: parsed.reduce((n, h) => n + h.seq, 0), head: headsFingerprint(parsed) };
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Row counts of all user tables and the applied migrations of an SQLite file. */
export function inspectSqlite(file: string): SnapshotInfo & { integrity: string } {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const tables = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all() as Array<{ name: string }>;
    const counts: Record<string, number> = {};
    for (const { name } of tables) {
      const row = db.prepare(`SELECT count(*) AS n FROM ${quoteIdent(name)}`).get() as { n: number };
      counts[name] = row.n;
    }
    const migrations = tables.some((t) => t.name === MIGRATION_TABLE)
      ? (
          db.prepare(`SELECT name FROM ${MIGRATION_TABLE} ORDER BY name`).all() as Array<{ name: string }>
        ).map((r) => r.name)
      : [];
    const integrity = (db.pragma('integrity_check', { simple: true }) as string) ?? 'unknown';
    let audit: SnapshotInfo['audit'];
    if (AUDIT_TABLE in counts) {
      audit = auditSummary(
        db.prepare(AUDIT_HEADS).all() as Array<{ chain: string; seq: number; hash: string }>,
      );
    }
    return { counts, migrations, integrity, audit };
  } finally {
    db.close();
  }
}

const vacuumWorkerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
try {
  const db = new Database(workerData.source, { fileMustExist: true });
  db.pragma('busy_timeout = 10000');
  db.prepare('VACUUM INTO ?').run(workerData.target);
  db.close();
  parentPort.postMessage({ ok: true });
} catch (err) {
  parentPort.postMessage({ ok: false, message: String(err && err.message || err) });
}
`;

/** Consistent copy of a live SQLite database file into `target` (which must not exist). */
export async function snapshotSqlite(
  source: string,
  target: string,
  onProgress?: (done: number, total: number) => void,
): Promise<SnapshotInfo> {
  if (!fs.existsSync(source)) {
    throw new BackupError(`Keine Datenbank gefunden: ${source}. Bitte DATA_DIR prüfen.`);
  }
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const total = fs.statSync(source).size;
  const worker = new Worker(vacuumWorkerSource, { eval: true, workerData: { driver, source, target } });
  const timer = setInterval(() => {
    try {
      onProgress?.(Math.min(fs.statSync(target).size, total), total);
    } catch {
      // not created yet
    }
  }, 100);
  try {
    const result = await new Promise<{ ok: boolean; message?: string }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    if (!result.ok) throw new BackupError(`Schnappschuss der Datenbank fehlgeschlagen: ${result.message}`);
  } finally {
    clearInterval(timer);
    await worker.terminate();
  }
  onProgress?.(total, total);
  const info = inspectSqlite(target);
  if (info.integrity !== 'ok') {
    throw new BackupError(`Der Schnappschuss ist nicht in Ordnung (integrity_check: ${info.integrity}).`);
  }
  return { counts: info.counts, migrations: info.migrations, audit: info.audit };
}

/** Connection settings for pg tools: the password goes into the environment, not the command line. */
function pgToolArgs(databaseUrl: string): { url: string; env: NodeJS.ProcessEnv } {
  const url = new URL(databaseUrl);
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (url.password) {
    env.PGPASSWORD = decodeURIComponent(url.password);
    url.password = '';
  }
  return { url: url.toString(), env };
}

function requireTool(tool: 'pg_dump' | 'pg_restore'): void {
  const r = spawnSync(tool, ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new BackupError(
      `${tool} wurde nicht gefunden. Für Sicherungen einer PostgreSQL-Datenbank muss ${tool} installiert sein ` +
        '(Debian/Ubuntu: apt-get install postgresql-client, mindestens in der Version des Servers).',
    );
  }
}

function runTool(tool: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 4000) stderr += d.toString('utf8');
    });
    child.on('error', (err) =>
      reject(new BackupError(`${tool} konnte nicht gestartet werden: ${err.message}`)),
    );
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new BackupError(`${tool} ist mit Fehler ${code} beendet worden:\n${stderr.trim()}`));
    });
  });
}

async function pgCounts(client: pg.ClientBase): Promise<SnapshotInfo> {
  const tables = await client.query<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables.rows) {
    const r = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${quoteIdent(name)}`);
    counts[name] = Number(r.rows[0]?.n ?? 0);
  }
  const migrations = tables.rows.some((t) => t.name === MIGRATION_TABLE)
    ? (await client.query<{ name: string }>(`SELECT name FROM ${MIGRATION_TABLE} ORDER BY name`)).rows.map(
        (r) => r.name,
      )
    : [];
  let audit: SnapshotInfo['audit'];
  if (AUDIT_TABLE in counts) {
    audit = auditSummary(
      (await client.query<{ chain: string; seq: string; hash: string }>(AUDIT_HEADS)).rows,
    );
  }
  return { counts, migrations, audit };
}

/** Consistent pg_dump (custom format) of a live PostgreSQL database into `target`. */
export async function snapshotPostgres(
  databaseUrl: string,
  target: string,
  onProgress?: (done: number, total: number) => void,
): Promise<SnapshotInfo> {
  requireTool('pg_dump');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const snap = await client.query<{ id: string }>('SELECT pg_export_snapshot() AS id');
    const info = await pgCounts(client);
    const size = await client.query<{ n: string }>('SELECT pg_database_size(current_database()) AS n');
    const total = Number(size.rows[0]?.n ?? 0);
    const { url, env } = pgToolArgs(databaseUrl);
    const timer = setInterval(() => {
      try {
        onProgress?.(Math.min(fs.statSync(target).size, total), total);
      } catch {
        // not created yet
      }
    }, 100);
    try {
      await runTool(
        'pg_dump',
        [
          '--format=custom',
          `--snapshot=${snap.rows[0]?.id}`,
          '--no-owner',
          `--file=${target}`,
          `--dbname=${url}`,
        ],
        env,
      );
    } finally {
      clearInterval(timer);
    }
    onProgress?.(total, total);
    await client.query('COMMIT');
    return info;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Refuses a PostgreSQL database that already holds tables. */
export async function assertPostgresEmpty(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const r = await client.query<{ n: string }>(
      "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')",
    );
    const n = Number(r.rows[0]?.n ?? 0);
    if (n > 0) {
      throw new BackupError(
        `Die Zieldatenbank ist nicht leer (${n} Tabellen). Wiederhergestellt wird nur in eine leere Datenbank; ` +
          'bitte eine neue Datenbank anlegen (CREATE DATABASE …) und DATABASE_URL darauf zeigen lassen.',
      );
    }
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Loads a pg_dump custom-format file into an empty PostgreSQL database, all or nothing. Objects
 * belong to the restoring user (--no-owner); the grants are restored, so the application role
 * keeps exactly its rights (no UPDATE/DELETE on audit_log and case_action). The application role
 * is created first if the cluster does not have it yet, as the migration does.
 */
export async function restorePostgres(databaseUrl: string, dumpFile: string): Promise<SnapshotInfo> {
  requireTool('pg_restore');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const role = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [APP_ROLE]);
    if (!role.rowCount) {
      try {
        await client.query(`CREATE ROLE ${APP_ROLE} NOLOGIN`);
      } catch (err) {
        throw new BackupError(
          `Die Rolle ${APP_ROLE} fehlt und konnte nicht angelegt werden (${(err as Error).message}). ` +
            `Bitte als Administrator anlegen: CREATE ROLE ${APP_ROLE} NOLOGIN; dann erneut wiederherstellen.`,
        );
      }
    }
    const { url, env } = pgToolArgs(databaseUrl);
    try {
      await runTool(
        'pg_restore',
        ['--no-owner', '--exit-on-error', '--single-transaction', `--dbname=${url}`, dumpFile],
        env,
      );
    } catch (err) {
      const missingRole = /role "([^"]+)" does not exist/.exec((err as Error).message)?.[1];
      if (missingRole) {
        throw new BackupError(
          `${(err as Error).message}\nDie Rolle „${missingRole}" der Sicherung fehlt in diesem PostgreSQL-Server. ` +
            `Bitte anlegen (CREATE ROLE ${missingRole} NOLOGIN;) oder als diese Rolle wiederherstellen; es wurde nichts geladen.`,
        );
      }
      throw err;
    }
    return await pgCounts(client);
  } finally {
    await client.end().catch(() => {});
  }
}
