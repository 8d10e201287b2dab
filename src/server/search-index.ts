import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { optimizeSqliteSearchIndex } from '../core/cases/list.js';
import { todayInGermany } from '../core/dates.js';
import type { Database } from '../db/types.js';

const GERMAN_HOUR = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Berlin',
  hour: '2-digit',
  hourCycle: 'h23',
});

/** Due when it is the configured German hour and the index was not optimized that day yet. */
export function optimizeDue(now: Date, hour: number, lastDay: string | null): boolean {
  return Number(GERMAN_HOUR.format(now)) === hour && lastDay !== todayInGermany(now);
}

/**
 * Once a night (NOTBETRIEB_SUCHINDEX_STUNDE, German hour, default 3) the server merges the SQLite
 * free-text index (optimizeSqliteSearchIndex): checked every ten minutes, run at most once a day,
 * only within that hour (a server started in the morning waits for the next night). A failure is
 * logged and tried again at the next check. Nothing on PostgreSQL. The timer does not keep the
 * process alive and is stopped when the app closes.
 */
export function scheduleSearchIndexOptimize(
  app: FastifyInstance,
  opts: {
    db: Kysely<Database>;
    now: () => Date;
    hour: number;
    log: FastifyBaseLogger;
    checkEveryMs?: number;
  },
): { check: () => Promise<void> } {
  let lastDay: string | null = null;
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  const check = (): Promise<void> => {
    if (running) return running;
    const now = opts.now();
    if (!optimizeDue(now, opts.hour, lastDay)) return Promise.resolve();
    running = (async () => {
      const t = performance.now();
      try {
        if (await optimizeSqliteSearchIndex(opts.db)) {
          opts.log.info({ ms: Math.round(performance.now() - t) }, 'Suchindex zusammengeführt');
        }
        lastDay = todayInGermany(now);
      } catch (err) {
        opts.log.error({ err }, 'Suchindex: Zusammenführen fehlgeschlagen, nächster Versuch in zehn Minuten');
      }
    })().finally(() => {
      running = null;
    });
    return running;
  };
  app.addHook('onReady', async () => {
    timer = setInterval(() => void check(), opts.checkEveryMs ?? 600_000);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
    timer = null;
    await running;
  });
  return { check };
}
