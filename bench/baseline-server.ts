import { randomUUID } from 'node:crypto';
import SQLite from 'better-sqlite3';
import Fastify from 'fastify';

/**
 * The benchmark's baseline: a bare Fastify route doing one better-sqlite3 insert per request, with
 * the same durability as the app's SQLite database (WAL, synchronous=FULL). No validation, no
 * session, no idempotency: the ceiling a real route is compared against.
 *
 * Environment: BASELINE_DB (file), PORT.
 */
const file = process.env.BASELINE_DB;
const port = Number(process.env.PORT);
if (!file || !port) throw new Error('BASELINE_DB and PORT are required');

const db = new SQLite(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec(
  'CREATE TABLE IF NOT EXISTS record (id TEXT PRIMARY KEY, payload TEXT NOT NULL, created_at TEXT NOT NULL)',
);
const insert = db.prepare('INSERT INTO record (id, payload, created_at) VALUES (?, ?, ?)');

const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
app.post('/insert', async (request, reply) => {
  const id = randomUUID();
  insert.run(id, JSON.stringify(request.body), new Date().toISOString());
  return reply.code(201).send({ id });
});
app.get('/healthz', async () => ({ status: 'ok' }));

const close = async () => {
  await app.close();
  db.close();
  process.exit(0);
};
process.on('SIGTERM', () => void close());
process.on('SIGINT', () => void close());

await app.listen({ port, host: '127.0.0.1' });
