import { z } from 'zod';
import { formatGermanDate, type IsoDate } from '../../core/dates.js';
import { defineProcedure, type ProcedureDefinition } from '../../core/procedure.js';
import { isoDate, text, yesNo } from '../../core/schema-helpers.js';
import {
  ausgestelltAm,
  KARTEN_STATES,
  kartenAktionen,
  NACHWEIS_DOKUMENT,
  nameOf,
  neueNummer,
  OFFICE,
  type Verwaltung,
} from './common.js';
import { dateOfAge } from './datum.js';
import { type GebuehrenTabelle, gebuehren, STANDARD_GEBUEHREN } from './gebuehren.js';
import { UMTAUSCH_ID } from './ids.js';
import {
  anschriftSchema,
  antragSchema,
  checkDates,
  fuehrerscheinnummer,
  klassenListe,
  NUR_WENN_GUELTIG,
  personSchema,
} from './schema.js';
import { ANLAGE_8E_ENDE, type Fristbewertung, umtauschfrist } from './umtauschfrist.js';

/**
 * Umtausch of a licence issued before 19 January 2013 into the card licence (§ 24a FeV with
 * Anlage 8e): the exchange deadline is computed from the birth year (paper licences issued up to
 * 1998) or the year of issue (cards from 1999) and shown as overdue or not on the application day.
 * The new classes follow the conversion table of Anlage 3 FeV; the clerk enters them. In
 * emergency operation no card can be ordered: the old licence is either kept by the holder until
 * the card comes (case closed without proof) or handed in against a Vorläufiger Nachweis.
 */

export { UMTAUSCH_ID };

export function umtauschSchema(today: () => IsoDate) {
  return z
    .object({
      inhaber: personSchema('person'),
      anschrift: anschriftSchema('person'),
      antrag: z.object({ antragsdatum: antragSchema('antrag') }).strict(),
      bisherigerFuehrerschein: z
        .object({
          ausgestelltAm: isoDate({
            title: 'Ausgestellt am',
            description: 'Karte: Feld 4a; Papierführerschein: Innenseite',
            section: 'bisher',
          }),
          ausstellendeBehoerde: text({ title: 'Ausstellende Behörde', section: 'bisher' }),
          nummer: fuehrerscheinnummer({
            title: 'Führerscheinnummer',
            description: 'Nur bei Kartenführerscheinen (Feld 5)',
            section: 'bisher',
          }).optional(),
          listennummer: text(
            { title: 'Listennummer', description: 'Nur bei Papierführerscheinen', section: 'bisher' },
            { max: 40 },
          ).optional(),
          alteKlassen: text(
            {
              title: 'Klassen im bisherigen Führerschein',
              description: 'z. B. 3 oder 1b, 3',
              section: 'bisher',
            },
            { max: 60 },
          ).optional(),
          karteikartenabschrift: yesNo({
            title: 'Karteikartenabschrift liegt vor',
            description: 'Nötig, wenn eine andere Behörde den Führerschein ausgestellt hat',
            section: 'bisher',
          }).optional(),
        })
        .strict()
        .meta({ title: 'Bisheriger Führerschein', section: 'bisher' }),
      neueKlassen: klassenListe({
        title: 'Klassen im neuen Führerschein',
        description: 'Nach der Umstellungstabelle (Anlage 3 FeV), z. B. A1, AM, B, BE, C1, C1E, L',
        section: 'neu',
      }),
    })
    .strict()
    .superRefine((d, ctx) => {
      checkDates(
        { person: d.inhaber, antragsdatum: d.antrag.antragsdatum },
        { person: 'inhaber', antragsdatum: ['antrag', 'antragsdatum'] },
        today(),
        ctx,
      );
      const f = d.bisherigerFuehrerschein;
      const pfad = ['bisherigerFuehrerschein', 'ausgestelltAm'];
      if (f.ausgestelltAm > d.antrag.antragsdatum) {
        ctx.addIssue({ code: 'custom', path: pfad, message: 'Ausgestellt am: liegt nach dem Antragsdatum.' });
      } else if (f.ausgestelltAm < dateOfAge(d.inhaber.geburtsdatum, 15)) {
        ctx.addIssue({
          code: 'custom',
          path: pfad,
          message:
            'Ausgestellt am: liegt vor dem 15. Geburtstag der Inhaberin / des Inhabers – bitte prüfen.',
        });
      } else if (f.ausgestelltAm > ANLAGE_8E_ENDE) {
        ctx.addIssue({
          code: 'custom',
          path: pfad,
          message: `Ab dem 19.01.2013 ausgestellte Führerscheine fallen nicht unter den Pflichtumtausch (Anlage 8e FeV); bei Verlust, Beschädigung oder Namensänderung bitte „Ersatzführerschein" wählen.`,
        });
      }
      if (f.nummer && f.ausgestelltAm <= '1998-12-31') {
        ctx.addIssue({
          code: 'custom',
          path: ['bisherigerFuehrerschein', 'nummer'],
          message: `Führerscheinnummer: Papierführerscheine (bis 31.12.1998) haben keine; bitte die Listennummer angeben.`,
        });
      }
    }, NUR_WENN_GUELTIG);
}

export type UmtauschForm = z.output<ReturnType<typeof umtauschSchema>>;
export interface UmtauschDaten extends UmtauschForm, Verwaltung {
  umtauschfrist?: Fristbewertung;
}

/** The exchange deadline on the application day (null: the licence is outside Anlage 8e). */
export function umtauschBewertung(d: UmtauschForm): Fristbewertung | null {
  const f = umtauschfrist(d.inhaber.geburtsdatum, d.bisherigerFuehrerschein.ausgestelltAm);
  if (!f.pflicht) return null;
  return {
    frist: f.frist,
    grundlage: f.grundlage,
    dokument: f.dokument,
    stichtag: d.antrag.antragsdatum,
    ueberfaellig: d.antrag.antragsdatum > f.frist,
  };
}

export const UMTAUSCH_CSV_COLUMNS = [
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
  'bisher_ausgestellt_am',
  'bisher_behoerde',
  'bisher_nummer',
  'bisher_listennummer',
  'bisher_klassen',
  'neue_klassen',
  'umtauschfrist',
  'umtauschfrist_grundlage',
  'ueberfaellig',
  'nachweis_ausgestellt_am',
  'nachweis_gueltig_bis',
  'fuehrerscheinnummer',
  'abgeschlossen_ohne_nachweis',
  'gebuehr_cent',
  'beleg_nr',
  'bezahlt_am',
  'vorgangs_id',
] as const;

export function createUmtausch(opts: {
  today: () => IsoDate;
  gebuehrenTabelle?: GebuehrenTabelle;
}): ProcedureDefinition {
  const tabelle = opts.gebuehrenTabelle ?? STANDARD_GEBUEHREN;
  const schema = umtauschSchema(opts.today);
  const nachweisPayload = z
    .object({
      ausgestelltAm,
      bisherigerFuehrerscheinEingezogen: yesNo({
        title: 'Bisheriger Führerschein eingezogen',
        description: 'Der Nachweis ersetzt ihn bis zur Aushändigung der Karte',
      }),
      fuehrerscheinnummer: neueNummer,
    })
    .strict()
    .superRefine((p, ctx) => {
      if (p.bisherigerFuehrerscheinEingezogen !== true)
        ctx.addIssue({
          code: 'custom',
          path: ['bisherigerFuehrerscheinEingezogen'],
          message:
            'Der vorläufige Nachweis wird nur gegen Abgabe des bisherigen Führerscheins ausgestellt. Behält die Inhaberin / der Inhaber ihn bis zur Karte, bitte „Ohne Nachweis abschließen".',
        });
    }, NUR_WENN_GUELTIG);
  return defineProcedure({
    id: UMTAUSCH_ID,
    version: 1,
    office: OFFICE,
    title: 'Umtausch des Führerscheins',
    description:
      'Pflichtumtausch vor dem 19.01.2013 ausgestellter Führerscheine (§ 24a FeV, Anlage 8e) mit Umtauschfrist nach Geburts- bzw. Ausstellungsjahr; vorläufiger Nachweis gegen Abgabe des alten Führerscheins.',
    aktenzeichenCode: 'FU',
    form: {
      schema,
      sections: [
        { id: 'person', title: 'Inhaberin / Inhaber' },
        { id: 'antrag', title: 'Antrag' },
        { id: 'bisher', title: 'Bisheriger Führerschein' },
        { id: 'neu', title: 'Neuer Führerschein' },
      ],
    },
    states: KARTEN_STATES,
    create: { id: 'beantragen', label: 'Antrag erfassen', to: 'beantragt', roles: ['sachbearbeitung'] },
    actions: kartenAktionen<UmtauschDaten>({
      schema,
      nachweisPayload,
      nachweisBeschreibung:
        'Der bisherige Führerschein wird eingezogen; bis zur Karte gilt der vorläufige Nachweis (nur im Inland).',
      ohneNachweis: true,
    }) as never,
    fees: (_d, on) => gebuehren(['FE_UMTAUSCH'], on, null, tabelle),
    documents: [{ ...NACHWEIS_DOKUMENT, availableIn: ['nachweis_ausgestellt'] }],
    handover: [
      {
        id: 'csv',
        title: 'CSV zur Nacherfassung im Fahrerlaubnisregister (Kartenbestellung)',
        kind: 'csv',
        describe: UMTAUSCH_CSV_COLUMNS.join(';'),
      },
    ],
    searchText: (d) => [
      d.inhaber.familienname,
      d.inhaber.vornamen,
      d.inhaber.geburtsname,
      d.bisherigerFuehrerschein.nummer,
      d.bisherigerFuehrerschein.listennummer,
      (d as UmtauschDaten).nachweis?.fuehrerscheinnummer,
    ],
    summary: (d) => {
      const f = (d as UmtauschDaten).umtauschfrist;
      return `${nameOf(d.inhaber)} – Umtausch${f ? ` (Frist ${formatGermanDate(f.frist)}${f.ueberfaellig ? ', überfällig' : ''})` : ''}`;
    },
  }) as unknown as ProcedureDefinition;
}
