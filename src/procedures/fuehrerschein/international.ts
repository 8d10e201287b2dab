import { z } from 'zod';
import { addDays, ageOn, formatGermanDate, type IsoDate } from '../../core/dates.js';
import { defineProcedure, type ProcedureDefinition } from '../../core/procedure.js';
import { isoDate, text } from '../../core/schema-helpers.js';
import { ausgestelltAm, nameOf, OFFICE, stornoPayload, type Verwaltung } from './common.js';
import { addYears, minDate } from './datum.js';
import { type GebuehrenTabelle, gebuehren, STANDARD_GEBUEHREN } from './gebuehren.js';
import { INTERNATIONAL_ID } from './ids.js';
import { type FahrerlaubnisRegeln, STANDARD_REGELN } from './klassen.js';
import {
  anschriftSchema,
  antragSchema,
  checkDates,
  fuehrerscheinnummer,
  klassenListe,
  NUR_WENN_GUELTIG,
  personSchema,
} from './schema.js';
import { umtauschfrist } from './umtauschfrist.js';

/**
 * Internationaler Führerschein (FeV §§ 25a, 25b; Wiener Übereinkommen über den Straßenverkehr
 * 1968): a paper booklet the office fills in and hands over at once, so it can be issued in
 * emergency operation in full. Requirements as published by NRW offices (Kreis Gütersloh, Stadt
 * Mülheim an der Ruhr, Stadt Mönchengladbach): at least 18 years, a valid EU card licence (paper
 * licences are exchanged first), valid 3 years, never longer than the national licence. A card
 * whose Anlage 8e exchange deadline has passed no longer proves the licence: it is exchanged first.
 */

export { INTERNATIONAL_ID };

export function internationalSchema(today: () => IsoDate, regeln: FahrerlaubnisRegeln = STANDARD_REGELN) {
  return z
    .object({
      inhaber: personSchema('person'),
      anschrift: anschriftSchema('person'),
      antrag: z.object({ antragsdatum: antragSchema('antrag') }).strict(),
      nationalerFuehrerschein: z
        .object({
          nummer: fuehrerscheinnummer({
            title: 'Führerscheinnummer',
            description: 'Feld 5 der Karte',
            section: 'national',
          }),
          ausgestelltAm: isoDate({ title: 'Ausgestellt am', description: 'Feld 4a', section: 'national' }),
          gueltigBis: isoDate({
            title: 'Gültig bis',
            description: 'Feld 4b, nur bei ab 19.01.2013 ausgestellten Karten',
            section: 'national',
          }).optional(),
          ausstellendeBehoerde: text({
            title: 'Ausstellende Behörde',
            description: 'Feld 4c',
            section: 'national',
          }),
          klassen: klassenListe({
            title: 'Klassen',
            description: 'Feld 9, z. B. AM, B, L',
            section: 'national',
          }),
        })
        .strict()
        .meta({ title: 'Nationaler Führerschein (EU-Kartenführerschein)', section: 'national' }),
    })
    .strict()
    .superRefine((d, ctx) => {
      checkDates(
        { person: d.inhaber, antragsdatum: d.antrag.antragsdatum },
        { person: 'inhaber', antragsdatum: ['antrag', 'antragsdatum'] },
        today(),
        ctx,
      );
      const on = d.antrag.antragsdatum;
      if (ageOn(d.inhaber.geburtsdatum, on) < regeln.internationalMindestalter)
        ctx.addIssue({
          code: 'custom',
          path: ['inhaber', 'geburtsdatum'],
          message: `Den Internationalen Führerschein gibt es ab ${regeln.internationalMindestalter} Jahren.`,
        });
      const n = d.nationalerFuehrerschein;
      const pfad = ['nationalerFuehrerschein', 'ausgestelltAm'];
      if (n.ausgestelltAm > on || n.ausgestelltAm <= d.inhaber.geburtsdatum) {
        ctx.addIssue({
          code: 'custom',
          path: pfad,
          message: 'Ausgestellt am: liegt nach dem Antragsdatum oder vor der Geburt.',
        });
        return;
      }
      if (n.ausgestelltAm < '1999-01-01') {
        ctx.addIssue({
          code: 'custom',
          path: pfad,
          message:
            'Für den Internationalen Führerschein ist ein EU-Kartenführerschein nötig; Papierführerscheine bitte zuerst umtauschen.',
        });
        return;
      }
      if (n.gueltigBis && n.gueltigBis < on)
        ctx.addIssue({
          code: 'custom',
          path: ['nationalerFuehrerschein', 'gueltigBis'],
          message: `Der Führerschein ist seit dem ${formatGermanDate(addDays(n.gueltigBis, 1))} abgelaufen; bitte zuerst einen neuen beantragen.`,
        });
      const f = umtauschfrist(d.inhaber.geburtsdatum, n.ausgestelltAm);
      if (f.pflicht && on > f.frist)
        ctx.addIssue({
          code: 'custom',
          path: pfad,
          message: `Der Kartenführerschein hätte bis zum ${formatGermanDate(f.frist)} umgetauscht werden müssen (Anlage 8e FeV); bitte zuerst den Umtausch beantragen.`,
        });
    }, NUR_WENN_GUELTIG);
}

export type InternationalForm = z.output<ReturnType<typeof internationalSchema>>;
export interface InternationalDaten extends InternationalForm, Verwaltung {
  international?: { nummer: string; ausgestelltAm: IsoDate; gueltigBis: IsoDate };
}

/**
 * Last day of validity: three years (less one day) from issue, never beyond the national licence
 * (its field 4b, or the Anlage 8e exchange deadline of an older card).
 */
export function internationalGueltigBis(
  d: InternationalForm,
  ausgestellt: IsoDate,
  regeln: FahrerlaubnisRegeln = STANDARD_REGELN,
): IsoDate {
  let bis = addDays(addYears(ausgestellt, regeln.internationalJahre), -1);
  const n = d.nationalerFuehrerschein;
  if (n.gueltigBis) bis = minDate(bis, n.gueltigBis);
  const f = umtauschfrist(d.inhaber.geburtsdatum, n.ausgestelltAm);
  if (f.pflicht) bis = minDate(bis, f.frist);
  return bis;
}

export const INTERNATIONAL_CSV_COLUMNS = [
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
  'fuehrerscheinnummer',
  'fuehrerschein_ausgestellt_am',
  'fuehrerschein_gueltig_bis',
  'fuehrerschein_behoerde',
  'klassen',
  'ifs_nummer',
  'ifs_ausgestellt_am',
  'ifs_gueltig_bis',
  'gebuehr_cent',
  'beleg_nr',
  'bezahlt_am',
  'vorgangs_id',
] as const;

export function createInternational(opts: {
  today: () => IsoDate;
  regeln?: FahrerlaubnisRegeln;
  gebuehrenTabelle?: GebuehrenTabelle;
}): ProcedureDefinition {
  const regeln = opts.regeln ?? STANDARD_REGELN;
  const tabelle = opts.gebuehrenTabelle ?? STANDARD_GEBUEHREN;
  const schema = internationalSchema(opts.today, regeln);
  return defineProcedure({
    id: INTERNATIONAL_ID,
    version: 1,
    office: OFFICE,
    title: 'Internationaler Führerschein',
    description:
      'Ausstellung des Internationalen Führerscheins (§§ 25a, 25b FeV) auf dem Vordruck, sofort vor Ort: ab 18 Jahren, mit gültigem EU-Kartenführerschein, 3 Jahre gültig.',
    aktenzeichenCode: 'IF',
    form: {
      schema,
      sections: [
        { id: 'person', title: 'Inhaberin / Inhaber' },
        { id: 'antrag', title: 'Antrag' },
        { id: 'national', title: 'Nationaler Führerschein' },
      ],
    },
    states: {
      beantragt: { label: 'Beantragt' },
      bezahlt: { label: 'Gebühr bezahlt' },
      ausgehaendigt: { label: 'Ausgehändigt', final: true },
      storniert: { label: 'Storniert', final: true },
    },
    create: { id: 'beantragen', label: 'Antrag erfassen', to: 'beantragt', roles: ['sachbearbeitung'] },
    actions: [
      {
        id: 'berichtigen',
        label: 'Berichtigen',
        description: 'Angaben korrigieren, solange die Gebühr nicht bezahlt ist.',
        from: ['beantragt'],
        to: 'beantragt',
        roles: ['sachbearbeitung'],
        payload: schema,
        apply: (_d, payload) => payload as never,
      },
      {
        id: 'gebuehr_bar_bezahlen',
        label: 'Gebühr bar bezahlt',
        description: 'Die Gebühr wurde bar bezahlt: Buchung im Kassenbuch der Fahrerlaubnisbehörde.',
        from: ['beantragt'],
        to: 'bezahlt',
        roles: ['sachbearbeitung'],
        apply: (d, payload) => ({ ...(d as object), zahlung: payload }) as never,
      },
      {
        id: 'aushaendigen',
        label: 'Internationalen Führerschein aushändigen',
        description: 'Der ausgefüllte Vordruck wird ausgehändigt; seine Nummer wird vermerkt.',
        from: ['bezahlt'],
        to: 'ausgehaendigt',
        roles: ['sachbearbeitung'],
        payload: z
          .object({
            nummer: z
              .string({ error: 'Vordrucknummer: Bitte angeben.' })
              .trim()
              .toUpperCase()
              .regex(/^[A-Z0-9-]{1,20}$/, 'Vordrucknummer: Ziffern und Buchstaben, höchstens 20 Zeichen.')
              .meta({ title: 'Vordrucknummer des Internationalen Führerscheins', widget: 'text' }),
            ausgestelltAm,
          })
          .strict(),
        apply: (d, payload) => ({ ...(d as object), international: payload }) as never,
      },
      {
        id: 'stornieren',
        label: 'Stornieren',
        description: 'Antrag zurückgenommen oder irrtümlich erfasst, bevor die Gebühr bezahlt wurde.',
        from: ['beantragt'],
        to: 'storniert',
        roles: ['sachbearbeitung'],
        payload: stornoPayload,
      },
    ],
    fees: (_d, on) => gebuehren(['FE_INTERNATIONAL'], on, null, tabelle),
    documents: [],
    handover: [
      {
        id: 'csv',
        title: 'CSV zur Nacherfassung im Fahrerlaubnisregister',
        kind: 'csv',
        describe: INTERNATIONAL_CSV_COLUMNS.join(';'),
      },
    ],
    searchText: (d) => [
      d.inhaber.familienname,
      d.inhaber.vornamen,
      d.nationalerFuehrerschein.nummer,
      (d as InternationalDaten).international?.nummer,
    ],
    summary: (d) => `${nameOf(d.inhaber)} – Internationaler Führerschein`,
  }) as unknown as ProcedureDefinition;
}
