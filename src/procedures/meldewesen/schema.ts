import { z } from 'zod';
import { choice, isoDate, plz, text } from '../../core/schema-helpers.js';

/** Form parts shared by the Meldewesen procedures. Browser-safe: no Node imports. */

export const GESCHLECHT_OPTIONS = { m: 'männlich', w: 'weiblich', d: 'divers', x: 'ohne Angabe' } as const;

export const registerPersonId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9._-]{1,40}$/, 'Personen-ID aus dem Melderegister: ungültig.')
  .meta({
    title: 'Personen-ID im Melderegister',
    description: 'Aus der Registersuche übernommen, falls die Person dort gefunden wurde',
    widget: 'text',
  })
  .optional();

export const staatsangehoerigkeit = z
  .string({ error: 'Staatsangehörigkeit: Bitte angeben.' })
  .trim()
  .toUpperCase()
  .regex(
    /^[A-Z]{3}(,[A-Z]{3})*$/,
    'Staatsangehörigkeit: Staatencode mit drei Buchstaben, z. B. DEU; mehrere mit Komma.',
  )
  .meta({ title: 'Staatsangehörigkeit', description: 'Staatencode, z. B. DEU', widget: 'text' });

export function personSchema(section: string) {
  return z
    .object({
      registerPersonId,
      familienname: text({ title: 'Familienname', section }),
      namensbestandteil: text(
        { title: 'Namensbestandteil', description: 'z. B. „von", „van der"', section },
        { max: 40 },
      ).optional(),
      vornamen: text({ title: 'Vornamen', section }),
      geburtsname: text({ title: 'Geburtsname', description: 'Nur wenn abweichend', section }).optional(),
      geburtsdatum: isoDate({ title: 'Geburtsdatum', section }),
      geburtsort: text({ title: 'Geburtsort', section }),
      geschlecht: choice(['m', 'w', 'd', 'x'], { title: 'Geschlecht', section, options: GESCHLECHT_OPTIONS }),
      staatsangehoerigkeit,
    })
    .strict();
}

export function anschriftSchema(section: string, title: string) {
  return z
    .object({
      strasse: text({ title: 'Straße', section }),
      hausnummer: text({ title: 'Hausnummer', section }, { max: 10 }),
      plz: plz({ title: 'Postleitzahl', section }),
      ort: text({ title: 'Ort', section }),
    })
    .strict()
    .meta({ title, section });
}

export type Person = z.output<ReturnType<typeof personSchema>>;
export type Anschrift = z.output<ReturnType<typeof anschriftSchema>>;
