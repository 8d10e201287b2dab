import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { type DatabaseHandle, openDatabase } from '../src/db/database.js';
import {
  fahrzeug,
  halterPerson,
  SIEGEN_WITTGENSTEIN,
  sepa,
  testPlateConfig,
} from '../src/procedures/kfz/fixtures.js';
import { type PlateConfig, plateKey, poolAfter } from '../src/procedures/kfz/plates.js';
import { verlustanzeigeDaten } from '../src/procedures/verlustanzeige/fixtures.js';
import { sessionUserIn, type TestUser } from '../test/harness.js';
import {
  type BenchUser,
  bucket,
  cpuMsOf,
  machineLine,
  prepareDatabase,
  ROOT,
  type ServerProcess,
  serverBuckets,
  serverPercentiles,
  startProcess,
  tableLines,
  withBenchPostgres,
} from './setup.js';

/**
 * Benchmark of the Zulassungsstelle's plate pool (issue 12, point 8): N concurrent clerks (default
 * 50, each with an own session) record a Neuzulassung and draw the next free plate over the real
 * HTTP routes (POST /api/cases, then POST /api/cases/:id/actions/kennzeichen_zuteilen with
 * { wahl: 'naechstes' }), for --duration seconds, against the app as its own process on SQLite and
 * on PostgreSQL. After each run the database is checked: no plate in two cases, every allocation
 * row belongs to exactly one case and the allocated plates are the first N of the pool in the legal
 * order (no gap). Beside it, in the same run and with the same client: the baseline of
 * bench/cases.ts (bench/baseline-server.ts: bare Fastify + one SQLite insert), before and after,
 * and on each app server first the cases bench's create scenario (POST /api/cases, a
 * Verlustanzeige of the Meldebehörde Siegen), so the plate draw can be told from the app's general
 * cost on a loaded machine. "im Server" = p50/p99 of the server's /metrics histogram (bucket bounds).
 *
 *   npm run bench:plates                       # 60 s per scenario, server from dist/
 *   npx tsx bench/plates.ts --duration 10 --server src
 *
 * Options: --duration (s, default 60), --warmup (s, default 2), --clerks (default 50),
 * --only baseline,sqlite,postgres, --server dist|src. PostgreSQL: BENCH_DATABASE_URL or
 * TEST_DATABASE_URL (admin URL, default postgres://postgres@127.0.0.1:5432/postgres).
 */

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

const DURATION_S = Number(option('duration', '60'));
const WARMUP_S = Number(option('warmup', '2'));
const CLERKS = Number(option('clerks', '50'));
const ONLY = new Set(option('only', 'baseline,sqlite,postgres').split(','));
const FROM_DIST = option('server', 'dist') !== 'src';
const PG_ADMIN_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';
const SW = SIEGEN_WITTGENSTEIN;
const SIEGEN = '05970040';

/** A pool larger than any run draws: SI-AA 1 … SI-AZ 9999 (25 letter pairs, KZ etc. not among them). */
const POOL: PlateConfig = testPlateConfig({
  serien: [
    {
      unterscheidungszeichen: 'SI',
      buchstaben: 'ABCDEFGHJKLMNPRSTUVWXYZ'.split('').map((c) => `A${c}`),
      von: 1,
      bis: 9999,
    },
  ],
});

function log(msg: string): void {
  process.stdout.write(`${msg}\n`);
}

// ---- client -------------------------------------------------------------------------------------

interface Answer {
  status: number;
  body: string;
  ms: number;
}

function client(baseUrl: string) {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLERKS + 2 });
  const send = (method: string, pathName: string, headers: Record<string, string>, body?: string) =>
    new Promise<Answer>((resolve, reject) => {
      const started = performance.now();
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          method,
          path: pathName,
          agent,
          headers: {
            ...headers,
            ...(body !== undefined
              ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
              : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString(),
              ms: performance.now() - started,
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  return { send, close: () => agent.destroy() };
}

/** Latencies (ms) and statuses of one kind of request within the measured window. */
class Series {
  readonly ms: number[] = [];
  readonly statuses = new Map<number, number>();
  add(a: Answer): void {
    this.ms.push(a.ms);
    this.statuses.set(a.status, (this.statuses.get(a.status) ?? 0) + 1);
  }
  ok(): number {
    return [...this.statuses].filter(([s]) => s >= 200 && s < 300).reduce((n, [, c]) => n + c, 0);
  }
  failed(): number {
    return this.ms.length - this.ok();
  }
  quantile(q: number): number {
    const sorted = [...this.ms].sort((a, b) => a - b);
    return sorted.length ? (sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0) : 0;
  }
}

/**
 * Runs `clerks` loops for warm-up + duration; only requests started in the measured window count.
 * `atStart` runs once when the measured window opens (server-side snapshots).
 */
async function runClerks(
  clerkLoop: (measuring: () => boolean, stop: () => boolean) => Promise<void>,
  atStart?: () => void,
): Promise<number> {
  const warmEnd = Date.now() + WARMUP_S * 1000;
  const end = warmEnd + DURATION_S * 1000;
  const timer = setTimeout(() => atStart?.(), WARMUP_S * 1000);
  const loops = Array.from({ length: CLERKS }, () =>
    clerkLoop(
      () => Date.now() >= warmEnd,
      () => Date.now() >= end,
    ),
  );
  await Promise.all(loops);
  clearTimeout(timer);
  return DURATION_S;
}

// ---- scenarios ----------------------------------------------------------------------------------

interface Row {
  scenario: string;
  perSecond: number;
  series: Series;
  check?: string;
  server?: { p50: number; p99: number } | undefined;
  /** CPU time (user + system) of the server process per answered request; for the plate draw per create + draw. */
  cpuMs?: number | undefined;
}

/** The server-side latency of one route between two /metrics snapshots. */
async function inServer(baseUrl: string, route: string) {
  const before = await serverBuckets(baseUrl, route, 'POST');
  return async () => serverPercentiles(before, await serverBuckets(baseUrl, route, 'POST'));
}

const rows: Row[] = [];

const baselineBody = JSON.stringify({ procedureId: 'neuzulassung', authorityAgs: SW, data: { fahrzeug } });

async function benchBaseline(dir: string, label: string): Promise<Row> {
  const server = await startProcess({
    args: ['--import', 'tsx', 'bench/baseline-server.ts'],
    env: { BASELINE_DB: path.join(dir, `baseline-${label}.sqlite`) },
    readyPath: '/healthz',
  });
  const c = client(server.url);
  const series = new Series();
  try {
    log(`  Basis ${label}: ${DURATION_S} s …`);
    const seconds = await runClerks(async (measuring, stop) => {
      while (!stop()) {
        const count = measuring();
        const a = await c.send('POST', '/insert', {}, baselineBody);
        if (count) series.add(a);
      }
    });
    const row = {
      scenario: `Basis ${label} (Fastify + 1 SQLite-Insert, bench/cases.ts)`,
      perSecond: series.ok() / seconds,
      series,
    };
    rows.push(row);
    return row;
  } finally {
    c.close();
    await server.stop();
  }
}

/** eVB numbers: 7 characters without I and O, unique per run (an eVB is single use). */
function evbSource(prefix: string): () => string {
  let n = 0;
  return () => {
    n += 1;
    return `${prefix}${String(n).padStart(6, '0')}`;
  };
}

function neuzulassung(evb: string, today: string): string {
  return JSON.stringify({
    procedureId: 'neuzulassung',
    authorityAgs: SW,
    data: {
      antrag: { antragsdatum: today },
      halter: halterPerson,
      fahrzeug,
      kennzeichen: { zusatz: 'keiner' },
      versicherung: { evb },
      papiere: { zb2Nummer: 'AB1234567' },
      sepa,
    },
  });
}

function todayInBerlin(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date());
}

/**
 * After the run: the plates as the database holds them. Duplicates = plates named by more than one
 * case (the case data) or by a response; every allocated kfz_plate row must point to the case that
 * names it; the allocated plates must be the first N of the pool (no plate skipped).
 */
async function checkDatabase(handle: DatabaseHandle, drawnByResponse: string[]): Promise<string> {
  const cases = await handle.db
    .selectFrom('cases')
    .select(['id', 'data'])
    .where('procedure_id', '=', 'neuzulassung')
    .where('status', '=', 'kennzeichen_zugeteilt')
    .execute();
  const byPlate = new Map<string, string[]>();
  for (const c of cases) {
    const plate = (JSON.parse(c.data) as { zuteilung?: { kennzeichen?: string } }).zuteilung?.kennzeichen;
    if (!plate) throw new Error(`Vorgang ${c.id} ohne zugeteiltes Kennzeichen`);
    byPlate.set(plate, [...(byPlate.get(plate) ?? []), c.id]);
  }
  const duplicateInCases = [...byPlate.values()].filter((ids) => ids.length > 1).length;
  const duplicateInResponses = drawnByResponse.length - new Set(drawnByResponse).size;
  const allocated = await handle.db
    .selectFrom('kfz_plate')
    .select(['kennzeichen', 'case_id'])
    .where('authority_ags', '=', SW)
    .where('status', '=', 'zugeteilt')
    .execute();
  const mismatched = allocated.filter((r) => {
    const ids = byPlate.get(r.kennzeichen);
    return ids?.length !== 1 || ids[0] !== r.case_id;
  }).length;
  const expected = new Set<string>();
  for (const cand of poolAfter(POOL, 'SI', 0)) {
    if (expected.size >= allocated.length) break;
    if (cand.issuable(null)) expected.add(plateKey(cand.plate));
  }
  const gaps = allocated.filter((r) => !expected.has(r.kennzeichen)).length;
  const problems =
    duplicateInCases +
    duplicateInResponses +
    mismatched +
    gaps +
    Math.abs(allocated.length - cases.length) +
    Math.abs(allocated.length - drawnByResponse.length);
  if (problems > 0) process.exitCode = 1;
  return `${allocated.length} Zuteilungen in der DB (${cases.length} Vorgänge, ${drawnByResponse.length} Antworten 200); doppelt: ${duplicateInCases} in Vorgängen, ${duplicateInResponses} in Antworten; Zeile ≠ Vorgang: ${mismatched}; Lücken in der Reihenfolge: ${gaps}`;
}

/** The cases bench's create scenario, with this bench's client: Verlustanzeigen of Siegen. */
async function casesCreate(
  label: string,
  baseUrl: string,
  send: ReturnType<typeof client>['send'],
  user: BenchUser,
  pid: number | undefined,
) {
  const body = JSON.stringify({
    procedureId: 'verlustanzeige',
    authorityAgs: SIEGEN,
    data: verlustanzeigeDaten(),
  });
  const series = new Series();
  log(`  ${label}: Vorgänge anlegen wie bench/cases.ts, ${DURATION_S} s …`);
  let snapshot:
    | Promise<{ server: Awaited<ReturnType<typeof inServer>>; cpu0: number | undefined }>
    | undefined;
  const seconds = await runClerks(
    async (measuring, stop) => {
      while (!stop()) {
        const count = measuring();
        const a = await send(
          'POST',
          '/api/cases',
          { ...user.headers, 'idempotency-key': randomUUID() },
          body,
        );
        if (count) series.add(a);
      }
    },
    () => {
      snapshot = (async () => ({ cpu0: cpuMsOf(pid), server: await inServer(baseUrl, '/api/cases') }))();
    },
  );
  const snap = await snapshot;
  rows.push({
    scenario: `${label} Verlustanzeige anlegen (bench/cases.ts create)`,
    perSecond: series.ok() / seconds,
    series,
    cpuMs: cpuPer(snap?.cpu0, cpuMsOf(pid), series.ms.length),
    server: await snap?.server(),
  });
}

function cpuPer(before: number | undefined, after: number | undefined, requests: number): number | undefined {
  return before !== undefined && after !== undefined && requests > 0
    ? (after - before) / requests
    : undefined;
}

async function benchApp(label: string, handle: DatabaseHandle, env: Record<string, string>): Promise<void> {
  const meldebehoerde = await prepareDatabase(handle, SIEGEN);
  const head = await sessionUserIn(handle, [{ ags: SW, office: 'zulassungsstelle', role: 'leitung' }]);
  const clerks: TestUser[] = [];
  for (let i = 0; i < CLERKS; i++) {
    clerks.push(await sessionUserIn(handle, [{ ags: SW, office: 'zulassungsstelle' }]));
  }
  const script = FROM_DIST ? ['dist/cli/main.js', 'serve'] : ['--import', 'tsx', 'src/cli/main.ts', 'serve'];
  const server: ServerProcess = await startProcess({
    args: script,
    env: { LOG_LEVEL: 'info', ...env },
    readyPath: '/readyz',
  });
  const c = client(server.url);
  const write = (user: TestUser, method: string, url: string, body: object) =>
    c.send(method, url, { ...user.headers, 'idempotency-key': randomUUID() }, JSON.stringify(body));
  try {
    const configured = await write(head, 'PUT', '/api/kfz/kennzeichen/einstellungen', {
      authorityAgs: SW,
      config: POOL,
    });
    if (configured.status !== 200)
      throw new Error(`Serie einrichten: ${configured.status} ${configured.body}`);
    await casesCreate(label, server.url, c.send, meldebehoerde, server.pid);
    const today = todayInBerlin();
    const nextEvb = evbSource(label.startsWith('SQLite') ? 'S' : 'P');
    const create = new Series();
    const draw = new Series();
    const drawn: string[] = [];
    log(`  ${label}: ${CLERKS} Sachbearbeitende, ${DURATION_S} s (+${WARMUP_S} s Aufwärmen) …`);
    let clerkNo = 0;
    let snapshot:
      | Promise<{
          cpu0: number | undefined;
          create: Awaited<ReturnType<typeof inServer>>;
          draw: Awaited<ReturnType<typeof inServer>>;
        }>
      | undefined;
    const seconds = await runClerks(
      async (measuring, stop) => {
        const clerk = clerks[clerkNo++ % clerks.length] as TestUser;
        while (!stop()) {
          const count = measuring();
          const created = await c.send(
            'POST',
            '/api/cases',
            { ...clerk.headers, 'idempotency-key': randomUUID() },
            neuzulassung(nextEvb(), today),
          );
          if (count) create.add(created);
          if (created.status !== 201) continue;
          const view = JSON.parse(created.body) as { id: string; version: number };
          const a = await write(clerk, 'POST', `/api/cases/${view.id}/actions/kennzeichen_zuteilen`, {
            expectedVersion: view.version,
            payload: { wahl: 'naechstes' },
          });
          if (count) draw.add(a);
          if (a.status === 200) {
            drawn.push(
              (JSON.parse(a.body) as { data: { zuteilung: { kennzeichen: string } } }).data.zuteilung
                .kennzeichen,
            );
          }
        }
      },
      () => {
        snapshot = (async () => ({
          cpu0: cpuMsOf(server.pid),
          create: await inServer(server.url, '/api/cases'),
          draw: await inServer(server.url, '/api/cases/:id/actions/:action'),
        }))();
      },
    );
    const snap = await snapshot;
    const cpuMs = cpuPer(snap?.cpu0, cpuMsOf(server.pid), draw.ms.length);
    const check = await checkDatabase(handle, drawn);
    rows.push({
      scenario: `${label} Neuzulassung anlegen`,
      perSecond: create.ok() / seconds,
      series: create,
      server: await snap?.create(),
    });
    rows.push({
      scenario: `${label} nächstes Kennzeichen ziehen`,
      perSecond: draw.ok() / seconds,
      series: draw,
      check,
      server: await snap?.draw(),
      cpuMs,
    });
  } finally {
    c.close();
    await server.stop();
  }
}

async function benchSqlite(dir: string): Promise<void> {
  const dataDir = path.join(dir, 'sqlite');
  const handle = openDatabase({ dataDir });
  try {
    await benchApp('SQLite', handle, { DATA_DIR: dataDir });
  } finally {
    await handle.close();
  }
}

async function benchPostgres(): Promise<void> {
  await withBenchPostgres(PG_ADMIN_URL, log, (handle, url) =>
    benchApp('PostgreSQL', handle, { DATABASE_URL: url }),
  );
}

// ---- report -------------------------------------------------------------------------------------

function report(baselines: Row[]): void {
  const base = baselines.length
    ? baselines.reduce((s, b) => s + b.perSecond, 0) / baselines.length
    : Number.NaN;
  const header = [
    'Szenario',
    'req/s',
    'Median ms',
    'p99 ms',
    'Fehler',
    'Verhältnis zur Basis',
    'im Server p50/p99',
    'Server-CPU ms',
  ];
  const lines = rows.map((r) => [
    r.scenario,
    r.perSecond.toFixed(0),
    r.series.quantile(0.5).toFixed(1),
    r.series.quantile(0.99).toFixed(1),
    String(r.series.failed()),
    baselines.includes(r) ? `${(r.perSecond / base).toFixed(2)} (Basis)` : (r.perSecond / base).toFixed(3),
    r.server ? `${bucket(r.server.p50)} / ${bucket(r.server.p99)}` : '–',
    r.cpuMs === undefined ? '–' : r.cpuMs.toFixed(2),
  ]);
  log('');
  for (const l of tableLines(header, lines)) log(l);
  log('');
  if (baselines.length) log(`Basis (Mittel aus ${baselines.length} Messungen): ${base.toFixed(0)} req/s`);
  log('Server-CPU ms: je Anfrage; in der Zeile „Kennzeichen ziehen“ je Anlegen + Ziehen zusammen.');
  for (const r of rows.filter((x) => x.check)) log(`Prüfung ${r.scenario}: ${r.check}`);
  for (const r of rows.filter((x) => x.series.failed() > 0)) {
    log(`Fehlerantworten ${r.scenario}: ${JSON.stringify(Object.fromEntries(r.series.statuses))}`);
  }
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'notbetrieb-plates-'));
  const load = os.loadavg();
  log(
    `Notbetrieb bench/plates: ${CLERKS} Sachbearbeitende, ${DURATION_S} s je Szenario, Server ${FROM_DIST ? 'dist/' : 'tsx src/'}`,
  );
  log(machineLine());
  const baselines: Row[] = [];
  try {
    if (ONLY.has('baseline')) baselines.push(await benchBaseline(dir, 'vorher'));
    if (ONLY.has('sqlite')) await benchSqlite(dir);
    if (ONLY.has('postgres')) await benchPostgres();
    if (ONLY.has('baseline')) baselines.push(await benchBaseline(dir, 'nachher'));
    report(baselines);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  log(
    `Last danach (1/5/15 min): ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' / ')}`,
  );
  fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  const file = path.join(
    ROOT,
    'bench/results',
    `plates-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
  );
  fs.writeFileSync(
    file,
    JSON.stringify(
      {
        at: new Date().toISOString(),
        clerks: CLERKS,
        duration: DURATION_S,
        loadBefore: load,
        rows: rows.map((r) => ({
          scenario: r.scenario,
          perSecond: r.perSecond,
          median: r.series.quantile(0.5),
          p99: r.series.quantile(0.99),
          statuses: Object.fromEntries(r.series.statuses),
          check: r.check,
          inServer: r.server,
          cpuMs: r.cpuMs,
        })),
      },
      null,
      2,
    ),
  );
  log(`Ergebnisse: ${path.relative(ROOT, file)}`);
  if (rows.some((r) => r.series.failed() > 0)) process.exitCode = 1;
}

await main();
