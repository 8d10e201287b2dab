import { z } from 'zod';
import { ageOn, formatGermanDate, type IsoDate } from '../../core/dates.js';
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
import { addYears, dateOfAge } from './datum.js';
import { type GebuehrCode, type GebuehrenTabelle, gebuehren, STANDARD_GEBUEHREN } from './gebuehren.js';
import { ERSTERTEILUNG_ID } from './ids.js';
import {
  antragFruehestens,
  type FahrerlaubnisRegeln,
  fehlendeVoraussetzungen,
  type Mindestalter,
  mindestalter,
  mitEingeschlossenen,
  STANDARD_REGELN,
  voraussetzungGrundlage,
} from './klassen.js';
import {
  anschriftSchema,
  antragSchema,
  checkDates,
  fuehrerscheinnummer,
  klassenListe,
  NUR_WENN_GUELTIG,
  personSchema,
} from './schema.js';

/**
 * Ersterteilung (and Erweiterung) einer Fahrerlaubnis (FeV §§ 21, 22): application with the class
 * rules checked when it is recorded — minimum age and the earliest application day (§ 10),
 * prerequisite classes (§ 9), accompanied driving from 17 with named companions (§ 48a) — the fee,
 * cash payment, and after the passed test the Vorläufiger Nachweis der Fahrberechtigung (for BF17:
 * the Prüfungsbescheinigung), because the card cannot be ordered while the systems are down.
 * The rules are in klassen.ts; what depends on the office's Land (class AM from 15 in NRW) is
 * checked again on the server with the office's Land.
 */

export { ERSTERTEILUNG_ID };

const begleitperson = z
  .object({
    familienname: text({ title: 'Familienname', section: 'begleitung' }),
    vornamen: text({ title: 'Vornamen', section: 'begleitung' }),
    geburtsdatum: isoDate({ title: 'Geburtsdatum', section: 'begleitung' }),
    klasseBSeit: isoDate({
      title: 'Fahrerlaubnis Klasse B (oder 3) seit',
      description: 'Erteilungsdatum laut Führerschein',
      section: 'begleitung',
    }),
    punkte: z
      .number({ error: 'Punkte im Fahreignungsregister: Bitte als Zahl angeben (0, 1 …).' })
      .int('Punkte im Fahreignungsregister: eine ganze Zahl.')
      .min(0, 'Punkte im Fahreignungsregister: nicht negativ.')
      .max(20, 'Punkte im Fahreignungsregister: höchstens 20.')
      .meta({
        title: 'Punkte im Fahreignungsregister',
        description: 'Laut Auskunft (Selbstauskunft beim KBA); im Notbetrieb nicht abfragbar',
        widget: 'number',
        section: 'begleitung',
      }),
  })
  .strict()
  .meta({ title: 'Begleitperson', section: 'begleitung' });

export function ersterteilungSchema(today: () => IsoDate, regeln: FahrerlaubnisRegeln = STANDARD_REGELN) {
  return z
    .object({
      bewerber: personSchema('person'),
      anschrift: anschriftSchema('person'),
      antrag: z
        .object({
          antragsdatum: antragSchema('antrag'),
          klassen: klassenListe({ title: 'Beantragte Klassen', section: 'antrag' }),
          begleitetesFahren: yesNo({
            title: 'Begleitetes Fahren ab 17 (BF17)',
            description: 'Nur Klassen B und BE; Begleitpersonen unten eintragen',
            section: 'antrag',
          }),
          berufsausbildung: yesNo({
            title: 'Berufsausbildung zum Berufskraftfahrer o. ä. oder Grundqualifikation (BKrFQG)',
            description: 'Senkt das Mindestalter für B/BE auf 17 und für C/CE auf 18 Jahre (§ 10 FeV)',
            section: 'antrag',
          }).optional(),
          fahrschule: text({ title: 'Ausbildende Fahrschule', section: 'antrag' }).optional(),
        })
        .strict(),
      vorbesitz: z
        .object({
          klassen: klassenListe({
            title: 'Bereits vorhandene Klassen',
            description: 'Nur bei einer Erweiterung, z. B. B, AM, L',
            section: 'vorbesitz',
          }).optional(),
          a2Seit: isoDate({
            title: 'Klasse A2 erteilt am',
            description: 'Für Klasse A ab 20 Jahren nach zwei Jahren A2',
            section: 'vorbesitz',
          }).optional(),
          fuehrerscheinnummer: fuehrerscheinnummer({
            title: 'Bisherige Führerscheinnummer',
            section: 'vorbesitz',
          }).optional(),
        })
        .strict()
        .optional(),
      begleitpersonen: z
        .array(begleitperson)
        .max(
          regeln.begleitung.hoechstAnzahl,
          `Begleitpersonen: höchstens ${regeln.begleitung.hoechstAnzahl}.`,
        )
        .meta({
          title: 'Begleitpersonen (BF17)',
          description: 'Namentlich benannte Personen, die begleiten dürfen (§ 48a FeV)',
          section: 'begleitung',
        })
        .optional(),
    })
    .strict()
    .superRefine((d, ctx) => {
      checkDates(
        { person: d.bewerber, antragsdatum: d.antrag.antragsdatum },
        { person: 'bewerber', antragsdatum: ['antrag', 'antragsdatum'] },
        today(),
        ctx,
      );
      for (const i of pruefeErsterteilung(d, { land: null, regeln })) {
        ctx.addIssue({ code: 'custom', path: i.path, message: i.message });
      }
    }, NUR_WENN_GUELTIG);
}

export type ErsterteilungForm = z.output<ReturnType<typeof ersterteilungSchema>>;

export interface Pruefung {
  stichtag: IsoDate;
  /** AGS prefix of the Land whose rules were applied (null: not known, lenient). */
  land: string | null;
  klassen: Mindestalter[];
  /** Restrictions on the document, each until a day (exclusive). */
  auflagen: Array<{ text: string; bis: IsoDate }>;
}

export interface ErsterteilungDaten extends ErsterteilungForm, Verwaltung {
  pruefung?: Pruefung;
}

export interface Befund {
  path: (string | number)[];
  message: string;
}

function umstaende(d: ErsterteilungForm, land: string | null) {
  return {
    geburtsdatum: d.bewerber.geburtsdatum,
    stichtag: d.antrag.antragsdatum,
    land,
    begleitetesFahren: d.antrag.begleitetesFahren,
    berufsausbildung: d.antrag.berufsausbildung === true,
    a2Seit: d.vorbesitz?.a2Seit,
  };
}

/**
 * The class rules for an application, as field errors (empty: the application may be recorded).
 * `land` null (the browser, which does not know the office): the most lenient Land rule applies;
 * the server checks again with the office's Land.
 */
export function pruefeErsterteilung(
  d: ErsterteilungForm,
  opts: { land: string | null; regeln?: FahrerlaubnisRegeln },
): Befund[] {
  const r = opts.regeln ?? STANDARD_REGELN;
  const out: Befund[] = [];
  const on = d.antrag.antragsdatum;
  const klassenPfad = ['antrag', 'klassen'];
  const vorhanden = mitEingeschlossenen(d.vorbesitz?.klassen ?? []);

  for (const k of d.antrag.klassen) {
    if (vorhanden.has(k)) {
      out.push({
        path: klassenPfad,
        message: `Klasse ${k} ist bereits vorhanden (bisherige Fahrerlaubnis).`,
      });
      continue;
    }
    for (const v of fehlendeVoraussetzungen(k, vorhanden, d.antrag.klassen, r)) {
      out.push({
        path: klassenPfad,
        message: `Klasse ${k} setzt die Klasse ${v} voraus (${voraussetzungGrundlage(k)}); ${v} ist weder vorhanden noch mit beantragt.`,
      });
    }
    const m = mindestalter(k, umstaende(d, opts.land), r);
    const frueh = antragFruehestens(m, r);
    if (on < frueh) {
      out.push({
        path: klassenPfad,
        message: `Klasse ${k}: Mindestalter ${m.jahre} Jahre (${m.grundlage}) erst am ${formatGermanDate(m.ab)}; der Antrag ist frühestens ${r.antragVorlaufMonate} Monate vorher möglich (ab ${formatGermanDate(frueh)}).`,
      });
    }
  }

  const alter = ageOn(d.bewerber.geburtsdatum, on);
  const personen = d.begleitpersonen ?? [];
  if (d.antrag.begleitetesFahren) {
    const pfad = ['antrag', 'begleitetesFahren'];
    if (!d.antrag.klassen.some((k) => k === 'B' || k === 'BE'))
      out.push({ path: pfad, message: 'Begleitetes Fahren ab 17 gibt es nur für die Klassen B und BE.' });
    if (alter >= r.mindestalter.B)
      out.push({
        path: pfad,
        message: `Begleitetes Fahren ab 17 ist nur vor dem ${r.mindestalter.B}. Geburtstag möglich; bitte ohne BF17 beantragen.`,
      });
    if (personen.length === 0)
      out.push({
        path: ['begleitpersonen'],
        message: 'Begleitpersonen: mindestens eine namentlich benannte Person angeben (§ 48a Abs. 2 FeV).',
      });
    const b = r.begleitung;
    personen.forEach((p, i) => {
      const name = `${p.vornamen} ${p.familienname}`;
      if (ageOn(p.geburtsdatum, on) < b.mindestalter)
        out.push({
          path: ['begleitpersonen', i, 'geburtsdatum'],
          message: `Begleitperson ${name}: muss mindestens ${b.mindestalter} Jahre alt sein (§ 48a Abs. 5 FeV).`,
        });
      if (p.klasseBSeit > on || p.klasseBSeit < dateOfAge(p.geburtsdatum, 16))
        out.push({
          path: ['begleitpersonen', i, 'klasseBSeit'],
          message: `Begleitperson ${name}: Erteilungsdatum der Klasse B ist nicht möglich (nach dem 16. Geburtstag, nicht in der Zukunft).`,
        });
      else if (p.klasseBSeit > addYears(on, -b.klasseBJahre))
        out.push({
          path: ['begleitpersonen', i, 'klasseBSeit'],
          message: `Begleitperson ${name}: muss die Klasse B seit mindestens ${b.klasseBJahre} Jahren besitzen (§ 48a Abs. 5 FeV).`,
        });
      if (p.punkte > b.hoechstPunkte)
        out.push({
          path: ['begleitpersonen', i, 'punkte'],
          message: `Begleitperson ${name}: darf höchstens ${b.hoechstPunkte} Punkt im Fahreignungsregister haben (§ 48a Abs. 5 FeV).`,
        });
    });
  } else if (personen.length > 0) {
    out.push({
      path: ['begleitpersonen'],
      message: 'Begleitpersonen nur beim Begleiteten Fahren ab 17 angeben.',
    });
  }

  if (d.vorbesitz?.a2Seit) {
    if (!vorhanden.has('A2'))
      out.push({
        path: ['vorbesitz', 'a2Seit'],
        message: 'Klasse A2 erteilt am: nur angeben, wenn die Klasse A2 (oder A) vorhanden ist.',
      });
    if (d.vorbesitz.a2Seit > on || d.vorbesitz.a2Seit <= d.bewerber.geburtsdatum)
      out.push({
        path: ['vorbesitz', 'a2Seit'],
        message: 'Klasse A2 erteilt am: liegt nach dem Antragsdatum oder vor der Geburt.',
      });
  }
  return out;
}

/** What the server stores with the application: the minimum age per class and the restrictions. */
export function bewerteErsterteilung(
  d: ErsterteilungForm,
  land: string | null,
  r: FahrerlaubnisRegeln = STANDARD_REGELN,
): Pruefung {
  const klassen = d.antrag.klassen.map((k) => mindestalter(k, umstaende(d, land), r));
  const auflagen: Pruefung['auflagen'] = [];
  for (const m of klassen) {
    if (m.auflage && m.auflageBis && !auflagen.some((a) => a.text === m.auflage))
      auflagen.push({ text: m.auflage, bis: m.auflageBis });
  }
  if (d.antrag.begleitetesFahren) {
    const bis = dateOfAge(d.bewerber.geburtsdatum, r.mindestalter.B);
    auflagen.push({
      text: `Klassen B/BE: bis zum ${r.mindestalter.B}. Geburtstag (${formatGermanDate(bis)}) nur in Begleitung einer der unten genannten Begleitpersonen und nur im Inland (§ 48a Abs. 2 FeV).`,
      bis,
    });
  }
  return { stichtag: d.antrag.antragsdatum, land, klassen, auflagen };
}

/** Ersterteilung if no licence is held yet, else Erweiterung. */
export function ersterteilungGebuehrCodes(d: ErsterteilungForm): GebuehrCode[] {
  return (d.vorbesitz?.klassen?.length ?? 0) > 0 ? ['FE_ERWEITERUNG'] : ['FE_ERSTERTEILUNG'];
}

/** The class a practical test was the last for: its minimum-age day bounds the test date. */
export function spaetesterMindestaltertag(p: Pruefung): IsoDate | null {
  const mitPraxis = p.klassen.filter((m) => m.klasse !== 'L');
  if (mitPraxis.length === 0) return null;
  return (
    mitPraxis
      .map((m) => m.ab)
      .sort()
      .at(-1) ?? null
  );
}

export const ERSTERTEILUNG_CSV_COLUMNS = [
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
  'klassen',
  'vorhandene_klassen',
  'bisherige_fuehrerscheinnummer',
  'begleitetes_fahren',
  'begleitpersonen',
  'berufsausbildung',
  'fahrschule',
  'auflagen',
  'pruefung_bestanden_am',
  'nachweis_art',
  'nachweis_ausgestellt_am',
  'nachweis_gueltig_bis',
  'fuehrerscheinnummer',
  'gebuehr_cent',
  'beleg_nr',
  'bezahlt_am',
  'vorgangs_id',
] as const;

export function createErsterteilung(opts: {
  today: () => IsoDate;
  regeln?: FahrerlaubnisRegeln;
  gebuehrenTabelle?: GebuehrenTabelle;
}): ProcedureDefinition {
  const regeln = opts.regeln ?? STANDARD_REGELN;
  const tabelle = opts.gebuehrenTabelle ?? STANDARD_GEBUEHREN;
  const schema = ersterteilungSchema(opts.today, regeln);
  const nachweisPayload = z
    .object({
      ausgestelltAm,
      pruefungBestandenAm: isoDate({
        title: 'Praktische Prüfung bestanden am',
        description: 'Bei mehreren Prüfungen: die letzte',
      }),
      fuehrerscheinnummer: neueNummer,
    })
    .strict()
    .superRefine((p, ctx) => {
      if (p.pruefungBestandenAm > p.ausgestelltAm)
        ctx.addIssue({
          code: 'custom',
          path: ['pruefungBestandenAm'],
          message: 'Praktische Prüfung bestanden am: liegt nach dem Ausstellungsdatum.',
        });
    }, NUR_WENN_GUELTIG);
  return defineProcedure({
    id: ERSTERTEILUNG_ID,
    version: 1,
    office: OFFICE,
    title: 'Ersterteilung / Erweiterung der Fahrerlaubnis',
    description:
      'Antrag auf Erteilung oder Erweiterung einer Fahrerlaubnis (§§ 21, 22 FeV) mit Prüfung von Mindestalter (§ 10), Vorbesitz (§ 9) und Begleitetem Fahren ab 17 (§ 48a); nach bestandener Prüfung vorläufiger Nachweis, weil die Karte im Notbetrieb nicht bestellt werden kann.',
    aktenzeichenCode: 'FE',
    form: {
      schema,
      sections: [
        { id: 'person', title: 'Bewerberin / Bewerber' },
        { id: 'antrag', title: 'Antrag' },
        { id: 'vorbesitz', title: 'Vorhandene Fahrerlaubnis', description: 'Nur bei einer Erweiterung' },
        {
          id: 'begleitung',
          title: 'Begleitpersonen (BF17)',
          description: 'Mindestens 30 Jahre, Klasse B seit mindestens 5 Jahren, höchstens 1 Punkt',
        },
      ],
    },
    states: KARTEN_STATES,
    create: { id: 'beantragen', label: 'Antrag erfassen', to: 'beantragt', roles: ['sachbearbeitung'] },
    actions: kartenAktionen<ErsterteilungDaten>({
      schema,
      nachweisPayload,
      nachweisBeschreibung:
        'Nach bestandener Prüfung: die Fahrerlaubnis wird mit dem vorläufigen Nachweis (bei BF17 der Prüfungsbescheinigung) erteilt, frühestens ab dem Tag des Mindestalters.',
      ohneNachweis: false,
    }) as never,
    fees: (d, on) => gebuehren(ersterteilungGebuehrCodes(d), on, null, tabelle),
    documents: [{ ...NACHWEIS_DOKUMENT, availableIn: ['nachweis_ausgestellt'] }],
    handover: [
      {
        id: 'csv',
        title: 'CSV zur Nacherfassung im Fahrerlaubnisregister (Kartenbestellung)',
        kind: 'csv',
        describe: ERSTERTEILUNG_CSV_COLUMNS.join(';'),
      },
    ],
    searchText: (d) => [
      d.bewerber.familienname,
      d.bewerber.vornamen,
      d.bewerber.geburtsname,
      (d as ErsterteilungDaten).nachweis?.fuehrerscheinnummer,
      d.vorbesitz?.fuehrerscheinnummer,
    ],
    summary: (d) =>
      `${nameOf(d.bewerber)} – Fahrerlaubnis ${d.antrag.klassen.join(', ')}${d.antrag.begleitetesFahren ? ' (BF17)' : ''}`,
  }) as unknown as ProcedureDefinition;
}
