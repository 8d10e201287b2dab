import type { DialectName } from '../../src/db/database.js';
import { formatResult, runKillTest } from './driver.js';

/**
 * Long form of the kill test: `npm run test:crash` (25 kills on SQLite). Options `--kills N` and
 * `--dialect sqlite|postgres|both`, e.g. `npm run test:crash -- --kills 40 --dialect both`.
 */
function arg(name: string, fallback: string): string {
  const i = process.argv.lastIndexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const kills = Number(arg('kills', '25'));
const which = arg('dialect', 'sqlite');
const dialects: DialectName[] = which === 'both' ? ['sqlite', 'postgres'] : [which as DialectName];
let failed = false;
for (const dialect of dialects) {
  const started = Date.now();
  const r = await runKillTest({ dialect, kills, log: (l) => process.stdout.write(`${l}\n`) });
  process.stdout.write(`${formatResult(r)}\n  Dauer: ${Math.round((Date.now() - started) / 1000)} s\n\n`);
  if (r.lost || r.halfWritten || r.unexpected.length || (r.integrity !== 'ok' && dialect === 'sqlite')) {
    failed = true;
  }
  if (r.kills < kills) failed = true;
}
process.exit(failed ? 1 : 0);
