import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import { appendAudit, verifyAuditChain } from '../core/audit/log.js';
import { createAccount, displayNameSchema, usernameSchema } from '../core/auth/accounts.js';
import type { Database } from '../db/types.js';
import { fail, openFromEnvironment } from './context.js';

/** CLI: `admin create`, `audit verify`, and the TLS material for `serve`. */

export async function createAdministrator(
  db: Kysely<Database>,
  input: { username: string; displayName: string },
  now: Date,
): Promise<{ userId: string; username: string; oneTimePassword: string }> {
  const username = usernameSchema.parse(input.username);
  const displayName = displayNameSchema.parse(input.displayName);
  const created = await db.transaction().execute(async (trx) => {
    const c = await createAccount(trx, { username, displayName, isAdmin: true }, now);
    await appendAudit(
      trx,
      { action: 'admin.user_created', target: { userId: c.userId }, detail: { via: 'cli' } },
      now,
    );
    return c;
  });
  return { ...created, username };
}

export function oneTimePasswordNotice(username: string, oneTimePassword: string): string {
  const line = '='.repeat(72);
  return [
    '',
    line,
    '  Administrationskonto angelegt',
    `  Benutzername:   ${username}`,
    `  Einmalpasswort: ${oneTimePassword}`,
    '  Das Einmalpasswort wird nur jetzt angezeigt. Bei der ersten Anmeldung',
    '  muss es geändert und der zweite Faktor (Authenticator-App) eingerichtet werden.',
    line,
    '',
  ].join('\n');
}

async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}

export function registerSecurityCommands(program: Command): void {
  const admin = program.command('admin').description('Konten der Administration');
  admin
    .command('create')
    .description(
      'Legt ein Administrationskonto mit Einmalpasswort an (einmalig angezeigt). Ohne Optionen wird interaktiv gefragt.',
    )
    .option('--username <name>', 'Benutzername (3–64 Zeichen: a–z, 0–9, . _ -)')
    .option('--display-name <name>', 'Anzeigename, z. B. „IT-Leitung Kreis Olpe“')
    .action(async (opts: { username?: string; displayName?: string }) => {
      try {
        let { username, displayName } = opts;
        if ((!username || !displayName) && !process.stdin.isTTY) {
          throw new Error('Ohne Terminal bitte --username und --display-name angeben.');
        }
        username ??= await ask('Benutzername: ');
        displayName ??= await ask('Anzeigename: ');
        const u = usernameSchema.safeParse(username);
        if (!u.success) throw new Error(u.error.issues[0]?.message ?? 'Ungültiger Benutzername.');
        const d = displayNameSchema.safeParse(displayName);
        if (!d.success) throw new Error(d.error.issues[0]?.message ?? 'Ungültiger Anzeigename.');
        const { database } = await openFromEnvironment();
        try {
          const c = await createAdministrator(
            database.db,
            { username: u.data, displayName: d.data },
            new Date(),
          );
          process.stdout.write(oneTimePasswordNotice(c.username, c.oneTimePassword));
        } finally {
          await database.close();
        }
      } catch (err) {
        const e = err as { errors?: Array<{ message: string }>; detail?: string };
        if (e?.errors?.length) return fail(new Error(e.errors.map((x) => x.message).join(' ')));
        fail(err);
      }
    });

  const audit = program.command('audit').description('Prüfprotokoll (Audit-Log)');
  audit
    .command('verify')
    .description('Prüft die Hash-Kette des Prüfprotokolls und nennt den ersten beschädigten Eintrag')
    .action(async () => {
      try {
        const { database } = await openFromEnvironment();
        try {
          const v = await verifyAuditChain(database.db);
          const lines = v.chains.map((c) =>
            c.ok
              ? `  Kette ${c.chain}: intakt, ${c.checked} Einträge, letzter Eintrag ${c.lastSeq}, Prüfsumme ${c.lastHash}`
              : `  Kette ${c.chain}: BESCHÄDIGT ab Eintrag ${c.firstBroken?.seq}: ${c.firstBroken?.reason} (${c.checked} Einträge davor intakt, bis Eintrag ${c.lastSeq})`,
          );
          const report = `${lines.join('\n')}\n`;
          if (v.ok) {
            process.stdout.write(
              `Prüfprotokoll intakt: ${v.checked} Einträge in ${v.chains.length} ${v.chains.length === 1 ? 'Kette' : 'Ketten'} geprüft.\n${report}` +
                `Gesamtprüfsumme der Kettenenden: ${v.head ?? '–'}\n` +
                '(Diese Prüfsummen außerhalb des Systems notieren: so fällt auch ein abgeschnittenes Ende auf.)\n',
            );
          } else {
            const broken = v.chains.filter((c) => !c.ok).length;
            process.stderr.write(
              `Prüfprotokoll BESCHÄDIGT: ${broken} von ${v.chains.length} Ketten, erster beschädigter Eintrag ${v.firstBroken?.seq} in Kette ${v.firstBroken?.chain}: ${v.firstBroken?.reason}.\n${report}`,
            );
            process.exitCode = 4;
          }
        } finally {
          await database.close();
        }
      } catch (err) {
        fail(err);
      }
    });
}

export interface TlsMaterial {
  key: string;
  cert: string;
  /** SHA-256 fingerprint of the certificate, colon-separated hex (as browsers show it). */
  fingerprint: string;
  generated: boolean;
  files?: { key: string; cert: string };
}

/** Reads key and certificate files (PEM). */
export function loadTls(certFile: string, keyFile: string): TlsMaterial {
  let cert: string;
  let key: string;
  try {
    cert = fs.readFileSync(certFile, 'utf8');
    key = fs.readFileSync(keyFile, 'utf8');
  } catch (err) {
    throw new Error(`TLS-Dateien nicht lesbar: ${(err as Error).message}`);
  }
  let fingerprint: string;
  try {
    fingerprint = new X509Certificate(cert).fingerprint256;
  } catch {
    throw new Error(`${certFile} ist kein PEM-Zertifikat.`);
  }
  return { key, cert, fingerprint, generated: false, files: { key: keyFile, cert: certFile } };
}

/**
 * A self-signed certificate for the LAN, kept in <dataDir>/tls so that its fingerprint stays the
 * same across restarts (clerks compare it once with the one printed on the console).
 */
export async function selfSignedTls(dataDir: string, host: string, now = new Date()): Promise<TlsMaterial> {
  const dir = path.join(dataDir, 'tls');
  const certFile = path.join(dir, 'selbstsigniert-zertifikat.pem');
  const keyFile = path.join(dir, 'selbstsigniert-schluessel.pem');
  if (fs.existsSync(certFile) && fs.existsSync(keyFile)) {
    const existing = loadTls(certFile, keyFile);
    const x = new X509Certificate(existing.cert);
    if (Date.parse(x.validTo) > now.getTime() + 7 * 24 * 3600 * 1000) return existing;
  }
  const { generate } = await import('selfsigned');
  const names = new Set(['localhost', os.hostname()]);
  const ips = new Set(['127.0.0.1', '::1']);
  if (/^[\d.]+$|:/.test(host)) {
    if (host !== '0.0.0.0' && host !== '::') ips.add(host);
  } else names.add(host);
  for (const addrs of Object.values(os.networkInterfaces())) {
    for (const a of addrs ?? []) if (!a.internal) ips.add(a.address.split('%')[0] as string);
  }
  const pems = await generate([{ name: 'commonName', value: os.hostname() || 'notbetrieb' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: now,
    notAfterDate: new Date(now.getTime() + 825 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          ...[...names].map((value) => ({ type: 2 as const, value })),
          ...[...ips].map((ip) => ({ type: 7 as const, ip })),
        ],
      },
    ],
  });
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(keyFile, pems.private, { mode: 0o600 });
  fs.writeFileSync(certFile, pems.cert, { mode: 0o644 });
  return {
    key: pems.private,
    cert: pems.cert,
    fingerprint: new X509Certificate(pems.cert).fingerprint256,
    generated: true,
    files: { key: keyFile, cert: certFile },
  };
}
