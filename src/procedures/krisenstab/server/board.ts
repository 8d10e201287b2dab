import type { Kysely } from 'kysely';
import type { Principal } from '../../../core/access.js';
import { notFound } from '../../../core/errors.js';
import { isOfficeType, OFFICE_LABELS } from '../../../core/offices.js';
import type { ProcedureRegistry } from '../../../core/procedure-registry.js';
import type { Database } from '../../../db/types.js';
import { requireCrisisTeam } from './access.js';
import type { CatalogueService, DienstView, LageView } from './catalogue.js';
import { boardFigures, type DayPoint, type Figures, scopeKey, sumFigures, sumSeries } from './figures.js';
import type { LogService, LogView } from './log.js';

/**
 * The situation board (Lagebild) of the crisis team: per authority and office the backlog from
 * the live case data (aggregates only), the state of each authority's service catalogue with the
 * WAZ judgement, and the log. Everything here is numbers, statuses and the team's own text: the
 * access matrix proves that no answer holds a case id, an Aktenzeichen or a name.
 */
export interface ServiceSummary {
  gesamt: number;
  normal: number;
  notbetrieb: number;
  nachbarbehoerde: number;
  ausgesetzt: number;
  nichtErfasst: number;
  wazUeberschritten: number;
  mtaUeberschritten: number;
}

export function summarise(dienste: readonly DienstView[]): ServiceSummary {
  const s: ServiceSummary = {
    gesamt: dienste.length,
    normal: 0,
    notbetrieb: 0,
    nachbarbehoerde: 0,
    ausgesetzt: 0,
    nichtErfasst: 0,
    wazUeberschritten: 0,
    mtaUeberschritten: 0,
  };
  for (const d of dienste) {
    if (d.status) s[d.status]++;
    else s.nichtErfasst++;
    if (d.waz.state === 'ueberschritten' || d.waz.state === 'offen_ueberschritten') s.wazUeberschritten++;
    if (d.waz.mtaUeberschritten) s.mtaUeberschritten++;
  }
  return s;
}

export interface OfficeBoard extends Figures {
  officeType: string;
  officeLabel: string;
  verlauf: DayPoint[];
}

export interface AuthorityRow extends Figures {
  ags: string;
  name: string;
  kind: string;
  kreisAgs: string;
  ausfallSeit: string | null;
  aemter: Array<Figures & { officeType: string; officeLabel: string }>;
  dienste: ServiceSummary;
}

const officeLabel = (o: string) => (isOfficeType(o) ? OFFICE_LABELS[o] : o);

export class BoardService {
  constructor(
    private readonly deps: {
      db: Kysely<Database>;
      registry: ProcedureRegistry;
      now: () => Date;
      catalogue: CatalogueService;
      log: LogService;
    },
  ) {}

  /** The region: every authority with its figures and service summary, the sum and its series. */
  async region(principal: Principal | null, days: number) {
    if (principal) requireCrisisTeam(principal);
    const now = this.deps.now();
    const [fig, catalogue, authorities, offeneAufgaben] = await Promise.all([
      boardFigures(this.deps.db, this.deps.registry, { now, days }),
      this.deps.catalogue.region(principal),
      this.deps.db
        .selectFrom('authority')
        .select(['ags', 'name', 'kind', 'kreis_ags'])
        .orderBy('kreis_ags')
        .orderBy('ags')
        .execute(),
      this.deps.log.read({ nurOffen: true, limit: 500 }),
    ]);
    const rows: AuthorityRow[] = authorities.map((a) => {
      const offices = fig.offices.filter((o) => o.authorityAgs === a.ags);
      const cat = catalogue.get(a.ags);
      return {
        ags: a.ags,
        name: a.name,
        kind: a.kind,
        kreisAgs: a.kreis_ags,
        ausfallSeit: cat?.lage.ausfallSeit ?? null,
        ...sumFigures(offices),
        aemter: offices.map(({ authorityAgs: _a, ...o }) => ({
          ...o,
          officeLabel: officeLabel(o.officeType),
        })),
        dienste: summarise(cat?.dienste ?? []),
      };
    });
    return {
      stand: now.toISOString(),
      heute: fig.today,
      tage: fig.days,
      summe: sumFigures(fig.offices),
      verlauf: sumSeries([...fig.series.values()], fig.days),
      dienste: summarise([...catalogue.values()].flatMap((c) => c.dienste)),
      offeneAufgaben: offeneAufgaben.length,
      behoerden: rows,
    };
  }

  /** One authority: figures and series per office, the catalogue with WAZ, the log. */
  async authority(principal: Principal, ags: string, days: number) {
    requireCrisisTeam(principal);
    const now = this.deps.now();
    const authority = await this.deps.db
      .selectFrom('authority')
      .select(['ags', 'name', 'kind', 'kreis_ags'])
      .where('ags', '=', ags)
      .executeTakeFirst();
    if (!authority) throw notFound('Die Behörde');
    const [fig, dienste, lage, log, offices] = await Promise.all([
      boardFigures(this.deps.db, this.deps.registry, { now, days, authorityAgs: ags }),
      this.deps.catalogue.entries(ags, principal),
      this.deps.catalogue.lage(ags),
      this.deps.log.read({ authorityAgs: ags, limit: 100 }),
      this.deps.db.selectFrom('office').select('office_type').where('authority_ags', '=', ags).execute(),
    ]);
    // Every office of the authority is listed, with zeros where it has no cases yet.
    const officeTypes = [
      ...new Set([...offices.map((o) => o.office_type), ...fig.offices.map((o) => o.officeType)]),
    ];
    const aemter: OfficeBoard[] = officeTypes.map((t) => {
      const f = fig.offices.find((o) => o.officeType === t);
      const {
        authorityAgs: _a,
        officeType: _o,
        ...figures
      } = f ?? {
        authorityAgs: ags,
        officeType: t,
        ...sumFigures([]),
      };
      return {
        officeType: t,
        officeLabel: officeLabel(t),
        ...figures,
        verlauf:
          fig.series.get(scopeKey(ags, t)) ??
          fig.days.map((tag) => ({ tag, angelegt: 0, erledigt: 0, offen: 0 })),
      };
    });
    return {
      stand: now.toISOString(),
      heute: fig.today,
      tage: fig.days,
      authority: {
        ags: authority.ags,
        name: authority.name,
        kind: authority.kind,
        kreisAgs: authority.kreis_ags,
      },
      summe: sumFigures(fig.offices),
      verlauf: sumSeries(
        aemter.map((a) => a.verlauf),
        fig.days,
      ),
      aemter,
      lage,
      dienste,
      log,
    };
  }

  /** The series for a chart: the region, one authority, or one office of it. */
  async series(principal: Principal, opts: { authorityAgs?: string; officeType?: string; days: number }) {
    requireCrisisTeam(principal);
    const now = this.deps.now();
    let name = 'Region';
    if (opts.authorityAgs) {
      const a = await this.deps.db
        .selectFrom('authority')
        .select('name')
        .where('ags', '=', opts.authorityAgs)
        .executeTakeFirst();
      if (!a) throw notFound('Die Behörde');
      name = a.name;
    }
    const fig = await boardFigures(this.deps.db, this.deps.registry, {
      now,
      days: opts.days,
      ...(opts.authorityAgs ? { authorityAgs: opts.authorityAgs } : {}),
    });
    const picked = [...fig.series.entries()]
      .filter(([key]) => !opts.officeType || key.endsWith(`/${opts.officeType}`))
      .map(([, s]) => s);
    const label = opts.officeType ? `${name}, ${officeLabel(opts.officeType)}` : name;
    return { title: `Rückstand ${label}: letzte ${opts.days} Tage`, points: sumSeries(picked, fig.days) };
  }
}

export type { LageView, LogView };
