import { type Kysely, sql, type Transaction } from 'kysely';
import { addDays } from '../../../core/dates.js';
import { AppError } from '../../../core/errors.js';
import { newId } from '../../../core/ids.js';
import type { Database } from '../../../db/types.js';
import {
  checkPlate,
  configuredCodes,
  inPool,
  kurzzeitPoolAfter,
  MAX_PLATE_CHARS,
  type Plate,
  type PlateConfig,
  type PlateKind,
  plateConfigSchema,
  plateKey,
  plateLength,
  plateRank,
  plateText,
  poolAfter,
  type Suffix,
  xkfzKennzeichen,
} from '../plates.js';
import type { KfzPlateTable } from './tables.js';
import './tables.js';

/**
 * The plate pool of a Zulassungsstelle in the database. Every plate that was ever allocated,
 * reserved or blocked has one row in kfz_plate (primary key = the plate), so the database refuses
 * a plate twice whatever the code does. Drawing the next free plate takes the row of the series'
 * cursor first (an upsert: on PostgreSQL the row stays locked until the transaction ends, on
 * SQLite the write transaction is exclusive anyway), so concurrent clerks of one office queue
 * there instead of racing for the same plate; a Wunschkennzeichen or a reservation claims its row
 * with INSERT … ON CONFLICT DO NOTHING or a conditional UPDATE. Everything runs inside the
 * transaction of the case action that needs the plate and rolls back with it. Every change is
 * appended to kfz_plate_event (append-only).
 */

type Db = Kysely<Database> | Transaction<Database>;

/** verfuegbar_ab of a plate that may be issued at once. */
const ALWAYS = '0001-01-01';

export const refuse = (title: string, detail: string) => new AppError('ACTION_NOT_ALLOWED', title, detail);

export const invalid = (path: string, message: string) =>
  new AppError('VALIDATION_FAILED', 'Eingaben fehlerhaft', message, [{ path, message }]);

export interface StoredConfig {
  config: PlateConfig;
  version: number;
  updatedAt: string | null;
}

export async function loadConfig(db: Db, authorityAgs: string): Promise<StoredConfig | null> {
  const row = await db
    .selectFrom('kfz_plate_config')
    .select(['config', 'version', 'updated_at'])
    .where('authority_ags', '=', authorityAgs)
    .executeTakeFirst();
  if (!row) return null;
  return {
    config: plateConfigSchema.parse(JSON.parse(row.config)),
    version: Number(row.version),
    updatedAt: row.updated_at,
  };
}

/** The Unterscheidungszeichen of the authority's Kreis (authority.plate_codes). */
export async function kreisCodes(db: Db, authorityAgs: string): Promise<string[]> {
  const row = await db
    .selectFrom('authority')
    .select('plate_codes')
    .where('ags', '=', authorityAgs)
    .executeTakeFirst();
  return (row?.plate_codes ?? '').split(',').filter(Boolean);
}

async function requireConfig(db: Db, authorityAgs: string): Promise<StoredConfig> {
  const c = await loadConfig(db, authorityAgs);
  if (!c || (c.config.serien.length === 0 && c.config.kurzzeit.length === 0)) {
    throw refuse(
      'Keine Kennzeichenserie eingerichtet',
      'Für diese Zulassungsstelle ist noch keine Kennzeichenserie für den Notbetrieb eingerichtet. Die Amtsleitung richtet sie auf der Seite „Kennzeichen“ ein.',
    );
  }
  return c;
}

/** Stores the pool configuration (head of office); the series' cursors start again from the top. */
export async function saveConfig(
  trx: Transaction<Database>,
  input: {
    authorityAgs: string;
    config: PlateConfig;
    expectedVersion?: number | undefined;
    actor: string;
    now: Date;
  },
): Promise<StoredConfig> {
  const codes = await kreisCodes(trx, input.authorityAgs);
  const foreign = [
    ...input.config.serien.map((s) => s.unterscheidungszeichen),
    ...input.config.kurzzeit.map((s) => s.unterscheidungszeichen),
  ].filter((c) => !codes.includes(c));
  if (foreign.length > 0) {
    throw invalid(
      'config/serien',
      `Unterscheidungszeichen ${[...new Set(foreign)].join(', ')} gehört nicht zu diesem Kreis (${codes.join(', ') || 'keine'}).`,
    );
  }
  const current = await trx
    .selectFrom('kfz_plate_config')
    .select('version')
    .where('authority_ags', '=', input.authorityAgs)
    .executeTakeFirst();
  const version = Number(current?.version ?? 0);
  if (input.expectedVersion !== undefined && input.expectedVersion !== version) {
    throw new AppError(
      'VERSION_CONFLICT',
      'Einstellungen wurden inzwischen geändert',
      `Die Kennzeichenserien wurden inzwischen geändert (Stand ${version}, Ihre Ansicht: Stand ${input.expectedVersion}). Bitte neu laden.`,
    );
  }
  const row = {
    authority_ags: input.authorityAgs,
    config: JSON.stringify(input.config),
    version: version + 1,
    updated_at: input.now.toISOString(),
    updated_by: input.actor,
  };
  if (current) {
    await trx
      .updateTable('kfz_plate_config')
      .set(row)
      .where('authority_ags', '=', input.authorityAgs)
      .where('version', '=', version)
      .execute();
  } else {
    await trx.insertInto('kfz_plate_config').values(row).execute();
  }
  return { config: input.config, version: version + 1, updatedAt: row.updated_at };
}

/** Reads a stored plate key ("SI-AB 123", "SI-04123") back into its parts. */
export function plateOfKey(key: string): Plate {
  const c = checkPlate(key, { extraBanned: [] });
  if (!c.ok) throw new Error(`stored plate ${key} is not readable`);
  return c.plate;
}

export interface Allocation {
  plate: Plate;
  kennzeichen: string;
  text: string;
  xkfz: string;
  suffix: Suffix | null;
  reservationId?: string;
}

function allocationOf(plate: Plate, suffix: Suffix | null, reservationId?: string): Allocation {
  return {
    plate,
    kennzeichen: plateKey(plate),
    text: plateText(plate, suffix),
    xkfz: xkfzKennzeichen(plate),
    suffix,
    ...(reservationId ? { reservationId } : {}),
  };
}

async function event(
  trx: Transaction<Database>,
  e: {
    kennzeichen: string;
    authorityAgs: string;
    event: string;
    suffix?: string | null;
    caseId?: string | null;
    reservationId?: string | null;
    verfuegbarAb?: string | null;
    actor: string;
    now: Date;
  },
) {
  await trx
    .insertInto('kfz_plate_event')
    .values({
      id: newId(),
      kennzeichen: e.kennzeichen,
      authority_ags: e.authorityAgs,
      event: e.event,
      suffix: e.suffix ?? null,
      case_id: e.caseId ?? null,
      reservation_id: e.reservationId ?? null,
      verfuegbar_ab: e.verfuegbarAb ?? null,
      actor: e.actor,
      at: e.now.toISOString(),
    })
    .execute();
}

export interface AllocateInput {
  authorityAgs: string;
  caseId: string;
  suffix: Suffix | null;
  actor: string;
  now: Date;
  today: string;
  /** Kurzzeitkennzeichen: day after which the plate is no longer valid (it returns after the blocking period). */
  gueltigBis?: string;
}

/** verfuegbar_ab of an allocated plate: never again, or (Kurzzeitkennzeichen) after validity and blocking. */
function allocatedUntil(cfg: PlateConfig, input: AllocateInput): string | null {
  return input.gueltigBis ? addDays(input.gueltigBis, cfg.sperrfristTage + 1) : null;
}

/**
 * Draws the next free plate of the configured series in the legal order and allocates it to the
 * case. Plates that came back to the pool (blocking period over, reservation expired, released)
 * are taken first when they come earlier in the order.
 */
export async function allocateNext(
  trx: Transaction<Database>,
  input: AllocateInput & { unterscheidungszeichen?: string | undefined; art: PlateKind },
): Promise<Allocation> {
  const { config: cfg, version } = await requireConfig(trx, input.authorityAgs);
  const codes = configuredCodes(cfg, input.art);
  const code = input.unterscheidungszeichen ?? codes[0];
  if (!code || !codes.includes(code)) {
    throw refuse(
      'Keine Serie für dieses Unterscheidungszeichen',
      code
        ? `Für ${code} ist keine ${input.art === 'kurzzeit' ? 'Kurzzeit-' : ''}Serie für den Notbetrieb eingerichtet (eingerichtet: ${codes.join(', ') || 'keine'}).`
        : `Es ist keine ${input.art === 'kurzzeit' ? 'Kurzzeit-' : ''}Serie für den Notbetrieb eingerichtet.`,
    );
  }
  if (input.suffix && input.art === 'kurzzeit')
    throw invalid('payload/wahl', 'Kurzzeitkennzeichen haben keinen Zusatz E oder H.');

  // The lock: the cursor row of the series.
  const cursorRow = await trx
    .insertInto('kfz_plate_cursor')
    .values({
      authority_ags: input.authorityAgs,
      unterscheidungszeichen: code,
      art: input.art,
      last_rank: 0,
      config_version: version,
    })
    .onConflict((oc) =>
      oc
        .columns(['authority_ags', 'unterscheidungszeichen', 'art'])
        .doUpdateSet({ last_rank: sql`kfz_plate_cursor.last_rank` }),
    )
    .returning(['last_rank', 'config_version'])
    .executeTakeFirstOrThrow();
  // A changed configuration may add series before the cursor: walk from the top once.
  let cursor = Number(cursorRow.config_version) === version ? Number(cursorRow.last_rank) : 0;

  for (let attempt = 0; attempt < 20; attempt++) {
    // Plates back in the pool, lowest first.
    const back = await trx
      .selectFrom('kfz_plate')
      .select(['kennzeichen', 'rank'])
      .where('authority_ags', '=', input.authorityAgs)
      .where('unterscheidungszeichen', '=', code)
      .where('art', '=', input.art)
      .where('verfuegbar_ab', 'is not', null)
      .where('verfuegbar_ab', '<=', input.today)
      .orderBy('rank')
      .limit(100)
      .execute();
    const returned = back
      .map((r) => ({ plate: plateOfKey(r.kennzeichen), rank: Number(r.rank) }))
      .find(
        (r) =>
          inPool(cfg, r.plate) &&
          plateLength(r.plate, input.suffix) <= MAX_PLATE_CHARS &&
          (r.plate.art === 'kurzzeit' || !isBanned(cfg, r.plate)),
      );

    // The first plate after the cursor that has no row yet.
    const fresh = await nextFresh(trx, cfg, { ...input, code, cursor, upTo: returned?.rank });
    const pickFresh = fresh.candidate && (!returned || fresh.candidate.rank < returned.rank);
    if (pickFresh && fresh.candidate) {
      const plate = fresh.candidate.plate;
      const inserted = await trx
        .insertInto('kfz_plate')
        .values({
          kennzeichen: plateKey(plate),
          authority_ags: input.authorityAgs,
          unterscheidungszeichen: code,
          art: input.art,
          rank: fresh.candidate.rank,
          status: 'zugeteilt',
          suffix: input.suffix,
          case_id: input.caseId,
          reservation_id: null,
          verfuegbar_ab: allocatedUntil(cfg, input),
          reserviert_bis: null,
          herkunft: 'serie',
          updated_at: input.now.toISOString(),
        })
        .onConflict((oc) => oc.column('kennzeichen').doNothing())
        .returning('kennzeichen')
        .executeTakeFirst();
      if (!inserted) {
        // Taken a moment ago as a Wunschkennzeichen: it has a row now; look again.
        continue;
      }
      if (fresh.advanceTo > cursor || Number(cursorRow.config_version) !== version) {
        cursor = Math.max(fresh.advanceTo, 0);
        await trx
          .updateTable('kfz_plate_cursor')
          .set({ last_rank: cursor, config_version: version })
          .where('authority_ags', '=', input.authorityAgs)
          .where('unterscheidungszeichen', '=', code)
          .where('art', '=', input.art)
          .execute();
      }
      await event(trx, {
        kennzeichen: plateKey(plate),
        authorityAgs: input.authorityAgs,
        event: 'zugeteilt',
        suffix: input.suffix,
        caseId: input.caseId,
        actor: input.actor,
        now: input.now,
      });
      return allocationOf(plate, input.suffix);
    }
    if (returned) {
      const taken = await claimAvailable(trx, input, returned.plate, allocatedUntil(cfg, input));
      if (!taken) continue;
      await event(trx, {
        kennzeichen: plateKey(returned.plate),
        authorityAgs: input.authorityAgs,
        event: 'zugeteilt',
        suffix: input.suffix,
        caseId: input.caseId,
        actor: input.actor,
        now: input.now,
      });
      return allocationOf(returned.plate, input.suffix);
    }
    throw refuse(
      'Kennzeichenserie erschöpft',
      `In den Notbetriebsserien für ${code} ist kein ${input.suffix ? `für den Zusatz ${input.suffix} passendes ` : ''}Kennzeichen mehr frei. Die Amtsleitung kann weitere Serien einrichten.`,
    );
  }
  throw refuse('Kennzeichen nicht zuteilbar', 'Bitte die Zuteilung wiederholen.');
}

function isBanned(cfg: PlateConfig, p: Plate): boolean {
  const c = checkPlate(plateKey(p), { extraBanned: cfg.zusaetzlichGesperrt });
  return !c.ok;
}

/**
 * Walks the pool from the cursor; returns the first plate without a row that may carry the suffix
 * and the rank the cursor may move to (every plate up to it has a row or can never be issued).
 */
async function nextFresh(
  trx: Db,
  cfg: PlateConfig,
  p: AllocateInput & { code: string; cursor: number; art: PlateKind; upTo?: number | undefined },
): Promise<{ candidate?: { plate: Plate; rank: number }; advanceTo: number }> {
  let occupied: number[] = [];
  let occupiedFrom = p.cursor;
  let exhausted = false;
  let i = 0;
  const loadOccupied = async () => {
    const rows = await trx
      .selectFrom('kfz_plate')
      .select('rank')
      .where('authority_ags', '=', p.authorityAgs)
      .where('unterscheidungszeichen', '=', p.code)
      .where('art', '=', p.art)
      .where('rank', '>', occupiedFrom)
      .orderBy('rank')
      .limit(500)
      .execute();
    occupied = rows.map((r) => Number(r.rank));
    exhausted = rows.length < 500;
    i = 0;
  };
  await loadOccupied();
  const isOccupied = async (rank: number): Promise<boolean> => {
    for (;;) {
      while (i < occupied.length && (occupied[i] as number) < rank) i++;
      if (i < occupied.length) return occupied[i] === rank;
      if (exhausted) return false;
      occupiedFrom = occupied.at(-1) ?? occupiedFrom;
      await loadOccupied();
    }
  };
  let advanceTo = p.cursor;
  let contiguous = true;
  const walk =
    p.art === 'kurzzeit' ? kurzzeitPoolAfter(cfg, p.code, p.cursor) : poolAfter(cfg, p.code, p.cursor);
  let steps = 0;
  for (const c of walk) {
    if (p.upTo !== undefined && c.rank > p.upTo) break;
    if (++steps > 200_000) break;
    if (await isOccupied(c.rank)) {
      if (contiguous) advanceTo = c.rank;
      continue;
    }
    const issuable = 'issuable' in c ? (c.issuable as (s: Suffix | null) => boolean) : () => true;
    if (!issuable(null)) {
      if (contiguous) advanceTo = c.rank;
      continue;
    }
    if (!issuable(p.suffix)) {
      contiguous = false;
      continue;
    }
    if (contiguous) advanceTo = c.rank;
    return { candidate: { plate: c.plate, rank: c.rank }, advanceTo };
  }
  return { advanceTo };
}

/** Takes a plate whose row says it may be issued again (conditional UPDATE: only one transaction wins). */
async function claimAvailable(
  trx: Transaction<Database>,
  input: AllocateInput,
  plate: Plate,
  verfuegbarAb: string | null,
  herkunft?: string,
): Promise<boolean> {
  const r = await trx
    .updateTable('kfz_plate')
    .set({
      status: 'zugeteilt',
      suffix: input.suffix,
      case_id: input.caseId,
      reservation_id: null,
      reserviert_bis: null,
      verfuegbar_ab: verfuegbarAb,
      ...(herkunft ? { herkunft } : {}),
      updated_at: input.now.toISOString(),
    })
    .where('kennzeichen', '=', plateKey(plate))
    .where('verfuegbar_ab', 'is not', null)
    .where('verfuegbar_ab', '<=', input.today)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Why a plate's row does not let it be issued today, as a German sentence; null if it may be. */
function occupiedReason(
  row: Pick<KfzPlateTable, 'status' | 'verfuegbar_ab' | 'reserviert_bis'>,
  today: string,
  key: string,
): string | null {
  if (row.verfuegbar_ab !== null && row.verfuegbar_ab <= today) return null;
  const date = (iso: string | null) => (iso ? iso.split('-').reverse().join('.') : '');
  switch (row.status) {
    case 'reserviert':
      return `${key} ist bis ${date(row.reserviert_bis)} reserviert.`;
    case 'gesperrt':
      return `${key} ist nach der Außerbetriebsetzung bis ${date(addDays(row.verfuegbar_ab ?? today, -1))} gesperrt.`;
    default:
      return `${key} ist bereits zugeteilt.`;
  }
}

/** Checks a wished plate against the office's rules; returns it parsed. */
export async function checkWish(
  db: Db,
  authorityAgs: string,
  text: string,
  path: string,
): Promise<{ plate: Plate; suffix: Suffix | null; cfg: PlateConfig }> {
  const { config: cfg } = await requireConfig(db, authorityAgs);
  const c = checkPlate(text, { extraBanned: cfg.zusaetzlichGesperrt });
  if (!c.ok) throw invalid(path, `Kennzeichen: ${c.message}`);
  if (c.plate.art === 'kurzzeit')
    throw invalid(path, 'Kurzzeitkennzeichen können nicht gewünscht oder reserviert werden.');
  const codes = await kreisCodes(db, authorityAgs);
  if (!codes.includes(c.plate.unterscheidungszeichen)) {
    throw invalid(
      path,
      `Kennzeichen: ${c.plate.unterscheidungszeichen} ist kein Unterscheidungszeichen dieses Kreises (${codes.join(', ')}).`,
    );
  }
  if (cfg.wunschkennzeichen === 'aus') {
    throw refuse(
      'Keine Wunschkennzeichen im Notbetrieb',
      'Diese Zulassungsstelle vergibt im Notbetrieb keine Wunschkennzeichen, weil der Bestand nicht abgefragt werden kann.',
    );
  }
  if (cfg.wunschkennzeichen === 'nur_serien' && !inPool(cfg, c.plate)) {
    throw refuse(
      'Wunschkennzeichen nur aus den Notbetriebsserien',
      `${plateKey(c.plate)} liegt nicht in den Notbetriebsserien. Der Bestand vor dem Ausfall ist nicht abrufbar, deshalb werden Wunschkennzeichen nur aus diesen Serien vergeben.`,
    );
  }
  return { plate: c.plate, suffix: c.suffix, cfg };
}

/** Allocates a Wunschkennzeichen at the counter. */
export async function allocateWish(
  trx: Transaction<Database>,
  input: AllocateInput & { kennzeichen: string },
): Promise<Allocation> {
  const {
    plate,
    suffix: typed,
    cfg,
  } = await checkWish(trx, input.authorityAgs, input.kennzeichen, 'payload/kennzeichen');
  const suffix = input.suffix ?? typed;
  if (typed && input.suffix !== typed) {
    throw invalid(
      'payload/kennzeichen',
      `Der Zusatz ${typed} passt nicht zum Antrag (${input.suffix ? `Zusatz ${input.suffix}` : 'ohne Zusatz'}).`,
    );
  }
  if (plateLength(plate, suffix) > MAX_PLATE_CHARS) {
    throw invalid(
      'payload/kennzeichen',
      `Mit dem Zusatz ${suffix} hätte ${plateText(plate, suffix)} mehr als ${MAX_PLATE_CHARS} Zeichen.`,
    );
  }
  await takeOrInsert(trx, input, plate, suffix, cfg, 'wunsch');
  await event(trx, {
    kennzeichen: plateKey(plate),
    authorityAgs: input.authorityAgs,
    event: 'zugeteilt',
    suffix,
    caseId: input.caseId,
    actor: input.actor,
    now: input.now,
  });
  return allocationOf(plate, suffix);
}

async function takeOrInsert(
  trx: Transaction<Database>,
  input: AllocateInput,
  plate: Plate,
  suffix: Suffix | null,
  cfg: PlateConfig,
  herkunft: string,
): Promise<void> {
  const key = plateKey(plate);
  const inserted = await trx
    .insertInto('kfz_plate')
    .values({
      kennzeichen: key,
      authority_ags: input.authorityAgs,
      unterscheidungszeichen: plate.unterscheidungszeichen,
      art: plate.art,
      rank: plateRank(plate),
      status: 'zugeteilt',
      suffix,
      case_id: input.caseId,
      reservation_id: null,
      verfuegbar_ab: allocatedUntil(cfg, input),
      reserviert_bis: null,
      herkunft,
      updated_at: input.now.toISOString(),
    })
    .onConflict((oc) => oc.column('kennzeichen').doNothing())
    .returning('kennzeichen')
    .executeTakeFirst();
  if (inserted) return;
  if (await claimAvailable(trx, { ...input, suffix }, plate, allocatedUntil(cfg, input))) return;
  const row = await trx
    .selectFrom('kfz_plate')
    .select(['status', 'verfuegbar_ab', 'reserviert_bis'])
    .where('kennzeichen', '=', key)
    .executeTakeFirstOrThrow();
  throw refuse('Kennzeichen nicht frei', occupiedReason(row, input.today, key) ?? `${key} ist nicht frei.`);
}

/** Allocates the plate of an active reservation to the case. */
export async function allocateReserved(
  trx: Transaction<Database>,
  input: AllocateInput & { reservationId: string },
): Promise<Allocation> {
  const r = await trx
    .selectFrom('kfz_reservation')
    .selectAll()
    .where('id', '=', input.reservationId)
    .executeTakeFirst();
  if (!r || r.authority_ags !== input.authorityAgs) {
    throw invalid('payload/reservierungId', 'Reservierung: bei dieser Zulassungsstelle nicht gefunden.');
  }
  if (r.status !== 'aktiv') {
    throw refuse(
      'Reservierung nicht mehr gültig',
      `Die Reservierung für ${r.kennzeichen} ist ${r.status === 'eingeloest' ? 'bereits eingelöst' : 'storniert'}.`,
    );
  }
  if (r.reserviert_bis < input.today) {
    throw refuse(
      'Reservierung abgelaufen',
      `Die Reservierung für ${r.kennzeichen} ist am ${r.reserviert_bis.split('-').reverse().join('.')} abgelaufen.`,
    );
  }
  const plate = plateOfKey(r.kennzeichen);
  const suffix = input.suffix;
  if (plateLength(plate, suffix) > MAX_PLATE_CHARS) {
    throw invalid(
      'payload/reservierungId',
      `Mit dem Zusatz ${suffix} hätte ${plateText(plate, suffix)} mehr als ${MAX_PLATE_CHARS} Zeichen.`,
    );
  }
  const cfg = (await requireConfig(trx, input.authorityAgs)).config;
  const u = await trx
    .updateTable('kfz_plate')
    .set({
      status: 'zugeteilt',
      suffix,
      case_id: input.caseId,
      reserviert_bis: null,
      verfuegbar_ab: allocatedUntil(cfg, input),
      updated_at: input.now.toISOString(),
    })
    .where('kennzeichen', '=', r.kennzeichen)
    .where('status', '=', 'reserviert')
    .where('reservation_id', '=', r.id)
    .executeTakeFirst();
  if (Number(u.numUpdatedRows) !== 1)
    throw refuse('Reservierung nicht mehr gültig', `${r.kennzeichen} ist nicht mehr reserviert.`);
  const claimed = await trx
    .updateTable('kfz_reservation')
    .set({ status: 'eingeloest', case_id: input.caseId, updated_at: input.now.toISOString() })
    .where('id', '=', r.id)
    .where('status', '=', 'aktiv')
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1)
    throw refuse('Reservierung nicht mehr gültig', 'Die Reservierung wurde inzwischen eingelöst.');
  await event(trx, {
    kennzeichen: r.kennzeichen,
    authorityAgs: input.authorityAgs,
    event: 'zugeteilt',
    suffix,
    caseId: input.caseId,
    reservationId: r.id,
    actor: input.actor,
    now: input.now,
  });
  return allocationOf(plate, suffix, r.id);
}

/**
 * Gives an allocated plate back at once (not yet on a vehicle). A plate that came from a
 * reservation is reserved again while the reservation runs.
 */
export async function releaseAllocated(
  trx: Transaction<Database>,
  input: {
    authorityAgs: string;
    kennzeichen: string;
    caseId: string;
    reservationId?: string | undefined;
    actor: string;
    now: Date;
    today: string;
  },
): Promise<void> {
  let reservation: { id: string; reserviert_bis: string } | undefined;
  if (input.reservationId) {
    reservation = await trx
      .selectFrom('kfz_reservation')
      .select(['id', 'reserviert_bis'])
      .where('id', '=', input.reservationId)
      .where('case_id', '=', input.caseId)
      .executeTakeFirst();
    if (reservation && reservation.reserviert_bis < input.today) reservation = undefined;
  }
  const u = await trx
    .updateTable('kfz_plate')
    .set(
      reservation
        ? {
            status: 'reserviert',
            suffix: null,
            case_id: null,
            reservation_id: reservation.id,
            reserviert_bis: reservation.reserviert_bis,
            verfuegbar_ab: addDays(reservation.reserviert_bis, 1),
            updated_at: input.now.toISOString(),
          }
        : {
            status: 'frei',
            suffix: null,
            case_id: null,
            reservation_id: null,
            reserviert_bis: null,
            verfuegbar_ab: ALWAYS,
            updated_at: input.now.toISOString(),
          },
    )
    .where('kennzeichen', '=', input.kennzeichen)
    .where('case_id', '=', input.caseId)
    .where('status', '=', 'zugeteilt')
    .executeTakeFirst();
  if (Number(u.numUpdatedRows) !== 1) return;
  if (reservation) {
    await trx
      .updateTable('kfz_reservation')
      .set({ status: 'aktiv', case_id: null, updated_at: input.now.toISOString() })
      .where('id', '=', reservation.id)
      .execute();
  }
  await event(trx, {
    kennzeichen: input.kennzeichen,
    authorityAgs: input.authorityAgs,
    event: reservation ? 'reserviert' : 'freigegeben',
    caseId: input.caseId,
    reservationId: reservation?.id ?? null,
    verfuegbarAb: reservation ? addDays(reservation.reserviert_bis, 1) : ALWAYS,
    actor: input.actor,
    now: input.now,
  });
}

/**
 * A plate that comes off a vehicle (Außerbetriebsetzung, Umschreibung with a new plate): blocked
 * for the office's period, or reserved for the holder. Plates of other districts are not ours to
 * manage. Returns what happened.
 */
export async function retirePlate(
  trx: Transaction<Database>,
  input: {
    authorityAgs: string;
    kennzeichen: string;
    caseId: string;
    reserveFor?: string | undefined;
    actor: string;
    now: Date;
    today: string;
  },
): Promise<{ gesperrtBis?: string; reserviertBis?: string; reservierungId?: string } | null> {
  const c = checkPlate(input.kennzeichen, { extraBanned: [] });
  if (!c.ok) return null;
  const codes = await kreisCodes(trx, input.authorityAgs);
  if (!codes.includes(c.plate.unterscheidungszeichen)) return null;
  const cfg = (await loadConfig(trx, input.authorityAgs))?.config ?? plateConfigSchema.parse({ serien: [] });
  const key = plateKey(c.plate);
  const nowIso = input.now.toISOString();
  const reservationId = input.reserveFor ? newId() : null;
  const reserviertBis = input.reserveFor ? addDays(input.today, cfg.reservierungTage - 1) : null;
  const verfuegbarAb = reserviertBis ? addDays(reserviertBis, 1) : addDays(input.today, cfg.sperrfristTage);
  const values = {
    status: (reservationId ? 'reserviert' : 'gesperrt') as 'reserviert' | 'gesperrt',
    suffix: null,
    case_id: null,
    reservation_id: reservationId,
    reserviert_bis: reserviertBis,
    verfuegbar_ab: verfuegbarAb,
    updated_at: nowIso,
  };
  const existing = await trx
    .selectFrom('kfz_plate')
    .select(['status', 'verfuegbar_ab', 'reserviert_bis'])
    .where('kennzeichen', '=', key)
    .executeTakeFirst();
  if (existing && existing.status !== 'zugeteilt') {
    throw refuse(
      'Kennzeichen nicht auf einem Fahrzeug',
      `${key} ist im Notbetrieb nicht als zugeteilt geführt: ${occupiedReason(existing, input.today, key) ?? 'es ist frei'}. Bitte das Kennzeichen prüfen.`,
    );
  }
  if (existing) {
    await trx
      .updateTable('kfz_plate')
      .set(values)
      .where('kennzeichen', '=', key)
      .where('status', '=', 'zugeteilt')
      .execute();
  } else {
    await trx
      .insertInto('kfz_plate')
      .values({
        kennzeichen: key,
        authority_ags: input.authorityAgs,
        unterscheidungszeichen: c.plate.unterscheidungszeichen,
        art: c.plate.art,
        rank: plateRank(c.plate),
        herkunft: 'bestand',
        ...values,
      })
      .execute();
  }
  if (reservationId && reserviertBis && input.reserveFor) {
    await trx
      .insertInto('kfz_reservation')
      .values({
        id: reservationId,
        authority_ags: input.authorityAgs,
        kennzeichen: key,
        suffix: c.suffix,
        name: input.reserveFor,
        reserviert_bis: reserviertBis,
        status: 'aktiv',
        case_id: null,
        source_case_id: input.caseId,
        created_at: nowIso,
        created_by: input.actor,
        updated_at: nowIso,
      })
      .execute();
  }
  await event(trx, {
    kennzeichen: key,
    authorityAgs: input.authorityAgs,
    event: reservationId ? 'reserviert' : 'gesperrt',
    caseId: input.caseId,
    reservationId,
    verfuegbarAb,
    actor: input.actor,
    now: input.now,
  });
  return reservationId && reserviertBis
    ? { reserviertBis, reservierungId: reservationId }
    : { gesperrtBis: addDays(verfuegbarAb, -1) };
}

/**
 * A plate that stays on the vehicle with a new holder (Umschreibung in the district): recorded as
 * allocated to the case, so the pool never hands it out.
 */
export async function keepPlate(
  trx: Transaction<Database>,
  input: {
    authorityAgs: string;
    kennzeichen: string;
    caseId: string;
    actor: string;
    now: Date;
    today: string;
  },
): Promise<void> {
  const c = checkPlate(input.kennzeichen, { extraBanned: [] });
  if (!c.ok) return;
  const key = plateKey(c.plate);
  const existing = await trx
    .selectFrom('kfz_plate')
    .select(['status', 'verfuegbar_ab', 'reserviert_bis'])
    .where('kennzeichen', '=', key)
    .executeTakeFirst();
  if (existing && existing.status !== 'zugeteilt') {
    throw refuse(
      'Kennzeichen nicht auf einem Fahrzeug',
      `${key} ist im Notbetrieb nicht als zugeteilt geführt: ${occupiedReason(existing, input.today, key) ?? 'es ist frei'}.`,
    );
  }
  const nowIso = input.now.toISOString();
  if (existing) {
    await trx
      .updateTable('kfz_plate')
      .set({ case_id: input.caseId, updated_at: nowIso })
      .where('kennzeichen', '=', key)
      .execute();
  } else {
    await trx
      .insertInto('kfz_plate')
      .values({
        kennzeichen: key,
        authority_ags: input.authorityAgs,
        unterscheidungszeichen: c.plate.unterscheidungszeichen,
        art: c.plate.art,
        rank: plateRank(c.plate),
        status: 'zugeteilt',
        suffix: c.suffix,
        case_id: input.caseId,
        reservation_id: null,
        verfuegbar_ab: null,
        reserviert_bis: null,
        herkunft: 'bestand',
        updated_at: nowIso,
      })
      .execute();
  }
  await event(trx, {
    kennzeichen: key,
    authorityAgs: input.authorityAgs,
    event: 'zugeteilt',
    suffix: c.suffix,
    caseId: input.caseId,
    actor: input.actor,
    now: input.now,
  });
}

/** Reserves a Wunschkennzeichen for a person (before the registration). */
export async function reservePlate(
  trx: Transaction<Database>,
  input: { authorityAgs: string; kennzeichen: string; name: string; actor: string; now: Date; today: string },
): Promise<{ id: string; kennzeichen: string; text: string; reserviertBis: string }> {
  const { plate, suffix, cfg } = await checkWish(trx, input.authorityAgs, input.kennzeichen, 'kennzeichen');
  const key = plateKey(plate);
  const id = newId();
  const nowIso = input.now.toISOString();
  const reserviertBis = addDays(input.today, cfg.reservierungTage - 1);
  const values = {
    status: 'reserviert' as const,
    suffix: null,
    case_id: null,
    reservation_id: id,
    reserviert_bis: reserviertBis,
    verfuegbar_ab: addDays(reserviertBis, 1),
    updated_at: nowIso,
  };
  const inserted = await trx
    .insertInto('kfz_plate')
    .values({
      kennzeichen: key,
      authority_ags: input.authorityAgs,
      unterscheidungszeichen: plate.unterscheidungszeichen,
      art: plate.art,
      rank: plateRank(plate),
      herkunft: 'wunsch',
      ...values,
    })
    .onConflict((oc) => oc.column('kennzeichen').doNothing())
    .returning('kennzeichen')
    .executeTakeFirst();
  if (!inserted) {
    const u = await trx
      .updateTable('kfz_plate')
      .set(values)
      .where('kennzeichen', '=', key)
      .where('verfuegbar_ab', 'is not', null)
      .where('verfuegbar_ab', '<=', input.today)
      .executeTakeFirst();
    if (Number(u.numUpdatedRows) !== 1) {
      const row = await trx
        .selectFrom('kfz_plate')
        .select(['status', 'verfuegbar_ab', 'reserviert_bis'])
        .where('kennzeichen', '=', key)
        .executeTakeFirstOrThrow();
      throw refuse(
        'Kennzeichen nicht frei',
        occupiedReason(row, input.today, key) ?? `${key} ist nicht frei.`,
      );
    }
  }
  await trx
    .insertInto('kfz_reservation')
    .values({
      id,
      authority_ags: input.authorityAgs,
      kennzeichen: key,
      suffix,
      name: input.name,
      reserviert_bis: reserviertBis,
      status: 'aktiv',
      case_id: null,
      source_case_id: null,
      created_at: nowIso,
      created_by: input.actor,
      updated_at: nowIso,
    })
    .execute();
  await event(trx, {
    kennzeichen: key,
    authorityAgs: input.authorityAgs,
    event: 'reserviert',
    reservationId: id,
    verfuegbarAb: addDays(reserviertBis, 1),
    actor: input.actor,
    now: input.now,
  });
  return { id, kennzeichen: key, text: plateText(plate, suffix), reserviertBis };
}

/** Cancels an active reservation: the plate is free again at once. */
export async function cancelReservation(
  trx: Transaction<Database>,
  input: { authorityAgs: string; id: string; actor: string; now: Date },
): Promise<void> {
  const r = await trx.selectFrom('kfz_reservation').selectAll().where('id', '=', input.id).executeTakeFirst();
  if (!r || r.authority_ags !== input.authorityAgs)
    throw new AppError('NOT_FOUND', 'Nicht gefunden', 'Die Reservierung wurde nicht gefunden.');
  if (r.status !== 'aktiv') {
    throw refuse(
      'Reservierung nicht aktiv',
      `Die Reservierung ist ${r.status === 'eingeloest' ? 'bereits eingelöst' : 'bereits storniert'}.`,
    );
  }
  const nowIso = input.now.toISOString();
  await trx
    .updateTable('kfz_reservation')
    .set({ status: 'storniert', updated_at: nowIso })
    .where('id', '=', r.id)
    .execute();
  await trx
    .updateTable('kfz_plate')
    .set({
      status: 'frei',
      reservation_id: null,
      reserviert_bis: null,
      verfuegbar_ab: ALWAYS,
      updated_at: nowIso,
    })
    .where('kennzeichen', '=', r.kennzeichen)
    .where('status', '=', 'reserviert')
    .where('reservation_id', '=', r.id)
    .execute();
  await event(trx, {
    kennzeichen: r.kennzeichen,
    authorityAgs: input.authorityAgs,
    event: 'reservierung_storniert',
    reservationId: r.id,
    verfuegbarAb: ALWAYS,
    actor: input.actor,
    now: input.now,
  });
}

/** The next plate the pool would hand out (read only, for the overview page). */
export async function previewNext(
  db: Kysely<Database>,
  authorityAgs: string,
  today: string,
): Promise<Array<{ unterscheidungszeichen: string; art: PlateKind; naechstes: string | null }>> {
  const stored = await loadConfig(db, authorityAgs);
  if (!stored) return [];
  const out: Array<{ unterscheidungszeichen: string; art: PlateKind; naechstes: string | null }> = [];
  for (const art of ['standard', 'kurzzeit'] as const) {
    for (const code of configuredCodes(stored.config, art)) {
      const cursor = await db
        .selectFrom('kfz_plate_cursor')
        .select(['last_rank', 'config_version'])
        .where('authority_ags', '=', authorityAgs)
        .where('unterscheidungszeichen', '=', code)
        .where('art', '=', art)
        .executeTakeFirst();
      const from = cursor && Number(cursor.config_version) === stored.version ? Number(cursor.last_rank) : 0;
      const back = await db
        .selectFrom('kfz_plate')
        .select(['kennzeichen', 'rank'])
        .where('authority_ags', '=', authorityAgs)
        .where('unterscheidungszeichen', '=', code)
        .where('art', '=', art)
        .where('verfuegbar_ab', 'is not', null)
        .where('verfuegbar_ab', '<=', today)
        .orderBy('rank')
        .limit(100)
        .execute();
      const returned = back
        .map((r) => ({ plate: plateOfKey(r.kennzeichen), rank: Number(r.rank) }))
        .find(
          (r) => inPool(stored.config, r.plate) && (art === 'kurzzeit' || !isBanned(stored.config, r.plate)),
        );
      const fresh = await nextFresh(db, stored.config, {
        authorityAgs,
        caseId: '',
        suffix: null,
        actor: '',
        now: new Date(),
        today,
        code,
        cursor: from,
        art,
        upTo: returned?.rank,
      });
      const pick =
        fresh.candidate && (!returned || fresh.candidate.rank < returned.rank) ? fresh.candidate : returned;
      out.push({ unterscheidungszeichen: code, art, naechstes: pick ? plateKey(pick.plate) : null });
    }
  }
  return out;
}
