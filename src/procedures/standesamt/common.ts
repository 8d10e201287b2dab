import { z } from 'zod';
import type { IsoDate } from '../../core/dates.js';
import type { FieldMeta } from '../../core/procedure.js';
import { choice, isoDate, plz, text } from '../../core/schema-helpers.js';

/**
 * Parts shared by the three civil-registry procedures (Geburt, Sterbefall, Eheschließung):
 * field builders, the list of required documents with their received/missing state, the
 * duplicate-check state and the register entry. Free of Node-only imports (browser-safe).
 */

export const GESCHLECHTER = {
  w: 'weiblich',
  m: 'männlich',
  d: 'divers',
  x: 'ohne Angabe',
} as const;

/** Codes of the XPersonenstand code list "Geschlecht" (urn:xpersonenstand:schluesseltabelle:geschlecht). */
export const geschlecht = (meta: { title: string; description?: string; section?: string }) =>
  choice(['w', 'm', 'd', 'x'], { ...meta, options: GESCHLECHTER });

/** Time of day HH:MM. */
export function uhrzeit(meta: FieldMeta) {
  return z
    .string({ error: `${meta.title}: Bitte eine Uhrzeit angeben.` })
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, `${meta.title}: Bitte im Format HH:MM angeben.`)
    .meta({ widget: 'text', ...meta });
}

export function anschrift(section: string) {
  return {
    strasse: text({ title: 'Straße und Hausnummer', section }),
    plz: plz({ title: 'Postleitzahl', section }),
    wohnort: text({ title: 'Wohnort', section }),
  };
}

export { isoDate, text };

/** One required document of a case and whether it has been received. */
/** What identifies an event for the duplicate check. */
export interface Ereignismerkmale {
  familienname: string;
  vornamen: string;
  datum: IsoDate;
  ort: string;
}

export interface Unterlage {
  id: string;
  label: string;
  eingegangen: boolean;
  /** Day it was marked received. */
  am?: IsoDate;
}

export interface DuplikatKandidat {
  id: string;
  aktenzeichen: string;
  summary: string;
}

/**
 * Duplicate check (issue 5 §6): 'keine' — no similar case; 'offen' — similar cases found, the
 * clerk must decide; 'kein_duplikat' — the clerk confirmed these candidates are other events;
 * 'verknuepft' — this report was linked to an existing case and closed.
 */
export interface DuplikatPruefung {
  status: 'keine' | 'offen' | 'kein_duplikat' | 'verknuepft';
  kandidaten: DuplikatKandidat[];
  verknuepftMit?: { id: string; aktenzeichen: string };
  begruendung?: string;
}

export interface Registereintrag {
  /** "G 12/2026" */
  nummer: string;
  eingetragenAm: IsoDate;
}

/** Fields the system keeps beside the form data in every civil-registry case. */
export interface StandesamtVerwaltung {
  unterlagen: Unterlage[];
  duplikat?: DuplikatPruefung;
  registereintrag?: Registereintrag;
}

/**
 * Required documents for new form data: keeps the received state of documents that are still
 * required, adds new ones as missing, drops those no longer required.
 */
export function mergeUnterlagen(
  required: Array<{ id: string; label: string }>,
  previous: Unterlage[] | undefined,
): Unterlage[] {
  const before = new Map((previous ?? []).map((u) => [u.id, u]));
  return required.map((r) => {
    const old = before.get(r.id);
    return old ? { ...old, label: r.label } : { id: r.id, label: r.label, eingegangen: false };
  });
}

export const unterlagenPayload = z
  .object({
    eingegangen: z
      .array(z.string().regex(/^[a-z0-9_]{1,64}$/, 'Unbekannte Unterlage.'))
      .max(50)
      .default([])
      .meta({ title: 'Eingegangene Unterlagen', description: 'Kennungen der Unterlagen, die vorliegen' }),
    fehlend: z
      .array(z.string().regex(/^[a-z0-9_]{1,64}$/, 'Unbekannte Unterlage.'))
      .max(50)
      .default([])
      .meta({ title: 'Doch fehlende Unterlagen', description: 'Irrtümlich als eingegangen markierte' }),
  })
  .strict();

export function applyUnterlagen(unterlagen: Unterlage[], payload: unknown, today: IsoDate): Unterlage[] {
  const p = payload as z.output<typeof unterlagenPayload>;
  const received = new Set(p.eingegangen);
  const missing = new Set(p.fehlend);
  return unterlagen.map((u) => {
    if (missing.has(u.id)) return { id: u.id, label: u.label, eingegangen: false };
    if (received.has(u.id) && !u.eingegangen) return { ...u, eingegangen: true, am: today };
    return u;
  });
}

/** Ids in the payload that are not documents of this case (refused with a clear message). */
export function unknownUnterlagen(unterlagen: Unterlage[], payload: unknown): string[] {
  const p = payload as z.output<typeof unterlagenPayload>;
  const known = new Set(unterlagen.map((u) => u.id));
  return [...p.eingegangen, ...p.fehlend].filter((id) => !known.has(id));
}

export const stornoPayload = z
  .object({ grund: text({ title: 'Grund der Stornierung' }, { max: 500 }) })
  .strict();

export const keinDuplikatPayload = z
  .object({
    begruendung: text(
      { title: 'Begründung', description: 'Warum es sich nicht um denselben Fall handelt' },
      { max: 500 },
    ).optional(),
  })
  .strict();

export const verknuepfenPayload = z
  .object({
    vorgangId: z.uuid('Keine gültige Vorgangs-ID.').meta({
      title: 'Bestehender Vorgang',
      description: 'Der Vorgang, der dasselbe Ereignis betrifft',
    }),
  })
  .strict();
