import { mrzCheckDigit } from '../../core/icao9303.js';

/**
 * Checks the machine-readable zone of an ID document (ICAO Doc 9303): TD1 (ID cards, 3 lines of
 * 30 characters, Part 5 §4.2) and TD3 (passports, 2 lines of 44, Part 4 §4.2), including the
 * composite check digit. Returns German messages for each wrong digit.
 */
export interface MrzCheck {
  ok: boolean;
  format: 'TD1' | 'TD3' | null;
  errors: string[];
  documentNumber?: string;
}

const VALID = /^[A-Z0-9<]+$/;

function digit(field: string, check: string, label: string, errors: string[]): void {
  if (!/^[0-9<]$/.test(check)) {
    errors.push(`${label}: Prüfziffer fehlt.`);
    return;
  }
  const expected = mrzCheckDigit(field);
  // A '<' check digit is allowed only for an empty field.
  const actual = check === '<' ? (field.replace(/</g, '') === '' ? 0 : -1) : Number(check);
  if (actual !== expected) errors.push(`${label}: Prüfziffer stimmt nicht.`);
}

export function checkMrz(lines: string[]): MrzCheck {
  const l = lines.map((s) => s.trim().toUpperCase());
  const errors: string[] = [];
  if (!l.every((s) => VALID.test(s))) {
    return { ok: false, format: null, errors: ['Die MRZ enthält Zeichen außer A–Z, 0–9 und <.'] };
  }
  if (l.length === 3 && l.every((s) => s.length === 30)) {
    const [a, b] = l as [string, string, string];
    digit(a.slice(5, 14), a[14] as string, 'Dokumentennummer', errors);
    digit(b.slice(0, 6), b[6] as string, 'Geburtsdatum', errors);
    digit(b.slice(8, 14), b[14] as string, 'Ablaufdatum', errors);
    const composite = a.slice(5, 30) + b.slice(0, 7) + b.slice(8, 15) + b.slice(18, 29);
    digit(composite, b[29] as string, 'Gesamtprüfziffer', errors);
    return {
      ok: errors.length === 0,
      format: 'TD1',
      errors,
      documentNumber: a.slice(5, 14).replace(/<+$/, ''),
    };
  }
  if (l.length === 2 && l.every((s) => s.length === 44)) {
    const b = l[1] as string;
    digit(b.slice(0, 9), b[9] as string, 'Dokumentennummer', errors);
    digit(b.slice(13, 19), b[19] as string, 'Geburtsdatum', errors);
    digit(b.slice(21, 27), b[27] as string, 'Ablaufdatum', errors);
    digit(b.slice(28, 42), b[42] as string, 'Persönliche Nummer', errors);
    const composite = b.slice(0, 10) + b.slice(13, 20) + b.slice(21, 43);
    digit(composite, b[43] as string, 'Gesamtprüfziffer', errors);
    return {
      ok: errors.length === 0,
      format: 'TD3',
      errors,
      documentNumber: b.slice(0, 9).replace(/<+$/, ''),
    };
  }
  return {
    ok: false,
    format: null,
    errors: [
      'Die MRZ hat drei Zeilen zu 30 Zeichen (Personalausweis) oder zwei Zeilen zu 44 Zeichen (Reisepass).',
    ],
  };
}
