import type { z } from 'zod';
import type { ActionDefinition, PrepareContext } from '../../core/procedure.js';
import {
  duplikatNachPruefung,
  type Ereignismerkmale,
  findDuplicateCandidates,
  refuse,
  registerEntry,
  requireNoOpenDuplicate,
  requireUnterlagen,
} from './checks.js';
import {
  applyUnterlagen,
  type DuplikatPruefung,
  keinDuplikatPayload,
  mergeUnterlagen,
  type Registereintrag,
  type StandesamtVerwaltung,
  stornoPayload,
  unknownUnterlagen,
  unterlagenPayload,
  verknuepfenPayload,
} from './common.js';

/**
 * The actions Geburt and Sterbefall share: report (create) -> correct / mark documents /
 * resolve duplicates -> register (register number) or cancel or merge into an existing case.
 */
export interface AnzeigeOptions<F> {
  register: 'G' | 'S';
  /** "Die Beurkundung der Geburt" – subject for refusal messages. */
  registrierenLabel: string;
  formSchema: z.ZodType;
  requiredDocuments: (form: F) => Array<{ id: string; label: string }>;
  merkmale: (data: unknown) => Ereignismerkmale;
  summary: (data: unknown) => string;
  certificate: string;
}

type Data<F> = F & StandesamtVerwaltung;

/** Creates the system part of a new case: required documents (all missing) and duplicate check. */
export function anzeigePrepare<F>(o: AnzeigeOptions<F>) {
  return async (ctx: PrepareContext<F>): Promise<Data<F>> => {
    const form = ctx.case.data as F;
    const kandidaten = await findDuplicateCandidates(ctx as PrepareContext, o.merkmale, o.summary);
    return {
      ...form,
      unterlagen: mergeUnterlagen(o.requiredDocuments(form), undefined),
      duplikat: duplikatNachPruefung(kandidaten, undefined),
    };
  };
}

export function anzeigeActions<F>(o: AnzeigeOptions<F>): ActionDefinition<Data<F>>[] {
  return [
    {
      id: 'berichtigen',
      label: 'Berichtigen',
      description: 'Angaben korrigieren, bevor beurkundet wird. Die Duplikatprüfung läuft erneut.',
      from: ['angezeigt'],
      to: 'angezeigt',
      roles: ['sachbearbeitung'],
      payload: o.formSchema,
      prepare: async (ctx) => {
        const form = ctx.payload as F;
        const probe = { ...ctx, case: { ...ctx.case, data: form } } as PrepareContext;
        const kandidaten = await findDuplicateCandidates(probe, o.merkmale, o.summary);
        return { ...form, duplikat: duplikatNachPruefung(kandidaten, ctx.case.data.duplikat) };
      },
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
      prepare: async (ctx) => {
        const unknown = unknownUnterlagen(ctx.case.data.unterlagen, ctx.payload);
        if (unknown.length > 0) {
          throw refuse(
            'Unbekannte Unterlage',
            `Diese Unterlagen gehören nicht zu diesem Vorgang: ${unknown.join(', ')}.`,
          );
        }
        return ctx.payload;
      },
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
      prepare: async (ctx) => {
        const kandidaten = await findDuplicateCandidates(ctx as PrepareContext, o.merkmale, o.summary);
        if (kandidaten.length === 0) {
          throw refuse('Keine ähnlichen Vorgänge', 'Es gibt keine ähnlichen Vorgänge, die zu prüfen wären.');
        }
        return { ...(ctx.payload as object), kandidaten };
      },
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
      prepare: async (ctx) => {
        const { vorgangId } = ctx.payload as { vorgangId: string };
        const kandidaten = await findDuplicateCandidates(ctx as PrepareContext, o.merkmale, o.summary);
        const target = kandidaten.find((k) => k.id === vorgangId);
        if (!target) {
          throw refuse(
            'Verknüpfung nicht möglich',
            'Verknüpft werden kann nur mit einem der als ähnlich erkannten Vorgänge desselben Standesamts.',
          );
        }
        return { vorgangId, aktenzeichen: target.aktenzeichen, kandidaten };
      },
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
      prepare: async (ctx) => {
        requireUnterlagen(ctx.case.data, o.registrierenLabel);
        await requireNoOpenDuplicate(ctx as PrepareContext, o.merkmale, o.summary);
        return { registereintrag: await registerEntry(ctx as PrepareContext, o.register) };
      },
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
