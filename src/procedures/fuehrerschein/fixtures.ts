import type { ErsatzForm } from './ersatz.js';
import type { ErsterteilungForm } from './ersterteilung.js';
import type { InternationalForm } from './international.js';
import type { Anschrift, Person } from './schema.js';
import type { UmtauschForm } from './umtausch.js';

/**
 * Valid example forms for tests and demos (invented persons), as a client sends them: classes as
 * typed ("B, BE"). The dates fit an application on 26 Nov 2026 (the test clock).
 */

type Input<T, K extends keyof T> = Omit<T, K> & Record<K, unknown>;

export function person(overrides: Partial<Person> = {}): Person {
  return {
    familienname: 'Schäfer',
    vornamen: 'Jörg',
    geburtsdatum: '1968-04-21',
    geburtsort: 'Siegen',
    ...overrides,
  };
}

export const ANSCHRIFT: Anschrift = {
  strasse: 'Koblenzer Straße',
  hausnummer: '73',
  plz: '57072',
  ort: 'Siegen',
};

/** BF17: Lea Müßig, 17 since 10 Sep 2026, class B, accompanied by her mother. */
export function ersterteilungDaten(
  overrides: Partial<Record<keyof ErsterteilungForm, unknown>> = {},
): Input<ErsterteilungForm, 'antrag' | 'vorbesitz'> {
  return {
    bewerber: person({
      familienname: 'Müßig',
      vornamen: 'Lea',
      geburtsdatum: '2009-09-10',
      geburtsort: 'Kreuztal',
    }),
    anschrift: ANSCHRIFT,
    antrag: {
      antragsdatum: '2026-11-26',
      klassen: 'B',
      begleitetesFahren: true,
      fahrschule: 'Fahrschule Weiß, Siegen',
    },
    begleitpersonen: [
      {
        familienname: 'Müßig',
        vornamen: 'Bärbel',
        geburtsdatum: '1975-03-03',
        klasseBSeit: '1993-06-01',
        punkte: 0,
      },
    ],
    ...overrides,
  } as Input<ErsterteilungForm, 'antrag' | 'vorbesitz'>;
}

/** A paper licence of 1987 of someone born 1966: deadline 19 Jan 2024, overdue in 2026. */
export function umtauschDaten(
  overrides: Partial<Record<keyof UmtauschForm, unknown>> = {},
): Input<UmtauschForm, 'neueKlassen'> {
  return {
    inhaber: person({ geburtsdatum: '1966-07-14' }),
    anschrift: ANSCHRIFT,
    antrag: { antragsdatum: '2026-11-26' },
    bisherigerFuehrerschein: {
      ausgestelltAm: '1987-05-12',
      ausstellendeBehoerde: 'Kreis Siegen-Wittgenstein',
      listennummer: '1234/87',
      alteKlassen: '3',
    },
    neueKlassen: 'A1, AM, B, BE, C1, C1E, L',
    ...overrides,
  } as Input<UmtauschForm, 'neueKlassen'>;
}

export function ersatzDaten(overrides: Partial<Record<keyof ErsatzForm, unknown>> = {}): unknown {
  return {
    inhaber: person({
      familienname: 'Öztürk',
      vornamen: 'Ayşe',
      geburtsdatum: '1990-01-31',
      geburtsort: 'Olpe',
    }),
    anschrift: { strasse: 'Bruchstraße', hausnummer: '5', plz: '57462', ort: 'Olpe' },
    antrag: { antragsdatum: '2026-11-26' },
    anlass: { grund: 'verloren', datum: '2026-11-20', versicherungAnEidesStatt: true },
    bisherigerFuehrerschein: {
      nummer: 'B072RRE2I55',
      ausgestelltAm: '2015-03-02',
      ausstellendeBehoerde: 'Kreis Olpe',
      klassen: 'AM, B, L',
    },
    ...overrides,
  };
}

export function internationalDaten(
  overrides: Partial<Record<keyof InternationalForm, unknown>> = {},
): unknown {
  return {
    inhaber: person({ familienname: 'Weiß', vornamen: 'Günther', geburtsdatum: '1985-11-02' }),
    anschrift: ANSCHRIFT,
    antrag: { antragsdatum: '2026-11-26' },
    nationalerFuehrerschein: {
      nummer: 'B072RRE2I55',
      ausgestelltAm: '2019-06-03',
      gueltigBis: '2034-06-02',
      ausstellendeBehoerde: 'Kreis Siegen-Wittgenstein',
      klassen: 'AM, B, BE, L',
    },
    ...overrides,
  };
}
