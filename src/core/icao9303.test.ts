import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkGermanDocumentNumber, mrzCheckDigit } from './icao9303.js';

describe('ICAO 9303 check digits', () => {
  it('matches the specimen vectors of the German ID card', () => {
    expect(mrzCheckDigit('T22000129')).toBe(3);
    expect(mrzCheckDigit('640812')).toBe(5);
    expect(mrzCheckDigit('201031')).toBe(5);
  });

  it('computes the composite check digit of the specimen TD1 lines', () => {
    const line1 = 'IDD<<T220001293<<<<<<<<<<<<<<<';
    const line2 = '6408125<2010315D<<<<<<<<<<<<<4';
    // Composite: line 1 positions 6-30, line 2 positions 1-7, 9-15, 19-29.
    const composite = line1.slice(5, 30) + line2.slice(0, 7) + line2.slice(8, 15) + line2.slice(18, 29);
    expect(mrzCheckDigit(composite)).toBe(Number(line2[29]));
    expect(mrzCheckDigit(composite)).toBe(4);
  });

  it('accepts the specimen number with its check digit and refuses any other digit', () => {
    expect(checkGermanDocumentNumber('personalausweis', 'T220001293').ok).toBe(true);
    for (const d of '012456789') {
      const r = checkGermanDocumentNumber('personalausweis', `T22000129${d}`);
      expect(r.ok).toBe(false);
      expect(r.message).toContain('Prüfziffer');
    }
  });

  it('refuses letters that German document numbers never use', () => {
    const r = checkGermanDocumentNumber('reisepass', 'B220001293');
    expect(r.ok).toBe(false);
    expect(r.message).toContain('neun Zeichen');
  });

  it('checks temporary ID card numbers (one letter, seven digits)', () => {
    const body = 'A1234567';
    expect(
      checkGermanDocumentNumber('vorlaeufiger_personalausweis', `${body}${mrzCheckDigit(body)}`).ok,
    ).toBe(true);
    expect(checkGermanDocumentNumber('vorlaeufiger_personalausweis', 'T220001293').ok).toBe(false);
  });

  it('detects every single-digit substitution in a numeric field', () => {
    // Weights 7, 3, 1 are coprime to 10, so changing one digit always changes the check digit.
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9]{9}$/),
        fc.nat(8),
        fc.integer({ min: 1, max: 9 }),
        (body, pos, delta) => {
          const changedDigit = (Number(body[pos]) + delta) % 10;
          const changed = body.slice(0, pos) + changedDigit + body.slice(pos + 1);
          expect(mrzCheckDigit(changed)).not.toBe(mrzCheckDigit(body));
        },
      ),
    );
  });
});
