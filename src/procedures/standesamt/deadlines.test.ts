import { describe, expect, it } from 'vitest';
import { geburtDaten, sterbefallDaten } from './fixtures.js';
import { geburtAnzeigefrist } from './geburt.js';
import { sterbefallAnzeigefrist } from './sterbefall.js';

/** Deadlines of PStG §§ 18, 28 with NRW public holidays and weekends (FACTS.md §2). */
describe('Anzeigefristen', () => {
  const tod = (datum: string) => sterbefallAnzeigefrist(sterbefallDaten({ tod: { datum } }));
  const totgeburt = (geburtsdatum: string) =>
    geburtAnzeigefrist(geburtDaten({ kind: { geburtsdatum, totgeburt: true } }));
  const geburt = (geburtsdatum: string) => geburtAnzeigefrist(geburtDaten({ kind: { geburtsdatum } }));

  it('counts three working days after a death on an ordinary week', () => {
    expect(tod('2026-11-24')).toBe('2026-11-27'); // Tue -> Fri
    expect(tod('2026-11-26')).toBe('2026-12-01'); // Thu -> Tue (weekend skipped)
  });

  it('skips Good Friday and Easter Monday', () => {
    // Thu 2 Apr 2026; Karfreitag 3 Apr and Ostermontag 6 Apr are holidays.
    expect(tod('2026-04-02')).toBe('2026-04-09');
    expect(totgeburt('2026-04-02')).toBe('2026-04-09');
  });

  it('skips Christmas and New Year (24 and 31 December are working days)', () => {
    expect(tod('2026-12-23')).toBe('2026-12-29');
    expect(tod('2026-12-30')).toBe('2027-01-05');
  });

  it('skips Allerheiligen (1 November, a holiday in NRW)', () => {
    expect(tod('2027-10-29')).toBe('2027-11-04'); // Fri; Mon 1 Nov 2027 is Allerheiligen
  });

  it('skips Fronleichnam', () => {
    expect(tod('2026-06-03')).toBe('2026-06-09'); // Wed; Thu 4 June 2026 is Fronleichnam
    expect(totgeburt('2026-06-03')).toBe('2026-06-09');
  });

  it('gives a live birth one calendar week, holidays or not', () => {
    expect(geburt('2026-12-24')).toBe('2026-12-31');
    expect(geburt('2026-04-02')).toBe('2026-04-09');
  });
});
