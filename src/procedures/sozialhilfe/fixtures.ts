import type { Wohnsituation } from '../../core/benefits/regelbedarf.js';

/** Test data of the Sozialhilfe family (tests, e2e and the access matrix). Today in the tests: 26.11.2026. */

export const person = (familienname: string, vornamen: string, geburtsdatum: string, extra: object = {}) => ({
  familienname,
  vornamen,
  geburtsdatum,
  wohnsituation: 'eigener_haushalt' as Wohnsituation,
  ...extra,
});

export const wohnung = (grund: number, neben: number, heizung: number, warmwasserDezentral = false) => ({
  grundmieteCents: grund,
  nebenkostenCents: neben,
  heizkostenCents: heizung,
  warmwasserDezentral,
});

/** An application of a Bedarfsgemeinschaft (default: one person, Hilfe zum Lebensunterhalt). */
export function antragDaten(
  overrides: {
    personen?: unknown[];
    unterkunft?: object;
    leistungsart?: 'hlu' | 'grundsicherung';
    antragsdatum?: string;
    iban?: string;
    zahlung?: object;
  } = {},
) {
  return {
    antrag: {
      leistungsart: overrides.leistungsart ?? 'hlu',
      antragsdatum: overrides.antragsdatum ?? '2026-11-10',
    },
    personen: overrides.personen ?? [person('Özdemir', 'Jürgen', '1980-05-05')],
    unterkunft: overrides.unterkunft ?? wohnung(38000, 9000, 7500),
    anschrift: { strasse: 'Kölner Straße', hausnummer: '7a', plz: '57072', ort: 'Siegen' },
    zahlung: overrides.zahlung ?? {
      weg: 'ueberweisung',
      kontoinhaber: 'Jürgen Özdemir',
      iban: overrides.iban ?? 'DE89 3704 0044 0532 0130 00',
    },
  };
}
