import { z } from 'zod';
import type { IsoDate } from '../../core/dates.js';
import { checkGermanDocumentNumber } from '../../core/icao9303.js';
import type { Fee, ProcedureDefinition } from '../../core/procedure.js';
import { defineProcedure } from '../../core/procedure.js';
import { choice, isoDate, yesNo } from '../../core/schema-helpers.js';
import {
  type AusweisFeeTable,
  ausweisFees,
  DEFAULT_FEE_TABLE,
  DOKUMENTARTEN,
  type Dokumentart,
  parseFeeTable,
} from './fees.js';
import { checkMrz } from './mrz.js';
import { anschriftSchema, personSchema } from './schema.js';

/**
 * Applications for ID documents (Pass- und Personalausweisbehörde): Personalausweis (PAuswG),
 * Reisepass with 32 or 48 pages and express (PassG), vorläufiger Personalausweis and vorläufiger
 * Reisepass. The fee follows from the age and the law on the application date (fees.ts) and is
 * stored with the case when it is recorded; payment is in cash during the outage and is booked
 * into the office's cash journal in the same transaction as the case action "Gebühr bar bezahlt".
 * At hand-over the document number (and optionally the MRZ) is checked with the ICAO 9303 check
 * digits, and the validity end date is computed.
 */

export const AUSWEIS_PROCEDURES: Record<Dokumentart, { id: string; code: string }> = {
  personalausweis: { id: 'personalausweis', code: 'PA' },
  reisepass: { id: 'reisepass', code: 'RP' },
  vorlaeufiger_personalausweis: { id: 'vorlaeufiger_personalausweis', code: 'VPA' },
  vorlaeufiger_reisepass: { id: 'vorlaeufiger_reisepass', code: 'VRP' },
};

const dokumentnummer = (art: Dokumentart, title: string) =>
  z
    .string({ error: `${title}: Bitte angeben.` })
    .trim()
    .toUpperCase()
    .max(10, `${title}: höchstens 10 Zeichen.`)
    .superRefine((v, ctx) => {
      const check = checkGermanDocumentNumber(art, v);
      if (!check.ok) ctx.addIssue({ code: 'custom', message: check.message ?? 'Ungültige Nummer' });
    })
    .meta({ title, description: 'Mit Prüfziffer, z. B. T220001293', widget: 'text' });

export function ausweisSchema(art: Dokumentart, today: () => IsoDate) {
  const passport = art === 'reisepass' || art === 'vorlaeufiger_reisepass';
  const antrag = z
    .object({
      antragsdatum: isoDate({
        title: 'Antragsdatum',
        description: 'Maßgeblich für die Gebühr',
        section: 'antrag',
      }),
      zuschlag: yesNo({
        title: 'Außerhalb der Dienstzeit auf Wunsch oder bei nicht zuständiger Behörde',
        description: 'Zuschlag 13,00 EUR',
        section: 'antrag',
      }),
      ...(art === 'reisepass'
        ? {
            seiten: choice(['32', '48'], {
              title: 'Seitenzahl',
              section: 'antrag',
              options: { '32': '32 Seiten', '48': '48 Seiten (+22,00 EUR)' },
            }),
            express: yesNo({ title: 'Expressverfahren', description: '+32,00 EUR', section: 'antrag' }),
          }
        : {}),
    })
    .strict();
  const bisheriges = z
    .object({
      art: choice(
        ['personalausweis', 'reisepass', 'vorlaeufiger_personalausweis', 'vorlaeufiger_reisepass'],
        {
          title: 'Art des bisherigen Dokuments',
          section: 'bisher',
          options: DOKUMENTARTEN,
        },
      ),
      nummer: z
        .string()
        .trim()
        .toUpperCase()
        .max(10)
        .meta({ title: 'Nummer mit Prüfziffer', section: 'bisher', widget: 'text' })
        .optional(),
      gueltigBis: isoDate({ title: 'Gültig bis', section: 'bisher' }).optional(),
    })
    .strict()
    .superRefine((d, ctx) => {
      if (!d.nummer) return;
      const check = checkGermanDocumentNumber(d.art, d.nummer);
      if (!check.ok)
        ctx.addIssue({ code: 'custom', path: ['nummer'], message: check.message ?? 'Ungültige Nummer' });
    })
    .meta({ title: 'Bisheriges Dokument', section: 'bisher' });
  return z
    .object({
      antragsteller: personSchema('person'),
      anschrift: anschriftSchema('person', 'Wohnanschrift'),
      antrag,
      bisherigesDokument: bisheriges.optional(),
    })
    .strict()
    .superRefine((d, ctx) => {
      const t = today();
      if (d.antrag.antragsdatum > t) {
        ctx.addIssue({
          code: 'custom',
          path: ['antrag', 'antragsdatum'],
          message: 'Antragsdatum: darf nicht in der Zukunft liegen.',
        });
      }
      if (d.antragsteller.geburtsdatum > d.antrag.antragsdatum) {
        ctx.addIssue({
          code: 'custom',
          path: ['antragsteller', 'geburtsdatum'],
          message: 'Geburtsdatum: liegt nach dem Antragsdatum.',
        });
      }
      if (!d.antragsteller.staatsangehoerigkeit.split(',').includes('DEU')) {
        ctx.addIssue({
          code: 'custom',
          path: ['antragsteller', 'staatsangehoerigkeit'],
          message: `${passport ? 'Reisepässe' : 'Personalausweise'} werden nur an Deutsche ausgestellt (Staatsangehörigkeit DEU).`,
        });
      }
    });
}

export type AusweisFormDaten = z.output<ReturnType<typeof ausweisSchema>>;

export interface AusweisDaten extends AusweisFormDaten {
  gebuehren?: { stichtag: IsoDate; positionen: Fee[]; summeCents: number };
  zahlung?: { kassenbuchungId: string; belegNr: number; betragCents: number; tag: IsoDate };
  dokument?: { nummer: string; ausgestelltAm: IsoDate; gueltigBis: IsoDate; mrz?: string[] };
}

export function feesOf(art: Dokumentart, d: AusweisFormDaten, table: AusweisFeeTable): Fee[] {
  const antrag = d.antrag as AusweisFormDaten['antrag'] & { seiten?: '32' | '48'; express?: boolean };
  return ausweisFees(
    {
      art,
      geburtsdatum: d.antragsteller.geburtsdatum,
      antragsdatum: antrag.antragsdatum,
      seiten: antrag.seiten,
      express: antrag.express,
      zuschlag: antrag.zuschlag,
    },
    table,
  );
}

/** Fee table: operations may override it with AUSWEIS_GEBUEHREN_JSON (docs/REGISTER.md). */
export function feeTableFromEnvironment(): AusweisFeeTable {
  const json = typeof process !== 'undefined' ? process.env?.AUSWEIS_GEBUEHREN_JSON : undefined;
  return json ? parseFeeTable(json) : DEFAULT_FEE_TABLE;
}

export function createAusweisantrag(
  art: Dokumentart,
  opts: { today: () => IsoDate; feeTable?: AusweisFeeTable },
): ProcedureDefinition {
  const table = opts.feeTable ?? DEFAULT_FEE_TABLE;
  const schema = ausweisSchema(art, opts.today);
  const titel = DOKUMENTARTEN[art];
  const aushaendigenPayload = z
    .object({
      dokumentnummer: dokumentnummer(art, 'Dokumentennummer'),
      ausgestelltAm: isoDate({ title: 'Ausgestellt am' }),
      mrz: z
        .array(z.string().trim().toUpperCase().max(44), { error: 'MRZ: Zeilen als Liste.' })
        .min(2)
        .max(3)
        .meta({
          title: 'Maschinenlesbare Zone (MRZ)',
          description: 'Optional: die Zeilen der MRZ zur Prüfung',
        })
        .optional(),
    })
    .strict()
    .superRefine((p, ctx) => {
      if (!p.mrz) return;
      const r = checkMrz(p.mrz);
      for (const e of r.errors) ctx.addIssue({ code: 'custom', path: ['mrz'], message: `MRZ – ${e}` });
      if (r.ok && r.documentNumber !== p.dokumentnummer.slice(0, -1)) {
        ctx.addIssue({
          code: 'custom',
          path: ['mrz'],
          message: 'MRZ: Dokumentennummer weicht von der eingegebenen Nummer ab.',
        });
      }
    });

  const def = defineProcedure({
    id: AUSWEIS_PROCEDURES[art].id,
    version: 1,
    office: 'meldebehoerde',
    title: `Antrag ${titel}`,
    description:
      art === 'personalausweis'
        ? 'Antrag auf einen Personalausweis (PAuswG) mit Gebühr nach PAuswGebV § 1, Barzahlung ins Kassenbuch, Aushändigung mit Prüfung der Dokumentennummer.'
        : art === 'reisepass'
          ? 'Antrag auf einen Reisepass (PassG), 32 oder 48 Seiten, auf Wunsch im Expressverfahren; Gebühr nach PassV § 15.'
          : `Ausstellung eines ${titel.toLowerCase().replace('vorläufiger', 'vorläufigen')}: sofort vor Ort, Gebühr bar.`,
    aktenzeichenCode: AUSWEIS_PROCEDURES[art].code,
    form: {
      schema,
      sections: [
        { id: 'person', title: 'Antragsteller/in' },
        { id: 'antrag', title: 'Antrag' },
        { id: 'bisher', title: 'Bisheriges Dokument' },
      ],
    },
    states: {
      beantragt: { label: 'Beantragt' },
      bezahlt: { label: 'Gebühr bezahlt' },
      ausgehaendigt: { label: 'Ausgehändigt', final: true },
      storniert: { label: 'Storniert', final: true },
    },
    create: {
      id: 'beantragen',
      label: 'Antrag erfassen',
      to: 'beantragt',
      roles: ['sachbearbeitung'],
    },
    actions: [
      {
        id: 'berichtigen',
        label: 'Berichtigen',
        description:
          'Angaben korrigieren, solange die Gebühr nicht bezahlt ist; die Gebühr wird neu berechnet.',
        from: ['beantragt'],
        to: 'beantragt',
        roles: ['sachbearbeitung'],
        payload: schema,
        apply: (_d, payload) => payload as never,
      },
      {
        id: 'gebuehr_bar_bezahlen',
        label: 'Gebühr bar bezahlt',
        description: 'Die Gebühr wurde bar bezahlt: Buchung im Kassenbuch der Meldebehörde, Quittung.',
        from: ['beantragt'],
        to: 'bezahlt',
        roles: ['sachbearbeitung'],
        apply: (d, payload) => ({ ...(d as object), zahlung: payload }) as never,
        producesDocument: 'gebuehrenquittung',
      },
      {
        id: 'aushaendigen',
        label: 'Dokument aushändigen',
        description: 'Das Dokument wird ausgehändigt; die Nummer wird mit der Prüfziffer geprüft.',
        from: ['bezahlt'],
        to: 'ausgehaendigt',
        roles: ['sachbearbeitung'],
        payload: aushaendigenPayload,
        apply: (d, payload) => ({ ...(d as object), dokument: payload }) as never,
      },
      {
        id: 'stornieren',
        label: 'Stornieren',
        description: 'Antrag zurückgenommen, bevor die Gebühr bezahlt wurde.',
        from: ['beantragt'],
        to: 'storniert',
        roles: ['sachbearbeitung'],
        payload: z.object({ grund: z.string().trim().min(1, 'Grund: Bitte angeben.').max(500) }).strict(),
      },
    ],
    fees: (d) => feesOf(art, d as AusweisFormDaten, table),
    documents: [
      {
        id: 'gebuehrenquittung',
        title: `Gebührenquittung ${titel}`,
        availableIn: ['bezahlt', 'ausgehaendigt'],
      },
    ],
    handover: [
      {
        id: 'csv',
        title: 'CSV für das Pass-/Personalausweisregister (Dokumentensystem)',
        kind: 'csv',
        describe:
          'aktenzeichen;dokumentart;familienname;vornamen;geburtsdatum;antragsdatum;seiten;express;gebuehr_cent;beleg_nr;dokumentnummer;ausgestellt_am;gueltig_bis;status',
      },
    ],
    searchText: (d) => [
      d.antragsteller.familienname,
      d.antragsteller.vornamen,
      d.antragsteller.geburtsname,
      d.antragsteller.registerPersonId,
      (d as AusweisDaten).dokument?.nummer,
    ],
    summary: (d) => `${d.antragsteller.familienname}, ${d.antragsteller.vornamen} – ${titel}`,
  });
  return def as unknown as ProcedureDefinition;
}
