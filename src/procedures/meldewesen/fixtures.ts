import type { AusweisFormDaten } from './ausweis.js';
import type { AbmeldungDaten, EinzugDaten } from './meldung.js';
import type { Person } from './schema.js';

/** Valid example forms for tests and demos (invented persons). */

export function meldePerson(overrides: Partial<Person> = {}): Person {
  return {
    familienname: 'Mayer',
    vornamen: 'Karl',
    geburtsdatum: '1950-03-03',
    geburtsort: 'Siegen',
    geschlecht: 'm',
    staatsangehoerigkeit: 'DEU',
    ...overrides,
  };
}

export function einzugDaten(overrides: Partial<EinzugDaten> = {}): EinzugDaten {
  return {
    personen: [meldePerson()],
    einzug: { datum: '2026-11-20', wohnungsstatus: 'hauptwohnung' },
    neueWohnung: { strasse: 'Löhrstraße', hausnummer: '5a', plz: '57072', ort: 'Siegen' },
    bisherigeWohnung: { strasse: 'Weidenauer Straße', hausnummer: '12', plz: '57076', ort: 'Siegen' },
    wohnungsgeberbestaetigung: {
      vorgelegt: true,
      wohnungsgeber: 'Wohnbau Siegerland GmbH',
      datum: '2026-11-18',
    },
    ...overrides,
  };
}

export function abmeldungDaten(overrides: Partial<AbmeldungDaten> = {}): AbmeldungDaten {
  return {
    personen: [
      meldePerson({ familienname: 'Maier', vornamen: 'Gisela', geburtsdatum: '1955-04-04', geschlecht: 'w' }),
    ],
    auszug: { datum: '2026-11-30' },
    bisherigeWohnung: { strasse: 'Koblenzer Straße', hausnummer: '7', plz: '57072', ort: 'Siegen' },
    kuenftigeAnschrift: { staat: 'Österreich', anschrift: 'Hauptplatz 1, 8010 Graz' },
    ...overrides,
  };
}

export function ausweisDaten(overrides: Partial<AusweisFormDaten> = {}): AusweisFormDaten {
  return {
    antragsteller: {
      familienname: 'Müßig',
      vornamen: 'Jürgen',
      geburtsdatum: '1964-08-12',
      geburtsort: 'Siegen',
      geschlecht: 'm',
      staatsangehoerigkeit: 'DEU',
    },
    anschrift: { strasse: 'Weidenauer Straße', hausnummer: '12', plz: '57076', ort: 'Siegen' },
    antrag: { antragsdatum: '2026-11-26', zuschlag: false },
    ...overrides,
  } as AusweisFormDaten;
}
