import { z } from 'zod';
import {
  WOHNSITUATION_LABELS,
  WOHNSITUATIONEN,
  type Wohnsituation,
} from '../../core/benefits/regelbedarf.js';
import { anschriftSchema, zahlungIssues, zahlungSchema } from '../../core/benefits/zahlung.js';
import { formatGermanDate, type IsoDate } from '../../core/dates.js';
import { isMonth, monatText } from '../../core/months.js';
import { type ActionDefinition, defineProcedure, type ProcedureDefinition } from '../../core/procedure.js';
import { choice, isoDate, text, yesNo } from '../../core/schema-helpers.js';
import {
  ASYL_ID,
  AUSZUG_IDS,
  auszugId,
  BELEGUNG_STATES,
  BESCHEID_DOKUMENT,
  nameOf,
  OFFICE,
  UNTERBRINGEN_IDS,
  unterbringenId,
} from './ids.js';
import type { Fassung, Leistungsfall } from './saetze.js';

export { ASYL_ID, AUSZUG_IDS, auszugId, BESCHEID_DOKUMENT, nameOf, OFFICE, UNTERBRINGEN_IDS, unterbringenId };

/**
 * AsylbLG-Leistungsfall (issue 13, item 2): the Land assigns persons to the municipality
 * (Zuweisung, § 50 AsylG); the Sozialamt houses them (accommodation places, server/unterkunft.ts)
 * and decides their benefits (§ 3a, after 36 months § 2 AsylbLG; rules in saetze.ts). One case
 * per Zuweisungsbescheid (household). The asylum application itself is decided by the BAMF.
 */

const personSchema = z
  .object({
    familienname: text({ title: 'Familienname', section: 'personen' }, { max: 120 }),
    vornamen: text({ title: 'Vornamen', section: 'personen' }, { max: 120 }),
    geburtsdatum: isoDate({ title: 'Geburtsdatum', section: 'personen' }),
    staatsangehoerigkeit: text({ title: 'Staatsangehörigkeit', section: 'personen' }, { max: 80 }),
    aufenthaltSeit: isoDate({
      title: 'Aufenthalt im Bundesgebiet seit',
      description: 'Beginn des ununterbrochenen Aufenthalts (Frist des § 2 Abs. 1 AsylbLG: 36 Monate)',
      section: 'personen',
    }),
    bamfAktenzeichen: text({ title: 'Aktenzeichen des BAMF', section: 'personen' }, { max: 40 }).optional(),
    wohnsituation: choice(WOHNSITUATIONEN, {
      title: 'Wohnsituation',
      description:
        'Für die Bedarfsstufe (Gemeinschaftsunterkunft: persönlicher Wohnraum, weitere Räume geteilt)',
      section: 'personen',
      options: WOHNSITUATION_LABELS,
    }),
    rechtsmissbrauch: yesNo({
      title: 'Aufenthaltsdauer rechtsmissbräuchlich selbst beeinflusst',
      description: 'Dann kein Wechsel zu § 2 AsylbLG',
      section: 'personen',
    }).optional(),
  })
  .strict()
  .meta({ title: 'Person', section: 'personen' });

export function asylSchema(today: () => IsoDate) {
  return z
    .object({
      zuweisung: z
        .object({
          zuweisungsdatum: isoDate({ title: 'Zuweisung ab', section: 'zuweisung' }),
          zuweisendeStelle: text(
            {
              title: 'Zuweisende Stelle',
              description: 'z. B. Bezirksregierung Arnsberg',
              section: 'zuweisung',
            },
            { max: 120 },
          ),
          bescheidAktenzeichen: text(
            { title: 'Aktenzeichen des Zuweisungsbescheids', section: 'zuweisung' },
            { max: 60 },
          ),
          bescheidDatum: isoDate({ title: 'Datum des Zuweisungsbescheids', section: 'zuweisung' }),
          herkunftsland: text({ title: 'Herkunftsland', section: 'zuweisung' }, { max: 80 }),
          herkunftEinrichtung: text(
            {
              title: 'Zuletzt untergebracht in',
              description: 'Landeseinrichtung (ZUE/EAE)',
              section: 'zuweisung',
            },
            { max: 120 },
          ).optional(),
        })
        .strict(),
      personen: z
        .array(personSchema, { error: 'Personen: Bitte angeben.' })
        .min(1, 'Personen: Mindestens eine Person angeben.')
        .max(20, 'Personen: höchstens 20 je Zuweisung.')
        .meta({
          title: 'Personen',
          description: 'Alle zugewiesenen Personen des Haushalts',
          section: 'personen',
        }),
      anschrift: anschriftSchema,
      zahlung: zahlungSchema,
    })
    .strict()
    .superRefine((d, ctx) => {
      const t = today();
      const z0 = d.zuweisung;
      if (z0.bescheidDatum > t) {
        ctx.addIssue({
          code: 'custom',
          path: ['zuweisung', 'bescheidDatum'],
          message: 'Datum des Zuweisungsbescheids: liegt in der Zukunft.',
        });
      }
      d.personen.forEach((p, i) => {
        if (p.geburtsdatum > t) {
          ctx.addIssue({
            code: 'custom',
            path: ['personen', i, 'geburtsdatum'],
            message: 'Geburtsdatum: liegt in der Zukunft.',
          });
        }
        if (p.aufenthaltSeit < p.geburtsdatum) {
          ctx.addIssue({
            code: 'custom',
            path: ['personen', i, 'aufenthaltSeit'],
            message: 'Aufenthalt im Bundesgebiet seit: liegt vor dem Geburtsdatum.',
          });
        } else if (p.aufenthaltSeit > z0.zuweisungsdatum) {
          ctx.addIssue({
            code: 'custom',
            path: ['personen', i, 'aufenthaltSeit'],
            message: 'Aufenthalt im Bundesgebiet seit: liegt nach der Zuweisung.',
          });
        }
      });
      zahlungIssues(d.zahlung, (path, message) => ctx.addIssue({ code: 'custom', path, message }));
    });
}

export type AsylForm = z.output<ReturnType<typeof asylSchema>>;

export interface Bewilligung {
  leistungsBeginn: IsoDate;
  abMonat: string;
  einkommenCents: number;
  bescheidAm: IsoDate;
  vermerk?: string;
}

export interface Aenderung {
  abMonat: string;
  grund: string;
  am: IsoDate;
}

export interface Belegung {
  person: number;
  unterkunftId: string;
  unterkunft: string;
  platzNr: number;
  einzug: IsoDate;
  auszug?: IsoDate;
}

export interface AsylDaten extends AsylForm {
  bewilligung?: Bewilligung;
  fassungen?: Fassung[];
  aenderungen?: Aenderung[];
  /** Every allocation of the case; the open ones (no auszug) are the current places. */
  belegungen?: Belegung[];
  einstellung?: { letzterTag: IsoDate; grund: string; am: IsoDate };
}

export const ASYL_CSV_COLUMNS = [
  'satzart',
  'aktenzeichen',
  'status',
  'person_nr',
  'familienname',
  'vornamen',
  'geburtsdatum',
  'staatsangehoerigkeit',
  'aufenthalt_seit',
  'bamf_aktenzeichen',
  'zuweisung_ab',
  'zuweisende_stelle',
  'zuweisungsbescheid',
  'herkunftsland',
  'gueltig_ab',
  'gueltig_bis',
  'art',
  'betrag_cent',
  'details',
  'vorgangs_id',
] as const;

const monat = (title: string) =>
  z
    .string({ error: `${title}: Bitte einen Monat angeben.` })
    .refine(isMonth, `${title}: Bitte einen Monat im Format JJJJ-MM angeben.`)
    .meta({ title, widget: 'text' });

const cents = (title: string) =>
  z
    .number({ error: `${title}: Bitte einen Betrag in Cent angeben.` })
    .int(`${title}: ganze Cent.`)
    .min(0, `${title}: nicht negativ.`)
    .max(100_000_00, `${title}: unplausibel hoch.`)
    .meta({ title, widget: 'money' });

export const bewilligenPayload = z
  .object({
    leistungsBeginn: isoDate({ title: 'Leistungen ab' }),
    einkommenCents: cents('Anrechenbares Einkommen je Monat (§ 7 AsylbLG)').optional(),
    vermerk: text({ title: 'Vermerk' }, { max: 500 }).optional(),
  })
  .strict();

export const aendernPayload = z
  .object({
    abMonat: monat('Änderung ab Monat'),
    wohnsituation: z.array(
      choice(WOHNSITUATIONEN, { title: 'Wohnsituation', options: WOHNSITUATION_LABELS }),
    ),
    einkommenCents: cents('Anrechenbares Einkommen je Monat (§ 7 AsylbLG)'),
    grund: text({ title: 'Grund der Änderung' }, { max: 300 }),
  })
  .strict();

export const unterbringenPayload = z
  .object({
    person: z.number({ error: 'Person: Bitte wählen.' }).int().min(0).meta({ title: 'Person (Nr.)' }),
    unterkunftId: z.string({ error: 'Unterkunft: Bitte wählen.' }).min(1, 'Unterkunft: Bitte wählen.').meta({
      title: 'Unterkunft',
    }),
    einzug: isoDate({ title: 'Einzug am' }),
  })
  .strict();

export const auszugPayload = z
  .object({
    person: z.number({ error: 'Person: Bitte wählen.' }).int().min(0).meta({ title: 'Person (Nr.)' }),
    auszug: isoDate({ title: 'Auszug am' }),
  })
  .strict();

export const einstellenPayload = z
  .object({
    letzterTag: isoDate({ title: 'Letzter Leistungstag' }),
    grund: text({ title: 'Grund' }, { max: 300 }),
  })
  .strict();

function belegungsAktionen(): ActionDefinition<AsylDaten>[] {
  const out: ActionDefinition<AsylDaten>[] = [];
  for (const state of BELEGUNG_STATES) {
    if (state !== 'eingestellt') {
      out.push({
        id: unterbringenId(state),
        label: 'Unterbringen',
        description: 'Einer Person einen freien Platz in einer Unterkunft zuweisen',
        from: [state],
        to: state,
        roles: ['sachbearbeitung'],
        payload: unterbringenPayload,
        apply: (d, p) => ({ ...d, belegungen: [...(d.belegungen ?? []), p as Belegung] }),
      });
    }
    out.push({
      id: auszugId(state),
      label: 'Auszug erfassen',
      description: 'Den Platz einer Person freigeben',
      from: [state],
      to: state,
      roles: ['sachbearbeitung'],
      payload: auszugPayload,
      apply: (d, p) => {
        const x = p as { person: number; auszug: IsoDate };
        return {
          ...d,
          belegungen: (d.belegungen ?? []).map((b) =>
            b.person === x.person && !b.auszug ? { ...b, auszug: x.auszug } : b,
          ),
        };
      },
    });
  }
  return out;
}

export function createAsyl(opts: { today: () => IsoDate }): ProcedureDefinition {
  const schema = asylSchema(opts.today);
  return defineProcedure({
    id: ASYL_ID,
    version: 1,
    office: OFFICE,
    title: 'Leistungen nach dem AsylbLG (Zuweisung)',
    description:
      'Zuweisung durch das Land erfassen, Personen unterbringen, Leistungen nach § 3a AsylbLG bewilligen; nach 36 Monaten Aufenthalt automatisch Leistungen entsprechend SGB XII (§ 2 AsylbLG).',
    aktenzeichenCode: 'AS',
    form: {
      schema,
      sections: [
        { id: 'zuweisung', title: 'Zuweisung durch das Land' },
        { id: 'personen', title: 'Personen' },
        { id: 'zahlung', title: 'Anschrift und Zahlungsweg' },
      ],
    },
    states: {
      zugewiesen: { label: 'Zugewiesen' },
      bewilligt: { label: 'Leistungen bewilligt' },
      eingestellt: { label: 'Leistungen eingestellt', final: true },
    },
    create: {
      id: 'zuweisung_erfassen',
      label: 'Zuweisung erfassen',
      to: 'zugewiesen',
      roles: ['sachbearbeitung'],
    },
    actions: [
      {
        id: 'bewilligen',
        label: 'Leistungen bewilligen',
        description: 'Bescheid nach § 3a AsylbLG (bzw. § 2 nach 36 Monaten) ab einem Tag',
        from: ['zugewiesen'],
        to: 'bewilligt',
        roles: ['sachbearbeitung'],
        payload: bewilligenPayload,
        producesDocument: BESCHEID_DOKUMENT,
        apply: (d, p) => {
          const b = p as Bewilligung;
          return {
            ...d,
            bewilligung: b,
            fassungen: [
              {
                abMonat: b.abMonat,
                wohnsituation: d.personen.map((x) => x.wohnsituation as Wohnsituation),
                einkommenCents: b.einkommenCents,
              },
            ],
          };
        },
      },
      {
        id: 'aendern',
        label: 'Änderung bescheiden',
        description: 'Geänderte Verhältnisse (Wohnsituation, Einkommen) ab einem Monat neu berechnen',
        from: ['bewilligt'],
        to: 'bewilligt',
        roles: ['sachbearbeitung'],
        payload: aendernPayload,
        producesDocument: BESCHEID_DOKUMENT,
        apply: (d0, p) => {
          const d = d0 as AsylDaten;
          const a = p as Fassung & { grund: string; am: IsoDate };
          return {
            ...d,
            fassungen: [
              ...(d.fassungen ?? []).filter((f) => f.abMonat !== a.abMonat),
              { abMonat: a.abMonat, wohnsituation: a.wohnsituation, einkommenCents: a.einkommenCents },
            ].sort((x, y) => x.abMonat.localeCompare(y.abMonat)),
            aenderungen: [...(d.aenderungen ?? []), { abMonat: a.abMonat, grund: a.grund, am: a.am }],
          };
        },
      },
      {
        id: 'einstellen',
        label: 'Leistungen einstellen',
        description: 'z. B. Wegzug, Anerkennung (Wechsel ins SGB II), Ausreise',
        from: ['bewilligt'],
        to: 'eingestellt',
        roles: ['sachbearbeitung'],
        payload: einstellenPayload,
        apply: (d, p) => ({ ...d, einstellung: p as AsylDaten['einstellung'] }),
      },
      ...belegungsAktionen(),
    ],
    documents: [
      {
        id: BESCHEID_DOKUMENT,
        title: 'Bescheid über Leistungen nach dem AsylbLG',
        availableIn: ['bewilligt', 'eingestellt'],
      },
    ],
    handover: [
      {
        id: 'csv',
        title: 'CSV zur Nacherfassung (Zuweisung, Personen, Bescheide, Zahlungsansprüche, Unterbringung)',
        kind: 'csv',
        describe: ASYL_CSV_COLUMNS.join(';'),
      },
    ],
    searchText: (d) => [
      d.zuweisung.bescheidAktenzeichen,
      ...d.personen.flatMap((p) => [p.familienname, p.vornamen, p.bamfAktenzeichen]),
    ],
    summary: (d) => {
      const first = d.personen[0];
      const n = d.personen.length;
      const b = (d as AsylDaten).bewilligung;
      return `${first ? nameOf(first) : '–'}${n > 1 ? ` (+${n - 1})` : ''} – AsylbLG, Zuweisung ab ${formatGermanDate(d.zuweisung.zuweisungsdatum)}${b ? `, bewilligt ab ${monatText(b.abMonat)}` : ''}`;
    },
  }) as unknown as ProcedureDefinition;
}

/** The rule input of a decided case (null before the Bewilligung). */
export function leistungsfallAus(d: AsylDaten): Leistungsfall | null {
  if (!d.bewilligung || !d.fassungen?.length) return null;
  return {
    personen: d.personen,
    leistungsBeginn: d.bewilligung.leistungsBeginn,
    leistungsEnde: d.einstellung?.letzterTag ?? null,
    fassungen: d.fassungen,
  };
}
