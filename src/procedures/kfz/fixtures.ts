import type { PlateConfig } from './plates.js';

/** Test data of the Zulassungsstelle: the Kreis Siegen-Wittgenstein (SI, BLB) and valid forms. */

export const SIEGEN_WITTGENSTEIN = '05970000';
export const KREIS_OLPE = '05966000';
export const TODAY = '2026-12-03';

let evbCounter = 0;
/** A fresh eVB number (7 characters, no I and no O). */
export function nextEvb(): string {
  evbCounter += 1;
  return `K${String(evbCounter).padStart(6, '0')}`;
}

type Over = Record<string, unknown>;

function merge<T extends Record<string, unknown>>(base: T, over: Over): T {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) delete out[k];
    else if (v && typeof v === 'object' && !Array.isArray(v) && base[k] && typeof base[k] === 'object') {
      out[k] = merge(base[k] as Record<string, unknown>, v as Over);
    } else out[k] = v;
  }
  return out as T;
}

export const halterPerson = {
  art: 'person',
  familienname: 'Schäfer',
  vornamen: 'Jülide Ayşe',
  geburtsdatum: '1985-04-12',
  geburtsort: 'Siegen',
  strasse: 'Koblenzer Straße',
  hausnummer: '12a',
  plz: '57072',
  ort: 'Siegen',
};

export const fahrzeug = {
  fin: 'WVWZZZ1KZ8W123456',
  herstellerschluessel: '0603',
  typschluessel: 'BPF',
  hersteller: 'Volkswagen',
  typ: 'Golf Variant',
  fahrzeugklasse: 'M1',
  kraftstoff: 'benzin',
  naechsteHu: '12/2029',
};

export const sepa = {
  kontoinhaber: 'Jülide Ayşe Schäfer',
  iban: 'DE89 3704 0044 0532 0130 00',
  mandatErteilt: true,
};

export function neuzulassungDaten(over: Over = {}) {
  return merge(
    {
      antrag: { antragsdatum: TODAY },
      halter: halterPerson,
      fahrzeug,
      kennzeichen: { zusatz: 'keiner' },
      versicherung: { evb: nextEvb() },
      papiere: { zb2Nummer: 'AB1234567' },
      sepa,
    },
    over,
  );
}

export function wiederzulassungDaten(over: Over = {}) {
  return merge({ ...neuzulassungDaten(), wiederzulassung: { ausserBetriebSeit: '2026-06-01' } }, over);
}

export function umschreibungDaten(over: Over = {}) {
  return merge(
    {
      antrag: { antragsdatum: TODAY },
      halter: { ...halterPerson, familienname: 'Öztürk', vornamen: 'Emre' },
      bisherigerHalter: { name: 'Günther Weiß' },
      umschreibung: { herkunft: 'bezirk', bisherigesKennzeichen: 'SI-AB 123', kennzeichen: 'behalten' },
      fahrzeug,
      kennzeichen: { zusatz: 'keiner' },
      versicherung: { evb: nextEvb() },
      papiere: { zb2Nummer: 'AB7654321' },
      sepa: { ...sepa, kontoinhaber: 'Emre Öztürk' },
    },
    over,
  );
}

export function ausserbetriebsetzungDaten(over: Over = {}) {
  return merge(
    {
      antrag: { antragsdatum: TODAY },
      halter: halterPerson,
      fahrzeug: { fin: fahrzeug.fin, hersteller: 'Volkswagen' },
      kennzeichen: { aktuell: 'SI-AB 123', reservieren: false },
      papiere: {},
      abmeldung: { verwertungsnachweis: false },
    },
    over,
  );
}

export function anschriftenaenderungDaten(over: Over = {}) {
  return merge(
    {
      antrag: { antragsdatum: TODAY },
      halter: { ...halterPerson, strasse: 'Am Löhrtor', hausnummer: '3', plz: '57072', ort: 'Siegen' },
      bisherigeAnschrift: { strasse: 'Koblenzer Straße', hausnummer: '12a', plz: '57072', ort: 'Siegen' },
      fahrzeug: { fin: fahrzeug.fin },
      kennzeichen: { aktuell: 'SI-AB 123' },
    },
    over,
  );
}

export function kurzzeitDaten(over: Over = {}) {
  return merge(
    {
      antrag: { antragsdatum: TODAY },
      halter: halterPerson,
      fahrzeug,
      kurzzeit: { gueltigAb: TODAY, tage: 5, zweck: 'ueberfuehrung' },
      versicherung: { evb: nextEvb() },
    },
    over,
  );
}

/** A pool for tests: SI-XA/XB 1-999, BLB-Y 1-99, Kurzzeit SI-04001..04999. */
export function testPlateConfig(over: Partial<PlateConfig> = {}): PlateConfig {
  return {
    serien: [
      { unterscheidungszeichen: 'SI', buchstaben: ['XA', 'XB'], von: 1, bis: 999 },
      { unterscheidungszeichen: 'BLB', buchstaben: ['Y'], von: 1, bis: 99 },
    ],
    kurzzeit: [{ unterscheidungszeichen: 'SI', praefix: '04', von: 1, bis: 999 }],
    sperrfristTage: 90,
    reservierungTage: 90,
    wunschkennzeichen: 'nur_serien',
    zusaetzlichGesperrt: ['AH 18', 'AH 88', 'HH 18', 'HH 88', 'SD'],
    ...over,
  };
}
