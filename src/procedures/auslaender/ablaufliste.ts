import { addDays, type IsoDate } from '../../core/dates.js';
import { type AufenthaltDaten, aktuelleBescheinigung } from './aufenthalt.js';
import type { BeschaeftigungDaten } from './beschaeftigungserlaubnis.js';
import { tageBis } from './fristen.js';
import { AUFENTHALT_ID, BESCHAEFTIGUNG_ID, nameOf } from './ids.js';

/**
 * The expiry watch-list (issue 14, item 4): every residence title, Fiktionsbescheinigung and
 * Beschäftigungserlaubnis of an office that expires within the chosen number of weeks, plus those
 * that lapsed in the last four weeks (marked), sortable. A pure function of the case snapshots;
 * the route reads them (server/routes.ts). Browser-safe (the web page uses the labels).
 */

export const ABLAUF_ARTEN = ['titel', 'fiktionsbescheinigung', 'beschaeftigungserlaubnis'] as const;
export type AblaufArt = (typeof ABLAUF_ARTEN)[number];
export const ABLAUF_ART_LABELS: Record<AblaufArt, string> = {
  titel: 'Aufenthaltstitel / Visum',
  fiktionsbescheinigung: 'Fiktionsbescheinigung',
  beschaeftigungserlaubnis: 'Beschäftigungserlaubnis',
};

export const ABLAUF_SORTIERUNG = ['gueltigBis', 'name', 'aktenzeichen', 'art'] as const;
export type AblaufSortierung = (typeof ABLAUF_SORTIERUNG)[number];

/** How far back lapsed documents stay on the list. */
export const ABGELAUFEN_TAGE = 28;

export interface AblaufCase {
  id: string;
  aktenzeichen: string;
  procedureId: string;
  status: string;
  data: unknown;
}

export interface AblaufEintrag {
  caseId: string;
  aktenzeichen: string;
  art: AblaufArt;
  person: string;
  geburtsdatum: IsoDate;
  staatsangehoerigkeit: string;
  gueltigBis: IsoDate;
  /** Days from today to the last valid day (negative: lapsed). */
  restTage: number;
  /** Certificate number or title number, where there is one. */
  nummer: string | null;
  /** What is pending, in German. */
  hinweis: string;
}

function eintraege(c: AblaufCase): Array<Omit<AblaufEintrag, 'restTage'>> {
  if (c.procedureId === AUFENTHALT_ID) {
    const d = c.data as AufenthaltDaten;
    const base = {
      caseId: c.id,
      aktenzeichen: c.aktenzeichen,
      person: nameOf(d.person),
      geburtsdatum: d.person.geburtsdatum,
      staatsangehoerigkeit: d.person.staatsangehoerigkeit,
    };
    if (c.status === 'beantragt' && d.bisher.gueltigBis) {
      return [
        {
          ...base,
          art: 'titel',
          gueltigBis: d.bisher.gueltigBis,
          nummer: d.bisher.nummer ?? null,
          hinweis: 'Antrag gestellt, noch keine Fiktionsbescheinigung',
        },
      ];
    }
    const b = aktuelleBescheinigung(d);
    if (c.status === 'fiktion' && b) {
      return [
        {
          ...base,
          art: 'fiktionsbescheinigung',
          gueltigBis: b.gueltigBis,
          nummer: b.bescheinigungsNr,
          hinweis: b.nr > 0 ? `Verlängerung Nr. ${b.nr}` : 'Erstausstellung',
        },
      ];
    }
    if (c.status === 'erteilt' && d.erteilung) {
      return [
        {
          ...base,
          art: 'titel',
          gueltigBis: d.erteilung.gueltigBis,
          nummer: d.erteilung.nummer ?? null,
          hinweis: d.erteilung.titelText,
        },
      ];
    }
    return [];
  }
  if (c.procedureId === BESCHAEFTIGUNG_ID && c.status === 'erteilt') {
    const d = c.data as BeschaeftigungDaten;
    if (!d.erlaubnis) return [];
    return [
      {
        caseId: c.id,
        aktenzeichen: c.aktenzeichen,
        art: 'beschaeftigungserlaubnis',
        person: nameOf(d.person),
        geburtsdatum: d.person.geburtsdatum,
        staatsangehoerigkeit: d.person.staatsangehoerigkeit,
        gueltigBis: d.erlaubnis.gueltigBis,
        nummer: null,
        hinweis: `${d.beschaeftigung.arbeitgeber}, ${d.beschaeftigung.taetigkeit}`,
      },
    ];
  }
  return [];
}

const collator = new Intl.Collator('de-DE', { sensitivity: 'base', numeric: true });

export function ablaufliste(
  cases: Iterable<AblaufCase>,
  opts: { heute: IsoDate; wochen: number; sortierung?: AblaufSortierung; absteigend?: boolean },
): AblaufEintrag[] {
  const bis = addDays(opts.heute, opts.wochen * 7);
  const von = addDays(opts.heute, -ABGELAUFEN_TAGE);
  const out: AblaufEintrag[] = [];
  for (const c of cases) {
    for (const e of eintraege(c)) {
      if (e.gueltigBis <= bis && e.gueltigBis >= von)
        out.push({ ...e, restTage: tageBis(opts.heute, e.gueltigBis) });
    }
  }
  const key = opts.sortierung ?? 'gueltigBis';
  const cmp = (a: AblaufEintrag, b: AblaufEintrag): number => {
    const primary =
      key === 'gueltigBis'
        ? a.gueltigBis.localeCompare(b.gueltigBis)
        : key === 'name'
          ? collator.compare(a.person, b.person)
          : key === 'art'
            ? collator.compare(ABLAUF_ART_LABELS[a.art], ABLAUF_ART_LABELS[b.art])
            : collator.compare(a.aktenzeichen, b.aktenzeichen);
    return (
      primary || a.gueltigBis.localeCompare(b.gueltigBis) || collator.compare(a.aktenzeichen, b.aktenzeichen)
    );
  };
  out.sort((a, b) => (opts.absteigend ? -cmp(a, b) : cmp(a, b)));
  return out;
}
