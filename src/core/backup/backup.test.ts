import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createPgDatabase,
  describeEachDialect,
  sessionUserIn,
  type TestUser,
} from '../../../test/harness.js';
import { type DatabaseHandle, openDatabase, sqliteFileFor } from '../../db/database.js';
import type { Database } from '../../db/types.js';
import { migrate, procedureRegistry } from '../../server/platform.js';

const registry = procedureRegistry();

import { verlustanzeigeDaten } from '../../procedures/verlustanzeige/fixtures.js';
import { buildApp } from '../../server/app.js';
import { seedDemoAuthorities } from '../authorities/seed.js';
import { listCases, rebuildSqliteSearchIndex } from '../cases/list.js';
import { type BackupTarget, createBackup, restoreBackup } from './backup.js';
import { BackupError, messages } from './format.js';

const SIEGEN = '05970040';
const PASSPHRASE = 'Notbetrieb-Test 2026!';
/** Cheaper scrypt for tests; the format and checks are the same. */
const KDF = { N: 2 ** 14, r: 8, p: 1 };

async function expectRefusal(p: Promise<unknown>, message: string | RegExp) {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BackupError);
  if (typeof message === 'string') expect((err as Error).message).toBe(message);
  else expect((err as Error).message).toMatch(message);
}

describeEachDialect('backup and restore', (dialect) => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nb-backup-test-'));
  const cleanups: Array<() => Promise<void>> = [];
  let source: BackupTarget;
  let handle: DatabaseHandle;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let clerk: TestUser;
  const backupFile = path.join(tmp, 'sicherung.nbb');

  /** An empty restore target of the dialect. */
  async function emptyTarget(): Promise<BackupTarget> {
    if (dialect === 'sqlite') return { dialect, dataDir: path.join(tmp, `restore-${randomUUID()}`) };
    const { url, drop } = await createPgDatabase();
    cleanups.push(drop);
    return { dialect, databaseUrl: url };
  }

  const createCase = () =>
    app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: { ...clerk.headers, 'idempotency-key': randomUUID() },
      payload: { procedureId: 'verlustanzeige', authorityAgs: SIEGEN, data: verlustanzeigeDaten() },
    });

  beforeAll(async () => {
    if (dialect === 'sqlite') {
      source = { dialect, dataDir: path.join(tmp, 'live') };
      handle = openDatabase({ dataDir: source.dataDir });
    } else {
      const { url, drop } = await createPgDatabase();
      cleanups.push(drop);
      source = { dialect, databaseUrl: url };
      handle = openDatabase({ databaseUrl: url, poolSize: 5 });
    }
    await migrate(handle.db);
    await seedDemoAuthorities(handle.db, new Date());
    app = await buildApp({ config: { logLevel: 'silent' }, database: handle });
    await app.ready();
    clerk = await sessionUserIn(handle, [{ ags: SIEGEN, office: 'meldebehoerde' }]);
    for (let i = 0; i < 20; i++) expect((await createCase()).statusCode).toBe(201);
  });

  afterAll(async () => {
    await app?.close();
    await handle?.close();
    for (const c of cleanups.reverse()) await c();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('backs up consistently while cases are being written, and restores exactly that state', async () => {
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        const res = await createCase();
        expect(res.statusCode).toBe(201);
        written++;
      }
    })();
    const header = await createBackup({ source, out: backupFile, passphrase: PASSPHRASE, kdf: KDF });
    const writtenDuringBackup = written;
    // Keep writing a little after the snapshot, then stop.
    await new Promise((r) => setTimeout(r, 100));
    writing = false;
    await writer;
    expect(writtenDuringBackup).toBeGreaterThan(0);

    const live = await handle.db.selectFrom('cases').select('id').execute();
    const backedUp = header.counts.cases ?? 0;
    expect(backedUp).toBeGreaterThanOrEqual(20);
    expect(backedUp).toBeLessThan(live.length);

    const target = await emptyTarget();
    const report = await restoreBackup({ registry, file: backupFile, target, passphrase: PASSPHRASE });
    expect(report.cases).toBe(backedUp);
    expect(report.actions).toBe(header.counts.case_action);
    expect(report.counts).toEqual(header.counts);
    expect(header.audit?.entries).toBeGreaterThan(0);
    expect(report.audit).toMatch(/^Hash-Kette intakt \(\d+ Einträge/);

    const restored =
      target.dialect === 'sqlite' ? openDatabase({ dataDir: target.dataDir }) : openDatabase(target);
    try {
      const ids = await restored.db.selectFrom('cases').select('id').execute();
      const liveIds = new Set(live.map((r) => r.id));
      expect(ids.every((r) => liveIds.has(r.id))).toBe(true);
      // The restored database is usable by the application.
      expect(await migrate(restored.db)).toEqual([]);
      if (target.dialect === 'postgres') {
        // The application role keeps its rights, and only those: audit log and actions stay append-only.
        const { rows } = await sql<{ read: boolean; change_audit: boolean; delete_action: boolean }>`
          SELECT has_table_privilege('notbetrieb_app', 'cases', 'SELECT') AS read,
                 has_table_privilege('notbetrieb_app', 'audit_log', 'UPDATE') AS change_audit,
                 has_table_privilege('notbetrieb_app', 'case_action', 'DELETE') AS delete_action`.execute(
          restored.db,
        );
        expect(rows[0]).toEqual({ read: true, change_audit: false, delete_action: false });
      }
    } finally {
      await restored.close();
    }
  });

  // SQLite only: PostgreSQL's pg_trgm index is on the rows themselves and is restored with them.
  if (dialect === 'sqlite')
    it('a restore rebuilds the free-text index instead of trusting the rowids it refers to', async () => {
      const search = async (db: Kysely<Database>) =>
        (
          await listCases(
            { db, registry },
            [{ authorityAgs: SIEGEN, officeType: 'meldebehoerde' }],
            { q: 'Müßig', page: 1, pageSize: 50, sort: 'created_at', order: 'desc' },
            '2026-12-06',
          )
        ).total;
      const before = await search(handle.db);
      expect(before).toBeGreaterThan(0);
      // An index that no longer matches the rows (as VACUUM may leave it): the search finds nothing.
      await sql`INSERT INTO cases_fts (cases_fts) VALUES ('delete-all')`.execute(handle.db);
      // (Whatever changes the index moves the text generation: the kept match counts rest on it.)
      await sql`UPDATE case_scope_generation SET t = t + 1`.execute(handle.db);
      expect(await search(handle.db)).toBe(0);
      const file = path.join(tmp, 'index.nbb');
      await createBackup({ source, out: file, passphrase: PASSPHRASE, kdf: KDF });
      const target = await emptyTarget();
      await restoreBackup({ registry, file, target, passphrase: PASSPHRASE });
      const restored = openDatabase({ dataDir: (target as { dataDir: string }).dataDir });
      try {
        expect(await search(restored.db)).toBe(before);
      } finally {
        await restored.close();
        // The live database gets its index back for the tests after this one.
        const raw = new SQLite(sqliteFileFor((source as { dataDir: string }).dataDir));
        rebuildSqliteSearchIndex(raw);
        raw.close();
      }
      expect(await search(handle.db)).toBe(before);
    });

  it('refuses a wrong passphrase with a clear message and restores nothing', async () => {
    const target = await emptyTarget();
    await expectRefusal(
      restoreBackup({ registry, file: backupFile, target, passphrase: 'eine ganz andere Passphrase' }),
      messages.wrongPassphrase,
    );
    if (target.dialect === 'sqlite') expect(fs.existsSync(target.dataDir)).toBe(false);
  });

  it('refuses a backup with a changed byte in the encrypted data', async () => {
    const damaged = path.join(tmp, 'damaged.nbb');
    const bytes = fs.readFileSync(backupFile);
    const pos = bytes.length - 100;
    bytes[pos] = (bytes[pos] as number) ^ 0x01;
    fs.writeFileSync(damaged, bytes);
    const target = await emptyTarget();
    await expectRefusal(
      restoreBackup({ registry, file: damaged, target, passphrase: PASSPHRASE }),
      messages.damaged,
    );
    if (target.dialect === 'sqlite') expect(fs.existsSync(target.dataDir)).toBe(false);
  });

  it('refuses a backup whose header was altered (the header is authenticated)', async () => {
    const damaged = path.join(tmp, 'header.nbb');
    const text = fs.readFileSync(backupFile);
    const at = text.indexOf(Buffer.from('"cases":'));
    expect(at).toBeGreaterThan(0);
    // "cases":N -> "cases":M with the same length: claims another number of cases.
    const digit = at + '"cases":'.length;
    text[digit] = text[digit] === 0x31 ? 0x32 : 0x31;
    fs.writeFileSync(damaged, text);
    await expectRefusal(
      restoreBackup({ registry, file: damaged, target: await emptyTarget(), passphrase: PASSPHRASE }),
      messages.damaged,
    );
  });

  it('refuses a truncated backup and a file that is no backup', async () => {
    const cut = path.join(tmp, 'cut.nbb');
    const bytes = fs.readFileSync(backupFile);
    fs.writeFileSync(cut, bytes.subarray(0, bytes.length - 1000));
    await expectRefusal(
      restoreBackup({ registry, file: cut, target: await emptyTarget(), passphrase: PASSPHRASE }),
      messages.damaged,
    );
    const other = path.join(tmp, 'other.txt');
    fs.writeFileSync(other, 'Dies ist keine Sicherung, sondern ein Einkaufszettel.');
    await expectRefusal(
      restoreBackup({ registry, file: other, target: await emptyTarget(), passphrase: PASSPHRASE }),
      messages.notABackup,
    );
  });

  it('restores only into an empty target', async () => {
    await expectRefusal(
      restoreBackup({ registry, file: backupFile, target: source, passphrase: PASSPHRASE }),
      /nicht leer/,
    );
  });

  it('refuses a short passphrase and never overwrites an existing file', async () => {
    await expectRefusal(
      createBackup({ source, out: path.join(tmp, 'kurz.nbb'), passphrase: 'zu kurz', kdf: KDF }),
      messages.shortPassphrase,
    );
    await expectRefusal(
      createBackup({ source, out: backupFile, passphrase: PASSPHRASE, kdf: KDF }),
      /gibt es schon/,
    );
  });

  // Last: it breaks the live database's audit chain on purpose.
  it('refuses to back up (SQLite) or restore (PostgreSQL) a database whose audit chain was altered', async () => {
    if (dialect === 'sqlite') {
      await sql`DROP TRIGGER audit_log_no_update`.execute(handle.db);
    } else {
      await sql`DROP TRIGGER audit_log_append_only ON audit_log`.execute(handle.db);
    }
    await sql`UPDATE audit_log SET status = 299 WHERE seq = 1`.execute(handle.db);
    const out = path.join(tmp, 'manipuliert.nbb');
    const backup = createBackup({ source, out, passphrase: PASSPHRASE, kdf: KDF });
    if (dialect === 'sqlite') {
      await expectRefusal(backup, /Prüfprotokoll \(audit_log\) ist ab Eintrag 1 nicht intakt/);
      expect(fs.existsSync(out)).toBe(false);
    } else {
      await backup;
      await expectRefusal(
        restoreBackup({ registry, file: out, target: await emptyTarget(), passphrase: PASSPHRASE }),
        /Prüfprotokoll \(audit_log\) der Sicherung ist ab Eintrag 1 nicht intakt/,
      );
    }
  });
});
