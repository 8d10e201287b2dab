import path from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';

/**
 * The baseline of bench/status.ts: a bare Fastify serving files from a directory with
 * @fastify/static (no database, no session, no security headers, no templating): the ceiling for
 * answering a page of the same size.
 *
 * Environment: STATIC_DIR, PORT.
 */
const dir = process.env.STATIC_DIR;
const port = Number(process.env.PORT);
if (!dir || !port) throw new Error('STATIC_DIR and PORT are required');

const app = Fastify({ logger: false });
await app.register(fastifyStatic, { root: path.resolve(dir), prefix: '/' });
app.get('/healthz', async () => ({ status: 'ok' }));

const close = async () => {
  await app.close();
  process.exit(0);
};
process.on('SIGTERM', () => void close());
process.on('SIGINT', () => void close());
await app.listen({ port, host: '127.0.0.1' });
