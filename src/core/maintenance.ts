import type { FastifyBaseLogger, FastifyInstance } from 'fastify';

/**
 * Housekeeping without a cron: once when the server is ready (before it answers) and then every
 * `intervalS` seconds, the server runs the given steps one after the other (the Krisenstab
 * deletes expired booking data and takes the day's Lagebericht snapshot when its hour has come;
 * the server merges the SQLite search index at night, src/server/search-index.ts). Each step
 * decides itself whether it is due and must be idempotent: with several instances each one runs
 * it. A failing step is logged and tried again at the next interval. The timer does not keep the
 * process alive and is stopped (and a running step awaited) when the app closes.
 */
export function scheduleMaintenance(
  app: FastifyInstance,
  opts: {
    intervalS: number;
    steps: Array<[name: string, run: () => Promise<unknown>]>;
    log: FastifyBaseLogger;
  },
): { runNow: () => Promise<void> } {
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  const runNow = (): Promise<void> => {
    if (running) return running;
    running = (async () => {
      for (const [name, run] of opts.steps) {
        try {
          await run();
        } catch (err) {
          opts.log.error({ err, step: name }, 'Wartungsschritt fehlgeschlagen');
        }
      }
    })().finally(() => {
      running = null;
    });
    return running;
  };
  app.addHook('onReady', async () => {
    await runNow();
    timer = setInterval(() => void runNow(), opts.intervalS * 1000);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
    timer = null;
    await running;
  });
  return { runNow };
}
