import { z } from 'zod';
import { addDays, type IsoDate, isValidIsoDate } from '../../core/dates.js';
import { type ActionDefinition, defineProcedure, type ProcedureDefinition } from '../../core/procedure.js';
import { isoDate, longText, text, yesNo } from '../../core/schema-helpers.js';

/**
 * The budget of one municipality (or Kreis) for one year as a case (Aktenzeichen HH n/yyyy): its
 * status is the approval chain of § 80 GO NRW, its deadline the Anzeige to the supervisory
 * authority by 30 November of the year before (§ 80 Abs. 5; FACTS.md §9). The lines themselves
 * are versions in the family's own tables (server/): every import or edit makes a new, frozen
 * version; the approval steps pin the version they approve (number and SHA-256 of its content).
 *
 * Sources (checked): § 80 Abs. 1/2 GO NRW — "der Entwurf der Haushaltssatzung wird vom Kämmerer
 * aufgestellt und vom Bürgermeister bestätigt", who "leitet den bestätigten Entwurf dem Rat zu"
 * (sitzungsdienst.heinsberg.de, Ratsvorlagen 2016 and 2022); § 80 Abs. 5: the decided bylaw is
 * notified to the supervisory authority at least one month before the budget year, may be
 * published at the earliest one month after the notification (the authority may shorten or extend
 * that period) and then takes effect retroactively on 1 January (gelsenkirchen.de, "Genehmigung";
 * wording of the former § 79 Abs. 5 GO). Supervisory authority: the Landrat as untere staatliche
 * Verwaltungsbehörde for kreisangehörige Gemeinden, the Bezirksregierung for Kreise and
 * kreisfreie Städte (rheine-buergerinfo.de; gelsenkirchen.de).
 */

export const HAUSHALTSPLAN_ID = 'haushaltsplan';

export const PLAN_STATES = {
  entwurf: { label: 'Entwurf' },
  aufgestellt: { label: 'Vom Kämmerer aufgestellt' },
  bestaetigt: { label: 'Vom Bürgermeister bestätigt, dem Rat zugeleitet' },
  beschlossen: { label: 'Vom Rat beschlossen' },
  angezeigt: { label: 'Der Aufsichtsbehörde angezeigt' },
  in_kraft: { label: 'Bekannt gemacht – in Kraft', final: true },
} as const;

export type PlanStatus = keyof typeof PLAN_STATES;

/** States in which the lines can still change (new versions). */
export const EDITABLE_STATES: readonly PlanStatus[] = ['entwurf'];

/** The version an approval step approved. */
export interface Fassung {
  nummer: number;
  sha256: string;
  zeilen: number;
}

export interface HaushaltsplanDaten {
  haushaltsjahr: number;
  bezeichnung?: string;
  /** Pinned version (from "aufstellen" on). */
  fassung?: Fassung;
  aufgestelltAm?: IsoDate;
  bestaetigtAm?: IsoDate;
  beschluss?: { datum: IsoDate; sitzung: string };
  anzeige?: { datum: IsoDate; aufsichtsbehoerde: string };
  bekanntmachung?: { datum: IsoDate; fristVerkuerzt: boolean };
}

/** iso + n calendar months; the day is clamped to the month's end (31 Jan + 1 -> 28/29 Feb). */
export function addMonths(iso: IsoDate, months: number): IsoDate {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** The Anzeige is due one month before the budget year: 30 November of the year before. */
export function anzeigefrist(haushaltsjahr: number): IsoDate {
  return addDays(`${haushaltsjahr}-01-01`, -32);
}

const notFuture = (today: () => IsoDate, title: string) => (d: string, ctx: z.RefinementCtx) => {
  if (isValidIsoDate(d) && d > today()) {
    ctx.addIssue({ code: 'custom', message: `${title}: darf nicht in der Zukunft liegen.` });
  }
};

const datumOptional = (title: string, today: () => IsoDate) =>
  isoDate({ title, description: 'Nur angeben, wenn der Schritt nicht heute geschah (Papierakte).' })
    .superRefine(notFuture(today, title))
    .optional();

export function haushaltsplanSchema(today: () => IsoDate) {
  return z
    .object({
      haushaltsjahr: z
        .number({ error: 'Haushaltsjahr: Bitte als Jahreszahl angeben.' })
        .int('Haushaltsjahr: Bitte als Jahreszahl angeben.')
        .min(2000, 'Haushaltsjahr: Bitte als Jahreszahl angeben.')
        .max(2100, 'Haushaltsjahr: Bitte als Jahreszahl angeben.')
        .meta({ title: 'Haushaltsjahr', widget: 'number', section: 'plan' }),
      bezeichnung: text(
        {
          title: 'Bezeichnung',
          description: 'z. B. „Haushaltssatzung 2027“ (ohne Angabe so benannt)',
          section: 'plan',
        },
        { max: 120 },
      ).optional(),
    })
    .strict()
    .superRefine((d, ctx) => {
      const year = Number(today().slice(0, 4));
      if (d.haushaltsjahr < year - 1 || d.haushaltsjahr > year + 2) {
        ctx.addIssue({
          code: 'custom',
          path: ['haushaltsjahr'],
          message: `Haushaltsjahr: Im Notbetrieb werden die Haushalte ${year - 1} bis ${year + 2} geplant.`,
        });
      }
    });
}

export function createHaushaltsplan(opts: { today: () => IsoDate }) {
  const schema = haushaltsplanSchema(opts.today);
  const bemerkung = longText({ title: 'Bemerkung' }, 1000).optional();
  const actions: ActionDefinition<HaushaltsplanDaten>[] = [
    {
      id: 'aufstellen',
      label: 'Aufstellen (Kämmerer)',
      description:
        'Der Kämmerer stellt die aktuelle Fassung des Entwurfs auf (§ 80 Abs. 1 GO NRW). Danach sind keine Änderungen mehr möglich, außer nach Rückgabe.',
      from: ['entwurf'],
      to: 'aufgestellt',
      roles: ['leitung'],
      payload: z.object({ datum: datumOptional('Tag der Aufstellung', opts.today), bemerkung }).strict(),
      apply: (d, p) => {
        const x = p as { fassung: Fassung; datum: IsoDate };
        return { ...d, fassung: x.fassung, aufgestelltAm: x.datum };
      },
    },
    {
      id: 'bestaetigen',
      label: 'Bestätigen (Bürgermeister)',
      description:
        'Der Bürgermeister bestätigt den aufgestellten Entwurf und leitet ihn dem Rat zu (§ 80 Abs. 1 und 2 GO NRW).',
      from: ['aufgestellt'],
      to: 'bestaetigt',
      roles: ['buergermeister'],
      payload: z.object({ datum: datumOptional('Tag der Bestätigung', opts.today), bemerkung }).strict(),
      apply: (d, p) => ({ ...d, bestaetigtAm: (p as { datum: IsoDate }).datum }),
    },
    {
      id: 'beschliessen',
      label: 'Ratsbeschluss erfassen',
      description:
        'Der Rat (Kreistag) hat die Haushaltssatzung beschlossen; das Ratsbüro erfasst den Beschluss.',
      from: ['bestaetigt'],
      to: 'beschlossen',
      roles: ['ratsbuero'],
      payload: z
        .object({
          beschlussdatum: isoDate({ title: 'Tag des Beschlusses' }).superRefine(
            notFuture(opts.today, 'Tag des Beschlusses'),
          ),
          sitzung: text({
            title: 'Sitzung und Tagesordnungspunkt',
            description: 'z. B. „Rat, 10.12.2026, TOP 4“',
          }),
        })
        .strict(),
      apply: (d, p) => {
        const x = p as { beschlussdatum: IsoDate; sitzung: string };
        return { ...d, beschluss: { datum: x.beschlussdatum, sitzung: x.sitzung } };
      },
    },
    {
      id: 'anzeigen',
      label: 'Anzeige an die Aufsicht erfassen',
      description:
        'Die beschlossene Haushaltssatzung ist der Aufsichtsbehörde angezeigt (§ 80 Abs. 5 GO NRW, spätestens einen Monat vor Beginn des Haushaltsjahres).',
      from: ['beschlossen'],
      to: 'angezeigt',
      roles: ['leitung'],
      payload: z
        .object({
          anzeigedatum: isoDate({ title: 'Tag der Anzeige' }).superRefine(
            notFuture(opts.today, 'Tag der Anzeige'),
          ),
          aufsichtsbehoerde: text({
            title: 'Aufsichtsbehörde',
            description:
              'Kreisangehörige Gemeinde: Landrat als untere staatliche Verwaltungsbehörde; Kreis oder kreisfreie Stadt: Bezirksregierung',
          }),
        })
        .strict(),
      apply: (d, p) => {
        const x = p as { anzeigedatum: IsoDate; aufsichtsbehoerde: string };
        return { ...d, anzeige: { datum: x.anzeigedatum, aufsichtsbehoerde: x.aufsichtsbehoerde } };
      },
    },
    {
      id: 'bekanntmachen',
      label: 'Bekanntmachung erfassen',
      description:
        'Die Haushaltssatzung ist öffentlich bekannt gemacht und damit rückwirkend zum 1. Januar in Kraft; die vorläufige Haushaltsführung (§ 82 GO NRW) endet.',
      from: ['angezeigt'],
      to: 'in_kraft',
      roles: ['leitung'],
      payload: z
        .object({
          bekanntmachungsdatum: isoDate({ title: 'Tag der Bekanntmachung' }).superRefine(
            notFuture(opts.today, 'Tag der Bekanntmachung'),
          ),
          fristVerkuerzt: yesNo({
            title: 'Hat die Aufsichtsbehörde die Monatsfrist verkürzt?',
            description: 'Sonst darf frühestens einen Monat nach der Anzeige bekannt gemacht werden.',
          }),
        })
        .strict(),
      apply: (d, p) => {
        const x = p as { bekanntmachungsdatum: IsoDate; fristVerkuerzt: boolean };
        return { ...d, bekanntmachung: { datum: x.bekanntmachungsdatum, fristVerkuerzt: x.fristVerkuerzt } };
      },
    },
    {
      id: 'zurueckgeben',
      label: 'Zur Überarbeitung zurückgeben',
      description: 'Der Entwurf geht zurück an die Kämmerei und kann wieder geändert werden.',
      from: ['aufgestellt', 'bestaetigt'],
      to: 'entwurf',
      roles: ['leitung', 'buergermeister', 'ratsbuero'],
      payload: z.object({ grund: text({ title: 'Grund' }, { max: 500 }) }).strict(),
      apply: (d) => {
        const { fassung: _f, aufgestelltAm: _a, bestaetigtAm: _b, ...rest } = d;
        return rest;
      },
    },
  ];
  return defineProcedure({
    id: HAUSHALTSPLAN_ID,
    version: 1,
    office: 'kaemmerei',
    title: 'Haushaltsplan',
    description:
      'Haushaltsentwurf eines Haushaltsjahres mit Teilplänen (17 Produktbereiche), Fassungen und dem Weg nach § 80 GO NRW: aufgestellt vom Kämmerer, bestätigt vom Bürgermeister, beschlossen vom Rat, angezeigt bei der Aufsicht (bis 30. November), bekannt gemacht.',
    aktenzeichenCode: 'HH',
    form: {
      schema,
      sections: [
        {
          id: 'plan',
          title: 'Haushaltsentwurf',
          description:
            'Die Zeilen der Teilpläne werden danach auf der Seite des Haushaltsplans eingelesen (XLSX oder CSV).',
        },
      ],
    },
    states: PLAN_STATES,
    create: { id: 'anlegen', label: 'Haushaltsentwurf anlegen', to: 'entwurf', roles: ['sachbearbeitung'] },
    actions: actions as never,
    deadline: {
      label: 'Anzeige an die Aufsicht (§ 80 Abs. 5 GO NRW)',
      openIn: ['entwurf', 'aufgestellt', 'bestaetigt', 'beschlossen'],
      compute: (d) => anzeigefrist(d.haushaltsjahr),
    },
    fees: () => [],
    documents: [],
    handover: [],
    searchText: (d) => [String(d.haushaltsjahr), d.bezeichnung],
    summary: (d) => (d as HaushaltsplanDaten).bezeichnung ?? `Haushaltsplan ${d.haushaltsjahr}`,
  }) as unknown as ProcedureDefinition;
}

/** Human text for a pinned version in messages. */
export function fassungText(f: Fassung): string {
  return `Fassung ${f.nummer} (${f.zeilen} Zeilen)`;
}
