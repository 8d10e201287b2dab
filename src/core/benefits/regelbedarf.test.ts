import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REGELBEDARF_TABLE,
  firstOfMonth,
  parseRegelbedarfTable,
  RegelbedarfError,
  regelbedarf,
  regelbedarfsstufe,
} from './regelbedarf.js';

/**
 * Amounts by hand from FACTS.md §6 (RBSFV 2024/2025/2026, the same in all three years):
 * Stufe 1 563 EUR, 2 506 EUR, 3 451 EUR, 4 471 EUR, 5 390 EUR, 6 357 EUR.
 */
describe('Regelbedarf by the date of the benefit month', () => {
  const table: Array<[stufe: 1 | 2 | 3 | 4 | 5 | 6, on: string, cents: number]> = [
    [1, '2024-01-01', 56300],
    [2, '2024-07-15', 50600],
    [3, '2025-03-01', 45100],
    [4, '2025-12-31', 47100],
    [5, '2026-01-01', 39000],
    [6, '2026-12-01', 35700],
  ];
  it.each(table)('Stufe %i on %s is %i cents', (stufe, on, cents) => {
    const r = regelbedarf(stufe, on);
    expect(r.cents).toBe(cents);
    expect(r.unconfirmed).toBe(false);
  });

  it('names the RBSFV row it used', () => {
    expect(regelbedarf(1, '2025-06-01').source).toBe('RBSFV 2025 (Nullrunde)');
    expect(regelbedarf(1, '2026-06-01').validFrom).toBe('2026-01-01');
  });

  it('refuses a month before the table starts instead of guessing', () => {
    expect(() => regelbedarf(1, '2023-12-01')).toThrow(RegelbedarfError);
    expect(() => regelbedarf(1, '2023-12-01')).toThrow(/kein Regelbedarf hinterlegt/);
  });

  it('continues the 2026 amounts into 2027 but marks them unconfirmed', () => {
    const r = regelbedarf(1, '2027-01-01');
    expect(r.cents).toBe(56300);
    expect(r.unconfirmed).toBe(true);
  });

  it('takes the next year from configuration and then counts it as confirmed', () => {
    const t = parseRegelbedarfTable(
      JSON.stringify({
        confirmedUntil: '2027-12-31',
        rows: [
          {
            validFrom: '2027-01-01',
            cents: { 1: 57000, 2: 51200, 3: 45600, 4: 47700, 5: 39500, 6: 36100 },
            source: 'RBSFV 2027 (Test)',
          },
        ],
      }),
    );
    expect(regelbedarf(1, '2027-02-01', t)).toMatchObject({ cents: 57000, unconfirmed: false });
    expect(regelbedarf(1, '2026-12-01', t).cents).toBe(56300);
    expect(t.rows).toHaveLength(DEFAULT_REGELBEDARF_TABLE.rows.length + 1);
  });

  it('refuses a malformed configured table with a German message', () => {
    expect(() => parseRegelbedarfTable('{')).toThrow(/kein gültiges JSON/);
    expect(() =>
      parseRegelbedarfTable(
        JSON.stringify({
          confirmedUntil: '2027-12-31',
          rows: [{ validFrom: '2027-01-01', cents: { 1: 570.5 }, source: 'x' }],
        }),
      ),
    ).toThrow(/Stufe 1 muss ein positiver Betrag in Cent sein/);
    expect(() => parseRegelbedarfTable(JSON.stringify({ confirmedUntil: 'morgen', rows: [] }))).toThrow(
      /confirmedUntil/,
    );
  });
});

describe('Regelbedarfsstufe from age and living situation (Anlage zu § 28 SGB XII)', () => {
  const on = '2026-12-01';
  const cases: Array<
    [
      geburtsdatum: string,
      wohnsituation: Parameters<typeof regelbedarfsstufe>[0]['wohnsituation'],
      stufe: number,
    ]
  > = [
    ['2026-01-10', 'mit_partner', 6], // baby
    ['2020-12-02', 'eigener_haushalt', 6], // 5 years, 6th birthday tomorrow
    ['2020-12-01', 'eigener_haushalt', 5], // 6th birthday today
    ['2012-12-02', 'eigener_haushalt', 5], // 13
    ['2012-12-01', 'einrichtung', 4], // 14 today: age beats living situation
    ['2008-12-02', 'mit_partner', 4], // 17
    ['2008-12-01', 'eigener_haushalt', 1], // 18 today, alone
    ['1980-05-05', 'mit_partner', 2],
    ['1980-05-05', 'geteilter_wohnraum', 2],
    ['1950-05-05', 'einrichtung', 3],
  ];
  it.each(cases)('born %s, %s -> Stufe %i', (geburtsdatum, wohnsituation, stufe) => {
    expect(regelbedarfsstufe({ geburtsdatum, wohnsituation }, on).stufe).toBe(stufe);
  });

  it('explains the derivation in German', () => {
    expect(regelbedarfsstufe({ geburtsdatum: '2012-12-01', wohnsituation: 'einrichtung' }, on).reason).toBe(
      '14 Jahre: Jugendliche(r) von 14 bis 17 Jahren',
    );
  });

  it('judges by the given day, not by today: a child moves up the month after its birthday', () => {
    const child = { geburtsdatum: '2020-12-15', wohnsituation: 'eigener_haushalt' as const };
    expect(regelbedarfsstufe(child, firstOfMonth('2026-12')).stufe).toBe(6);
    expect(regelbedarfsstufe(child, firstOfMonth('2027-01')).stufe).toBe(5);
  });

  it('refuses a person not yet born on the day and an invalid month', () => {
    expect(() => regelbedarfsstufe({ geburtsdatum: '2027-01-01', wohnsituation: 'mit_partner' }, on)).toThrow(
      /noch nicht geboren/,
    );
    expect(() => firstOfMonth('2026-13')).toThrow(/Kein gültiger Monat/);
  });
});
