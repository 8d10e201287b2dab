import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { createPgDatabase, describeEachDialect } from '../../test/harness.js';
import { buildApp } from '../server/app.js';
import {
  migrate as migrateToLatest,
  MIGRATIONS as migrations,
  pending as pendingMigrations,
} from '../server/platform.js';
import { type DatabaseHandle, openDatabase } from './database.js';
import { CORE_MIGRATIONS, withFamilyMigrations } from './migrate.js';

describeEachDialect('migrations', (dialect) => {
  let handle: DatabaseHandle;
  let drop: (() => Promise<void>) | undefined;

  const open = async () => {
    if (dialect === 'sqlite') {
      handle = openDatabase({ sqliteFile: ':memory:' });
    } else {
      const pg = await createPgDatabase();
      drop = pg.drop;
      handle = openDatabase({ databaseUrl: pg.url });
    }
  };

  afterEach(async () => {
    await handle.close();
    await drop?.();
    drop = undefined;
  });

  it('applies every migration once and then has nothing to do', async () => {
    await open();
    expect(await pendingMigrations(handle.db)).toEqual(Object.keys(migrations));
    expect(await migrateToLatest(handle.db)).toEqual(Object.keys(migrations));
    expect(await migrateToLatest(handle.db)).toEqual([]);
    expect(await pendingMigrations(handle.db)).toEqual([]);
  });

  it('reports not ready while migrations are pending, ready after', async () => {
    await open();
    // The app itself needs the installation table; apply only the first migration.
    const first = Object.keys(migrations)[0] as string;
    const { Migrator } = await import('kysely');
    await new Migrator({ db: handle.db, provider: { getMigrations: async () => migrations } }).migrateTo(
      first,
    );
    const app = await buildApp({ config: { logLevel: 'silent' }, database: handle });
    const notReady = await app.inject({ method: 'GET', url: '/readyz' });
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json()).toMatchObject({ code: 'NOT_READY' });
    expect(notReady.json().detail).toContain('Migration');
    await migrateToLatest(handle.db);
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    await app.close();
  });

  it('refuses to update or delete case actions at the database level', async () => {
    await open();
    await migrateToLatest(handle.db);
    const now = new Date().toISOString();
    await handle.db
      .insertInto('authority')
      .values({
        ags: '05970040',
        name: 'Siegen',
        kind: 'Stadt',
        kreis_ags: '05970000',
        plate_codes: 'SI',
        source: 't',
        created_at: now,
      })
      .execute();
    await handle.db
      .insertInto('cases')
      .values({
        id: 'c1',
        installation_id: 'i',
        procedure_id: 'p',
        procedure_version: 1,
        authority_ags: '05970040',
        office_type: 'meldebehoerde',
        year: 2026,
        seq: 1,
        aktenzeichen: 'X 1/2026',
        status: 's',
        version: 1,
        data: '{}',
        deadline: null,
        deadline_label: null,
        search_text: '',
        created_at: now,
        updated_at: now,
        created_by: 'u',
      })
      .execute();
    await handle.db
      .insertInto('case_action')
      .values({
        id: 'a1',
        case_id: 'c1',
        seq: 1,
        action: 'erfassen',
        payload: '{}',
        status_after: 's',
        actor: 'u',
        actor_name: 'U',
        idempotency_key: null,
        created_at: now,
      })
      .execute();
    await expect(sql`UPDATE case_action SET action = 'x'`.execute(handle.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM case_action`.execute(handle.db)).rejects.toThrow(/append-only/);
    const row = await handle.db.selectFrom('case_action').select('action').executeTakeFirstOrThrow();
    expect(row.action).toBe('erfassen');
  });
});

it("runs the families' migrations with the core's and refuses a name used twice", () => {
  const extra = { up: async () => {} };
  const all = withFamilyMigrations([{ id: 'probe', migrations: { '2099-01-01T0000-probe': extra } }]);
  expect(Object.keys(all)).toEqual([...Object.keys(CORE_MIGRATIONS), '2099-01-01T0000-probe']);
  // Listed in the order Kysely applies them (by name), not in the order of the family list.
  const listed = Object.keys(
    withFamilyMigrations([
      { id: 'late', migrations: { '2099-01-01T0000-late': extra } },
      { id: 'early', migrations: { '2026-11-26T1701-early': extra } },
    ]),
  );
  expect(listed.indexOf('2026-11-26T1701-early')).toBe(1);
  expect(listed.at(-1)).toBe('2099-01-01T0000-late');
  const taken = Object.keys(CORE_MIGRATIONS)[0] as string;
  expect(() => withFamilyMigrations([{ id: 'probe', migrations: { [taken]: extra } }])).toThrow(
    `migration ${taken} of family probe defined twice`,
  );
});
