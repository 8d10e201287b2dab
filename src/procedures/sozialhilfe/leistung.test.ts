import { describe, expect, it } from 'vitest';
import { STANDARD_REGELN } from '../../core/benefits/hilfe-zum-lebensunterhalt.js';
import { person, wohnung } from './fixtures.js';
import {
  type Fassung,
  LeistungError,
  type Leistungsdaten,
  monatsberechnung,
  rechne,
  zahlplan,
} from './leistung.js';

/**
 * The payment plan by hand: one adult, Regelbedarfsstufe 1 563,00 € (FACTS.md §6, RBSFV 2026),
 * dwelling 0 € (a hint, no line amounts), countable pension 500,00 € → 63,00 € a month.
 * A Vorschuss of 200,00 € is set off month by month from the first month of the Bewilligung
 * (§ 42 Abs. 2 S. 1 SGB I); what is left at an Einstellung is to be repaid (§ 42 Abs. 2 S. 2).
 */

const SIEGEN = '05970040';
const haushalt = (einkommen: number) => ({
  personen: [person('Ahrens', 'Käthe', '1950-01-01', { einkommenCents: einkommen })],
  unterkunft: wohnung(0, 0, 0),
});

function fall(extra: Partial<Leistungsdaten> = {}): Leistungsdaten {
  const h = haushalt(50000);
  const f: Fassung = {
    abMonat: '2026-11',
    haushalt: h,
    berechnung: rechne(h, '2026-11', SIEGEN, STANDARD_REGELN),
    am: '2026-11-26',
  };
  return {
    ...h,
    bewilligung: { abMonat: '2026-11', bescheidAm: '2026-11-26' },
    fassungen: [f],
    vorschuesse: [{ betragCents: 20000, grund: 'Miete', am: '2026-11-20' }],
    ...extra,
  };
}

describe('Sozialhilfe: months, Fassungen and the set-off of advances', () => {
  it('sets the advance off month by month until it is used up', () => {
    const plan = zahlplan(fall(), '2027-03', SIEGEN, STANDARD_REGELN);
    expect(plan.monate.map((m) => [m.monat, m.anspruchCents, m.anrechnungCents, m.zahlCents])).toEqual([
      ['2026-11', 6300, 6300, 0],
      ['2026-12', 6300, 6300, 0],
      ['2027-01', 6300, 6300, 0],
      ['2027-02', 6300, 1100, 5200], // 200,00 − 3 × 63,00 = 11,00 left
      ['2027-03', 6300, 0, 6300],
    ]);
    expect(plan).toMatchObject({
      vorschussCents: 20000,
      angerechnetCents: 20000,
      offenCents: 0,
      erstattungCents: 0,
    });
    // Up to December only: 74,00 € still to be set off.
    expect(zahlplan(fall(), '2026-12', SIEGEN, STANDARD_REGELN)).toMatchObject({
      angerechnetCents: 12600,
      offenCents: 7400,
    });
  });

  it('asks for the rest back after an Einstellung, and all of it after an Ablehnung', () => {
    const stop = fall({ einstellung: { letzterMonat: '2026-12', grund: 'Umzug', am: '2026-12-10' } });
    const plan = zahlplan(stop, '2027-06', SIEGEN, STANDARD_REGELN);
    expect(plan.monate.map((m) => m.monat)).toEqual(['2026-11', '2026-12']);
    expect(plan).toMatchObject({ angerechnetCents: 12600, offenCents: 0, erstattungCents: 7400 });
    expect(() => monatsberechnung(stop, '2027-01', SIEGEN, STANDARD_REGELN)).toThrow(LeistungError);
    const abgelehnt = {
      ...haushalt(50000),
      vorschuesse: [{ betragCents: 20000, grund: 'x', am: '2026-11-20' }],
      ablehnung: { grund: 'x', am: '2026-11-26' },
    };
    expect(zahlplan(abgelehnt, '2027-06', SIEGEN, STANDARD_REGELN)).toMatchObject({
      monate: [],
      erstattungCents: 20000,
      offenCents: 0,
    });
  });

  it('computes each month with the Fassung in force for it: an Änderung leaves earlier months alone', () => {
    const h2 = haushalt(10000); // pension falls to 100,00 € from January: 463,00 € a month
    const aenderung: Fassung = {
      abMonat: '2027-01',
      haushalt: h2,
      berechnung: rechne(h2, '2027-01', SIEGEN, STANDARD_REGELN),
      am: '2026-12-15',
      grund: 'Rente gesunken',
    };
    const d = fall({ vorschuesse: [] });
    d.fassungen = [...(d.fassungen ?? []), aenderung];
    const plan = zahlplan(d, '2027-02', SIEGEN, STANDARD_REGELN);
    expect(plan.monate.map((m) => [m.monat, m.zahlCents])).toEqual([
      ['2026-11', 6300],
      ['2026-12', 6300],
      ['2027-01', 46300],
      ['2027-02', 46300],
    ]);
    expect(() => monatsberechnung(d, '2026-10', SIEGEN, STANDARD_REGELN)).toThrow(
      'Oktober 2026 liegt vor dem Beginn der Bewilligung (November 2026).',
    );
  });
});
