import { randomUUID } from 'node:crypto';
import SQLite from 'better-sqlite3';
import Fastify from 'fastify';
import pg from 'pg';

/**
 * The benchmark's baselines: a bare Fastify route doing one insert per request, with the same
 * durability as the app's database. No validation, no session, no idempotency: the ceiling a real
 * route is compared against.
 *
 * - SQLite (BASELINE_DB=file): one better-sqlite3 insert, WAL, synchronous=FULL, as the app.
 * - PostgreSQL (BASELINE_PG_URL=url): one `pg` insert (its own implicit transaction) through a
 *   pool of 10 connections, the app's default pool size, with the server's synchronous_commit
 *   (on by default, as the app runs it).
 *
 * Environment: BASELINE_DB or BASELINE_PG_URL, PORT.
 */
const file = process.env.BASELINE_DB;
const pgUrl = process.env.BASELINE_PG_URL;
const port = Number(process.env.PORT);
if ((!file && !pgUrl) || !port) throw new Error('BASELINE_DB or BASELINE_PG_URL, and PORT are required');

const CREATE =
  'CREATE TABLE IF NOT EXISTS record (id TEXT PRIMARY KEY, payload TEXT NOT NULL, created_at TEXT NOT NULL)';
let insert: (id: string, payload: string, at: string) => Promise<void>;
let closeDb: () => Promise<void>;
if (pgUrl) {
  const pool = new pg.Pool({ connectionString: pgUrl, max: 10 });
  await pool.query(CREATE);
  insert = async (id, payload, at) => {
    await pool.query('INSERT INTO record (id, payload, created_at) VALUES ($1, $2, $3)', [id, payload, at]);
  };
  closeDb = () => pool.end();
} else {
  const db = new SQLite(file as string);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(CREATE);
  const stmt = db.prepare('INSERT INTO record (id, payload, created_at) VALUES (?, ?, ?)');
  insert = async (id, payload, at) => {
    stmt.run(id, payload, at);
  };
  closeDb = async () => {
    db.close();
  };
}

const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
app.post('/insert', async (request, reply) => {
  const id = randomUUID();
  await insert(id, JSON.stringify(request.body), new Date().toISOString());
  return reply.code(201).send({ id });
});
app.get('/healthz', async () => ({ status: 'ok' }));

const close = async () => {
  await app.close();
  await closeDb();
  process.exit(0);
};
process.on('SIGTERM', () => void close());
process.on('SIGINT', () => void close());

await app.listen({ port, host: '127.0.0.1' });
