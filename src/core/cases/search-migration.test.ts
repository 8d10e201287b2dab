import { Migrator, sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { createPgDatabase, describeEachDialect } from '../../../test/harness.js';
import { type DatabaseHandle, openDatabase } from '../../db/database.js';
import { verlustanzeigeDaten } from '../../procedures/verlustanzeige/fixtures.js';
import { MIGRATIONS, migrate, procedureRegistry } from '../../server/platform.js';
import type { Principal } from '../access.js';
import { seedDemoAuthorities } from '../authorities/seed.js';
import { CaseService } from './service.js';

const SIEGEN = '05970040';
const BEFORE = '2026-12-03T0900-payments';

/**
 * A region upgrades with its cases in the database: the search migration must index them (text
 * index backfilled) and the start-up must set their open flag from the procedures' final states.
 */
describeEachDialect('cases search migration on a database with cases', (dialect) => {
  let handle: DatabaseHandle;
  let drop: (() => Promise<void>) | undefined;

  afterEach(async () => {
    await handle.close();
    await drop?.();
    drop = undefined;
  });

  it('indexes existing cases for search and sets their open flag', async () => {
    if (dialect === 'sqlite') handle = openDatabase({ sqliteFile: ':memory:' });
    else {
      const pg = await createPgDatabase();
      drop = pg.drop;
      handle = openDatabase({ databaseUrl: pg.url });
    }
    const migrations = Object.fromEntries(Object.entries(MIGRATIONS).filter(([name]) => name <= BEFORE));
    const { error } = await new Migrator({
      db: handle.db,
      provider: { getMigrations: async () => migrations },
      allowUnorderedMigrations: true,
    }).migrateToLatest();
    expect(error).toBeUndefined();
    const now = new Date('2026-11-26T10:00:00Z');
    await seedDemoAuthorities(handle.db, now);
    // Rows as the old schema held them (no is_open): one open case, one closed, one elsewhere.
    const rows = [
      [
        'c-open',
        SIEGEN,
        'meldebehoerde',
        1,
        'VA 1/2026',
        'erfasst',
        '2026-11-27',
        'va 1/2026 | mueller | anna',
      ],
      ['c-closed', SIEGEN, 'meldebehoerde', 2, 'VA 2/2026', 'bestaetigt', null, 'va 2/2026 | muller | jorg'],
      ['c-other', '05970024', 'meldebehoerde', 1, 'VA 1/2026', 'erfasst', '2026-11-27', 'va 1/2026 | muller'],
    ] as const;
    for (const [id, ags, office, seq, az, status, deadline, text] of rows) {
      await sql`INSERT INTO cases (id, installation_id, procedure_id, procedure_version, authority_ags,
        office_type, year, seq, aktenzeichen, status, version, data, deadline, deadline_label,
        search_text, created_at, updated_at, created_by)
        VALUES (${id}, 'alt', 'verlustanzeige', 1, ${ags}, ${office}, 2026, ${seq}, ${az}, ${status}, 1,
        ${JSON.stringify(verlustanzeigeDaten({ person: { familienname: 'Müller', vornamen: 'Anna' } }))}, ${deadline},
        ${deadline ? 'Bescheinigung' : null}, ${text}, ${now.toISOString()}, ${now.toISOString()}, 'u')`.execute(
        handle.db,
      );
    }

    expect(await migrate(handle.db)).toContain('2026-12-06T2200-cases-search');
    const flags = await handle.db.selectFrom('cases').select(['id', 'is_open']).orderBy('id').execute();
    expect(flags).toEqual([
      { id: 'c-closed', is_open: 0 },
      { id: 'c-open', is_open: 1 },
      { id: 'c-other', is_open: 1 },
    ]);

    const service = new CaseService({
      db: handle.db,
      registry: procedureRegistry(() => now),
      installationId: 'test',
      now: () => now,
    });
    const principal: Principal = {
      userId: 'u',
      username: 'u',
      displayName: 'U',
      grants: [{ authorityAgs: SIEGEN, officeType: 'meldebehoerde', role: 'sachbearbeitung' }],
      isAdmin: false,
      isCrisisTeam: false,
    };
    const list = async (f: object) =>
      (
        await service.list(principal, { page: 1, pageSize: 10, sort: 'deadline', order: 'asc', ...f })
      ).items.map((i) => i.id);
    expect(await list({ q: 'Müller' })).toEqual(['c-open', 'c-closed']);
    expect(await list({ q: 'jörg' })).toEqual(['c-closed']);
    expect(await list({ q: 'VA 1/2026' })).toEqual(['c-open']);
    expect(await list({ open: true })).toEqual(['c-open']);
    expect(await list({ open: false, q: 'muller' })).toEqual(['c-closed']);
  });
});
