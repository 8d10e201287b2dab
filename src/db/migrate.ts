import { type Kysely, type Migration, type MigrationResult, Migrator } from 'kysely';
import * as m20261126T1700 from './migrations/2026-11-26T1700-initial.js';
import * as m20261126T1710 from './migrations/2026-11-26T1710-accounts.js';
import * as m20261126T1800 from './migrations/2026-11-26T1800-security.js';
import * as m20261126T1900 from './migrations/2026-11-26T1900-standesamt-rooms-handover.js';
import * as m20261126T2000 from './migrations/2026-11-26T2000-register-cashjournal.js';
import * as m20261126T2110 from './migrations/2026-11-26T2110-register-overlay-search.js';
import * as m20261203T0900 from './migrations/2026-12-03T0900-payments.js';
import * as m20261206T2100 from './migrations/2026-12-06T2100-audit-chains.js';
import * as m20261206T2200 from './migrations/2026-12-06T2200-cases-search.js';
import * as m20261207T1400 from './migrations/2026-12-07T1400-case-scope-generation.js';
import * as m20261207T1500 from './migrations/2026-12-07T1500-pg-list-index-include.js';
import * as m20261207T1600 from './migrations/2026-12-07T1600-pg-case-scope-generation.js';
import * as m20261207T2300 from './migrations/2026-12-07T2300-board-indexes.js';

/**
 * The core's migrations, in order. Imported statically so that the compiled app needs no
 * file-system scan. Add new ones at the end with a later timestamp; never edit a shipped one.
 * A procedure family brings its own tables' migrations (ServerFamily.migrations); the server
 * (src/server/platform.ts) passes the core's and the families' together.
 */
export const CORE_MIGRATIONS: Record<string, Migration> = {
  '2026-11-26T1700-initial': m20261126T1700,
  '2026-11-26T1710-accounts': m20261126T1710,
  '2026-11-26T1800-security': m20261126T1800,
  '2026-11-26T1900-standesamt-rooms-handover': m20261126T1900,
  '2026-11-26T2000-register-cashjournal': m20261126T2000,
  '2026-11-26T2110-register-overlay-search': m20261126T2110,
  '2026-12-03T0900-payments': m20261203T0900,
  '2026-12-06T2100-audit-chains': m20261206T2100,
  '2026-12-06T2200-cases-search': m20261206T2200,
  '2026-12-07T1400-case-scope-generation': m20261207T1400,
  '2026-12-07T1500-pg-list-index-include': m20261207T1500,
  '2026-12-07T1600-pg-case-scope-generation': m20261207T1600,
  '2026-12-07T2300-board-indexes': m20261207T2300,
};

/**
 * Families are independent of each other, so their migrations need not be applied in one global
 * order: a database that already ran a later migration still takes an earlier-named one that a
 * newly added family brings (allowUnorderedMigrations). Within the core and within a family the
 * name order holds.
 */
function migrator(db: Kysely<any>, migrations: Record<string, Migration>): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    allowUnorderedMigrations: true,
  });
}

/** The core's migrations and those of the families, refusing a name used twice. */
export function withFamilyMigrations(
  families: ReadonlyArray<{ id: string; migrations?: Record<string, Migration> }>,
): Record<string, Migration> {
  const all: Record<string, Migration> = { ...CORE_MIGRATIONS };
  for (const f of families) {
    for (const [name, m] of Object.entries(f.migrations ?? {})) {
      if (name in all) throw new Error(`migration ${name} of family ${f.id} defined twice`);
      all[name] = m;
    }
  }
  // Kysely applies migrations in name order; the listing follows the same order, whatever the
  // order of the family list (families added later may carry earlier names).
  return Object.fromEntries(Object.entries(all).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export class MigrationError extends Error {
  constructor(
    message: string,
    public readonly results: MigrationResult[] | undefined,
  ) {
    super(message);
    this.name = 'MigrationError';
  }
}

/** Applies all pending migrations; each runs in its own transaction on both dialects. */
export async function migrateToLatest(
  db: Kysely<any>,
  migrations: Record<string, Migration>,
): Promise<string[]> {
  const { error, results } = await migrator(db, migrations).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new MigrationError(
      `Migration ${failed ?? '(unbekannt)'} fehlgeschlagen: ${error instanceof Error ? error.message : String(error)}`,
      results,
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Names of migrations not yet applied (empty when the schema is current). */
export async function pendingMigrations(
  db: Kysely<any>,
  migrations: Record<string, Migration>,
): Promise<string[]> {
  const all = await migrator(db, migrations).getMigrations();
  return all.filter((m) => !m.executedAt).map((m) => m.name);
}
