import { z } from 'zod';
import type { IsoDate } from '../../core/dates.js';
import type { ActionDefinition, Fee, StateDefinition } from '../../core/procedure.js';
import { choice, isoDate, text } from '../../core/schema-helpers.js';
import type { Klasse } from './klassen.js';
import { fuehrerscheinnummer } from './schema.js';

/**
 * What the licence procedures share: their states, the actions "Gebühr bar bezahlt", "Vorläufigen
 * Nachweis ausstellen", "Ohne Nachweis abschließen" and "Stornieren", and the data the server adds
 * to the form (fee, payment, issued proof). Browser-safe.
 */

export const OFFICE = 'fahrerlaubnisbehoerde' as const;

export const NACHWEIS_DOKUMENT = {
  id: 'vorlaeufiger_nachweis',
  title: 'Vorläufiger Nachweis der Fahrberechtigung',
} as const;

export const KARTEN_STATES: Record<string, StateDefinition> = {
  beantragt: { label: 'Beantragt' },
  bezahlt: { label: 'Gebühr bezahlt' },
  nachweis_ausgestellt: { label: 'Vorläufiger Nachweis ausgestellt', final: true },
  abgeschlossen: { label: 'Abgeschlossen (Karte nach Wiederanlauf)', final: true },
  storniert: { label: 'Storniert', final: true },
};

/** States whose cases are handed over: complete for the card order of the restored system. */
export const KARTEN_UEBERGABE_STATES = ['nachweis_ausgestellt', 'abgeschlossen'] as const;

export interface Gebuehren {
  /** The day whose law applies (application date). */
  stichtag: IsoDate;
  positionen: Fee[];
  summeCents: number;
}

export interface Zahlung {
  kassenbuchungId: string | null;
  belegNr: number | null;
  betragCents: number;
  tag: IsoDate;
}

export interface Nachweis {
  art: 'vorlaeufiger_nachweis' | 'pruefungsbescheinigung_bf17';
  ausgestelltAm: IsoDate;
  gueltigBis: IsoDate;
  klassen: Klasse[];
  auflagen: string[];
  fuehrerscheinnummer?: string;
  /** BF17: the companions, "Name, Vorname (geb. TT.MM.JJJJ)". */
  begleitpersonen?: string[];
  pruefungBestandenAm?: IsoDate;
  fahrerlaubnisBestaetigtDurch?: string;
  vermerk?: string;
}

/** Data the server adds to every licence case. */
export interface Verwaltung {
  /** The fee (key not "gebuehren": the Meldewesen panel shows that key on every case). */
  kosten?: Gebuehren;
  zahlung?: Zahlung;
  nachweis?: Nachweis;
  abschluss?: { am: IsoDate; vermerk?: string };
}

export const stornoPayload = z
  .object({ grund: text({ title: 'Grund der Stornierung' }, { max: 500 }) })
  .strict();

export const BESTAETIGT_DURCH = {
  karteikarte: 'Karteikarte / örtliches Fahrerlaubnisregister (Papier)',
  ausstellende_behoerde: 'Auskunft der ausstellenden Fahrerlaubnisbehörde',
  zfer: 'Auskunft aus dem Zentralen Fahrerlaubnisregister (KBA)',
  fuehrerschein_vorgelegt: 'Bisheriger Führerschein lag vor',
} as const;

export const neueNummer = fuehrerscheinnummer({
  title: 'Neue Führerscheinnummer',
  description:
    'Falls schon bekannt (11 Zeichen mit Prüfziffer); sonst leer lassen – die Nummer vergibt das Fachverfahren nach Wiederanlauf',
}).optional();

export const ausgestelltAm = isoDate({ title: 'Ausgestellt am' });

export const bestaetigtDurch = choice(
  ['karteikarte', 'ausstellende_behoerde', 'zfer', 'fuehrerschein_vorgelegt'],
  {
    title: 'Fahrerlaubnis geprüft anhand',
    description: 'Im Notbetrieb ist das Zentrale Fahrerlaubnisregister meist nicht erreichbar',
    options: BESTAETIGT_DURCH,
  },
);

export const vermerk = text({ title: 'Vermerk' }, { max: 500 }).optional();

/**
 * The actions of a licence procedure that ends with a Vorläufiger Nachweis (Ersterteilung,
 * Umtausch, Ersatz). `ohneNachweis`: the case may also be closed without one (the old licence
 * stays with the holder until the card comes).
 */
export function kartenAktionen<D>(opts: {
  schema: z.ZodType;
  nachweisPayload: z.ZodType;
  nachweisBeschreibung: string;
  ohneNachweis: boolean;
}): ActionDefinition<D>[] {
  const merge = (key: keyof Verwaltung) => (d: D, payload: unknown) =>
    ({ ...(d as object), [key]: payload }) as D;
  return [
    {
      id: 'berichtigen',
      label: 'Berichtigen',
      description:
        'Angaben korrigieren, solange die Gebühr nicht bezahlt ist; Prüfung und Gebühr werden neu berechnet.',
      from: ['beantragt'],
      to: 'beantragt',
      roles: ['sachbearbeitung'],
      payload: opts.schema,
      apply: (_d, payload) => payload as D,
    },
    {
      id: 'gebuehr_bar_bezahlen',
      label: 'Gebühr bar bezahlt',
      description: 'Die Gebühr wurde bar bezahlt: Buchung im Kassenbuch der Fahrerlaubnisbehörde.',
      from: ['beantragt'],
      to: 'bezahlt',
      roles: ['sachbearbeitung'],
      apply: merge('zahlung'),
    },
    {
      id: 'nachweis_ausstellen',
      label: 'Vorläufigen Nachweis ausstellen',
      description: opts.nachweisBeschreibung,
      from: ['bezahlt'],
      to: 'nachweis_ausgestellt',
      roles: ['sachbearbeitung'],
      payload: opts.nachweisPayload,
      apply: merge('nachweis'),
      producesDocument: NACHWEIS_DOKUMENT.id,
    },
    ...(opts.ohneNachweis
      ? [
          {
            id: 'ohne_nachweis_abschliessen',
            label: 'Ohne Nachweis abschließen',
            description:
              'Der Antrag ist vollständig; ein vorläufiger Nachweis ist nicht nötig. Die Karte bestellt das Fachverfahren nach Wiederanlauf.',
            from: ['bezahlt'],
            to: 'abgeschlossen',
            roles: ['sachbearbeitung'],
            payload: z.object({ vermerk }).strict(),
            apply: merge('abschluss'),
          } satisfies ActionDefinition<D>,
        ]
      : []),
    {
      id: 'stornieren',
      label: 'Stornieren',
      description: 'Antrag zurückgenommen oder irrtümlich erfasst, bevor die Gebühr bezahlt wurde.',
      from: ['beantragt'],
      to: 'storniert',
      roles: ['sachbearbeitung'],
      payload: stornoPayload,
    },
  ];
}

export function nameOf(p: {
  familienname: string;
  vornamen: string;
  doktorgrad?: string | undefined;
}): string {
  return `${p.doktorgrad ? `${p.doktorgrad} ` : ''}${p.familienname}, ${p.vornamen}`;
}
