import { type Kysely, PostgresAdapter, type RawBuilder, sql } from 'kysely';
import { writeTransaction } from '../../db/group-commit.js';
import type { CaseRow, Database } from '../../db/types.js';
import type { Scope } from '../access.js';
import { addDays } from '../dates.js';
import { validationFailed } from '../errors.js';
import type { ProcedureRegistry } from '../procedure-registry.js';
import { escapeLike, foldForCaseSearch } from '../text.js';
import { type DeadlineState, DUE_SOON_DAYS } from './deadline-state.js';

/**
 * The worklist and free-text search at region scale (issue 17): keyset pages, a bounded count and
 * an indexed substring search, with the same results on SQLite and PostgreSQL.
 *
 * Every page is read per office scope (authority + office type) — and, for the deadline order
 * without an open/closed filter, per value of `is_open` — as an index range in the page's order,
 * up to its LIMIT ("arms", merged by one UNION ALL with an outer ORDER BY/LIMIT). Indexes:
 * migration 2026-12-06T2200-cases-search. The next page continues after the last row's sort key
 * and id (cursor), so cases recorded meanwhile never shift or repeat rows of later pages.
 *
 * Free text: every term (up to 8) must be a substring of the case's search key
 * (foldForCaseSearch: lower case, no accents, ß -> ss, ae/oe/ue -> a/o/u). PostgreSQL answers
 * LIKE '%term%' from a pg_trgm GIN index: a scope with few matches (up to TEXT_JOIN_LIMIT, known
 * from the bounded count) reads them through that index and sorts them; for one with more the
 * planner chooses. SQLite answers terms of three or more characters from
 * the FTS5 trigram index (a trigram phrase is exactly a substring) and shorter ones with LIKE.
 * On SQLite the matches of a scope are first counted from the index (a rowid range); a scope with
 * few matches is read from the matches (joined and sorted), one with more by walking the ordered
 * index and testing each entry against the set of matches, one with very many by testing the text
 * per row, which finds a page after a few hundred rows (TEXT_JOIN_LIMIT, TEXT_SET_LIMIT). All give
 * the same rows; only the cost differs.
 */

/** The count stops here: above it the API says "mehr als 10 000". */
export const COUNT_LIMIT = 10_000;
/**
 * SQLite, the page of a free-text search by the number of text matches in a scope: up to
 * TEXT_JOIN_LIMIT the matches are joined and sorted (reads every matching row); up to
 * TEXT_SET_LIMIT the ordered index is walked and each entry tested against the set of matching
 * rowids (no row read for a miss); above, the index is walked and the text tested per row (dense
 * terms: a page is found after a few hundred rows). Measured at 1 M cases (docs/PERFORMANCE.md):
 * 786 matches 5.2 ms joined / 2.9 ms by set, 1 989 matches 9.5 / 3.2 ms, 10 000+ matches 0.6 ms by
 * text against 12 ms by set.
 */
const TEXT_JOIN_LIMIT = 500;
const TEXT_SET_LIMIT = 5_000;
/** At least one search term must have this many characters (the trigram indexes' minimum). */
const MIN_TERM = 3;
/** FTS rowid = scope number << 40 | cases.rowid (migration 2026-12-06T2200-cases-search). */
const SCOPE_SHIFT = 2 ** 40;

export const SORT_FIELDS = ['created_at', 'updated_at', 'deadline', 'aktenzeichen'] as const;
export type SortField = (typeof SORT_FIELDS)[number];

export interface ListCasesFilter {
  procedureId?: string;
  status?: string;
  authorityAgs?: string;
  officeType?: string;
  deadlineState?: DeadlineState;
  /** true: only cases in a non-final state; false: only closed ones; absent: all. */
  open?: boolean;
  q?: string;
  /** Offset paging (kept for old callers); ignored when a cursor is given. */
  page: number;
  pageSize: number;
  sort: SortField;
  order: 'asc' | 'desc';
  /** nextCursor of the previous page: the page after it. */
  cursor?: string;
  /** false: do not count (a later page, whose count the caller already has); total is then null. */
  count?: boolean;
}

export type ListRow = CaseRow & { authority_name: string; sort_key: string | null };

export interface ListPage {
  rows: ListRow[];
  /** Matching cases, counted up to `countLimit`; null when not asked for. */
  total: number | null;
  /** True when more than `total` cases match (the count stopped). */
  totalCapped: boolean;
  nextCursor: string | null;
}

interface Cursor {
  sort: SortField;
  order: 'asc' | 'desc';
  key: string;
  id: string;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.sort, c.order, c.key, c.id])).toString('base64url');
}

function decodeCursor(value: string, sort: SortField, order: 'asc' | 'desc'): Cursor {
  const bad = (message: string) => validationFailed([{ path: 'body/cursor', message }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw bad('Ungültige Angabe zum Weiterblättern. Bitte die Liste neu laden.');
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 4 ||
    !parsed.every((p) => typeof p === 'string' && p.length <= 200)
  ) {
    throw bad('Ungültige Angabe zum Weiterblättern. Bitte die Liste neu laden.');
  }
  const [s, o, key, id] = parsed as [string, string, string, string];
  if (s !== sort || o !== order) {
    throw bad('Die Sortierung hat sich geändert. Bitte von der ersten Seite an blättern.');
  }
  return { sort, order, key, id };
}

/** The case's search key in SQL: the same folding as foldForCaseSearch, from search_text. */
const KEY_EXPR = "replace(replace(replace(cases.search_text, 'ae', 'a'), 'oe', 'o'), 'ue', 'u')";
const KEY_SQL = sql.raw(KEY_EXPR);
/** The deadline order key: cases without a deadline last (matches the index expression). */
const DEADLINE_ASC = sql.raw("coalesce(cases.deadline, '9999-12-31')");
const DEADLINE_DESC = sql.raw("coalesce(cases.deadline, '0000-00-00')");

function sortKey(sort: SortField, order: 'asc' | 'desc'): RawBuilder<unknown> {
  if (sort === 'deadline') return order === 'asc' ? DEADLINE_ASC : DEADLINE_DESC;
  return sql.raw(`cases.${sort}`);
}

/**
 * Splits free text into folded terms (at most 8), at spaces — except an Aktenzeichen
 * ("PA 123/2026"), which stays one term with its space, so that it finds that file number rather
 * than every case that has "pa" somewhere and "123/2026" somewhere else.
 */
export function searchTerms(q: string | undefined): string[] {
  if (!q) return [];
  const folded = foldForCaseSearch(q);
  const terms: string[] = [];
  const aktenzeichen = /(?:^| )([\p{L}]{1,8} \d+\/\d{4})(?= |$)/gu;
  const rest = folded.replace(aktenzeichen, (_m, az: string) => {
    terms.push(az);
    return ' ';
  });
  terms.push(...rest.split(' ').filter(Boolean));
  return terms.slice(0, 8);
}

/**
 * A term that is a file number — "pa 123/2026" (code, number, year) or "123/2026" — finds the
 * case(s) with that number through the numbering index (authority, procedure, year, number), not
 * as a substring: "123/2026" means file number 123 of 2026, not also 1123/2026 (and an index on
 * every case's year would answer nothing quickly).
 */
export function fileNumberOf(term: string): { code?: string; seq: number; year: number } | null {
  const m = /^(?:(\p{L}{1,8}) )?(\d{1,9})\/(\d{4})$/u.exec(term);
  if (!m) return null;
  return { ...(m[1] ? { code: m[1] } : {}), seq: Number(m[2]), year: Number(m[3]) };
}

/** True when the query cannot be answered by an index: only terms shorter than three characters. */
export function tooShort(terms: string[]): boolean {
  return terms.length > 0 && terms.every((t) => !fileNumberOf(t) && [...t].length < MIN_TERM);
}

/** An FTS5 query: every term as a quoted phrase (a trigram phrase = a substring), all required. */
function ftsQuery(terms: string[]): string {
  return terms.map((t) => `"${t.replace(/"/g, '""')}"`).join(' ');
}

/** Bounded counts kept per database handle: at most this many; the oldest go first. */
const COUNT_CACHE_SIZE = 5_000;
const countCaches = new WeakMap<Kysely<Database>, Map<string, number>>();

/**
 * The generations of each scope (migrations 2026-12-07T1400 (SQLite) and T1600 (PostgreSQL)
 * case-scope-generation; raised by triggers in the transaction of every write of a case of the
 * scope): `all` moves with every write, `text` only when search keys change — the parts of the
 * cache keys of counts and of text match counts. Read before counting, so a count is never kept
 * under a generation newer than the data it saw. Null for a database without the table (before
 * the migration): nothing is kept.
 */
async function scopeGenerations(
  db: Kysely<Database>,
  scopes: Scope[],
): Promise<{ all: string; text: string } | null> {
  try {
    const r = await sql<{ authority_ags: string; office_type: string; n: number; t: number }>`
      SELECT authority_ags, office_type, n, t FROM case_scope_generation
      WHERE ${sql.join(
        scopes.map((s) => sql`(authority_ags = ${s.authorityAgs} AND office_type = ${s.officeType})`),
        sql` OR `,
      )}`.execute(db);
    const by = new Map(r.rows.map((row) => [`${row.authority_ags}/${row.office_type}`, row]));
    const of = (k: 'n' | 't') =>
      scopes.map((s) => by.get(`${s.authorityAgs}/${s.officeType}`)?.[k] ?? 0).join(',');
    return { all: of('n'), text: of('t') };
  } catch {
    return null;
  }
}

function cached(db: Kysely<Database>, key: string | null): number | undefined {
  return key === null ? undefined : countCaches.get(db)?.get(key);
}

function keep(db: Kysely<Database>, key: string | null, value: number): void {
  if (key === null) return;
  let cache = countCaches.get(db);
  if (!cache) {
    cache = new Map();
    countCaches.set(db, cache);
  }
  if (cache.size >= COUNT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(key, value);
}

/** SQLite: the numbers of the text index's scopes (case_search_scope), kept per database handle. */
const scopeNumberCaches = new WeakMap<Kysely<Database>, Map<string, number>>();

/**
 * The scope numbers of the free-text index for the given scope keys ("ags/office"). A number is
 * assigned once, when the first case of a scope is recorded, and never changes or goes away
 * (migration 2026-12-06T2200-cases-search, rebuildSqliteSearchIndex: INSERT OR IGNORE), so the
 * table is read again only when a scope asked for is not known yet (a new office, or one without
 * cases so far). Saves a read per free-text search (0.24 ms of 3.3 at 1 M cases over HTTP).
 */
async function scopeNumbers(db: Kysely<Database>, keys: string[]): Promise<Map<string, number>> {
  const known = scopeNumberCaches.get(db);
  if (known && keys.every((k) => known.has(k))) return known;
  const r = await sql<{ id: number; authority_ags: string; office_type: string }>`
    SELECT id, authority_ags, office_type FROM case_search_scope`.execute(db);
  const numbers = new Map(r.rows.map((row) => [`${row.authority_ags}/${row.office_type}`, Number(row.id)]));
  scopeNumberCaches.set(db, numbers);
  return numbers;
}

const and = (parts: RawBuilder<unknown>[]) => (parts.length ? sql.join(parts, sql` AND `) : sql`1 = 1`);

export interface ListDeps {
  db: Kysely<Database>;
  registry: ProcedureRegistry;
  countLimit?: number;
  /** The match counts at which a free-text page changes its strategy (default TEXT_JOIN_LIMIT, TEXT_SET_LIMIT). */
  textLimits?: { join: number; set: number };
}

export async function listCases(
  deps: ListDeps,
  readable: Scope[],
  f: ListCasesFilter,
  today: string,
): Promise<ListPage> {
  const { db } = deps;
  const countLimit = deps.countLimit ?? COUNT_LIMIT;
  const textLimits = deps.textLimits ?? { join: TEXT_JOIN_LIMIT, set: TEXT_SET_LIMIT };
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const scopes = readable.filter(
    (s) =>
      (!f.authorityAgs || s.authorityAgs === f.authorityAgs) &&
      (!f.officeType || s.officeType === f.officeType),
  );
  const empty: ListPage = { rows: [], total: 0, totalCapped: false, nextCursor: null };
  if (scopes.length === 0) return empty;

  // Conditions other than scope, open flag and text.
  const filters: RawBuilder<unknown>[] = [];
  if (f.procedureId) filters.push(sql`cases.procedure_id = ${f.procedureId}`);
  if (f.status) filters.push(sql`cases.status = ${f.status}`);
  if (f.deadlineState) {
    const soon = addDays(today, DUE_SOON_DAYS);
    const d = DEADLINE_ASC;
    filters.push(
      {
        overdue: sql`${d} < ${today}`,
        due_today: sql`${d} = ${today}`,
        due_soon: sql`${d} > ${today} AND ${d} <= ${soon}`,
        on_time: sql`${d} > ${soon} AND cases.deadline IS NOT NULL`,
        none: sql`cases.deadline IS NULL`,
      }[f.deadlineState],
    );
  }
  const allTerms = searchTerms(f.q);
  // A search of only one- and two-letter terms would read the whole scope (no index answers it).
  if (tooShort(allTerms)) {
    throw validationFailed(
      [{ path: 'body/q', message: 'Suchbegriff zu kurz: bitte mindestens drei Zeichen eingeben.' }],
      'Für die Suche bitte mindestens einen Begriff mit drei oder mehr Zeichen eingeben (z. B. den Anfang des Familiennamens oder das Aktenzeichen).',
    );
  }
  const like = (t: string) => sql`${KEY_SQL} LIKE ${`%${escapeLike(t)}%`} ESCAPE '\\'`;
  // File numbers through the numbering index; the other terms are then tested on those few rows.
  const terms: string[] = [];
  for (const t of allTerms) {
    const n = fileNumberOf(t);
    if (!n) {
      terms.push(t);
      continue;
    }
    const ids = deps.registry
      .list()
      .filter((d) => !n.code || foldForCaseSearch(d.aktenzeichenCode) === n.code)
      .map((d) => d.id);
    filters.push(
      ids.length
        ? sql`cases.year = ${n.year} AND cases.seq = ${n.seq} AND cases.procedure_id IN (${sql.join(ids)})`
        : sql`1 = 0`,
    );
  }
  const byNumber = terms.length < allTerms.length;
  // SQLite: terms the trigram index can answer (3+ characters), the rest by LIKE.
  const ftsTerms = postgres || byNumber ? [] : terms.filter((t) => [...t].length >= MIN_TERM);
  const likeTerms = terms.filter((t) => !ftsTerms.includes(t)).map(like);
  const openCond = (v: 0 | 1 | null | undefined) =>
    v === undefined ? [] : v === null ? [sql`cases.is_open IS NULL`] : [sql`cases.is_open = ${v}`];
  const wantOpen = f.open === undefined ? undefined : f.open ? 1 : 0;
  const scopeCond = (s: Scope) =>
    sql`cases.authority_ags = ${s.authorityAgs} AND cases.office_type = ${s.officeType}`;

  // SQLite: the scope numbers of the text index, and each scope's match count (bounded).
  const textScope = new Map<string, { lo: number; hi: number; matches: number }>();
  const key = (s: Scope) => `${s.authorityAgs}/${s.officeType}`;
  // What was counted is kept until a case of the scopes changes (see scopeGenerations).
  const generation = await scopeGenerations(db, scopes);
  // A total rests on both generations (its text part on the index: see rebuildSqliteSearchIndex).
  const cacheKey = (what: 'total' | 'matches', extra: unknown, text = false) =>
    generation === null
      ? null
      : JSON.stringify([what, text ? '' : generation.all, generation.text, scopes, extra]);
  if (ftsTerms.length) {
    const match = ftsQuery(ftsTerms);
    const numbers = await scopeNumbers(db, scopes.map(key));
    for (const s of scopes) {
      const n = numbers.get(key(s));
      if (n === undefined) continue;
      const lo = n * SCOPE_SHIFT;
      const hi = lo + SCOPE_SHIFT - 1;
      const matchKey = cacheKey('matches', [key(s), match, countLimit], true);
      let matches = cached(db, matchKey);
      if (matches === undefined) {
        const r = await sql<{ n: number }>`SELECT count(*) AS n FROM (SELECT 1 FROM cases_fts
          WHERE cases_fts MATCH ${match} AND rowid BETWEEN ${lo} AND ${hi} LIMIT ${countLimit + 1}) m`.execute(
          db,
        );
        matches = Number(r.rows[0]?.n ?? 0);
        keep(db, matchKey, matches);
      }
      textScope.set(key(s), { lo, hi, matches });
    }
  }
  // The FROM clause and conditions of one scope's query: the ordered index walked (`walk`), or,
  // on SQLite, the text index's matches joined (few matches for the page, always for the count).
  type Source = { from: RawBuilder<unknown>; where: RawBuilder<unknown>[]; walk: boolean };
  const matchSets: RawBuilder<unknown>[] = [];
  const pgScopeCount = new Map<string, number>();
  const source = (s: Scope, purpose: 'page' | 'count'): Source | null => {
    const few = purpose === 'page' ? pgScopeCount.get(key(s)) : undefined;
    if (few !== undefined && few <= textLimits.join) {
      // PostgreSQL, a scope with few matches: read them through the trigram index and sort them
      // (a materialized CTE of exactly the counted rows). Walking the ordered index instead reads
      // the office row by row until a page is found — for a rare name the whole office (250 000
      // cases: 0.7 s at 1 M cases). More matches are left to the planner, which misjudges how many
      // rows a trigram pattern matches (99 guessed for "schmidt", 31 784 in the region) and reads
      // them all through the trigram index, 0.1-0.3 s at 1 M cases; forcing the walk was no better
      // (docs/PERFORMANCE.md).
      if (few === 0) return null;
      const name = sql.raw(`text_matches_${matchSets.length}`);
      matchSets.push(sql`${name} AS MATERIALIZED (SELECT cases.* FROM cases
        WHERE ${and([scopeCond(s), ...likeTerms, ...openCond(wantOpen), ...filters])})`);
      return { from: sql`${name} AS cases`, where: [], walk: false };
    }
    if (!ftsTerms.length) return { from: sql`cases`, where: [scopeCond(s), ...likeTerms], walk: true };
    const t = textScope.get(key(s));
    if (!t || t.matches === 0) return null;
    if (purpose === 'page' && t.matches > textLimits.set) {
      return { from: sql`cases`, where: [scopeCond(s), ...ftsTerms.map(like), ...likeTerms], walk: true };
    }
    if (purpose === 'page' && t.matches > textLimits.join) {
      // The matches once per query (a materialized CTE, shared by the open-flag arms); `+rowid`:
      // not a key for the lookup, so SQLite walks the ordered index and tests each entry.
      const name = sql.raw(`text_matches_${matchSets.length}`);
      matchSets.push(sql`${name} AS MATERIALIZED (SELECT rowid - ${t.lo} AS r FROM cases_fts
        WHERE cases_fts MATCH ${ftsQuery(ftsTerms)} AND rowid BETWEEN ${t.lo} AND ${t.hi})`);
      return {
        from: sql`cases`,
        where: [scopeCond(s), sql`+cases.rowid IN ${name}`, ...likeTerms],
        walk: true,
      };
    }
    // CROSS JOIN keeps SQLite's join order: the matches first, each case by its rowid.
    return {
      from: sql`cases_fts CROSS JOIN cases ON cases.rowid = cases_fts.rowid - ${t.lo}`,
      where: [
        sql`cases_fts MATCH ${ftsQuery(ftsTerms)}`,
        sql`cases_fts.rowid BETWEEN ${t.lo} AND ${t.hi}`,
        scopeCond(s),
        ...likeTerms,
      ],
      walk: false,
    };
  };

  // Count, bounded: per scope, until the limit is passed.
  const countKey = cacheKey('total', [
    f.procedureId,
    f.status,
    f.deadlineState,
    f.open,
    allTerms,
    today,
    countLimit,
  ]);
  const totalKey = f.count === false ? null : countKey;
  // PostgreSQL, free text: each scope's exact number of matching cases where the count below saw
  // all of them, kept with the total (also for the later pages, which do not count).
  const pgText = postgres && likeTerms.length > 0 && !byNumber;
  const scopeCountKey = (s: Scope) => (countKey === null ? null : `${countKey}|${key(s)}`);
  const known = cached(db, totalKey);
  let total = known ?? 0;
  const onlyText = filters.length === 0 && likeTerms.length === 0 && wantOpen === undefined;
  for (const s of f.count === false || known !== undefined ? [] : scopes) {
    if (total > countLimit) break;
    const t = textScope.get(key(s));
    if (ftsTerms.length && onlyText) {
      total += t?.matches ?? 0;
      continue;
    }
    const src = source(s, 'count');
    if (!src) continue;
    const where = and([...src.where, ...openCond(wantOpen), ...filters]);
    if (postgres) {
      // One bounded pass. The SQLite way below (probe with OFFSET, then count) reads a scope below
      // the limit twice; on PostgreSQL each pass over trigram matches is a bitmap heap scan, and
      // the OFFSET probe alone took longer than the count ("neumann", 2 452 matches at 1 M cases:
      // 83–93 ms probe + 40 ms count, against 40–44 ms for this).
      const bound = countLimit - total + 1;
      const r = await sql<{ n: number | string }>`SELECT count(*) AS n FROM (SELECT 1 FROM ${src.from}
        WHERE ${where} LIMIT ${bound}) m`.execute(db);
      const n = Number(r.rows[0]?.n ?? 0);
      total += n;
      if (pgText && n < bound) {
        pgScopeCount.set(key(s), n);
        keep(db, scopeCountKey(s), n);
      }
      if (total > countLimit) break;
      continue;
    }
    // Is there a row beyond the limit? Stepping over rows with OFFSET costs less than counting
    // them in a subquery (SQLite: 1.1 against 2.7 ms for 10 000 index entries); only a scope
    // below the limit is then counted, which reads at most that many.
    const beyond = await sql`SELECT 1 AS x FROM ${src.from} WHERE ${where}
      LIMIT 1 OFFSET ${countLimit - total}`.execute(db);
    if (beyond.rows.length > 0) {
      total = countLimit + 1;
      break;
    }
    const r = await sql<{ n: number | string }>`SELECT count(*) AS n FROM ${src.from} WHERE ${where}`.execute(
      db,
    );
    total += Number(r.rows[0]?.n ?? 0);
  }
  if (known === undefined) keep(db, totalKey, total);
  if (pgText) {
    for (const s of scopes) {
      const n = pgScopeCount.has(key(s)) ? undefined : cached(db, scopeCountKey(s));
      if (n !== undefined) pgScopeCount.set(key(s), n);
    }
  }
  const totalCapped = total > countLimit;
  if (totalCapped) total = countLimit;
  const counted = f.count === false ? null : total;

  // The page.
  const order = f.order === 'asc' ? sql.raw('ASC') : sql.raw('DESC');
  const k = sortKey(f.sort, f.order);
  const after: RawBuilder<unknown>[] = [];
  if (f.cursor) {
    const c = decodeCursor(f.cursor, f.sort, f.order);
    after.push(
      f.order === 'asc'
        ? sql`${k} >= ${c.key} AND (${k} > ${c.key} OR cases.id > ${c.id})`
        : sql`${k} <= ${c.key} AND (${k} < ${c.key} OR cases.id < ${c.id})`,
    );
  }
  const offset = f.cursor ? 0 : (f.page - 1) * f.pageSize;
  const take = f.pageSize + 1;
  const arms: RawBuilder<unknown>[] = [];
  for (const s of scopes) {
    const src = source(s, 'page');
    if (!src) continue;
    // The deadline order without an open/closed filter: one index range per flag value.
    const openArms: Array<0 | 1 | null | undefined> =
      wantOpen !== undefined ? [wantOpen] : f.sort === 'deadline' && src.walk ? [1, 0, null] : [undefined];
    for (const o of openArms) {
      const where = and([...src.where, ...openCond(o), ...filters, ...after]);
      arms.push(sql`SELECT * FROM (SELECT cases.*, ${k} AS sort_key FROM ${src.from} WHERE ${where}
        ORDER BY ${k} ${order}, cases.id ${order} LIMIT ${offset + take}) a`);
    }
  }
  if (arms.length === 0) return { ...empty, total: counted, totalCapped };
  const withSets = matchSets.length ? sql`WITH ${sql.join(matchSets)} ` : sql``;
  const result = await sql<ListRow>`${withSets}SELECT u.*, authority.name AS authority_name
    FROM (${sql.join(arms, sql` UNION ALL `)}) u JOIN authority ON authority.ags = u.authority_ags
    ORDER BY u.sort_key ${order}, u.id ${order} LIMIT ${take} OFFSET ${offset}`.execute(db);
  const rows = result.rows.slice(0, f.pageSize);
  const last = rows.at(-1);
  const nextCursor =
    result.rows.length > f.pageSize && last
      ? encodeCursor({ sort: f.sort, order: f.order, key: String(last.sort_key), id: last.id })
      : null;
  return { rows, total: counted, totalCapped, nextCursor };
}

/**
 * SQLite: merges the free-text index (cases_fts) into one segment (FTS5 `optimize`), as a write
 * through the group commit. Every committed change of a search text adds a small segment, which
 * each later search reads too: at 1 M cases a match count cost 1.6–1.8× as much after 5 000
 * single writes as after an optimize (bench/fts-segments.ts) (docs/PERFORMANCE.md, 8 Dec 2026). Holds the write lock while it runs
 * (2–3 s at 1 M cases), so the server runs it once a night (src/server/search-index.ts).
 * Returns false where there is nothing to do (PostgreSQL, or a database without the index).
 */
export async function optimizeSqliteSearchIndex(db: Kysely<Database>): Promise<boolean> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return false;
  const exists = await sql`SELECT 1 AS x FROM sqlite_master WHERE name = 'cases_fts'`.execute(db);
  if (exists.rows.length === 0) return false;
  await writeTransaction(db, (trx) =>
    sql`INSERT INTO cases_fts (cases_fts) VALUES ('optimize')`.execute(trx),
  );
  return true;
}

/**
 * Sets `is_open` where it is still unknown (cases from before the flag, migration
 * 2026-12-06T2200-cases-search), from the procedures' final states. Runs after the migrations at
 * every start; finds nothing to do through the partial index once done.
 */
/**
 * Rebuilds the SQLite free-text index (cases_fts) from the cases, in one transaction. The index
 * refers to the cases' implicit rowids, which SQLite does not promise to keep across VACUUM (and
 * VACUUM INTO, which the backup uses); a restore therefore rebuilds it instead of trusting it.
 * The key expression is that of migration 2026-12-06T2200-cases-search. A database from before
 * that migration (no cases_fts) is left alone: the migration builds the index when it runs.
 * Returns the number of cases indexed, or null when there is no index.
 */
export function rebuildSqliteSearchIndex(db: {
  prepare(sql: string): { get(): unknown; run(): { changes: number } };
  exec(sql: string): unknown;
}): number | null {
  const exists = db.prepare("SELECT 1 AS x FROM sqlite_master WHERE name = 'cases_fts'").get();
  if (!exists) return null;
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec("INSERT INTO cases_fts (cases_fts) VALUES ('delete-all')");
    db.exec(`INSERT OR IGNORE INTO case_search_scope (authority_ags, office_type)
      SELECT DISTINCT authority_ags, office_type FROM cases ORDER BY 1, 2`);
    const { changes } = db
      .prepare(`INSERT INTO cases_fts (rowid, search_key)
        SELECT (s.id << 40) + cases.rowid, ${KEY_EXPR}
        FROM cases JOIN case_search_scope s
          ON s.authority_ags = cases.authority_ags AND s.office_type = cases.office_type`)
      .run();
    // Counts kept by a running server rest on the index: a new index is a new text generation.
    const generations = db
      .prepare("SELECT 1 AS x FROM sqlite_master WHERE name = 'case_scope_generation'")
      .get();
    if (generations)
      db.exec(`INSERT INTO case_scope_generation (authority_ags, office_type, n, t)
        SELECT DISTINCT authority_ags, office_type, 1, 1 FROM cases WHERE true
        ON CONFLICT (authority_ags, office_type) DO UPDATE SET t = t + 1`);
    db.exec('COMMIT');
    return changes;
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
}

export async function reconcileOpenFlags(db: Kysely<Database>, registry: ProcedureRegistry): Promise<number> {
  const finals = registry
    .list()
    .flatMap((d) =>
      Object.entries(d.states).flatMap(([state, s]) => (s.final ? [[d.id, state] as const] : [])),
    );
  const closed = finals.length
    ? sql.join(
        finals.map(([p, s]) => sql`(procedure_id = ${p} AND status = ${s})`),
        sql` OR `,
      )
    : sql`1 = 0`;
  const r =
    await sql`UPDATE cases SET is_open = CASE WHEN ${closed} THEN 0 ELSE 1 END WHERE is_open IS NULL`.execute(
      db,
    );
  return Number(r.numAffectedRows ?? 0n);
}
