import { execFile } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../test/harness.js';
import { ensureFirstAdmin } from '../core/auth/accounts.js';
import { openDatabase, sqliteFileFor } from '../db/database.js';
import { buildApp } from '../server/app.js';
import { selfSignedTls } from './security.js';

const run = promisify(execFile);
const cli = (args: string[], env: NodeJS.ProcessEnv) =>
  run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env }).catch(
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

describe('notbetrieb admin create / audit verify (CLI)', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nb-sec-'));
    env = { ...process.env, DATA_DIR: dir, DATABASE_URL: '', LOG_LEVEL: 'silent' };
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates an administrator whose one-time password is printed once and must be changed at first login', async () => {
    const r = await cli(['admin', 'create', '--username', 'it.leitung', '--display-name', 'IT-Leitung'], env);
    expect('code' in r && r.code).toBeFalsy();
    const otp = /Einmalpasswort: (\S+)/.exec(r.stdout)?.[1] as string;
    expect(otp).toHaveLength(20);
    const dup = await cli(
      ['admin', 'create', '--username', 'it.leitung', '--display-name', 'Noch einmal'],
      env,
    );
    expect((dup as { code: number }).code).toBe(1);
    expect(dup.stderr).toContain('bereits vergeben');
    const bad = await cli(['admin', 'create', '--username', 'X', '--display-name', 'Y'], env);
    expect(bad.stderr).toContain('3 bis 64 Zeichen');

    const database = openDatabase({ sqliteFile: sqliteFileFor(dir) });
    const app = await buildApp({ config: { logLevel: 'silent' }, database });
    try {
      const row = await database.db
        .selectFrom('app_user')
        .selectAll()
        .where('username', '=', 'it.leitung')
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ is_admin: 1, must_change_password: 1, totp_secret: null });
      expect(row.password_hash).toMatch(/^\$argon2id\$/);
      expect(row.password_hash).not.toContain(otp);
      const login = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'it.leitung', password: otp },
      });
      expect(login.json().stage).toBe('pending_password_change');
    } finally {
      await app.close();
      await database.close();
    }
  });

  it('audit verify reports an intact chain, then the first row altered in the database', async () => {
    const ok = await cli(['audit', 'verify'], env);
    expect(ok.stdout).toContain('Prüfprotokoll intakt');
    const database = openDatabase({ sqliteFile: sqliteFileFor(dir) });
    try {
      await sql`DROP TRIGGER audit_log_no_update`.execute(database.db);
      await sql`UPDATE audit_log SET actor_id = 'jemand-anderes' WHERE seq = 1`.execute(database.db);
    } finally {
      await database.close();
    }
    const broken = await cli(['audit', 'verify'], env);
    expect((broken as { code: number }).code).toBe(4);
    expect(broken.stderr).toContain('erster beschädigter Eintrag 1 in Kette');
  });
});

describe('first start of the demo', () => {
  it('creates one administrator with a one-time password, never a fixed one, and only when none exists', async () => {
    const { handle, cleanup } = await openTestDatabase('sqlite');
    try {
      const a = await ensureFirstAdmin(handle.db, new Date(), { via: 'demo' });
      expect(a?.username).toBe('admin');
      const b = await openTestDatabase('sqlite');
      const other = await ensureFirstAdmin(b.handle.db, new Date(), { via: 'demo' });
      expect(other?.oneTimePassword).not.toBe(a?.oneTimePassword);
      await b.cleanup();
      expect(await ensureFirstAdmin(handle.db, new Date(), { via: 'demo' })).toBeUndefined();
      const row = await handle.db.selectFrom('app_user').selectAll().executeTakeFirstOrThrow();
      expect(row.must_change_password).toBe(1);
    } finally {
      await cleanup();
    }
  });
});

describe('serve over TLS with a self-signed certificate', () => {
  it('generates a certificate once, keeps its fingerprint, and serves HTTPS with it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nb-tls-'));
    const { handle, cleanup } = await openTestDatabase('sqlite');
    try {
      const tls = await selfSignedTls(dir, '127.0.0.1');
      expect(tls.generated).toBe(true);
      expect(tls.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
      const again = await selfSignedTls(dir, '127.0.0.1');
      expect(again.generated).toBe(false);
      expect(again.fingerprint).toBe(tls.fingerprint);
      expect(fs.statSync(tls.files?.key as string).mode & 0o077).toBe(0);

      const app = await buildApp({
        config: { logLevel: 'silent' },
        database: handle,
        tls: true,
        https: { key: tls.key, cert: tls.cert },
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      try {
        const port = (app.server.address() as AddressInfo).port;
        const seen = await new Promise<{ status: number; fingerprint: string; hsts: string | undefined }>(
          (resolve, reject) => {
            const req = https.get(
              { host: '127.0.0.1', port, path: '/healthz', rejectUnauthorized: false },
              (res) => {
                const cert = (res.socket as import('node:tls').TLSSocket).getPeerCertificate();
                res.resume();
                resolve({
                  status: res.statusCode ?? 0,
                  fingerprint: cert.fingerprint256,
                  hsts: res.headers['strict-transport-security'] as string | undefined,
                });
              },
            );
            req.on('error', reject);
          },
        );
        expect(seen.status).toBe(200);
        expect(seen.fingerprint).toBe(tls.fingerprint);
        expect(seen.hsts).toContain('max-age=');
      } finally {
        await app.close();
      }
    } finally {
      await cleanup();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
