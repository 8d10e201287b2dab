import { ageOn, todayInGermany } from '../../../core/dates.js';
import type { PrepareContext, ProcedureHooks } from '../../../core/procedure.js';
import { bookSlot, releaseSlot } from '../../../core/rooms/service.js';
import type { AnzeigeOptions } from '../actions.js';
import { mergeUnterlagen, type StandesamtVerwaltung, unknownUnterlagen } from '../common.js';
import { type EheDaten, type EheForm, eheUnterlagen, MINDESTALTER, type Termin } from '../eheschliessung.js';
import {
  duplikatNachPruefung,
  findDuplicateCandidates,
  refuse,
  registerEntry,
  requireNoOpenDuplicate,
  requireUnterlagen,
} from './checks.js';

type Data<F> = F & StandesamtVerwaltung;

/**
 * The transactional hooks of a Geburt or Sterbefall (actions.ts): the duplicate search on report
 * and correction, the document check, the register number on registration.
 */
export function anzeigeHooks<F>(o: AnzeigeOptions<F>, createId: string): ProcedureHooks {
  return {
    [createId]: async (ctx: PrepareContext<F>): Promise<Data<F>> => {
      const form = ctx.case.data as F;
      const kandidaten = await findDuplicateCandidates(ctx as PrepareContext, o.merkmale, o.summary);
      return {
        ...form,
        unterlagen: mergeUnterlagen(o.requiredDocuments(form), undefined),
        duplikat: duplikatNachPruefung(kandidaten, undefined),
      };
    },
    berichtigen: async (ctx: PrepareContext<Data<F>>) => {
      const form = ctx.payload as F;
      const probe = { ...ctx, case: { ...ctx.case, data: form } } as PrepareContext;
      const kandidaten = await findDuplicateCandidates(probe, o.merkmale, o.summary);
      return { ...form, duplikat: duplikatNachPruefung(kandidaten, ctx.case.data.duplikat) };
    },
    unterlagen_erfassen: async (ctx: PrepareContext<Data<F>>) => {
      const unknown = unknownUnterlagen(ctx.case.data.unterlagen, ctx.payload);
      if (unknown.length > 0) {
        throw refuse(
          'Unbekannte Unterlage',
          `Diese Unterlagen gehören nicht zu diesem Vorgang: ${unknown.join(', ')}.`,
        );
      }
      return ctx.payload;
    },
    kein_duplikat: async (ctx: PrepareContext<Data<F>>) => {
      const kandidaten = await findDuplicateCandidates(ctx as PrepareContext, o.merkmale, o.summary);
      if (kandidaten.length === 0) {
        throw refuse('Keine ähnlichen Vorgänge', 'Es gibt keine ähnlichen Vorgänge, die zu prüfen wären.');
      }
      return { ...(ctx.payload as object), kandidaten };
    },
    als_duplikat_verknuepfen: async (ctx: PrepareContext<Data<F>>) => {
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
    registrieren: async (ctx: PrepareContext<Data<F>>) => {
      requireUnterlagen(ctx.case.data, o.registrierenLabel);
      await requireNoOpenDuplicate(ctx as PrepareContext, o.merkmale, o.summary);
      return { registereintrag: await registerEntry(ctx as PrepareContext, o.register) };
    },
  };
}

/** The transactional hooks of an Eheschließung (eheschliessung.ts): documents, slot booking, register number. */
export function eheschliessungHooks(): ProcedureHooks {
  type A = PrepareContext<EheDaten>;
  return {
    unterlagen_erfassen: async (ctx: A) => {
      const unknown = unknownUnterlagen(ctx.case.data.unterlagen, ctx.payload);
      if (unknown.length > 0) {
        throw refuse(
          'Unbekannte Unterlage',
          `Diese Unterlagen gehören nicht zu diesem Vorgang: ${unknown.join(', ')}.`,
        );
      }
      return ctx.payload;
    },
    termin_buchen: async (ctx: A) => {
      if (ctx.case.data.termin) {
        throw refuse(
          'Termin bereits gebucht',
          'Es ist schon ein Termin gebucht. Zum Umbuchen bitte zuerst den Termin absagen.',
        );
      }
      const { slotId } = ctx.payload as { slotId: string };
      const s = await bookSlot(ctx.trx, {
        slotId,
        caseId: ctx.case.id,
        authorityAgs: ctx.case.authorityAgs,
        officeType: ctx.case.officeType,
        purpose: 'eheschliessung',
        actor: ctx.actor,
        now: ctx.now,
      });
      const termin: Termin = {
        slotId: s.slotId,
        roomId: s.roomId,
        raum: s.roomName,
        beginn: s.startsAt,
        ende: s.endsAt,
      };
      return { termin };
    },
    termin_absagen: async (ctx: A) => {
      const t = ctx.case.data.termin;
      if (!t) throw refuse('Kein Termin gebucht', 'Für diese Anmeldung ist kein Termin gebucht.');
      await releaseSlot(ctx.trx, { slotId: t.slotId, caseId: ctx.case.id });
      return {};
    },
    eheschliessung_durchfuehren: async (ctx: A) => {
      const d = ctx.case.data;
      if (!d.termin) {
        throw refuse(
          'Kein Termin gebucht',
          'Die Eheschließung findet in einem gebuchten Termin statt. Bitte zuerst einen Termin buchen.',
        );
      }
      requireUnterlagen(d, 'Die Beurkundung der Eheschließung');
      if (todayInGermany(new Date(d.termin.beginn)) > ctx.today) {
        throw refuse(
          'Termin liegt in der Zukunft',
          'Die Eheschließung kann erst am Tag des Termins beurkundet werden.',
        );
      }
      for (const g of [d.ehegatte1, d.ehegatte2]) {
        if (ageOn(g.geburtsdatum, ctx.today) < MINDESTALTER) {
          throw refuse(
            'Mindestalter nicht erreicht',
            `Eine Ehe kann erst ab ${MINDESTALTER} Jahren geschlossen werden (§ 1303 BGB).`,
          );
        }
      }
      return { registereintrag: await registerEntry(ctx as unknown as PrepareContext, 'E') };
    },
    stornieren: async (ctx: A) => {
      const t = ctx.case.data.termin;
      if (t) await releaseSlot(ctx.trx, { slotId: t.slotId, caseId: ctx.case.id });
      return ctx.payload;
    },
    anmelden: async (ctx: PrepareContext<EheForm>) => ({
      ...ctx.case.data,
      unterlagen: mergeUnterlagen(eheUnterlagen(ctx.case.data), undefined),
    }),
  };
}
