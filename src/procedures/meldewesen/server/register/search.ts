import { CompiledQuery, type Kysely, type Selectable, sql } from 'kysely';
import type { Principal } from '../../../../core/access.js';
import { forbidden, notFound, validationFailed } from '../../../../core/errors.js';
import { foldForSearch } from '../../../../core/text.js';
import type { Database, RegisterOverlayTable } from '../../../../db/types.js';
import { foldStreet, GESCHLECHTER, nameParts, phon } from './format.js';
import { type ActiveSnapshot, activeSnapshot } from './snapshot.js';

/**
 * Search in the resident register snapshot plus the overlay of Meldevorgänge recorded in
 * emergency operation. Ranked: exact name > prefix > phonetic (Kölner Phonetik), plus points for
 * a matching first name, birth date and address. A clerk sees the persons of the municipalities
 * where they hold a role at the Meldebehörde, nobody else.
 */

export interface RegisterSearchInput {
  familienname?: string | undefined;
  vornamen?: string | undefined;
  geburtsdatum?: string | undefined;
  strasse?: string | undefined;
  hausnummer?: string | undefined;
  /** Restrict to one municipality (must be one of the clerk's). */
  authorityAgs?: string | undefined;
  limit?: number | undefined;
}

export type MatchKind = 'exakt' | 'praefix' | 'phonetisch' | 'geburtsdatum' | 'anschrift';

export interface NotbetriebMark {
  caseId: string;
  procedureId: string;
  /** 'gemeldet' | 'abgemeldet' */
  status: string;
  movedOn: string;
  recordedAt: string;
  label: string;
}

export interface PersonHit {
  id: string;
  source: 'register' | 'notbetrieb';
  familienname: string;
  namensbestandteil: string | null;
  vornamen: string;
  geburtsname: string | null;
  geburtsdatum: string;
  geschlecht: string;
  anschrift: { strasse: string | null; hausnummer: string | null; plz: string | null; ort: string | null };
  ags: string;
  score: number;
  match: MatchKind;
  /** Set when a Meldevorgang recorded in emergency operation changes what the snapshot says. */
  imNotbetriebErfasst: NotbetriebMark | null;
}

export interface SearchResult {
  items: PersonHit[];
  /** More hits exist than were returned. */
  truncated: boolean;
  snapshot: { id: string; sourceName: string; activatedAt: string | null; rowCount: number } | null;
}

export interface PersonDetail extends PersonHit {
  geburtsort: string | null;
  staatsangehoerigkeit: string[];
  geschlechtLabel: string;
  einzugsdatum: string | null;
  haushaltId: string | null;
  /** Register view before any emergency registration (when there is one). */
  registerAnschrift: PersonHit['anschrift'] | null;
  haushalt: Array<{
    id: string;
    familienname: string;
    vornamen: string;
    geburtsdatum: string;
    beziehung: string;
  }>;
  notbetriebVorgaenge: NotbetriebMark[];
}

const PROCEDURE_LABELS: Record<string, string> = {
  anmeldung: 'Anmeldung',
  ummeldung: 'Ummeldung',
  abmeldung: 'Abmeldung',
};

/** The AGS whose residents the principal may see: roles at a Meldebehörde. */
export function registerScopes(principal: Principal | null | undefined): string[] {
  if (!principal) return [];
  return [
    ...new Set(principal.grants.filter((g) => g.officeType === 'meldebehoerde').map((g) => g.authorityAgs)),
  ];
}

interface Criteria {
  q: string | null;
  q2: string | null;
  code: string | null;
  v: string | null;
  d: string | null;
  s: string | null;
  h: string | null;
}

const HIGH = '\uffff';

/** Bytewise comparison, as the indexes order (COLLATE "C" on PostgreSQL). */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** German collation for the order shown (one collator: `localeCompare(x, 'de')` builds one per call). */
const GERMAN = new Intl.Collator('de');

interface Row {
  person_id: string;
  familienname: string;
  namensbestandteil: string | null;
  vornamen: string;
  geburtsname: string | null;
  geburtsdatum: string;
  geschlecht: string | null;
  strasse: string | null;
  hausnummer: string | null;
  plz: string | null;
  ort: string | null;
  ags: string;
  fam_fold: string;
  fam_fold2: string | null;
  vorname_fold: string;
  strasse_fold: string | null;
}

/** An overlay row as search uses it (the search keys stay in the database). */
type OverlayRow = Omit<
  Selectable<RegisterOverlayTable>,
  'fam_fold' | 'fam_phon' | 'fam_fold2' | 'fam_phon2' | 'vorname_fold' | 'strasse_fold'
>;

/** An overlay row with the keys search scores by. */
type OverlaySearchRow = Selectable<RegisterOverlayTable> & { m: number | string };

/** The columns a hit shows and search scores by. */
const HIT_COLUMNS = [
  'person_id',
  'familienname',
  'namensbestandteil',
  'vornamen',
  'geburtsname',
  'geburtsdatum',
  'geschlecht',
  'strasse',
  'hausnummer',
  'plz',
  'ort',
  'ags',
  'fam_fold',
  'fam_fold2',
  'vorname_fold',
  'strasse_fold',
];
const HIT_COLS = HIT_COLUMNS.join(', ');
const HIT_COLS_T = HIT_COLUMNS.map((c) => `t.${c}`).join(', ');

/**
 * SQL text and its bound values, built by plain concatenation. A search issues three statements
 * whose shape depends on the criteria; Kysely's builder and compiler cost more CPU than SQLite
 * needs to run them from the connection's statement cache. Only values are bound here; table and
 * column names are constants of this file (the snapshot table name is checked by personTable()).
 */
class Stmt {
  text = '';
  readonly params: unknown[] = [];

  constructor(private readonly postgres: boolean) {}

  s(text: string): this {
    this.text += text;
    return this;
  }

  /** A placeholder for one bound value. */
  v(value: unknown): this {
    this.params.push(value);
    this.text += this.postgres ? `$${this.params.length}` : '?';
    return this;
  }

  list(values: readonly unknown[]): this {
    for (let i = 0; i < values.length; i++) {
      if (i > 0) this.text += ', ';
      this.v(values[i]);
    }
    return this;
  }

  /** `(col >= p AND col < p || U+FFFF)`: a prefix as an index range (bytewise on both dialects). */
  prefix(col: string, p: string, collateC = false): this {
    const c = collateC && this.postgres ? `${col} COLLATE "C"` : col;
    return this.s(`(${c} >= `)
      .v(p)
      .s(` AND ${c} < `)
      .v(p + HIGH)
      .s(')');
  }
}

/**
 * The points of a person for the criteria (the same rules as the ranking always had): family name
 * exact 100, prefix 60, by sound 30, second part of the name +10, first name exact +20 or prefix
 * +10, birth date +40, street +15, house number +5.
 */
function scoreOf(
  c: Criteria,
  r: {
    fam_fold: string;
    fam_fold2: string | null;
    vorname_fold: string;
    geburtsdatum: string;
    strasse_fold: string | null;
    hausnummer: string | null;
  },
): number {
  let score = 0;
  if (c.q) {
    const f2 = r.fam_fold2;
    if (r.fam_fold === c.q || f2 === c.q) score += 100;
    else if (c.q.length >= 2 && (r.fam_fold.startsWith(c.q) || f2?.startsWith(c.q))) score += 60;
    else score += 30;
    if (c.q2 && f2 === c.q2) score += 10;
  }
  if (c.v) score += r.vorname_fold === c.v ? 20 : r.vorname_fold.startsWith(c.v) ? 10 : 0;
  if (c.d && r.geburtsdatum === c.d) score += 40;
  if (c.s && r.strasse_fold?.startsWith(c.s)) score += 15;
  if (c.h && r.hausnummer?.toLowerCase() === c.h) score += 5;
  return score;
}

/** Highest score first, then bytewise by name keys and id (the order of the indexes). */
function byRank(
  a: { score: number; fam_fold: string; vorname_fold: string; person_id: string },
  b: { score: number; fam_fold: string; vorname_fold: string; person_id: string },
): number {
  return (
    b.score - a.score ||
    cmp(a.fam_fold, b.fam_fold) ||
    cmp(a.vorname_fold, b.vorname_fold) ||
    cmp(a.person_id, b.person_id)
  );
}

export class RegisterService {
  private readonly postgres: boolean;

  constructor(
    private readonly db: Kysely<Database>,
    dialect: 'sqlite' | 'postgres',
  ) {
    this.postgres = dialect === 'postgres';
  }

  private stmt(): Stmt {
    return new Stmt(this.postgres);
  }

  private async rows<R>(st: Stmt): Promise<R[]> {
    return (await this.db.executeQuery<R>(CompiledQuery.raw(st.text, st.params))).rows;
  }

  private scopesFor(principal: Principal, authorityAgs?: string): string[] {
    const scopes = registerScopes(principal);
    if (scopes.length === 0) {
      throw forbidden('Die Melderegistersuche steht nur der Meldebehörde zur Verfügung.');
    }
    if (authorityAgs) {
      if (!scopes.includes(authorityAgs)) {
        throw forbidden(`Sie dürfen im Melderegister der Gemeinde ${authorityAgs} nicht suchen.`);
      }
      return [authorityAgs];
    }
    return scopes;
  }

  private criteria(input: RegisterSearchInput): Criteria {
    const parts = input.familienname ? nameParts(input.familienname) : [];
    const q = parts[0] ?? null;
    const v = input.vornamen ? (foldForSearch(input.vornamen).split(' ')[0] ?? null) : null;
    const s = input.strasse ? foldStreet(input.strasse) || null : null;
    const c: Criteria = {
      q,
      q2: parts[1] ?? null,
      code: q ? phon(q) || null : null,
      v: v || null,
      d: input.geburtsdatum ?? null,
      s,
      h: input.hausnummer ? input.hausnummer.trim().toLowerCase() || null : null,
    };
    if (!c.q && !c.d && !c.s) {
      throw validationFailed(
        [{ path: 'familienname', message: 'Bitte Familienname, Geburtsdatum oder Straße angeben.' }],
        'Für die Suche wird mindestens der Familienname, das Geburtsdatum oder die Straße gebraucht.',
      );
    }
    return c;
  }

  async search(principal: Principal, input: RegisterSearchInput): Promise<SearchResult> {
    const scopes = this.scopesFor(principal, input.authorityAgs);
    const c = this.criteria(input);
    const limit = Math.min(Math.max(input.limit ?? 25, 1), 100);
    const snap = await activeSnapshot(this.db);

    const hits: PersonHit[] = [];
    let truncated = false;
    if (snap) {
      const rows = await this.searchTable(snap, c, scopes, limit + 1);
      truncated = rows.length > limit;
      for (const r of rows.slice(0, limit)) hits.push(this.hitOf(r, r.score, c, 'register'));
    }

    // Emergency overlay: the latest Meldevorgang per person wins.
    const { matches: overlayMatches, linked } = await this.searchOverlay(
      c,
      scopes,
      limit + 1,
      hits.map((h) => h.id),
    );
    const latestByPerson = new Map<string, OverlayRow>();
    for (const o of [...linked, ...overlayMatches]) {
      const key = o.register_person_id ?? o.id;
      const prev = latestByPerson.get(key);
      if (!prev || prev.recorded_at < o.recorded_at) latestByPerson.set(key, o);
    }
    const addressSearch = !!c.s && !c.q;
    const out: PersonHit[] = [];
    const seen = new Set<string>();
    for (const h of hits) {
      const o = latestByPerson.get(h.id);
      if (o) {
        const moved = this.applyOverlay(h, o);
        // Searched by address: a person who moved away in emergency operation no longer lives here.
        if (addressSearch && !(o.strasse && foldStreet(o.strasse).startsWith(c.s ?? ''))) continue;
        out.push(moved);
      } else {
        out.push(h);
      }
      seen.add(h.id);
    }
    for (const o of overlayMatches) {
      const key = o.register_person_id ?? o.id;
      if (seen.has(key)) continue;
      const latest = latestByPerson.get(key);
      if (latest && latest.id !== o.id) continue;
      seen.add(key);
      out.push(this.overlayHit(o, c));
    }
    out.sort(
      (a, b) =>
        b.score - a.score ||
        GERMAN.compare(a.familienname, b.familienname) ||
        GERMAN.compare(a.vornamen, b.vornamen) ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
    return {
      items: out.slice(0, limit),
      truncated: truncated || out.length > limit,
      snapshot: snap
        ? { id: snap.id, sourceName: snap.sourceName, activatedAt: snap.activatedAt, rowCount: snap.rowCount }
        : null,
    };
  }

  /** The best `limit` persons of the snapshot, scored and in rank order. */
  private async searchTable(
    snap: ActiveSnapshot,
    c: Criteria,
    scopes: string[],
    limit: number,
  ): Promise<Array<Row & { score: number }>> {
    const rows = c.q
      ? await this.rows<Row>(this.byName(snap.table, c, c.q, scopes, limit))
      : c.d
        ? await this.rows<Row>(this.byBirthDate(snap.table, c, c.d, scopes, limit))
        : await this.rows<Row>(this.byAddress(snap.table, c, c.s ?? '', scopes, limit));
    const scored = rows.map((r) => Object.assign(r, { score: scoreOf(c, r) }));
    scored.sort(byRank);
    return scored.slice(0, limit);
  }

  /**
   * By name, in one statement of two stages. The inner stage reads only index entries: each arm
   * takes its first `limit` entries in index order (ags, key, fam_fold, vorname_fold, person_id) —
   * a few entries even for Müller in a town of 100 000 — and scores them from the index columns.
   * Extra arms bring the persons whose first name or birth date matches (name + first name, name
   * + birth date), so they rank first even when the name alone fills many pages. The best
   * `limit` candidates are then read from the table (by rowid on SQLite: no second index lookup)
   * and scored in full. Without first name and birth date the result is exact; with them, a person
   * matching only by street may be missed among thousands of same-named ones.
   */
  private byName(table: string, c: Criteria, q: string, scopes: string[], limit: number): Stmt {
    const st = this.stmt();
    const long = q.length >= 2;
    let n = 0;
    const arm = (base: 100 | 60 | 30, birth: boolean, where: (st: Stmt) => void) => {
      st.s(n++ === 0 ? 'SELECT * FROM (SELECT ' : ' UNION ALL SELECT * FROM (SELECT ');
      st.s(this.postgres ? 'person_id, ' : 'rowid AS rid, person_id, ');
      st.s('fam_fold, vorname_fold, ');
      if (base === 100) st.s('100');
      else if (base === 60) st.s('CASE WHEN fam_fold = ').v(q).s(' THEN 100 ELSE 60 END');
      else {
        st.s('CASE WHEN fam_fold = ').v(q).s(' THEN 100');
        if (long) st.s(' WHEN ').prefix('fam_fold', q).s(' THEN 60');
        st.s(' ELSE 30 END');
      }
      if (c.v) {
        st.s(' + CASE WHEN vorname_fold = ').v(c.v).s(' THEN 20 WHEN ').prefix('vorname_fold', c.v);
        st.s(' THEN 10 ELSE 0 END');
      }
      if (birth) st.s(' + 40');
      st.s(` AS s FROM "${table}" WHERE ags IN (`).list(scopes).s(') AND ');
      where(st);
      st.s(' ORDER BY fam_fold, vorname_fold, person_id LIMIT ').v(limit).s(`) a${n}`);
    };
    // The prefix range starts with the exact name (q sorts first), so it also serves as the
    // exact arm: its first entries are the exact arm's.
    if (long) arm(60, false, (st) => st.prefix('fam_fold', q));
    else arm(100, false, (st) => st.s('fam_fold = ').v(q));
    arm(100, false, (st) => st.s('fam_fold2 = ').v(q));
    if (long) arm(60, false, (st) => st.prefix('fam_fold2', q));
    if (c.code) {
      const code = c.code;
      arm(30, false, (st) => st.s('fam_phon = ').v(code));
      arm(30, false, (st) => st.s('fam_phon2 = ').v(code));
    }
    if (c.v) {
      const v = c.v;
      arm(100, false, (st) => st.s('fam_fold = ').v(q).s(' AND ').prefix('vorname_fold', v));
      if (c.code) {
        const code = c.code;
        arm(30, false, (st) => st.s('fam_phon = ').v(code).s(' AND ').prefix('vorname_fold', v));
      }
    }
    if (c.d) {
      const d = c.d;
      const code = c.code;
      arm(30, true, (st) => {
        st.s('geburtsdatum = ').v(d).s(' AND (fam_fold = ').v(q).s(' OR fam_fold2 = ').v(q);
        if (code) st.s(' OR fam_phon = ').v(code).s(' OR fam_phon2 = ').v(code);
        st.s(' OR ').prefix('fam_fold', q).s(')');
      });
    }
    const inner = st.text;
    const outer = this.stmt();
    // The outer statement binds nothing before the arms, so their placeholders keep their numbers.
    const key = this.postgres
      ? 'person_id, fam_fold, vorname_fold'
      : 'rid, person_id, fam_fold, vorname_fold';
    const join = this.postgres ? 't.person_id = c.person_id' : 't.rowid = c.rid';
    outer.s(`SELECT ${HIT_COLS_T} FROM (SELECT ${key}, max(s) AS s FROM (`);
    outer.text += inner;
    outer.params.push(...st.params);
    outer.s(`) u GROUP BY ${key} ORDER BY s DESC, fam_fold, vorname_fold, person_id LIMIT `);
    outer.v(limit).s(`) c JOIN "${table}" t ON ${join}`);
    return outer;
  }

  /** Birth date alone: the persons born that day (a few per municipality). */
  private byBirthDate(table: string, c: Criteria, d: string, scopes: string[], limit: number): Stmt {
    const st = this.stmt().s(`SELECT ${HIT_COLS} FROM "${table}" WHERE ags IN (`).list(scopes);
    st.s(') AND geburtsdatum = ').v(d);
    // Without other criteria every person scores the same: the index order decides.
    if (!c.v && !c.s && !c.h) st.s(' ORDER BY fam_fold, vorname_fold, person_id LIMIT ').v(limit);
    return st;
  }

  /**
   * By address alone; a given house number filters (not just ranks). The street is a prefix
   * ("Weidenauer Str" finds "weidenauer str 2" too), so the index (ags, strasse_fold, hausnummer)
   * is read as a skip scan: one seek per distinct street in the range, then one seek for the house
   * number in each, instead of reading every resident of those streets.
   */
  private byAddress(table: string, c: Criteria, s: string, scopes: string[], limit: number): Stmt {
    const st = this.stmt();
    const h = c.h;
    // SQLite only: PostgreSQL's planner cannot estimate the recursive part and hash-joins the
    // whole municipality (measured 14 ms instead of 2); there the plain range below is better.
    if (h && !this.postgres && scopes.length === 1 && /^[\x20-\x7e]+$/.test(h)) {
      const ags = scopes[0];
      st.s('WITH RECURSIVE st(s) AS (SELECT (SELECT min(strasse_fold) FROM ')
        .s(`"${table}" WHERE ags = `)
        .v(ags)
        .s(' AND ')
        .prefix('strasse_fold', s)
        .s(') UNION ALL SELECT (SELECT min(strasse_fold) FROM ')
        .s(`"${table}" WHERE ags = `)
        .v(ags)
        .s(' AND strasse_fold > st.s AND strasse_fold < ')
        .v(s + HIGH)
        .s(') FROM st WHERE st.s IS NOT NULL)')
        .s(` SELECT ${HIT_COLS_T} FROM st JOIN "${table}" t ON t.ags = `)
        .v(ags)
        .s(' AND t.strasse_fold = st.s')
        // Bytewise, every ASCII spelling that lower() maps to h lies between its upper- and
        // lower-case form: a seek in (ags, strasse_fold, hausnummer).
        .s(' AND t.hausnummer >= ')
        .v(h.toUpperCase())
        .s(' AND t.hausnummer <= ')
        .v(h)
        .s(' AND lower(t.hausnummer) = ')
        .v(h);
      return st;
    }
    st.s(`SELECT ${HIT_COLS} FROM "${table}" WHERE ags IN (`)
      .list(scopes)
      .s(') AND ')
      .prefix('strasse_fold', s);
    if (h) st.s(' AND lower(hausnummer) = ').v(h);
    st.s(' ORDER BY ');
    if (c.v) {
      st.s('CASE WHEN vorname_fold = ').v(c.v).s(' THEN 20 WHEN ').prefix('vorname_fold', c.v);
      st.s(' THEN 10 ELSE 0 END DESC, ');
    }
    st.s('fam_fold, vorname_fold, person_id LIMIT ').v(limit);
    return st;
  }

  /**
   * One statement for the overlay: the Meldevorgänge matching the criteria (each arm an index range
   * of its own, scored here) and those of the persons found in the snapshot.
   */
  private async searchOverlay(
    c: Criteria,
    scopes: string[],
    limit: number,
    personIds: string[],
  ): Promise<{ matches: Array<OverlaySearchRow & { score: number }>; linked: OverlayRow[] }> {
    const st = this.stmt();
    let n = 0;
    const arm = (where: (st: Stmt) => void) => {
      st.s(n++ === 0 ? '' : ' UNION ALL ');
      st.s('SELECT o.*, 1 AS m FROM register_overlay o WHERE authority_ags IN (').list(scopes).s(') AND ');
      where(st);
    };
    const q = c.q;
    if (q) {
      arm((st) => st.s('fam_fold = ').v(q));
      arm((st) => st.s('fam_fold2 = ').v(q));
      if (q.length >= 2) {
        arm((st) => st.prefix('fam_fold', q, true));
        arm((st) => st.prefix('fam_fold2', q, true));
      }
      const code = c.code;
      if (code) {
        arm((st) => st.s('fam_phon = ').v(code));
        arm((st) => st.s('fam_phon2 = ').v(code));
      }
      // Name + first name finds nothing the name arms miss here (no limit per arm); name + birth
      // date does for a one-letter name (prefix with the birth date).
      const d = c.d;
      if (d && q.length < 2) {
        arm((st) => st.s('geburtsdatum = ').v(d).s(' AND ').prefix('fam_fold', q, true));
      }
    } else if (c.d) {
      const d = c.d;
      arm((st) => st.s('geburtsdatum = ').v(d));
    } else if (c.s) {
      const s = c.s;
      const h = c.h;
      arm((st) => {
        st.prefix('strasse_fold', s, true);
        if (h) st.s(' AND lower(hausnummer) = ').v(h);
      });
    }
    if (personIds.length > 0) {
      // The list is padded with NULLs (which match nothing) to a power of two, so that a handful
      // of statement texts serve every page size (the connection caches up to 256 statements).
      const ids: Array<string | null> = [...personIds];
      while (ids.length & (ids.length - 1)) ids.push(null);
      st.s(' UNION ALL SELECT o.*, 0 AS m FROM register_overlay o WHERE register_person_id IN (');
      st.list(ids).s(')');
    }
    const rows = await this.rows<OverlaySearchRow>(st);
    const matches: Array<OverlaySearchRow & { score: number }> = [];
    const linked: OverlayRow[] = [];
    const matched = new Set<string>();
    for (const r of rows) {
      if (Number(r.m) === 0) {
        linked.push(r);
      } else if (!matched.has(r.id)) {
        matched.add(r.id);
        matches.push(Object.assign(r, { score: scoreOf(c, r) }));
      }
    }
    matches.sort((a, b) => b.score - a.score || cmp(b.recorded_at, a.recorded_at));
    return { matches: matches.slice(0, limit), linked };
  }

  private matchOf(c: Criteria, famFold: string, famFold2: string | null): MatchKind {
    if (!c.q) return c.d ? 'geburtsdatum' : 'anschrift';
    if (famFold === c.q || famFold2 === c.q) return 'exakt';
    if (c.q.length >= 2 && (famFold.startsWith(c.q) || (famFold2 ?? '').startsWith(c.q))) return 'praefix';
    return 'phonetisch';
  }

  private hitOf(r: Row, score: number, c: Criteria, source: 'register' | 'notbetrieb'): PersonHit {
    return {
      id: r.person_id,
      source,
      familienname: r.familienname,
      namensbestandteil: r.namensbestandteil,
      vornamen: r.vornamen,
      geburtsname: r.geburtsname,
      geburtsdatum: r.geburtsdatum,
      geschlecht: r.geschlecht ?? 'x',
      anschrift: { strasse: r.strasse, hausnummer: r.hausnummer, plz: r.plz, ort: r.ort },
      ags: r.ags,
      score,
      match: this.matchOf(c, r.fam_fold, r.fam_fold2),
      imNotbetriebErfasst: null,
    };
  }

  private mark(o: OverlayRow): NotbetriebMark {
    const what = PROCEDURE_LABELS[o.procedure_id] ?? o.procedure_id;
    return {
      caseId: o.case_id,
      procedureId: o.procedure_id,
      status: o.status,
      movedOn: o.moved_on,
      recordedAt: o.recorded_at,
      label: `Im Notbetrieb erfasst: ${what}${o.status === 'abgemeldet' ? ' (abgemeldet)' : ''}`,
    };
  }

  private applyOverlay(h: PersonHit, o: OverlayRow): PersonHit {
    return {
      ...h,
      anschrift: { strasse: o.strasse, hausnummer: o.hausnummer, plz: o.plz, ort: o.ort },
      ags: o.authority_ags,
      imNotbetriebErfasst: this.mark(o),
    };
  }

  private overlayHit(
    o: OverlayRow & { score?: number; fam_fold?: string; fam_fold2?: string | null },
    c: Criteria,
  ): PersonHit {
    // The stored keys include the birth name (a hit by birth name is exact, not by sound).
    const keys =
      o.fam_fold !== undefined ? [o.fam_fold, o.fam_fold2 ?? undefined] : nameParts(o.familienname);
    return {
      id: o.register_person_id ?? o.id,
      source: o.register_person_id ? 'register' : 'notbetrieb',
      familienname: o.familienname,
      namensbestandteil: o.namensbestandteil,
      vornamen: o.vornamen,
      geburtsname: o.geburtsname,
      geburtsdatum: o.geburtsdatum,
      geschlecht: o.geschlecht ?? 'x',
      anschrift: { strasse: o.strasse, hausnummer: o.hausnummer, plz: o.plz, ort: o.ort },
      ags: o.authority_ags,
      score: o.score ?? 0,
      match: this.matchOf(c, keys[0] ?? '', keys[1] ?? null),
      imNotbetriebErfasst: this.mark(o),
    };
  }

  /** One person with household and emergency registrations; permission checked here. */
  async person(principal: Principal, id: string): Promise<PersonDetail> {
    const scopes = this.scopesFor(principal);
    const snap = await activeSnapshot(this.db);
    let base: (Row & Record<string, unknown>) | undefined;
    if (snap) {
      const res = await sql<
        Row & Record<string, unknown>
      >`SELECT * FROM ${sql.table(snap.table)} WHERE person_id = ${id}`.execute(this.db);
      base = res.rows[0];
    }
    const overlays = (await this.db
      .selectFrom('register_overlay')
      .selectAll()
      .where((eb) => eb.or([eb('register_person_id', '=', id), eb('id', '=', id)]))
      .orderBy('recorded_at', 'desc')
      .execute()) as OverlayRow[];
    const latest = overlays[0];
    if (!base && !latest) throw notFound('Die Person');
    const visible =
      (base && scopes.includes(base.ags)) || overlays.some((o) => scopes.includes(o.authority_ags));
    if (!visible)
      throw forbidden('Diese Person ist in einer Gemeinde gemeldet, für die Sie nicht zuständig sind.');

    const c: Criteria = { q: null, q2: null, code: null, v: null, d: null, s: null, h: null };
    let hit: PersonHit;
    if (base) {
      hit = this.hitOf(base, 0, c, 'register');
      if (latest) hit = this.applyOverlay(hit, latest);
    } else {
      hit = this.overlayHit(latest as OverlayRow, c);
    }
    hit.match = 'exakt';
    hit.score = 0;

    const haushalt: PersonDetail['haushalt'] = [];
    if (snap && base?.haushalt_id) {
      const res = await sql<{
        person_id: string;
        familienname: string;
        vornamen: string;
        geburtsdatum: string;
        ehegatte_id: string | null;
        eltern_ids: string | null;
      }>`SELECT person_id, familienname, vornamen, geburtsdatum, ehegatte_id, eltern_ids FROM ${sql.table(snap.table)}
        WHERE ags = ${base.ags} AND strasse_fold = ${base.strasse_fold} AND hausnummer = ${base.hausnummer}
          AND haushalt_id = ${base.haushalt_id} AND person_id <> ${id} ORDER BY geburtsdatum LIMIT 50`.execute(
        this.db,
      );
      const myParents = String(base.eltern_ids ?? '').split(',');
      for (const m of res.rows) {
        let beziehung = 'Haushaltsmitglied';
        if (base.ehegatte_id === m.person_id || m.ehegatte_id === id) beziehung = 'Ehegatte/Lebenspartner';
        else if ((m.eltern_ids ?? '').split(',').includes(id)) beziehung = 'Kind';
        else if (myParents.includes(m.person_id)) beziehung = 'Elternteil';
        haushalt.push({
          id: m.person_id,
          familienname: m.familienname,
          vornamen: m.vornamen,
          geburtsdatum: m.geburtsdatum,
          beziehung,
        });
      }
    }
    const source = base ?? (latest as unknown as Record<string, unknown>);
    const staat = String(source.staatsangehoerigkeit ?? '');
    return {
      ...hit,
      geburtsort: (source.geburtsort as string | null) ?? null,
      staatsangehoerigkeit: staat ? staat.split(',') : [],
      geschlechtLabel: GESCHLECHTER[hit.geschlecht as keyof typeof GESCHLECHTER] ?? hit.geschlecht,
      einzugsdatum: latest ? latest.moved_on : ((base?.einzugsdatum as string | null) ?? null),
      haushaltId: (base?.haushalt_id as string | null) ?? null,
      registerAnschrift:
        base && latest
          ? { strasse: base.strasse, hausnummer: base.hausnummer, plz: base.plz, ort: base.ort }
          : null,
      haushalt,
      notbetriebVorgaenge: overlays.map((o) => this.mark(o)),
    };
  }
}
