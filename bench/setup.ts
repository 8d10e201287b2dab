import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createSession } from '../src/core/auth/sessions.js';
import { seedDemoAuthorities } from '../src/core/authorities/seed.js';
import { newId } from '../src/core/ids.js';
import { type DatabaseHandle, openDatabase } from '../src/db/database.js';
import { migrate } from '../src/server/platform.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The settings the HTTP benches share: BENCH_DURATION (seconds per measurement, default 10),
 * BENCH_WARMUP (2), BENCH_CONNECTIONS (50), BENCH_DATABASE_URL (PostgreSQL admin URL, default
 * TEST_DATABASE_URL or the local server), BENCH_LOG_LEVEL (server log level, default info as in
 * production), BENCH_SERVER=src (servers from the sources via tsx instead of dist/).
 */
export function benchEnvironment() {
  return {
    DURATION: Number(process.env.BENCH_DURATION ?? 10),
    WARMUP: Number(process.env.BENCH_WARMUP ?? 2),
    CONNECTIONS: Number(process.env.BENCH_CONNECTIONS ?? 50),
    PG_ADMIN_URL:
      process.env.BENCH_DATABASE_URL ??
      process.env.TEST_DATABASE_URL ??
      'postgres://postgres@127.0.0.1:5432/postgres',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
    FROM_DIST: process.env.BENCH_SERVER !== 'src',
  };
}

/** Writes a bench's figures to bench/results/<name>-<timestamp>.json; returns the path (relative to ROOT). */
export function writeResults(name: string, content: object): string {
  fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  const file = path.join(
    ROOT,
    'bench/results',
    `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
  );
  fs.writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), ...content }, null, 2));
  return path.relative(ROOT, file);
}

export interface BenchUser {
  userId: string;
  headers: { cookie: string; 'x-csrf-token': string };
}

/**
 * Migrates and seeds a bench database and creates a clerk of the Meldebehörde of the given
 * authority with an active session (as after password and second factor), directly in the DB.
 */
export async function prepareDatabase(handle: DatabaseHandle, ags: string): Promise<BenchUser> {
  const now = new Date();
  const nowIso = now.toISOString();
  await migrate(handle.db);
  await seedDemoAuthorities(handle.db, now);
  const userId = newId();
  await handle.db
    .insertInto('app_user')
    .values({
      id: userId,
      username: `bench${userId.slice(-12)}`,
      display_name: 'Bench Sachbearbeitung',
      password_hash: '!unusable',
      must_change_password: 0,
      totp_secret: null,
      totp_enrolled_at: nowIso,
      is_admin: 0,
      is_crisis_team: 0,
      disabled_at: null,
      created_at: nowIso,
      updated_at: nowIso,
    })
    .execute();
  await handle.db
    .insertInto('user_grant')
    .values({ user_id: userId, authority_ags: ags, office_type: 'meldebehoerde', role: 'sachbearbeitung' })
    .execute();
  const s = await createSession(handle.db, { userId, stage: 'active', clientAddress: '127.0.0.1', now });
  return { userId, headers: { cookie: `nb_session=${s.token}`, 'x-csrf-token': s.csrfToken } };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = (probe.address() as net.AddressInfo) ?? {};
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Preloaded into every spawned server: it ends when its stdin (a pipe from the bench) closes, so
 * an interrupted bench leaves no server behind.
 */
const EXIT_WITH_PARENT =
  'data:text/javascript,process.stdin.on("end",()=>process.exit(0));process.stdin.on("error",()=>process.exit(0));process.stdin.resume();';

export interface ServerProcess {
  url: string;
  pid: number | undefined;
  stop: () => Promise<void>;
}

/** Spawns a node script as its own process and waits until `readyPath` answers 200. */
export async function startProcess(opts: {
  args: string[];
  env: Record<string, string>;
  readyPath: string;
}): Promise<ServerProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  let exited = false;
  const child: ChildProcess = spawn(process.execPath, ['--import', EXIT_WITH_PARENT, ...opts.args], {
    cwd: ROOT,
    env: { ...process.env, ...opts.env, PORT: String(port), HOST: '127.0.0.1' },
    // stdout (request logs) goes to /dev/null so a full pipe never slows the server down.
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  child.on('exit', () => {
    exited = true;
  });
  const stop = async () => {
    if (exited) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`Process ended before it was ready:\n${output}`);
    try {
      const res = await fetch(`${url}${opts.readyPath}`);
      if (res.status === 200) return { url, pid: child.pid, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`Process not ready within 60 s:\n${output}`);
}

/** USER_HZ of /proc/<pid>/stat; 100 on Linux x86-64 and arm64. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system, ms) a process has used so far, from /proc (Linux); undefined elsewhere.
 * Unlike throughput, this hardly depends on how busy the rest of a shared machine is.
 */
export function cpuMsOf(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/**
 * Cumulative bucket counts of the server's request-duration histogram (its /metrics) for one
 * route, and only that method when given, by upper bound (s).
 */
export async function serverBuckets(
  baseUrl: string,
  route: string,
  method?: string,
): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  const text = await fetch(`${baseUrl}/metrics`)
    .then((r) => r.text())
    .catch(() => '');
  for (const line of text.split('\n')) {
    if (!line.startsWith('notbetrieb_http_request_duration_seconds_bucket{')) continue;
    if (!line.includes(`route="${route}"`)) continue;
    if (method && !line.includes(`method="${method}"`)) continue;
    const le = /le="([^"]+)"/.exec(line)?.[1];
    const count = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (le) out.set(le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le), count);
  }
  return out;
}

/** p50/p99 (as bucket upper bounds, ms) of the requests between two histogram snapshots; none: undefined. */
export function serverPercentiles(
  before: Map<number, number>,
  after: Map<number, number>,
): { p50: number; p99: number } | undefined {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const delta = bounds.map((b) => (after.get(b) ?? 0) - (before.get(b) ?? 0));
  const total = delta.at(-1) ?? 0;
  if (!total) return undefined;
  const at = (q: number) => (bounds[delta.findIndex((c) => c >= q * total)] ?? Number.NaN) * 1000;
  return { p50: at(0.5), p99: at(0.99) };
}

/** Largest finite bucket of the server's request-duration histogram (src/server/plugins/metrics.ts). */
export const LARGEST_BUCKET_MS = 2500;

/** A histogram bucket bound for display: "≤ 25", or "> 2500" for the overflow bucket. */
export function bucket(ms: number): string {
  return Number.isFinite(ms) ? `≤ ${ms}` : `> ${LARGEST_BUCKET_MS}`;
}

/** The machine line every bench prints first (cores, load average, Node). */
export function machineLine(): string {
  const load = os.loadavg();
  return `Maschine: ${os.cpus().length} CPUs, Last (1/5/15 min) ${load.map((l) => l.toFixed(2)).join(' / ')}, Node ${process.version}`;
}

/** A text table: the first column left-aligned, the others right-aligned, a rule under the header. */
export function tableLines(header: string[], lines: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(fmt)];
}

/**
 * Runs `fn` on a fresh PostgreSQL database (created from the admin URL, dropped afterwards, the
 * bench's own handle with a pool of 2). Returns false, after saying so, when the server is not
 * reachable.
 */
export async function withBenchPostgres(
  adminUrl: string,
  log: (msg: string) => void,
  fn: (handle: DatabaseHandle, url: string) => Promise<void>,
): Promise<boolean> {
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch {
    log(`  PostgreSQL unter ${adminUrl} nicht erreichbar – PostgreSQL-Messung übersprungen.`);
    return false;
  }
  const name = `nb_bench_${randomBytes(6).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = openDatabase({ databaseUrl: url.toString(), poolSize: 2 });
  try {
    await fn(handle, url.toString());
  } finally {
    await handle.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
  return true;
}
