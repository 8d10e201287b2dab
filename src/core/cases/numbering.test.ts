import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPgDatabase,
  createTestContext,
  describeEachDialect,
  sessionUserIn,
  type TestContext,
  type TestUser,
  userWith,
} from '../../../test/harness.js';
import { type DatabaseHandle, type DialectName, openDatabase } from '../../db/database.js';
import type { Database } from '../../db/types.js';
import { verlustanzeigeDaten } from '../../procedures/verlustanzeige/fixtures.js';
import { migrate } from '../../server/platform.js';
import { seedDemoAuthorities } from '../authorities/seed.js';

/**
 * Aktenzeichen numbers per (authority, procedure, year) are unique and without gaps (issue 2,
 * point 6): under concurrent creates, when a create fails after its number was drawn, and with two
 * server processes writing to one PostgreSQL database at the same moment.
 */

const SIEGEN = '05970040';
const OLPE = '05966024';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Text that makes the trigger below abort the create after its number was drawn. */
const FAIL_MARK = 'ABBRUCH-NACH-NUMMERNVERGABE';

/**
 * Simulates a failure late in the create transaction: the case row (with its number) is already
 * written when the first action is inserted, and that insert fails for forms carrying FAIL_MARK.
 */
async function installLateFailure(db: Kysely<Database>, dialect: DialectName): Promise<void> {
  if (dialect === 'sqlite') {
    await sql`CREATE TRIGGER test_fail_after_number BEFORE INSERT ON case_action
      WHEN NEW.payload LIKE ${sql.lit(`%${FAIL_MARK}%`)}
      BEGIN SELECT RAISE(ABORT, 'simulated failure after the number was drawn'); END`.execute(db);
    return;
  }
  await sql`CREATE FUNCTION test_fail_after_number() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.payload LIKE ${sql.lit(`%${FAIL_MARK}%`)} THEN
        RAISE EXCEPTION 'simulated failure after the number was drawn';
      END IF;
      RETURN NEW;
    END $$`.execute(db);
  await sql`CREATE TRIGGER test_fail_after_number BEFORE INSERT ON case_action
    FOR EACH ROW EXECUTE FUNCTION test_fail_after_number()`.execute(db);
}

type Kind = 'ok' | 'late-failure' | 'invalid';

function createBody(authorityAgs: string, kind: Kind) {
  const data =
    kind === 'late-failure'
      ? verlustanzeigeDaten({
          verlust: { art: 'verloren', datum: '2026-11-20', ort: 'Siegen', umstaende: FAIL_MARK },
        })
      : kind === 'invalid'
        ? verlustanzeigeDaten({ dokument: { art: 'personalausweis', nummer: 'T220001294' } })
        : verlustanzeigeDaten();
  return { procedureId: 'verlustanzeige', authorityAgs, data };
}

/** A mix of creates: mostly valid, every 7th fails late, every 11th is invalid; two authorities. */
function plan(count: number, offset = 0): Array<{ ags: string; kind: Kind }> {
  return Array.from({ length: count }, (_, i) => {
    const n = i + offset;
    const kind: Kind = n % 7 === 3 ? 'late-failure' : n % 11 === 5 ? 'invalid' : 'ok';
    return { ags: n % 3 === 0 ? OLPE : SIEGEN, kind };
  });
}

interface NumberRow {
  authority_ags: string;
  procedure_id: string;
  year: number;
  seq: number;
  aktenzeichen: string;
}

async function numbersOf(db: Kysely<Database>): Promise<NumberRow[]> {
  const rows = await db
    .selectFrom('cases')
    .select(['authority_ags', 'procedure_id', 'year', 'seq', 'aktenzeichen'])
    .orderBy('authority_ags')
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ ...r, year: Number(r.year), seq: Number(r.seq) }));
}

/** Seq numbers per (authority, procedure, year). */
function groups(rows: NumberRow[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const r of rows) {
    const key = `${r.authority_ags}/${r.procedure_id}/${r.year}`;
    out.set(key, [...(out.get(key) ?? []), r.seq]);
  }
  return out;
}

/** Asserts every group is exactly 1..n and the Aktenzeichen text carries the same number. */
function expectGapless(rows: NumberRow[]): void {
  for (const [key, seqs] of groups(rows)) {
    const sorted = [...seqs].sort((a, b) => a - b);
    expect(sorted, `numbers of ${key}`).toEqual(Array.from({ length: sorted.length }, (_, i) => i + 1));
  }
  for (const r of rows) expect(r.aktenzeichen).toBe(`VA ${r.seq}/${r.year}`);
  expect(new Set(rows.map((r) => r.aktenzeichen + r.authority_ags)).size).toBe(rows.length);
}

describeEachDialect('Aktenzeichen numbering', (dialect) => {
  describe('within one process', () => {
    let ctx: TestContext;
    let clerk: TestUser;

    beforeAll(async () => {
      ctx = await createTestContext(dialect);
      await installLateFailure(ctx.handle.db, dialect);
      clerk = await userWith(ctx, [
        { ags: SIEGEN, office: 'meldebehoerde' },
        { ags: OLPE, office: 'meldebehoerde' },
      ]);
    });
    afterAll(() => ctx.close());

    const create = (body: unknown, key: string = randomUUID()) =>
      ctx.app.inject({
        method: 'POST',
        url: '/api/cases',
        headers: { ...clerk.headers, 'idempotency-key': key },
        payload: body as object,
      });

    const lastNumber = async (ags: string) =>
      Number((await numbersOf(ctx.handle.db)).filter((r) => r.authority_ags === ags).at(-1)?.seq ?? 0);

    it('a create that fails after its number was drawn leaves no gap: the next case gets that number', async () => {
      const before = await lastNumber(SIEGEN);
      const first = await create(createBody(SIEGEN, 'ok'));
      expect(first.statusCode).toBe(201);
      expect(first.json().aktenzeichen).toBe(`VA ${before + 1}/2026`);

      const failed = await create(createBody(SIEGEN, 'late-failure'));
      expect(failed.statusCode).toBe(500);
      // A 5xx shows no internals.
      expect(failed.body).not.toContain('simulated failure');

      const next = await create(createBody(SIEGEN, 'ok'));
      expect(next.statusCode).toBe(201);
      expect(next.json().aktenzeichen).toBe(`VA ${before + 2}/2026`);
      expectGapless(await numbersOf(ctx.handle.db));
    });

    it('a refused form draws no number', async () => {
      const before = await lastNumber(SIEGEN);
      const refused = await create(createBody(SIEGEN, 'invalid'));
      expect(refused.statusCode).toBe(400);
      const next = await create(createBody(SIEGEN, 'ok'));
      expect(next.json().aktenzeichen).toBe(`VA ${before + 1}/2026`);
    });

    it('repeating a create with the same idempotency key draws no second number', async () => {
      const before = await lastNumber(SIEGEN);
      const key = randomUUID();
      const body = createBody(SIEGEN, 'ok');
      const [a, b] = await Promise.all([create(body, key), create(body, key)]);
      expect(a.json().aktenzeichen).toBe(`VA ${before + 1}/2026`);
      expect(b.json().aktenzeichen).toBe(`VA ${before + 1}/2026`);
      const next = await create(createBody(SIEGEN, 'ok'));
      expect(next.json().aktenzeichen).toBe(`VA ${before + 2}/2026`);
    });

    it('numbers concurrent creates per authority without gaps or duplicates, also when some fail', async () => {
      const before = (await numbersOf(ctx.handle.db)).length;
      const requests = plan(60);
      const responses = await Promise.all(requests.map((r) => create(createBody(r.ags, r.kind))));
      requests.forEach((r, i) => {
        const expected = r.kind === 'ok' ? 201 : r.kind === 'invalid' ? 400 : 500;
        expect(responses[i]?.statusCode, `request ${i} (${r.kind})`).toBe(expected);
      });
      const created = responses.filter((r) => r.statusCode === 201).length;
      expect(created).toBe(requests.filter((r) => r.kind === 'ok').length);
      const rows = await numbersOf(ctx.handle.db);
      expect(rows.length - before).toBe(created);
      expectGapless(rows);
      // The counter stands at the highest number given out, so the next create continues without gap.
      const counters = await ctx.handle.db.selectFrom('case_number_counter').selectAll().execute();
      for (const c of counters) {
        const seqs = groups(rows).get(`${c.authority_ags}/${c.procedure_id}/${c.year}`) ?? [];
        expect(Number(c.last_seq)).toBe(seqs.length);
      }
    });
  });

  if (dialect === 'postgres') {
    describe('two server processes on one PostgreSQL database', () => {
      let handle: DatabaseHandle;
      let drop: () => Promise<void>;
      let clerk: TestUser;
      const servers: Server[] = [];

      beforeAll(async () => {
        const created = await createPgDatabase();
        drop = created.drop;
        handle = openDatabase({ databaseUrl: created.url, poolSize: 2 });
        await migrate(handle.db);
        await seedDemoAuthorities(handle.db, new Date());
        await installLateFailure(handle.db, 'postgres');
        clerk = await sessionUserIn(handle, [
          { ags: SIEGEN, office: 'meldebehoerde' },
          { ags: OLPE, office: 'meldebehoerde' },
        ]);
        // Both start at once; each is pushed before awaiting so afterAll kills it whatever happens.
        const starting = [startServer(created.url), startServer(created.url)];
        for (const s of starting) servers.push(s);
        await Promise.all(servers.map((s) => s.ready));
        // Warm both up (database connections, compiled statements) with refused creates, which
        // draw no number: otherwise the one ready first can serve its whole burst alone.
        await Promise.all(
          servers.flatMap((s) =>
            Array.from({ length: 10 }, () =>
              fetch(`${s.url}/api/cases`, {
                method: 'POST',
                headers: {
                  ...clerk.headers,
                  'content-type': 'application/json',
                  'idempotency-key': randomUUID(),
                },
                body: JSON.stringify(createBody(SIEGEN, 'invalid')),
              }),
            ),
          ),
        );
      });

      afterAll(async () => {
        await Promise.all(servers.map((s) => s.stop()));
        await handle?.close();
        await drop?.();
      });

      it('gives every case a unique number without gaps while both processes create at the same moment', async () => {
        const [a, b] = servers as [Server, Server];
        const perServer = 60;
        const requests = [
          ...plan(perServer, 0).map((r) => ({ ...r, server: a })),
          ...plan(perServer, perServer).map((r) => ({ ...r, server: b })),
        ];
        // Build every request first, then release them all together.
        let release!: () => void;
        const gate = new Promise<void>((resolve) => {
          release = resolve;
        });
        const inFlight = requests.map(async (r) => {
          const body = JSON.stringify(createBody(r.ags, r.kind));
          const headers = {
            ...clerk.headers,
            'content-type': 'application/json',
            'idempotency-key': randomUUID(),
          };
          await gate;
          const res = await fetch(`${r.server.url}/api/cases`, { method: 'POST', headers, body });
          const json = (await res.json()) as { aktenzeichen?: string };
          return { status: res.status, aktenzeichen: json.aktenzeichen, server: r.server, ags: r.ags };
        });
        release();
        const results = await Promise.all(inFlight);

        requests.forEach((r, i) => {
          const expected = r.kind === 'ok' ? 201 : r.kind === 'invalid' ? 400 : 500;
          expect(results[i]?.status, `request ${i} (${r.kind})`).toBe(expected);
        });
        const ok = results.filter((r) => r.status === 201);
        const rows = await numbersOf(handle.db);
        expect(rows.length).toBe(ok.length);
        expectGapless(rows);
        // Exactly the numbers the clients were told, each once.
        expect(ok.map((r) => `${r.ags} ${r.aktenzeichen}`).sort()).toEqual(
          rows.map((r) => `${r.authority_ags} ${r.aktenzeichen}`).sort(),
        );

        // Both processes really competed for the same counters: their numbers interleave.
        for (const ags of [SIEGEN, OLPE]) {
          const numbersFrom = (s: Server) =>
            ok
              .filter((r) => r.server === s && r.ags === ags)
              .map((r) => Number(/^VA (\d+)\//.exec(r.aktenzeichen ?? '')?.[1]));
          const fromA = numbersFrom(a);
          const fromB = numbersFrom(b);
          expect(fromA.length).toBeGreaterThan(0);
          expect(fromB.length).toBeGreaterThan(0);
          expect(Math.min(...fromA)).toBeLessThan(Math.max(...fromB));
          expect(Math.min(...fromB)).toBeLessThan(Math.max(...fromA));
        }
      });
    });
  }
});

interface Server {
  url: string;
  ready: Promise<void>;
  stop: () => Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Preloaded into each server: it ends when its stdin (a pipe from this test process) closes, so a
 * test run that is killed outright leaves no server behind.
 */
const EXIT_WITH_PARENT =
  'data:text/javascript,process.stdin.on("end",()=>process.exit(0));process.stdin.on("error",()=>process.exit(0));process.stdin.resume();';

/** Starts `notbetrieb serve` from source (tsx) as its own process; ready once /readyz answers. */
function startServer(databaseUrl: string): Server {
  let child: ChildProcess | undefined;
  let output = '';
  let exited = false;
  const server: Server = { url: '', ready: Promise.resolve(), stop: async () => {} };
  server.ready = (async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    server.url = url;
    child = spawn(
      process.execPath,
      ['--import', EXIT_WITH_PARENT, '--import', 'tsx', 'src/cli/main.ts', 'serve'],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          DATABASE_URL: databaseUrl,
          PORT: String(port),
          HOST: '127.0.0.1',
          LOG_LEVEL: 'warn',
          NODE_ENV: 'production',
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    // Should the test worker itself end abruptly, its server goes with it.
    const killOnExit = () => child?.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.on('exit', () => {
      exited = true;
      process.off('exit', killOnExit);
    });
    const deadline = Date.now() + 40_000;
    while (Date.now() < deadline) {
      if (exited) throw new Error(`Server process ended before it was ready:\n${output}`);
      try {
        const res = await fetch(`${url}/readyz`);
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error(`Server not ready within 40 s:\n${output}`);
  })();
  server.stop = async () => {
    if (!child || exited) return;
    const gone = new Promise<void>((resolve) => child?.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child?.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(timer);
  };
  return server;
}
