import { z } from 'zod';
import { choice, isoDate, plz, text } from '../../core/schema-helpers.js';

/** Form parts both procedures of the Ausländerbehörde share (person, passport, address). */

export const GESCHLECHTER = ['m', 'w', 'd', 'x'] as const;

export const personSchema = z
  .object({
    familienname: text({ title: 'Familienname', section: 'person' }, { max: 120 }),
    vornamen: text({ title: 'Vornamen', section: 'person' }, { max: 120 }),
    geburtsdatum: isoDate({ title: 'Geburtsdatum', section: 'person' }),
    geburtsort: text({ title: 'Geburtsort', section: 'person' }, { max: 120 }),
    geschlecht: choice(GESCHLECHTER, {
      title: 'Geschlecht',
      section: 'person',
      options: { m: 'männlich', w: 'weiblich', d: 'divers', x: 'ohne Angabe' },
    }),
    staatsangehoerigkeit: text({ title: 'Staatsangehörigkeit', section: 'person' }, { max: 80 }),
    azrNummer: z
      .string()
      .regex(/^\d{12}$/, 'AZR-Nummer: zwölf Ziffern.')
      .meta({ title: 'AZR-Nummer (falls bekannt)', section: 'person', widget: 'text' })
      .optional(),
  })
  .strict();

export const passSchema = z
  .object({
    nummer: text({ title: 'Pass- oder Passersatznummer', section: 'person' }, { max: 30 }),
    ausstellerstaat: text({ title: 'Ausstellender Staat', section: 'person' }, { max: 80 }),
    gueltigBis: isoDate({ title: 'Pass gültig bis', section: 'person' }),
  })
  .strict();

export const anschriftSchema = z
  .object({
    strasse: text({ title: 'Straße', section: 'anschrift' }, { max: 70 }),
    hausnummer: text({ title: 'Hausnummer', section: 'anschrift' }, { max: 16 }),
    plz: plz({ title: 'PLZ', section: 'anschrift' }),
    ort: text({ title: 'Ort', section: 'anschrift' }, { max: 35 }),
  })
  .strict();

export type Person = z.output<typeof personSchema>;
