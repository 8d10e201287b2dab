import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon, { type Client, type Options, type RawRequest, type Result } from 'autocannon';
import { type DatabaseHandle, openDatabase } from '../src/db/database.js';
import { verlustanzeigeDaten } from '../src/procedures/verlustanzeige/fixtures.js';
import {
  type BenchUser,
  benchEnvironment,
  bucket,
  cpuMsOf,
  machineLine,
  prepareDatabase,
  type ServerProcess,
  serverBuckets,
  serverPercentiles,
  startProcess,
  tableLines,
  withBenchPostgres,
  writeResults,
} from './setup.js';

/**
 * Benchmark of the cases API (issue 2, point 9; issue 17, point 2): creating cases and performing
 * actions over HTTP with autocannon at 50 connections, on SQLite (WAL, synchronous=FULL — the app's
 * default) and on PostgreSQL, each beside a baseline of its own database measured in the same run,
 * before and after: a bare Fastify route doing one better-sqlite3 insert (same durability), and
 * one doing one `pg` insert (the server's synchronous_commit, pool of 10 as the app). Every server
 * runs as its own process.
 *
 *   npm run bench
 *
 * Environment: BENCH_DURATION (seconds per scenario, default 10), BENCH_WARMUP (default 2),
 * BENCH_CONNECTIONS (default 50), BENCH_DATABASE_URL (PostgreSQL admin URL, default
 * TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres), BENCH_LOG_LEVEL (server log
 * level, default info as in production), BENCH_SERVER=src to run the server from the TypeScript
 * sources via tsx instead of the compiled dist/ (which `npm run bench` builds first, as production runs).
 */

const { DURATION, WARMUP, CONNECTIONS, PG_ADMIN_URL, LOG_LEVEL, FROM_DIST } = benchEnvironment();
/** Subset to run, e.g. BENCH_ONLY=baseline,sqlite (default: baseline,sqlite,postgres). */
const ONLY = new Set((process.env.BENCH_ONLY ?? 'baseline,sqlite,postgres').split(','));
/** Extra node flags for the app server, e.g. BENCH_SERVER_NODE_ARGS=--cpu-prof for profiling. */
const SERVER_NODE_ARGS = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);

/** A slow answer is measured as latency rather than dropped as a timeout, up to this. */
const TIMEOUT_S = 30;
const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 50;

const SIEGEN = '05970040';
const createBody = JSON.stringify({
  procedureId: 'verlustanzeige',
  authorityAgs: SIEGEN,
  data: verlustanzeigeDaten(),
});
const correctedData = verlustanzeigeDaten({
  verlust: { art: 'gestohlen', datum: '2026-11-20', ort: 'Bahnhof Siegen, Gleis 2' },
});

interface Row {
  scenario: string;
  result: Result;
  /** Time inside the server (onRequest to response) from its /metrics histogram, upper bucket bounds. */
  server?: { p50: number; p99: number } | undefined;
  /** CPU time (user + system) the server process spent per answered request. */
  cpuMsPerRequest?: number | undefined;
}

const rows: Row[] = [];

function log(msg: string): void {
  process.stdout.write(`${msg}\n`);
}

async function pause(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

/** Runs autocannon once unmeasured (warm-up), then measured. */
async function measure(
  scenario: string,
  opts: Omit<Options, 'connections' | 'duration'>,
  hooks: {
    beforeEachRun?: () => Promise<void>;
    settle?: () => Promise<void>;
    route?: string;
    pid?: number | undefined;
  } = {},
): Promise<Result> {
  const settle = hooks.settle ?? (() => pause(500));
  const origin = new URL(opts.url).origin;
  if (WARMUP > 0) {
    await hooks.beforeEachRun?.();
    await autocannon({ ...opts, connections: CONNECTIONS, duration: WARMUP, timeout: TIMEOUT_S });
    await settle();
  }
  await hooks.beforeEachRun?.();
  const before = hooks.route ? await serverBuckets(origin, hooks.route, 'POST') : undefined;
  const cpuBefore = cpuMsOf(hooks.pid);
  log(`  ${scenario}: ${DURATION} s …`);
  const result = await autocannon({
    ...opts,
    connections: CONNECTIONS,
    duration: DURATION,
    timeout: TIMEOUT_S,
  });
  await settle();
  const cpuAfter = cpuMsOf(hooks.pid);
  const server =
    hooks.route && before
      ? serverPercentiles(before, await serverBuckets(origin, hooks.route, 'POST'))
      : undefined;
  const cpuMsPerRequest =
    cpuBefore !== undefined && cpuAfter !== undefined && result.requests.total > 0
      ? (cpuAfter - cpuBefore) / result.requests.total
      : undefined;
  rows.push({ scenario, result, server, cpuMsPerRequest });
  if (process.env.BENCH_VERBOSE) log(`    latency ${JSON.stringify(result.latency)}`);
  return result;
}

/**
 * Waits until requests cut off at the end of a run have finished on the server (no new actions for
 * a second), so the next run starts on a quiet server with known case versions.
 */
async function settled(handle: DatabaseHandle): Promise<void> {
  const count = async () =>
    Number(
      (
        await handle.db
          .selectFrom('case_action')
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  let last = await count();
  const deadline = Date.now() + TIMEOUT_S * 1000;
  while (Date.now() < deadline) {
    await pause(1000);
    const now = await count();
    if (now === last) return;
    last = now;
  }
}

function serverArgs(): string[] {
  const script = FROM_DIST ? ['dist/cli/main.js', 'serve'] : ['--import', 'tsx', 'src/cli/main.ts', 'serve'];
  return [...SERVER_NODE_ARGS, ...script];
}

async function startApp(env: Record<string, string>): Promise<ServerProcess> {
  return startProcess({ args: serverArgs(), env: { LOG_LEVEL: LOG_LEVEL, ...env }, readyPath: '/readyz' });
}

/** POST /api/cases, a fresh Idempotency-Key per request. */
function createOptions(url: string, user: BenchUser): Omit<Options, 'connections' | 'duration'> {
  const headers = { ...user.headers, 'content-type': 'application/json' };
  return {
    url,
    requests: [
      {
        method: 'POST',
        path: '/api/cases',
        headers,
        body: createBody,
        setupRequest: (req: RawRequest) => ({
          ...req,
          headers: { ...headers, 'idempotency-key': randomUUID() },
        }),
      },
    ],
  };
}

interface OpenCase {
  id: string;
  version: number;
}

/**
 * POST /api/cases/:id/actions/berichtigen with the right expectedVersion. Each connection owns its
 * own cases (so no request is refused as outdated) and takes them in turn (so no case's history
 * grows long); a 200 moves that case one version on.
 */
function actionOptions(
  url: string,
  user: BenchUser,
  cases: OpenCase[],
): Omit<Options, 'connections' | 'duration'> {
  const headers = { ...user.headers, 'content-type': 'application/json' };
  let nextClient = 0;
  return {
    url,
    setupClient: (client: Client) => {
      const index = nextClient++;
      const mine = cases.filter((_, i) => i % CONNECTIONS === index % CONNECTIONS);
      let turn = 0;
      let current: OpenCase | undefined;
      client.setRequests([
        {
          method: 'POST',
          path: '/api/cases',
          setupRequest: (req: RawRequest) => {
            current = mine[turn++ % mine.length];
            if (!current) throw new Error('no case for this connection');
            return {
              ...req,
              path: `/api/cases/${current.id}/actions/berichtigen`,
              headers: { ...headers, 'idempotency-key': randomUUID() },
              body: JSON.stringify({ expectedVersion: current.version, payload: correctedData }),
            };
          },
          onResponse: (status: number) => {
            if (status === 200 && current) current.version += 1;
          },
        },
      ]);
    },
  };
}

/** The bench's open cases with their current versions (re-read before each run). */
async function openCases(handle: DatabaseHandle): Promise<OpenCase[]> {
  const found = await handle.db
    .selectFrom('cases')
    .select(['id', 'version'])
    .where('status', '=', 'erfasst')
    .orderBy('id')
    .execute();
  return found.map((c) => ({ id: c.id, version: Number(c.version) }));
}

/** Makes sure every connection owns several cases. */
async function topUpCases(url: string, user: BenchUser, handle: DatabaseHandle): Promise<void> {
  const want = CONNECTIONS * 4;
  let have = (await openCases(handle)).length;
  while (have < want) {
    const res = await fetch(`${url}/api/cases`, {
      method: 'POST',
      headers: { ...user.headers, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: createBody,
    });
    if (res.status !== 201) throw new Error(`Vorbereitung: Anlegen antwortete ${res.status}`);
    have++;
  }
}

/** Create and action scenarios against one app process on the given database. */
async function benchApp(
  label: string,
  handle: DatabaseHandle,
  user: BenchUser,
  env: Record<string, string>,
): Promise<void> {
  const server = await startApp(env);
  try {
    const settle = () => settled(handle);
    await measure(`${label} create`, createOptions(server.url, user), {
      settle,
      route: '/api/cases',
      pid: server.pid,
    });
    await topUpCases(server.url, user, handle);
    const cases: OpenCase[] = [];
    await measure(`${label} action`, actionOptions(server.url, user, cases), {
      settle,
      route: '/api/cases/:id/actions/:action',
      pid: server.pid,
      // Requests cut off at the end of the warm-up may have moved a case on: re-read.
      beforeEachRun: async () => {
        cases.splice(0, cases.length, ...(await openCases(handle)));
      },
    });
  } finally {
    await server.stop();
  }
}

async function benchBaseline(dir: string, label: string, pgUrl?: string): Promise<Result> {
  const server = await startProcess({
    args: ['--import', 'tsx', 'bench/baseline-server.ts'],
    env: pgUrl ? { BASELINE_PG_URL: pgUrl } : { BASELINE_DB: path.join(dir, 'baseline.sqlite') },
    readyPath: '/healthz',
  });
  try {
    return await measure(
      pgUrl
        ? `baseline PostgreSQL ${label} (bare Fastify + 1 pg insert)`
        : `baseline ${label} (bare Fastify + 1 SQLite insert)`,
      {
        url: `${server.url}/insert`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: createBody,
      },
      { pid: server.pid },
    );
  } finally {
    await server.stop();
  }
}

async function benchSqlite(dir: string): Promise<void> {
  const dataDir = path.join(dir, 'sqlite');
  const handle = openDatabase({ dataDir });
  try {
    const user = await prepareDatabase(handle, SIEGEN);
    await benchApp('SQLite', handle, user, { DATA_DIR: dataDir });
  } finally {
    await handle.close();
  }
}

async function benchPostgres(dir: string, baselines: Result[]): Promise<boolean> {
  // The PostgreSQL baseline on the same server, in a database of its own, before and after the app
  // (same durability: the server's synchronous_commit, on by default).
  return withBenchPostgres(PG_ADMIN_URL, log, async (_baseline, baselineUrl) => {
    if (ONLY.has('baseline')) baselines.push(await benchBaseline(dir, 'before', baselineUrl));
    await withBenchPostgres(PG_ADMIN_URL, log, async (handle, url) => {
      const user = await prepareDatabase(handle, SIEGEN);
      await benchApp('PostgreSQL', handle, user, { DATABASE_URL: url });
    });
    if (ONLY.has('baseline')) baselines.push(await benchBaseline(dir, 'after', baselineUrl));
  });
}

function errorsOf(r: Result): number {
  return r.non2xx + r.errors;
}

function mean(results: Result[]): number {
  return results.length
    ? results.reduce((sum, b) => sum + b.requests.average, 0) / results.length
    : Number.NaN;
}

/**
 * Each baseline is measured before and after the app scenarios of its database (the machine may
 * be shared and its load may change during the run); ratios are taken to the mean of both. SQLite
 * rows are compared with the SQLite baseline, PostgreSQL rows with the PostgreSQL baseline.
 */
function report(sqliteBaselines: Result[], pgBaselines: Result[]): void {
  const base = mean(sqliteBaselines);
  const pgBase = mean(pgBaselines);
  const baseOf = (scenario: string) => (/postgres/i.test(scenario) ? pgBase : base);
  const isBaseline = (r: Result) => sqliteBaselines.includes(r) || pgBaselines.includes(r);
  const header = [
    'scenario',
    'req/s',
    'p50 ms',
    'p99 ms',
    'non-2xx',
    'timeouts',
    'ratio to baseline',
    'in server p50/p99 ms',
    'server CPU ms/req',
  ];
  const lines = rows.map(({ scenario, result, server, cpuMsPerRequest }) => [
    scenario,
    result.requests.average.toFixed(0),
    result.latency.p50.toFixed(1),
    result.latency.p99.toFixed(1),
    String(result.non2xx),
    String(result.errors),
    isBaseline(result)
      ? `${(result.requests.average / baseOf(scenario)).toFixed(2)} (baseline)`
      : (result.requests.average / baseOf(scenario)).toFixed(2),
    server ? `${bucket(server.p50)} / ${bucket(server.p99)}` : '–',
    cpuMsPerRequest === undefined ? '–' : cpuMsPerRequest.toFixed(2),
  ]);
  log('');
  for (const l of tableLines(header, lines)) log(l);
  log('');

  for (const [label, group, b] of [
    ['SQLite', sqliteBaselines, base],
    ['PostgreSQL', pgBaselines, pgBase],
  ] as const) {
    if (!group.length) continue;
    log(
      `Baseline ${label} (Mittel aus ${group.length} Messungen): ${b.toFixed(0)} req/s; ihr eigenes p99: ${group.map((r) => `${r.latency.p99.toFixed(0)} ms`).join(' / ')}`,
    );
  }
  for (const { scenario, result } of rows.filter((r) => r.scenario.startsWith('SQLite'))) {
    const ratio = result.requests.average / base;
    const met = ratio >= TARGET_RATIO && result.latency.p99 <= TARGET_P99_MS && errorsOf(result) === 0;
    log(
      `Ziel ${scenario}: ≥ ${TARGET_RATIO * 100} % des Baseline-Durchsatzes und p99 ≤ ${TARGET_P99_MS} ms, 0 Fehler – ${met ? 'erreicht' : 'VERFEHLT'} (${(ratio * 100).toFixed(0)} %, p99 ${result.latency.p99.toFixed(1)} ms, ${errorsOf(result)} Fehler)`,
    );
  }
  for (const { scenario, result } of rows.filter((r) => r.scenario.startsWith('PostgreSQL'))) {
    if (!pgBaselines.length) break;
    const ratio = result.requests.average / pgBase;
    const met = ratio >= TARGET_RATIO && errorsOf(result) === 0;
    log(
      `Ziel ${scenario} (issue 17): ≥ ${TARGET_RATIO * 100} % der PostgreSQL-Baseline (bare Fastify + pg, gleiche Dauerhaftigkeit), 0 Fehler – ${met ? 'erreicht' : 'VERFEHLT'} (${(ratio * 100).toFixed(0)} %, p99 ${result.latency.p99.toFixed(1)} ms, ${errorsOf(result)} Fehler)`,
    );
  }
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'notbetrieb-bench-'));
  const load = os.loadavg();
  log(
    `Notbetrieb bench/cases: ${CONNECTIONS} Verbindungen, ${DURATION} s je Szenario (+${WARMUP} s Aufwärmen), Server ${FROM_DIST ? 'dist/' : 'tsx src/'}, LOG_LEVEL=${LOG_LEVEL}`,
  );
  log(machineLine());
  const baselines: Result[] = [];
  const pgBaselines: Result[] = [];
  try {
    if (ONLY.has('sqlite')) {
      if (ONLY.has('baseline')) baselines.push(await benchBaseline(dir, 'before'));
      await benchSqlite(dir);
      if (ONLY.has('baseline')) baselines.push(await benchBaseline(dir, 'after'));
    }
    if (ONLY.has('postgres')) await benchPostgres(dir, pgBaselines);
    report(baselines, pgBaselines);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const after = os.loadavg();
  log(`Last danach (1/5/15 min): ${after.map((l) => l.toFixed(2)).join(' / ')}`);
  const file = writeResults('cases', {
    connections: CONNECTIONS,
    duration: DURATION,
    loadBefore: load,
    loadAfter: after,
    rows: rows.map(({ scenario, result: r, server, cpuMsPerRequest }) => ({
      scenario,
      reqPerSec: r.requests.average,
      p50: r.latency.p50,
      p99: r.latency.p99,
      errors: errorsOf(r),
      statusCodes: r.statusCodeStats,
      inServer: server,
      cpuMsPerRequest,
    })),
  });
  log(`Ergebnisse: ${file}`);
  // A refused request means the bench itself is wrong: fail loudly. Missed targets are printed above.
  if (rows.some((r) => errorsOf(r.result) > 0)) process.exitCode = 1;
}

await main();
