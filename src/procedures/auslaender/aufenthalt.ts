import { z } from 'zod';
import { formatGermanDate, type IsoDate } from '../../core/dates.js';
import { defineProcedure, type ProcedureDefinition } from '../../core/procedure.js';
import { choice, isoDate, text, yesNo } from '../../core/schema-helpers.js';
import {
  type Bescheinigung,
  BISHERIGER_STATUS,
  BISHERIGER_STATUS_LABELS,
  type BisherigerStatus,
  type FiktionsFakten,
  type Wirkung,
} from './fiktion.js';
import { AUFENTHALT_ID, FIKTION_DOKUMENT, nameOf, OFFICE } from './ids.js';
import { anschriftSchema, passSchema, personSchema } from './schema.js';
import { TITEL_OPTIONEN } from './titel.js';

/**
 * Antrag auf Erteilung oder Verlängerung eines Aufenthaltstitels (issue 14, items 1 and 2): the
 * person, nationality, passport, the current title or visa with its validity, address and
 * employer; the Fiktionsbescheinigung with the § 81 AufenthG effect derived from these facts
 * (fiktion.ts), numbered renewals, and the decision entered by hand once it is taken. One case per
 * application. Titles are chosen from the configured catalogue (titel.ts; the server checks it).
 */

export const ANTRAGSARTEN = ['erteilung', 'verlaengerung'] as const;
export const ANTRAGSART_LABELS = {
  erteilung: 'Erteilung eines (anderen) Aufenthaltstitels',
  verlaengerung: 'Verlängerung des Aufenthaltstitels',
} as const;

const MIT_ENDE: readonly BisherigerStatus[] = [
  'aufenthaltstitel',
  'nationales_visum',
  'schengen_visum',
  'visumfrei',
];

const titelId = (title: string, section: string) =>
  z
    .string({ error: `${title}: Bitte wählen.` })
    .min(1, `${title}: Bitte wählen.`)
    .max(32)
    .meta({ title, section, widget: 'select', options: TITEL_OPTIONEN });

export function aufenthaltSchema(today: () => IsoDate) {
  return z
    .object({
      person: personSchema,
      pass: passSchema,
      bisher: z
        .object({
          status: choice(BISHERIGER_STATUS, {
            title: 'Bisheriger Aufenthaltsstatus',
            section: 'bisher',
            options: BISHERIGER_STATUS_LABELS,
          }),
          titel: titelId('Bisheriger Aufenthaltstitel', 'bisher').optional(),
          nummer: text({ title: 'Nummer des Titels / Visums', section: 'bisher' }, { max: 30 }).optional(),
          gueltigBis: isoDate({
            title: 'Gültig bis',
            description: 'Letzter Tag des Titels, Visums oder des visumfreien Aufenthalts',
            section: 'bisher',
          }).optional(),
        })
        .strict(),
      antrag: z
        .object({
          art: choice(ANTRAGSARTEN, { title: 'Antrag auf', section: 'antrag', options: ANTRAGSART_LABELS }),
          titel: titelId('Beantragter Aufenthaltstitel', 'antrag'),
          antragsdatum: isoDate({ title: 'Antrag gestellt am', section: 'antrag' }),
        })
        .strict(),
      anschrift: anschriftSchema,
      arbeitgeber: z
        .object({
          name: text({ title: 'Arbeitgeber', section: 'anschrift' }, { max: 120 }).optional(),
          ort: text({ title: 'Arbeitsort', section: 'anschrift' }, { max: 80 }).optional(),
        })
        .strict(),
    })
    .strict()
    .superRefine((d, ctx) => {
      const t = today();
      const issue = (path: (string | number)[], message: string) =>
        ctx.addIssue({ code: 'custom', path, message });
      if (d.antrag.antragsdatum > t)
        issue(['antrag', 'antragsdatum'], 'Antrag gestellt am: liegt in der Zukunft.');
      if (d.person.geburtsdatum > t) issue(['person', 'geburtsdatum'], 'Geburtsdatum: liegt in der Zukunft.');
      if (d.bisher.status === 'aufenthaltstitel' && !d.bisher.titel) {
        issue(['bisher', 'titel'], 'Bisheriger Aufenthaltstitel: Bitte wählen.');
      } else if (d.bisher.status !== 'aufenthaltstitel' && d.bisher.titel) {
        issue(
          ['bisher', 'titel'],
          'Bisheriger Aufenthaltstitel: nur beim Status „Aufenthaltstitel“ angeben.',
        );
      }
      if (MIT_ENDE.includes(d.bisher.status) && !d.bisher.gueltigBis) {
        issue(['bisher', 'gueltigBis'], 'Gültig bis: Für diesen Aufenthaltsstatus bitte angeben.');
      }
      if (d.antrag.art === 'verlaengerung' && d.bisher.status !== 'aufenthaltstitel') {
        issue(['antrag', 'art'], 'Antrag auf: Verlängern lässt sich nur ein Aufenthaltstitel.');
      }
    });
}

export type AufenthaltForm = z.output<ReturnType<typeof aufenthaltSchema>>;

/** The § 81 effect of the case (stored with the first Fiktionsbescheinigung). */
export interface Fiktion {
  wirkung: Exclude<Wirkung, 'keine'>;
  norm: string;
  begruendung: string;
  beschaeftigung: string;
  haerteAnordnung?: boolean;
}

export interface Erteilung {
  titel: string;
  titelText: string;
  nummer?: string;
  gueltigAb: IsoDate;
  gueltigBis: IsoDate;
  am: IsoDate;
}

export interface AufenthaltDaten extends AufenthaltForm {
  fiktion?: Fiktion;
  bescheinigungen?: Bescheinigung[];
  erteilung?: Erteilung;
  ablehnung?: { grund: string; am: IsoDate };
}

export function fiktionsFakten(d: AufenthaltForm, haerteAnordnung?: boolean): FiktionsFakten {
  return {
    status: d.bisher.status,
    ...(d.bisher.gueltigBis ? { gueltigBis: d.bisher.gueltigBis } : {}),
    antragsdatum: d.antrag.antragsdatum,
    ...(haerteAnordnung ? { haerteAnordnung } : {}),
  };
}

const monate = choice(['3', '6'], {
  title: 'Gültigkeit',
  description: 'Üblich: 3 oder 6 Monate, verlängerbar',
  options: { '3': '3 Monate', '6': '6 Monate' },
});
const vordruckNr = text(
  { title: 'Vordrucknummer', description: 'Nummer des Vordrucks, falls ein Blankovordruck verwendet wird' },
  { max: 30 },
).optional();

export const fiktionPayload = z
  .object({
    monate,
    haerteAnordnung: yesNo({
      title: 'Fortgeltung zur Vermeidung einer unbilligen Härte angeordnet (§ 81 Abs. 4 Satz 3 AufenthG)',
    }).optional(),
    vordruckNr,
  })
  .strict();

export const verlaengernPayload = z.object({ monate, vordruckNr }).strict();

export const erteilenPayload = z
  .object({
    titel: titelId('Erteilter Aufenthaltstitel', 'antrag'),
    nummer: text({ title: 'Nummer des Titels (eAT / Klebeetikett)' }, { max: 30 }).optional(),
    gueltigAb: isoDate({ title: 'Gültig ab' }),
    gueltigBis: isoDate({ title: 'Gültig bis' }),
  })
  .strict();

export const ablehnenPayload = z.object({ grund: text({ title: 'Grund' }, { max: 500 }) }).strict();

/** The certificate in force (the latest one). */
export const aktuelleBescheinigung = (d: AufenthaltDaten): Bescheinigung | undefined =>
  d.bescheinigungen?.[d.bescheinigungen.length - 1];

export const AUFENTHALT_CSV_COLUMNS = [
  'aktenzeichen',
  'status',
  'familienname',
  'vornamen',
  'geburtsdatum',
  'geburtsort',
  'geschlecht',
  'staatsangehoerigkeit',
  'azr_nummer',
  'pass_nummer',
  'pass_staat',
  'pass_gueltig_bis',
  'bisheriger_status',
  'bisheriger_titel',
  'bisheriger_titel_nummer',
  'bisher_gueltig_bis',
  'antragsart',
  'beantragter_titel',
  'antragsdatum',
  'fiktion_norm',
  'fiktion_gueltig_bis',
  'anzahl_bescheinigungen',
  'erteilter_titel',
  'titel_nummer',
  'titel_gueltig_ab',
  'titel_gueltig_bis',
  'ablehnung',
  'strasse',
  'hausnummer',
  'plz',
  'ort',
  'arbeitgeber',
  'vorgangs_id',
] as const;

/** The re-keying list: one line per paper certificate issued (first issue and every renewal). */
export const NACHERFASSUNG_CSV_COLUMNS = [
  'aktenzeichen',
  'bescheinigungs_nr',
  'art',
  'verlaengerung_nr',
  'ausgestellt_am',
  'gueltig_ab',
  'gueltig_bis',
  'norm',
  'familienname',
  'vornamen',
  'geburtsdatum',
  'staatsangehoerigkeit',
  'pass_nummer',
  'vorgangs_id',
] as const;

export function createAufenthalt(opts: { today: () => IsoDate }): ProcedureDefinition {
  const schema = aufenthaltSchema(opts.today);
  return defineProcedure({
    id: AUFENTHALT_ID,
    version: 1,
    office: OFFICE,
    title: 'Aufenthaltstitel: Antrag auf Erteilung oder Verlängerung',
    description:
      'Antrag erfassen, die Wirkung nach § 81 AufenthG feststellen und die Fiktionsbescheinigung (Anlage D3 AufenthV) ausstellen und verlängern; die Entscheidung nach Wiederanlauf eintragen.',
    aktenzeichenCode: 'AT',
    form: {
      schema,
      sections: [
        { id: 'person', title: 'Person und Pass' },
        { id: 'bisher', title: 'Bisheriger Aufenthaltsstatus' },
        { id: 'antrag', title: 'Antrag' },
        { id: 'anschrift', title: 'Anschrift und Arbeitgeber' },
      ],
    },
    states: {
      beantragt: { label: 'Beantragt' },
      fiktion: { label: 'Fiktionsbescheinigung ausgestellt' },
      erteilt: { label: 'Aufenthaltstitel erteilt', final: true },
      abgelehnt: { label: 'Abgelehnt', final: true },
    },
    create: { id: 'antrag_erfassen', label: 'Antrag erfassen', to: 'beantragt', roles: ['sachbearbeitung'] },
    actions: [
      {
        id: 'fiktion_ausstellen',
        label: 'Fiktionsbescheinigung ausstellen',
        description:
          'Wirkung nach § 81 AufenthG aus den Angaben feststellen und die Bescheinigung ausstellen',
        from: ['beantragt'],
        to: 'fiktion',
        roles: ['sachbearbeitung'],
        payload: fiktionPayload,
        producesDocument: FIKTION_DOKUMENT,
        apply: (d, p) => {
          const x = p as { fiktion: Fiktion; bescheinigung: Bescheinigung };
          return { ...d, fiktion: x.fiktion, bescheinigungen: [x.bescheinigung] };
        },
      },
      {
        id: 'fiktion_verlaengern',
        label: 'Fiktionsbescheinigung verlängern',
        description: 'Weitere 3 oder 6 Monate; die Verlängerungen werden nummeriert',
        from: ['fiktion'],
        to: 'fiktion',
        roles: ['sachbearbeitung'],
        payload: verlaengernPayload,
        producesDocument: FIKTION_DOKUMENT,
        apply: (d0, p) => {
          const d = d0 as AufenthaltDaten;
          return { ...d, bescheinigungen: [...(d.bescheinigungen ?? []), p as Bescheinigung] };
        },
      },
      {
        id: 'titel_erteilen',
        label: 'Erteilung eintragen',
        description: 'Den erteilten Aufenthaltstitel mit Gültigkeit eintragen',
        from: ['beantragt', 'fiktion'],
        to: 'erteilt',
        roles: ['sachbearbeitung'],
        payload: erteilenPayload,
        apply: (d, p) => ({ ...d, erteilung: p as Erteilung }),
      },
      {
        id: 'ablehnen',
        label: 'Ablehnung eintragen',
        from: ['beantragt', 'fiktion'],
        to: 'abgelehnt',
        roles: ['sachbearbeitung'],
        payload: ablehnenPayload,
        apply: (d, p) => ({ ...d, ablehnung: p as AufenthaltDaten['ablehnung'] }),
      },
    ],
    deadline: {
      label: 'Ablauf (Titel bzw. Fiktionsbescheinigung)',
      openIn: ['beantragt', 'fiktion'],
      compute: (d) => aktuelleBescheinigung(d as AufenthaltDaten)?.gueltigBis ?? d.bisher.gueltigBis ?? null,
    },
    documents: [
      {
        id: FIKTION_DOKUMENT,
        title: 'Fiktionsbescheinigung (§ 81 Abs. 5 AufenthG)',
        availableIn: ['fiktion'],
      },
    ],
    handover: [
      {
        id: 'xauslaender',
        title: 'XAusländer: Folgemeldung an das AZR (Aufenthaltsstatus) je Vorgang',
        kind: 'xoev',
        describe: 'AnAZR.AZRFolgemeldung.090010',
      },
      {
        id: 'csv',
        title: 'CSV zur Nacherfassung (Anträge)',
        kind: 'csv',
        describe: AUFENTHALT_CSV_COLUMNS.join(';'),
      },
      {
        id: 'nacherfassungsliste',
        title: 'Nacherfassungsliste aller ausgestellten Papierbescheinigungen',
        kind: 'csv',
        describe: NACHERFASSUNG_CSV_COLUMNS.join(';'),
      },
    ],
    searchText: (d) => [
      d.person.familienname,
      d.person.vornamen,
      d.person.azrNummer,
      d.pass.nummer,
      ...((d as AufenthaltDaten).bescheinigungen ?? []).map((b) => b.bescheinigungsNr),
    ],
    summary: (d0) => {
      const d = d0 as AufenthaltDaten;
      const b = aktuelleBescheinigung(d);
      return `${nameOf(d.person)} – ${ANTRAGSART_LABELS[d.antrag.art]}${b ? `, Fiktionsbescheinigung bis ${formatGermanDate(b.gueltigBis)}` : ''}`;
    },
  }) as unknown as ProcedureDefinition;
}
