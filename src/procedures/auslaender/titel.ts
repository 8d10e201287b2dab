import { z } from 'zod';

/**
 * The catalogue of residence titles (Aufenthaltstitel) the Ausländerbehörde issues and extends,
 * with paragraph, purpose and whether work is allowed by law (§ 4a Abs. 1 AufenthG: a title allows
 * employment unless a law forbids or restricts it; every title must state it, § 4a Abs. 3).
 * Defaults from FACTS.md §8 ("common titles"). The employment flags are our reading of the
 * AufenthG paragraphs named in `quelle`, not confirmed in FACTS.md: they are configuration
 * (env NOTBETRIEB_AUFENTHALTSTITEL_JSON, docs/AUSLAENDER.md). Browser-safe.
 */

export const ERWERBSTAETIGKEIT = ['erlaubt', 'beschraenkt', 'nicht_erlaubt'] as const;
export type Erwerbstaetigkeit = (typeof ERWERBSTAETIGKEIT)[number];

export interface TitelArt {
  /** Stable id, e.g. `p18b`. */
  id: string;
  /** The legal basis, e.g. "§ 18b AufenthG". */
  paragraph: string;
  /** The purpose of stay, e.g. "Fachkräfte mit akademischer Ausbildung". */
  zweck: string;
  /** The kind of title (Aufenthaltserlaubnis, Blaue Karte EU, Niederlassungserlaubnis …). */
  bezeichnung: string;
  /** Work allowed by law with this title. */
  erwerbstaetigkeit: Erwerbstaetigkeit;
  /** The line on employment the documents print (D3: "Erwerbstätigkeit …"). */
  beschaeftigungsvermerk: string;
  /** Where the employment rule comes from. */
  quelle: string;
}

export const DEFAULT_TITELKATALOG: readonly TitelArt[] = [
  {
    id: 'p16b',
    paragraph: '§ 16b AufenthG',
    zweck: 'Studium',
    bezeichnung: 'Aufenthaltserlaubnis',
    erwerbstaetigkeit: 'beschraenkt',
    beschaeftigungsvermerk:
      'Beschäftigung bis zu 140 Tage oder 280 halbe Tage im Jahr sowie studentische Nebentätigkeit erlaubt.',
    quelle: '§ 16b Abs. 3 AufenthG',
  },
  {
    id: 'p18a',
    paragraph: '§ 18a AufenthG',
    zweck: 'Fachkräfte mit Berufsausbildung',
    bezeichnung: 'Aufenthaltserlaubnis',
    erwerbstaetigkeit: 'erlaubt',
    beschaeftigungsvermerk: 'Erwerbstätigkeit erlaubt.',
    quelle: '§ 4a Abs. 1, § 18a AufenthG',
  },
  {
    id: 'p18b',
    paragraph: '§ 18b AufenthG',
    zweck: 'Fachkräfte mit akademischer Ausbildung',
    bezeichnung: 'Aufenthaltserlaubnis',
    erwerbstaetigkeit: 'erlaubt',
    beschaeftigungsvermerk: 'Erwerbstätigkeit erlaubt.',
    quelle: '§ 4a Abs. 1, § 18b AufenthG',
  },
  {
    id: 'p18g',
    paragraph: '§ 18g AufenthG',
    zweck: 'Blaue Karte EU',
    bezeichnung: 'Blaue Karte EU',
    erwerbstaetigkeit: 'erlaubt',
    beschaeftigungsvermerk: 'Erwerbstätigkeit erlaubt.',
    quelle: '§ 4a Abs. 1, § 18g AufenthG',
  },
  {
    id: 'p24',
    paragraph: '§ 24 AufenthG',
    zweck: 'Vorübergehender Schutz (z. B. Ukraine)',
    bezeichnung: 'Aufenthaltserlaubnis',
    erwerbstaetigkeit: 'erlaubt',
    beschaeftigungsvermerk: 'Erwerbstätigkeit erlaubt.',
    quelle: '§ 24 Abs. 6 AufenthG',
  },
  {
    id: 'p25_1',
    paragraph: '§ 25 Abs. 1 AufenthG',
    zweck: 'Asylberechtigte',
    bezeichnung: 'Aufenthaltserlaubnis',
    erwerbstaetigkeit: 'erlaubt',
    beschaeftigungsvermerk: 'Erwerbstätigkeit erlaubt.',
    quelle: '§ 25 Abs. 1 S. 4 AufenthG',
  },
  {
    id: 'p25_2',
    paragraph: '§ 25 Abs. 2 AufenthG',
    zweck: 'Flüchtlingseigenschaft / subsidiärer Schutz',
    bezeichnung: 'Aufenthaltserlaubnis',
    erwerbstaetigkeit: 'erlaubt',
    beschaeftigungsvermerk: 'Erwerbstätigkeit erlaubt.',
    quelle: '§ 25 Abs. 2 S. 2 i. V. m. Abs. 1 S. 4 AufenthG',
  },
  {
    id: 'p28',
    paragraph: '§ 28 AufenthG',
    zweck: 'Familiennachzug zu Deutschen',
    bezeichnung: 'Aufenthaltserlaubnis',
    erwerbstaetigkeit: 'erlaubt',
    beschaeftigungsvermerk: 'Erwerbstätigkeit erlaubt.',
    quelle: '§ 4a Abs. 1, § 27 Abs. 5 AufenthG',
  },
  {
    id: 'p30',
    paragraph: '§ 30 AufenthG',
    zweck: 'Ehegattennachzug',
    bezeichnung: 'Aufenthaltserlaubnis',
    erwerbstaetigkeit: 'erlaubt',
    beschaeftigungsvermerk: 'Erwerbstätigkeit erlaubt.',
    quelle: '§ 4a Abs. 1, § 27 Abs. 5 AufenthG',
  },
  {
    id: 'p32',
    paragraph: '§ 32 AufenthG',
    zweck: 'Kindernachzug',
    bezeichnung: 'Aufenthaltserlaubnis',
    erwerbstaetigkeit: 'erlaubt',
    beschaeftigungsvermerk: 'Erwerbstätigkeit erlaubt.',
    quelle: '§ 4a Abs. 1, § 27 Abs. 5 AufenthG',
  },
  {
    id: 'p9',
    paragraph: '§ 9 AufenthG',
    zweck: 'Niederlassung',
    bezeichnung: 'Niederlassungserlaubnis',
    erwerbstaetigkeit: 'erlaubt',
    beschaeftigungsvermerk: 'Erwerbstätigkeit erlaubt.',
    quelle: '§ 9 Abs. 1 S. 2 AufenthG',
  },
  {
    id: 'p9a',
    paragraph: '§ 9a AufenthG',
    zweck: 'Daueraufenthalt – EU',
    bezeichnung: 'Erlaubnis zum Daueraufenthalt – EU',
    erwerbstaetigkeit: 'erlaubt',
    beschaeftigungsvermerk: 'Erwerbstätigkeit erlaubt.',
    quelle: '§ 9a Abs. 1 S. 2 i. V. m. § 9 Abs. 1 S. 2 AufenthG',
  },
];

export const titelLabel = (t: Pick<TitelArt, 'bezeichnung' | 'paragraph' | 'zweck'>) =>
  `${t.bezeichnung} nach ${t.paragraph} (${t.zweck})`;

/** Options for the forms: id -> German label (the default catalogue; the server checks the configured one). */
export const TITEL_OPTIONEN: Record<string, string> = Object.fromEntries(
  DEFAULT_TITELKATALOG.map((t) => [t.id, titelLabel(t)]),
);

export class TitelkatalogError extends Error {}

const eintragSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9_]{1,32}$/, 'id: Kleinbuchstaben, Ziffern, _ (höchstens 32)'),
    paragraph: z.string().min(1).max(60),
    zweck: z.string().min(1).max(120),
    bezeichnung: z.string().min(1).max(80),
    erwerbstaetigkeit: z.enum(ERWERBSTAETIGKEIT),
    beschaeftigungsvermerk: z.string().min(1).max(300),
    quelle: z.string().min(1).max(200),
  })
  .strict();

/**
 * Reads catalogue entries from JSON (env NOTBETRIEB_AUFENTHALTSTITEL_JSON): an array of entries;
 * an entry with the id of a built-in one replaces it, a new id adds a title.
 */
export function parseTitelkatalog(
  json: string,
  base: readonly TitelArt[] = DEFAULT_TITELKATALOG,
): TitelArt[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new TitelkatalogError('Titelkatalog: kein gültiges JSON.');
  }
  if (!Array.isArray(raw)) throw new TitelkatalogError('Titelkatalog: eine Liste von Einträgen erwartet.');
  const out = new Map(base.map((t) => [t.id, t]));
  raw.forEach((r, i) => {
    const p = eintragSchema.safeParse(r);
    if (!p.success) {
      const first = p.error.issues[0];
      throw new TitelkatalogError(
        `Titelkatalog, Eintrag ${i + 1}: ${first?.path.join('.') || 'Eintrag'} ungültig (${first?.message ?? ''}).`,
      );
    }
    out.set(p.data.id, p.data);
  });
  return [...out.values()];
}

/** The catalogue in force: built in, extended by NOTBETRIEB_AUFENTHALTSTITEL_JSON where set. */
export function titelkatalogAusUmgebung(): TitelArt[] {
  const json = typeof process !== 'undefined' ? process.env?.NOTBETRIEB_AUFENTHALTSTITEL_JSON : undefined;
  return json ? parseTitelkatalog(json) : [...DEFAULT_TITELKATALOG];
}
