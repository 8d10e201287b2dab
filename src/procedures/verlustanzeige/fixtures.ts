import type { VerlustanzeigeDaten } from './definition.js';

/** A valid Verlustanzeige form (specimen document number from ICAO 9303 / FACTS.md). */
export function verlustanzeigeDaten(
  overrides: Partial<Record<keyof VerlustanzeigeDaten, object>> = {},
): VerlustanzeigeDaten {
  const base: VerlustanzeigeDaten = {
    person: {
      familienname: 'Müßig',
      vornamen: 'Jürgen Özgür',
      geburtsdatum: '1964-08-12',
      geburtsort: 'Siegen',
      strasse: 'Weidenauer Straße 12',
      plz: '57076',
      wohnort: 'Siegen',
    },
    dokument: { art: 'personalausweis', nummer: 'T220001293' },
    verlust: { art: 'gestohlen', datum: '2026-11-20', ort: 'Bahnhof Siegen' },
    polizei: { angezeigt: true, dienststelle: 'Polizeiwache Siegen', aktenzeichen: 'ST/1234/26' },
  };
  return {
    person: { ...base.person, ...(overrides.person ?? {}) },
    dokument: { ...base.dokument, ...(overrides.dokument ?? {}) },
    verlust: { ...base.verlust, ...(overrides.verlust ?? {}) },
    polizei: { ...base.polizei, ...(overrides.polizei ?? {}) },
  } as VerlustanzeigeDaten;
}
