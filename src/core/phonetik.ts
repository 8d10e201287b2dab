// Kölner Phonetik (Postel 1969) from the talisman library, for German name matching:
// Meier/Mayer/Maier -> 67, Schmitt/Schmidt -> 862.
// @ts-expect-error talisman ships no type declarations for this module
import cologne from 'talisman/phonetics/german/cologne.js';
import { foldForSearch } from './text.js';

const encode = cologne as (word: string) => string;

/** Kölner Phonetik code of one word ('' for a word without letters). */
export function koelnerPhonetik(word: string): string {
  const letters = word.replace(/[^A-Za-zÄÖÜäöüß]/g, '');
  return letters ? encode(letters) : '';
}

/**
 * Codes of every part of a name: double names and particles are split ("Müller-Lüdenscheidt",
 * "von der Heide"), so a search for one part finds the whole name.
 */
export function phoneticCodes(name: string): string[] {
  return foldForSearch(name)
    .split(/[\s\-']+/)
    .map(koelnerPhonetik)
    .filter((c) => c.length > 0);
}

/** True when two names share the phonetic code of at least one part. */
export function soundsAlike(a: string, b: string): boolean {
  const ca = new Set(phoneticCodes(a));
  return phoneticCodes(b).some((c) => ca.has(c));
}
