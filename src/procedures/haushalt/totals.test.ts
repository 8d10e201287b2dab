import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { beispielHaushalt } from './fixtures.js';
import { centsToDecimal, eurosToCents, formatEuro, parseGermanAmount } from './geld.js';
import { BETRAG_SPALTEN, ERGEBNISPLAN, FINANZPLAN, type HaushaltsZeile } from './katalog.js';
import { ergebnisplan, finanzplan, rowOf, teilplanSummen } from './totals.js';

/**
 * The totals of the sample budget (fixtures.ts), computed by hand with the rules of § 2 Abs. 2
 * KomHVO NRW and § 3 Abs. 2. Plan year 2027 ("Ansatz 2027"):
 *   ordentliche Erträge   = 5.400.000 (1) + 1.800.000 + 2.100.000 (2) + 12.000 + 150.000 (4) − 5.000 (9)
 *                         = 9.457.000,00
 *   ordentliche Aufwend.  = 250.000 + 420.000 (10) + 80.000 (12) + 2.600.000 + 3.900.000 (14) = 7.250.000,00
 *   ordentliches Ergebnis = 2.207.000,00;  Finanzergebnis = 25.000 − 310.000 = −285.000,00
 *   Ergebnis lfd. Verw.   = 1.922.000,00;  außerordentliches Ergebnis = 50.000 − 20.000 = 30.000,00
 *   Jahresergebnis        = 1.952.000,00
 *   Finanzplan: laufend 5.300.000 − 3.900.000 = 1.400.000,00; Investition 600.000 − (900.000 + 35.000)
 *   = −335.000,00; Finanzmittelüberschuss 1.065.000,00; Finanzierung 400.000 − 250.000 = 150.000,00;
 *   Änderung des Finanzmittelbestands 1.215.000,00.
 * Result 2025 ("Ergebnis 2025"):
 *   ordentliche Erträge 5.050.000 + 1.700.000 + 1.950.000 + 11.234,56 + 138.765,43 + 1.200 = 8.851.199,99
 *   ordentliche Aufwendungen 230.500,50 + 395.000 + 70.123,45 + 2.450.000 + 3.700.000 = 6.845.623,95
 *   ordentliches Ergebnis 2.005.576,04; Finanzergebnis 18.500 − 290.000 = −271.500,00;
 *   Ergebnis lfd. Verw. 1.734.076,04; außerordentlich 40.000 − 10.000 = 30.000; Jahresergebnis 1.764.076,04
 *   Finanzplan: laufend 5.000.000 − 3.700.000 = 1.300.000; Investition 100.000 − 141.456,78 = −41.456,78;
 *   Finanzmittelüberschuss 1.258.543,22; Finanzierung 0 − 230.000; Änderung 1.028.543,22.
 */
const c = (s: string) => parseGermanAmount(s) as number;

describe('Kämmerei: totals of the hand-checked sample budget', () => {
  const zeilen = beispielHaushalt();
  const e = ergebnisplan(zeilen);
  const f = finanzplan(zeilen);

  it('computes the results of the Gesamtergebnisplan for the plan year and the result column', () => {
    const expected: Record<string, [ansatz: string, ergebnis: string]> = {
      ordentlicheErtraege: ['9.457.000,00', '8.851.199,99'],
      ordentlicheAufwendungen: ['7.250.000,00', '6.845.623,95'],
      ordentlichesErgebnis: ['2.207.000,00', '2.005.576,04'],
      finanzergebnis: ['-285.000,00', '-271.500,00'],
      ergebnisLaufendeVerwaltung: ['1.922.000,00', '1.734.076,04'],
      ausserordentlichesErgebnis: ['30.000,00', '30.000,00'],
      jahresergebnis: ['1.952.000,00', '1.764.076,04'],
    };
    for (const [id, [ansatz, ergebnis]] of Object.entries(expected)) {
      expect({ id, ansatz: rowOf(e, id).ansatz }).toEqual({ id, ansatz: c(ansatz) });
      expect({ id, ergebnis: rowOf(e, id).ergebnisVorvorjahr }).toEqual({ id, ergebnis: c(ergebnis) });
    }
    expect(formatEuro(rowOf(e, 'jahresergebnis').ansatz)).toBe('1.952.000,00\u00a0€');
  });

  it('computes the balances of the Gesamtfinanzplan', () => {
    const expected: Record<string, [ansatz: string, ergebnis: string]> = {
      saldoLaufend: ['1.400.000,00', '1.300.000,00'],
      saldoInvestition: ['-335.000,00', '-41.456,78'],
      finanzmittelSaldo: ['1.065.000,00', '1.258.543,22'],
      saldoFinanzierung: ['150.000,00', '-230.000,00'],
      aenderungFinanzmittel: ['1.215.000,00', '1.028.543,22'],
    };
    for (const [id, [ansatz, ergebnis]] of Object.entries(expected)) {
      expect({ id, ansatz: rowOf(f, id).ansatz, ergebnis: rowOf(f, id).ergebnisVorvorjahr }).toEqual({
        id,
        ansatz: c(ansatz),
        ergebnis: c(ergebnis),
      });
    }
  });

  it('shows every position of §§ 2 and 3 once, in order, with the sums between them', () => {
    expect(e.filter((r) => r.kind === 'position').map((r) => r.nr)).toEqual(ERGEBNISPLAN.map((p) => p.nr));
    expect(f.filter((r) => r.kind === 'position').map((r) => r.nr)).toEqual(FINANZPLAN.map((p) => p.nr));
    expect(rowOf(e, 'E14').ansatz).toBe(c('6.500.000,00'));
    expect(rowOf(e, 'E9').ansatz).toBe(c('-5.000,00'));
    expect(e.at(-1)?.id).toBe('jahresergebnis');
    expect(f.at(-1)?.id).toBe('aenderungFinanzmittel');
  });

  it('sums the Teilpläne to the whole: the Jahresergebnis of each Produktbereich adds up', () => {
    const tp = teilplanSummen(zeilen);
    expect(tp.map((t) => [t.produktbereich, t.zeilen, t.produkte])).toEqual([
      ['01', 7, 2],
      ['06', 4, 1],
      ['16', 11, 1],
    ]);
    // 01: 12.000 + 150.000 − 5.000 − (250.000 + 80.000 + 420.000) = −593.000
    expect(tp[0]?.jahresergebnis.ansatz).toBe(c('-593.000,00'));
    // 06: 1.800.000 − 2.600.000 = −800.000
    expect(tp[1]?.jahresergebnis.ansatz).toBe(c('-800.000,00'));
    for (const col of BETRAG_SPALTEN) {
      expect(tp.reduce((s, t) => s + t.jahresergebnis[col], 0)).toBe(rowOf(e, 'jahresergebnis')[col]);
      expect(tp.reduce((s, t) => s + t.finanzmittelSaldo[col], 0)).toBe(
        rowOf(f, 'aenderungFinanzmittel')[col],
      );
    }
  });
});

describe('Kämmerei: totals for any budget (property)', () => {
  const line = fc.record({
    plan: fc.constantFrom('E' as const, 'F' as const),
    nr: fc.integer({ min: 1, max: 27 }),
    pb: fc.constantFrom('01' as const, '05' as const, '16' as const),
    amounts: fc.array(fc.integer({ min: 0, max: 1_000_000_000 }), { minLength: 6, maxLength: 6 }),
  });
  function sample(x: { plan: 'E' | 'F'; nr: number; pb: '01' | '05' | '16'; amounts: number[] }, i: number) {
    const position = x.plan === 'E' ? ((x.nr - 1) % 19) + 1 : x.nr;
    const z: HaushaltsZeile = {
      produktbereich: x.pb,
      produktgruppe: `${x.pb}.01`,
      produktgruppeName: 'Gruppe',
      produkt: `${x.pb}.01.${i}`,
      produktName: 'Produkt',
      plan: x.plan,
      position,
      erlaeuterung: null,
      ergebnisVorvorjahr: 0,
      ansatzVorjahr: 0,
      ansatz: 0,
      planung1: 0,
      planung2: 0,
      planung3: 0,
    };
    BETRAG_SPALTEN.forEach((col, k) => {
      z[col] = x.amounts[k] ?? 0;
    });
    return z;
  }

  it('the Jahresergebnis is income minus expenses of the Ergebnisplan lines, for every column', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 60 }), (ls) => {
        const zeilen = ls.map((l, i) => sample(l, i));
        const jahr = rowOf(ergebnisplan(zeilen), 'jahresergebnis');
        const fm = rowOf(finanzplan(zeilen), 'aenderungFinanzmittel');
        for (const col of BETRAG_SPALTEN) {
          const sign = (z: HaushaltsZeile, list: typeof ERGEBNISPLAN) =>
            list[z.position - 1]?.richtung === 'ertrag' ? 1 : -1;
          const eSum = zeilen
            .filter((z) => z.plan === 'E')
            .reduce((s, z) => s + sign(z, ERGEBNISPLAN) * z[col], 0);
          const fSum = zeilen
            .filter((z) => z.plan === 'F')
            .reduce((s, z) => s + sign(z, FINANZPLAN) * z[col], 0);
          expect(jahr[col]).toBe(eSum);
          expect(fm[col]).toBe(fSum);
        }
      }),
    );
  });
});

describe('Kämmerei: amounts between cents and what people type', () => {
  it('reads German amounts and refuses what is not one', () => {
    expect(parseGermanAmount('1.234.567,89')).toBe(123_456_789);
    expect(parseGermanAmount('1234567,8')).toBe(123_456_780);
    expect(parseGermanAmount('-12')).toBe(-1200);
    expect(parseGermanAmount('12,00 €')).toBe(1200);
    for (const bad of ['12.34', '1,234', '12,345', 'abc', '1.23,00', '', '--1']) {
      expect({ bad, cents: parseGermanAmount(bad) }).toEqual({ bad, cents: null });
    }
  });

  it('turns spreadsheet euros into cents exactly, and refuses a third decimal', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000_000_000, max: 1_000_000_000_000 }), (cents) => {
        expect(eurosToCents(cents / 100)).toBe(cents);
        expect(parseGermanAmount(centsToDecimal(cents))).toBe(cents);
      }),
    );
    expect(eurosToCents(12.345)).toBeNull();
    expect(eurosToCents(Number.NaN)).toBeNull();
  });
});
