import { z } from 'zod';
import { addDays, type IsoDate } from '../../core/dates.js';
import type { ProcedureDefinition } from '../../core/procedure.js';
import { defineProcedure } from '../../core/procedure.js';
import { choice, isoDate, text, yesNo } from '../../core/schema-helpers.js';
import { anschriftSchema, type Person, personSchema } from './schema.js';

/**
 * Meldevorgänge (Bundesmeldegesetz): Anmeldung (moving into the municipality), Ummeldung (moving
 * within it), Abmeldung (moving abroad / giving up a dwelling without a new one in Germany).
 *
 * - Meldefrist: within two weeks after moving in or out (BMG § 17 Abs. 1 and 2). An Abmeldung is
 *   possible at the earliest one week before moving out (BMG § 17 Abs. 2 Satz 2).
 * - The landlord's confirmation (Wohnungsgeberbestätigung, BMG § 19) must be presented for moving in.
 * - Family members moving together are recorded in one Meldevorgang (repeated group `personen`).
 * - The Meldebestätigung (BMG § 24 Abs. 2) is issued as PDF.
 * - Each recorded Meldevorgang updates the register overlay in its own transaction, so the search
 *   finds the persons at the new address, marked as recorded in emergency operation.
 */

export const MELDEFRIST_TAGE = 14;
export const ABMELDUNG_VORLAUF_TAGE = 7;

export const WOHNUNGSSTATUS = { hauptwohnung: 'Hauptwohnung', nebenwohnung: 'Nebenwohnung' } as const;

export type MeldungArt = 'anmeldung' | 'ummeldung' | 'abmeldung';

export const MELDUNG_TITEL: Record<MeldungArt, string> = {
  anmeldung: 'Anmeldung',
  ummeldung: 'Ummeldung',
  abmeldung: 'Abmeldung',
};

const personen = z
  .array(personSchema('personen'), { error: 'Personen: Bitte mindestens eine Person angeben.' })
  .min(1, 'Personen: Bitte mindestens eine Person angeben.')
  .max(12, 'Personen: höchstens 12 Personen je Meldevorgang.')
  .meta({
    title: 'Meldepflichtige Personen',
    description: 'Die erste Person meldet; Familienangehörige, die mit einziehen, folgen.',
    section: 'personen',
    repeat: true,
  });

const wohnungsgeberbestaetigung = z
  .object({
    vorgelegt: yesNo({ title: 'Wohnungsgeberbestätigung liegt vor', section: 'wohnungsgeber' }),
    wohnungsgeber: text({ title: 'Name des Wohnungsgebers', section: 'wohnungsgeber' }),
    datum: isoDate({ title: 'Datum der Bestätigung', section: 'wohnungsgeber' }),
  })
  .strict()
  .superRefine((w, ctx) => {
    if (w.vorgelegt !== true) {
      ctx.addIssue({
        code: 'custom',
        path: ['vorgelegt'],
        message:
          'Die Wohnungsgeberbestätigung (§ 19 BMG) muss vorgelegt werden. Ohne sie kann die Anmeldung nicht erfasst werden.',
      });
    }
  })
  .meta({ title: 'Wohnungsgeberbestätigung (§ 19 BMG)', section: 'wohnungsgeber' });

const bisherigeWohnung = z
  .object({
    strasse: text({ title: 'Straße', section: 'bisher' }).optional(),
    hausnummer: text({ title: 'Hausnummer', section: 'bisher' }, { max: 10 }).optional(),
    plz: text({ title: 'Postleitzahl', section: 'bisher' }, { max: 10 }).optional(),
    ort: text({ title: 'Ort', section: 'bisher' }),
    staat: text(
      { title: 'Staat', description: 'Bei Zuzug aus dem Ausland', section: 'bisher' },
      { max: 60 },
    ).optional(),
  })
  .strict()
  .meta({ title: 'Bisherige Wohnung', section: 'bisher' });

function checkDates(
  d: { personen: Person[]; datum: IsoDate; bestaetigtAm?: IsoDate },
  path: string[],
  today: IsoDate,
  maxFuture: number,
  ctx: z.RefinementCtx,
) {
  if (d.datum > addDays(today, maxFuture)) {
    ctx.addIssue({
      code: 'custom',
      path,
      message:
        maxFuture === 0
          ? 'Einzugsdatum: darf nicht in der Zukunft liegen (angemeldet wird nach dem Einzug).'
          : `Auszugsdatum: frühestens ${maxFuture} Tage vor dem Auszug möglich (§ 17 Abs. 2 BMG).`,
    });
  }
  d.personen.forEach((p, i) => {
    if (p.geburtsdatum > today) {
      ctx.addIssue({
        code: 'custom',
        path: ['personen', i, 'geburtsdatum'],
        message: 'Geburtsdatum: darf nicht in der Zukunft liegen.',
      });
    }
  });
  if (d.bestaetigtAm && d.bestaetigtAm > today) {
    ctx.addIssue({
      code: 'custom',
      path: ['wohnungsgeberbestaetigung', 'datum'],
      message: 'Datum der Bestätigung: darf nicht in der Zukunft liegen.',
    });
  }
}

export function einzugSchema(today: () => IsoDate) {
  return z
    .object({
      personen,
      einzug: z
        .object({
          datum: isoDate({ title: 'Einzugsdatum', section: 'wohnung' }),
          wohnungsstatus: choice(['hauptwohnung', 'nebenwohnung'], {
            title: 'Die Wohnung ist',
            section: 'wohnung',
            options: WOHNUNGSSTATUS,
          }),
        })
        .strict(),
      neueWohnung: anschriftSchema('wohnung', 'Neue Wohnung'),
      bisherigeWohnung,
      wohnungsgeberbestaetigung,
    })
    .strict()
    .superRefine((d, ctx) =>
      checkDates(
        { personen: d.personen, datum: d.einzug.datum, bestaetigtAm: d.wohnungsgeberbestaetigung.datum },
        ['einzug', 'datum'],
        today(),
        0,
        ctx,
      ),
    );
}

export function abmeldungSchema(today: () => IsoDate) {
  return z
    .object({
      personen,
      auszug: z.object({ datum: isoDate({ title: 'Auszugsdatum', section: 'wohnung' }) }).strict(),
      bisherigeWohnung: anschriftSchema('wohnung', 'Wohnung, die aufgegeben wird'),
      kuenftigeAnschrift: z
        .object({
          staat: text(
            { title: 'Staat', description: 'Wohin die Person zieht', section: 'kuenftig' },
            { max: 60 },
          ),
          anschrift: text(
            { title: 'Anschrift', description: 'Falls bekannt', section: 'kuenftig' },
            { max: 300 },
          ).optional(),
        })
        .strict()
        .meta({ title: 'Künftige Anschrift', section: 'kuenftig' }),
    })
    .strict()
    .superRefine((d, ctx) =>
      checkDates(
        { personen: d.personen, datum: d.auszug.datum },
        ['auszug', 'datum'],
        today(),
        ABMELDUNG_VORLAUF_TAGE,
        ctx,
      ),
    );
}

export type EinzugDaten = z.output<ReturnType<typeof einzugSchema>>;
export type AbmeldungDaten = z.output<ReturnType<typeof abmeldungSchema>>;

export interface Meldefrist {
  /** Moving date. */
  stichtag: IsoDate;
  /** Last day of the two-week period. */
  endetAm: IsoDate;
  /** Recorded on this day. */
  gemeldetAm: IsoDate;
  eingehalten: boolean;
}

/** Data as stored: the form plus what the server derives when recording. */
export type MeldungDaten = (EinzugDaten | AbmeldungDaten) & { meldefrist?: Meldefrist };

export function movingDate(d: EinzugDaten | AbmeldungDaten): IsoDate {
  return 'einzug' in d ? d.einzug.datum : d.auszug.datum;
}

/** BMG § 17: two weeks after moving in (or out). */
export function meldefrist(stichtag: IsoDate, gemeldetAm: IsoDate): Meldefrist {
  const endetAm = addDays(stichtag, MELDEFRIST_TAGE);
  return { stichtag, endetAm, gemeldetAm, eingehalten: gemeldetAm <= endetAm };
}

export function createMeldung(art: MeldungArt, opts: { today: () => IsoDate }): ProcedureDefinition {
  const schema = art === 'abmeldung' ? abmeldungSchema(opts.today) : einzugSchema(opts.today);
  const titel = MELDUNG_TITEL[art];
  const description: Record<MeldungArt, string> = {
    anmeldung:
      'Anmeldung nach Zuzug in die Gemeinde (§ 17 Abs. 1 BMG) mit Wohnungsgeberbestätigung (§ 19 BMG) und Meldebestätigung (§ 24 Abs. 2 BMG).',
    ummeldung:
      'Umzug innerhalb der Gemeinde (§ 17 Abs. 1 BMG) mit Wohnungsgeberbestätigung (§ 19 BMG) und Meldebestätigung.',
    abmeldung:
      'Abmeldung bei Wegzug ins Ausland oder Aufgabe einer Wohnung ohne neue Wohnung im Inland (§ 17 Abs. 2 BMG) mit Abmeldebestätigung.',
  };
  const def = defineProcedure({
    id: art,
    version: 1,
    office: 'meldebehoerde',
    title: titel,
    description: description[art],
    aktenzeichenCode: { anmeldung: 'AN', ummeldung: 'UM', abmeldung: 'AB' }[art],
    form: {
      schema,
      sections: [
        { id: 'personen', title: 'Personen', description: 'Alle Personen, die gemeinsam umziehen' },
        { id: 'wohnung', title: art === 'abmeldung' ? 'Auszug' : 'Neue Wohnung' },
        ...(art === 'abmeldung'
          ? [{ id: 'kuenftig', title: 'Künftige Anschrift' }]
          : [
              { id: 'bisher', title: 'Bisherige Wohnung' },
              { id: 'wohnungsgeber', title: 'Wohnungsgeberbestätigung' },
            ]),
      ],
    },
    states: {
      erfasst: { label: 'Erfasst' },
      storniert: { label: 'Storniert', final: true },
    },
    create: {
      id: 'erfassen',
      label: 'Erfassen',
      to: 'erfasst',
      roles: ['sachbearbeitung'],
    },
    actions: [
      {
        id: 'berichtigen',
        label: 'Berichtigen',
        description: 'Angaben korrigieren; die Meldebestätigung wird neu ausgestellt.',
        from: ['erfasst'],
        to: 'erfasst',
        roles: ['sachbearbeitung'],
        payload: schema,
        apply: (_d, payload) => payload as never,
        producesDocument: 'meldebestaetigung',
      },
      {
        id: 'stornieren',
        label: 'Stornieren',
        description:
          'Irrtümlich erfasster Meldevorgang; die Person erscheint in der Suche wieder wie im Registerstand.',
        from: ['erfasst'],
        to: 'storniert',
        roles: ['sachbearbeitung'],
        payload: z.object({ grund: text({ title: 'Grund der Stornierung' }, { max: 500 }) }).strict(),
      },
    ],
    fees: () => [],
    documents: [
      {
        id: 'meldebestaetigung',
        title: art === 'abmeldung' ? 'Abmeldebestätigung' : 'Meldebestätigung',
        availableIn: ['erfasst'],
      },
    ],
    handover: [
      {
        id: 'xmeld',
        title: 'XMeld-Nachricht an das Melderegister',
        kind: 'xoev',
        describe:
          art === 'abmeldung'
            ? 'XMeld 2.4.3, Elementstruktur der Fortschreibung (Abmeldung) – siehe docs/REGISTER.md'
            : 'XMeld 2.4.3, Elementstruktur anmeldung.datenbereitstellung.0301 – siehe docs/REGISTER.md',
      },
      {
        id: 'csv',
        title: 'CSV für das Melderegister',
        kind: 'csv',
        describe:
          'aktenzeichen;vorgang;personen_id;familienname;vornamen;geburtsdatum;datum;strasse;hausnummer;plz;ort;wohnungsstatus',
      },
    ],
    searchText: (d) => [
      ...d.personen.flatMap((p) => [p.familienname, p.vornamen, p.geburtsname, p.registerPersonId]),
      'neueWohnung' in d ? `${d.neueWohnung.strasse} ${d.neueWohnung.ort}` : undefined,
    ],
    summary: (d) => {
      const first = d.personen[0];
      const more = d.personen.length > 1 ? ` (+${d.personen.length - 1})` : '';
      return `${first?.familienname ?? ''}, ${first?.vornamen ?? ''}${more} – ${titel}`;
    },
  });
  return def as unknown as ProcedureDefinition;
}
