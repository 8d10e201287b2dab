import { formatGermanDate, type IsoDate } from '../../core/dates.js';

/**
 * Deadlines for exchanging licences issued before 19 January 2013 (§ 24a Abs. 2 Satz 1 FeV with
 * Anlage 8e; FACTS.md §5). Each deadline is a 19 January:
 *
 * - issued up to and including 31 Dec 1998 (paper licences), by the holder's birth year:
 *   before 1953 -> 2033; 1953–1958 -> 2022; 1959–1964 -> 2023; 1965–1970 -> 2024; 1971 or later -> 2025;
 * - issued from 1 Jan 1999 to 18 Jan 2013 (card licences), by the year of issue:
 *   1999–2001 -> 2026; 2002–2004 -> 2027; 2005–2007 -> 2028; 2008 -> 2029; 2009 -> 2030;
 *   2010 -> 2031; 2011 -> 2032; 2012 to 18 Jan 2013 -> 2033;
 * - holders born before 1953 exchange by 19 Jan 2033 whatever the year of issue (footnote of
 *   Anlage 8e, as quoted by Stadt Bielefeld, Stadt Fürth, Landkreis Mittelsachsen, Amt Gerswalde —
 *   FACTS.md lists only the paper-licence row for them).
 *
 * Licences issued from 19 Jan 2013 are valid for 15 years and fall outside Anlage 8e.
 * A licence is overdue when the day looked at lies after the deadline ("bis zu dem der
 * Führerschein umgetauscht sein muss": the 19 January itself is still in time). Browser-safe.
 */

export const ANLAGE_8E_ENDE = '2013-01-18';

const PAPIER_NACH_GEBURTSJAHR: ReadonlyArray<{ bis: number; frist: number; label: string }> = [
  { bis: 1952, frist: 2033, label: 'vor 1953' },
  { bis: 1958, frist: 2022, label: '1953 bis 1958' },
  { bis: 1964, frist: 2023, label: '1959 bis 1964' },
  { bis: 1970, frist: 2024, label: '1965 bis 1970' },
  { bis: Number.POSITIVE_INFINITY, frist: 2025, label: '1971 oder später' },
];

const KARTE_NACH_AUSSTELLUNGSJAHR: ReadonlyArray<{ bis: number; frist: number; label: string }> = [
  { bis: 2001, frist: 2026, label: '1999 bis 2001' },
  { bis: 2004, frist: 2027, label: '2002 bis 2004' },
  { bis: 2007, frist: 2028, label: '2005 bis 2007' },
  { bis: 2008, frist: 2029, label: '2008' },
  { bis: 2009, frist: 2030, label: '2009' },
  { bis: 2010, frist: 2031, label: '2010' },
  { bis: 2011, frist: 2032, label: '2011' },
  { bis: 2013, frist: 2033, label: '2012 bis 18.01.2013' },
];

export type Umtauschfrist =
  | {
      pflicht: true;
      /** The 19 January by which the licence must have been exchanged. */
      frist: IsoDate;
      /** Which row of Anlage 8e applies, in German. */
      grundlage: string;
      dokument: 'papier' | 'karte';
    }
  | { pflicht: false; grund: string };

const frist = (year: number) => `${year}-01-19`;

/** The exchange deadline of a licence issued on `ausgestelltAm` to someone born on `geburtsdatum`. */
export function umtauschfrist(geburtsdatum: IsoDate, ausgestelltAm: IsoDate): Umtauschfrist {
  if (ausgestelltAm > ANLAGE_8E_ENDE) {
    return {
      pflicht: false,
      grund:
        'Ab dem 19.01.2013 ausgestellte Führerscheine sind 15 Jahre gültig und fallen nicht unter den Pflichtumtausch nach Anlage 8e FeV.',
    };
  }
  const geburtsjahr = Number(geburtsdatum.slice(0, 4));
  if (ausgestelltAm <= '1998-12-31') {
    const row = PAPIER_NACH_GEBURTSJAHR.find((r) => geburtsjahr <= r.bis);
    // The last row is unbounded: always found.
    const r = row ?? (PAPIER_NACH_GEBURTSJAHR.at(-1) as (typeof PAPIER_NACH_GEBURTSJAHR)[number]);
    return {
      pflicht: true,
      frist: frist(r.frist),
      grundlage: `Anlage 8e FeV: bis 31.12.1998 ausgestellt, Geburtsjahr ${r.label}`,
      dokument: 'papier',
    };
  }
  if (geburtsjahr < 1953) {
    return {
      pflicht: true,
      frist: frist(2033),
      grundlage: 'Anlage 8e FeV: Geburtsjahr vor 1953, unabhängig vom Ausstellungsjahr',
      dokument: 'karte',
    };
  }
  const year = Number(ausgestelltAm.slice(0, 4));
  const r = KARTE_NACH_AUSSTELLUNGSJAHR.find((x) => year <= x.bis);
  if (!r) throw new RangeError(`Ausstellungsjahr ${year} außerhalb von Anlage 8e`);
  return {
    pflicht: true,
    frist: frist(r.frist),
    grundlage: `Anlage 8e FeV: ab 01.01.1999 ausgestellt, Ausstellungsjahr ${r.label}`,
    dokument: 'karte',
  };
}

export interface Fristbewertung {
  frist: IsoDate;
  grundlage: string;
  dokument: 'papier' | 'karte';
  /** Day the deadline was looked at (the application date). */
  stichtag: IsoDate;
  ueberfaellig: boolean;
}

export function bewerteUmtauschfrist(
  geburtsdatum: IsoDate,
  ausgestelltAm: IsoDate,
  stichtag: IsoDate,
): Fristbewertung | null {
  const f = umtauschfrist(geburtsdatum, ausgestelltAm);
  if (!f.pflicht) return null;
  return {
    frist: f.frist,
    grundlage: f.grundlage,
    dokument: f.dokument,
    stichtag,
    ueberfaellig: stichtag > f.frist,
  };
}

/** "überfällig seit dem 20.01.2025" / "Frist bis 19.01.2033 – noch nicht überfällig". */
export function fristText(f: { frist: IsoDate; ueberfaellig: boolean }): string {
  return f.ueberfaellig
    ? `Umtauschfrist abgelaufen am ${formatGermanDate(f.frist)} – überfällig`
    : `Umtausch bis ${formatGermanDate(f.frist)} – noch nicht überfällig`;
}
