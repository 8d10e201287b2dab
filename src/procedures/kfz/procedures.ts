import { z } from 'zod';
import type { IsoDate } from '../../core/dates.js';
import type { ActionDefinition, Fee, ProcedureDefinition, StateDefinition } from '../../core/procedure.js';
import { defineProcedure } from '../../core/procedure.js';
import { choice, isoDate, text, yesNo } from '../../core/schema-helpers.js';
import {
  anschriftSchema,
  antragSchema,
  bestehendesKennzeichen,
  evb,
  type Fahrzeug,
  fahrzeugKurzSchema,
  fahrzeugSchema,
  type Halter,
  halterName,
  halterSchema,
  type Sepa,
  sepaSchema,
  suffixRefusal,
  zb1,
  zb2Schema,
  zusatz,
} from './schema.js';

/**
 * The procedures of the Zulassungsstelle (issue 12, points 1-5): Neuzulassung, Umschreibung
 * (Halterwechsel, also from another district), Außerbetriebsetzung, Wiederzulassung,
 * Anschriftenänderung, Kurzzeitkennzeichen. Each is a definition built from the same parts:
 * record (the eVB is claimed once, the fee computed from the office's table) → allocate a plate
 * (legal order, Wunschkennzeichen, reservation) → pay in cash (cash journal) → complete, with the
 * documents of emergency operation. The transactional steps are the hooks in server/hooks.ts.
 */

import { KFZ_PROCEDURE_IDS, type KfzProcedureId } from './ids.js';

export { KFZ_PROCEDURE_IDS, type KfzProcedureId };

export const KFZ_TITLES: Record<KfzProcedureId, string> = {
  neuzulassung: 'Neuzulassung',
  umschreibung: 'Umschreibung (Halterwechsel)',
  ausserbetriebsetzung: 'Außerbetriebsetzung',
  wiederzulassung: 'Wiederzulassung',
  anschriftenaenderung: 'Anschriftenänderung',
  kurzzeitkennzeichen: 'Kurzzeitkennzeichen',
};

const CODES: Record<KfzProcedureId, string> = {
  neuzulassung: 'NZ',
  umschreibung: 'UM',
  ausserbetriebsetzung: 'AB',
  wiederzulassung: 'WZ',
  anschriftenaenderung: 'AA',
  kurzzeitkennzeichen: 'KK',
};

/** Procedures that give the vehicle a (new) plate. */
export const WITH_PLATE: readonly KfzProcedureId[] = [
  'neuzulassung',
  'umschreibung',
  'wiederzulassung',
  'kurzzeitkennzeichen',
];

/** Final state of each procedure and the action that reaches it. */
export const COMPLETION: Record<
  KfzProcedureId,
  { state: string; label: string; action: string; verb: string }
> = {
  neuzulassung: { state: 'zugelassen', label: 'Zugelassen', action: 'zulassen', verb: 'Zulassen' },
  wiederzulassung: { state: 'zugelassen', label: 'Zugelassen', action: 'zulassen', verb: 'Zulassen' },
  umschreibung: {
    state: 'umgeschrieben',
    label: 'Umgeschrieben',
    action: 'umschreiben',
    verb: 'Umschreiben',
  },
  ausserbetriebsetzung: {
    state: 'ausser_betrieb',
    label: 'Außer Betrieb gesetzt',
    action: 'ausser_betrieb_setzen',
    verb: 'Außer Betrieb setzen',
  },
  anschriftenaenderung: {
    state: 'geaendert',
    label: 'Anschrift geändert',
    action: 'anschrift_aendern',
    verb: 'Anschrift ändern',
  },
  kurzzeitkennzeichen: {
    state: 'ausgegeben',
    label: 'Ausgegeben',
    action: 'aushaendigen',
    verb: 'Kurzzeitkennzeichen aushändigen',
  },
};

export const KENNZEICHEN_WAHL = {
  naechstes: 'Nächstes freies Kennzeichen aus der Serie',
  wunsch: 'Wunschkennzeichen (am Schalter)',
  reservierung: 'Reserviertes Wunschkennzeichen',
} as const;

export const UMSCHREIBUNG_HERKUNFT = {
  bezirk: 'aus dem eigenen Zulassungsbezirk',
  anderer_bezirk: 'aus einem anderen Zulassungsbezirk',
} as const;

export const KURZZEIT_ZWECK = {
  probefahrt: 'Probefahrt',
  ueberfuehrung: 'Überführungsfahrt',
  pruefungsfahrt: 'Fahrt zur Hauptuntersuchung',
} as const;

/** What the hooks add to the form data. */
export interface KfzVerwaltung {
  kosten?: { stichtag: IsoDate; positionen: Fee[]; summeCents: number };
  zuteilung?: ZugeteiltesKennzeichen;
  zahlung?: { kassenbuchungId: string; belegNr: number; betragCents: number; tag: IsoDate };
  abschluss?: {
    am: IsoDate;
    zb1Nummer?: string;
    sperreBis?: IsoDate;
    reserviertBis?: IsoDate;
    reservierungId?: string;
  };
}

export interface ZugeteiltesKennzeichen {
  /** Identity, e.g. "SI-AB 123". */
  kennzeichen: string;
  /** As printed, with suffix: "SI-AB 123E". */
  text: string;
  /** XKfz fixed-width form. */
  xkfz: string;
  zusatz: 'E' | 'H' | null;
  wahl: 'naechstes' | 'wunsch' | 'reservierung' | 'behalten';
  art: 'standard' | 'kurzzeit';
  zugeteiltAm: IsoDate;
  reservierungId?: string;
  /** Kurzzeitkennzeichen: last day of validity. */
  gueltigBis?: IsoDate;
}

export interface KfzFormDaten {
  antrag: { antragsdatum: IsoDate };
  halter: Halter;
  fahrzeug: Fahrzeug | { fin: string; hersteller?: string };
  kennzeichen?: {
    zusatz?: 'keiner' | 'E' | 'H';
    unterscheidungszeichen?: string;
    aktuell?: string;
    reservieren?: boolean;
  };
  versicherung?: { evb: string };
  papiere?: { zb2Nummer?: string; zb1Nummer?: string };
  sepa?: Sepa;
  bisherigerHalter?: { name?: string };
  umschreibung?: {
    herkunft: 'bezirk' | 'anderer_bezirk';
    bisherigesKennzeichen: string;
    kennzeichen: 'behalten' | 'neu';
  };
  abmeldung?: { verwertungsnachweis: boolean };
  bisherigeAnschrift?: { strasse: string; hausnummer: string; plz: string; ort: string };
  wiederzulassung?: { ausserBetriebSeit?: IsoDate; bisherigesKennzeichen?: string };
  kurzzeit?: { gueltigAb: IsoDate; tage: number; zweck: keyof typeof KURZZEIT_ZWECK };
}

export type KfzDaten = KfzFormDaten & KfzVerwaltung;

const unterscheidungszeichen = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-ZÄÖÜ]{1,3}$/, 'Unterscheidungszeichen: 1 bis 3 Buchstaben.')
  .meta({
    title: 'Unterscheidungszeichen',
    description: 'Nur bei mehreren Zeichen des Kreises (z. B. SI oder BLB); leer: das erste der Serien',
    section: 'kennzeichen',
    widget: 'text',
  });

function formSchema(id: KfzProcedureId, today: () => IsoDate) {
  const antrag = antragSchema(today);
  const halter = halterSchema();
  const papiere = z
    .object({ zb2Nummer: zb2Schema })
    .strict()
    .meta({ title: 'Fahrzeugpapiere', section: 'papiere' });
  const versicherung = z.object({ evb }).strict().meta({ title: 'Versicherung', section: 'versicherung' });
  const kennzeichenNeu = z
    .object({ zusatz, unterscheidungszeichen: unterscheidungszeichen.optional() })
    .strict()
    .meta({ title: 'Kennzeichen', section: 'kennzeichen' });
  switch (id) {
    case 'neuzulassung':
      return z
        .object({
          antrag,
          halter,
          fahrzeug: fahrzeugSchema(),
          kennzeichen: kennzeichenNeu,
          versicherung,
          papiere,
          sepa: sepaSchema,
        })
        .strict();
    case 'wiederzulassung':
      return z
        .object({
          antrag,
          halter,
          fahrzeug: fahrzeugSchema(),
          wiederzulassung: z
            .object({
              ausserBetriebSeit: isoDate({
                title: 'Außer Betrieb gesetzt seit',
                section: 'wiederzulassung',
              }).optional(),
              bisherigesKennzeichen: bestehendesKennzeichen(
                'Bisheriges Kennzeichen',
                'wiederzulassung',
                'Falls bekannt; ein für die Halterin reserviertes Kennzeichen wird bei der Zuteilung gewählt',
              ).optional(),
            })
            .strict()
            .meta({ title: 'Wiederzulassung', section: 'wiederzulassung' }),
          kennzeichen: kennzeichenNeu,
          versicherung,
          papiere,
          sepa: sepaSchema,
        })
        .strict();
    case 'umschreibung':
      return z
        .object({
          antrag,
          halter: halterSchema('halter', 'Neue Halterin / neuer Halter'),
          bisherigerHalter: z
            .object({
              name: text({
                title: 'Bisherige Halterin / bisheriger Halter',
                section: 'umschreibung',
              }).optional(),
            })
            .strict()
            .meta({ title: 'Bisherige Halterin / bisheriger Halter', section: 'umschreibung' }),
          umschreibung: z
            .object({
              herkunft: choice(['bezirk', 'anderer_bezirk'], {
                title: 'Fahrzeug kommt',
                section: 'umschreibung',
                options: UMSCHREIBUNG_HERKUNFT,
              }),
              bisherigesKennzeichen: bestehendesKennzeichen('Bisheriges Kennzeichen', 'umschreibung'),
              kennzeichen: choice(['behalten', 'neu'], {
                title: 'Kennzeichen',
                section: 'umschreibung',
                options: { behalten: 'bisheriges Kennzeichen behalten', neu: 'neues Kennzeichen zuteilen' },
              }),
            })
            .strict()
            .meta({ title: 'Umschreibung', section: 'umschreibung' }),
          fahrzeug: fahrzeugSchema(),
          kennzeichen: kennzeichenNeu,
          versicherung,
          papiere,
          sepa: sepaSchema,
        })
        .strict();
    case 'ausserbetriebsetzung':
      return z
        .object({
          antrag,
          halter,
          fahrzeug: fahrzeugKurzSchema(),
          kennzeichen: z
            .object({
              aktuell: bestehendesKennzeichen('Kennzeichen', 'kennzeichen'),
              reservieren: yesNo({
                title: 'Kennzeichen für die Halterin / den Halter reservieren',
                description: 'Sonst nach der Sperrfrist wieder frei',
                section: 'kennzeichen',
              }),
            })
            .strict()
            .meta({ title: 'Kennzeichen', section: 'kennzeichen' }),
          papiere: z
            .object({ zb1Nummer: zb1.optional(), zb2Nummer: zb2Schema.optional() })
            .strict()
            .meta({ title: 'Fahrzeugpapiere', section: 'papiere' }),
          abmeldung: z
            .object({
              verwertungsnachweis: yesNo({
                title: 'Verwertungsnachweis vorgelegt',
                description: 'Fahrzeug verschrottet (§ 15 FZV)',
                section: 'abmeldung',
              }),
            })
            .strict()
            .meta({ title: 'Außerbetriebsetzung', section: 'abmeldung' }),
        })
        .strict();
    case 'anschriftenaenderung':
      return z
        .object({
          antrag,
          halter: halterSchema('halter', 'Halter/in mit neuer Anschrift'),
          bisherigeAnschrift: anschriftSchema('bisher', 'Bisherige Anschrift'),
          fahrzeug: fahrzeugKurzSchema(),
          kennzeichen: z
            .object({ aktuell: bestehendesKennzeichen('Kennzeichen', 'kennzeichen') })
            .strict()
            .meta({ title: 'Kennzeichen', section: 'kennzeichen' }),
        })
        .strict();
    case 'kurzzeitkennzeichen':
      return z
        .object({
          antrag,
          halter,
          fahrzeug: fahrzeugSchema(),
          kurzzeit: z
            .object({
              gueltigAb: isoDate({ title: 'Gültig ab', section: 'kurzzeit' }),
              tage: z
                .number({ error: 'Gültigkeit: Bitte 1 bis 5 Tage angeben.' })
                .int('Gültigkeit: ganze Tage.')
                .min(1, 'Gültigkeit: mindestens 1 Tag.')
                .max(5, 'Gültigkeit: höchstens 5 Tage (FZV § 16a).')
                .meta({
                  title: 'Gültigkeit in Tagen',
                  description: '1 bis 5 Tage',
                  section: 'kurzzeit',
                  widget: 'number',
                }),
              zweck: choice(['probefahrt', 'ueberfuehrung', 'pruefungsfahrt'], {
                title: 'Zweck',
                section: 'kurzzeit',
                options: KURZZEIT_ZWECK,
              }),
            })
            .strict()
            .meta({ title: 'Kurzzeitkennzeichen', section: 'kurzzeit' }),
          versicherung,
        })
        .strict();
  }
}

function month(iso: IsoDate): string {
  return iso.slice(0, 7);
}

/** The checks across fields, with German messages at the field they concern. */
function refine(id: KfzProcedureId, today: () => IsoDate) {
  return (d: KfzFormDaten, ctx: z.RefinementCtx) => {
    const on = d.antrag.antragsdatum;
    const issue = (path: Array<string | number>, message: string) =>
      ctx.addIssue({ code: 'custom', path, message });
    if (d.halter.geburtsdatum && d.halter.geburtsdatum >= on) {
      issue(['halter', 'geburtsdatum'], 'Geburtsdatum: liegt nach dem Antragsdatum.');
    }
    const f = d.fahrzeug as Fahrzeug;
    if ('erstzulassung' in f && f.erstzulassung && f.erstzulassung > on) {
      issue(['fahrzeug', 'erstzulassung'], 'Datum der Erstzulassung: liegt nach dem Antragsdatum.');
    }
    const z1 = d.kennzeichen?.zusatz;
    if (z1 && 'kraftstoff' in f) {
      const r = suffixRefusal(z1, f, on);
      if (r) issue(r.path.split('/'), r.message);
    }
    // A valid Hauptuntersuchung is a condition of registration (§ 29 StVZO); a Kurzzeitkennzeichen
    // may also serve the drive to the HU (since 1 April 2015, mtrlegal.com).
    if ('naechsteHu' in f && f.naechsteHu < month(on)) {
      const due = `${f.naechsteHu.slice(5)}/${f.naechsteHu.slice(0, 4)}`;
      if (id !== 'kurzzeitkennzeichen' || d.kurzzeit?.zweck !== 'pruefungsfahrt') {
        issue(
          ['fahrzeug', 'naechsteHu'],
          `Nächste HU: abgelaufen (fällig ${due}). Ohne gültige Hauptuntersuchung ${id === 'kurzzeitkennzeichen' ? 'nur für die Fahrt zur HU' : 'keine Zulassung'}.`,
        );
      }
    }
    if (id === 'umschreibung' && d.umschreibung) {
      if (d.umschreibung.herkunft === 'anderer_bezirk' && d.umschreibung.kennzeichen === 'behalten') {
        issue(
          ['umschreibung', 'kennzeichen'],
          'Aus einem anderen Zulassungsbezirk: Das Fahrzeug erhält ein Kennzeichen dieses Kreises.',
        );
      }
      if (
        d.umschreibung.kennzeichen === 'behalten' &&
        d.kennzeichen?.zusatz &&
        d.kennzeichen.zusatz !== 'keiner'
      ) {
        const printed = d.umschreibung.bisherigesKennzeichen;
        if (!printed.endsWith(d.kennzeichen.zusatz)) {
          issue(['kennzeichen', 'zusatz'], 'Ein neuer Zusatz (E oder H) braucht ein neues Kennzeichen.');
        }
      }
    }
    if (id === 'kurzzeitkennzeichen' && d.kurzzeit) {
      if (d.kurzzeit.gueltigAb < on)
        issue(['kurzzeit', 'gueltigAb'], 'Gültig ab: nicht vor dem Antragsdatum.');
      if (d.kurzzeit.gueltigAb > addDaysIso(today(), 30)) {
        issue(['kurzzeit', 'gueltigAb'], 'Gültig ab: höchstens 30 Tage im Voraus.');
      }
    }
    if (
      id === 'wiederzulassung' &&
      d.wiederzulassung?.ausserBetriebSeit &&
      d.wiederzulassung.ausserBetriebSeit > on
    ) {
      issue(
        ['wiederzulassung', 'ausserBetriebSeit'],
        'Außer Betrieb gesetzt seit: liegt nach dem Antragsdatum.',
      );
    }
  };
}

function addDaysIso(iso: IsoDate, days: number): IsoDate {
  const d = new Date(`${iso}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function kfzSchema(id: KfzProcedureId, today: () => IsoDate) {
  return formSchema(id, today).superRefine(refine(id, today) as never);
}

export const zuteilenPayload = z
  .object({
    wahl: choice(['naechstes', 'wunsch', 'reservierung'], {
      title: 'Kennzeichen',
      options: KENNZEICHEN_WAHL,
    }),
    unterscheidungszeichen: unterscheidungszeichen.optional(),
    kennzeichen: z
      .string()
      .trim()
      .max(20)
      .meta({ title: 'Wunschkennzeichen', description: 'z. B. SI-AB 123', widget: 'text' })
      .optional(),
    reservierungId: z.uuid('Keine gültige Reservierung.').meta({ title: 'Reservierung' }).optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.wahl === 'wunsch' && !p.kennzeichen) {
      ctx.addIssue({ code: 'custom', path: ['kennzeichen'], message: 'Wunschkennzeichen: Bitte angeben.' });
    }
    if (p.wahl === 'reservierung' && !p.reservierungId) {
      ctx.addIssue({ code: 'custom', path: ['reservierungId'], message: 'Reservierung: Bitte auswählen.' });
    }
  });
export type ZuteilenPayload = z.output<typeof zuteilenPayload>;

const stornoPayload = z.object({ grund: text({ title: 'Grund der Stornierung' }, { max: 500 }) }).strict();

const zulassenPayload = z.object({ zb1Nummer: zb1.optional() }).strict();

type Data = KfzDaten;

function actions(id: KfzProcedureId, schema: z.ZodType): ActionDefinition<Data>[] {
  const done = COMPLETION[id];
  const plate = WITH_PLATE.includes(id);
  const list: ActionDefinition<Data>[] = [
    {
      id: 'berichtigen',
      label: 'Berichtigen',
      description: 'Angaben korrigieren, bevor ein Kennzeichen zugeteilt ist; die Gebühr wird neu berechnet.',
      from: ['erfasst'],
      to: 'erfasst',
      roles: ['sachbearbeitung'],
      payload: schema,
      apply: (_d, payload) => payload as Data,
    },
  ];
  if (plate) {
    list.push(
      {
        id: 'kennzeichen_zuteilen',
        label: 'Kennzeichen zuteilen',
        description:
          'Nächstes freies Kennzeichen in der gesetzlichen Reihenfolge, ein Wunschkennzeichen oder ein reserviertes Kennzeichen zuteilen; danach Prägeschein.',
        from: ['erfasst'],
        to: 'kennzeichen_zugeteilt',
        roles: ['sachbearbeitung'],
        payload: zuteilenPayload,
        apply: (d, payload) => ({ ...d, ...(payload as Partial<Data>) }),
        producesDocument: 'praegeschein',
      },
      {
        id: 'kennzeichen_freigeben',
        label: 'Kennzeichen zurückgeben',
        description:
          'Das zugeteilte Kennzeichen geht sofort in den Vorrat zurück (noch nicht geprägt oder falsch gewählt).',
        from: ['kennzeichen_zugeteilt'],
        to: 'erfasst',
        roles: ['sachbearbeitung'],
        apply: (d, payload) => {
          const { zuteilung: _z, ...rest } = d;
          return { ...rest, ...(payload as Partial<Data>) } as Data;
        },
      },
    );
  }
  list.push(
    {
      id: 'gebuehr_bar_bezahlen',
      label: 'Gebühr bar bezahlt',
      description: 'Die Gebühr wurde bar bezahlt: Buchung im Kassenbuch der Zulassungsstelle.',
      from: plate
        ? id === 'umschreibung'
          ? ['erfasst', 'kennzeichen_zugeteilt']
          : ['kennzeichen_zugeteilt']
        : ['erfasst'],
      to: 'bezahlt',
      roles: ['sachbearbeitung'],
      apply: (d, payload) => ({ ...d, zahlung: payload as Data['zahlung'] }),
    },
    {
      id: done.action,
      label: done.verb,
      description:
        id === 'ausserbetriebsetzung'
          ? 'Das Fahrzeug ist außer Betrieb gesetzt; das Kennzeichen wird gesperrt oder reserviert. Abmeldebestätigung.'
          : id === 'kurzzeitkennzeichen'
            ? 'Kurzzeitkennzeichen und Fahrzeugschein werden ausgehändigt.'
            : 'Abschluss: vorläufige Zulassungsbescheinigung des Notbetriebs.',
      from: ['bezahlt'],
      to: done.state,
      roles: ['sachbearbeitung'],
      ...(id === 'ausserbetriebsetzung' || id === 'kurzzeitkennzeichen' || id === 'anschriftenaenderung'
        ? {}
        : { payload: zulassenPayload }),
      apply: (d, payload) => ({ ...d, abschluss: payload as Data['abschluss'] }),
      producesDocument:
        id === 'ausserbetriebsetzung' ? 'abmeldebestaetigung' : 'vorlaeufige_zulassungsbescheinigung',
    },
    {
      id: 'stornieren',
      label: 'Stornieren',
      description:
        'Antrag zurückgenommen, bevor die Gebühr bezahlt wurde; Kennzeichen und eVB werden wieder frei.',
      from: plate ? ['erfasst', 'kennzeichen_zugeteilt'] : ['erfasst'],
      to: 'storniert',
      roles: ['sachbearbeitung'],
      payload: stornoPayload,
      apply: (d) => {
        const { zuteilung: _z, ...rest } = d;
        return rest as Data;
      },
    },
  );
  return list;
}

function states(id: KfzProcedureId): Record<string, StateDefinition> {
  const done = COMPLETION[id];
  return {
    erfasst: { label: 'Erfasst' },
    ...(WITH_PLATE.includes(id) ? { kennzeichen_zugeteilt: { label: 'Kennzeichen zugeteilt' } } : {}),
    bezahlt: { label: 'Gebühr bezahlt' },
    [done.state]: { label: done.label, final: true },
    storniert: { label: 'Storniert', final: true },
  };
}

const SECTIONS: Record<string, { title: string; description?: string }> = {
  antrag: { title: 'Antrag' },
  halter: { title: 'Halter/in' },
  umschreibung: { title: 'Umschreibung' },
  wiederzulassung: { title: 'Wiederzulassung' },
  bisher: { title: 'Bisherige Anschrift' },
  fahrzeug: { title: 'Fahrzeug' },
  kennzeichen: { title: 'Kennzeichen' },
  kurzzeit: {
    title: 'Kurzzeitkennzeichen',
    description: 'Für Probe-, Überführungs- und Prüfungsfahrten, höchstens 5 Tage.',
  },
  versicherung: { title: 'Versicherung' },
  papiere: { title: 'Fahrzeugpapiere' },
  abmeldung: { title: 'Außerbetriebsetzung' },
  sepa: { title: 'SEPA-Lastschriftmandat Kfz-Steuer' },
};

const SECTION_ORDER: Record<KfzProcedureId, string[]> = {
  neuzulassung: ['antrag', 'halter', 'fahrzeug', 'kennzeichen', 'versicherung', 'papiere', 'sepa'],
  wiederzulassung: [
    'antrag',
    'halter',
    'wiederzulassung',
    'fahrzeug',
    'kennzeichen',
    'versicherung',
    'papiere',
    'sepa',
  ],
  umschreibung: [
    'antrag',
    'halter',
    'umschreibung',
    'fahrzeug',
    'kennzeichen',
    'versicherung',
    'papiere',
    'sepa',
  ],
  ausserbetriebsetzung: ['antrag', 'halter', 'fahrzeug', 'kennzeichen', 'papiere', 'abmeldung'],
  anschriftenaenderung: ['antrag', 'halter', 'bisher', 'fahrzeug', 'kennzeichen'],
  kurzzeitkennzeichen: ['antrag', 'halter', 'fahrzeug', 'kurzzeit', 'versicherung'],
};

const DESCRIPTIONS: Record<KfzProcedureId, string> = {
  neuzulassung:
    'Erstmalige Zulassung eines Fahrzeugs (FZV): Halter, Fahrzeug, eVB, SEPA-Mandat Kfz-Steuer, Kennzeichen aus der Notbetriebsserie oder Wunschkennzeichen, Gebühr bar, Prägeschein und vorläufige Zulassungsbescheinigung.',
  umschreibung:
    'Halterwechsel eines zugelassenen Fahrzeugs, auch aus einem anderen Zulassungsbezirk (dann mit neuem Kennzeichen).',
  ausserbetriebsetzung:
    'Außerbetriebsetzung (Abmeldung) mit Sperre oder Reservierung des Kennzeichens und Abmeldebestätigung.',
  wiederzulassung:
    'Zulassung eines außer Betrieb gesetzten Fahrzeugs, auf Wunsch mit dem reservierten Kennzeichen.',
  anschriftenaenderung: 'Änderung der Halteranschrift in den Fahrzeugpapieren (Umzug im Kreis).',
  kurzzeitkennzeichen: 'Kurzzeitkennzeichen (03/04) für höchstens 5 Tage, mit eigener eVB.',
};

export function kfzSummary(id: KfzProcedureId, data: unknown): string {
  const d = data as KfzDaten;
  const plate = d.zuteilung?.text ?? d.kennzeichen?.aktuell ?? d.umschreibung?.bisherigesKennzeichen;
  const car = d.fahrzeug?.hersteller
    ? ` – ${d.fahrzeug.hersteller}${'typ' in d.fahrzeug && d.fahrzeug.typ ? ` ${d.fahrzeug.typ}` : ''}`
    : '';
  return `${halterName(d.halter)}${car}${plate ? ` – ${plate}` : ''} – ${KFZ_TITLES[id]}`;
}

export function createKfzProcedure(id: KfzProcedureId, opts: { today: () => IsoDate }): ProcedureDefinition {
  const schema = kfzSchema(id, opts.today);
  const plate = WITH_PLATE.includes(id);
  const def = defineProcedure({
    id,
    version: 1,
    office: 'zulassungsstelle',
    title: KFZ_TITLES[id],
    description: DESCRIPTIONS[id],
    aktenzeichenCode: CODES[id],
    form: {
      schema,
      sections: SECTION_ORDER[id].map((s) => ({ id: s, ...(SECTIONS[s] as { title: string }) })),
    },
    states: states(id),
    create: { id: 'erfassen', label: 'Antrag erfassen', to: 'erfasst', roles: ['sachbearbeitung'] },
    actions: actions(id, schema) as never,
    documents: [
      ...(plate
        ? [
            {
              id: 'praegeschein',
              title: 'Prägeschein',
              availableIn: ['kennzeichen_zugeteilt', 'bezahlt', COMPLETION[id].state],
            },
          ]
        : []),
      id === 'ausserbetriebsetzung'
        ? {
            id: 'abmeldebestaetigung',
            title: 'Bestätigung über die Außerbetriebsetzung',
            availableIn: ['ausser_betrieb'],
          }
        : {
            id: 'vorlaeufige_zulassungsbescheinigung',
            title:
              id === 'kurzzeitkennzeichen'
                ? 'Vorläufiger Fahrzeugschein für Kurzzeitkennzeichen'
                : 'Vorläufige Zulassungsbescheinigung des Notbetriebs',
            availableIn: [COMPLETION[id].state],
          },
    ],
    handover: [
      ...(id === 'kurzzeitkennzeichen'
        ? []
        : [
            {
              id: 'xkfz',
              title: 'XKfz-Nachricht an das Zulassungsverfahren',
              kind: 'xoev' as const,
              describe: 'vorsystem.antrag.0707 (XKfz 5.3)',
            },
          ]),
      {
        id: 'csv',
        title: 'CSV zur Nacherfassung im Zulassungsverfahren',
        kind: 'csv' as const,
        describe: KFZ_CSV_COLUMNS.join(';'),
      },
    ],
    searchText: (d) => {
      const x = d as KfzDaten;
      return [
        x.halter.familienname,
        x.halter.vornamen,
        x.halter.firmenname,
        x.fahrzeug.fin,
        x.zuteilung?.kennzeichen,
        x.kennzeichen?.aktuell,
        x.umschreibung?.bisherigesKennzeichen,
        x.versicherung?.evb,
      ];
    },
    summary: (d) => kfzSummary(id, d),
  });
  return def as unknown as ProcedureDefinition;
}

export const KFZ_CSV_COLUMNS = [
  'aktenzeichen',
  'vorgang',
  'status',
  'antragsdatum',
  'halter_art',
  'familienname',
  'vornamen',
  'geburtsdatum',
  'firmenname',
  'strasse',
  'hausnummer',
  'plz',
  'ort',
  'fin',
  'hsn',
  'tsn',
  'hersteller',
  'kraftstoff',
  'naechste_hu',
  'kennzeichen',
  'zusatz',
  'kennzeichen_wahl',
  'bisheriges_kennzeichen',
  'evb',
  'zb1_nummer',
  'zb2_nummer',
  'iban',
  'kontoinhaber',
  'gebuehr_cent',
  'beleg_nr',
  'abgeschlossen_am',
  'gueltig_bis',
  'vorgangs_id',
] as const;
