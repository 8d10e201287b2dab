import type { z } from 'zod';
import type { ActionDefinition } from '../../core/procedure.js';
import {
  applyUnterlagen,
  type DuplikatPruefung,
  type Ereignismerkmale,
  keinDuplikatPayload,
  mergeUnterlagen,
  type Registereintrag,
  type StandesamtVerwaltung,
  stornoPayload,
  unterlagenPayload,
  verknuepfenPayload,
} from './common.js';

/**
 * The actions Geburt and Sterbefall share: report (create) -> correct / mark documents /
 * resolve duplicates -> register (register number) or cancel or merge into an existing case.
 * Their transactional parts (duplicate search, register number) are the hooks of
 * server/hooks.ts, bound to the same action ids.
 */
export interface AnzeigeOptions<F> {
  register: 'G' | 'S';
  /** "Die Beurkundung der Geburt" – subject for refusal messages. */
  registrierenLabel: string;
  requiredDocuments: (form: F) => Array<{ id: string; label: string }>;
  merkmale: (data: unknown) => Ereignismerkmale;
  summary: (data: unknown) => string;
  certificate: string;
}

type Data<F> = F & StandesamtVerwaltung;

export function anzeigeActions<F>(o: AnzeigeOptions<F>, formSchema: z.ZodType): ActionDefinition<Data<F>>[] {
  return [
    {
      id: 'berichtigen',
      label: 'Berichtigen',
      description: 'Angaben korrigieren, bevor beurkundet wird. Die Duplikatprüfung läuft erneut.',
      from: ['angezeigt'],
      to: 'angezeigt',
      roles: ['sachbearbeitung'],
      payload: formSchema,
      apply: (data, payload) => {
        const p = payload as F & { duplikat: DuplikatPruefung };
        return {
          ...p,
          unterlagen: mergeUnterlagen(o.requiredDocuments(p), data.unterlagen),
          duplikat: p.duplikat,
        } as Data<F>;
      },
    },
    {
      id: 'unterlagen_erfassen',
      label: 'Unterlagen erfassen',
      description: 'Vorliegende Unterlagen als eingegangen markieren.',
      from: ['angezeigt'],
      to: 'angezeigt',
      roles: ['sachbearbeitung'],
      payload: unterlagenPayload,
      apply: (data, payload, ctx) => ({
        ...data,
        unterlagen: applyUnterlagen(data.unterlagen, payload, ctx.today),
      }),
    },
    {
      id: 'kein_duplikat',
      label: 'Kein Duplikat',
      description: 'Bestätigen, dass die ähnlichen Vorgänge andere Ereignisse betreffen.',
      from: ['angezeigt'],
      to: 'angezeigt',
      roles: ['sachbearbeitung'],
      payload: keinDuplikatPayload,
      apply: (data, payload) => {
        const p = payload as { kandidaten: DuplikatPruefung['kandidaten']; begruendung?: string };
        return {
          ...data,
          duplikat: {
            status: 'kein_duplikat',
            kandidaten: p.kandidaten,
            ...(p.begruendung ? { begruendung: p.begruendung } : {}),
          },
        };
      },
    },
    {
      id: 'als_duplikat_verknuepfen',
      label: 'Mit bestehendem Vorgang verknüpfen',
      description:
        'Die Anzeige betrifft dasselbe Ereignis wie ein bestehender Vorgang: verknüpfen und diesen Vorgang schließen.',
      from: ['angezeigt'],
      to: 'zusammengefuehrt',
      roles: ['sachbearbeitung'],
      payload: verknuepfenPayload,
      apply: (data, payload) => {
        const p = payload as {
          vorgangId: string;
          aktenzeichen: string;
          kandidaten: DuplikatPruefung['kandidaten'];
        };
        return {
          ...data,
          duplikat: {
            status: 'verknuepft',
            kandidaten: p.kandidaten,
            verknuepftMit: { id: p.vorgangId, aktenzeichen: p.aktenzeichen },
          },
        };
      },
    },
    {
      id: 'registrieren',
      label: 'Beurkunden',
      description:
        'Eintrag ins Register mit Registernummer. Nur wenn alle Unterlagen vorliegen und kein mögliches Duplikat offen ist.',
      from: ['angezeigt'],
      to: 'registriert',
      roles: ['sachbearbeitung'],
      apply: (data, payload) => ({
        ...data,
        registereintrag: (payload as { registereintrag: Registereintrag }).registereintrag,
      }),
      producesDocument: o.certificate,
    },
    {
      id: 'stornieren',
      label: 'Stornieren',
      description: 'Irrtümlich erfasste Anzeige schließen (ohne Registereintrag).',
      from: ['angezeigt'],
      to: 'storniert',
      roles: ['sachbearbeitung'],
      payload: stornoPayload,
    },
  ];
}
