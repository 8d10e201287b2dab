import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon, { type RawRequest } from 'autocannon';
import { seedDemoAuthorities } from '../../src/core/authorities/seed.js';
import { openDatabase } from '../../src/db/database.js';
import { verlustanzeigeDaten } from '../../src/procedures/verlustanzeige/fixtures.js';
import { migrate } from '../../src/server/platform.js';
import { createPgDatabase, sessionUserIn, type TestUser } from '../../test/harness.js';
import { freePort, ROOT } from '../setup.js';

/**
 * Load and soak test (issue 7): 200 connections with authenticated sessions of several users send a
 * mix of reads and writes to a real server process for 60 s (soak: 30 min). Reports p50/p99
 * latency, errors (must be 0: connection errors, timeouts and non-2xx answers) and the server's
 * resident memory before and after (growth must stay within 20 %).
 *
 *   npm run bench:load                      60 s on SQLite
 *   npm run bench:load -- --soak            30 min
 *   npm run bench:load -- --postgres        on a fresh PostgreSQL database (TEST_DATABASE_URL)
 *   npm run bench:load -- --duration 20 --connections 50
 *   npm run bench:load -- --soak --rate 50  30 min at a fixed 50 requests/s (a realistic day, sped up)
 *
 * "Before" is measured after a warm-up (JIT, caches, connection pool filled), so that growth shows
 * leaks rather than start-up.
 */
const TOWNS = ['05970040', '05966024'] as const;

function arg(name: string): string | undefined {
  const i = process.argv.lastIndexOf(`--${name}`);
  if (i < 0) return undefined;
  const next = process.argv[i + 1];
  return next && !next.startsWith('--') ? next : 'true';
}

const soak = arg('soak') !== undefined;
const duration = Number(arg('duration') ?? (soak ? 1800 : 60));
const connections = Number(arg('connections') ?? 200);
const warmup = Number(arg('warmup') ?? 20);
const usePostgres = arg('postgres') !== undefined;
/** Requests per second over all connections (default: as fast as the server answers). */
const rate = arg('rate') ? Number(arg('rate')) : undefined;
const USERS = 8;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb * 1024;
}

const mib = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MiB`;

/** Share of requests the server itself answered within 0.1 s … 2.5 s (from /metrics). */
async function serverDurations(base: string): Promise<string> {
  try {
    const text = await (await fetch(`${base}/metrics`)).text();
    const buckets = new Map<string, number>();
    let count = 0;
    for (const line of text.split('\n')) {
      const b = /^notbetrieb_http_request_duration_seconds_bucket\{.*le="([^"]+)".*\} (\d+)/.exec(line);
      if (b) buckets.set(b[1] as string, (buckets.get(b[1] as string) ?? 0) + Number(b[2]));
      const c = /^notbetrieb_http_request_duration_seconds_count\{.*\} (\d+)/.exec(line);
      if (c) count += Number(c[1]);
    }
    if (!count) return 'keine Messwerte';
    return [...buckets.entries()]
      .filter(([le]) => ['0.1', '0.5', '1', '2.5', '+Inf'].includes(le))
      .map(([le, n]) => `≤ ${le} s: ${((n / count) * 100).toFixed(1)} %`)
      .join(', ');
  } catch {
    return 'nicht abrufbar';
  }
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nb-load-'));
  let drop = async () => {};
  let env: NodeJS.ProcessEnv;
  let handle: ReturnType<typeof openDatabase>;
  if (usePostgres) {
    const pg = await createPgDatabase();
    drop = pg.drop;
    handle = openDatabase({ databaseUrl: pg.url, poolSize: 2 });
    env = { ...process.env, DATABASE_URL: pg.url, DATA_DIR: tmp, LOG_LEVEL: 'warn' };
  } else {
    const dataDir = path.join(tmp, 'data');
    handle = openDatabase({ dataDir });
    env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn' };
  }
  await migrate(handle.db);
  await seedDemoAuthorities(handle.db, new Date());
  const users: TestUser[] = [];
  for (let i = 0; i < USERS; i++) {
    users.push(
      await sessionUserIn(
        handle,
        TOWNS.map((ags) => ({ ags, office: 'meldebehoerde' as const })),
        { displayName: `Last ${i + 1}` },
      ),
    );
  }
  await handle.close();

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', String(port), '--host', '127.0.0.1'],
    { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const cleanup = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await drop();
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/healthz`)).ok) break;
      } catch {
        // starting
      }
      if (i > 600) throw new Error('Server startet nicht');
      await sleep(100);
    }

    // Cases to read: some per user, so that reads hit real rows.
    const caseIds: string[] = [];
    for (let i = 0; i < 100; i++) {
      const user = users[i % USERS] as TestUser;
      const res = await fetch(`${base}/api/cases`, {
        method: 'POST',
        headers: { ...user.headers, 'idempotency-key': randomUUID(), 'content-type': 'application/json' },
        body: JSON.stringify({
          procedureId: 'verlustanzeige',
          authorityAgs: TOWNS[i % 2],
          data: verlustanzeigeDaten(),
        }),
      });
      if (res.status !== 201)
        throw new Error(`Vorbereitung: Anlegen ergab ${res.status}: ${await res.text()}`);
      caseIds.push(((await res.json()) as { id: string }).id);
    }

    const mix = { read: 0, search: 0, authorities: 0, create: 0 };
    const failures = new Map<string, number>();
    /** Latencies per kind of request (ms), measured from setupRequest to the answer. */
    const latencies = new Map<string, number[]>();
    const createBody = (i: number) =>
      JSON.stringify({
        procedureId: 'verlustanzeige',
        authorityAgs: TOWNS[i % 2],
        data: verlustanzeigeDaten(),
      });
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(Math.random() * xs.length)] as T;

    /** 45 % case reads, 25 % searches, 10 % authority lists, 20 % case creations. */
    function setupRequest(req: RawRequest, context: Record<string, unknown>): RawRequest {
      const user = pick(users);
      const r = Math.random();
      let kind: keyof typeof mix;
      let out: RawRequest;
      if (r < 0.45) {
        kind = 'read';
        out = { method: 'GET', path: `/api/cases/${pick(caseIds)}`, headers: { ...user.headers } };
      } else if (r < 0.7) {
        kind = 'search';
        out = {
          method: 'POST',
          path: '/api/cases/search',
          headers: { ...user.headers, 'content-type': 'application/json' },
          body: JSON.stringify(
            pick([
              { q: 'müßig' },
              { q: 'siegen', pageSize: 50 },
              { status: 'erfasst' },
              { sort: 'deadline' },
            ]),
          ),
        };
      } else if (r < 0.8) {
        kind = 'authorities';
        out = {
          method: 'GET',
          path: `/api/authorities?kreis=${pick(['05970000', '05966000'])}`,
          headers: { ...user.headers },
        };
      } else {
        kind = 'create';
        out = {
          method: 'POST',
          path: '/api/cases',
          headers: { ...user.headers, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
          body: createBody(Math.floor(Math.random() * 2)),
        };
      }
      mix[kind]++;
      context.kind = kind;
      context.start = performance.now();
      return { ...req, ...out };
    }
    function onResponse(status: number, body: string, context: Record<string, unknown>) {
      const list = latencies.get(String(context.kind)) ?? [];
      list.push(performance.now() - Number(context.start));
      latencies.set(String(context.kind), list);
      if (status >= 200 && status < 300) return;
      const key = `${String(context.kind)} ${status} ${body.slice(0, 120)}`;
      failures.set(key, (failures.get(key) ?? 0) + 1);
    }
    const run = (seconds: number) =>
      autocannon({
        url: base,
        connections,
        duration: seconds,
        timeout: 30,
        ...(rate ? { overallRate: rate } : {}),
        requests: [{ setupRequest, onResponse }],
      });

    process.stdout.write(`Aufwärmen: ${warmup} s mit ${connections} Verbindungen …\n`);
    await run(warmup);
    await sleep(2000);
    const pid = child.pid as number;
    const rssBefore = rssOf(pid);
    for (const k of Object.keys(mix)) mix[k as keyof typeof mix] = 0;
    failures.clear();
    latencies.clear();
    let rssMax = rssBefore;
    const sampler = setInterval(() => {
      rssMax = Math.max(rssMax, rssOf(pid));
    }, 1000);
    process.stdout.write(`Last: ${duration} s mit ${connections} Verbindungen, ${USERS} Nutzer …\n`);
    const result = await run(duration);
    clearInterval(sampler);
    await sleep(2000);
    const rssAfter = rssOf(pid);
    const serverSide = await serverDurations(base);
    const growth = (rssAfter - rssBefore) / rssBefore;
    // autocannon's `errors` already include the timeouts.
    const errors = result.errors + result.non2xx;
    const pct = (xs: number[], p: number) => {
      const sorted = [...xs].sort((a, b) => a - b);
      return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0);
    };
    const perKind = Object.keys(mix).map((k) => {
      const xs = latencies.get(k) ?? [];
      return `  ${k.padEnd(12)} ${String(xs.length).padStart(6)} Antworten von ${String(mix[k as keyof typeof mix]).padStart(6)}, p50 ${pct(xs, 50)} ms, p99 ${pct(xs, 99)} ms, max ${pct(xs, 100)} ms`;
    });
    const total = Object.values(mix).reduce((a, b) => a + b, 0);

    const lines = [
      `Datenbank:        ${usePostgres ? 'PostgreSQL' : 'SQLite (eingebettet)'}`,
      `Dauer:            ${result.duration} s, ${connections} Verbindungen, ${USERS} Nutzer mit Sitzungen${rate ? `, begrenzt auf ${rate} Anfragen/s` : ''}`,
      `Anfragen:         ${total} (${(total / result.duration).toFixed(0)}/s) – Lesen ${mix.read}, Suche ${mix.search}, Behörden ${mix.authorities}, Anlegen ${mix.create}`,
      `Latenz:           p50 ${result.latency.p50} ms, p90 ${result.latency.p90} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`,
      ...perKind,
      `Server-seitig:    ${serverSide}`,
      `Fehler:           ${errors} (Verbindungsfehler ${result.errors}, davon Zeitüberschreitungen (> 30 s) ${result.timeouts}; nicht-2xx ${result.non2xx})`,
      `Speicher (RSS):   vorher ${mib(rssBefore)}, nachher ${mib(rssAfter)}, Spitze ${mib(rssMax)}, Wachstum ${(growth * 100).toFixed(1)} %`,
      ...[...failures.entries()].slice(0, 10).map(([k, n]) => `  ! ${n}× ${k}`),
    ];
    process.stdout.write(`\n${lines.join('\n')}\n`);
    const ok = errors === 0 && growth <= 0.2;
    process.stdout.write(
      ok ? '\nErgebnis: bestanden (0 Fehler, Speicherwachstum ≤ 20 %)\n' : '\nErgebnis: NICHT bestanden\n',
    );
    await cleanup();
    process.exit(ok ? 0 : 1);
  } catch (err) {
    await cleanup();
    throw err;
  }
}

await main();
