import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { openDatabase, sqliteFileFor } from '../../db/database.js';
import type { Database } from '../../db/types.js';
import { verifyAuditChain } from '../audit/log.js';
import { rebuildSqliteSearchIndex } from '../cases/list.js';
import type { ProcedureRegistry } from '../procedure-registry.js';
import {
  BackupError,
  type BackupHeader,
  checkPassphrase,
  decryptTo,
  readHeader,
  writeEncrypted,
} from './format.js';
import { type Progress, silentProgress } from './progress.js';
import {
  assertPostgresEmpty,
  inspectSqlite,
  restorePostgres,
  type SnapshotInfo,
  snapshotPostgres,
  snapshotSqlite,
} from './snapshot.js';
import { verifyCases } from './verify.js';

/**
 * `notbetrieb backup` and `notbetrieb restore`. A backup is a consistent snapshot of the live
 * database, encrypted with a passphrase (see format.ts). A restore goes only into an empty target,
 * and the result is checked before it is handed over: integrity, row counts against the header,
 * every case against the replay of its actions, and the audit chain where one exists.
 */

/** Where the database is: an SQLite file in dataDir, or PostgreSQL. */
export type BackupTarget =
  | { dialect: 'sqlite'; dataDir: string }
  | { dialect: 'postgres'; databaseUrl: string };

function appVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'unbekannt';
  } catch {
    return 'unbekannt';
  }
}

export interface BackupOptions {
  source: BackupTarget;
  out: string;
  passphrase: string;
  progress?: Progress;
  now?: () => Date;
  /** scrypt cost; only tests lower it. */
  kdf?: { N: number; r: number; p: number };
}

export async function createBackup(opts: BackupOptions): Promise<BackupHeader> {
  checkPassphrase(opts.passphrase);
  const progress = opts.progress ?? silentProgress;
  const out = path.resolve(opts.out);
  if (fs.existsSync(out)) {
    throw new BackupError(`Die Zieldatei ${out} gibt es schon. Bitte einen neuen Dateinamen angeben.`);
  }
  if (!fs.existsSync(path.dirname(out))) {
    throw new BackupError(`Das Verzeichnis ${path.dirname(out)} gibt es nicht.`);
  }
  // The plaintext snapshot lives only as long as the backup runs, next to the live database
  // (SQLite) or in a private temporary directory (PostgreSQL), and is removed afterwards.
  const tmpDir =
    opts.source.dialect === 'sqlite'
      ? opts.source.dataDir
      : fs.mkdtempSync(path.join(os.tmpdir(), 'notbetrieb-backup-'));
  const snapshotFile = path.join(tmpDir, `.backup-${randomBytes(6).toString('hex')}.tmp`);
  try {
    progress.step('Schnappschuss der Datenbank');
    let info: SnapshotInfo;
    if (opts.source.dialect === 'sqlite') {
      info = await snapshotSqlite(sqliteFileFor(opts.source.dataDir), snapshotFile, (d, t) =>
        progress.update(d, t),
      );
    } else {
      info = await snapshotPostgres(opts.source.databaseUrl, snapshotFile, (d, t) => progress.update(d, t));
    }
    // SQLite: the whole chain of the snapshot is checked now; PostgreSQL: on restore (the live
    // database has moved on since the snapshot).
    if (opts.source.dialect === 'sqlite') {
      await withSnapshotDb(opts.source, snapshotFile, (db) => assertAuditIntact(db, info.counts));
    }
    progress.step('Verschlüsseln (AES-256-GCM)');
    const header = await writeEncrypted({
      plaintextFile: snapshotFile,
      out,
      passphrase: opts.passphrase,
      header: {
        createdAt: (opts.now?.() ?? new Date()).toISOString(),
        appVersion: appVersion(),
        dialect: opts.source.dialect,
        payload: opts.source.dialect === 'sqlite' ? 'sqlite-database' : 'pg_dump-custom',
        counts: info.counts,
        migrations: info.migrations,
        audit: info.audit,
      },
      ...(opts.kdf ? { kdf: opts.kdf } : {}),
      onBytes: (d, t) => progress.update(d, t),
    });
    progress.end();
    return header;
  } finally {
    progress.end();
    fs.rmSync(snapshotFile, { force: true });
    if (opts.source.dialect === 'postgres') fs.rmSync(tmpDir, { recursive: true, force: true });
  }
}

export interface RestoreOptions {
  /** The procedures whose replay the restored cases must match (the server's registry). */
  registry: ProcedureRegistry;
  file: string;
  target: BackupTarget;
  passphrase: string;
  progress?: Progress;
}

export interface RestoreReport {
  header: BackupHeader;
  counts: Record<string, number>;
  cases: number;
  actions: number;
  /** What was found about the audit chain (no audit log in this version: said so). */
  audit: string;
}

function compareCounts(expected: Record<string, number>, actual: Record<string, number>): void {
  const diffs = Object.keys({ ...expected, ...actual })
    .filter((t) => expected[t] !== actual[t])
    .map((t) => `${t}: erwartet ${expected[t] ?? 0}, vorhanden ${actual[t] ?? 0}`);
  if (diffs.length) {
    throw new BackupError(
      `Die Zahl der Datensätze stimmt nicht mit der Sicherung überein:\n  ${diffs.join('\n  ')}`,
    );
  }
}

/**
 * Runs `fn` on a database: the SQLite file read-only (no journal files are created next to it), or
 * the PostgreSQL database.
 */
async function withSnapshotDb<T>(
  target: BackupTarget,
  sqliteFile: string,
  fn: (db: Kysely<Database>) => Promise<T>,
): Promise<T> {
  if (target.dialect === 'sqlite') {
    const db = new Kysely<Database>({
      dialect: new SqliteDialect({
        database: new SQLite(sqliteFile, { readonly: true, fileMustExist: true }),
      }),
    });
    try {
      return await fn(db);
    } finally {
      await db.destroy();
    }
  }
  const handle = openDatabase({ databaseUrl: target.databaseUrl, poolSize: 2 });
  try {
    return await fn(handle.db);
  } finally {
    await handle.close();
  }
}

/** Refuses to back up a database whose audit chain is already broken. */
async function assertAuditIntact(db: Kysely<Database>, counts: Record<string, number>): Promise<void> {
  if (!('audit_log' in counts)) return;
  const v = await verifyAuditChain(db);
  if (!v.ok) {
    throw new BackupError(
      `Das Prüfprotokoll (audit_log) ist ab Eintrag ${v.firstBroken?.seq} nicht intakt (Kette ${v.firstBroken?.chain}): ${v.firstBroken?.reason}. ` +
        'Die Sicherung wurde nicht geschrieben; bitte den Vorfall prüfen.',
    );
  }
}

async function verifyRestored(
  registry: ProcedureRegistry,
  target: BackupTarget,
  header: BackupHeader,
  sqliteFile = '',
) {
  return withSnapshotDb(target, sqliteFile, async (db) => {
    const check = await verifyCases(db, registry);
    if (check.problems.length) {
      throw new BackupError(
        `Die Vorgänge der Sicherung sind nicht in sich stimmig:\n  ${check.problems.slice(0, 20).join('\n  ')}`,
      );
    }
    let audit = 'kein Prüfprotokoll (audit_log) in der Sicherung';
    if ('audit_log' in header.counts) {
      const v = await verifyAuditChain(db);
      if (!v.ok) {
        throw new BackupError(
          `Das Prüfprotokoll (audit_log) der Sicherung ist ab Eintrag ${v.firstBroken?.seq} nicht intakt (Kette ${v.firstBroken?.chain}): ${v.firstBroken?.reason}.`,
        );
      }
      const head = v.head;
      if (header.audit && (header.audit.entries !== v.checked || header.audit.head !== head)) {
        throw new BackupError(
          `Das Prüfprotokoll endet nicht dort, wo es bei der Sicherung endete (erwartet ${header.audit.entries} Einträge, vorhanden ${v.checked}).`,
        );
      }
      audit = `Hash-Kette intakt (${v.checked} Einträge${head ? `, letzter Hash ${head.slice(0, 16)}…` : ''})`;
    }
    return { cases: check.cases, actions: check.actions, audit };
  });
}

function assertEmptyDir(dir: string): void {
  if (!fs.existsSync(dir)) return;
  if (!fs.statSync(dir).isDirectory()) throw new BackupError(`${dir} ist kein Verzeichnis.`);
  const entries = fs.readdirSync(dir);
  if (entries.length > 0) {
    throw new BackupError(
      `Das Datenverzeichnis ${dir} ist nicht leer (${entries.length} Einträge). Wiederhergestellt wird nur in ein ` +
        'leeres Verzeichnis, damit nichts Vorhandenes überschrieben wird: bitte DATA_DIR auf ein neues Verzeichnis setzen.',
    );
  }
}

export async function restoreBackup(opts: RestoreOptions): Promise<RestoreReport> {
  const progress = opts.progress ?? silentProgress;
  const { header } = readHeader(opts.file);
  if (header.dialect !== opts.target.dialect) {
    const names = { sqlite: 'SQLite (DATA_DIR)', postgres: 'PostgreSQL (DATABASE_URL)' };
    throw new BackupError(
      `Die Sicherung stammt aus ${names[header.dialect]}, das Ziel ist ${names[opts.target.dialect]}. ` +
        'Bitte das Ziel passend konfigurieren.',
    );
  }
  if (opts.target.dialect === 'sqlite') {
    const dataDir = opts.target.dataDir;
    assertEmptyDir(dataDir);
    const created = !fs.existsSync(dataDir);
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const partial = path.join(dataDir, '.restore.partial');
    try {
      progress.step('Entschlüsseln und prüfen');
      await decryptTo({
        file: opts.file,
        passphrase: opts.passphrase,
        plaintextOut: partial,
        onBytes: (d, t) => progress.update(d, t),
      });
      progress.step('Datenbank prüfen');
      const info = inspectSqlite(partial);
      if (info.integrity !== 'ok') {
        throw new BackupError(`Die wiederhergestellte Datenbank ist nicht in Ordnung: ${info.integrity}`);
      }
      compareCounts(header.counts, info.counts);
      const checked = await verifyRestored(opts.registry, opts.target, header, partial);
      progress.step('Suchindex neu aufbauen');
      const file = new SQLite(partial);
      try {
        rebuildSqliteSearchIndex(file);
      } finally {
        file.close();
      }
      for (const suffix of ['-wal', '-shm']) fs.rmSync(partial + suffix, { force: true });
      fs.renameSync(partial, sqliteFileFor(dataDir));
      progress.end();
      return { header, counts: info.counts, ...checked };
    } catch (err) {
      progress.end();
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(partial + suffix, { force: true });
      if (created) fs.rmSync(dataDir, { recursive: true, force: true });
      throw err;
    }
  }
  const databaseUrl = opts.target.databaseUrl;
  await assertPostgresEmpty(databaseUrl);
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'notbetrieb-restore-'));
  const dump = path.join(tmpDir, 'dump');
  try {
    progress.step('Entschlüsseln und prüfen');
    await decryptTo({
      file: opts.file,
      passphrase: opts.passphrase,
      plaintextOut: dump,
      onBytes: (d, t) => progress.update(d, t),
    });
    progress.step('In PostgreSQL laden (pg_restore)');
    const info = await restorePostgres(databaseUrl, dump);
    progress.step('Datenbank prüfen');
    compareCounts(header.counts, info.counts);
    const checked = await verifyRestored(opts.registry, opts.target, header);
    progress.end();
    return { header, counts: info.counts, ...checked };
  } finally {
    progress.end();
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
}
