/**
 * Führerscheinnummer (field 5 of the licence): 11 characters = 4-character authority code (the
 * first character a letter for the Land) + 5-character serial in base 36 + check digit + issue
 * number (Ausfertigungsnummer). Check digit: weights 9, 8, … 1 over the first nine characters,
 * digits as their value and A = 10 … Z = 35, sum modulo 11; remainder 10 is written "X"
 * (FACTS.md §5; specimen B072RRE2I55 has check digit 5). Browser-safe.
 *
 * Weighted modulo 11 with weights below 11 catches every single wrong digit (0–9) and every swap of
 * two neighbouring different digits. It does not catch every letter typo: two characters whose
 * values differ by 11 (e.g. "0" and "B") give the same check digit.
 */

const VALUE = (ch: string): number => {
  const c = ch.charCodeAt(0);
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 90) return c - 55;
  return Number.NaN;
};

/** Check digit of the first nine characters ("0"–"9" or "X"). */
export function fuehrerscheinPruefziffer(first9: string): string {
  const s = first9.toUpperCase();
  if (!/^[0-9A-Z]{9}$/.test(s)) throw new RangeError('neun Zeichen 0-9/A-Z erwartet');
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += VALUE(s[i] as string) * (9 - i);
  const r = sum % 11;
  return r === 10 ? 'X' : String(r);
}

/** Removes spaces and hyphens a clerk may type, upper case. */
export function normalisiereFuehrerscheinnummer(value: string): string {
  return value.replace(/[\s-]+/g, '').toUpperCase();
}

export interface NummerPruefung {
  ok: boolean;
  message?: string;
}

/** Checks form and check digit; the message says what is wrong (never the expected digit). */
export function pruefeFuehrerscheinnummer(value: string, title = 'Führerscheinnummer'): NummerPruefung {
  const s = normalisiereFuehrerscheinnummer(value);
  if (s.length !== 11) return { ok: false, message: `${title}: hat 11 Zeichen (z. B. B072RRE2I55).` };
  if (!/^[0-9A-Z]+$/.test(s))
    return { ok: false, message: `${title}: nur Ziffern und Großbuchstaben ohne Umlaute.` };
  if (!/^[A-Z]/.test(s))
    return { ok: false, message: `${title}: beginnt mit dem Buchstaben des Landes (Behördenkennung).` };
  if (!/^[0-9X]$/.test(s[9] as string))
    return { ok: false, message: `${title}: das 10. Zeichen ist die Prüfziffer (0–9 oder X).` };
  if (fuehrerscheinPruefziffer(s.slice(0, 9)) !== s[9])
    return {
      ok: false,
      message: `${title}: Prüfziffer stimmt nicht – bitte die Nummer noch einmal vom Dokument abschreiben.`,
    };
  return { ok: true };
}
