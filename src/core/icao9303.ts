/**
 * Check digits of machine-readable travel documents, ICAO Doc 9303 Part 3 §4.9:
 * weights 7, 3, 1 repeating; digits count as their value, A=10 … Z=35, the filler `<` as 0;
 * the check digit is the weighted sum modulo 10. Test vectors are the specimen values in
 * FACTS.md §3.
 */
const WEIGHTS = [7, 3, 1] as const;

export function charValue(ch: string): number {
  if (ch >= '0' && ch <= '9') return ch.charCodeAt(0) - 48;
  if (ch >= 'A' && ch <= 'Z') return ch.charCodeAt(0) - 55;
  if (ch === '<') return 0;
  throw new RangeError(`Zeichen "${ch}" ist in der maschinenlesbaren Zone nicht erlaubt`);
}

export function mrzCheckDigit(field: string): number {
  let sum = 0;
  for (let i = 0; i < field.length; i++) {
    sum += charValue(field[i] as string) * (WEIGHTS[i % 3] as number);
  }
  return sum % 10;
}

/** Characters of German ID/passport serial numbers: digits and consonants without B, D, Q, S. */
export const GERMAN_DOCUMENT_CHARS = '0123456789CFGHJKLMNPRTVWXYZ';

/**
 * A German Personalausweis or Reisepass number: 9 characters from GERMAN_DOCUMENT_CHARS
 * (4-character authority code + 5-character serial), followed by its check digit.
 * A temporary ID card number (1 letter + 7 digits) has its check digit appended too.
 */
export type GermanDocumentKind =
  | 'personalausweis'
  | 'reisepass'
  | 'vorlaeufiger_personalausweis'
  | 'vorlaeufiger_reisepass';

export interface DocumentNumberCheck {
  ok: boolean;
  /** German message when not ok. */
  message?: string;
}

const REGULAR = /^[0-9CFGHJKLMNPRTVWXYZ]{9}$/;
const TEMPORARY_ID = /^[A-Z][0-9]{7}$/;

/**
 * Validates a document number as printed (with its trailing check digit, e.g. `T220001293`).
 * Temporary passports carry regular-format numbers.
 */
export function checkGermanDocumentNumber(
  kind: GermanDocumentKind,
  withCheckDigit: string,
): DocumentNumberCheck {
  const value = withCheckDigit.trim().toUpperCase();
  const body = value.slice(0, -1);
  const digit = value.slice(-1);
  const pattern = kind === 'vorlaeufiger_personalausweis' ? TEMPORARY_ID : REGULAR;
  if (!pattern.test(body) || !/^[0-9]$/.test(digit)) {
    return {
      ok: false,
      message:
        kind === 'vorlaeufiger_personalausweis'
          ? 'Die Nummer eines vorläufigen Personalausweises besteht aus einem Buchstaben, sieben Ziffern und der Prüfziffer.'
          : 'Die Dokumentennummer besteht aus neun Zeichen (Ziffern und die Buchstaben C F G H J K L M N P R T V W X Y Z) und der Prüfziffer.',
    };
  }
  if (mrzCheckDigit(body) !== Number(digit)) {
    return {
      ok: false,
      message: 'Die Prüfziffer der Dokumentennummer stimmt nicht. Bitte die Nummer genau abschreiben.',
    };
  }
  return { ok: true };
}
