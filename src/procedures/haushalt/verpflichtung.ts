import { z } from 'zod';
import type { IsoDate } from '../../core/dates.js';
import { defineProcedure, type ProcedureDefinition } from '../../core/procedure.js';
import { choice, isoDate, longText, text } from '../../core/schema-helpers.js';
import { CODE_PATTERN, MAX_BETRAG_CENTS } from './katalog.js';

/**
 * A commitment (Verpflichtung: an order, a contract, a payment that makes expenses arise) entered
 * into while no budget is in force: the vorläufige Haushaltsführung of § 82 GO NRW. Until the
 * budget bylaw of the year is published the municipality may only let expenses arise and make
 * payments it is legally obliged to or that are indispensable to continue necessary tasks, and
 * may continue constructions, procurements and other investments for which a previous year's
 * budget provided (gelsenkirchen.de, "Genehmigung"; OVG NRW 15 B 1755/08: continuing existing
 * municipal facilities belongs to the necessary tasks). Every commitment therefore carries its
 * legal ground and its proof; without a ground it is refused (schema here, a CHECK constraint in
 * the table the create hook writes, server/migrations).
 *
 * The Produkt must exist in the budget draft of the year or, failing that, in the previous year's
 * plan (checked by the create hook); the report compares the commitments per Produktbereich with
 * last year's budget (server/report.ts).
 */

export const VERPFLICHTUNG_ID = 'vorlaeufige_ausgabe';

export const RECHTSGRUENDE = {
  rechtliche_verpflichtung: 'Rechtlich verpflichtet (Gesetz, Vertrag, Bescheid) – § 82 Abs. 1 Nr. 1 GO NRW',
  unaufschiebbar: 'Für die Weiterführung notwendiger Aufgaben unaufschiebbar – § 82 Abs. 1 Nr. 1 GO NRW',
  fortsetzung_investition:
    'Fortsetzung einer Investition mit Ansatz oder Verpflichtungsermächtigung im Vorjahreshaushalt – § 82 Abs. 1 Nr. 1 GO NRW',
} as const;
export type Rechtsgrund = keyof typeof RECHTSGRUENDE;
export const RECHTSGRUND_CODES = Object.keys(RECHTSGRUENDE) as [Rechtsgrund, ...Rechtsgrund[]];

export const ARTEN = {
  aufwand: 'Aufwand der laufenden Verwaltung (Ergebnisplan)',
  investition: 'Investitionsauszahlung (Finanzplan)',
} as const;
export type Art = keyof typeof ARTEN;

/** What the proof must say, by ground (the help text of the field and the refusal). */
export const NACHWEIS_HINWEIS: Record<Rechtsgrund, string> = {
  rechtliche_verpflichtung: 'Rechtsgrundlage, Vertrag oder Bescheid mit Datum',
  unaufschiebbar: 'warum die Aufgabe notwendig ist und die Ausgabe nicht warten kann',
  fortsetzung_investition: 'die Investitionsmaßnahme und ihre Finanzposition im Vorjahreshaushalt',
};

export function verpflichtungSchema(today: () => IsoDate) {
  return z
    .object({
      datum: isoDate({ title: 'Tag der Verpflichtung', section: 'verpflichtung' }),
      produkt: text(
        {
          title: 'Produkt',
          description: 'Produktnummer wie im Haushaltsplan, z. B. 01.01.01',
          section: 'verpflichtung',
        },
        { max: 20 },
      ).regex(
        CODE_PATTERN,
        'Produkt: Bitte die Produktnummer wie im Haushaltsplan angeben (z. B. 01.01.01).',
      ),
      art: choice(['aufwand', 'investition'], { title: 'Art', section: 'verpflichtung', options: ARTEN }),
      gegenstand: text(
        {
          title: 'Gegenstand',
          description: 'Was wird bestellt, beauftragt oder gezahlt?',
          section: 'verpflichtung',
        },
        { max: 300 },
      ),
      betragCents: z
        .number({ error: 'Betrag: Bitte einen Betrag in Euro angeben.' })
        .int('Betrag: Bitte einen Betrag in Euro mit höchstens zwei Nachkommastellen angeben.')
        .min(1, 'Betrag: muss größer als 0 sein.')
        .max(MAX_BETRAG_CENTS, 'Betrag: höchstens 10 Mrd. Euro.')
        .meta({ title: 'Betrag', widget: 'money', section: 'verpflichtung' }),
      referenz: text(
        { title: 'Vertrags- oder Auftragsnummer', section: 'verpflichtung' },
        { max: 100 },
      ).optional(),
      rechtsgrund: choice(RECHTSGRUND_CODES, {
        title: 'Rechtsgrund nach § 82 GO NRW',
        description: 'Ohne Rechtsgrund darf in der vorläufigen Haushaltsführung nichts ausgegeben werden.',
        section: 'rechtsgrund',
        options: RECHTSGRUENDE,
      }),
      nachweis: longText(
        {
          title: 'Nachweis des Rechtsgrunds',
          description:
            'Rechtsgrundlage, Vertrag oder Bescheid; bei Unaufschiebbarkeit die Begründung; bei einer Investition die Maßnahme und ihre Finanzposition im Vorjahreshaushalt.',
          section: 'rechtsgrund',
        },
        2000,
      ),
    })
    .strict()
    .superRefine((d, ctx) => {
      if (d.datum > today()) {
        ctx.addIssue({
          code: 'custom',
          path: ['datum'],
          message: 'Tag der Verpflichtung: darf nicht in der Zukunft liegen.',
        });
      }
      if (d.nachweis.trim().length < 10) {
        ctx.addIssue({
          code: 'custom',
          path: ['nachweis'],
          message: `Nachweis des Rechtsgrunds: Bitte belegen – ${NACHWEIS_HINWEIS[d.rechtsgrund]}.`,
        });
      }
      if (d.rechtsgrund === 'fortsetzung_investition' && d.art !== 'investition') {
        ctx.addIssue({
          code: 'custom',
          path: ['art'],
          message: 'Art: Die Fortsetzung einer Investition ist eine Investitionsauszahlung.',
        });
      }
    });
}

export type VerpflichtungForm = z.output<ReturnType<typeof verpflichtungSchema>>;

/** Case data after creation: the form and what the create hook resolved from the budget. */
export interface VerpflichtungDaten extends VerpflichtungForm {
  haushaltsjahr: number;
  produktbereich: string;
  produktName: string;
  storno?: { grund: string; am: IsoDate };
}

export const VERPFLICHTUNG_CSV_COLUMNS = [
  'aktenzeichen',
  'haushaltsjahr',
  'tag_der_verpflichtung',
  'produktbereich',
  'produkt',
  'produkt_bezeichnung',
  'art',
  'gegenstand',
  'betrag_eur',
  'rechtsgrund',
  'nachweis',
  'referenz',
  'vorgangs_id',
] as const;

export function createVerpflichtung(opts: { today: () => IsoDate }) {
  const schema = verpflichtungSchema(opts.today);
  return defineProcedure({
    id: VERPFLICHTUNG_ID,
    version: 1,
    office: 'kaemmerei',
    title: 'Verpflichtung in der vorläufigen Haushaltsführung',
    description:
      'Solange keine Haushaltssatzung bekannt gemacht ist (§ 82 GO NRW), wird jede Verpflichtung mit Produkt, Betrag und Rechtsgrund erfasst; ohne Rechtsgrund wird sie abgelehnt.',
    aktenzeichenCode: 'VH',
    form: {
      schema,
      sections: [
        { id: 'verpflichtung', title: 'Verpflichtung' },
        {
          id: 'rechtsgrund',
          title: 'Rechtsgrund (§ 82 GO NRW)',
          description:
            'Erlaubt sind nur rechtlich geschuldete oder unaufschiebbare Ausgaben und die Fortsetzung von Investitionen aus dem Vorjahreshaushalt.',
        },
      ],
    },
    states: {
      erfasst: { label: 'Erfasst', final: true },
      storniert: { label: 'Storniert', final: true },
    },
    create: { id: 'erfassen', label: 'Verpflichtung erfassen', to: 'erfasst', roles: ['sachbearbeitung'] },
    actions: [
      {
        id: 'stornieren',
        label: 'Stornieren',
        description:
          'Die Verpflichtung wurde irrtümlich erfasst oder kommt nicht zustande; sie zählt nicht mehr.',
        from: ['erfasst'],
        to: 'storniert',
        roles: ['sachbearbeitung'],
        payload: z.object({ grund: text({ title: 'Grund' }, { max: 500 }) }).strict(),
        apply: (d: VerpflichtungDaten, p: unknown, ctx: { today: IsoDate }) => ({
          ...d,
          storno: { grund: (p as { grund: string }).grund, am: ctx.today },
        }),
      },
    ] as never,
    fees: () => [],
    documents: [],
    handover: [
      {
        id: 'csv',
        title: 'CSV zur Nacherfassung im Finanzverfahren',
        kind: 'csv',
        describe: VERPFLICHTUNG_CSV_COLUMNS.join(';'),
      },
    ],
    searchText: (d) => [d.produkt, d.gegenstand, d.referenz],
    summary: (d) => `${d.produkt} – ${d.gegenstand}`,
  }) as unknown as ProcedureDefinition;
}
