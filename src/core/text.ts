/** Lower-case, strip diacritics, ß -> ss: the form both stored search text and queries take. */
export function foldForSearch(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Escapes LIKE wildcards so user input matches literally (use with ESCAPE '\\'). */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The search key of cases' free text (worklist search): foldForSearch, then the umlaut digraphs
 * folded as well (ae -> a, oe -> o, ue -> u), so that "Müller", "Mueller" and "Muller" are one key
 * ("muller"). Passports and many specialist systems write umlauts as digraphs (ICAO 9303: Ü -> UE),
 * so a clerk who types "Müller" must find a "MUELLER" read from a passport, and the other way
 * round. Applied to stored text and to query terms alike; the cost is a few extra hits ("Baur"
 * also finds "Bauer"). The database computes the same key from search_text with
 * replace(replace(replace(search_text, 'ae', 'a'), 'oe', 'o'), 'ue', 'u') (migration
 * 2026-12-06T2200-cases-search); both replace left to right without rescanning, like this.
 */
export function foldForCaseSearch(value: string): string {
  return foldForSearch(value).replace(/ae/g, 'a').replace(/oe/g, 'o').replace(/ue/g, 'u');
}
