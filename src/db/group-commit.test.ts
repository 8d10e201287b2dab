import { spawn } from 'node:child_process';
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDialect, openTestDatabase } from '../../test/harness.js';
import type { DatabaseHandle } from './database.js';
import { groupCommitStats, writeTransaction } from './group-commit.js';

describeEachDialect('write transactions (group commit)', (dialect) => {
  let handle: DatabaseHandle;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    ({ handle, cleanup } = await openTestDatabase(dialect));
  });
  afterEach(async () => {
    await cleanup();
  });

  const insertKey = (key: string) =>
    writeTransaction(handle.db, async (trx) => {
      await trx.insertInto('installation').values({ key, value: 'x' }).execute();
      return key;
    });
  const storedKeys = async (prefix: string) =>
    (
      await handle.db
        .selectFrom('installation')
        .select('key')
        .where('key', 'like', `${prefix}%`)
        .orderBy('key')
        .execute()
    ).map((r) => r.key);

  it('commits writes that arrive together, each with its own result', async () => {
    const keys = Array.from({ length: 20 }, (_, i) => `gc-${String(i).padStart(2, '0')}`);
    const results = await Promise.all(keys.map(insertKey));
    expect(results).toEqual(keys);
    expect(await storedKeys('gc-')).toEqual(keys);
    if (dialect === 'sqlite') {
      // They shared commits: fewer transactions than writes (one fsync for many).
      const stats = groupCommitStats(handle.db);
      expect(stats.writes).toBe(20);
      expect(stats.transactions).toBeLessThan(20);
    }
  });

  it('undoes exactly the write that failed; the others of the same moment are stored', async () => {
    const failing = writeTransaction(handle.db, async (trx) => {
      await trx.insertInto('installation').values({ key: 'gc-b', value: 'x' }).execute();
      throw new Error('refused after its insert');
    });
    const [a, b, c] = await Promise.allSettled([insertKey('gc-a'), failing, insertKey('gc-c')]);
    expect(a).toEqual({ status: 'fulfilled', value: 'gc-a' });
    expect(b.status).toBe('rejected');
    expect((b as PromiseRejectedResult).reason.message).toBe('refused after its insert');
    expect(c).toEqual({ status: 'fulfilled', value: 'gc-c' });
    expect(await storedKeys('gc-')).toEqual(['gc-a', 'gc-c']);
  });

  it('lets a plain read neither wait for nor see a write that is still running', async () => {
    let finish = () => {};
    const held = new Promise<void>((resolve) => {
      finish = resolve;
    });
    let inserted = () => {};
    const insertDone = new Promise<void>((resolve) => {
      inserted = resolve;
    });
    const write = writeTransaction(handle.db, async (trx) => {
      await trx.insertInto('installation').values({ key: 'gc-running', value: 'x' }).execute();
      inserted();
      await held;
      return 'done';
    });
    await insertDone;
    // The write holds its transaction open; a read outside it answers at once, without the row.
    expect(await storedKeys('gc-running')).toEqual([]);
    finish();
    expect(await write).toBe('done');
    expect(await storedKeys('gc-running')).toEqual(['gc-running']);
  });

  if (dialect === 'sqlite') {
    it('reports no write of a batch as done, and stores none, when the shared commit fails', async () => {
      // The first write leaves a deferred foreign-key violation: SQLite refuses the COMMIT itself.
      const breaksCommit = writeTransaction(handle.db, async (trx) => {
        await sql`PRAGMA defer_foreign_keys = ON`.execute(trx);
        await trx
          .insertInto('office')
          .values({
            id: 'gc-office',
            authority_ags: '99999999',
            office_type: 'standesamt',
            name: 'Nirgendwo',
          })
          .execute();
        return 'office';
      });
      const innocent = insertKey('gc-innocent');
      const [first, second] = await Promise.allSettled([breaksCommit, innocent]);
      expect(first.status).toBe('rejected');
      expect(second.status).toBe('rejected');
      expect(String((second as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
      expect(await storedKeys('gc-')).toEqual([]);
      const office = await handle.db
        .selectFrom('office')
        .select('id')
        .where('id', '=', 'gc-office')
        .executeTakeFirst();
      expect(office).toBeUndefined();
      // And the connection is usable again afterwards.
      expect(await insertKey('gc-after')).toBe('gc-after');
      expect(await storedKeys('gc-')).toEqual(['gc-after']);
    });

    it('waits for another process writing the same file instead of failing the transaction', async () => {
      // Another process (as a CLI import would be) holds the write lock for 300 ms; the app's
      // transaction reads first and then writes. It must wait and then commit on the new state.
      const file = handle.sqlite?.name as string;
      const script = `
        const SQLite = require('better-sqlite3');
        const db = new SQLite(process.argv[1]);
        db.pragma('busy_timeout = 5000');
        db.exec('BEGIN IMMEDIATE');
        db.prepare("INSERT INTO installation (key, value) VALUES ('gc-other', 'x')").run();
        process.stdout.write('locked\\n');
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
        db.exec('COMMIT');
        db.close();`;
      const child = spawn(process.execPath, ['-e', script, file], { stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      await writeTransaction(handle.db, async (trx) => {
        const n = await trx.selectFrom('installation').select('key').where('key', 'like', 'gc-%').execute();
        await trx
          .insertInto('installation')
          .values({ key: `gc-app-${n.length}`, value: 'x' })
          .execute();
      });
      expect(await exited).toBe(0);
      expect(await storedKeys('gc-')).toEqual(['gc-app-1', 'gc-other']);
    });
  }
});
