import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { optimizeSqliteSearchIndex } from '../core/cases/list.js';
import { hourInGermany, todayInGermany } from '../core/dates.js';
import type { Database } from '../db/types.js';

/** Due when it is the configured German hour and the index was not optimized that day yet. */
export function optimizeDue(now: Date, hour: number, lastDay: string | null): boolean {
  return hourInGermany(now) === hour && lastDay !== todayInGermany(now);
}

/** How often the server asks whether the nightly merge is due (a step of core/maintenance.ts). */
export const SEARCH_INDEX_CHECK_S = 600;

/**
 * The nightly merge of the SQLite free-text index (optimizeSqliteSearchIndex) as a maintenance
 * step: within the configured German hour (NOTBETRIEB_SUCHINDEX_STUNDE, default 3) and at most
 * once a day — a server started in the morning waits for the next night. A failure is thrown (the
 * maintenance logs it) and the step is due again at the next check. Nothing on PostgreSQL.
 */
export function searchIndexStep(opts: {
  db: Kysely<Database>;
  now: () => Date;
  hour: number;
  log: FastifyBaseLogger;
}): () => Promise<void> {
  let lastDay: string | null = null;
  return async () => {
    const now = opts.now();
    if (!optimizeDue(now, opts.hour, lastDay)) return;
    const t = performance.now();
    if (await optimizeSqliteSearchIndex(opts.db)) {
      opts.log.info({ ms: Math.round(performance.now() - t) }, 'Suchindex zusammengeführt');
    }
    lastDay = todayInGermany(now);
  };
}
