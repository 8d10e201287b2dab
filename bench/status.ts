import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon, { type Result } from 'autocannon';
import { createSession } from '../src/core/auth/sessions.js';
import { newId } from '../src/core/ids.js';
import { openDatabase } from '../src/db/database.js';
import { berlinToIso, isoToBerlin } from '../src/procedures/krisenstab/web/time.js';
import { buildApp } from '../src/server/app.js';
import { cpuMsOf, prepareDatabase, serverBuckets, serverPercentiles, startProcess } from './setup.js';

/**
 * Benchmark of the public pages (issue 16, point 6): the status page of a municipality
 * (GET /oeffentlich/:ags) and its slot listing (GET /oeffentlich/:ags/termine) under 200
 * connections, beside a static-file baseline measured in the same run: a bare Fastify with
 * @fastify/static serving the very same bytes (the pages as the app rendered them, saved to
 * files). Also the status page revalidated by a cache (If-None-Match, 304). Every server runs as
 * its own process; the app from dist/ (`npm run bench:status` compiles it) on a SQLite file with
 * the demo region, a catalogue of 12 services and 7 days × 32 released slots.
 *
 *   npm run bench:status
 *
 * Environment: BENCH_CONNECTIONS (default 200), BENCH_DURATION (seconds per run, default 10),
 * BENCH_SERVER=src (run the app from the TypeScript sources), BENCH_LOG_LEVEL (default info).
 * Prints throughput and latency (autocannon: p50, p99) and the ratios app / baseline; the time
 * inside the app (its /metrics histogram) and its CPU time per request. No figure is asserted:
 * the machine is shared and noisy.
 */
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 200);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const FROM_DIST = process.env.BENCH_SERVER !== 'src';
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'info';
const SIEGEN = '05970040';
const log = (msg: string) => process.stdout.write(`${msg}\n`);

/** A crisis-team account with an active session (as after password and second factor). */
async function crisisTeam(handle: ReturnType<typeof openDatabase>, now: Date) {
  const id = newId();
  const at = now.toISOString();
  await handle.db
    .insertInto('app_user')
    .values({
      id,
      username: `krisenstab${id.slice(-8)}`,
      display_name: 'Bench Krisenstab',
      password_hash: '!unusable',
      must_change_password: 0,
      totp_secret: null,
      totp_enrolled_at: at,
      is_admin: 0,
      is_crisis_team: 1,
      disabled_at: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  const s = await createSession(handle.db, { userId: id, stage: 'active', clientAddress: '127.0.0.1', now });
  return { cookie: `nb_session=${s.token}`, 'x-csrf-token': s.csrfToken };
}

async function prepare(dataDir: string): Promise<void> {
  const handle = openDatabase({ dataDir });
  try {
    const clerk = await prepareDatabase(handle, SIEGEN);
    const now = new Date();
    await handle.db
      .updateTable('user_grant')
      .set({ role: 'leitung' })
      .where('user_id', '=', clerk.userId)
      .execute();
    const crisis = await crisisTeam(handle, now);
    const app = await buildApp({ config: { logLevel: 'silent' }, database: handle });
    await app.ready();
    const send = async (method: 'POST' | 'PUT', url: string, payload: object) => {
      const user = url.startsWith('/api/krisenstab') ? crisis : clerk.headers;
      const res = await app.inject({
        method,
        url,
        headers: { ...user, 'idempotency-key': randomUUID() },
        payload,
      });
      if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
      return res.json();
    };
    await send('PUT', `/api/krisenstab/katalog/${SIEGEN}/lage`, {
      expectedVersion: 0,
      lage: {
        ausfallSeit: new Date(now.getTime() - 3 * 86_400_000).toISOString(),
        hinweis: 'Wegen eines IT-Ausfalls sind viele Dienste eingeschränkt. Bitte bringen Sie Geduld mit.',
        buergertelefon: '0271 404-1111',
        kontaktEmail: 'notbetrieb@siegen.example',
      },
    });
    for (let i = 0; i < 12; i++) {
      await send('POST', `/api/krisenstab/katalog/${SIEGEN}/dienste`, {
        dienst: {
          title: `Dienst ${i + 1}: Anträge und Auskünfte`,
          status: ['notbetrieb', 'nachbarbehoerde', 'ausgesetzt', 'normal'][i % 4],
          ort: 'Rathaus, Markt 2, 57072 Siegen',
          zeiten: 'Mo–Fr 8–12 Uhr\nDo 14–18 Uhr',
          ausweichName: 'Kreuztal',
          hotline: '0271 404-0',
          hinweis: 'Bitte Ausweis mitbringen.',
          wazStunden: 24,
          mtaStunden: 72,
          oeffentlich: true,
        },
      });
    }
    const room = await send('POST', '/api/rooms', {
      authorityAgs: SIEGEN,
      officeType: 'meldebehoerde',
      name: 'Bürgerbüro Schalter 1',
    });
    const slots: Array<{ startsAt: string; endsAt: string }> = [];
    for (let d = 1; d <= 7; d++) {
      const day = isoToBerlin(new Date(now.getTime() + d * 86_400_000).toISOString()).date;
      for (let m = 8 * 60; m < 16 * 60; m += 15) {
        const hhmm = (x: number) =>
          `${String(Math.floor(x / 60)).padStart(2, '0')}:${String(x % 60).padStart(2, '0')}`;
        slots.push({ startsAt: berlinToIso(day, hhmm(m)), endsAt: berlinToIso(day, hhmm(m + 15)) });
      }
    }
    await send('POST', `/api/rooms/${room.id}/slots`, { slots });
    await send('PUT', `/api/termine/raeume/${room.id}/freigabe`, { oeffentlich: true });
    await app.close();
  } finally {
    await handle.close();
  }
}

async function run(url: string, headers: Record<string, string> = {}): Promise<Result> {
  await autocannon({ url, connections: CONNECTIONS, duration: 2, headers }); // warm-up
  return autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers });
}

interface Row {
  scenario: string;
  result: Result;
  server?: { p50: number; p99: number } | undefined;
  cpuMsPerRequest?: number | undefined;
}

function line(r: Row, base?: Row): string {
  const rps = r.result.requests.average;
  const ratio = base
    ? ` | ×${(rps / base.result.requests.average).toFixed(2)} Durchsatz, ×${(r.result.latency.p99 / Math.max(1, base.result.latency.p99)).toFixed(2)} p99`
    : '';
  const inside = r.server ? ` | im Server p50 ≤${r.server.p50} ms p99 ≤${r.server.p99} ms` : '';
  const cpu = r.cpuMsPerRequest !== undefined ? ` | CPU ${r.cpuMsPerRequest.toFixed(3)} ms/Anfrage` : '';
  const errors =
    r.result.non2xx || r.result.errors ? ` | non-2xx ${r.result.non2xx}, Fehler ${r.result.errors}` : '';
  return `${r.scenario.padEnd(44)} ${rps.toFixed(0).padStart(7)} req/s  p50 ${String(r.result.latency.p50).padStart(4)} ms  p99 ${String(r.result.latency.p99).padStart(5)} ms${ratio}${inside}${cpu}${errors}`;
}

async function measure(
  scenario: string,
  origin: string,
  urlPath: string,
  opts: { pid?: number | undefined; route?: string; headers?: Record<string, string> } = {},
): Promise<Row> {
  const before = opts.route ? await serverBuckets(origin, opts.route, 'GET') : undefined;
  const cpu0 = cpuMsOf(opts.pid);
  const result = await run(`${origin}${urlPath}`, opts.headers);
  const cpu1 = cpuMsOf(opts.pid);
  const server =
    before && opts.route
      ? serverPercentiles(before, await serverBuckets(origin, opts.route, 'GET'))
      : undefined;
  const answered = result.requests.total;
  const cpuMsPerRequest =
    cpu0 !== undefined && cpu1 !== undefined && answered ? (cpu1 - cpu0) / answered : undefined;
  return { scenario, result, server, cpuMsPerRequest };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nb-bench-status-'));
  const dataDir = path.join(dir, 'data');
  const staticDir = path.join(dir, 'static');
  fs.mkdirSync(staticDir, { recursive: true });
  log(`Vorbereitung in ${dir} …`);
  await prepare(dataDir);
  const script = FROM_DIST ? ['dist/cli/main.js', 'serve'] : ['--import', 'tsx', 'src/cli/main.ts', 'serve'];
  const app = await startProcess({
    args: script,
    env: { DATA_DIR: dataDir, LOG_LEVEL },
    readyPath: '/readyz',
  });
  const rows: Row[] = [];
  try {
    // The baseline serves exactly the bytes the app answers.
    const status = await fetch(`${app.url}/oeffentlich/${SIEGEN}`);
    const statusHtml = await status.text();
    const etag = status.headers.get('etag') ?? '';
    const slotsHtml = await (await fetch(`${app.url}/oeffentlich/${SIEGEN}/termine`)).text();
    if (!slotsHtml.includes('/termine/')) throw new Error('Die Terminliste zeigt keine freien Termine.');
    fs.writeFileSync(path.join(staticDir, 'status.html'), statusHtml);
    fs.writeFileSync(path.join(staticDir, 'termine.html'), slotsHtml);
    log(
      `Statusseite ${statusHtml.length} Bytes, Terminliste ${slotsHtml.length} Bytes (${(slotsHtml.match(/\/termine\/[0-9a-f-]{36}/g) ?? []).length} freie Termine)`,
    );
    const baseline = await startProcess({
      args: ['--import', 'tsx', 'bench/static-server.ts'],
      env: { STATIC_DIR: staticDir },
      readyPath: '/healthz',
    });
    try {
      log(`\n${CONNECTIONS} Verbindungen, je ${DURATION} s\n`);
      const baseStatus = await measure('Basis: statische Datei (Statusseite)', baseline.url, '/status.html');
      log(line(baseStatus));
      const appStatus = await measure('App: GET /oeffentlich/:ags', app.url, `/oeffentlich/${SIEGEN}`, {
        pid: app.pid,
        route: '/oeffentlich/:ags',
      });
      log(line(appStatus, baseStatus));
      const app304 = await measure(
        'App: dieselbe Seite, If-None-Match (304)',
        app.url,
        `/oeffentlich/${SIEGEN}`,
        {
          pid: app.pid,
          route: '/oeffentlich/:ags',
          headers: { 'if-none-match': etag },
        },
      );
      log(line(app304, baseStatus));
      const baseSlots = await measure('Basis: statische Datei (Terminliste)', baseline.url, '/termine.html');
      log(line(baseSlots));
      const appSlots = await measure(
        'App: GET /oeffentlich/:ags/termine',
        app.url,
        `/oeffentlich/${SIEGEN}/termine`,
        {
          pid: app.pid,
          route: '/oeffentlich/:ags/termine',
        },
      );
      log(line(appSlots, baseSlots));
      rows.push(baseStatus, appStatus, app304, baseSlots, appSlots);
    } finally {
      await baseline.stop();
    }
  } finally {
    await app.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const bad = rows.filter(
    (r) => r.scenario.startsWith('App') && !r.scenario.includes('304') && r.result.non2xx > 0,
  );
  if (bad.length) log(`\nAchtung: Nicht-2xx-Antworten in ${bad.map((r) => r.scenario).join(', ')}`);
}

await main();
