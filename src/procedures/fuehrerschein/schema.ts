import { z } from 'zod';
import type { IsoDate } from '../../core/dates.js';
import type { FieldMeta } from '../../core/procedure.js';
import { isoDate, plz, text } from '../../core/schema-helpers.js';
import { KLASSEN, type Klasse, parseKlassen } from './klassen.js';
import { normalisiereFuehrerscheinnummer, pruefeFuehrerscheinnummer } from './nummer.js';

/** Form parts shared by the licence procedures. Browser-safe. */

/**
 * Cross-field rules run only on data whose fields are valid (zod runs an object's refinement even
 * after some non-fatal field errors, e.g. a failed union, and the rules must never see such data).
 */
export const NUR_WENN_GUELTIG = { when: (p: { issues: readonly unknown[] }) => p.issues.length === 0 };

/** A list of licence classes, typed as "B, BE" (or sent as ["B", "BE"]); stored as a sorted array. */
export function klassenListe(meta: FieldMeta, opts: { min?: number } = {}) {
  const min = opts.min ?? 1;
  return z
    .union([z.string().max(200), z.array(z.string().max(3)).max(KLASSEN.length)], {
      error: `${meta.title}: Bitte angeben, z. B. B, BE.`,
    })
    .transform((v, ctx): Klasse[] => {
      const { klassen, unbekannt } = parseKlassen(Array.isArray(v) ? v.join(',') : v);
      if (unbekannt.length) {
        ctx.addIssue({
          code: 'custom',
          message: `${meta.title}: unbekannte Klasse ${unbekannt.map((u) => `„${u.slice(0, 5)}"`).join(', ')}. Zulässig: ${KLASSEN.join(', ')}.`,
        });
        return z.NEVER;
      }
      if (klassen.length < min) {
        ctx.addIssue({ code: 'custom', message: `${meta.title}: Bitte mindestens eine Klasse angeben.` });
        return z.NEVER;
      }
      return klassen;
    })
    .meta({ widget: 'text', description: 'Mit Komma getrennt, z. B. B, BE', ...meta });
}

/** A Führerscheinnummer with check digit; stored without spaces, in upper case. */
export function fuehrerscheinnummer(meta: FieldMeta) {
  return z
    .string({ error: `${meta.title}: Bitte angeben.` })
    .max(20, `${meta.title}: hat 11 Zeichen (z. B. B072RRE2I55).`)
    .transform(normalisiereFuehrerscheinnummer)
    .superRefine((v, ctx) => {
      const r = pruefeFuehrerscheinnummer(v, meta.title);
      if (!r.ok) ctx.addIssue({ code: 'custom', message: r.message ?? `${meta.title}: ungültig.` });
    })
    .meta({ widget: 'text', description: '11 Zeichen mit Prüfziffer, z. B. B072RRE2I55', ...meta });
}

export const GESCHLECHT = { m: 'männlich', w: 'weiblich', d: 'divers', x: 'ohne Angabe' } as const;

/** The applicant or holder (Personendaten nach § 2 Abs. 6 StVG, FeV § 21 Abs. 1). */
export function personSchema(section: string) {
  return z
    .object({
      familienname: text({ title: 'Familienname', section }),
      vornamen: text({ title: 'Vornamen', section }),
      geburtsname: text({ title: 'Geburtsname', description: 'Nur wenn abweichend', section }).optional(),
      geburtsdatum: isoDate({ title: 'Geburtsdatum', section }),
      geburtsort: text({ title: 'Geburtsort', section }),
      doktorgrad: text({ title: 'Doktorgrad', section }, { max: 40 }).optional(),
    })
    .strict();
}

export function anschriftSchema(section: string) {
  return z
    .object({
      strasse: text({ title: 'Straße', section }),
      hausnummer: text({ title: 'Hausnummer', section }, { max: 10 }),
      plz: plz({ title: 'Postleitzahl', section }),
      ort: text({ title: 'Wohnort', section }),
    })
    .strict()
    .meta({ title: 'Wohnanschrift (ordentlicher Wohnsitz im Inland)', section });
}

export const antragSchema = (section: string) =>
  isoDate({ title: 'Antragsdatum', description: 'Maßgeblich für Gebühr, Alter und Fristen', section });

export type Person = z.output<ReturnType<typeof personSchema>>;
export type Anschrift = z.output<ReturnType<typeof anschriftSchema>>;

/** Common date checks of all licence forms: nothing in the future, born before applying. */
export function checkDates(
  d: { person: Person; antragsdatum: IsoDate },
  paths: { person: string; antragsdatum: (string | number)[] },
  today: IsoDate,
  ctx: z.RefinementCtx,
): void {
  if (d.antragsdatum > today) {
    ctx.addIssue({
      code: 'custom',
      path: paths.antragsdatum,
      message: 'Antragsdatum: darf nicht in der Zukunft liegen.',
    });
  }
  if (d.person.geburtsdatum >= d.antragsdatum) {
    ctx.addIssue({
      code: 'custom',
      path: [paths.person, 'geburtsdatum'],
      message: 'Geburtsdatum: muss vor dem Antragsdatum liegen.',
    });
  }
}
