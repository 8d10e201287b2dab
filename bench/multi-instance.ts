import { randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';
import autocannon, { type RawRequest, type Result } from 'autocannon';
import pg from 'pg';
import { verifyAuditChain } from '../src/core/audit/log.js';
import { openDatabase } from '../src/db/database.js';
import { verlustanzeigeDaten } from '../src/procedures/verlustanzeige/fixtures.js';
import {
  type BenchUser,
  benchEnvironment,
  cpuMsOf,
  prepareDatabase,
  type ServerProcess,
  startProcess,
  writeResults,
} from './setup.js';

/**
 * Several app instances on one PostgreSQL database (issue 17, point 3): starts 1, 2 and 4 app
 * processes behind a small round-robin proxy (bench/rr-proxy.ts, its own process) and measures
 * case creates over HTTP with autocannon through the proxy; prints throughput per instance count
 * beside the single instance of the same run, and checks after each run that every audit chain
 * verifies and the Aktenzeichen are gapless.
 *
 *   npm run bench:multi
 *
 * The creates go to BENCH_AUTHORITIES authorities in turn (default 4; 1 = all into one
 * authority, the worst case for the Aktenzeichen counter and the audit chain, which serialise per
 * authority). Environment as bench/cases.ts: BENCH_DURATION (default 10), BENCH_WARMUP (2),
 * BENCH_CONNECTIONS (50), BENCH_DATABASE_URL, BENCH_LOG_LEVEL (info), BENCH_SERVER=src; and
 * BENCH_INSTANCES (default 1,2,4), DATABASE_POOL_SIZE per process (default 10).
 *
 * On a machine with fewer cores than instances + PostgreSQL + autocannon the instances compete for
 * CPU: the figures then show the per-request cost, not the scaling of a region's servers.
 */

const { DURATION, WARMUP, CONNECTIONS, PG_ADMIN_URL, LOG_LEVEL, FROM_DIST } = benchEnvironment();
const INSTANCES = (process.env.BENCH_INSTANCES ?? '1,2,4').split(',').map(Number);
const POOL_SIZE = process.env.DATABASE_POOL_SIZE ?? '10';
/** Meldebehörden of the demo authorities the creates rotate over. */
const AUTHORITIES = ['05970040', '05966024', '05970024', '05966020', '05970016', '05966004'].slice(
  0,
  Math.max(1, Math.min(6, Number(process.env.BENCH_AUTHORITIES ?? 4))),
);

function log(msg: string): void {
  process.stdout.write(`${msg}\n`);
}

interface Row {
  instances: number;
  result: Result;
  cpuMsPerRequest: number | undefined;
  auditOk: boolean;
  numbersOk: boolean;
}

function appArgs(): string[] {
  return FROM_DIST ? ['dist/cli/main.js', 'serve'] : ['--import', 'tsx', 'src/cli/main.ts', 'serve'];
}

async function createRun(url: string, user: BenchUser, duration: number): Promise<Result> {
  const headers = { ...user.headers, 'content-type': 'application/json' };
  const bodies = AUTHORITIES.map((ags) =>
    JSON.stringify({ procedureId: 'verlustanzeige', authorityAgs: ags, data: verlustanzeigeDaten() }),
  );
  let turn = 0;
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: '/api/cases',
        setupRequest: (req: RawRequest) => ({
          ...req,
          headers: { ...headers, 'idempotency-key': randomUUID() },
          body: bodies[turn++ % bodies.length],
        }),
      },
    ],
  });
}

async function main(): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  await admin.connect();
  const name = `nb_bench_multi_${randomBytes(6).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  const handle = openDatabase({ databaseUrl: url.toString(), poolSize: 2 });
  const load = os.loadavg();
  log(
    `Notbetrieb bench/multi-instance: ${CONNECTIONS} Verbindungen, ${DURATION} s je Messung (+${WARMUP} s Aufwärmen), ${AUTHORITIES.length} Behörde(n), Pool ${POOL_SIZE} je Prozess, Server ${FROM_DIST ? 'dist/' : 'tsx src/'}`,
  );
  log(
    `Maschine: ${os.cpus().length} CPUs, Last (1/5/15 min) ${load.map((l) => l.toFixed(2)).join(' / ')}, Node ${process.version}`,
  );
  const rows: Row[] = [];
  try {
    const user = await prepareDatabase(handle, AUTHORITIES[0] as string);
    await handle.db
      .insertInto('user_grant')
      .values(
        AUTHORITIES.slice(1).map((ags) => ({
          user_id: user.userId,
          authority_ags: ags,
          office_type: 'meldebehoerde',
          role: 'sachbearbeitung',
        })),
      )
      .execute()
      .catch(() => undefined);
    for (const n of INSTANCES) {
      const apps: ServerProcess[] = [];
      let proxy: ServerProcess | undefined;
      try {
        for (const started of await Promise.all(
          Array.from({ length: n }, () =>
            startProcess({
              args: appArgs(),
              env: { DATABASE_URL: url.toString(), LOG_LEVEL, DATABASE_POOL_SIZE: POOL_SIZE },
              readyPath: '/readyz',
            }),
          ),
        )) {
          apps.push(started);
        }
        proxy = await startProcess({
          args: ['--import', 'tsx', 'bench/rr-proxy.ts'],
          env: { UPSTREAMS: apps.map((a) => a.url).join(',') },
          readyPath: '/healthz',
        });
        if (WARMUP > 0) await createRun(proxy.url, user, WARMUP);
        const cpuBefore = apps.map((a) => cpuMsOf(a.pid) ?? 0);
        log(`  ${n} Instanz(en): ${DURATION} s …`);
        const result = await createRun(proxy.url, user, DURATION);
        const cpu = apps.reduce((sum, a, i) => sum + ((cpuMsOf(a.pid) ?? 0) - (cpuBefore[i] ?? 0)), 0);
        await new Promise((r) => setTimeout(r, 1000));
        const audit = await verifyAuditChain(handle.db);
        const gaps = await handle.db
          .selectFrom('cases')
          .select([
            'authority_ags',
            (eb) => eb.fn.countAll<string>().as('n'),
            (eb) => eb.fn.max('seq').as('max'),
          ])
          .groupBy('authority_ags')
          .execute();
        rows.push({
          instances: n,
          result,
          cpuMsPerRequest: result.requests.total ? cpu / result.requests.total : undefined,
          auditOk: audit.ok,
          numbersOk: gaps.every((g) => Number(g.n) === Number(g.max)),
        });
      } finally {
        await proxy?.stop();
        await Promise.all(apps.map((a) => a.stop()));
      }
    }
  } finally {
    await handle.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }

  const single = rows.find((r) => r.instances === 1)?.result.requests.average ?? Number.NaN;
  const header = [
    'instances',
    'req/s',
    'ratio to 1',
    'p50 ms',
    'p99 ms',
    'errors',
    'app CPU ms/req',
    'audit',
    'numbers',
  ];
  const lines = rows.map((r) => [
    String(r.instances),
    r.result.requests.average.toFixed(0),
    (r.result.requests.average / single).toFixed(2),
    r.result.latency.p50.toFixed(1),
    r.result.latency.p99.toFixed(1),
    String(r.result.non2xx + r.result.errors),
    r.cpuMsPerRequest === undefined ? '–' : r.cpuMsPerRequest.toFixed(2),
    r.auditOk ? 'intakt' : 'BESCHÄDIGT',
    r.numbersOk ? 'lückenlos' : 'LÜCKEN',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ');
  log('');
  log(fmt(header));
  log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) log(fmt(l));
  log('');
  const after = os.loadavg();
  log(`Last danach (1/5/15 min): ${after.map((l) => l.toFixed(2)).join(' / ')}`);
  const file = writeResults('multi-instance', {
    connections: CONNECTIONS,
    duration: DURATION,
    authorities: AUTHORITIES.length,
    loadBefore: load,
    loadAfter: after,
    rows: rows.map((r) => ({
      instances: r.instances,
      reqPerSec: r.result.requests.average,
      p50: r.result.latency.p50,
      p99: r.result.latency.p99,
      errors: r.result.non2xx + r.result.errors,
      cpuMsPerRequest: r.cpuMsPerRequest,
      auditOk: r.auditOk,
      numbersOk: r.numbersOk,
    })),
  });
  log(`Ergebnisse: ${file}`);
  if (rows.some((r) => r.result.non2xx + r.result.errors > 0 || !r.auditOk || !r.numbersOk))
    process.exitCode = 1;
}

await main();
