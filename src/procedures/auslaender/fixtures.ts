/** Test data of the Ausländerbehörde family (tests, the access matrix, the e2e flow). Today in the tests: 26.11.2026. */

const person = (familienname: string) => ({
  familienname,
  vornamen: 'Oleksandr Jürgen',
  geburtsdatum: '1990-04-12',
  geburtsort: 'Charkiw',
  geschlecht: 'm',
  staatsangehoerigkeit: 'ukrainisch',
});

/** An extension of a § 18b title that expires on 15.12.2026, applied for on 20.11.2026 (Abs. 4). */
export function antragDaten(
  o: {
    familienname?: string;
    bisher?: Record<string, unknown>;
    antragsdatum?: string;
    art?: 'erteilung' | 'verlaengerung';
  } = {},
) {
  return {
    person: person(o.familienname ?? 'Kovalenko'),
    pass: { nummer: 'FX123456', ausstellerstaat: 'Ukraine', gueltigBis: '2030-01-31' },
    bisher: o.bisher ?? {
      status: 'aufenthaltstitel',
      titel: 'p18b',
      nummer: 'Y1234567',
      gueltigBis: '2026-12-15',
    },
    antrag: { art: o.art ?? 'verlaengerung', titel: 'p18b', antragsdatum: o.antragsdatum ?? '2026-11-20' },
    anschrift: { strasse: 'Koblenzer Straße', hausnummer: '7', plz: '57072', ort: 'Siegen' },
    arbeitgeber: { name: 'Südwestfälische Maschinenbau GmbH', ort: 'Kreuztal' },
  };
}

/** An asylum seeker outside a reception centre, application on 15.08.2026 (3 months on 26.11.). */
export function beschaeftigungDaten(o: { familienname?: string; status?: Record<string, unknown> } = {}) {
  return {
    person: {
      ...person(o.familienname ?? 'Haddad'),
      vornamen: 'Samir',
      staatsangehoerigkeit: 'syrisch',
      geburtsort: 'Aleppo',
    },
    pass: {},
    status: {
      art: 'gestattung',
      seit: '2026-08-15',
      dokumentNr: 'G 4711',
      gueltigBis: '2027-02-14',
      wohnpflichtAufnahmeeinrichtung: false,
      sichererHerkunftsstaat: false,
      ...(o.status ?? {}),
    },
    beschaeftigung: {
      arbeitgeber: 'Bäckerei Müller',
      arbeitsort: 'Siegen',
      taetigkeit: 'Bäckereihelfer',
      wochenstunden: 30,
      antragsdatum: '2026-11-20',
    },
    anschrift: { strasse: 'Sandstraße', hausnummer: '3a', plz: '57072', ort: 'Siegen' },
  };
}
