import { type Kysely, type RawBuilder, type Selectable, sql } from 'kysely';
import type { Database, RegisterOverlayTable } from '../../server/db/types.js';
import type { Principal } from '../access.js';
import { AppError, notFound, validationFailed } from '../errors.js';
import { foldForSearch } from '../text.js';
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

const forbidden = (detail: string) => new AppError('FORBIDDEN', 'Keine Berechtigung', detail);

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
  score: number | string;
}

/** An overlay row as search uses it (the search keys stay in the database). */
type OverlayRow = Omit<
  Selectable<RegisterOverlayTable>,
  'fam_fold' | 'fam_phon' | 'fam_fold2' | 'fam_phon2' | 'vorname_fold' | 'strasse_fold'
>;

export class RegisterService {
  private readonly postgres: boolean;

  constructor(
    private readonly db: Kysely<Database>,
    dialect: 'sqlite' | 'postgres',
  ) {
    this.postgres = dialect === 'postgres';
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

  private col(name: string): RawBuilder<unknown> {
    return this.postgres ? sql`${sql.ref(name)} COLLATE "C"` : sql`${sql.ref(name)}`;
  }

  private startsWith(name: string, prefix: string): RawBuilder<unknown> {
    return sql`(${this.col(name)} >= ${prefix} AND ${this.col(name)} < ${prefix + HIGH})`;
  }

  private scoreExpr(c: Criteria, hausnummerCol = 'hausnummer'): RawBuilder<unknown> {
    const parts: RawBuilder<unknown>[] = [];
    if (c.q) {
      const exact = sql`(${this.col('fam_fold')} = ${c.q} OR ${this.col('fam_fold2')} = ${c.q})`;
      const prefix =
        c.q.length >= 2
          ? sql`(${this.startsWith('fam_fold', c.q)} OR ${this.startsWith('fam_fold2', c.q)})`
          : sql`1 = 0`;
      parts.push(sql`CASE WHEN ${exact} THEN 100 WHEN ${prefix} THEN 60 ELSE 30 END`);
      if (c.q2) parts.push(sql`CASE WHEN ${this.col('fam_fold2')} = ${c.q2} THEN 10 ELSE 0 END`);
    }
    if (c.v) {
      parts.push(
        sql`CASE WHEN ${this.col('vorname_fold')} = ${c.v} THEN 20 WHEN ${this.startsWith('vorname_fold', c.v)} THEN 10 ELSE 0 END`,
      );
    }
    if (c.d) parts.push(sql`CASE WHEN geburtsdatum = ${c.d} THEN 40 ELSE 0 END`);
    if (c.s) parts.push(sql`CASE WHEN ${this.startsWith('strasse_fold', c.s)} THEN 15 ELSE 0 END`);
    if (c.h) parts.push(sql`CASE WHEN lower(${sql.ref(hausnummerCol)}) = ${c.h} THEN 5 ELSE 0 END`);
    return parts.length ? sql.join(parts, sql` + `) : sql`0`;
  }

  /** Index-friendly arms whose union is the candidate set (each arm uses one index). */
  private arms(c: Criteria, agsCol: string, scopes: string[]): RawBuilder<unknown>[] {
    const ags = sql`${sql.ref(agsCol)} IN (${sql.join(scopes)})`;
    const arms: RawBuilder<unknown>[] = [];
    if (c.q) {
      arms.push(sql`${ags} AND ${this.col('fam_fold')} = ${c.q}`);
      arms.push(sql`${ags} AND ${this.col('fam_fold2')} = ${c.q}`);
      if (c.q.length >= 2) {
        arms.push(sql`${ags} AND ${this.startsWith('fam_fold', c.q)}`);
        arms.push(sql`${ags} AND ${this.startsWith('fam_fold2', c.q)}`);
      }
      if (c.code) {
        arms.push(sql`${ags} AND ${this.col('fam_phon')} = ${c.code}`);
        arms.push(sql`${ags} AND ${this.col('fam_phon2')} = ${c.code}`);
      }
      // Arms for the combinations a clerk types, each reading only a few index entries: the
      // name with the first name, and the name with the birth date.
      if (c.v) {
        arms.push(
          sql`${ags} AND ${this.col('fam_fold')} = ${c.q} AND ${this.startsWith('vorname_fold', c.v)}`,
        );
        if (c.code) {
          arms.push(
            sql`${ags} AND ${this.col('fam_phon')} = ${c.code} AND ${this.startsWith('vorname_fold', c.v)}`,
          );
        }
      }
      if (c.d) {
        const name = c.code
          ? sql`(${this.col('fam_fold')} = ${c.q} OR ${this.col('fam_fold2')} = ${c.q} OR ${this.col('fam_phon')} = ${c.code} OR ${this.col('fam_phon2')} = ${c.code} OR ${this.startsWith('fam_fold', c.q)})`
          : sql`(${this.col('fam_fold')} = ${c.q} OR ${this.col('fam_fold2')} = ${c.q} OR ${this.startsWith('fam_fold', c.q)})`;
        arms.push(sql`${ags} AND geburtsdatum = ${c.d} AND ${name}`);
      }
    } else if (c.d) {
      arms.push(sql`${ags} AND geburtsdatum = ${c.d}`);
    } else if (c.s) {
      // By address alone a given house number filters (not just ranks).
      const nr = c.h ? sql` AND lower(hausnummer) = ${c.h}` : sql``;
      arms.push(sql`${ags} AND ${this.startsWith('strasse_fold', c.s)}${nr}`);
    }
    return arms;
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
      for (const r of rows.slice(0, limit)) hits.push(this.hitOf(r, c, 'register'));
    }

    // Emergency overlay: the latest Meldevorgang per person wins.
    const overlayMatches = await this.searchOverlay(c, scopes, limit + 1);
    const linked = await this.overlaysOfPersons(hits.map((h) => h.id));
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
        a.familienname.localeCompare(b.familienname, 'de') ||
        a.vornamen.localeCompare(b.vornamen, 'de') ||
        a.id.localeCompare(b.id),
    );
    return {
      items: out.slice(0, limit),
      truncated: truncated || out.length > limit,
      snapshot: snap
        ? { id: snap.id, sourceName: snap.sourceName, activatedAt: snap.activatedAt, rowCount: snap.rowCount }
        : null,
    };
  }

  private async searchTable(
    snap: ActiveSnapshot,
    c: Criteria,
    scopes: string[],
    limit: number,
  ): Promise<Row[]> {
    const cols = sql.raw(
      'person_id, familienname, namensbestandteil, vornamen, geburtsname, geburtsdatum, geschlecht, strasse, hausnummer, plz, ort, ags, fam_fold, fam_fold2, vorname_fold',
    );
    const table = sql.table(snap.table);
    if (!c.q) {
      // Birth date or address alone: one small index range, scored in SQL.
      const score = this.scoreExpr(c);
      const arms = this.arms(c, 'ags', scopes);
      const res =
        await sql<Row>`SELECT ${cols}, ${score} AS score FROM ${table} WHERE ${arms[0] as RawBuilder<unknown>}
        ORDER BY score DESC, fam_fold, vorname_fold, person_id LIMIT ${limit}`.execute(this.db);
      return res.rows;
    }
    // By name, in two phases. Phase 1 reads only index entries: each arm takes its first `limit`
    // entries in index order (ags, key, fam_fold, vorname_fold, person_id) — a few entries even for
    // Müller in a town of 100 000 — and the points are computed from the index columns. Extra
    // arms bring the persons whose first name or birth date matches (name + first name, name +
    // birth date), so they rank first even when the name alone fills many pages. Phase 2 fetches
    // the rows of the best candidates only. Without first name and birth date the result is exact;
    // with them, a person matching only by street may be missed among thousands of same-named ones.
    const ags = sql`ags IN (${sql.join(scopes)})`;
    const pick = sql`person_id, fam_fold, vorname_fold`;
    const order = sql`ORDER BY fam_fold, vorname_fold, person_id LIMIT ${limit}`;
    const q = c.q;
    type Arm = { base: number; birth?: boolean; where: RawBuilder<unknown> };
    const arms: Arm[] = [
      { base: 100, where: sql`${this.col('fam_fold')} = ${q}` },
      { base: 100, where: sql`${this.col('fam_fold2')} = ${q}` },
    ];
    if (q.length >= 2) {
      arms.push({ base: 60, where: this.startsWith('fam_fold', q) });
      arms.push({ base: 60, where: this.startsWith('fam_fold2', q) });
    }
    if (c.code) {
      arms.push({ base: 30, where: sql`${this.col('fam_phon')} = ${c.code}` });
      arms.push({ base: 30, where: sql`${this.col('fam_phon2')} = ${c.code}` });
    }
    if (c.v) {
      arms.push({
        base: 100,
        where: sql`${this.col('fam_fold')} = ${q} AND ${this.startsWith('vorname_fold', c.v)}`,
      });
      if (c.code) {
        arms.push({
          base: 30,
          where: sql`${this.col('fam_phon')} = ${c.code} AND ${this.startsWith('vorname_fold', c.v)}`,
        });
      }
    }
    if (c.d) {
      const name = c.code
        ? sql`(${this.col('fam_fold')} = ${q} OR ${this.col('fam_fold2')} = ${q} OR ${this.col('fam_phon')} = ${c.code} OR ${this.col('fam_phon2')} = ${c.code} OR ${this.startsWith('fam_fold', q)})`
        : sql`(${this.col('fam_fold')} = ${q} OR ${this.col('fam_fold2')} = ${q} OR ${this.startsWith('fam_fold', q)})`;
      arms.push({ base: 30, birth: true, where: sql`geburtsdatum = ${c.d} AND ${name}` });
    }
    const armSql = arms.map(
      (a, i) =>
        sql`SELECT * FROM (SELECT ${pick}, ${sql.lit(i)} AS arm FROM ${table} WHERE ${ags} AND ${a.where} ${order}) a${sql.raw(String(i))}`,
    );
    const phase1 = await sql<{
      person_id: string;
      fam_fold: string;
      vorname_fold: string;
      arm: number | string;
    }>`${sql.join(armSql, sql` UNION ALL `)}`.execute(this.db);
    const best = new Map<string, { id: string; fold: string; vorname: string; score: number }>();
    for (const r of phase1.rows) {
      const arm = arms[Number(r.arm)] as Arm;
      let tier = arm.base;
      if (r.fam_fold === q) tier = 100;
      else if (q.length >= 2 && r.fam_fold.startsWith(q)) tier = Math.max(tier, 60);
      let score = tier;
      if (c.v) score += r.vorname_fold === c.v ? 20 : r.vorname_fold.startsWith(c.v) ? 10 : 0;
      const prev = best.get(r.person_id);
      const birth = arm.birth ? 40 : 0;
      const total = Math.max(score + birth, prev ? prev.score : 0);
      best.set(r.person_id, { id: r.person_id, fold: r.fam_fold, vorname: r.vorname_fold, score: total });
    }
    const candidates = [...best.values()]
      .sort(
        (a, b) => b.score - a.score || cmp(a.fold, b.fold) || cmp(a.vorname, b.vorname) || cmp(a.id, b.id),
      )
      .slice(0, limit);
    if (candidates.length === 0) return [];
    const score = this.scoreExpr(c);
    const res = await sql<Row>`SELECT ${cols}, ${score} AS score FROM ${table}
      WHERE person_id IN (${sql.join(candidates.map((x) => x.id))})
      ORDER BY score DESC, fam_fold, vorname_fold, person_id`.execute(this.db);
    return res.rows;
  }

  private async searchOverlay(c: Criteria, scopes: string[], limit: number): Promise<OverlayRow[]> {
    const arms = this.arms(c, 'authority_ags', scopes);
    const score = this.scoreExpr(c);
    const q = sql<OverlayRow & { score: number | string }>`SELECT * FROM (${sql.join(
      arms.map(
        (where) => sql`SELECT register_overlay.*, ${score} AS score FROM register_overlay WHERE ${where}`,
      ),
      sql` UNION `,
    )}) u ORDER BY score DESC, recorded_at DESC LIMIT ${limit}`;
    return (await q.execute(this.db)).rows;
  }

  private async overlaysOfPersons(ids: string[]): Promise<OverlayRow[]> {
    if (ids.length === 0) return [];
    return (await this.db
      .selectFrom('register_overlay')
      .selectAll()
      .where('register_person_id', 'in', ids)
      .execute()) as OverlayRow[];
  }

  private matchOf(c: Criteria, famFold: string, famFold2: string | null): MatchKind {
    if (!c.q) return c.d ? 'geburtsdatum' : 'anschrift';
    if (famFold === c.q || famFold2 === c.q) return 'exakt';
    if (c.q.length >= 2 && (famFold.startsWith(c.q) || (famFold2 ?? '').startsWith(c.q))) return 'praefix';
    return 'phonetisch';
  }

  private hitOf(r: Row, c: Criteria, source: 'register' | 'notbetrieb'): PersonHit {
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
      score: Number(r.score),
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

  private overlayHit(o: OverlayRow & { score?: number | string }, c: Criteria): PersonHit {
    const keys = nameParts(o.familienname);
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
      score: Number(o.score ?? 0),
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
      >`SELECT *, 0 AS score FROM ${sql.table(snap.table)} WHERE person_id = ${id}`.execute(this.db);
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
      hit = this.hitOf(base, c, 'register');
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
