import { z } from 'zod';
import { addWorkingDays, type IsoDate } from '../../core/dates.js';
import { checkGermanDocumentNumber } from '../../core/icao9303.js';
import { defineProcedure } from '../../core/procedure.js';
import { choice, isoDate, longText, plz, text, yesNo } from '../../core/schema-helpers.js';

/**
 * Verlustanzeige: report of a lost or stolen Personalausweis or Reisepass (PAuswG § 27 Abs. 1
 * Nr. 3, PassG § 15 Nr. 3: the holder must report the loss without delay to the ID/passport
 * authority). The authority records it, confirms it with a Verlustbescheinigung, and later hands
 * the report to the document register so that the document is blocked.
 */

export const DOKUMENTARTEN = {
  personalausweis: 'Personalausweis',
  reisepass: 'Reisepass',
  vorlaeufiger_personalausweis: 'Vorläufiger Personalausweis',
  vorlaeufiger_reisepass: 'Vorläufiger Reisepass',
} as const;

export const VERLUSTARTEN = { verloren: 'Verloren', gestohlen: 'Gestohlen' } as const;

const person = z
  .object({
    familienname: text({ title: 'Familienname', section: 'person' }),
    vornamen: text({ title: 'Vornamen', section: 'person' }),
    geburtsname: text({
      title: 'Geburtsname',
      description: 'Nur wenn abweichend vom Familiennamen',
      section: 'person',
    }).optional(),
    geburtsdatum: isoDate({ title: 'Geburtsdatum', section: 'person' }),
    geburtsort: text({ title: 'Geburtsort', section: 'person' }),
    strasse: text({ title: 'Straße und Hausnummer', section: 'person' }),
    plz: plz({ title: 'Postleitzahl', section: 'person' }),
    wohnort: text({ title: 'Wohnort', section: 'person' }),
  })
  .meta({ title: 'Person', section: 'person' });

const dokument = z
  .object({
    art: choice(['personalausweis', 'reisepass', 'vorlaeufiger_personalausweis', 'vorlaeufiger_reisepass'], {
      title: 'Art des Dokuments',
      section: 'dokument',
      options: DOKUMENTARTEN,
    }),
    nummer: z
      .string()
      .trim()
      .toUpperCase()
      .max(10, 'Dokumentennummer: höchstens 10 Zeichen.')
      .meta({
        title: 'Dokumentennummer mit Prüfziffer',
        description:
          'Falls bekannt: die Seriennummer mit der Prüfziffer, z. B. T220001293 (Personalausweis: oben rechts auf der Vorderseite).',
        section: 'dokument',
        widget: 'text',
      })
      .optional(),
    ausstellungsdatum: isoDate({
      title: 'Ausgestellt am',
      description: 'Falls bekannt',
      section: 'dokument',
    }).optional(),
  })
  .superRefine((d, ctx) => {
    if (d.nummer === undefined || d.nummer === '') return;
    const check = checkGermanDocumentNumber(d.art, d.nummer);
    if (!check.ok)
      ctx.addIssue({ code: 'custom', path: ['nummer'], message: check.message ?? 'Ungültige Nummer' });
  })
  .meta({ title: 'Dokument', section: 'dokument' });

const verlust = z
  .object({
    art: choice(['verloren', 'gestohlen'], {
      title: 'Verloren oder gestohlen?',
      section: 'verlust',
      options: VERLUSTARTEN,
    }),
    datum: isoDate({
      title: 'Datum des Verlusts',
      description: 'Wenn nicht genau bekannt: der Tag, an dem der Verlust bemerkt wurde',
      section: 'verlust',
    }),
    ort: text({ title: 'Ort des Verlusts', section: 'verlust' }),
    umstaende: longText({
      title: 'Umstände',
      description: 'Kurz: wie und wo der Verlust bemerkt wurde',
      section: 'verlust',
    }).optional(),
  })
  .meta({ title: 'Verlust', section: 'verlust' });

const polizei = z
  .object({
    angezeigt: yesNo({ title: 'Bei der Polizei angezeigt?', section: 'polizei' }),
    dienststelle: text({ title: 'Polizeidienststelle', section: 'polizei' }).optional(),
    aktenzeichen: text(
      { title: 'Aktenzeichen der Polizei', description: 'Vorgangs- oder Tagebuchnummer', section: 'polizei' },
      { max: 60 },
    ).optional(),
  })
  .superRefine((p, ctx) => {
    if (p.angezeigt && !p.dienststelle) {
      ctx.addIssue({
        code: 'custom',
        path: ['dienststelle'],
        message: 'Polizeidienststelle: Bitte angeben, wenn der Verlust angezeigt wurde.',
      });
    }
  })
  .meta({ title: 'Polizei', section: 'polizei' });

/** The form, version 1. The "today" check runs at the server and in the browser alike. */
export function verlustanzeigeSchema(today: () => IsoDate) {
  return z
    .object({ person, dokument, verlust, polizei })
    .strict()
    .superRefine((d, ctx) => {
      const t = today();
      if (d.verlust.datum > t) {
        ctx.addIssue({
          code: 'custom',
          path: ['verlust', 'datum'],
          message: 'Datum des Verlusts: darf nicht in der Zukunft liegen.',
        });
      }
      if (d.person.geburtsdatum > t) {
        ctx.addIssue({
          code: 'custom',
          path: ['person', 'geburtsdatum'],
          message: 'Geburtsdatum: darf nicht in der Zukunft liegen.',
        });
      }
      if (d.verlust.datum < d.person.geburtsdatum) {
        ctx.addIssue({
          code: 'custom',
          path: ['verlust', 'datum'],
          message: 'Datum des Verlusts: liegt vor dem Geburtsdatum.',
        });
      }
      if (d.dokument.ausstellungsdatum && d.dokument.ausstellungsdatum > d.verlust.datum) {
        ctx.addIssue({
          code: 'custom',
          path: ['dokument', 'ausstellungsdatum'],
          message: 'Ausgestellt am: liegt nach dem Verlust.',
        });
      }
    });
}

export type VerlustanzeigeDaten = z.output<ReturnType<typeof verlustanzeigeSchema>>;

/**
 * Internal target for confirming a recorded loss report, in working days. The law asks the
 * holder to report "unverzüglich" but sets the authority no deadline: this is an internal,
 * configurable target (env VERLUSTANZEIGE_BEARBEITUNG_ARBEITSTAGE), not law.
 */
export const BEARBEITUNGSFRIST_ARBEITSTAGE_DEFAULT = 1;

export function createVerlustanzeige(opts: { today: () => IsoDate; bearbeitungsfristArbeitstage?: number }) {
  const frist = opts.bearbeitungsfristArbeitstage ?? BEARBEITUNGSFRIST_ARBEITSTAGE_DEFAULT;
  return defineProcedure({
    id: 'verlustanzeige',
    version: 1,
    office: 'meldebehoerde',
    title: 'Verlustanzeige Ausweis/Pass',
    description:
      'Anzeige eines verlorenen oder gestohlenen Personalausweises oder Reisepasses (§ 27 Abs. 1 Nr. 3 PAuswG, § 15 Nr. 3 PassG) mit Verlustbescheinigung.',
    aktenzeichenCode: 'VA',
    form: {
      schema: verlustanzeigeSchema(opts.today),
      sections: [
        { id: 'person', title: 'Person', description: 'Inhaberin oder Inhaber des Dokuments' },
        { id: 'dokument', title: 'Dokument' },
        { id: 'verlust', title: 'Verlust' },
        { id: 'polizei', title: 'Polizei' },
      ],
    },
    states: {
      erfasst: { label: 'Erfasst' },
      bestaetigt: { label: 'Bestätigt', final: true },
      storniert: { label: 'Storniert', final: true },
    },
    create: { id: 'erfassen', label: 'Erfassen', to: 'erfasst', roles: ['sachbearbeitung'] },
    actions: [
      {
        id: 'berichtigen',
        label: 'Berichtigen',
        description: 'Angaben korrigieren, bevor die Verlustbescheinigung ausgestellt wird.',
        from: ['erfasst'],
        to: 'erfasst',
        roles: ['sachbearbeitung'],
        payload: verlustanzeigeSchema(opts.today),
        apply: (_data, payload) => payload as VerlustanzeigeDaten,
      },
      {
        id: 'bestaetigen',
        label: 'Bestätigen',
        description: 'Angaben mit dem Antragsteller abgeglichen; Verlustbescheinigung ausstellen.',
        from: ['erfasst'],
        to: 'bestaetigt',
        roles: ['sachbearbeitung'],
        producesDocument: 'verlustbescheinigung',
      },
      {
        id: 'stornieren',
        label: 'Stornieren',
        description: 'Irrtümlich erfasste Anzeige (z. B. Dokument wiedergefunden, bevor bestätigt).',
        from: ['erfasst'],
        to: 'storniert',
        roles: ['sachbearbeitung'],
        payload: z.object({ grund: text({ title: 'Grund der Stornierung' }, { max: 500 }) }).strict(),
      },
    ],
    deadline: {
      label: `Bestätigung (interne Frist, ${frist} Arbeitstag${frist === 1 ? '' : 'e'})`,
      openIn: ['erfasst'],
      compute: (_data, { recordedOn }) => addWorkingDays(recordedOn, frist),
    },
    // The loss report itself is free of charge; fees arise only with the new document.
    fees: () => [],
    documents: [{ id: 'verlustbescheinigung', title: 'Verlustbescheinigung', availableIn: ['bestaetigt'] }],
    handover: [
      {
        id: 'csv',
        title: 'CSV für das Pass-/Personalausweisregister',
        kind: 'csv',
        describe:
          'aktenzeichen;familienname;vornamen;geburtsdatum;dokumentart;dokumentnummer;verlustart;verlustdatum;polizei',
      },
    ],
    searchText: (d) => [
      d.person.familienname,
      d.person.vornamen,
      d.person.geburtsname,
      d.person.wohnort,
      d.dokument.nummer,
      d.verlust.ort,
      d.polizei.aktenzeichen,
    ],
    summary: (d) =>
      `${d.person.familienname}, ${d.person.vornamen} – ${DOKUMENTARTEN[d.dokument.art]} ${VERLUSTARTEN[d.verlust.art].toLowerCase()}`,
  });
}
