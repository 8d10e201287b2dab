import { z } from 'zod';
import { isValidIsoDate } from './dates.js';
import type { FieldMeta } from './procedure.js';

// German default messages for every zod issue that a field does not word itself.
z.config(z.locales.de());

/** A required text field: trimmed, not empty, bounded, no control characters. */
export function text(meta: FieldMeta, opts: { max?: number; min?: number } = {}) {
  const max = opts.max ?? 200;
  return z
    .string({ error: `${meta.title}: Bitte angeben.` })
    .trim()
    .min(opts.min ?? 1, `${meta.title}: Bitte angeben.`)
    .max(max, `${meta.title}: höchstens ${max} Zeichen.`)
    .regex(/^[^\p{Cc}]*$/u, `${meta.title}: enthält unzulässige Steuerzeichen.`)
    .meta({ widget: 'text', ...meta });
}

/** Multi-line text: line breaks allowed, other control characters not. */
export function longText(meta: FieldMeta, max = 2000) {
  return z
    .string({ error: `${meta.title}: Bitte angeben.` })
    .trim()
    .max(max, `${meta.title}: höchstens ${max} Zeichen.`)
    .refine(noControlCharsExceptLineBreaks, `${meta.title}: enthält unzulässige Steuerzeichen.`)
    .meta({ widget: 'textarea', ...meta });
}

/** True when the text has no control characters other than tab and line breaks. */
export function noControlCharsExceptLineBreaks(value: string): boolean {
  for (const ch of value) {
    const c = ch.codePointAt(0) ?? 0;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || (c >= 0x7f && c <= 0x9f)) return false;
  }
  return true;
}

/** An ISO calendar date (YYYY-MM-DD) that exists. */
export function isoDate(meta: FieldMeta) {
  return z
    .string({ error: `${meta.title}: Bitte ein Datum angeben.` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${meta.title}: Bitte ein Datum im Format TT.MM.JJJJ angeben.`)
    .refine(isValidIsoDate, `${meta.title}: Dieses Datum gibt es nicht.`)
    .meta({ widget: 'date', format: 'date', ...meta });
}

/** A choice from a fixed list, with German labels for each value. */
export function choice<const T extends readonly [string, ...string[]]>(
  values: T,
  meta: FieldMeta & { options: Record<T[number], string> },
) {
  return z.enum(values, { error: `${meta.title}: Bitte eine der vorgegebenen Möglichkeiten wählen.` }).meta({
    widget: 'select',
    ...meta,
  });
}

export function yesNo(meta: FieldMeta) {
  return z.boolean({ error: `${meta.title}: Bitte Ja oder Nein wählen.` }).meta({ widget: 'yesno', ...meta });
}

/** German postcode: five digits. */
export function plz(meta: FieldMeta) {
  return z
    .string({ error: `${meta.title}: Bitte angeben.` })
    .trim()
    .regex(/^\d{5}$/, `${meta.title}: Die Postleitzahl hat fünf Ziffern.`)
    .meta({ widget: 'text', ...meta });
}
