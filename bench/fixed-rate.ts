import http from 'node:http';

/**
 * An open-loop load generator at a fixed offered rate: request i is due at start + i / rate,
 * evenly spaced, over a pool of keep-alive connections. Its latency counts from the moment it was
 * due (not from when a free connection took it), so a server that falls behind shows its backlog
 * in the figures instead of slowing the generator down (no "coordinated omission").
 *
 * autocannon's `overallRate` is not used for this: it lets every connection send its share of a
 * second back to back at the start of the second, i.e. 300 requests at once every second for
 * 300/s — a burst test, not a steady rate.
 */
export interface FixedRateResult {
  offered: number;
  /** Answered within the window, per second. */
  answeredPerSecond: number;
  total: number;
  non2xx: number;
  errors: number;
  p50: number;
  p99: number;
  max: number;
}

export async function fixedRate(opts: {
  url: string;
  path: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: () => string;
  rate: number;
  durationS: number;
  connections: number;
  timeoutMs?: number;
}): Promise<FixedRateResult> {
  const target = new URL(opts.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections });
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const total = Math.round(opts.rate * opts.durationS);
  const start = performance.now();
  const windowEnd = start + opts.durationS * 1000;
  let answeredInWindow = 0;
  const inFlight = new Set<Promise<void>>();

  const send = (due: number) => {
    const body = opts.body?.();
    const p = new Promise<void>((resolve) => {
      const req = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: opts.path,
          method: opts.method,
          agent,
          headers:
            body === undefined
              ? opts.headers
              : { ...opts.headers, 'content-length': Buffer.byteLength(body) },
          timeout: opts.timeoutMs ?? 30_000,
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            const now = performance.now();
            latencies.push(now - due);
            if (now <= windowEnd) answeredInWindow++;
            if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) >= 300) non2xx++;
            resolve();
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        errors++;
        resolve();
      });
      if (body !== undefined) req.write(body);
      req.end();
    });
    inFlight.add(p);
    void p.then(() => inFlight.delete(p));
  };

  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      // Everything due by now goes out (a late timer catches up; nothing is skipped).
      while (sent < total && start + (sent * 1000) / opts.rate <= now) {
        send(start + (sent * 1000) / opts.rate);
        sent++;
      }
      if (sent >= total) return resolve();
      const next = start + (sent * 1000) / opts.rate;
      setTimeout(tick, Math.max(0, next - performance.now()));
    };
    tick();
  });
  await Promise.all(inFlight);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return {
    offered: opts.rate,
    answeredPerSecond: answeredInWindow / opts.durationS,
    total: latencies.length,
    non2xx,
    errors,
    p50: Math.round(at(0.5) * 10) / 10,
    p99: Math.round(at(0.99) * 10) / 10,
    max: Math.round((latencies.at(-1) ?? Number.NaN) * 10) / 10,
  };
}
