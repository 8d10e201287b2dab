import { describe, expect, it } from 'vitest';
import { berlinToIso } from './time.js';

describe('berlinToIso: ceremony slot times are German wall-clock times', () => {
  it('uses summer time (UTC+2) in June and winter time (UTC+1) in December', () => {
    expect(berlinToIso('2026-06-15', '10:00')).toBe('2026-06-15T08:00:00.000Z');
    expect(berlinToIso('2026-12-01', '10:00')).toBe('2026-12-01T09:00:00.000Z');
  });

  it('gets the days of the clock change right', () => {
    // 29 March 2026: 02:00 -> 03:00; 25 October 2026: 03:00 -> 02:00.
    expect(berlinToIso('2026-03-29', '10:00')).toBe('2026-03-29T08:00:00.000Z');
    expect(berlinToIso('2026-03-29', '01:30')).toBe('2026-03-29T00:30:00.000Z');
    expect(berlinToIso('2026-10-25', '10:00')).toBe('2026-10-25T09:00:00.000Z');
  });

  it('crosses midnight into the previous UTC day', () => {
    expect(berlinToIso('2027-01-01', '00:30')).toBe('2026-12-31T23:30:00.000Z');
  });
});
