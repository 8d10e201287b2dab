import { z } from 'zod';
import type { Berechnung, Haushalt } from '../../core/benefits/hilfe-zum-lebensunterhalt.js';
import { WOHNSITUATION_LABELS, WOHNSITUATIONEN } from '../../core/benefits/regelbedarf.js';
import { anschriftSchema, zahlungIssues, zahlungSchema } from '../../core/benefits/zahlung.js';
import { formatGermanDate, type IsoDate } from '../../core/dates.js';
import { isMonth, monatText } from '../../core/months.js';
import { defineProcedure, type ProcedureDefinition } from '../../core/procedure.js';
import { choice, isoDate, text, yesNo } from '../../core/schema-helpers.js';
import {
  BESCHEID_DOKUMENT,
  LEISTUNGSART_LABELS,
  LEISTUNGSARTEN,
  nameOf,
  OFFICE,
  SOZIALHILFE_ID,
} from './ids.js';
import type { Fassung, Leistungsdaten, Vorschuss } from './leistung.js';

export { BESCHEID_DOKUMENT, nameOf, OFFICE, SOZIALHILFE_ID };

/**
 * Sozialhilfe (issue 13, item 1): Hilfe zum Lebensunterhalt (3. Kapitel SGB XII) and Grundsicherung
 * im Alter und bei Erwerbsminderung (4. Kapitel SGB XII). One case per Bedarfsgemeinschaft: the
 * application with its members (Regelbedarfsstufe from age and living situation,
 * core/benefits/regelbedarf.ts), Kosten der Unterkunft und Heizung at the actual amounts,
 * Mehrbedarfe of § 30 and countable income; the calculation is the shared one
 * (core/benefits/hilfe-zum-lebensunterhalt.ts), the decisions and advances are in leistung.ts.
 */

const cents = (title: string, section?: string) =>
  z
    .number({ error: `${title}: Bitte einen Betrag angeben.` })
    .int(`${title}: ganze Cent.`)
    .min(0, `${title}: nicht negativ.`)
    .max(100_000_00, `${title}: unplausibel hoch.`)
    .meta({ title, widget: 'money', ...(section ? { section } : {}) });

const monat = (title: string) =>
  z
    .string({ error: `${title}: Bitte einen Monat angeben.` })
    .refine(isMonth, `${title}: Bitte einen Monat im Format JJJJ-MM angeben.`)
    .meta({ title, widget: 'text' });

const ja = (title: string, description: string) =>
  yesNo({ title, description, section: 'personen' }).optional();

export const personSchema = z
  .object({
    familienname: text({ title: 'Familienname', section: 'personen' }, { max: 120 }),
    vornamen: text({ title: 'Vornamen', section: 'personen' }, { max: 120 }),
    geburtsdatum: isoDate({ title: 'Geburtsdatum', section: 'personen' }),
    wohnsituation: choice(WOHNSITUATIONEN, {
      title: 'Wohnsituation',
      description: 'Für die Regelbedarfsstufe (Anlage zu § 28 SGB XII)',
      section: 'personen',
      options: WOHNSITUATION_LABELS,
    }),
    merkzeichenG: ja(
      'Merkzeichen G',
      'Schwerbehindertenausweis mit Merkzeichen G und Altersgrenze erreicht oder voll erwerbsgemindert (§ 30 Abs. 1 SGB XII)',
    ),
    schwanger: ja('Schwanger nach der 12. Woche', '§ 30 Abs. 2 SGB XII'),
    alleinerziehend: ja(
      'Alleinerziehend',
      'Allein für minderjährige Kinder im Haushalt sorgend (§ 30 Abs. 3 SGB XII)',
    ),
    eingliederungshilfe: ja(
      'Eingliederungshilfe',
      'Leistungen nach § 112 SGB IX, ab 15 Jahren (§ 30 Abs. 4 SGB XII)',
    ),
    ernaehrungCents: cents(
      'Kostenaufwändige Ernährung je Monat (§ 30 Abs. 5 SGB XII)',
      'personen',
    ).optional(),
    einkommenCents: cents('Anrechenbares Einkommen je Monat (§§ 82–84 SGB XII)', 'personen').optional(),
    einkommensart: text({ title: 'Art des Einkommens', section: 'personen' }, { max: 80 }).optional(),
  })
  .strict()
  .meta({ title: 'Mitglied', section: 'personen' });

export const personenSchema = z
  .array(personSchema, { error: 'Mitglieder: Bitte angeben.' })
  .min(1, 'Mitglieder: Mindestens eine Person angeben.')
  .max(15, 'Mitglieder: höchstens 15 je Bedarfsgemeinschaft.')
  .meta({
    title: 'Mitglieder der Bedarfsgemeinschaft',
    description: 'Alle Personen, die zusammen leben und gemeinsam wirtschaften',
    section: 'personen',
  });

export const unterkunftSchema = z
  .object({
    grundmieteCents: cents('Grundmiete (Kaltmiete) je Monat', 'unterkunft'),
    nebenkostenCents: cents('Kalte Nebenkosten je Monat', 'unterkunft'),
    heizkostenCents: cents('Heizkosten je Monat', 'unterkunft'),
    warmwasserDezentral: yesNo({
      title: 'Warmwasser in der Wohnung erzeugt',
      description: 'Boiler oder Durchlauferhitzer: Mehrbedarf nach § 30 Abs. 7 SGB XII',
      section: 'unterkunft',
    }),
  })
  .strict()
  .meta({
    title: 'Kosten der Unterkunft und Heizung (tatsächliche Aufwendungen, § 35 SGB XII)',
    section: 'unterkunft',
  });

export function sozialhilfeSchema(today: () => IsoDate) {
  return z
    .object({
      antrag: z
        .object({
          leistungsart: choice(LEISTUNGSARTEN, {
            title: 'Leistungsart',
            section: 'antrag',
            options: LEISTUNGSART_LABELS,
          }),
          antragsdatum: isoDate({
            title: 'Antrag gestellt am',
            description: 'bzw. Tag, an dem das Sozialamt vom Bedarf erfahren hat (§ 18 SGB XII)',
            section: 'antrag',
          }),
        })
        .strict(),
      personen: personenSchema,
      unterkunft: unterkunftSchema,
      anschrift: anschriftSchema,
      zahlung: zahlungSchema,
    })
    .strict()
    .superRefine((d, ctx) => {
      const t = today();
      const issue = (path: Array<string | number>, message: string) =>
        ctx.addIssue({ code: 'custom', path, message });
      if (d.antrag.antragsdatum > t)
        issue(['antrag', 'antragsdatum'], 'Antrag gestellt am: liegt in der Zukunft.');
      d.personen.forEach((p, i) => {
        if (p.geburtsdatum > t) issue(['personen', i, 'geburtsdatum'], 'Geburtsdatum: liegt in der Zukunft.');
      });
      zahlungIssues(d.zahlung, issue);
    });
}

export type SozialhilfeForm = z.output<ReturnType<typeof sozialhilfeSchema>>;
export type SozialhilfeDaten = SozialhilfeForm & Leistungsdaten;

export const SOZIALHILFE_CSV_COLUMNS = [
  'satzart',
  'aktenzeichen',
  'status',
  'leistungsart',
  'person_nr',
  'familienname',
  'vornamen',
  'geburtsdatum',
  'wohnsituation',
  'gueltig_ab',
  'gueltig_bis',
  'art',
  'betrag_cent',
  'anrechnung_cent',
  'zahlbetrag_cent',
  'zahlungsschluessel',
  'details',
  'vorgangs_id',
] as const;

export const bewilligenPayload = z
  .object({
    abMonat: monat('Bewilligung ab Monat'),
    vermerk: text({ title: 'Vermerk' }, { max: 500 }).optional(),
  })
  .strict();

export const ablehnenPayload = z
  .object({ grund: text({ title: 'Grund der Ablehnung' }, { max: 1000 }) })
  .strict();

export const vorschussPayload = z
  .object({
    betragCents: cents('Vorschuss (§ 42 SGB I)').min(1, 'Vorschuss (§ 42 SGB I): mindestens 0,01 €.'),
    grund: text({ title: 'Begründung' }, { max: 300 }),
  })
  .strict();

export const aendernPayload = z
  .object({
    abMonat: monat('Änderung ab Monat'),
    grund: text({ title: 'Grund der Änderung' }, { max: 300 }),
    personen: personenSchema,
    unterkunft: unterkunftSchema,
  })
  .strict();

export const einstellenPayload = z
  .object({
    letzterMonat: monat('Letzter Leistungsmonat'),
    grund: text({ title: 'Grund' }, { max: 300 }),
  })
  .strict();

/** What the Bewilligung hook stores (and `apply` reads). */
export interface BewilligungPayload {
  abMonat: string;
  vermerk?: string;
  bescheidAm: IsoDate;
  haushalt: Haushalt;
  berechnung: Berechnung;
}

export type AenderungPayload = Fassung & { grund: string };

export function createSozialhilfe(opts: { today: () => IsoDate }): ProcedureDefinition {
  const schema = sozialhilfeSchema(opts.today);
  return defineProcedure({
    id: SOZIALHILFE_ID,
    version: 1,
    office: OFFICE,
    title: 'Hilfe zum Lebensunterhalt / Grundsicherung (SGB XII)',
    description:
      'Antrag der Bedarfsgemeinschaft erfassen, Bedarf Zeile für Zeile berechnen (Regelbedarf, Mehrbedarfe, Unterkunft und Heizung, Einkommen), Vorschuss zahlen, bewilligen oder ablehnen, Änderungen ab einem Monat.',
    aktenzeichenCode: 'SH',
    form: {
      schema,
      sections: [
        { id: 'antrag', title: 'Antrag' },
        { id: 'personen', title: 'Bedarfsgemeinschaft' },
        { id: 'unterkunft', title: 'Unterkunft und Heizung' },
        { id: 'zahlung', title: 'Anschrift und Zahlungsweg' },
      ],
    },
    states: {
      beantragt: { label: 'Beantragt' },
      bewilligt: { label: 'Bewilligt' },
      abgelehnt: { label: 'Abgelehnt', final: true },
      eingestellt: { label: 'Eingestellt', final: true },
    },
    create: { id: 'antrag_erfassen', label: 'Antrag erfassen', to: 'beantragt', roles: ['sachbearbeitung'] },
    actions: [
      {
        id: 'bewilligen',
        label: 'Bewilligen',
        description: 'Leistungen ab einem Monat bewilligen; die Berechnung wird mit dem Bescheid gespeichert',
        from: ['beantragt'],
        to: 'bewilligt',
        roles: ['sachbearbeitung'],
        payload: bewilligenPayload,
        producesDocument: BESCHEID_DOKUMENT,
        apply: (d0, p) => {
          const d = d0 as SozialhilfeDaten;
          const b = p as BewilligungPayload;
          return {
            ...d,
            bewilligung: {
              abMonat: b.abMonat,
              bescheidAm: b.bescheidAm,
              ...(b.vermerk ? { vermerk: b.vermerk } : {}),
            },
            fassungen: [
              { abMonat: b.abMonat, haushalt: b.haushalt, berechnung: b.berechnung, am: b.bescheidAm },
            ],
          };
        },
      },
      {
        id: 'ablehnen',
        label: 'Ablehnen',
        description: 'Den Antrag mit Begründung ablehnen',
        from: ['beantragt'],
        to: 'abgelehnt',
        roles: ['sachbearbeitung'],
        payload: ablehnenPayload,
        producesDocument: BESCHEID_DOKUMENT,
        apply: (d, p) => ({ ...d, ablehnung: p as SozialhilfeDaten['ablehnung'] }),
      },
      {
        id: 'vorschuss',
        label: 'Vorschuss zahlen',
        description:
          'Vorschuss nach § 42 SGB I, solange die Höhe noch nicht feststeht; wird auf die bewilligten Leistungen angerechnet',
        from: ['beantragt'],
        to: 'beantragt',
        roles: ['sachbearbeitung'],
        payload: vorschussPayload,
        apply: (d0, p) => {
          const d = d0 as SozialhilfeDaten;
          return { ...d, vorschuesse: [...(d.vorschuesse ?? []), p as Vorschuss] };
        },
      },
      {
        id: 'aendern',
        label: 'Änderung der Verhältnisse',
        description:
          'Geänderte Verhältnisse ab einem Monat neu berechnen; frühere Monate bleiben unverändert',
        from: ['bewilligt'],
        to: 'bewilligt',
        roles: ['sachbearbeitung'],
        payload: aendernPayload,
        producesDocument: BESCHEID_DOKUMENT,
        apply: (d0, p) => {
          const d = d0 as SozialhilfeDaten;
          const a = p as AenderungPayload;
          const neu: Fassung = {
            abMonat: a.abMonat,
            haushalt: a.haushalt,
            berechnung: a.berechnung,
            am: a.am,
            grund: a.grund,
          };
          return {
            ...d,
            fassungen: [...(d.fassungen ?? []).filter((f) => f.abMonat !== a.abMonat), neu].sort((x, y) =>
              x.abMonat.localeCompare(y.abMonat),
            ),
          };
        },
      },
      {
        id: 'einstellen',
        label: 'Leistungen einstellen',
        description:
          'z. B. Umzug, Einkommen deckt den Bedarf, Tod; Leistungen bis einschließlich eines Monats',
        from: ['bewilligt'],
        to: 'eingestellt',
        roles: ['sachbearbeitung'],
        payload: einstellenPayload,
        producesDocument: BESCHEID_DOKUMENT,
        apply: (d, p) => ({ ...d, einstellung: p as SozialhilfeDaten['einstellung'] }),
      },
    ],
    documents: [
      {
        id: BESCHEID_DOKUMENT,
        title: 'Bescheid über Leistungen nach dem SGB XII',
        availableIn: ['bewilligt', 'abgelehnt', 'eingestellt'],
      },
    ],
    handover: [
      {
        id: 'csv',
        title: 'CSV zur Nacherfassung (Bedarfsgemeinschaft, Bescheide, Vorschüsse, Monatsansprüche)',
        kind: 'csv',
        describe: SOZIALHILFE_CSV_COLUMNS.join(';'),
      },
    ],
    searchText: (d) => d.personen.flatMap((p) => [p.familienname, p.vornamen]),
    summary: (d0) => {
      const d = d0 as SozialhilfeDaten;
      const first = d.personen[0];
      const n = d.personen.length;
      const art = d.antrag.leistungsart === 'grundsicherung' ? 'Grundsicherung' : 'Hilfe zum Lebensunterhalt';
      return `${first ? nameOf(first) : '–'}${n > 1 ? ` (+${n - 1})` : ''} – ${art}, Antrag vom ${formatGermanDate(d.antrag.antragsdatum)}${d.bewilligung ? `, bewilligt ab ${monatText(d.bewilligung.abMonat)}` : ''}`;
    },
  }) as unknown as ProcedureDefinition;
}
