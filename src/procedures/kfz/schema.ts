import { electronicFormatIBAN, isValidBIC, ValidationErrorsIBAN, validateIBAN } from 'ibantools';
import { z } from 'zod';
import type { IsoDate } from '../../core/dates.js';
import { choice, isoDate, plz, text, yesNo } from '../../core/schema-helpers.js';
import { checkPlate } from './plates.js';

/**
 * Form parts of the Zulassungsstelle, browser-safe. Facts (FACTS.md §4): FIN 17 characters
 * without I, O, Q; eVB number 7 characters, letters and digits without I and O, single use; the
 * E suffix for electric vehicles per EmoG §§ 2, 3 (battery electric and fuel cell vehicles;
 * plug-in hybrids with at most 50 g CO2/km or at least 40 km electric range; classes M1, N1, N2,
 * L3e, L4e, L5e, L7e — rhein-erft-kreis.de, rosenheim.de, lra Unterallgäu); the H suffix for
 * vehicles first registered at least 30 years ago with an expert's report (§ 23 StVZO).
 */

export const FIN_PATTERN = /^[A-HJ-NPR-Z0-9]{17}$/;
export const EVB_PATTERN = /^[A-HJ-NP-Z0-9]{7}$/;

/** Fahrzeugidentifizierungsnummer (VIN): 17 characters, no I, O, Q (no check digit in Europe). */
export const fin = (section: string) =>
  z
    .string({ error: 'FIN: Bitte angeben.' })
    .trim()
    .toUpperCase()
    .transform((v) => v.replace(/[\s-]/g, ''))
    .superRefine((v, ctx) => {
      if (v.length !== 17) {
        ctx.addIssue({ code: 'custom', message: `FIN: genau 17 Zeichen (eingegeben: ${v.length}).` });
      } else if (/[IOQ]/.test(v)) {
        ctx.addIssue({
          code: 'custom',
          message: 'FIN: Die Buchstaben I, O und Q kommen nicht vor (Ziffern 1 und 0?).',
        });
      } else if (!FIN_PATTERN.test(v)) {
        ctx.addIssue({ code: 'custom', message: 'FIN: nur Ziffern und Buchstaben A–Z.' });
      }
    })
    .meta({
      title: 'Fahrzeug-Identifizierungsnummer (FIN)',
      description: '17 Zeichen, Feld E der Zulassungsbescheinigung',
      section,
      widget: 'text',
    });

/** eVB-Nummer: 7 characters, letters and digits without I and O. */
export const evb = z
  .string({ error: 'eVB-Nummer: Bitte angeben.' })
  .trim()
  .toUpperCase()
  .superRefine((v, ctx) => {
    if (v.length !== 7) ctx.addIssue({ code: 'custom', message: 'eVB-Nummer: genau 7 Zeichen.' });
    else if (/[IO]/.test(v))
      ctx.addIssue({ code: 'custom', message: 'eVB-Nummer: Die Buchstaben I und O kommen nicht vor.' });
    else if (!EVB_PATTERN.test(v))
      ctx.addIssue({ code: 'custom', message: 'eVB-Nummer: nur Buchstaben A–Z und Ziffern.' });
  })
  .meta({
    title: 'eVB-Nummer',
    description: 'Elektronische Versicherungsbestätigung, 7 Zeichen; gilt für genau eine Zulassung',
    section: 'versicherung',
    widget: 'text',
  });

const zb2 = z
  .string({ error: 'Nummer der Zulassungsbescheinigung Teil II: Bitte angeben.' })
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{6,20}$/, 'Nummer der Zulassungsbescheinigung Teil II: 6 bis 20 Buchstaben und Ziffern.')
  .meta({ title: 'Nummer der Zulassungsbescheinigung Teil II', section: 'papiere', widget: 'text' });

export const zb1 = z
  .string()
  .trim()
  .toUpperCase()
  .regex(
    /^[A-Z][0-9A-ZÄÖÜ/-]{17,19}$/,
    'Nummer der Zulassungsbescheinigung Teil I: 18 bis 20 Zeichen, beginnt mit einem Buchstaben.',
  )
  .meta({ title: 'Nummer der Zulassungsbescheinigung Teil I', section: 'papiere', widget: 'text' });

export const HALTER_ARTEN = { person: 'Natürliche Person', firma: 'Firma oder juristische Person' } as const;

export function halterSchema(section = 'halter', title = 'Halter/in') {
  return z
    .object({
      art: choice(['person', 'firma'], { title: 'Halter ist', section, options: HALTER_ARTEN }),
      familienname: text(
        { title: 'Familienname', description: 'Bei natürlichen Personen', section },
        { max: 45 },
      ).optional(),
      vornamen: text(
        { title: 'Vornamen', description: 'Bei natürlichen Personen', section },
        { max: 60 },
      ).optional(),
      geburtsdatum: isoDate({
        title: 'Geburtsdatum',
        description: 'Bei natürlichen Personen',
        section,
      }).optional(),
      geburtsort: text({ title: 'Geburtsort', section }, { max: 40 }).optional(),
      firmenname: text(
        { title: 'Name der Firma', description: 'Bei Firmen und juristischen Personen', section },
        { max: 150 },
      ).optional(),
      registernummer: text(
        { title: 'Handelsregister', description: 'z. B. HRB 1234, Amtsgericht Siegen', section },
        { max: 100 },
      ).optional(),
      strasse: text({ title: 'Straße', section }, { max: 40 }),
      hausnummer: text({ title: 'Hausnummer', section }, { max: 10 }),
      plz: plz({ title: 'Postleitzahl', section }),
      ort: text({ title: 'Ort', section }, { max: 40 }),
    })
    .strict()
    .superRefine((h, ctx) => {
      const need = (key: keyof typeof h, label: string) => {
        if (!h[key]) ctx.addIssue({ code: 'custom', path: [key], message: `${label}: Bitte angeben.` });
      };
      const forbid = (key: keyof typeof h, label: string, kind: string) => {
        if (h[key])
          ctx.addIssue({ code: 'custom', path: [key], message: `${label}: nur bei ${kind} angeben.` });
      };
      if (h.art === 'person') {
        need('familienname', 'Familienname');
        need('vornamen', 'Vornamen');
        need('geburtsdatum', 'Geburtsdatum');
        forbid('firmenname', 'Name der Firma', 'Firmen');
        forbid('registernummer', 'Handelsregister', 'Firmen');
      } else {
        need('firmenname', 'Name der Firma');
        forbid('familienname', 'Familienname', 'natürlichen Personen');
        forbid('vornamen', 'Vornamen', 'natürlichen Personen');
        forbid('geburtsdatum', 'Geburtsdatum', 'natürlichen Personen');
      }
    })
    .meta({ title, section });
}

export type Halter = z.output<ReturnType<typeof halterSchema>>;

export function halterName(h: Halter): string {
  return h.art === 'firma' ? (h.firmenname ?? '') : `${h.familienname ?? ''}, ${h.vornamen ?? ''}`;
}

export const KRAFTSTOFFE = {
  benzin: 'Benzin',
  diesel: 'Diesel',
  elektro: 'Elektro (batterieelektrisch)',
  brennstoffzelle: 'Wasserstoff / Brennstoffzelle',
  plugin_hybrid: 'Plug-in-Hybrid (von außen aufladbar)',
  hybrid: 'Hybrid (nicht von außen aufladbar)',
  erdgas: 'Erdgas (CNG)',
  autogas: 'Autogas (LPG)',
  ohne: 'ohne Antrieb (Anhänger)',
} as const;
export type Kraftstoff = keyof typeof KRAFTSTOFFE;

export const FAHRZEUGKLASSEN = {
  M1: 'M1 – Pkw',
  M2: 'M2 – Kleinbus',
  M3: 'M3 – Bus',
  N1: 'N1 – Lkw bis 3,5 t',
  N2: 'N2 – Lkw bis 12 t',
  N3: 'N3 – Lkw über 12 t',
  L3e: 'L3e – Kraftrad',
  L4e: 'L4e – Kraftrad mit Beiwagen',
  L5e: 'L5e – dreirädriges Kfz',
  L7e: 'L7e – schweres Quad',
  O1: 'O1 – Anhänger bis 0,75 t',
  O2: 'O2 – Anhänger bis 3,5 t',
  T: 'T – Zugmaschine',
} as const;
export type Fahrzeugklasse = keyof typeof FAHRZEUGKLASSEN;

const KLASSEN = Object.keys(FAHRZEUGKLASSEN) as [Fahrzeugklasse, ...Fahrzeugklasse[]];
const STOFFE = Object.keys(KRAFTSTOFFE) as [Kraftstoff, ...Kraftstoff[]];

/** Month of the next Hauptuntersuchung: "MM/JJJJ" (as on the sticker) or "JJJJ-MM"; stored as JJJJ-MM. */
export const huMonat = (section: string) =>
  z
    .string({ error: 'Nächste HU: Bitte Monat und Jahr angeben.' })
    .trim()
    .transform((v, ctx) => {
      const a = /^(0?[1-9]|1[0-2])\s*[./]\s*(\d{4})$/.exec(v);
      if (a) return `${a[2]}-${(a[1] as string).padStart(2, '0')}`;
      if (/^\d{4}-(0[1-9]|1[0-2])$/.test(v)) return v;
      ctx.addIssue({ code: 'custom', message: 'Nächste HU: Bitte als MM/JJJJ angeben, z. B. 05/2028.' });
      return z.NEVER;
    })
    .meta({
      title: 'Nächste Hauptuntersuchung',
      description: 'Monat/Jahr, z. B. 05/2028 (Prüfplakette bzw. HU-Bericht)',
      section,
      widget: 'text',
    });

export function fahrzeugSchema(section = 'fahrzeug') {
  return z
    .object({
      fin: fin(section),
      herstellerschluessel: z
        .string({ error: 'Herstellerschlüssel: Bitte angeben.' })
        .trim()
        .regex(/^\d{4}$/, 'Herstellerschlüssel (HSN, Feld 2.1): vier Ziffern.')
        .meta({
          title: 'Herstellerschlüssel (HSN)',
          description: 'Feld 2.1, vier Ziffern',
          section,
          widget: 'text',
        }),
      typschluessel: z
        .string({ error: 'Typschlüssel: Bitte angeben.' })
        .trim()
        .toUpperCase()
        .regex(
          /^[0-9A-Z]{3}$/,
          'Typschlüssel (TSN, Feld 2.2): die ersten drei Zeichen, Ziffern und Buchstaben.',
        )
        .meta({
          title: 'Typschlüssel (TSN)',
          description: 'Feld 2.2, die ersten drei Zeichen',
          section,
          widget: 'text',
        }),
      hersteller: text({ title: 'Hersteller / Marke', description: 'Feld D.1', section }, { max: 25 }),
      typ: text({ title: 'Handelsbezeichnung', description: 'Feld D.3', section }, { max: 25 }).optional(),
      fahrzeugklasse: choice(KLASSEN, { title: 'Fahrzeugklasse', section, options: FAHRZEUGKLASSEN }),
      kraftstoff: choice(STOFFE, {
        title: 'Kraftstoff / Energiequelle',
        description: 'Feld P.3',
        section,
        options: KRAFTSTOFFE,
      }),
      erstzulassung: isoDate({
        title: 'Datum der Erstzulassung',
        description: 'Feld B; bei einem Neufahrzeug leer lassen',
        section,
      }).optional(),
      naechsteHu: huMonat(section),
      emogNachweis: yesNo({
        title: 'Plug-in-Hybrid: Nachweis nach § 3 Abs. 2 EmoG',
        description:
          'Höchstens 50 g CO2/km oder mindestens 40 km elektrische Reichweite (nur für das E-Kennzeichen)',
        section,
      }).optional(),
      oldtimerGutachten: yesNo({
        title: 'Gutachten für historische Fahrzeuge (§ 23 StVZO)',
        description: 'Nur für das H-Kennzeichen',
        section,
      }).optional(),
    })
    .strict()
    .meta({ title: 'Fahrzeug', section });
}

export type Fahrzeug = z.output<ReturnType<typeof fahrzeugSchema>>;

/** A vehicle that is already registered: identified by its FIN. */
export function fahrzeugKurzSchema(section = 'fahrzeug') {
  return z
    .object({
      fin: fin(section),
      hersteller: text({ title: 'Hersteller / Marke', section }, { max: 25 }).optional(),
    })
    .strict()
    .meta({ title: 'Fahrzeug', section });
}

export const SUFFIXE = {
  keiner: 'kein Zusatz',
  E: 'E – Elektrofahrzeug',
  H: 'H – historisches Fahrzeug',
} as const;

export const zusatz = choice(['keiner', 'E', 'H'], {
  title: 'Zusatz zum Kennzeichen',
  description: 'E nach dem Elektromobilitätsgesetz, H für Oldtimer; belegt eine der 8 Stellen',
  section: 'kennzeichen',
  options: SUFFIXE,
});

export const E_KLASSEN: readonly Fahrzeugklasse[] = ['M1', 'N1', 'N2', 'L3e', 'L4e', 'L5e', 'L7e'];

function addYears(iso: IsoDate, years: number): IsoDate {
  return `${Number(iso.slice(0, 4)) + years}${iso.slice(4)}`;
}

/** Why the vehicle may not carry the suffix, or null (EmoG §§ 2, 3; § 23 StVZO). */
export function suffixRefusal(
  suffix: 'keiner' | 'E' | 'H',
  f: Pick<Fahrzeug, 'kraftstoff' | 'fahrzeugklasse' | 'erstzulassung' | 'emogNachweis' | 'oldtimerGutachten'>,
  antragsdatum: IsoDate,
): { path: string; message: string } | null {
  if (suffix === 'E') {
    if (!E_KLASSEN.includes(f.fahrzeugklasse)) {
      return {
        path: 'kennzeichen/zusatz',
        message: `E-Kennzeichen: nur für die Fahrzeugklassen ${E_KLASSEN.join(', ')}.`,
      };
    }
    if (f.kraftstoff === 'elektro' || f.kraftstoff === 'brennstoffzelle') return null;
    if (f.kraftstoff === 'plugin_hybrid') {
      return f.emogNachweis
        ? null
        : {
            path: 'fahrzeug/emogNachweis',
            message:
              'E-Kennzeichen für Plug-in-Hybride nur mit Nachweis: höchstens 50 g CO2/km oder mindestens 40 km elektrische Reichweite (§ 3 Abs. 2 EmoG).',
          };
    }
    return {
      path: 'kennzeichen/zusatz',
      message: 'E-Kennzeichen: nur für Elektro-, Brennstoffzellen- und Plug-in-Hybridfahrzeuge (§ 2 EmoG).',
    };
  }
  if (suffix === 'H') {
    if (!f.erstzulassung || addYears(f.erstzulassung, 30) > antragsdatum) {
      return {
        path: 'fahrzeug/erstzulassung',
        message: 'H-Kennzeichen: Die Erstzulassung muss mindestens 30 Jahre zurückliegen.',
      };
    }
    if (!f.oldtimerGutachten) {
      return {
        path: 'fahrzeug/oldtimerGutachten',
        message: 'H-Kennzeichen: nur mit Gutachten für historische Fahrzeuge (§ 23 StVZO).',
      };
    }
  }
  return null;
}

/** SEPA direct-debit mandate for the vehicle tax (Kfz-Steuer), collected at registration. */
export const sepaSchema = z
  .object({
    kontoinhaber: text({ title: 'Kontoinhaber/in', section: 'sepa' }, { max: 70 }),
    iban: z
      .string({ error: 'IBAN: Bitte angeben.' })
      .transform((v) => electronicFormatIBAN(v) ?? v.replace(/\s+/g, '').toUpperCase())
      .superRefine((v, ctx) => {
        const r = validateIBAN(v);
        if (r.valid) return;
        const codes = r.errorCodes;
        const message = codes.includes(ValidationErrorsIBAN.NoIBANCountry)
          ? 'IBAN: unbekanntes Länderkennzeichen.'
          : codes.includes(ValidationErrorsIBAN.WrongBBANLength)
            ? 'IBAN: falsche Länge für dieses Land (Deutschland: 22 Zeichen).'
            : codes.includes(ValidationErrorsIBAN.WrongIBANChecksum) ||
                codes.includes(ValidationErrorsIBAN.WrongAccountBankBranchChecksum)
              ? 'IBAN: Die Prüfziffer stimmt nicht – bitte auf Zahlendreher prüfen.'
              : 'IBAN: ungültig.';
        ctx.addIssue({ code: 'custom', message });
      })
      .meta({ title: 'IBAN', section: 'sepa', widget: 'iban' }),
    bic: z
      .string()
      .trim()
      .toUpperCase()
      .refine((v) => isValidBIC(v), 'BIC: 8 oder 11 Zeichen, z. B. WELADED1SIE.')
      .meta({
        title: 'BIC',
        description: 'Optional, bei deutschen IBAN nicht nötig',
        section: 'sepa',
        widget: 'text',
      })
      .optional(),
    mandatErteilt: yesNo({
      title: 'SEPA-Lastschriftmandat für die Kfz-Steuer unterschrieben',
      description: 'Ohne Lastschriftmandat keine Zulassung',
      section: 'sepa',
    }),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (!s.mandatErteilt) {
      ctx.addIssue({
        code: 'custom',
        path: ['mandatErteilt'],
        message: 'Ohne SEPA-Lastschriftmandat für die Kfz-Steuer kann das Fahrzeug nicht zugelassen werden.',
      });
    }
  })
  .meta({ title: 'SEPA-Lastschriftmandat Kfz-Steuer', section: 'sepa' });

export type Sepa = z.output<typeof sepaSchema>;

/** A plate typed in a form (an existing one, any district): read and normalised to "SI-AB 123". */
export const bestehendesKennzeichen = (title: string, section: string, description?: string) =>
  z
    .string({ error: `${title}: Bitte angeben.` })
    .transform((v, ctx) => {
      const c = checkPlate(v, { extraBanned: [] });
      if (!c.ok) {
        ctx.addIssue({ code: 'custom', message: `${title}: ${c.message}` });
        return z.NEVER;
      }
      return `${c.plate.art === 'kurzzeit' ? `${c.plate.unterscheidungszeichen}-${c.plate.ziffern}` : `${c.plate.unterscheidungszeichen}-${c.plate.buchstaben} ${c.plate.ziffern}`}${c.suffix ?? ''}`;
    })
    .meta({ title, description: description ?? 'z. B. SI-AB 123', section, widget: 'text' });

export const antragSchema = (today: () => IsoDate) =>
  z
    .object({
      antragsdatum: isoDate({
        title: 'Antragsdatum',
        description: 'Maßgeblich für die Gebühr',
        section: 'antrag',
      }),
    })
    .strict()
    .superRefine((a, ctx) => {
      if (a.antragsdatum > today()) {
        ctx.addIssue({
          code: 'custom',
          path: ['antragsdatum'],
          message: 'Antragsdatum: darf nicht in der Zukunft liegen.',
        });
      }
    })
    .meta({ title: 'Antrag', section: 'antrag' });

export const anschriftSchema = (section: string, title: string) =>
  z
    .object({
      strasse: text({ title: 'Straße', section }, { max: 40 }),
      hausnummer: text({ title: 'Hausnummer', section }, { max: 10 }),
      plz: plz({ title: 'Postleitzahl', section }),
      ort: text({ title: 'Ort', section }, { max: 40 }),
    })
    .strict()
    .meta({ title, section });

export { zb2 as zb2Schema };
