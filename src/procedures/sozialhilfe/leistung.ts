import {
  type Berechnung,
  BerechnungError,
  berechne,
  type Haushalt,
  type SozialhilfeRegeln,
} from '../../core/benefits/hilfe-zum-lebensunterhalt.js';
import { RegelbedarfError } from '../../core/benefits/regelbedarf.js';
import type { IsoDate } from '../../core/dates.js';
import { monatText, nextMonth } from '../../core/months.js';

/**
 * The pure rules of the Sozialhilfe case around the shared calculation
 * (core/benefits/hilfe-zum-lebensunterhalt.ts, `berechne`; not repeated here): which version of
 * the decision (Fassung) holds for a month, the entitlement of a month, and the payment plan with
 * the set-off of advances (Vorschuss, § 42 SGB I). Browser-safe: the case panel shows what the
 * server computes. Integer cents.
 *
 * - Bewilligung from a month: the household as applied for is the first Fassung; its calculation
 *   for the first month is stored with the decision (the lines the Bescheid shows).
 * - Änderung der Verhältnisse from a month: a new Fassung from that month; months before keep the
 *   Fassung they had (a month is always computed with the Fassung in force for it).
 * - Vorschuss (§ 42 Abs. 2 S. 1 SGB I: advances are set off against the benefit due): the sum of all
 *   advances is set off against the monthly entitlements in month order from the first month of the
 *   Bewilligung until it is used up; what a month's entitlement cannot absorb moves to the next.
 *   After an Ablehnung, or an Einstellung before the advances are used up, the rest is to be
 *   repaid (§ 42 Abs. 2 S. 2 SGB I): shown, not collected (the clerk issues the Erstattungsbescheid).
 */

export interface Fassung {
  /** First benefit month of this version of the decision. */
  abMonat: string;
  haushalt: Haushalt;
  /** The calculation of `abMonat` when the decision was taken (stored with the action). */
  berechnung: Berechnung;
  am: IsoDate;
  grund?: string;
}

export interface Vorschuss {
  betragCents: number;
  grund: string;
  am: IsoDate;
}

export interface Leistungsdaten {
  personen: Haushalt['personen'];
  unterkunft: Haushalt['unterkunft'];
  bewilligung?: { abMonat: string; bescheidAm: IsoDate; vermerk?: string };
  fassungen?: Fassung[];
  vorschuesse?: Vorschuss[];
  ablehnung?: { grund: string; am: IsoDate };
  einstellung?: { letzterMonat: string; grund: string; am: IsoDate };
}

export class LeistungError extends Error {}

/** The household as applied for (the form's persons and dwelling). */
export function haushaltAusAntrag(d: Pick<Leistungsdaten, 'personen' | 'unterkunft'>): Haushalt {
  return { personen: d.personen, unterkunft: d.unterkunft };
}

/** `berechne` with its refusals (no member, no table for the day) as LeistungError. */
export function rechne(
  haushalt: Haushalt,
  monat: string,
  ags: string,
  regeln: SozialhilfeRegeln,
): Berechnung {
  try {
    return berechne(haushalt, monat, ags, regeln);
  } catch (e) {
    if (e instanceof BerechnungError || e instanceof RegelbedarfError) throw new LeistungError(e.message);
    throw e;
  }
}

/** The Fassung in force for a month: the latest one starting on or before it. */
export function fassungFuer(d: Leistungsdaten, monat: string): Fassung | undefined {
  let f: Fassung | undefined;
  for (const x of d.fassungen ?? []) if (x.abMonat <= monat && (!f || x.abMonat >= f.abMonat)) f = x;
  return f;
}

/** The calculation of a benefit month of a decided case (refuses months outside the period). */
export function monatsberechnung(
  d: Leistungsdaten,
  monat: string,
  ags: string,
  regeln: SozialhilfeRegeln,
): Berechnung {
  if (!d.bewilligung) throw new LeistungError('Für diesen Fall liegt keine Bewilligung vor.');
  const f = fassungFuer(d, monat);
  if (!f || monat < d.bewilligung.abMonat)
    throw new LeistungError(
      `${monatText(monat)} liegt vor dem Beginn der Bewilligung (${monatText(d.bewilligung.abMonat)}).`,
    );
  if (d.einstellung && monat > d.einstellung.letzterMonat)
    throw new LeistungError(
      `${monatText(monat)} liegt nach der Einstellung (letzter Leistungsmonat ${monatText(d.einstellung.letzterMonat)}).`,
    );
  return rechne(f.haushalt, monat, ags, regeln);
}

export interface Monatszahlung {
  monat: string;
  /** Entitlement of the month (0 when it cannot be computed). */
  anspruchCents: number;
  /** Advance set off in this month (§ 42 Abs. 2 S. 1 SGB I). */
  anrechnungCents: number;
  /** What is paid for the month: entitlement − set-off. */
  zahlCents: number;
  /** Why the month cannot be computed (then nothing is paid for it yet). */
  fehler: string | null;
}

export interface Zahlplan {
  monate: Monatszahlung[];
  vorschussCents: number;
  angerechnetCents: number;
  /** Advances not yet set off. */
  offenCents: number;
  /** Advances to be repaid (Ablehnung, or Einstellung before they were used up). */
  erstattungCents: number;
}

/** The months of a case up to `bisMonat` with entitlement, set-off and payment. */
export function zahlplan(
  d: Leistungsdaten,
  bisMonat: string,
  ags: string,
  regeln: SozialhilfeRegeln,
): Zahlplan {
  const vorschussCents = (d.vorschuesse ?? []).reduce((a, v) => a + v.betragCents, 0);
  if (d.ablehnung || !d.bewilligung) {
    return {
      monate: [],
      vorschussCents,
      angerechnetCents: 0,
      offenCents: d.ablehnung ? 0 : vorschussCents,
      erstattungCents: d.ablehnung ? vorschussCents : 0,
    };
  }
  const letzter = d.einstellung?.letzterMonat;
  let rest = vorschussCents;
  const monate: Monatszahlung[] = [];
  for (let m = d.bewilligung.abMonat; m <= bisMonat && (!letzter || m <= letzter); m = nextMonth(m)) {
    try {
      const anspruchCents = monatsberechnung(d, m, ags, regeln).anspruchCents;
      const anrechnungCents = Math.min(rest, anspruchCents);
      rest -= anrechnungCents;
      monate.push({
        monat: m,
        anspruchCents,
        anrechnungCents,
        zahlCents: anspruchCents - anrechnungCents,
        fehler: null,
      });
    } catch (e) {
      if (!(e instanceof LeistungError)) throw e;
      monate.push({ monat: m, anspruchCents: 0, anrechnungCents: 0, zahlCents: 0, fehler: e.message });
    }
  }
  const beendet = letzter !== undefined && bisMonat >= letzter;
  return {
    monate,
    vorschussCents,
    angerechnetCents: vorschussCents - rest,
    offenCents: beendet ? 0 : rest,
    erstattungCents: beendet ? rest : 0,
  };
}
