import type { Transaction } from 'kysely';
import { bookCaseFee } from '../../../core/cashjournal/journal.js';
import { addDays } from '../../../core/dates.js';
import { AppError } from '../../../core/errors.js';
import type { PrepareContext, ProcedureHooks } from '../../../core/procedure.js';
import type { Database } from '../../../db/types.js';
import { type FeeInput, kfzFees, totalCents } from '../fees.js';
import { checkPlate, type Suffix } from '../plates.js';
import {
  COMPLETION,
  KFZ_TITLES,
  type KfzDaten,
  type KfzFormDaten,
  type KfzProcedureId,
  WITH_PLATE,
  type ZugeteiltesKennzeichen,
  type ZuteilenPayload,
} from '../procedures.js';
import { halterName } from '../schema.js';
import { feeRowsFor } from './fees.js';
import {
  type Allocation,
  allocateNext,
  allocateReserved,
  allocateWish,
  invalid,
  keepPlate,
  kreisCodes,
  refuse,
  releaseAllocated,
  retirePlate,
} from './plates.js';
import './tables.js';

/**
 * The transactional steps of the Zulassungsstelle, bound by action id (server/index.ts). Each runs
 * inside the transaction that records the action, so a refusal leaves nothing behind: the eVB
 * claim, the plate, the cash booking and the case action commit together or not at all.
 */

type Ctx = PrepareContext<KfzDaten>;

/** An eVB serves one registration: claimed when the case is recorded, freed again on cancellation. */
async function claimEvb(trx: Transaction<Database>, evb: string, c: Ctx['case'], now: Date, path: string) {
  const claimed = await trx
    .insertInto('kfz_evb')
    .values({ evb, case_id: c.id, authority_ags: c.authorityAgs, created_at: now.toISOString() })
    .onConflict((oc) => oc.column('evb').doNothing())
    .returning('evb')
    .executeTakeFirst();
  if (claimed) return;
  const other = await trx
    .selectFrom('kfz_evb')
    .innerJoin('cases', 'cases.id', 'kfz_evb.case_id')
    .select(['cases.aktenzeichen', 'cases.authority_ags', 'cases.id'])
    .where('kfz_evb.evb', '=', evb)
    .executeTakeFirst();
  if (other?.id === c.id) return;
  const where = other && other.authority_ags === c.authorityAgs ? ` (Vorgang ${other.aktenzeichen})` : '';
  const message = `eVB-Nummer ${evb} wurde bereits für eine Zulassung verwendet${where}. Eine eVB gilt nur für eine Zulassung; bitte eine neue eVB beim Versicherer anfordern.`;
  throw new AppError('VALIDATION_FAILED', 'eVB-Nummer bereits verwendet', message, [{ path, message }]);
}

async function releaseEvb(trx: Transaction<Database>, caseId: string) {
  await trx.deleteFrom('kfz_evb').where('case_id', '=', caseId).execute();
}

function suffixOf(d: KfzFormDaten): Suffix | null {
  const z = d.kennzeichen?.zusatz;
  return z === 'E' || z === 'H' ? z : null;
}

async function feesFor(ctx: Ctx, id: KfzProcedureId, d: KfzDaten, wahl: FeeInput['kennzeichenWahl']) {
  const rows = await feeRowsFor(ctx.trx, ctx.case.authorityAgs);
  let fremd = false;
  if (id === 'ausserbetriebsetzung' && d.kennzeichen?.aktuell) {
    const c = checkPlate(d.kennzeichen.aktuell, { extraBanned: [] });
    fremd =
      c.ok && !(await kreisCodes(ctx.trx, ctx.case.authorityAgs)).includes(c.plate.unterscheidungszeichen);
  }
  const positionen = kfzFees(
    {
      procedureId: id,
      antragsdatum: d.antrag.antragsdatum,
      umschreibungAusAnderemBezirk: d.umschreibung?.herkunft === 'anderer_bezirk',
      verwertungsnachweis: d.abmeldung?.verwertungsnachweis ?? false,
      ausserbetriebsetzungFremd: fremd,
      kennzeichenWahl: wahl,
      reservierungBeiAbmeldung:
        id === 'ausserbetriebsetzung' && !fremd && d.kennzeichen?.reservieren === true,
    },
    rows,
  );
  return { stichtag: d.antrag.antragsdatum, positionen, summeCents: totalCents(positionen) };
}

/** Checks that need the office: an Umschreibung keeps only a plate of this Kreis. */
async function officeChecks(ctx: Ctx, id: KfzProcedureId, d: KfzFormDaten, prefix: string) {
  if (id === 'umschreibung' && d.umschreibung?.kennzeichen === 'behalten') {
    const c = checkPlate(d.umschreibung.bisherigesKennzeichen, { extraBanned: [] });
    const codes = await kreisCodes(ctx.trx, ctx.case.authorityAgs);
    if (c.ok && !codes.includes(c.plate.unterscheidungszeichen)) {
      throw invalid(
        `${prefix}/umschreibung/kennzeichen`,
        `Das Kennzeichen ${d.umschreibung.bisherigesKennzeichen} stammt nicht aus diesem Kreis (${codes.join(', ')}): Es wird ein neues Kennzeichen zugeteilt.`,
      );
    }
  }
}

function record(id: KfzProcedureId, prefix: 'data' | 'payload') {
  return async (ctx: Ctx) => {
    const form = (prefix === 'data' ? ctx.case.data : ctx.payload) as KfzFormDaten;
    await officeChecks(ctx, id, form, prefix);
    if (form.versicherung?.evb) {
      if (prefix === 'payload') {
        const before = (ctx.case.data as KfzDaten).versicherung?.evb;
        if (before !== form.versicherung.evb) await releaseEvb(ctx.trx, ctx.case.id);
      }
      await claimEvb(ctx.trx, form.versicherung.evb, ctx.case, ctx.now, `${prefix}/versicherung/evb`);
    }
    return { ...form, kosten: await feesFor(ctx, id, form as KfzDaten, null) };
  };
}

function gueltigBisOf(d: KfzDaten): string | undefined {
  return d.kurzzeit ? addDays(d.kurzzeit.gueltigAb, d.kurzzeit.tage - 1) : undefined;
}

function allocate(id: KfzProcedureId) {
  return async (ctx: Ctx) => {
    const d = ctx.case.data;
    const p = ctx.payload as ZuteilenPayload;
    if (id === 'umschreibung' && d.umschreibung?.kennzeichen === 'behalten') {
      throw refuse(
        'Kein neues Kennzeichen',
        'Bei dieser Umschreibung bleibt das bisherige Kennzeichen; ein neues wird nicht zugeteilt.',
      );
    }
    const kurzzeit = id === 'kurzzeitkennzeichen';
    if (kurzzeit && p.wahl !== 'naechstes') {
      throw invalid('payload/wahl', 'Kurzzeitkennzeichen kommen aus der Kurzzeitserie (nächstes freies).');
    }
    const base = {
      authorityAgs: ctx.case.authorityAgs,
      caseId: ctx.case.id,
      suffix: suffixOf(d),
      actor: ctx.actor,
      now: ctx.now,
      today: ctx.today,
      ...(kurzzeit ? { gueltigBis: gueltigBisOf(d) as string } : {}),
    };
    let a: Allocation;
    if (p.wahl === 'wunsch') a = await allocateWish(ctx.trx, { ...base, kennzeichen: p.kennzeichen ?? '' });
    else if (p.wahl === 'reservierung')
      a = await allocateReserved(ctx.trx, { ...base, reservationId: p.reservierungId ?? '' });
    else {
      a = await allocateNext(ctx.trx, {
        ...base,
        art: kurzzeit ? 'kurzzeit' : 'standard',
        unterscheidungszeichen: p.unterscheidungszeichen ?? d.kennzeichen?.unterscheidungszeichen,
      });
    }
    const zuteilung: ZugeteiltesKennzeichen = {
      kennzeichen: a.kennzeichen,
      text: a.text,
      xkfz: a.xkfz,
      zusatz: a.suffix,
      wahl: p.wahl,
      art: a.plate.art,
      zugeteiltAm: ctx.today,
      ...(a.reservationId ? { reservierungId: a.reservationId } : {}),
      ...(kurzzeit ? { gueltigBis: gueltigBisOf(d) as string } : {}),
    };
    return { zuteilung, kosten: await feesFor(ctx, id, d, p.wahl) };
  };
}

function release(id: KfzProcedureId) {
  return async (ctx: Ctx) => {
    const z = ctx.case.data.zuteilung;
    if (z) {
      await releaseAllocated(ctx.trx, {
        authorityAgs: ctx.case.authorityAgs,
        kennzeichen: z.kennzeichen,
        caseId: ctx.case.id,
        reservationId: z.reservierungId,
        actor: ctx.actor,
        now: ctx.now,
        today: ctx.today,
      });
    }
    return { kosten: await feesFor(ctx, id, ctx.case.data, null) };
  };
}

function pay(id: KfzProcedureId) {
  return async (ctx: Ctx) => {
    const d = ctx.case.data;
    if (id === 'umschreibung' && d.umschreibung?.kennzeichen === 'neu' && !d.zuteilung) {
      throw refuse(
        'Kennzeichen fehlt',
        'Bitte zuerst das neue Kennzeichen zuteilen; davon hängt die Gebühr ab.',
      );
    }
    const amount = d.kosten?.summeCents ?? 0;
    if (amount <= 0) throw refuse('Keine Gebühr', 'Für diesen Vorgang ist keine Gebühr zu zahlen.');
    return bookCaseFee(ctx, {
      amountCents: amount,
      purpose: `Gebühr ${KFZ_TITLES[id]}${d.zuteilung ? ` ${d.zuteilung.text}` : ''}`,
      feeCodes: d.kosten?.positionen.map((f) => f.code) ?? [],
    });
  };
}

function complete(id: KfzProcedureId) {
  return async (ctx: Ctx) => {
    const d = ctx.case.data;
    const payload = (ctx.payload ?? {}) as { zb1Nummer?: string };
    const base = {
      authorityAgs: ctx.case.authorityAgs,
      caseId: ctx.case.id,
      actor: ctx.actor,
      now: ctx.now,
      today: ctx.today,
    };
    const abschluss: KfzDaten['abschluss'] = {
      am: ctx.today,
      ...(payload.zb1Nummer ? { zb1Nummer: payload.zb1Nummer } : {}),
    };
    if (
      WITH_PLATE.includes(id) &&
      !d.zuteilung &&
      !(id === 'umschreibung' && d.umschreibung?.kennzeichen === 'behalten')
    ) {
      throw refuse(
        'Kein Kennzeichen',
        'Ohne zugeteiltes Kennzeichen kann der Vorgang nicht abgeschlossen werden.',
      );
    }
    if (id === 'umschreibung' && d.umschreibung) {
      if (d.umschreibung.kennzeichen === 'behalten') {
        await keepPlate(ctx.trx, { ...base, kennzeichen: d.umschreibung.bisherigesKennzeichen });
      } else if (d.umschreibung.herkunft === 'bezirk') {
        const r = await retirePlate(ctx.trx, { ...base, kennzeichen: d.umschreibung.bisherigesKennzeichen });
        if (r?.gesperrtBis) abschluss.sperreBis = r.gesperrtBis;
      }
    }
    if (id === 'ausserbetriebsetzung' && d.kennzeichen?.aktuell) {
      const r = await retirePlate(ctx.trx, {
        ...base,
        kennzeichen: d.kennzeichen.aktuell,
        reserveFor: d.kennzeichen.reservieren ? halterName(d.halter) : undefined,
      });
      if (r?.gesperrtBis) abschluss.sperreBis = r.gesperrtBis;
      if (r?.reserviertBis) {
        abschluss.reserviertBis = r.reserviertBis;
        if (r.reservierungId) abschluss.reservierungId = r.reservierungId;
      }
    }
    return abschluss;
  };
}

function cancel() {
  return async (ctx: Ctx) => {
    const z = ctx.case.data.zuteilung;
    if (z) {
      await releaseAllocated(ctx.trx, {
        authorityAgs: ctx.case.authorityAgs,
        kennzeichen: z.kennzeichen,
        caseId: ctx.case.id,
        reservationId: z.reservierungId,
        actor: ctx.actor,
        now: ctx.now,
        today: ctx.today,
      });
    }
    await releaseEvb(ctx.trx, ctx.case.id);
    return ctx.payload;
  };
}

export function kfzHooks(id: KfzProcedureId): ProcedureHooks {
  const hooks: ProcedureHooks = {
    erfassen: record(id, 'data'),
    berichtigen: record(id, 'payload'),
    gebuehr_bar_bezahlen: pay(id),
    [COMPLETION[id].action]: complete(id),
    stornieren: cancel(),
  };
  if (WITH_PLATE.includes(id)) {
    hooks.kennzeichen_zuteilen = allocate(id);
    hooks.kennzeichen_freigeben = release(id);
  }
  return hooks;
}
