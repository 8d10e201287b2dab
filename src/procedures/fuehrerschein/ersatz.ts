import { z } from 'zod';
import type { IsoDate } from '../../core/dates.js';
import { defineProcedure, type ProcedureDefinition } from '../../core/procedure.js';
import { choice, isoDate, text, yesNo } from '../../core/schema-helpers.js';
import {
  ausgestelltAm,
  bestaetigtDurch,
  KARTEN_STATES,
  kartenAktionen,
  NACHWEIS_DOKUMENT,
  nameOf,
  neueNummer,
  OFFICE,
  type Verwaltung,
  vermerk,
} from './common.js';
import { type GebuehrCode, type GebuehrenTabelle, gebuehren, STANDARD_GEBUEHREN } from './gebuehren.js';
import { ERSATZ_ID } from './ids.js';
import {
  anschriftSchema,
  antragSchema,
  checkDates,
  fuehrerscheinnummer,
  klassenListe,
  NUR_WENN_GUELTIG,
  personSchema,
} from './schema.js';
import { type Fristbewertung, umtauschfrist } from './umtauschfrist.js';

/**
 * Ersatzführerschein (§ 25 Abs. 4 FeV): a new licence document after loss or theft, or instead of
 * a damaged one or after a change of name. The classes are taken from the holder's statement and
 * checked against whatever source the office can reach in emergency operation (the central
 * register at the KBA usually not); the source is recorded with the Vorläufiger Nachweis, which is
 * issued only once the licence has been confirmed. The authority may take a Versicherung an Eides
 * statt about the loss (§ 25 Abs. 4 Satz 2 FeV); its fee is a separate position.
 */

export { ERSATZ_ID };

export const ERSATZ_GRUENDE = {
  verloren: 'Verloren',
  gestohlen: 'Gestohlen',
  unbrauchbar: 'Beschädigt / unbrauchbar',
  namensaenderung: 'Namensänderung',
} as const;

export function ersatzSchema(today: () => IsoDate) {
  return z
    .object({
      inhaber: personSchema('person'),
      anschrift: anschriftSchema('person'),
      antrag: z.object({ antragsdatum: antragSchema('antrag') }).strict(),
      anlass: z
        .object({
          grund: choice(['verloren', 'gestohlen', 'unbrauchbar', 'namensaenderung'], {
            title: 'Anlass',
            section: 'anlass',
            options: ERSATZ_GRUENDE,
          }),
          datum: isoDate({
            title: 'Seit wann vermisst',
            description: 'Bei Verlust oder Diebstahl',
            section: 'anlass',
          }).optional(),
          polizeilicheAnzeige: text(
            {
              title: 'Polizeiliche Anzeige (Tagebuchnummer)',
              description: 'Bei Diebstahl',
              section: 'anlass',
            },
            { max: 60 },
          ).optional(),
          versicherungAnEidesStatt: yesNo({
            title: 'Versicherung an Eides statt über den Verlust abgegeben',
            section: 'anlass',
          }),
        })
        .strict()
        .meta({ title: 'Anlass', section: 'anlass' }),
      bisherigerFuehrerschein: z
        .object({
          nummer: fuehrerscheinnummer({
            title: 'Führerscheinnummer',
            description: 'Falls bekannt',
            section: 'bisher',
          }).optional(),
          ausgestelltAm: isoDate({
            title: 'Ausgestellt am',
            description: 'Falls bekannt',
            section: 'bisher',
          }).optional(),
          ausstellendeBehoerde: text({ title: 'Ausstellende Behörde', section: 'bisher' }),
          klassen: klassenListe({
            title: 'Klassen',
            description: 'Wie im bisherigen Führerschein, z. B. AM, B, L',
            section: 'bisher',
          }),
        })
        .strict()
        .meta({ title: 'Bisheriger Führerschein', section: 'bisher' }),
    })
    .strict()
    .superRefine((d, ctx) => {
      checkDates(
        { person: d.inhaber, antragsdatum: d.antrag.antragsdatum },
        { person: 'inhaber', antragsdatum: ['antrag', 'antragsdatum'] },
        today(),
        ctx,
      );
      const verlust = d.anlass.grund === 'verloren' || d.anlass.grund === 'gestohlen';
      if (d.anlass.datum && d.anlass.datum > d.antrag.antragsdatum)
        ctx.addIssue({
          code: 'custom',
          path: ['anlass', 'datum'],
          message: 'Seit wann vermisst: liegt nach dem Antragsdatum.',
        });
      if (!verlust && d.anlass.versicherungAnEidesStatt)
        ctx.addIssue({
          code: 'custom',
          path: ['anlass', 'versicherungAnEidesStatt'],
          message: 'Eine Versicherung an Eides statt gibt es nur bei Verlust oder Diebstahl.',
        });
      const f = d.bisherigerFuehrerschein;
      if (
        f.ausgestelltAm &&
        (f.ausgestelltAm > d.antrag.antragsdatum || f.ausgestelltAm <= d.inhaber.geburtsdatum)
      )
        ctx.addIssue({
          code: 'custom',
          path: ['bisherigerFuehrerschein', 'ausgestelltAm'],
          message: 'Ausgestellt am: liegt nach dem Antragsdatum oder vor der Geburt.',
        });
    }, NUR_WENN_GUELTIG);
}

export type ErsatzForm = z.output<ReturnType<typeof ersatzSchema>>;
export interface ErsatzDaten extends ErsatzForm, Verwaltung {
  /** When the lost licence was an old one: its exchange deadline (Anlage 8e), for information. */
  umtauschfrist?: Fristbewertung;
}

export function ersatzGebuehrCodes(d: ErsatzForm): GebuehrCode[] {
  return d.anlass.versicherungAnEidesStatt ? ['FE_ERSATZ', 'FE_EIDESSTATTLICH'] : ['FE_ERSATZ'];
}

export function ersatzFrist(d: ErsatzForm): Fristbewertung | null {
  const am = d.bisherigerFuehrerschein.ausgestelltAm;
  if (!am) return null;
  const f = umtauschfrist(d.inhaber.geburtsdatum, am);
  if (!f.pflicht) return null;
  return { ...f, stichtag: d.antrag.antragsdatum, ueberfaellig: d.antrag.antragsdatum > f.frist };
}

export const ERSATZ_CSV_COLUMNS = [
  'aktenzeichen',
  'status',
  'familienname',
  'vornamen',
  'geburtsname',
  'doktorgrad',
  'geburtsdatum',
  'geburtsort',
  'strasse',
  'hausnummer',
  'plz',
  'ort',
  'antragsdatum',
  'anlass',
  'vermisst_seit',
  'polizeiliche_anzeige',
  'versicherung_an_eides_statt',
  'bisher_nummer',
  'bisher_ausgestellt_am',
  'bisher_behoerde',
  'klassen',
  'fahrerlaubnis_geprueft_anhand',
  'nachweis_ausgestellt_am',
  'nachweis_gueltig_bis',
  'fuehrerscheinnummer',
  'abgeschlossen_ohne_nachweis',
  'gebuehr_cent',
  'beleg_nr',
  'bezahlt_am',
  'vorgangs_id',
] as const;

export function createErsatz(opts: {
  today: () => IsoDate;
  gebuehrenTabelle?: GebuehrenTabelle;
}): ProcedureDefinition {
  const tabelle = opts.gebuehrenTabelle ?? STANDARD_GEBUEHREN;
  const schema = ersatzSchema(opts.today);
  const nachweisPayload = z
    .object({
      ausgestelltAm,
      fahrerlaubnisBestaetigtDurch: bestaetigtDurch,
      vermerk,
      bisherigerFuehrerscheinEingezogen: yesNo({
        title: 'Bisheriger Führerschein eingezogen',
        description: 'Nur bei Beschädigung oder Namensänderung',
      }).optional(),
      fuehrerscheinnummer: neueNummer,
    })
    .strict();
  return defineProcedure({
    id: ERSATZ_ID,
    version: 1,
    office: OFFICE,
    title: 'Ersatzführerschein',
    description:
      'Ersatz des Führerscheins nach Verlust oder Diebstahl, bei Beschädigung oder Namensänderung (§ 25 Abs. 4 FeV); vorläufiger Nachweis erst nach Prüfung der Fahrerlaubnis.',
    aktenzeichenCode: 'FS',
    form: {
      schema,
      sections: [
        { id: 'person', title: 'Inhaberin / Inhaber' },
        { id: 'antrag', title: 'Antrag' },
        { id: 'anlass', title: 'Anlass' },
        { id: 'bisher', title: 'Bisheriger Führerschein' },
      ],
    },
    states: KARTEN_STATES,
    create: { id: 'beantragen', label: 'Antrag erfassen', to: 'beantragt', roles: ['sachbearbeitung'] },
    actions: kartenAktionen<ErsatzDaten>({
      schema,
      nachweisPayload,
      nachweisBeschreibung:
        'Erst wenn die Fahrerlaubnis geprüft ist (Karteikarte, Auskunft der ausstellenden Behörde oder des KBA): vorläufiger Nachweis bis zur Karte.',
      ohneNachweis: true,
    }) as never,
    fees: (d, on) => gebuehren(ersatzGebuehrCodes(d), on, null, tabelle),
    documents: [{ ...NACHWEIS_DOKUMENT, availableIn: ['nachweis_ausgestellt'] }],
    handover: [
      {
        id: 'csv',
        title: 'CSV zur Nacherfassung im Fahrerlaubnisregister (Kartenbestellung)',
        kind: 'csv',
        describe: ERSATZ_CSV_COLUMNS.join(';'),
      },
    ],
    searchText: (d) => [
      d.inhaber.familienname,
      d.inhaber.vornamen,
      d.inhaber.geburtsname,
      d.bisherigerFuehrerschein.nummer,
      (d as ErsatzDaten).nachweis?.fuehrerscheinnummer,
    ],
    summary: (d) => `${nameOf(d.inhaber)} – Ersatzführerschein (${ERSATZ_GRUENDE[d.anlass.grund]})`,
  }) as unknown as ProcedureDefinition;
}
