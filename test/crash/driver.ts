import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import SQLite from 'better-sqlite3';
import { seedDemoAuthorities } from '../../src/core/authorities/seed.js';
import { verifyCases } from '../../src/core/backup/verify.js';
import { type DatabaseHandle, type DialectName, openDatabase, sqliteFileFor } from '../../src/db/database.js';
import { verlustanzeigeDaten } from '../../src/procedures/verlustanzeige/fixtures.js';
import { migrate, procedureRegistry } from '../../src/server/platform.js';
import { createPgDatabase, sessionUserIn, type TestUser } from '../harness.js';

/**
 * Kill test: case writes go over HTTP to a real server process, which is killed with SIGKILL at
 * random moments and restarted. Every write the server acknowledged (2xx) must be there afterwards,
 * with the same result on an idempotent retry; no case may be half-written; the SQLite file must pass
 * `PRAGMA integrity_check`. A write that got no answer (the server died) is retried with the same
 * Idempotency-Key, as a client would, until it is answered — so it ends up applied exactly once.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TOWNS = ['05970040', '05966024'] as const;

export interface KillTestOptions {
  dialect: DialectName;
  kills: number;
  /** Concurrent writers. */
  workers?: number;
  /** Random pause between a server being ready and its kill (ms). */
  minUpMs?: number;
  maxUpMs?: number;
  log?: (line: string) => void;
}

export interface KillTestResult {
  dialect: DialectName;
  /** HTTP write requests sent, retries included. */
  sent: number;
  /** Distinct writes acknowledged with 2xx. */
  acknowledged: number;
  /** Requests that got no answer because the server died, and were retried with the same key. */
  retried: number;
  kills: number;
  /** Acknowledged writes missing or answered differently afterwards. */
  lost: number;
  /** Cases whose actions and snapshot do not match. */
  halfWritten: number;
  /** Unexpected refusals (4xx/5xx) during the run. */
  unexpected: string[];
  cases: number;
  actions: number;
  integrity: string;
  lostDetails: string[];
}

interface Ack {
  kind: 'create' | 'action';
  key: string;
  url: string;
  user: TestUser;
  body: unknown;
  status: number;
  response: { id: string; version: number; status: string; actions: Array<{ seq: number; action: string }> };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class ServerProcess {
  child: ChildProcess | undefined;
  private lastOutput: string[] = [];

  constructor(
    private readonly port: number,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', String(this.port), '--host', '127.0.0.1'],
      { cwd: ROOT, env: this.env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    const keep = (d: Buffer) => {
      this.lastOutput.push(d.toString('utf8'));
      if (this.lastOutput.length > 20) this.lastOutput.shift();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) break;
      try {
        const res = await fetch(`${this.base}/healthz`, { signal: AbortSignal.timeout(1000) });
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
    throw new Error(`Server nicht gestartet:\n${this.lastOutput.join('')}`);
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
  }
}

/** Prepares a database with the demo authorities and three clerks with active sessions. */
async function prepare(dialect: DialectName): Promise<{
  env: NodeJS.ProcessEnv;
  users: TestUser[];
  open: () => DatabaseHandle;
  sqliteFile?: string;
  cleanup: () => Promise<void>;
}> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nb-crash-'));
  let handle: DatabaseHandle;
  let env: NodeJS.ProcessEnv;
  let open: () => DatabaseHandle;
  let drop = async () => {};
  let sqliteFile: string | undefined;
  if (dialect === 'sqlite') {
    const dataDir = path.join(tmp, 'data');
    sqliteFile = sqliteFileFor(dataDir);
    open = () => openDatabase({ dataDir });
    env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn' };
  } else {
    const pg = await createPgDatabase();
    drop = pg.drop;
    open = () => openDatabase({ databaseUrl: pg.url, poolSize: 2 });
    env = { ...process.env, DATABASE_URL: pg.url, DATA_DIR: path.join(tmp, 'data'), LOG_LEVEL: 'warn' };
  }
  handle = open();
  await migrate(handle.db);
  await seedDemoAuthorities(handle.db, new Date());
  const users: TestUser[] = [];
  for (let i = 0; i < 3; i++) {
    users.push(
      await sessionUserIn(
        handle,
        TOWNS.map((ags) => ({ ags, office: 'meldebehoerde' as const })),
        { displayName: `Sachbearbeitung ${i + 1}` },
      ),
    );
  }
  await handle.close();
  return {
    env,
    users,
    open,
    ...(sqliteFile ? { sqliteFile } : {}),
    cleanup: async () => {
      await drop();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

export async function runKillTest(opts: KillTestOptions): Promise<KillTestResult> {
  const log = opts.log ?? (() => {});
  const workers = opts.workers ?? 6;
  const minUp = opts.minUpMs ?? 300;
  const maxUp = opts.maxUpMs ?? 2000;
  const setup = await prepare(opts.dialect);
  const server = new ServerProcess(await freePort(), setup.env);
  const acks: Ack[] = [];
  const unexpected: string[] = [];
  let sent = 0;
  let retried = 0;
  let kills = 0;
  let stop = false;

  /** Sends one write; on a dead connection retries the same request (same key) until answered. */
  async function send(user: TestUser, url: string, body: unknown, key: string) {
    for (let attempt = 0; ; attempt++) {
      sent++;
      try {
        const res = await fetch(`${server.base}${url}`, {
          method: 'POST',
          headers: { ...user.headers, 'idempotency-key': key, 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        });
        const json = (await res.json()) as Ack['response'];
        return { status: res.status, json };
      } catch {
        if (attempt === 0) retried++;
        if (attempt > 600) throw new Error(`${url}: keine Antwort nach ${attempt} Versuchen`);
        await sleep(100);
      }
    }
  }

  async function worker(n: number) {
    const user = setup.users[n % setup.users.length] as TestUser;
    let current: { id: string; version: number; status: string } | undefined;
    let i = 0;
    while (!stop) {
      i++;
      const key = randomUUID();
      let url: string;
      let body: unknown;
      let kind: Ack['kind'];
      if (current?.status !== 'erfasst' || current.version >= 4) {
        kind = 'create';
        url = '/api/cases';
        body = {
          procedureId: 'verlustanzeige',
          authorityAgs: TOWNS[(n + i) % TOWNS.length],
          data: verlustanzeigeDaten({
            verlust: { art: 'verloren', datum: '2026-11-20', ort: `Ort ${n}-${i}` },
          }),
        };
      } else {
        kind = 'action';
        const r = Math.random();
        const action = r < 0.6 ? 'berichtigen' : r < 0.85 ? 'bestaetigen' : 'stornieren';
        url = `/api/cases/${current.id}/actions/${action}`;
        const payload =
          action === 'berichtigen'
            ? verlustanzeigeDaten({
                verlust: { art: 'gestohlen', datum: '2026-11-21', ort: `Berichtigt ${i}` },
              })
            : action === 'stornieren'
              ? { grund: 'Dokument wiedergefunden' }
              : undefined;
        body = { expectedVersion: current.version, ...(payload ? { payload } : {}) };
      }
      const res = await send(user, url, body, key);
      if (res.status >= 200 && res.status < 300) {
        acks.push({ kind, key, url, user, body, status: res.status, response: res.json });
        current = { id: res.json.id, version: res.json.version, status: res.json.status };
      } else {
        unexpected.push(`${kind} ${res.status} ${(res.json as unknown as { code?: string }).code ?? ''}`);
        current = undefined;
      }
    }
  }

  try {
    await server.start();
    const running = Array.from({ length: workers }, (_, n) => worker(n));
    for (let k = 0; k < opts.kills; k++) {
      await sleep(minUp + Math.random() * (maxUp - minUp));
      await server.kill('SIGKILL');
      kills++;
      log(`Kill ${kills}/${opts.kills} (bisher ${acks.length} bestätigte Schreibvorgänge)`);
      await server.start();
    }
    await sleep(minUp);
    stop = true;
    await Promise.all(running);

    // Every acknowledged write is there, and its key returns the same answer.
    const lostDetails: string[] = [];
    for (const ack of acks) {
      const get = await fetch(`${server.base}/api/cases/${ack.response.id}`, { headers: ack.user.headers });
      const view = (await get.json()) as Ack['response'];
      const seq = ack.response.version;
      const action = ack.response.actions.find((a) => a.seq === seq)?.action;
      if (get.status !== 200 || !view.actions.some((a) => a.seq === seq && a.action === action)) {
        lostDetails.push(`${ack.kind} ${ack.key}: nicht vorhanden (GET ${get.status})`);
        continue;
      }
      const again = await fetch(`${server.base}${ack.url}`, {
        method: 'POST',
        headers: { ...ack.user.headers, 'idempotency-key': ack.key, 'content-type': 'application/json' },
        body: JSON.stringify(ack.body),
      });
      const replayed = await again.json();
      if (again.status !== ack.status || !isDeepStrictEqual(replayed, ack.response)) {
        lostDetails.push(`${ack.kind} ${ack.key}: Wiederholung lieferte ${again.status} statt ${ack.status}`);
      }
    }
    await server.kill('SIGTERM');

    const handle = setup.open();
    let check: Awaited<ReturnType<typeof verifyCases>>;
    let createdRows: number;
    try {
      check = await verifyCases(handle.db, procedureRegistry());
      createdRows = check.cases;
    } finally {
      await handle.close();
    }
    const acknowledgedCreates = new Set(acks.filter((a) => a.kind === 'create').map((a) => a.response.id));
    if (createdRows !== acknowledgedCreates.size) {
      check.problems.push(
        `${createdRows} Vorgänge in der Datenbank, aber ${acknowledgedCreates.size} bestätigte Anlagen (doppelt oder verloren)`,
      );
    }
    let integrity = 'nicht anwendbar (PostgreSQL)';
    if (setup.sqliteFile) {
      const db = new SQLite(setup.sqliteFile, { readonly: true });
      integrity = String(db.pragma('integrity_check', { simple: true }));
      db.close();
    }
    return {
      dialect: opts.dialect,
      sent,
      acknowledged: acks.length,
      retried,
      kills,
      lost: lostDetails.length,
      halfWritten: check.problems.length,
      unexpected,
      cases: check.cases,
      actions: check.actions,
      integrity,
      lostDetails: [...lostDetails, ...check.problems],
    };
  } finally {
    stop = true;
    await server.kill('SIGKILL');
    await setup.cleanup();
  }
}

export function formatResult(r: KillTestResult): string {
  return [
    `Kill-Test [${r.dialect}]`,
    `  Schreibanfragen gesendet: ${r.sent} (davon ${r.retried} nach Kill mit demselben Schlüssel wiederholt)`,
    `  bestätigt (2xx):          ${r.acknowledged}`,
    `  Kills (SIGKILL):          ${r.kills}`,
    `  verloren:                 ${r.lost}`,
    `  halb geschriebene Vorgänge: ${r.halfWritten}`,
    `  unerwartete Ablehnungen:  ${r.unexpected.length}`,
    `  Vorgänge / Aktionen:      ${r.cases} / ${r.actions}`,
    `  PRAGMA integrity_check:   ${r.integrity}`,
    ...r.lostDetails.slice(0, 20).map((d) => `  ! ${d}`),
    ...r.unexpected.slice(0, 20).map((d) => `  ! ${d}`),
  ].join('\n');
}
