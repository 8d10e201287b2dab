import { bookCaseFee } from '../../../core/cashjournal/journal.js';
import { AppError } from '../../../core/errors.js';
import type { PrepareContext, ProcedureHooks } from '../../../core/procedure.js';
import { type AusweisDaten, type AusweisFormDaten, feesOf } from '../ausweis.js';
import { type AusweisFeeTable, DOKUMENTARTEN, type Dokumentart, totalCents, validUntil } from '../fees.js';
import {
  type AbmeldungDaten,
  type EinzugDaten,
  type MeldungArt,
  meldefrist,
  movingDate,
} from '../meldung.js';
import type { Anschrift } from '../schema.js';
import { removeOverlay, replaceOverlay } from './register/overlay.js';

/**
 * The transactional hooks of the Meldewesen (bound by action id in server/index.ts): a
 * Meldevorgang writes the register overlay, an ID document application computes its fee by the
 * application date and books the cash payment into the cash journal.
 */

function newAddress(d: EinzugDaten | AbmeldungDaten): Anschrift | null {
  return 'neueWohnung' in d ? d.neueWohnung : null;
}

/** Records what the Meldevorgang means for the register overlay and derives the Meldefrist. */
function recordHook(art: MeldungArt) {
  return async (ctx: PrepareContext<unknown>) => {
    const d = (ctx.payload ?? ctx.case.data) as EinzugDaten | AbmeldungDaten;
    const stichtag = movingDate(d);
    await replaceOverlay(ctx.trx, {
      caseId: ctx.case.id,
      procedureId: art,
      authorityAgs: ctx.case.authorityAgs,
      persons: d.personen.map((p) => ({
        registerPersonId: p.registerPersonId ?? null,
        familienname: p.familienname,
        namensbestandteil: p.namensbestandteil ?? null,
        vornamen: p.vornamen,
        geburtsname: p.geburtsname ?? null,
        geburtsdatum: p.geburtsdatum,
        geburtsort: p.geburtsort,
        geschlecht: p.geschlecht,
        staatsangehoerigkeit: p.staatsangehoerigkeit,
      })),
      address: newAddress(d),
      movedOn: stichtag,
      status: art === 'abmeldung' ? 'abgemeldet' : 'gemeldet',
      recordedAt: ctx.now.toISOString(),
    });
    return { ...d, meldefrist: meldefrist(stichtag, ctx.today) };
  };
}

/** Hooks of a Meldevorgang: record (and re-record on correction) the overlay; cancel removes it. */
export function meldungHooks(art: MeldungArt): ProcedureHooks {
  const hook = recordHook(art);
  return {
    erfassen: hook,
    berichtigen: hook,
    stornieren: async (ctx: PrepareContext) => {
      await removeOverlay(ctx.trx, ctx.case.id);
      return ctx.payload;
    },
  };
}

interface AushaendigenPayload {
  dokumentnummer: string;
  ausgestelltAm: string;
  mrz?: string[];
}

/** Hooks of an ID document application: fee by the application date, cash payment, issue. */
export function ausweisHooks(art: Dokumentart, table: AusweisFeeTable): ProcedureHooks {
  const titel = DOKUMENTARTEN[art];
  const withFees = async (ctx: PrepareContext<unknown>) => {
    const d = (ctx.payload ?? ctx.case.data) as AusweisFormDaten;
    const positionen = feesOf(art, d, table);
    return {
      ...d,
      gebuehren: { stichtag: d.antrag.antragsdatum, positionen, summeCents: totalCents(positionen) },
    };
  };
  return {
    beantragen: withFees,
    berichtigen: withFees,
    gebuehr_bar_bezahlen: async (ctx: PrepareContext<AusweisDaten>) => {
      const d = ctx.case.data as AusweisDaten;
      const amount = d.gebuehren?.summeCents ?? totalCents(feesOf(art, d, table));
      return bookCaseFee(ctx, {
        amountCents: amount,
        purpose: `Gebühr ${titel}`,
        feeCodes: d.gebuehren?.positionen.map((f) => f.code) ?? [],
      });
    },
    aushaendigen: async (ctx: PrepareContext<AusweisDaten>) => {
      const d = ctx.case.data as AusweisDaten;
      const p = ctx.payload as AushaendigenPayload;
      if (p.ausgestelltAm > ctx.today || p.ausgestelltAm < d.antrag.antragsdatum) {
        throw new AppError(
          'VALIDATION_FAILED',
          'Eingaben fehlerhaft',
          'Ausgestellt am: zwischen Antragsdatum und heute.',
          [
            {
              path: 'payload/ausgestelltAm',
              message: 'Ausgestellt am: zwischen Antragsdatum und heute.',
            },
          ],
        );
      }
      return {
        nummer: p.dokumentnummer,
        ausgestelltAm: p.ausgestelltAm,
        gueltigBis: validUntil(art, d.antragsteller.geburtsdatum, d.antrag.antragsdatum, p.ausgestelltAm),
        ...(p.mrz ? { mrz: p.mrz } : {}),
      };
    },
  };
}
