import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';

/**
 * How the SQLite free-text index (FTS5) slows as single writes add segments, and what the nightly
 * merge (`optimize`, src/server/search-index.ts) gives back (docs/PERFORMANCE.md, 8 Dec 2026).
 * Works on a COPY of the 1 M-case database of bench:scale (generate it first: npm run bench:scale):
 *
 *   npx tsx bench/fts-segments.ts [path/to/notbetrieb.sqlite]
 *
 * Prints the match count's p50 / p90 / mean over 51 family names (3 rounds) after an optimize,
 * after 100, 1 000 and 5 000 single-case writes (each its own commit, as the app writes), and
 * after an optimize again, with the time the optimize took.
 */
const scaleDir = process.env.BENCH_SCALE_DIR ?? path.join(os.tmpdir(), 'notbetrieb-scale');
const source =
  process.argv[2] ??
  fs
    .readdirSync(scaleDir)
    .filter((d) => d.startsWith('1000000_'))
    .map((d) => path.join(scaleDir, d, 'notbetrieb.sqlite'))
    .find((f) => fs.existsSync(f));
if (!source) throw new Error('Keine Datenbank von bench:scale gefunden (erst npm run bench:scale).');
const copy = path.join(os.tmpdir(), `nb-fts-segments-${process.pid}.sqlite`);
fs.copyFileSync(source, copy);
const db = new SQLite(copy);
db.pragma('journal_mode = WAL');
try {
  const scope = db
    .prepare(
      "SELECT id FROM case_search_scope WHERE authority_ags = '05970040' AND office_type = 'meldebehoerde'",
    )
    .get() as { id: number };
  const lo = BigInt(scope.id) << 40n;
  const hi = lo + (1n << 40n) - 1n;
  const names =
    `muller neumann schafer weiss jurgen gross becker hoffmann klein wolf schroder koch richter braun
    zimmermann kruger hartmann lange schmitt werner krause meier lehmann schmid schulze maier kohler herrmann
    konig walter mayer huber kaiser fuchs peters lang scholz moller jung hahn schubert vogel friedrich keller
    gunther frank berger winkler roth ulauba yilmaz`.split(/\s+/);
  const count = db.prepare(
    'SELECT count(*) AS n FROM (SELECT 1 FROM cases_fts WHERE cases_fts MATCH ? AND rowid BETWEEN ? AND ? LIMIT 10001)',
  );
  const measure = (label: string) => {
    const t: number[] = [];
    for (let round = 0; round < 3; round++)
      for (const name of names) {
        const s = performance.now();
        count.get(`"${name}"`, lo, hi);
        t.push(performance.now() - s);
      }
    t.sort((a, b) => a - b);
    const mean = t.reduce((a, b) => a + b, 0) / t.length;
    const at = (q: number) => (t[Math.floor(q * (t.length - 1))] as number).toFixed(2);
    console.log(`${label.padEnd(26)} p50 ${at(0.5)} ms, p90 ${at(0.9)} ms, mean ${mean.toFixed(2)} ms`);
  };
  const optimize = () => {
    const s = performance.now();
    db.exec("INSERT INTO cases_fts (cases_fts) VALUES ('optimize')");
    return ((performance.now() - s) / 1000).toFixed(1);
  };
  console.log(`optimize: ${optimize()} s`);
  measure('after optimize');
  const ids = (
    db
      .prepare(
        "SELECT rowid AS r FROM cases WHERE authority_ags = '05970040' AND office_type = 'meldebehoerde' LIMIT 5000",
      )
      .all() as Array<{ r: number }>
  ).map((x) => x.r);
  const write = db.prepare("UPDATE cases SET search_text = search_text || ' ' WHERE rowid = ?");
  let done = 0;
  for (const n of [100, 1000, 5000]) {
    for (; done < n; done++) write.run(ids[done]);
    measure(`after ${n} single writes`);
  }
  console.log(`optimize: ${optimize()} s`);
  measure('after optimize again');
} finally {
  db.close();
  for (const f of [copy, `${copy}-wal`, `${copy}-shm`]) fs.rmSync(f, { force: true });
}
