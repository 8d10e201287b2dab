import { describe, expect, it } from 'vitest';
import { addMonthsTo, daysInMonth, isMonth, monatText, monthOf, nextMonth } from './months.js';

describe('calendar months', () => {
  it('names a month in German, with umlauts', () => {
    expect(monatText('2026-03')).toBe('März 2026');
    expect(monatText('2026-12')).toBe('Dezember 2026');
  });

  it('counts months across the turn of the year, forwards and backwards', () => {
    expect(nextMonth('2026-12')).toBe('2027-01');
    expect(nextMonth('2026-09')).toBe('2026-10');
    expect(addMonthsTo('2026-11', 14)).toBe('2028-01');
    expect(addMonthsTo('2026-02', -3)).toBe('2025-11');
    expect(addMonthsTo('2026-01', -1)).toBe('2025-12');
  });

  it('knows the length of February in leap years and refuses what is no month', () => {
    expect(daysInMonth('2028-02')).toBe(29);
    expect(daysInMonth('2026-02')).toBe(28);
    expect(daysInMonth('2026-11')).toBe(30);
    expect(isMonth('2026-12')).toBe(true);
    expect(isMonth('2026-13')).toBe(false);
    expect(isMonth('2026-1')).toBe(false);
    expect(monthOf('2026-12-15')).toBe('2026-12');
  });
});
