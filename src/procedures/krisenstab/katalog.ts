import { z } from 'zod';

/**
 * The vocabulary of the crisis team's board, shared by server and web app (browser-safe: data
 * only). Terms of BSI 200-4 (FACTS.md §10): MTA (maximal tolerierbare Ausfallzeit), WAZ
 * (Wiederanlaufzeit: the time within which emergency operation must start), Notbetriebsniveau
 * (minimum capacity of emergency operation relative to normal).
 */

/** Status of a service (Dienst) of a municipality. */
export const DIENST_STATUS = ['normal', 'notbetrieb', 'nachbarbehoerde', 'ausgesetzt'] as const;
export type DienstStatus = (typeof DIENST_STATUS)[number];

export const DIENST_STATUS_LABELS: Record<DienstStatus, string> = {
  normal: 'Normalbetrieb',
  notbetrieb: 'Notbetrieb',
  nachbarbehoerde: 'bei Nachbarbehörde',
  ausgesetzt: 'ausgesetzt',
};

/** Statuses in which the service is offered in emergency operation (the WAZ counts until then). */
export const EMERGENCY_OFFERED: readonly DienstStatus[] = ['notbetrieb', 'nachbarbehoerde'];

/** Entries of the crisis team's log (Lagelog). */
export const LOG_ARTEN = ['meldung', 'entscheidung', 'aufgabe'] as const;
export type LogArt = (typeof LOG_ARTEN)[number];

export const LOG_ART_LABELS: Record<LogArt, string> = {
  meldung: 'Meldung',
  entscheidung: 'Entscheidung',
  aufgabe: 'Aufgabe',
};

/** How the board judges the WAZ of a service. */
export const WAZ_STATES = [
  'eingehalten',
  'ueberschritten',
  'laeuft',
  'offen_ueberschritten',
  'ohne_ausfall',
  'ohne_ziel',
  'normal',
] as const;
export type WazState = (typeof WAZ_STATES)[number];

export const WAZ_STATE_LABELS: Record<WazState, string> = {
  eingehalten: 'Notbetrieb innerhalb der WAZ aufgenommen',
  ueberschritten: 'Notbetrieb nach Ablauf der WAZ aufgenommen',
  laeuft: 'WAZ läuft, Notbetrieb noch nicht aufgenommen',
  offen_ueberschritten: 'WAZ überschritten, Notbetrieb noch nicht aufgenommen',
  ohne_ausfall: 'Kein Ausfallzeitpunkt erfasst',
  ohne_ziel: 'Keine WAZ festgelegt',
  normal: 'Normalbetrieb',
};

/** Appointment (Termin) states. */
export const TERMIN_STATUS_LABELS: Record<string, string> = {
  gebucht: 'gebucht',
  abgesagt: 'von der Bürgerin / dem Bürger abgesagt',
  abgesagt_amt: 'vom Amt abgesagt',
};

// ---- Input schemas (server validation; the web forms check the same rules) ----

/** True when the text holds a control character (a line break only counts where not `multiline`). */
export function hasControlCharacter(v: string, multiline = false): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (multiline && (c === 10 || c === 13 || c === 9)) continue;
    if (c < 32 || c === 127) return true;
  }
  return false;
}

export function textField(label: string, max: number, opts: { multiline?: boolean; min?: number } = {}) {
  return z
    .string({ error: `${label}: Bitte als Text angeben.` })
    .trim()
    .min(
      opts.min ?? 1,
      opts.min && opts.min > 1 ? `${label}: mindestens ${opts.min} Zeichen.` : `${label}: Bitte angeben.`,
    )
    .max(max, `${label}: höchstens ${max} Zeichen.`)
    .refine((v) => !hasControlCharacter(v, opts.multiline), {
      message: `${label}: enthält unzulässige Steuerzeichen.`,
    });
}

/** Optional text: empty or absent becomes null. */
export function optionalText(label: string, max: number, opts: { multiline?: boolean } = {}) {
  return z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? null : v),
    textField(label, max, opts).nullable().optional(),
  );
}

export const PHONE = /^\+?[0-9][0-9 ()/-]{4,28}[0-9]$/;

export function phoneField(label: string) {
  return z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? null : v),
    z
      .string({ error: `${label}: Bitte als Text angeben.` })
      .trim()
      .regex(PHONE, `${label}: Bitte eine Telefonnummer aus Ziffern angeben, z. B. 0271 404-0.`)
      .nullable()
      .optional(),
  );
}

const hours = (label: string) =>
  z
    .number({ error: `${label}: Bitte eine ganze Zahl von Stunden angeben.` })
    .int(`${label}: Bitte eine ganze Zahl von Stunden angeben.`)
    .min(1, `${label}: mindestens 1 Stunde.`)
    .max(24 * 365, `${label}: höchstens 8760 Stunden (ein Jahr).`)
    .nullable()
    .optional();

const timestamp = (label: string) =>
  z.iso
    .datetime({ offset: true, error: `${label}: Bitte Datum und Uhrzeit im ISO-Format angeben.` })
    .nullable()
    .optional();

const agsField = z
  .string()
  .regex(/^\d{8}$/, 'Ausweichbehörde: Der Gemeindeschlüssel (AGS) hat acht Ziffern.')
  .nullable()
  .optional();

/** One service of the catalogue as the crisis team or the Amtsleitung enters it. */
export const dienstInputSchema = z
  .object({
    title: textField('Bezeichnung', 120, { min: 2 }),
    status: z
      .enum(DIENST_STATUS, { error: 'Status: normal, notbetrieb, nachbarbehoerde oder ausgesetzt.' })
      .nullable(),
    ort: optionalText('Ort (Adresse)', 200),
    zeiten: optionalText('Zeiten', 300, { multiline: true }),
    ausweichAgs: agsField,
    ausweichName: optionalText('Ausweichbehörde', 120),
    hotline: phoneField('Telefon'),
    hinweis: optionalText('Hinweis', 500, { multiline: true }),
    mtaStunden: hours('MTA'),
    wazStunden: hours('WAZ'),
    niveauProzent: z
      .number({ error: 'Notbetriebsniveau: Bitte eine ganze Zahl von 0 bis 100 angeben.' })
      .int('Notbetriebsniveau: Bitte eine ganze Zahl von 0 bis 100 angeben.')
      .min(0, 'Notbetriebsniveau: mindestens 0 %.')
      .max(100, 'Notbetriebsniveau: höchstens 100 %.')
      .nullable()
      .optional(),
    oeffentlich: z.boolean({ error: 'Öffentlich: ja oder nein.' }),
    notbetriebSeit: timestamp('Notbetrieb seit'),
  })
  .strict()
  .superRefine((d, ctx) => {
    if (d.status === 'nachbarbehoerde' && !d.ausweichAgs && !d.ausweichName) {
      ctx.addIssue({
        code: 'custom',
        path: ['ausweichName'],
        message:
          'Ausweichbehörde: Bei „bei Nachbarbehörde“ bitte angeben, welche Behörde den Dienst übernimmt.',
      });
    }
    if (d.mtaStunden && d.wazStunden && d.wazStunden > d.mtaStunden) {
      ctx.addIssue({
        code: 'custom',
        path: ['wazStunden'],
        message:
          'WAZ: Die Wiederanlaufzeit darf nicht länger sein als die maximal tolerierbare Ausfallzeit (MTA).',
      });
    }
  });
export type DienstInput = z.output<typeof dienstInputSchema>;

/** The situation of an authority: outage start, public notice, citizens' contact. */
export const lageInputSchema = z
  .object({
    ausfallSeit: timestamp('Ausfall seit'),
    hinweis: optionalText('Hinweis für Bürgerinnen und Bürger', 1000, { multiline: true }),
    buergertelefon: phoneField('Bürgertelefon'),
    kontaktEmail: z.preprocess(
      (v) => (typeof v === 'string' && v.trim() === '' ? null : v),
      z.email({ error: 'E-Mail: Bitte eine gültige E-Mail-Adresse angeben.' }).max(200).nullable().optional(),
    ),
  })
  .strict();
export type LageInput = z.output<typeof lageInputSchema>;

/** An entry of the crisis team's log. */
export const logInputSchema = z
  .object({
    art: z.enum(LOG_ARTEN, { error: 'Art: meldung, entscheidung oder aufgabe.' }),
    authorityAgs: z
      .string()
      .regex(/^\d{8}$/, 'Behörde: Der Gemeindeschlüssel (AGS) hat acht Ziffern.')
      .nullable()
      .optional(),
    titel: textField('Titel', 200, { min: 2 }),
    text: optionalText('Text', 4000, { multiline: true }),
    zustaendig: optionalText('Zuständig', 120),
    faelligAm: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'Fällig am: Bitte ein Datum (JJJJ-MM-TT) angeben.')
      .nullable()
      .optional(),
  })
  .strict()
  .superRefine((d, ctx) => {
    if (d.art !== 'aufgabe' && (d.faelligAm || d.zustaendig)) {
      ctx.addIssue({
        code: 'custom',
        path: [d.faelligAm ? 'faelligAm' : 'zustaendig'],
        message: 'Zuständigkeit und Fälligkeit gibt es nur bei Aufgaben.',
      });
    }
    if (d.art === 'aufgabe' && !d.zustaendig) {
      ctx.addIssue({
        code: 'custom',
        path: ['zustaendig'],
        message: 'Zuständig: Bitte angeben, wer die Aufgabe übernimmt.',
      });
    }
  });
export type LogInput = z.output<typeof logInputSchema>;
