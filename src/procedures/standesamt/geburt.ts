import { z } from 'zod';
import { addDays, addWorkingDays, type IsoDate } from '../../core/dates.js';
import { defineProcedure, type ProcedureDefinition } from '../../core/procedure.js';
import { choice, isoDate, text, yesNo } from '../../core/schema-helpers.js';
import { type AnzeigeOptions, anzeigeActions } from './actions.js';
import { anschrift, GESCHLECHTER, geschlecht, type StandesamtVerwaltung, uhrzeit } from './common.js';

/**
 * Geburt: report of a birth to the registry office of the place of birth and its registration
 * in the Geburtenregister (PStG §§ 18-21). Deadline: one week after the birth, a stillbirth by
 * the third working day (PStG § 18 Abs. 1; FACTS.md §2). Reporters in the order of § 19 PStG;
 * hospitals and similar institutions report in writing (§ 20 PStG).
 */

/** Reporters of a birth, in the order of PStG § 19 (and § 20 for institutions). */
export const GEBURT_ANZEIGENDE = {
  sorgeberechtigter_elternteil: 'Sorgeberechtigter Elternteil (§ 19 Satz 1 Nr. 1 PStG)',
  anwesende_person:
    'Bei der Geburt anwesende oder aus eigenem Wissen unterrichtete Person (§ 19 Satz 1 Nr. 2 PStG)',
  einrichtung: 'Krankenhaus, Geburtshaus oder andere Einrichtung – schriftlich (§ 20 PStG)',
} as const;

export const ELTERN_ROLLEN = { mutter: 'Mutter', vater: 'Vater', elternteil: 'Elternteil' } as const;

const kind = z
  .object({
    familienname: text({ title: 'Familienname des Kindes', section: 'kind' }),
    vornamen: text({ title: 'Vornamen des Kindes', section: 'kind' }),
    geschlecht: geschlecht({ title: 'Geschlecht', section: 'kind' }),
    geburtsdatum: isoDate({ title: 'Tag der Geburt', section: 'kind' }),
    geburtszeit: uhrzeit({ title: 'Uhrzeit der Geburt', section: 'kind' }),
    geburtsort: text({ title: 'Geburtsort', description: 'Gemeinde', section: 'kind' }),
    geburtsstaette: text({
      title: 'Geburtsstätte',
      description: 'z. B. Krankenhaus oder Anschrift',
      section: 'kind',
    }).optional(),
    totgeburt: yesNo({ title: 'Totgeburt?', section: 'kind' }),
  })
  .strict()
  .meta({ title: 'Kind', section: 'kind' });

const elternteil = z
  .object({
    rolle: choice(['mutter', 'vater', 'elternteil'], {
      title: 'Rolle',
      section: 'eltern',
      options: ELTERN_ROLLEN,
    }),
    familienname: text({ title: 'Familienname', section: 'eltern' }),
    vornamen: text({ title: 'Vornamen', section: 'eltern' }),
    geburtsname: text({
      title: 'Geburtsname',
      description: 'Nur wenn abweichend',
      section: 'eltern',
    }).optional(),
    geburtsdatum: isoDate({ title: 'Geburtsdatum', section: 'eltern' }),
    geburtsort: text({ title: 'Geburtsort', section: 'eltern' }),
    staatsangehoerigkeit: text({ title: 'Staatsangehörigkeit', section: 'eltern' }, { max: 100 }),
    ...anschrift('eltern'),
  })
  .strict()
  .meta({ title: 'Elternteil', section: 'eltern' });

const anzeige = z
  .object({
    name: text({ title: 'Name der anzeigenden Person oder Einrichtung', section: 'anzeige' }),
    rolle: choice(['sorgeberechtigter_elternteil', 'anwesende_person', 'einrichtung'], {
      title: 'Eigenschaft der anzeigenden Person',
      section: 'anzeige',
      options: GEBURT_ANZEIGENDE,
    }),
    schriftlich: yesNo({ title: 'Schriftliche Anzeige?', section: 'anzeige' }),
    datum: isoDate({ title: 'Tag der Anzeige', section: 'anzeige' }),
  })
  .strict()
  .meta({ title: 'Anzeige', section: 'anzeige' });

export function geburtSchema(today: () => IsoDate) {
  return z
    .object({
      kind,
      eltern: z
        .array(elternteil)
        .min(1, 'Eltern: Bitte mindestens einen Elternteil angeben.')
        .max(2, 'Eltern: höchstens zwei Elternteile.')
        .meta({ title: 'Eltern', section: 'eltern', repeated: true }),
      elternMiteinanderVerheiratet: yesNo({ title: 'Eltern miteinander verheiratet?', section: 'eltern' }),
      sorgeerklaerungAbgegeben: yesNo({
        title: 'Sorgeerklärung abgegeben?',
        description: 'Nur bei nicht verheirateten Eltern von Bedeutung',
        section: 'eltern',
      }).optional(),
      anzeige,
    })
    .strict()
    .superRefine((d, ctx) => {
      const t = today();
      if (d.kind.geburtsdatum > t) {
        ctx.addIssue({
          code: 'custom',
          path: ['kind', 'geburtsdatum'],
          message: 'Tag der Geburt: darf nicht in der Zukunft liegen.',
        });
      }
      if (d.anzeige.datum > t) {
        ctx.addIssue({
          code: 'custom',
          path: ['anzeige', 'datum'],
          message: 'Tag der Anzeige: darf nicht in der Zukunft liegen.',
        });
      }
      if (d.anzeige.datum < d.kind.geburtsdatum) {
        ctx.addIssue({
          code: 'custom',
          path: ['anzeige', 'datum'],
          message: 'Tag der Anzeige: liegt vor der Geburt.',
        });
      }
      d.eltern.forEach((e, i) => {
        if (e.geburtsdatum >= d.kind.geburtsdatum) {
          ctx.addIssue({
            code: 'custom',
            path: ['eltern', i, 'geburtsdatum'],
            message: 'Geburtsdatum des Elternteils: muss vor der Geburt des Kindes liegen.',
          });
        }
      });
      if (d.anzeige.rolle === 'einrichtung' && !d.anzeige.schriftlich) {
        ctx.addIssue({
          code: 'custom',
          path: ['anzeige', 'schriftlich'],
          message: 'Einrichtungen zeigen eine Geburt schriftlich an (§ 20 PStG).',
        });
      }
    });
}

export type GeburtForm = z.output<ReturnType<typeof geburtSchema>>;
export type GeburtDaten = GeburtForm & StandesamtVerwaltung;

/** Documents the registry office needs (FACTS.md §2), by the parents' situation. */
export function geburtUnterlagen(f: GeburtForm): Array<{ id: string; label: string }> {
  const docs = [
    { id: 'geburtsbescheinigung', label: 'Bescheinigung über die Geburt (Ärztin/Arzt oder Hebamme)' },
  ];
  docs.push({ id: 'ausweise_eltern', label: 'Personalausweise oder Reisepässe der Eltern' });
  if (f.elternMiteinanderVerheiratet) {
    docs.push({ id: 'geburtsurkunden_eltern', label: 'Geburtsurkunden der Eltern' });
    docs.push({ id: 'eheurkunde_eltern', label: 'Eheurkunde der Eltern' });
  } else {
    docs.push({ id: 'geburtsurkunde_mutter', label: 'Geburtsurkunde der Mutter' });
    if (f.eltern.length > 1) {
      docs.push({ id: 'vaterschaftsanerkennung', label: 'Urkunde über die Anerkennung der Vaterschaft' });
      docs.push({ id: 'geburtsurkunde_vater', label: 'Geburtsurkunde des Vaters' });
      if (f.sorgeerklaerungAbgegeben) docs.push({ id: 'sorgeerklaerung', label: 'Sorgeerklärung' });
    }
  }
  return docs;
}

export function geburtSummary(data: unknown): string {
  const d = data as GeburtForm;
  const was = d.kind.totgeburt ? 'Totgeburt' : 'Geburt';
  return `${d.kind.familienname}, ${d.kind.vornamen} – ${was} am ${d.kind.geburtsdatum.split('-').reverse().join('.')} in ${d.kind.geburtsort}`;
}

export const geburtMerkmale = (data: unknown) => {
  const d = data as GeburtForm;
  return {
    familienname: d.kind.familienname,
    vornamen: d.kind.vornamen,
    datum: d.kind.geburtsdatum,
    ort: d.kind.geburtsort,
  };
};

/** Deadline of the report: one week; a stillbirth by the third working day (PStG § 18 Abs. 1). */
export function geburtAnzeigefrist(f: GeburtForm): IsoDate {
  return f.kind.totgeburt ? addWorkingDays(f.kind.geburtsdatum, 3) : addDays(f.kind.geburtsdatum, 7);
}

/** What the shared report actions (actions.ts) and their hooks (server/hooks.ts) need to know. */
export const GEBURT_ANZEIGE: AnzeigeOptions<GeburtForm> = {
  register: 'G',
  registrierenLabel: 'Die Beurkundung der Geburt',
  requiredDocuments: geburtUnterlagen,
  merkmale: geburtMerkmale,
  summary: geburtSummary,
  certificate: 'vorlaeufige_geburtsurkunde',
};

export function createGeburt(opts: { today: () => IsoDate }) {
  const schema = geburtSchema(opts.today);
  return defineProcedure({
    id: 'geburt',
    version: 1,
    office: 'standesamt',
    title: 'Geburt',
    description:
      'Anzeige einer Geburt (§§ 18-20 PStG) und Beurkundung im Geburtenregister mit vorläufiger Geburtsurkunde im Notbetrieb.',
    aktenzeichenCode: 'GB',
    form: {
      schema,
      sections: [
        { id: 'kind', title: 'Kind' },
        { id: 'eltern', title: 'Eltern' },
        {
          id: 'anzeige',
          title: 'Anzeige',
          description: 'Wer zeigt die Geburt an? Reihenfolge nach § 19 PStG.',
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
      label: 'Geburt anzeigen',
      to: 'angezeigt',
      roles: ['sachbearbeitung'],
    },
    actions: anzeigeActions<GeburtForm>(GEBURT_ANZEIGE, schema) as never,
    deadline: {
      label: 'Anzeigefrist (§ 18 PStG)',
      openIn: ['angezeigt'],
      compute: (data) => geburtAnzeigefrist(data as GeburtForm),
    },
    // Registration and the first certificate are free of charge in emergency operation; fees for
    // further certificates follow the Land's fee law and are charged when the normal software runs.
    fees: () => [],
    documents: [
      { id: 'vorlaeufige_geburtsurkunde', title: 'Vorläufige Geburtsurkunde', availableIn: ['registriert'] },
    ],
    handover: [
      {
        id: 'xpersonenstand',
        title: 'XPersonenstand-Nachricht an die Meldebehörde',
        kind: 'xoev',
        describe: 'stA2MB.Geburt.031010',
      },
      {
        id: 'csv',
        title: 'CSV zur Nacherfassung im Personenstandsregister',
        kind: 'csv',
        describe: GEBURT_CSV_COLUMNS.join(';'),
      },
    ],
    searchText: (d) => [
      d.kind.familienname,
      d.kind.vornamen,
      d.kind.geburtsort,
      ...d.eltern.flatMap((e) => [e.familienname, e.vornamen, e.geburtsname]),
      (d as GeburtDaten).registereintrag?.nummer,
    ],
    summary: geburtSummary,
  }) as unknown as ProcedureDefinition;
}

export const GEBURT_CSV_COLUMNS = [
  'aktenzeichen',
  'registernummer',
  'eingetragen_am',
  'familienname',
  'vornamen',
  'geschlecht',
  'geburtsdatum',
  'geburtszeit',
  'geburtsort',
  'totgeburt',
  'elternteil1_familienname',
  'elternteil1_vornamen',
  'elternteil1_geburtsdatum',
  'elternteil2_familienname',
  'elternteil2_vornamen',
  'elternteil2_geburtsdatum',
  'vorgangs_id',
] as const;

export { GESCHLECHTER };
