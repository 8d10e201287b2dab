import { z } from 'zod';
import { formatGermanDate, type IsoDate } from '../../core/dates.js';
import { defineProcedure, type ProcedureDefinition } from '../../core/procedure.js';
import { choice, isoDate, text, yesNo } from '../../core/schema-helpers.js';
import {
  type BeschaeftigungsFakten,
  type BeschaeftigungsPruefung,
  PERSONENSTATUS,
  PERSONENSTATUS_LABELS,
} from './beschaeftigung.js';
import { BESCHAEFTIGUNG_DOKUMENT, BESCHAEFTIGUNG_ID, nameOf, OFFICE } from './ids.js';
import { anschriftSchema, passSchema, personSchema } from './schema.js';

/**
 * Beschäftigungserlaubnis for asylum seekers and persons with a Duldung (issue 14, item 3; § 61
 * AsylG, § 4a Abs. 4 AufenthG): the facts (months since the application, obligation to live in a
 * reception centre, safe country of origin), the consent of the Bundesagentur für Arbeit as a
 * workflow step entered by hand (requested / granted / refused), the decision and its printed
 * Bescheid. The rule is beschaeftigung.ts; the server hooks apply it on the day of each step.
 */

export function beschaeftigungSchema(today: () => IsoDate) {
  return z
    .object({
      person: personSchema,
      pass: passSchema.partial().strict(),
      status: z
        .object({
          art: choice(PERSONENSTATUS, {
            title: 'Aufenthaltsstatus',
            section: 'status',
            options: PERSONENSTATUS_LABELS,
          }),
          seit: isoDate({
            title: 'Asylantrag gestellt am / geduldet seit',
            description: 'Beginn der Wartezeit (§ 61 AsylG)',
            section: 'status',
          }),
          dokumentNr: text(
            { title: 'Nummer der Bescheinigung (Gestattung / Duldung)', section: 'status' },
            { max: 30 },
          ).optional(),
          gueltigBis: isoDate({ title: 'Gestattung / Duldung gültig bis', section: 'status' }),
          wohnpflichtAufnahmeeinrichtung: yesNo({
            title: 'Verpflichtet, in einer Aufnahmeeinrichtung zu wohnen',
            section: 'status',
          }),
          sichererHerkunftsstaat: yesNo({
            title: 'Staatsangehörigkeit eines sicheren Herkunftsstaates (§ 29a AsylG)',
            section: 'status',
          }),
        })
        .strict(),
      beschaeftigung: z
        .object({
          arbeitgeber: text({ title: 'Arbeitgeber', section: 'beschaeftigung' }, { max: 120 }),
          arbeitsort: text({ title: 'Arbeitsort', section: 'beschaeftigung' }, { max: 80 }),
          taetigkeit: text({ title: 'Tätigkeit', section: 'beschaeftigung' }, { max: 120 }),
          wochenstunden: z
            .number({ error: 'Wochenstunden: Bitte eine Zahl angeben.' })
            .int('Wochenstunden: ganze Stunden.')
            .min(1, 'Wochenstunden: mindestens 1.')
            .max(60, 'Wochenstunden: höchstens 60.')
            .meta({ title: 'Wochenstunden', section: 'beschaeftigung', widget: 'number' })
            .optional(),
          antragsdatum: isoDate({ title: 'Antrag gestellt am', section: 'beschaeftigung' }),
        })
        .strict(),
      anschrift: anschriftSchema,
    })
    .strict()
    .superRefine((d, ctx) => {
      const t = today();
      if (d.beschaeftigung.antragsdatum > t) {
        ctx.addIssue({
          code: 'custom',
          path: ['beschaeftigung', 'antragsdatum'],
          message: 'Antrag gestellt am: liegt in der Zukunft.',
        });
      }
      if (d.status.seit > t) {
        ctx.addIssue({
          code: 'custom',
          path: ['status', 'seit'],
          message: 'Asylantrag gestellt am / geduldet seit: liegt in der Zukunft.',
        });
      }
      if (d.status.gueltigBis < d.status.seit) {
        ctx.addIssue({
          code: 'custom',
          path: ['status', 'gueltigBis'],
          message: 'Gestattung / Duldung gültig bis: liegt vor dem Beginn.',
        });
      }
    });
}

export type BeschaeftigungForm = z.output<ReturnType<typeof beschaeftigungSchema>>;

export interface BaSchritt {
  angefragtAm?: IsoDate;
  entscheidung?: 'zugestimmt' | 'versagt';
  entschiedenAm?: IsoDate;
  zeichen?: string;
  grund?: string;
}

export interface BeschaeftigungDaten extends BeschaeftigungForm {
  pruefung?: BeschaeftigungsPruefung & { am: IsoDate };
  ba?: BaSchritt;
  erlaubnis?: { gueltigAb: IsoDate; gueltigBis: IsoDate; nebenbestimmung?: string; am: IsoDate };
  ablehnung?: { grund: string; am: IsoDate };
}

export const baAnfragenPayload = z
  .object({ angefragtAm: isoDate({ title: 'Zustimmung angefragt am' }) })
  .strict();
export const baZustimmungPayload = z
  .object({
    datum: isoDate({ title: 'Zustimmung der BA vom' }),
    zeichen: text({ title: 'Geschäftszeichen der BA' }, { max: 60 }).optional(),
  })
  .strict();
export const baVersagungPayload = z
  .object({
    datum: isoDate({ title: 'Versagung der BA vom' }),
    grund: text({ title: 'Grund der Versagung' }, { max: 500 }),
  })
  .strict();
export const erlaubnisPayload = z
  .object({
    gueltigBis: isoDate({ title: 'Erlaubnis gültig bis' }),
    nebenbestimmung: text(
      {
        title: 'Nebenbestimmung',
        description: 'z. B. „Beschäftigung nur als Lagerhelfer bei Firma X gestattet.“',
      },
      { max: 300 },
    ).optional(),
  })
  .strict();
export const beAblehnenPayload = z
  .object({ grund: text({ title: 'Grund' }, { max: 500 }).optional() })
  .strict();

export const BESCHAEFTIGUNG_CSV_COLUMNS = [
  'aktenzeichen',
  'status',
  'familienname',
  'vornamen',
  'geburtsdatum',
  'staatsangehoerigkeit',
  'aufenthaltsstatus',
  'seit',
  'dokument_nr',
  'status_gueltig_bis',
  'wohnpflicht_aufnahmeeinrichtung',
  'sicherer_herkunftsstaat',
  'arbeitgeber',
  'arbeitsort',
  'taetigkeit',
  'antragsdatum',
  'pruefung',
  'ba_angefragt_am',
  'ba_entscheidung',
  'ba_entschieden_am',
  'ba_zeichen',
  'erlaubnis_gueltig_ab',
  'erlaubnis_gueltig_bis',
  'nebenbestimmung',
  'ablehnung',
  'vorgangs_id',
] as const;

/** The BA's answer, entered by hand: the date (and the reference or the reason) joins the BA step. */
function baEntscheidung(entscheidung: 'zugestimmt' | 'versagt') {
  return (d0: BeschaeftigungForm, p: unknown): BeschaeftigungForm => {
    const d = d0 as BeschaeftigungDaten;
    const { datum, ...rest } = p as { datum: IsoDate; zeichen?: string; grund?: string };
    return { ...d, ba: { ...d.ba, entscheidung, entschiedenAm: datum, ...rest } } as BeschaeftigungDaten;
  };
}

/** The facts the rule of beschaeftigung.ts needs. */
export function beschaeftigungsFakten(d: BeschaeftigungForm): BeschaeftigungsFakten {
  return {
    status: d.status.art,
    seit: d.status.seit,
    wohnpflichtAufnahmeeinrichtung: d.status.wohnpflichtAufnahmeeinrichtung,
    sichererHerkunftsstaat: d.status.sichererHerkunftsstaat,
  };
}

export function createBeschaeftigung(opts: { today: () => IsoDate }): ProcedureDefinition {
  const schema = beschaeftigungSchema(opts.today);
  return defineProcedure({
    id: BESCHAEFTIGUNG_ID,
    version: 1,
    office: OFFICE,
    title: 'Beschäftigungserlaubnis (Gestattung / Duldung)',
    description:
      'Beschäftigungserlaubnis nach § 61 AsylG bzw. § 4a Abs. 4 AufenthG: Wartezeit und Ausschlüsse prüfen, die Zustimmung der Bundesagentur für Arbeit anfragen und eintragen, entscheiden und drucken.',
    aktenzeichenCode: 'BE',
    form: {
      schema,
      sections: [
        { id: 'person', title: 'Person' },
        { id: 'status', title: 'Aufenthaltsstatus' },
        { id: 'beschaeftigung', title: 'Beabsichtigte Beschäftigung' },
        { id: 'anschrift', title: 'Anschrift' },
      ],
    },
    states: {
      beantragt: { label: 'Beantragt' },
      ba_angefragt: { label: 'Zustimmung der BA angefragt' },
      ba_zugestimmt: { label: 'BA hat zugestimmt' },
      ba_versagt: { label: 'BA hat die Zustimmung versagt' },
      erteilt: { label: 'Erlaubnis erteilt', final: true },
      abgelehnt: { label: 'Abgelehnt', final: true },
    },
    create: { id: 'antrag_erfassen', label: 'Antrag erfassen', to: 'beantragt', roles: ['sachbearbeitung'] },
    actions: [
      {
        id: 'ba_anfragen',
        label: 'Zustimmung der BA anfragen',
        description: 'Die Anfrage an die Bundesagentur für Arbeit (außerhalb des Systems) vermerken',
        from: ['beantragt'],
        to: 'ba_angefragt',
        roles: ['sachbearbeitung'],
        payload: baAnfragenPayload,
        apply: (d0, p) => {
          const x = p as { angefragtAm: IsoDate; pruefung: BeschaeftigungDaten['pruefung'] };
          return { ...d0, pruefung: x.pruefung, ba: { angefragtAm: x.angefragtAm } };
        },
      },
      {
        id: 'ba_zustimmung_eintragen',
        label: 'Zustimmung der BA eintragen',
        from: ['ba_angefragt'],
        to: 'ba_zugestimmt',
        roles: ['sachbearbeitung'],
        payload: baZustimmungPayload,
        apply: baEntscheidung('zugestimmt'),
      },
      {
        id: 'ba_versagung_eintragen',
        label: 'Versagung der BA eintragen',
        from: ['ba_angefragt'],
        to: 'ba_versagt',
        roles: ['sachbearbeitung'],
        payload: baVersagungPayload,
        apply: baEntscheidung('versagt'),
      },
      {
        id: 'erlauben',
        label: 'Beschäftigung erlauben',
        from: ['beantragt', 'ba_zugestimmt'],
        to: 'erteilt',
        roles: ['sachbearbeitung'],
        payload: erlaubnisPayload,
        producesDocument: BESCHAEFTIGUNG_DOKUMENT,
        apply: (d0, p) => ({ ...d0, ...(p as Pick<BeschaeftigungDaten, 'erlaubnis' | 'pruefung'>) }),
      },
      {
        id: 'ablehnen',
        label: 'Ablehnen',
        from: ['beantragt', 'ba_angefragt', 'ba_zugestimmt', 'ba_versagt'],
        to: 'abgelehnt',
        roles: ['sachbearbeitung'],
        payload: beAblehnenPayload,
        producesDocument: BESCHAEFTIGUNG_DOKUMENT,
        apply: (d0, p) => ({ ...d0, ...(p as Pick<BeschaeftigungDaten, 'ablehnung' | 'pruefung'>) }),
      },
    ],
    deadline: {
      label: 'Gestattung / Duldung gültig bis',
      openIn: ['beantragt', 'ba_angefragt', 'ba_zugestimmt', 'ba_versagt'],
      compute: (d) => d.status.gueltigBis,
    },
    documents: [
      {
        id: BESCHAEFTIGUNG_DOKUMENT,
        title: 'Bescheid über die Beschäftigungserlaubnis',
        availableIn: ['erteilt', 'abgelehnt'],
      },
    ],
    handover: [
      {
        id: 'csv',
        title: 'CSV zur Nacherfassung (Beschäftigungserlaubnisse mit BA-Zustimmung)',
        kind: 'csv',
        describe: BESCHAEFTIGUNG_CSV_COLUMNS.join(';'),
      },
    ],
    searchText: (d) => [d.person.familienname, d.person.vornamen, d.person.azrNummer, d.status.dokumentNr],
    summary: (d0) => {
      const d = d0 as BeschaeftigungDaten;
      return `${nameOf(d.person)} – Beschäftigungserlaubnis (${d.beschaeftigung.arbeitgeber})${d.erlaubnis ? `, bis ${formatGermanDate(d.erlaubnis.gueltigBis)}` : ''}`;
    },
  }) as unknown as ProcedureDefinition;
}
