import type { EheForm } from './eheschliessung.js';
import type { GeburtForm } from './geburt.js';
import type { SterbefallForm } from './sterbefall.js';

/** Valid specimen forms (names with umlauts and ß on purpose). Overrides merge one level deep. */

type Over<T> = {
  [K in keyof T]?: T[K] extends unknown[] ? T[K] : T[K] extends object ? Partial<T[K]> : T[K];
};

function merge<T extends object>(base: T, over: Over<T>): T {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over)) {
    const b = (base as Record<string, unknown>)[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' ? { ...b, ...v } : v;
  }
  return out as T;
}

export function geburtDaten(over: Over<GeburtForm> = {}): GeburtForm {
  return merge<GeburtForm>(
    {
      kind: {
        familienname: 'Schäfer',
        vornamen: 'Lea Sophie',
        geschlecht: 'w',
        geburtsdatum: '2026-11-24',
        geburtszeit: '07:45',
        geburtsort: 'Siegen',
        geburtsstaette: 'Kreisklinikum Siegen',
        totgeburt: false,
      },
      eltern: [
        {
          rolle: 'mutter',
          familienname: 'Schäfer',
          vornamen: 'Jülide',
          geburtsname: 'Öztürk',
          geburtsdatum: '1994-03-02',
          geburtsort: 'Köln',
          staatsangehoerigkeit: 'deutsch',
          strasse: 'Sandstraße 3',
          plz: '57072',
          wohnort: 'Siegen',
        },
        {
          rolle: 'vater',
          familienname: 'Schäfer',
          vornamen: 'Björn',
          geburtsdatum: '1991-07-19',
          geburtsort: 'Kreuztal',
          staatsangehoerigkeit: 'deutsch',
          strasse: 'Sandstraße 3',
          plz: '57072',
          wohnort: 'Siegen',
        },
      ],
      elternMiteinanderVerheiratet: true,
      anzeige: {
        name: 'Björn Schäfer',
        rolle: 'sorgeberechtigter_elternteil',
        schriftlich: false,
        datum: '2026-11-26',
      },
    },
    over,
  );
}

export function sterbefallDaten(over: Over<SterbefallForm> = {}): SterbefallForm {
  return merge<SterbefallForm>(
    {
      verstorbene: {
        familienname: 'Weiß',
        vornamen: 'Günter',
        geschlecht: 'm',
        geburtsdatum: '1938-05-17',
        geburtsort: 'Olpe',
        familienstand: 'verwitwet',
        staatsangehoerigkeit: 'deutsch',
      },
      letzteAnschrift: { strasse: 'Löhrtor 7', plz: '57072', wohnort: 'Siegen' },
      tod: { datum: '2026-11-24', uhrzeit: '23:10', ort: 'Siegen', staette: 'Wohnung' },
      anzeige: {
        name: 'Bestattungshaus Müller GmbH',
        rolle: 'bestattungsunternehmen',
        schriftlich: true,
        datum: '2026-11-26',
      },
    },
    over,
  );
}

export function eheDaten(over: Over<EheForm> = {}): EheForm {
  return merge<EheForm>(
    {
      ehegatte1: {
        familienname: 'Kühn',
        vornamen: 'Jörg',
        geschlecht: 'm',
        geburtsdatum: '1990-01-31',
        geburtsort: 'Siegen',
        staatsangehoerigkeit: 'deutsch',
        familienstand: 'ledig',
        strasse: 'Koblenzer Straße 12',
        plz: '57072',
        wohnort: 'Siegen',
        familiennameNachEhe: 'Kühn',
      },
      ehegatte2: {
        familienname: 'Großmann',
        vornamen: 'Zoë',
        geschlecht: 'w',
        geburtsdatum: '1992-09-09',
        geburtsort: 'Lüdenscheid',
        staatsangehoerigkeit: 'deutsch',
        familienstand: 'geschieden',
        strasse: 'Koblenzer Straße 12',
        plz: '57072',
        wohnort: 'Siegen',
        familiennameNachEhe: 'Kühn',
      },
      ehename: 'Kühn',
      trauzeugen: [{ familienname: 'Ößwald', vornamen: 'Änne' }],
      anmeldung: { datum: '2026-11-26' },
    },
    over,
  );
}
