import http from 'node:http';

/**
 * A small round-robin reverse proxy for bench/multi-instance.ts (what nginx or HAProxy does in a
 * region, docs/OPERATIONS.md): each incoming request goes to the next upstream in turn, over
 * keep-alive connections. No stickiness: the app instances share everything through PostgreSQL.
 *
 * Environment: UPSTREAMS (comma-separated base URLs), PORT.
 */
const upstreams = (process.env.UPSTREAMS ?? '')
  .split(',')
  .filter(Boolean)
  .map((u) => new URL(u));
const port = Number(process.env.PORT);
if (!upstreams.length || !port) throw new Error('UPSTREAMS and PORT are required');

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
let next = 0;

const server = http.createServer((req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    return;
  }
  const target = upstreams[next++ % upstreams.length] as URL;
  const upstream = http.request(
    {
      host: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers: { ...req.headers, 'x-forwarded-for': req.socket.remoteAddress ?? '' },
      agent,
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  req.pipe(upstream);
});
server.keepAliveTimeout = 60_000;

const close = () => server.close(() => process.exit(0));
process.on('SIGTERM', close);
process.on('SIGINT', close);
server.listen(port, '127.0.0.1');
