import { z } from 'zod';
import { addWorkingDays, type IsoDate } from '../../core/dates.js';
import { defineProcedure, type ProcedureDefinition } from '../../core/procedure.js';
import { choice, isoDate, text, yesNo } from '../../core/schema-helpers.js';
import { type AnzeigeOptions, anzeigeActions } from './actions.js';
import { anschrift, geschlecht, type StandesamtVerwaltung, uhrzeit } from './common.js';

/**
 * Sterbefall: report of a death and its registration in the Sterberegister (PStG §§ 28-31).
 * Deadline: by the third working day after the death (§ 28 PStG; working days Mon-Fri without
 * NRW public holidays, FACTS.md §2 — the "next working day" rule is pre-2009 law and not used).
 * Reporters in the order of § 29 Abs. 1 PStG; a funeral home (§ 29 Abs. 2) or an institution
 * such as a hospital or care home (§ 30) reports in writing.
 */

export const STERBEFALL_ANZEIGENDE = {
  haushaltsangehoerige:
    'Person, die mit der/dem Verstorbenen in häuslicher Gemeinschaft gelebt hat (§ 29 Abs. 1 Nr. 1 PStG)',
  wohnungsinhaber: 'Person, in deren Wohnung sich der Sterbefall ereignet hat (§ 29 Abs. 1 Nr. 2 PStG)',
  anwesende_person:
    'Beim Tod anwesende oder aus eigenem Wissen unterrichtete Person (§ 29 Abs. 1 Nr. 3 PStG)',
  bestattungsunternehmen: 'Bestattungsunternehmen – schriftlich (§ 29 Abs. 2 PStG)',
  einrichtung: 'Krankenhaus, Heim oder sonstige Einrichtung – schriftlich (§ 30 PStG)',
} as const;

export const FAMILIENSTAENDE = {
  ledig: 'ledig',
  verheiratet: 'verheiratet',
  verwitwet: 'verwitwet',
  geschieden: 'geschieden',
} as const;

const SCHRIFTLICH = ['bestattungsunternehmen', 'einrichtung'];

const verstorbene = z
  .object({
    familienname: text({ title: 'Familienname', section: 'verstorbene' }),
    vornamen: text({ title: 'Vornamen', section: 'verstorbene' }),
    geburtsname: text({
      title: 'Geburtsname',
      description: 'Nur wenn abweichend',
      section: 'verstorbene',
    }).optional(),
    geschlecht: geschlecht({ title: 'Geschlecht', section: 'verstorbene' }),
    geburtsdatum: isoDate({ title: 'Geburtsdatum', section: 'verstorbene' }),
    geburtsort: text({ title: 'Geburtsort', section: 'verstorbene' }),
    familienstand: choice(['ledig', 'verheiratet', 'verwitwet', 'geschieden'], {
      title: 'Familienstand',
      section: 'verstorbene',
      options: FAMILIENSTAENDE,
    }),
    staatsangehoerigkeit: text({ title: 'Staatsangehörigkeit', section: 'verstorbene' }, { max: 100 }),
  })
  .strict()
  .meta({ title: 'Verstorbene Person', section: 'verstorbene' });

const letzteAnschrift = z
  .object(anschrift('anschrift'))
  .strict()
  .meta({ title: 'Letzte Anschrift', section: 'anschrift' });

const tod = z
  .object({
    datum: isoDate({ title: 'Sterbetag', section: 'tod' }),
    uhrzeit: uhrzeit({ title: 'Uhrzeit des Todes', section: 'tod' }).optional(),
    ort: text({ title: 'Sterbeort', description: 'Gemeinde', section: 'tod' }),
    staette: text({
      title: 'Sterbestätte',
      description: 'z. B. Krankenhaus, Wohnung',
      section: 'tod',
    }).optional(),
  })
  .strict()
  .meta({ title: 'Tod', section: 'tod' });

const anzeige = z
  .object({
    name: text({ title: 'Name der anzeigenden Person oder Stelle', section: 'anzeige' }),
    rolle: choice(
      [
        'haushaltsangehoerige',
        'wohnungsinhaber',
        'anwesende_person',
        'bestattungsunternehmen',
        'einrichtung',
      ],
      { title: 'Eigenschaft der anzeigenden Person', section: 'anzeige', options: STERBEFALL_ANZEIGENDE },
    ),
    schriftlich: yesNo({ title: 'Schriftliche Anzeige?', section: 'anzeige' }),
    datum: isoDate({ title: 'Tag der Anzeige', section: 'anzeige' }),
  })
  .strict()
  .meta({ title: 'Anzeige', section: 'anzeige' });

export function sterbefallSchema(today: () => IsoDate) {
  return z
    .object({ verstorbene, letzteAnschrift, tod, anzeige })
    .strict()
    .superRefine((d, ctx) => {
      const t = today();
      if (d.tod.datum > t) {
        ctx.addIssue({
          code: 'custom',
          path: ['tod', 'datum'],
          message: 'Sterbetag: darf nicht in der Zukunft liegen.',
        });
      }
      if (d.anzeige.datum > t) {
        ctx.addIssue({
          code: 'custom',
          path: ['anzeige', 'datum'],
          message: 'Tag der Anzeige: darf nicht in der Zukunft liegen.',
        });
      }
      if (d.tod.datum > d.anzeige.datum) {
        ctx.addIssue({
          code: 'custom',
          path: ['tod', 'datum'],
          message: 'Sterbetag: muss vor der Anzeige liegen (oder am selben Tag).',
        });
      }
      if (d.verstorbene.geburtsdatum > d.tod.datum) {
        ctx.addIssue({
          code: 'custom',
          path: ['verstorbene', 'geburtsdatum'],
          message: 'Geburtsdatum: liegt nach dem Sterbetag.',
        });
      }
      if (SCHRIFTLICH.includes(d.anzeige.rolle) && !d.anzeige.schriftlich) {
        ctx.addIssue({
          code: 'custom',
          path: ['anzeige', 'schriftlich'],
          message:
            'Bestattungsunternehmen und Einrichtungen zeigen einen Sterbefall schriftlich an (§§ 29, 30 PStG).',
        });
      }
    });
}

export type SterbefallForm = z.output<ReturnType<typeof sterbefallSchema>>;
export type SterbefallDaten = SterbefallForm & StandesamtVerwaltung;

/** Documents by marital status (civil-status proof of the deceased). */
export function sterbefallUnterlagen(f: SterbefallForm): Array<{ id: string; label: string }> {
  const docs = [
    { id: 'todesbescheinigung', label: 'Todesbescheinigung (ärztlich, nichtvertraulicher Teil)' },
    { id: 'ausweis_verstorbene', label: 'Personalausweis oder Reisepass der verstorbenen Person' },
  ];
  switch (f.verstorbene.familienstand) {
    case 'ledig':
      docs.push({ id: 'geburtsurkunde', label: 'Geburtsurkunde der verstorbenen Person' });
      break;
    case 'verheiratet':
      docs.push({ id: 'eheurkunde', label: 'Eheurkunde' });
      break;
    case 'verwitwet':
      docs.push({ id: 'eheurkunde', label: 'Eheurkunde' });
      docs.push({ id: 'sterbeurkunde_ehegatte', label: 'Sterbeurkunde der Ehegattin / des Ehegatten' });
      break;
    case 'geschieden':
      docs.push({ id: 'eheurkunde', label: 'Eheurkunde' });
      docs.push({ id: 'scheidungsnachweis', label: 'Scheidungsurteil mit Rechtskraftvermerk' });
      break;
  }
  if (f.anzeige.rolle === 'bestattungsunternehmen') {
    docs.push({
      id: 'auftrag_bestatter',
      label: 'Schriftliche Anzeige / Auftrag an das Bestattungsunternehmen',
    });
  }
  return docs;
}

export function sterbefallSummary(data: unknown): string {
  const d = data as SterbefallForm;
  return `${d.verstorbene.familienname}, ${d.verstorbene.vornamen} – verstorben am ${d.tod.datum.split('-').reverse().join('.')} in ${d.tod.ort}`;
}

export const sterbefallMerkmale = (data: unknown) => {
  const d = data as SterbefallForm;
  return {
    familienname: d.verstorbene.familienname,
    vornamen: d.verstorbene.vornamen,
    datum: d.tod.datum,
    ort: d.tod.ort,
  };
};

/** By the third working day after the death (§ 28 PStG, NRW holidays). */
export function sterbefallAnzeigefrist(f: SterbefallForm): IsoDate {
  return addWorkingDays(f.tod.datum, 3);
}

export const STERBEFALL_CSV_COLUMNS = [
  'aktenzeichen',
  'registernummer',
  'eingetragen_am',
  'familienname',
  'vornamen',
  'geburtsname',
  'geschlecht',
  'geburtsdatum',
  'geburtsort',
  'familienstand',
  'sterbetag',
  'sterbezeit',
  'sterbeort',
  'strasse',
  'plz',
  'wohnort',
  'vorgangs_id',
] as const;

/** What the shared report actions (actions.ts) and their hooks (server/hooks.ts) need to know. */
export const STERBEFALL_ANZEIGE: AnzeigeOptions<SterbefallForm> = {
  register: 'S',
  registrierenLabel: 'Die Beurkundung des Sterbefalls',
  requiredDocuments: sterbefallUnterlagen,
  merkmale: sterbefallMerkmale,
  summary: sterbefallSummary,
  certificate: 'vorlaeufige_sterbeurkunde',
};

export function createSterbefall(opts: { today: () => IsoDate }) {
  const schema = sterbefallSchema(opts.today);
  return defineProcedure({
    id: 'sterbefall',
    version: 1,
    office: 'standesamt',
    title: 'Sterbefall',
    description:
      'Anzeige eines Sterbefalls (§§ 28-30 PStG) und Beurkundung im Sterberegister, mit Bestätigung der Anzeige für die Bestattung und vorläufiger Sterbeurkunde.',
    aktenzeichenCode: 'SF',
    form: {
      schema,
      sections: [
        { id: 'verstorbene', title: 'Verstorbene Person' },
        { id: 'anschrift', title: 'Letzte Anschrift' },
        { id: 'tod', title: 'Tod' },
        {
          id: 'anzeige',
          title: 'Anzeige',
          description:
            'Wer zeigt den Sterbefall an? Reihenfolge nach § 29 PStG; Bestattungsunternehmen und Einrichtungen zeigen schriftlich an.',
        },
      ],
    },
    states: {
      angezeigt: { label: 'Angezeigt' },
      registriert: { label: 'Beurkundet', final: true },
      zusammengefuehrt: { label: 'Mit bestehendem Vorgang verknüpft', final: true },
      storniert: { label: 'Storniert', final: true },
    },
    create: {
      id: 'anzeigen',
      label: 'Sterbefall anzeigen',
      to: 'angezeigt',
      roles: ['sachbearbeitung'],
    },
    actions: anzeigeActions<SterbefallForm>(STERBEFALL_ANZEIGE, schema) as never,
    deadline: {
      label: 'Anzeigefrist (§ 28 PStG)',
      openIn: ['angezeigt'],
      compute: (data) => sterbefallAnzeigefrist(data as SterbefallForm),
    },
    fees: () => [],
    documents: [
      {
        id: 'bestaetigung_sterbefallanzeige',
        title: 'Bestätigung der Sterbefallanzeige',
        availableIn: ['angezeigt', 'registriert'],
      },
      { id: 'vorlaeufige_sterbeurkunde', title: 'Vorläufige Sterbeurkunde', availableIn: ['registriert'] },
    ],
    handover: [
      {
        id: 'xpersonenstand',
        title: 'XPersonenstand-Nachricht an die Meldebehörde',
        kind: 'xoev',
        describe: 'stA2MB.Sterbefall.035010',
      },
      {
        id: 'csv',
        title: 'CSV zur Nacherfassung im Personenstandsregister',
        kind: 'csv',
        describe: STERBEFALL_CSV_COLUMNS.join(';'),
      },
    ],
    searchText: (d) => [
      d.verstorbene.familienname,
      d.verstorbene.vornamen,
      d.verstorbene.geburtsname,
      d.tod.ort,
      d.letzteAnschrift.wohnort,
      (d as SterbefallDaten).registereintrag?.nummer,
    ],
    summary: sterbefallSummary,
  }) as unknown as ProcedureDefinition;
}
