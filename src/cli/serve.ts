import { ensureFirstAdmin, hasActiveAdmin } from '../core/auth/accounts.js';
import { seedDemoAuthorities } from '../core/authorities/seed.js';
import { buildApp } from '../server/app.js';
import { openFromEnvironment } from './context.js';
import { loadTls, oneTimePasswordNotice, selfSignedTls, type TlsMaterial } from './security.js';

export interface ServeOptions {
  demo?: boolean;
  port?: string;
  host?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsSelfSigned?: boolean;
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
    if (seeded)
      process.stdout.write(`Demo: ${seeded.authorities} Behörden mit ${seeded.offices} Ämtern angelegt.\n`);
  }
  if (config.demo) {
    // No default credentials: the first administrator gets a one-time password, shown once.
    const admin = await ensureFirstAdmin(database.db, now, { via: 'demo' });
    if (admin) process.stdout.write(oneTimePasswordNotice(admin.username, admin.oneTimePassword));
  } else if (!(await hasActiveAdmin(database.db))) {
    process.stdout.write(
      'Hinweis: Es gibt noch kein Administrationskonto. Anlegen mit: notbetrieb admin create\n',
    );
  }
  if ((opts.tlsCert === undefined) !== (opts.tlsKey === undefined)) {
    await database.close();
    throw new Error('--tls-cert und --tls-key bitte zusammen angeben.');
  }
  let tls: TlsMaterial | undefined;
  try {
    if (opts.tlsCert && opts.tlsKey) tls = loadTls(opts.tlsCert, opts.tlsKey);
    else if (opts.tlsSelfSigned) tls = await selfSignedTls(config.dataDir, config.host);
  } catch (err) {
    await database.close();
    throw err;
  }
  const app = await buildApp({
    config,
    database,
    ...(tls ? { tls: true, https: { key: tls.key, cert: tls.cert } } : {}),
  });
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
  if (tls) {
    process.stdout.write(
      `\nTLS-Zertifikat${tls.generated ? ' (neu erzeugt, selbstsigniert)' : ''}${tls.files ? `: ${tls.files.cert}` : ''}\n` +
        `SHA-256-Fingerabdruck: ${tls.fingerprint}\n` +
        'Bitte beim ersten Aufruf im Browser mit diesem Fingerabdruck vergleichen.\n',
    );
  }
  const scheme = tls ? 'https' : 'http';
  process.stdout.write(
    `\nNotbetrieb läuft: ${scheme}://${shownHost}:${config.port}/   (API-Dokumentation: ${scheme}://${shownHost}:${config.port}/api/docs, Datenbank: ${dbText})\n\n`,
  );
}
