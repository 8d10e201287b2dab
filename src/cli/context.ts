import { type DatabaseHandle, openDatabase } from '../db/database.js';
import { type AppConfig, ConfigError, loadConfig } from '../server/config.js';
import { migrate } from '../server/platform.js';

/** Shared start-up for CLI commands: validated config, open database, migrated schema. */
export async function openFromEnvironment(
  overrides: Partial<AppConfig> = {},
): Promise<{ config: AppConfig; database: DatabaseHandle; applied: string[] }> {
  const config = loadConfig(process.env, overrides);
  const database = openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
  });
  try {
    const applied = await migrate(database.db);
    return { config, database, applied };
  } catch (err) {
    await database.close();
    throw err;
  }
}

/** Prints a clear message for expected failures and exits non-zero. */
export function fail(err: unknown): never {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  const e = err as { code?: string; message?: string };
  if (e?.code === 'ECONNREFUSED' || e?.code === 'ENOTFOUND' || e?.code === '28P01' || e?.code === '3D000') {
    process.stderr.write(`Datenbank nicht erreichbar: ${e.message}\nBitte DATABASE_URL prüfen.\n`);
    process.exit(3);
  }
  process.stderr.write(`Fehler: ${e?.message ?? String(err)}\n`);
  process.exit(1);
}
