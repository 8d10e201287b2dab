import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { openDatabase } from '../src/db/database.js';

/**
 * The background writer of bench/cases-scale (its own process, so that a write waiting for the
 * SQLite lock never stalls the load generator): writes cases of one office at a fixed rate until
 * SIGTERM, then prints the number written. Four of five writes change a case (as an action does:
 * updated_at), every fifth records a new case (a copy of one, with a new id and number), which also
 * changes the text matches.
 *
 *   SCALE_WRITER_DATA_DIR or SCALE_WRITER_DATABASE_URL, SCALE_WRITER_AGS, SCALE_WRITER_OFFICE,
 *   SCALE_WRITER_RATE (writes per second)
 */
const env = process.env;
const handle = env.SCALE_WRITER_DATABASE_URL
  ? openDatabase({ databaseUrl: env.SCALE_WRITER_DATABASE_URL, poolSize: 1 })
  : openDatabase({ dataDir: String(env.SCALE_WRITER_DATA_DIR) });
const db = handle.db;
const rate = Number(env.SCALE_WRITER_RATE ?? 5);
const ids = (
  await db
    .selectFrom('cases')
    .select('id')
    .where('authority_ags', '=', String(env.SCALE_WRITER_AGS))
    .where('office_type', '=', String(env.SCALE_WRITER_OFFICE))
    .limit(5000)
    .execute()
).map((r) => r.id);
const cols =
  (await db.introspection.getTables()).find((t) => t.name === 'cases')?.columns.map((c) => c.name) ?? [];
let written = 0;
let failed = 0;
/** The first failure's message, printed with the counts (a failed write is a finding, not noise). */
let firstError: string | undefined;
// Numbers of the copied cases: far above the generated ones, and new for every writer started.
const base = 50_000_000 + (Math.floor(Date.now() / 1000) % 100_000) * 1000;

async function writeOne(): Promise<void> {
  const n = written + failed;
  const id = ids[n % ids.length] as string;
  const now = new Date().toISOString();
  if (n % 5 !== 4) {
    await db.updateTable('cases').set({ updated_at: now }).where('id', '=', id).execute();
    return;
  }
  const value = (c: string) =>
    c === 'id'
      ? sql`${randomUUID()}`
      : c === 'seq'
        ? sql`seq + ${base + n}`
        : c === 'aktenzeichen'
          ? sql`aktenzeichen || ${`-${n}`}`
          : c === 'created_at' || c === 'updated_at'
            ? sql`${now}`
            : sql.ref(c);
  await sql`INSERT INTO cases (${sql.join(cols.map((c) => sql.ref(c)))})
    SELECT ${sql.join(cols.map(value))} FROM cases WHERE id = ${id}`.execute(db);
}

const timer = setInterval(() => {
  writeOne().then(
    () => written++,
    (err: unknown) => {
      failed++;
      firstError ??= err instanceof Error ? err.message : String(err);
    },
  );
}, 1000 / rate);
process.on('SIGTERM', () => {
  clearInterval(timer);
  process.stdout.write(`${JSON.stringify({ written, failed, firstError })}\n`);
  void handle.close().finally(() => process.exit(0));
});
process.stdout.write('ready\n');
