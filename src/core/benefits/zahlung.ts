import { isValidIBAN } from 'ibantools';
import { z } from 'zod';
import { PAYMENT_METHOD_LABELS, PAYMENT_METHODS } from '../payments/source.js';
import { choice, plz, text } from '../schema-helpers.js';

/**
 * The payment part of a benefit case (Sozialhilfe, AsylbLG): the postal address of the household
 * and how the benefits are paid (SEPA transfer to an account, or cash at the office's counter).
 * The payment runs need the address for SEPA transfers (docs/PAYMENTS.md); the lengths are those
 * a pain.001 takes (Nm 70, StrtNm 70, BldgNb 16, TwnNm 35).
 */

export const ZAHLUNGSWEGE = PAYMENT_METHODS;

export const anschriftSchema = z
  .object({
    strasse: text({ title: 'Straße', section: 'zahlung' }, { max: 70 }),
    hausnummer: text({ title: 'Hausnummer', section: 'zahlung' }, { max: 16 }),
    plz: plz({ title: 'PLZ', section: 'zahlung' }),
    ort: text({ title: 'Ort', section: 'zahlung' }, { max: 35 }),
  })
  .strict();

export const zahlungSchema = z
  .object({
    weg: choice(ZAHLUNGSWEGE, { title: 'Zahlungsweg', section: 'zahlung', options: PAYMENT_METHOD_LABELS }),
    kontoinhaber: text({ title: 'Kontoinhaber/in', section: 'zahlung' }, { max: 70 }).optional(),
    iban: text({ title: 'IBAN', section: 'zahlung', widget: 'iban' }, { max: 42 })
      .transform((v) => v.replace(/\s+/g, '').toUpperCase())
      .optional(),
    bic: text({ title: 'BIC', section: 'zahlung' }, { max: 11 })
      .transform((v) => v.replace(/\s+/g, '').toUpperCase())
      .optional(),
  })
  .strict();

export type Anschrift = z.output<typeof anschriftSchema>;
export type Zahlung = z.output<typeof zahlungSchema>;

/**
 * What a transfer needs besides the form's own checks: an IBAN with a valid check digit and the
 * account holder. `issue` reports one German message at a path below `zahlung`.
 */
export function zahlungIssues(
  zahlung: Zahlung,
  issue: (path: Array<string | number>, message: string) => void,
) {
  if (zahlung.weg !== 'ueberweisung') return;
  if (!zahlung.iban) issue(['zahlung', 'iban'], 'IBAN: Für eine Überweisung bitte angeben.');
  else if (!isValidIBAN(zahlung.iban))
    issue(['zahlung', 'iban'], 'IBAN: ungültig (Prüfziffer stimmt nicht).');
  if (!zahlung.kontoinhaber)
    issue(['zahlung', 'kontoinhaber'], 'Kontoinhaber/in: Für eine Überweisung bitte angeben.');
}
