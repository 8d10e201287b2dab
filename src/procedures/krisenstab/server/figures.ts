import { type Kysely, PostgresAdapter, sql } from 'kysely';
import { addDays, type IsoDate, todayInGermany } from '../../../core/dates.js';
import type { ProcedureRegistry } from '../../../core/procedure-registry.js';
import type { Database } from '../../../db/types.js';
import { dayOfHourBucket, lastDays } from './time.js';

/**
 * The backlog figures of the situation board, from the live case data of every family through
 * the generic tables only: `cases` (procedure, authority, office, status snapshot, deadline,
 * created/updated) and the handover tables. Aggregates only — no case id, Aktenzeichen, name or
 * form data ever leaves this module.
 *
 * Definitions:
 * - open (offen): the case's status is not a final state of its procedure;
 * - overdue (überfällig): open with a deadline before today (Germany);
 * - created (angelegt) on a day: `cases.created_at` falls on that German day;
 * - closed (erledigt) on a day: the case is in a final state and its last change
 *   (`cases.updated_at`, the snapshot of its last action) falls on that day;
 * - handed over (übergeben): acknowledged as taken over by the specialist system; in handover
 *   (in Übergabe): exported in a batch whose acknowledgement is still open; not yet handed over:
 *   every other case.
 * The backlog at the end of an earlier day is the open count now, minus what was created since,
 * plus what was closed since.
 */
export interface Figures {
  offen: number;
  ueberfaellig: number;
  angelegtHeute: number;
  erledigtHeute: number;
  gesamt: number;
  uebergeben: number;
  inUebergabe: number;
  nichtUebergeben: number;
}

export interface OfficeFigures extends Figures {
  authorityAgs: string;
  officeType: string;
}

export interface DayPoint {
  tag: IsoDate;
  angelegt: number;
  erledigt: number;
  /** Open cases at the end of the day (for today: now). */
  offen: number;
}

export interface BoardFigures {
  today: IsoDate;
  offices: OfficeFigures[];
  /** Per authority and office, the last days (oldest first). */
  series: Map<string, DayPoint[]>;
  days: IsoDate[];
}

export const scopeKey = (ags: string, office: string) => `${ags}/${office}`;

type Row = Record<string, unknown>;
const num = (v: unknown) => Number(v ?? 0);

/** Final states by procedure id, from the registry (the definitions of every family). */
function finalStates(registry: ProcedureRegistry): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const def of registry.list()) {
    out.set(
      def.id,
      new Set(
        Object.entries(def.states)
          .filter(([, s]) => s.final)
          .map(([id]) => id),
      ),
    );
  }
  return out;
}

function emptyFigures(): Figures {
  return {
    offen: 0,
    ueberfaellig: 0,
    angelegtHeute: 0,
    erledigtHeute: 0,
    gesamt: 0,
    uebergeben: 0,
    inUebergabe: 0,
    nichtUebergeben: 0,
  };
}

export function sumFigures(items: readonly Figures[]): Figures {
  const total = emptyFigures();
  for (const f of items) {
    for (const k of Object.keys(total) as Array<keyof Figures>) total[k] += f[k];
  }
  return total;
}

export function sumSeries(series: ReadonlyArray<readonly DayPoint[]>, days: readonly IsoDate[]): DayPoint[] {
  return days.map((tag, i) => ({
    tag,
    angelegt: series.reduce((s, p) => s + (p[i]?.angelegt ?? 0), 0),
    erledigt: series.reduce((s, p) => s + (p[i]?.erledigt ?? 0), 0),
    offen: series.reduce((s, p) => s + (p[i]?.offen ?? 0), 0),
  }));
}

/**
 * Figures per authority and office (all authorities, or one), with the series of the last `days`
 * days. Four aggregate queries; the per-procedure final states are applied here, so the database
 * needs no knowledge of the families.
 */
export async function boardFigures(
  db: Kysely<Database>,
  registry: ProcedureRegistry,
  opts: { now: Date; days: number; authorityAgs?: string },
): Promise<BoardFigures> {
  const today = todayInGermany(opts.now);
  const days = lastDays(today, opts.days);
  const first = days[0] as IsoDate;
  // From the UTC midnight before the first German day: a few hours early, the buckets sort it out.
  const from = `${addDays(first, -1)}T00:00:00.000Z`;
  const finals = finalStates(registry);
  const isFinal = (procedureId: string, status: string) => finals.get(procedureId)?.has(status) ?? false;
  const where = opts.authorityAgs ? sql`WHERE c.authority_ags = ${opts.authorityAgs}` : sql``;
  const and = opts.authorityAgs ? sql`AND c.authority_ags = ${opts.authorityAgs}` : sql``;

  // SQLite: the ranges of the last days through their covering indexes (migration
  // 2026-12-07T2300). Without statistics (ANALYZE) its planner preferred to walk a whole index in
  // GROUP BY order and read every row (2.7 s at 1 M cases instead of 0.1 s); PostgreSQL plans
  // from the statistics autovacuum keeps.
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const indexedBy = (index: string) => (postgres ? sql`` : sql.raw(`INDEXED BY ${index}`));
  // The handover rows drive the join (CROSS JOIN: SQLite keeps this order): for one authority it
  // otherwise probed them once for each of its cases (0.7 s for 250 000 cases without a handover).
  const [now, created, changed, handover] = await Promise.all([
    // In the order of cases_board_idx (migration 2026-12-07T2300): grouped while the index is read.
    sql<Row>`SELECT c.authority_ags AS ags, c.office_type AS office, c.procedure_id AS proc, c.status AS status,
          COUNT(*) AS n, SUM(CASE WHEN c.deadline IS NOT NULL AND c.deadline < ${today} THEN 1 ELSE 0 END) AS overdue
        FROM cases c ${where}
        GROUP BY 1, 2, 3, 4`.execute(db),
    sql<Row>`SELECT c.authority_ags AS ags, c.office_type AS office, substr(c.created_at, 1, 13) AS h, COUNT(*) AS n
        FROM cases c ${indexedBy('cases_created_idx')} WHERE c.created_at >= ${from} ${and}
        GROUP BY 1, 2, 3`.execute(db),
    sql<Row>`SELECT c.authority_ags AS ags, c.office_type AS office, c.procedure_id AS proc, c.status AS status,
          substr(c.updated_at, 1, 13) AS h, COUNT(*) AS n
        FROM cases c ${indexedBy('cases_board_updated_idx')} WHERE c.updated_at >= ${from} ${and}
        GROUP BY 1, 2, 3, 4, 5`.execute(db),
    sql<Row>`SELECT c.authority_ags AS ags, c.office_type AS office, b.status AS status, COUNT(DISTINCT c.id) AS n
        FROM handover_batch_case b CROSS JOIN cases c
        WHERE c.id = b.case_id AND b.status IN ('uebergeben', 'exportiert') ${and}
        GROUP BY 1, 2, 3`.execute(db),
  ]);

  const figures = new Map<string, OfficeFigures>();
  const at = (ags: string, office: string): OfficeFigures => {
    const key = scopeKey(ags, office);
    let f = figures.get(key);
    if (!f) {
      f = { authorityAgs: ags, officeType: office, ...emptyFigures() };
      figures.set(key, f);
    }
    return f;
  };
  const created_ = new Map<string, Map<IsoDate, number>>();
  const closed_ = new Map<string, Map<IsoDate, number>>();
  const bump = (m: Map<string, Map<IsoDate, number>>, key: string, day: IsoDate, n: number) => {
    let d = m.get(key);
    if (!d) {
      d = new Map();
      m.set(key, d);
    }
    d.set(day, (d.get(day) ?? 0) + n);
  };

  for (const r of now.rows) {
    const f = at(String(r.ags), String(r.office));
    const n = num(r.n);
    f.gesamt += n;
    if (!isFinal(String(r.proc), String(r.status))) {
      f.offen += n;
      f.ueberfaellig += num(r.overdue);
    }
  }
  for (const r of created.rows) {
    const day = dayOfHourBucket(String(r.h));
    if (day < first) continue;
    const key = scopeKey(String(r.ags), String(r.office));
    at(String(r.ags), String(r.office));
    bump(created_, key, day, num(r.n));
  }
  for (const r of changed.rows) {
    if (!isFinal(String(r.proc), String(r.status))) continue;
    const day = dayOfHourBucket(String(r.h));
    if (day < first) continue;
    const key = scopeKey(String(r.ags), String(r.office));
    at(String(r.ags), String(r.office));
    bump(closed_, key, day, num(r.n));
  }
  for (const r of handover.rows) {
    const f = at(String(r.ags), String(r.office));
    if (r.status === 'uebergeben') f.uebergeben += num(r.n);
    else f.inUebergabe += num(r.n);
  }

  const series = new Map<string, DayPoint[]>();
  for (const [key, f] of figures) {
    f.nichtUebergeben = Math.max(0, f.gesamt - f.uebergeben - f.inUebergabe);
    f.angelegtHeute = created_.get(key)?.get(today) ?? 0;
    f.erledigtHeute = closed_.get(key)?.get(today) ?? 0;
    const points: DayPoint[] = [];
    let open = f.offen;
    for (let i = days.length - 1; i >= 0; i--) {
      const tag = days[i] as IsoDate;
      const angelegt = created_.get(key)?.get(tag) ?? 0;
      const erledigt = closed_.get(key)?.get(tag) ?? 0;
      points.unshift({ tag, angelegt, erledigt, offen: Math.max(0, open) });
      open = open - angelegt + erledigt;
    }
    series.set(key, points);
  }
  const offices = [...figures.values()].sort(
    (a, b) => a.authorityAgs.localeCompare(b.authorityAgs) || a.officeType.localeCompare(b.officeType),
  );
  return { today, offices, series, days };
}
