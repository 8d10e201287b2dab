import { z } from 'zod';
import { ageOn, type IsoDate, todayInGermany } from '../../core/dates.js';
import { type ActionDefinition, defineProcedure, type ProcedureDefinition } from '../../core/procedure.js';
import { choice, isoDate, text } from '../../core/schema-helpers.js';
import {
  anschrift,
  applyUnterlagen,
  geschlecht,
  mergeUnterlagen,
  type Registereintrag,
  type StandesamtVerwaltung,
  stornoPayload,
  unterlagenPayload,
} from './common.js';

/**
 * Eheschließung: notice of marriage (Anmeldung, § 12 PStG), an appointment in a ceremony room of
 * the registry office, and the marriage itself with its entry in the Eheregister (§ 15 PStG).
 * Both spouses must be of age (§ 1303 BGB: no marriage before 18).
 */

export const FAMILIENSTAENDE_EHE = {
  ledig: 'ledig',
  geschieden: 'geschieden',
  verwitwet: 'verwitwet',
  lebenspartnerschaft_aufgehoben: 'Lebenspartnerschaft aufgehoben',
} as const;

export const MINDESTALTER = 18;

const ehegatte = (n: 1 | 2) => {
  const section = `ehegatte${n}`;
  return z
    .object({
      familienname: text({ title: 'Familienname', section }),
      vornamen: text({ title: 'Vornamen', section }),
      geburtsname: text({ title: 'Geburtsname', description: 'Nur wenn abweichend', section }).optional(),
      geschlecht: geschlecht({ title: 'Geschlecht', section }),
      geburtsdatum: isoDate({ title: 'Geburtsdatum', section }),
      geburtsort: text({ title: 'Geburtsort', section }),
      staatsangehoerigkeit: text({ title: 'Staatsangehörigkeit', section }, { max: 100 }),
      familienstand: choice(['ledig', 'geschieden', 'verwitwet', 'lebenspartnerschaft_aufgehoben'], {
        title: 'Bisheriger Familienstand',
        section,
        options: FAMILIENSTAENDE_EHE,
      }),
      ...anschrift(section),
      familiennameNachEhe: text({
        title: 'Familienname nach der Eheschließung',
        section,
      }),
    })
    .strict()
    .meta({ title: `Ehegatte ${n}`, section });
};

const person = z
  .object({
    familienname: text({ title: 'Familienname', section: 'trauzeugen' }),
    vornamen: text({ title: 'Vornamen', section: 'trauzeugen' }),
  })
  .strict();

export function eheSchema(today: () => IsoDate) {
  return z
    .object({
      ehegatte1: ehegatte(1),
      ehegatte2: ehegatte(2),
      ehename: text({
        title: 'Ehename',
        description: 'Gemeinsamer Familienname, falls bestimmt (§ 1355 BGB)',
        section: 'namen',
      }).optional(),
      trauzeugen: z
        .array(person)
        .max(2, 'Trauzeugen: höchstens zwei.')
        .default([])
        .meta({ title: 'Trauzeugen (freiwillig)', section: 'trauzeugen', repeated: true }),
      anmeldung: z
        .object({ datum: isoDate({ title: 'Tag der Anmeldung', section: 'anmeldung' }) })
        .strict()
        .meta({ title: 'Anmeldung', section: 'anmeldung' }),
    })
    .strict()
    .superRefine((d, ctx) => {
      const t = today();
      if (d.anmeldung.datum > t) {
        ctx.addIssue({
          code: 'custom',
          path: ['anmeldung', 'datum'],
          message: 'Tag der Anmeldung: darf nicht in der Zukunft liegen.',
        });
      }
      for (const k of ['ehegatte1', 'ehegatte2'] as const) {
        const g = d[k];
        if (g.geburtsdatum > t) {
          ctx.addIssue({
            code: 'custom',
            path: [k, 'geburtsdatum'],
            message: 'Geburtsdatum: darf nicht in der Zukunft liegen.',
          });
        } else if (ageOn(g.geburtsdatum, [t, d.anmeldung.datum].sort()[0] as string) < MINDESTALTER) {
          ctx.addIssue({
            code: 'custom',
            path: [k, 'geburtsdatum'],
            message: `Eine Ehe kann erst ab ${MINDESTALTER} Jahren geschlossen werden (§ 1303 BGB).`,
          });
        }
      }
      if (d.ehename) {
        const names = [d.ehegatte1.familiennameNachEhe, d.ehegatte2.familiennameNachEhe];
        if (
          !names.some((n) => n === d.ehename || n.startsWith(`${d.ehename}-`) || n.endsWith(`-${d.ehename}`))
        ) {
          ctx.addIssue({
            code: 'custom',
            path: ['ehename'],
            message: 'Ehename: Mindestens ein Ehegatte führt den Ehenamen (ggf. mit Begleitnamen).',
          });
        }
      }
    });
}

export type EheForm = z.output<ReturnType<typeof eheSchema>>;
export interface Termin {
  slotId: string;
  roomId: string;
  raum: string;
  beginn: string;
  ende: string;
}
export type EheDaten = EheForm & StandesamtVerwaltung & { termin?: Termin };

export function eheUnterlagen(f: EheForm): Array<{ id: string; label: string }> {
  const docs: Array<{ id: string; label: string }> = [];
  for (const n of [1, 2] as const) {
    const g = n === 1 ? f.ehegatte1 : f.ehegatte2;
    const wer = `${g.vornamen} ${g.familienname}`;
    docs.push({ id: `ausweis_${n}`, label: `Personalausweis oder Reisepass (${wer})` });
    docs.push({
      id: `geburtsurkunde_${n}`,
      label: `Beglaubigter Ausdruck aus dem Geburtenregister (${wer})`,
    });
    docs.push({ id: `aufenthaltsbescheinigung_${n}`, label: `Erweiterte Meldebescheinigung (${wer})` });
    if (g.familienstand === 'geschieden') {
      docs.push({
        id: `scheidungsnachweis_${n}`,
        label: `Eheurkunde der Vorehe und Scheidungsurteil (${wer})`,
      });
    }
    if (g.familienstand === 'verwitwet') {
      docs.push({
        id: `sterbeurkunde_vorehe_${n}`,
        label: `Eheurkunde der Vorehe und Sterbeurkunde (${wer})`,
      });
    }
    if (g.familienstand === 'lebenspartnerschaft_aufgehoben') {
      docs.push({
        id: `aufhebungsnachweis_${n}`,
        label: `Nachweis der Aufhebung der Lebenspartnerschaft (${wer})`,
      });
    }
  }
  return docs;
}

export function eheSummary(data: unknown): string {
  const d = data as EheDaten;
  const base = `${d.ehegatte1.familienname}, ${d.ehegatte1.vornamen} und ${d.ehegatte2.familienname}, ${d.ehegatte2.vornamen}`;
  return d.termin
    ? `${base} – Trauung am ${todayInGermany(new Date(d.termin.beginn)).split('-').reverse().join('.')}`
    : base;
}

export const EHE_CSV_COLUMNS = [
  'aktenzeichen',
  'registernummer',
  'eingetragen_am',
  'ehegatte1_familienname',
  'ehegatte1_vornamen',
  'ehegatte1_geburtsname',
  'ehegatte1_geburtsdatum',
  'ehegatte1_name_nach_ehe',
  'ehegatte2_familienname',
  'ehegatte2_vornamen',
  'ehegatte2_geburtsname',
  'ehegatte2_geburtsdatum',
  'ehegatte2_name_nach_ehe',
  'ehename',
  'trauung_beginn',
  'raum',
  'vorgangs_id',
] as const;

const terminPayload = z
  .object({
    slotId: z
      .uuid('Keine gültige Termin-ID.')
      .meta({ title: 'Termin', description: 'Freier Termin eines Trauraums' }),
  })
  .strict();

export function createEheschliessung(opts: { today: () => IsoDate }) {
  const schema = eheSchema(opts.today);
  const actions: ActionDefinition<EheDaten>[] = [
    {
      id: 'berichtigen',
      label: 'Berichtigen',
      from: ['angemeldet'],
      to: 'angemeldet',
      roles: ['sachbearbeitung'],
      payload: schema,
      description: 'Angaben korrigieren. Ein gebuchter Termin bleibt bestehen.',
      apply: (data: EheDaten, payload) => ({
        ...(payload as EheForm),
        unterlagen: mergeUnterlagen(eheUnterlagen(payload as EheForm), data.unterlagen),
        ...(data.termin ? { termin: data.termin } : {}),
      }),
    },
    {
      id: 'unterlagen_erfassen',
      label: 'Unterlagen erfassen',
      from: ['angemeldet'],
      to: 'angemeldet',
      roles: ['sachbearbeitung'],
      payload: unterlagenPayload,
      apply: (data: EheDaten, payload, ctx) => ({
        ...data,
        unterlagen: applyUnterlagen(data.unterlagen, payload, ctx.today),
      }),
    },
    {
      id: 'termin_buchen',
      label: 'Termin buchen',
      description: 'Einen freien Termin in einem Trauraum des Standesamts buchen.',
      from: ['angemeldet'],
      to: 'angemeldet',
      roles: ['sachbearbeitung'],
      payload: terminPayload,
      apply: (data: EheDaten, payload) => ({ ...data, termin: (payload as { termin: Termin }).termin }),
    },
    {
      id: 'termin_absagen',
      label: 'Termin absagen',
      description: 'Den gebuchten Termin freigeben; die Anmeldung bleibt bestehen.',
      from: ['angemeldet'],
      to: 'angemeldet',
      roles: ['sachbearbeitung'],
      apply: (data: EheDaten) => {
        const { termin: _t, ...rest } = data;
        return rest as EheDaten;
      },
    },
    {
      id: 'eheschliessung_durchfuehren',
      label: 'Eheschließung beurkunden',
      description:
        'Die Ehe ist geschlossen: Eintrag ins Eheregister mit Registernummer. Nur am Tag des Termins oder danach und mit vollständigen Unterlagen.',
      from: ['angemeldet'],
      to: 'geschlossen',
      roles: ['sachbearbeitung'],
      apply: (data: EheDaten, payload) => ({
        ...data,
        registereintrag: (payload as { registereintrag: Registereintrag }).registereintrag,
      }),
      producesDocument: 'vorlaeufige_eheurkunde',
    },
    {
      id: 'stornieren',
      label: 'Stornieren',
      description: 'Anmeldung zurückgezogen; ein gebuchter Termin wird freigegeben.',
      from: ['angemeldet'],
      to: 'storniert',
      roles: ['sachbearbeitung'],
      payload: stornoPayload,
    },
  ];
  return defineProcedure({
    id: 'eheschliessung',
    version: 1,
    office: 'standesamt',
    title: 'Eheschließung',
    description:
      'Anmeldung der Eheschließung (§ 12 PStG), Termin in einem Trauraum, Eheschließung und Beurkundung im Eheregister mit vorläufiger Eheurkunde.',
    aktenzeichenCode: 'EH',
    form: {
      schema,
      sections: [
        { id: 'ehegatte1', title: 'Ehegatte 1' },
        { id: 'ehegatte2', title: 'Ehegatte 2' },
        { id: 'namen', title: 'Namensführung' },
        { id: 'trauzeugen', title: 'Trauzeugen', description: 'Freiwillig, höchstens zwei' },
        { id: 'anmeldung', title: 'Anmeldung' },
      ],
    },
    states: {
      angemeldet: { label: 'Angemeldet' },
      geschlossen: { label: 'Ehe geschlossen', final: true },
      storniert: { label: 'Storniert', final: true },
    },
    create: {
      id: 'anmelden',
      label: 'Eheschließung anmelden',
      to: 'angemeldet',
      roles: ['sachbearbeitung'],
    },
    actions: actions as never,
    fees: () => [],
    documents: [
      { id: 'vorlaeufige_eheurkunde', title: 'Vorläufige Eheurkunde', availableIn: ['geschlossen'] },
    ],
    handover: [
      {
        id: 'xpersonenstand',
        title: 'XPersonenstand-Nachricht an die Meldebehörde',
        kind: 'xoev',
        describe: 'stA2MB.Ehe.032010',
      },
      {
        id: 'csv',
        title: 'CSV zur Nacherfassung im Personenstandsregister',
        kind: 'csv',
        describe: EHE_CSV_COLUMNS.join(';'),
      },
    ],
    searchText: (d) => [
      d.ehegatte1.familienname,
      d.ehegatte1.vornamen,
      d.ehegatte1.geburtsname,
      d.ehegatte2.familienname,
      d.ehegatte2.vornamen,
      d.ehegatte2.geburtsname,
      d.ehename,
      (d as EheDaten).registereintrag?.nummer,
    ],
    summary: eheSummary,
  }) as unknown as ProcedureDefinition;
}
