import { seedDemoAuthorities } from '../core/authorities/seed.js';
import { buildApp } from '../server/app.js';
import { openFromEnvironment } from './context.js';

export interface ServeOptions {
  demo?: boolean;
  port?: string;
  host?: string;
}

/** config -> migrate -> (demo seed) -> listen. Stops cleanly on SIGINT/SIGTERM. */
export async function serve(opts: ServeOptions): Promise<void> {
  const overrides: Record<string, unknown> = {};
  if (opts.port !== undefined) process.env.PORT = opts.port;
  if (opts.host !== undefined) process.env.HOST = opts.host;
  const { config, database, applied } = await openFromEnvironment({ demo: opts.demo ?? false, ...overrides });
  const now = new Date();
  if (config.demo) {
    const seeded = await seedDemoAuthorities(database.db, now);
    if (seeded) process.stdout.write(`Demo: ${seeded.authorities} Behörden mit ${seeded.offices} Ämtern angelegt.\n`);
  }
  const app = await buildApp({ config, database });
  if (applied.length) app.log.info({ migrations: applied }, 'migrations applied');

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const dbText = database.dialect === 'sqlite' ? `SQLite in ${config.dataDir}` : 'PostgreSQL';
  process.stdout.write(
    `\nNotbetrieb läuft: http://${shownHost}:${config.port}/   (API-Dokumentation: http://${shownHost}:${config.port}/api/docs, Datenbank: ${dbText})\n\n`,
  );
}
