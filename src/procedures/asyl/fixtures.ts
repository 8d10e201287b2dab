/** Test data of the AsylbLG family (tests and the access matrix). */

/** A household of three assigned on 02.11.2026 (today in the tests: 26.11.2026). */
export function zuweisungDaten(
  overrides: { personen?: unknown[]; iban?: string; familienname?: string } = {},
) {
  return {
    zuweisung: {
      zuweisungsdatum: '2026-11-02',
      zuweisendeStelle: 'Bezirksregierung Arnsberg',
      bescheidAktenzeichen: 'ZW 4711/26',
      bescheidDatum: '2026-10-28',
      herkunftsland: 'Syrien',
    },
    personen: overrides.personen ?? [
      {
        familienname: overrides.familienname ?? 'Haddad',
        vornamen: 'Rami',
        geburtsdatum: '1988-02-02',
        staatsangehoerigkeit: 'syrisch',
        aufenthaltSeit: '2023-12-15',
        wohnsituation: 'mit_partner',
      },
      {
        familienname: 'Haddad',
        vornamen: 'Lina',
        geburtsdatum: '1990-03-03',
        staatsangehoerigkeit: 'syrisch',
        aufenthaltSeit: '2024-01-20',
        wohnsituation: 'mit_partner',
      },
      {
        familienname: 'Haddad',
        vornamen: 'Jörg Ömer',
        geburtsdatum: '2021-07-01',
        staatsangehoerigkeit: 'syrisch',
        aufenthaltSeit: '2024-01-20',
        wohnsituation: 'mit_partner',
      },
    ],
    anschrift: { strasse: 'Weidenauer Straße', hausnummer: '12', plz: '57076', ort: 'Siegen' },
    zahlung: {
      weg: 'ueberweisung',
      kontoinhaber: 'Rami Haddad',
      iban: overrides.iban ?? 'DE89 3704 0044 0532 0130 00',
    },
  };
}
