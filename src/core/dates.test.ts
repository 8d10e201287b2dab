import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  ageOn,
  formatGermanDate,
  isValidIsoDate,
  isWorkingDay,
  todayInGermany,
} from './dates.js';

describe('working days in NRW', () => {
  it('skips the weekend', () => {
    // Friday 27 Nov 2026 + 1 working day = Monday 30 Nov.
    expect(addWorkingDays('2026-11-27', 1)).toBe('2026-11-30');
  });

  it('skips Good Friday and Easter Monday', () => {
    // Easter 2026 is 5 April: Good Friday 3 April, Easter Monday 6 April.
    expect(isWorkingDay('2026-04-03')).toBe(false);
    expect(isWorkingDay('2026-04-06')).toBe(false);
    // Death on Thursday 2 April: 3rd working day is Thursday 9 April.
    expect(addWorkingDays('2026-04-02', 3)).toBe('2026-04-09');
  });

  it('skips Christmas and New Year', () => {
    // Wednesday 23 Dec 2026: 24th counts (no public holiday), 25/26 are holidays, 28, then 1 Jan is one.
    expect(addWorkingDays('2026-12-23', 3)).toBe('2026-12-29');
    expect(addWorkingDays('2026-12-30', 2)).toBe('2027-01-04');
  });

  it('skips Allerheiligen and Fronleichnam, which are holidays in NRW', () => {
    expect(isWorkingDay('2027-11-01')).toBe(false); // Monday
    expect(addWorkingDays('2027-10-29', 1)).toBe('2027-11-02');
    // Fronleichnam 2026: Thursday 4 June.
    expect(isWorkingDay('2026-06-04')).toBe(false);
    expect(addWorkingDays('2026-06-03', 2)).toBe('2026-06-08');
  });

  it('treats Saturday as no working day', () => {
    expect(isWorkingDay('2026-11-28')).toBe(false);
  });
});

describe('calendar helpers', () => {
  it('knows the date in Germany at midnight UTC', () => {
    // 23:30 UTC on 26 Nov is already 27 Nov in Berlin (UTC+1).
    expect(todayInGermany(new Date('2026-11-26T23:30:00Z'))).toBe('2026-11-27');
    // In summer (UTC+2), 22:30 UTC is already the next day.
    expect(todayInGermany(new Date('2026-07-01T22:30:00Z'))).toBe('2026-07-02');
  });

  it('rejects dates that do not exist', () => {
    expect(isValidIsoDate('2026-02-29')).toBe(false);
    expect(isValidIsoDate('2028-02-29')).toBe(true);
    expect(isValidIsoDate('2026-13-01')).toBe(false);
  });

  it('counts age from the birthday itself', () => {
    expect(ageOn('2002-02-07', '2026-02-06')).toBe(23);
    expect(ageOn('2002-02-07', '2026-02-07')).toBe(24);
  });

  it('formats dates the German way', () => {
    expect(formatGermanDate('2026-11-01')).toBe('01.11.2026');
  });
});

describe('SEPA business days (TARGET2)', () => {
  it('closes on weekends and the TARGET holidays, not on other NRW holidays', async () => {
    const { isTargetBusinessDay } = await import('./dates.js');
    expect(isTargetBusinessDay('2026-12-04')).toBe(true); // Friday
    expect(isTargetBusinessDay('2026-12-05')).toBe(false); // Saturday
    expect(isTargetBusinessDay('2026-12-25')).toBe(false);
    expect(isTargetBusinessDay('2026-12-26')).toBe(false); // Saturday anyway
    expect(isTargetBusinessDay('2026-12-24')).toBe(true);
    expect(isTargetBusinessDay('2027-01-01')).toBe(false);
    expect(isTargetBusinessDay('2027-03-26')).toBe(false); // Good Friday 2027
    expect(isTargetBusinessDay('2027-03-29')).toBe(false); // Easter Monday 2027
    expect(isTargetBusinessDay('2027-05-27')).toBe(true); // Corpus Christi: holiday in NRW, TARGET open
    expect(isTargetBusinessDay('2026-11-01')).toBe(false); // Sunday
    expect(isTargetBusinessDay('2027-11-01')).toBe(true); // All Saints (NRW holiday), Monday
  });
});
