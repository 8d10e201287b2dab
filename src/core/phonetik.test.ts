import { describe, expect, it } from 'vitest';
import { koelnerPhonetik, phoneticCodes, soundsAlike } from './phonetik.js';

describe('Kölner Phonetik', () => {
  it('lets Meier, Mayer and Maier find each other', () => {
    expect(new Set(['Meier', 'Mayer', 'Maier', 'Meyer'].map(koelnerPhonetik)).size).toBe(1);
  });

  it('lets Schmitt and Schmidt find each other', () => {
    expect(koelnerPhonetik('Schmitt')).toBe(koelnerPhonetik('Schmidt'));
  });

  it('encodes the textbook example Müller-Lüdenscheidt part by part', () => {
    expect(phoneticCodes('Müller-Lüdenscheidt')).toEqual([
      koelnerPhonetik('Müller'),
      koelnerPhonetik('Lüdenscheidt'),
    ]);
    expect(koelnerPhonetik('Müller')).toBe('657');
  });

  it('matches one part of a double name and keeps different names apart', () => {
    expect(soundsAlike('Schmidt-Bauer', 'Schmitt')).toBe(true);
    expect(soundsAlike('Schmidt', 'Becker')).toBe(false);
  });
});
