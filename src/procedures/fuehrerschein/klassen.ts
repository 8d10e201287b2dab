import { z } from 'zod';
import { formatGermanDate, type IsoDate } from '../../core/dates.js';
import { addMonths, addYears, dateOfAge, maxDate, minDate } from './datum.js';

/**
 * Driving licence classes and the rules of the Fahrerlaubnis-Verordnung (FeV) that decide whether a
 * class may be applied for and issued. Browser-safe: data and pure functions only; the rules are
 * data (FahrerlaubnisRegeln) that operations can override (FAHRERLAUBNIS_REGELN_JSON, see
 * docs/FUEHRERSCHEIN.md) where a fact is not confirmed.
 *
 * Sources:
 * - Classes included in others: FeV § 6 Abs. 3 (buzer.de/6_FeV.htm; deubner-recht.de, "In anderen
 *   Fahrerlaubnisklassen eingeschlossene Fahrerlaubnisklassen").
 * - Prerequisite classes: FeV § 9 Abs. 1 (C1, C, D1, D need B) and Abs. 2 (BE, C1E, CE, D1E, DE need
 *   the class of the towing vehicle); "oder die Voraussetzungen für deren Erteilung erfüllt hat":
 *   the prerequisite may be applied for in the same application and is then issued at the same time
 *   at the earliest (FeV § 9, text as published on gesetzklar / BGBl. I of 13 Dec 2010). FACTS.md §5
 *   lists the same core and marks the full table unconfirmed: it stays configurable.
 * - Minimum ages: FeV § 10 Abs. 1 (buzer.de/s1.htm?g=FeV&a=10; FACTS.md §5): AM 16 (NRW 15 since
 *   1 Feb 2020, valid only in Germany until 16), A1 16, A2 18, A 24 direct or 20 after two years of
 *   A2, B/BE 18 or 17 (accompanied driving § 48a, or during a professional driver training, then
 *   valid only in Germany and within the training until 18), C1/C1E 18, C/CE 21 or 18 (basic
 *   qualification BKrFQG or professional training), D1/D1E 21, D/DE 24, L and T 16.
 * - Application at the earliest six months before the minimum age, practical test at the earliest
 *   one month before it: the practice published by licence offices (Rhein-Pfalz-Kreis,
 *   Kreis Südliche Weinstraße, Landkreis Karlsruhe "mindestens 16,5 Jahre" for BF17). The FeV
 *   paragraph was not confirmed: both periods are configurable.
 * - Accompanied driving (BF17, FeV § 48a): at least one companion named; each at least 30 years
 *   old, holder of class B for at least five years, at most one point in the Fahreignungsregister
 *   (FACTS.md §5; Stadt Duisburg, Stadt Bochum). The Prüfungsbescheinigung (Anlage 8b) takes the
 *   place of the licence and of the Vorläufiger Nachweis and serves as proof in Germany until three
 *   months after the 18th birthday (§ 48a Abs. 3 Nr. 1 and 2 FeV).
 */

export const KLASSEN = [
  'AM',
  'A1',
  'A2',
  'A',
  'B',
  'BE',
  'C1',
  'C1E',
  'C',
  'CE',
  'D1',
  'D1E',
  'D',
  'DE',
  'L',
  'T',
] as const;
export type Klasse = (typeof KLASSEN)[number];

export const KLASSEN_BESCHREIBUNG: Record<Klasse, string> = {
  AM: 'Kleinkrafträder und Leichtkraftfahrzeuge bis 45 km/h',
  A1: 'Leichtkrafträder bis 125 cm³ und 11 kW',
  A2: 'Krafträder bis 35 kW',
  A: 'Krafträder',
  B: 'Kraftfahrzeuge bis 3 500 kg',
  BE: 'Fahrzeugkombinationen der Klasse B mit Anhänger',
  C1: 'Kraftfahrzeuge von 3 500 kg bis 7 500 kg',
  C1E: 'Fahrzeugkombinationen der Klasse C1 mit Anhänger',
  C: 'Kraftfahrzeuge über 3 500 kg',
  CE: 'Fahrzeugkombinationen der Klasse C mit Anhänger',
  D1: 'Kraftomnibusse bis 16 Fahrgastplätze',
  D1E: 'Fahrzeugkombinationen der Klasse D1 mit Anhänger',
  D: 'Kraftomnibusse',
  DE: 'Fahrzeugkombinationen der Klasse D mit Anhänger',
  L: 'Zugmaschinen bis 40 km/h (Land- und Forstwirtschaft)',
  T: 'Zugmaschinen bis 60 km/h (Land- und Forstwirtschaft)',
};

export function isKlasse(v: string): v is Klasse {
  return (KLASSEN as readonly string[]).includes(v);
}

/** The classes in the order of the licence (AM … DE, L, T), each once. */
export function sortKlassen(list: Iterable<Klasse>): Klasse[] {
  const set = new Set(list);
  return KLASSEN.filter((k) => set.has(k));
}

/** Classes a class includes (FeV § 6 Abs. 3). */
export const EINGESCHLOSSEN: Record<Klasse, readonly Klasse[]> = {
  AM: [],
  A1: ['AM'],
  A2: ['A1', 'AM'],
  A: ['A2', 'A1', 'AM'],
  B: ['AM', 'L'],
  BE: [],
  C1: [],
  C1E: ['BE'],
  C: ['C1'],
  CE: ['C1E', 'BE', 'T'],
  D1: [],
  D1E: ['BE'],
  D: ['D1'],
  DE: ['D1E', 'BE'],
  L: [],
  T: ['AM', 'L'],
};

/** Inclusions that need a further class (FeV § 6 Abs. 3 Nr. 6 and 7). */
const BEDINGT_EINGESCHLOSSEN: ReadonlyArray<{ klasse: Klasse; schliesst: Klasse; wenn: Klasse }> = [
  { klasse: 'CE', schliesst: 'DE', wenn: 'D' },
  { klasse: 'C1E', schliesst: 'D1E', wenn: 'D1' },
];

/** The classes someone with these classes may drive (inclusions applied until nothing changes). */
export function mitEingeschlossenen(klassen: Iterable<Klasse>): Set<Klasse> {
  const out = new Set<Klasse>(klassen);
  let grew = true;
  while (grew) {
    grew = false;
    for (const k of [...out]) {
      for (const e of EINGESCHLOSSEN[k]) {
        if (!out.has(e)) {
          out.add(e);
          grew = true;
        }
      }
    }
    for (const b of BEDINGT_EINGESCHLOSSEN) {
      if (out.has(b.klasse) && out.has(b.wenn) && !out.has(b.schliesst)) {
        out.add(b.schliesst);
        grew = true;
      }
    }
  }
  return out;
}

/** Parses "B, BE" (commas, semicolons or spaces) into known classes; unknown parts are returned. */
export function parseKlassen(text: string): { klassen: Klasse[]; unbekannt: string[] } {
  const parts = text
    .toUpperCase()
    .split(/[\s,;/+]+/)
    .filter(Boolean);
  const klassen: Klasse[] = [];
  const unbekannt: string[] = [];
  for (const p of parts) {
    if (isKlasse(p)) klassen.push(p);
    else unbekannt.push(p);
  }
  return { klassen: sortKlassen(klassen), unbekannt };
}

// ---------------------------------------------------------------------------------------------
// The rules as data.

const klasseSchema = z.enum(KLASSEN);

const regelnSchema = z
  .object({
    /** Minimum age in years by class (FeV § 10 Abs. 1, the general rule). */
    mindestalter: z.record(klasseSchema, z.number().int().min(14).max(30)),
    /** Reduced ages: accompanied driving (B, BE) and professional driver training (B, BE, C, CE). */
    mindestalterBegleitetesFahren: z.number().int().min(16).max(18),
    mindestalterAusbildung: z.partialRecord(klasseSchema, z.number().int().min(16).max(24)),
    /** Class A after holding A2 for `a2Jahre` years (FeV § 10 Abs. 1 Nr. 4 c). */
    aStufenzugang: z.object({
      alter: z.number().int().min(18).max(24),
      a2Jahre: z.number().int().min(1).max(5),
    }),
    /** Länder with class AM from a lower age (FeV § 10 Abs. 1, Landesrecht); AGS prefix of the Land. */
    amLaender: z.array(
      z.object({
        land: z.string().regex(/^\d{2}$/),
        name: z.string().min(1).max(60),
        ab: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
        alter: z.number().int().min(14).max(16),
        /** Until this age the licence is valid only in Germany. */
        nurInlandBis: z.number().int().min(15).max(18),
      }),
    ),
    /** Prerequisite classes (FeV § 9): each listed class must be held or applied for at the same time. */
    voraussetzungen: z.partialRecord(klasseSchema, z.array(klasseSchema)),
    antragVorlaufMonate: z.number().int().min(0).max(24),
    pruefungVorlaufMonate: z.number().int().min(0).max(12),
    begleitung: z.object({
      mindestalter: z.number().int().min(18).max(99),
      klasseBJahre: z.number().int().min(0).max(20),
      hoechstPunkte: z.number().int().min(0).max(8),
      hoechstAnzahl: z.number().int().min(1).max(20),
    }),
    /** Vorläufiger Nachweis: months of validity (FeV § 22 Abs. 4; the brief: 3 months). */
    nachweisMonate: z.number().int().min(1).max(12),
    /** BF17 Prüfungsbescheinigung: valid until this many months after the 18th birthday (§ 48a Abs. 3). */
    bf17MonateNach18: z.number().int().min(0).max(12),
    /** Internationaler Führerschein: years of validity, minimum age (FeV §§ 25a, 25b). */
    internationalJahre: z.number().int().min(1).max(5),
    internationalMindestalter: z.number().int().min(16).max(21),
  })
  .strict();

export type FahrerlaubnisRegeln = z.output<typeof regelnSchema>;

export const STANDARD_REGELN: FahrerlaubnisRegeln = {
  mindestalter: {
    AM: 16,
    A1: 16,
    A2: 18,
    A: 24,
    B: 18,
    BE: 18,
    C1: 18,
    C1E: 18,
    C: 21,
    CE: 21,
    D1: 21,
    D1E: 21,
    D: 24,
    DE: 24,
    L: 16,
    T: 16,
  },
  mindestalterBegleitetesFahren: 17,
  mindestalterAusbildung: { B: 17, BE: 17, C: 18, CE: 18 },
  aStufenzugang: { alter: 20, a2Jahre: 2 },
  amLaender: [{ land: '05', name: 'Nordrhein-Westfalen', ab: '2020-02-01', alter: 15, nurInlandBis: 16 }],
  voraussetzungen: {
    BE: ['B'],
    C1: ['B'],
    C: ['B'],
    D1: ['B'],
    D: ['B'],
    C1E: ['C1'],
    CE: ['C'],
    D1E: ['D1'],
    DE: ['D'],
  },
  antragVorlaufMonate: 6,
  pruefungVorlaufMonate: 1,
  begleitung: { mindestalter: 30, klasseBJahre: 5, hoechstPunkte: 1, hoechstAnzahl: 10 },
  nachweisMonate: 3,
  bf17MonateNach18: 3,
  internationalJahre: 3,
  internationalMindestalter: 18,
};

export class RegelnError extends Error {}

/**
 * Rules from JSON (operations override): the given keys replace the standard's, the rest stays.
 * Anything malformed is refused with a German message naming the key.
 */
export function parseRegeln(json: string): FahrerlaubnisRegeln {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new RegelnError('Fahrerlaubnisregeln: kein gültiges JSON.');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new RegelnError('Fahrerlaubnisregeln: ein JSON-Objekt erwartet.');
  const merged = {
    ...STANDARD_REGELN,
    ...raw,
    mindestalter: {
      ...STANDARD_REGELN.mindestalter,
      ...((raw as { mindestalter?: object }).mindestalter ?? {}),
    },
  };
  const r = regelnSchema.safeParse(merged);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new RegelnError(`Fahrerlaubnisregeln: ${i?.path.join('.') || '(Wurzel)'} ungültig – ${i?.message}`);
  }
  return r.data;
}

/** The rules of this installation: FAHRERLAUBNIS_REGELN_JSON on the server, else the standard. */
export function regelnAusUmgebung(): FahrerlaubnisRegeln {
  const json = typeof process !== 'undefined' ? process.env?.FAHRERLAUBNIS_REGELN_JSON : undefined;
  return json ? parseRegeln(json) : STANDARD_REGELN;
}

// ---------------------------------------------------------------------------------------------
// Minimum age.

export interface Umstaende {
  geburtsdatum: IsoDate;
  /** Day the rules are taken from (the application date). */
  stichtag: IsoDate;
  /** AGS prefix of the Land of the licence office; null: not known here (the browser), be lenient. */
  land: string | null;
  begleitetesFahren: boolean;
  berufsausbildung: boolean;
  /** Since when class A2 is held (for class A at 20). */
  a2Seit?: IsoDate | undefined;
}

export interface Mindestalter {
  klasse: Klasse;
  /** Age that applies. */
  jahre: number;
  /** First day on which the class may be issued. */
  ab: IsoDate;
  /** Legal basis, e.g. "§ 10 Abs. 1 Nr. 5 b aa FeV (Begleitetes Fahren ab 17)". */
  grundlage: string;
  /** Restriction until a higher age is reached (shown on the document) … */
  auflage?: string;
  /** … and the day it ends (the restriction applies before this day). */
  auflageBis?: IsoDate;
}

function amRegel(u: Umstaende, r: FahrerlaubnisRegeln) {
  const candidates = r.amLaender.filter((l) => l.ab <= u.stichtag && (u.land === null || l.land === u.land));
  return candidates.sort((a, b) => a.alter - b.alter)[0];
}

/** Minimum age of a class for this applicant and the day from which it may be issued. */
export function mindestalter(
  klasse: Klasse,
  u: Umstaende,
  r: FahrerlaubnisRegeln = STANDARD_REGELN,
): Mindestalter {
  const jahre = r.mindestalter[klasse];
  const allgemein: Mindestalter = {
    klasse,
    jahre,
    ab: dateOfAge(u.geburtsdatum, jahre),
    grundlage: '§ 10 Abs. 1 FeV',
  };
  if (klasse === 'AM') {
    const land = amRegel(u, r);
    if (land && land.alter < jahre) {
      return {
        klasse,
        jahre: land.alter,
        ab: dateOfAge(u.geburtsdatum, land.alter),
        grundlage: `§ 10 Abs. 1 FeV mit Landesrecht ${land.name} (AM ab ${land.alter} seit ${formatGermanDate(land.ab)})`,
        auflage: `Klasse AM: bis zum ${land.nurInlandBis}. Geburtstag (${formatGermanDate(dateOfAge(u.geburtsdatum, land.nurInlandBis))}) nur im Inland gültig.`,
        auflageBis: dateOfAge(u.geburtsdatum, land.nurInlandBis),
      };
    }
    return allgemein;
  }
  if (klasse === 'A' && u.a2Seit) {
    const stufen = maxDate(
      dateOfAge(u.geburtsdatum, r.aStufenzugang.alter),
      addYears(u.a2Seit, r.aStufenzugang.a2Jahre),
    );
    if (stufen < allgemein.ab) {
      return {
        klasse,
        jahre: r.aStufenzugang.alter,
        ab: stufen,
        grundlage: `§ 10 Abs. 1 Nr. 4 c FeV (Vorbesitz A2 seit ${formatGermanDate(u.a2Seit)}, mindestens ${r.aStufenzugang.a2Jahre} Jahre)`,
      };
    }
    return allgemein;
  }
  if ((klasse === 'B' || klasse === 'BE') && u.begleitetesFahren && r.mindestalterBegleitetesFahren < jahre) {
    return {
      klasse,
      jahre: r.mindestalterBegleitetesFahren,
      ab: dateOfAge(u.geburtsdatum, r.mindestalterBegleitetesFahren),
      grundlage: '§ 10 Abs. 1 Nr. 5 b aa FeV (Begleitetes Fahren ab 17, § 48a FeV)',
    };
  }
  const ausbildung = r.mindestalterAusbildung[klasse];
  if (u.berufsausbildung && ausbildung !== undefined && ausbildung < jahre) {
    const under = dateOfAge(u.geburtsdatum, jahre);
    return {
      klasse,
      jahre: ausbildung,
      ab: dateOfAge(u.geburtsdatum, ausbildung),
      grundlage: `§ 10 Abs. 1 FeV (Berufsausbildung / Grundqualifikation, Mindestalter ${ausbildung} statt ${jahre} Jahre)`,
      ...(klasse === 'B' || klasse === 'BE'
        ? {
            auflage: `Klasse ${klasse}: bis zum ${jahre}. Geburtstag (${formatGermanDate(under)}) nur im Inland und nur im Rahmen des Ausbildungsverhältnisses.`,
            auflageBis: under,
          }
        : {}),
    };
  }
  return allgemein;
}

/** First day on which an application for a class may be made (minimum age minus the lead time). */
export function antragFruehestens(m: Mindestalter, r: FahrerlaubnisRegeln = STANDARD_REGELN): IsoDate {
  return addMonths(m.ab, -r.antragVorlaufMonate);
}

/** Prerequisite classes missing for `klasse` given what is held and what is applied for. */
export function fehlendeVoraussetzungen(
  klasse: Klasse,
  vorhanden: Set<Klasse>,
  beantragt: readonly Klasse[],
  r: FahrerlaubnisRegeln = STANDARD_REGELN,
): Klasse[] {
  const zusammen = mitEingeschlossenen([...vorhanden, ...beantragt]);
  return (r.voraussetzungen[klasse] ?? []).filter((v) => !zusammen.has(v));
}

/** Paragraph of FeV § 9 a prerequisite follows from. */
export function voraussetzungGrundlage(klasse: Klasse): string {
  return klasse.endsWith('E') ? '§ 9 Abs. 2 FeV' : '§ 9 Abs. 1 FeV';
}

export { maxDate, minDate };
