import type { Kysely, Transaction } from 'kysely';
import { AppError } from '../../../core/errors.js';
import { newId } from '../../../core/ids.js';
import type { Database } from '../../../db/types.js';
import { EDITABLE_STATES, type HaushaltsplanDaten, PLAN_STATES, type PlanStatus } from '../haushaltsplan.js';
import type { BETRAG_SPALTEN, HaushaltsZeile, Plan, Produktbereich } from '../katalog.js';
import './tables.js';
import { inhaltSha256 } from './zeilen.js';

/** SQL of the Kämmerei's tables: plans with their case, versions, lines. Conversion at this boundary. */

type Db = Kysely<Database> | Transaction<Database>;

export interface PlanRecord {
  caseId: string;
  aktenzeichen: string;
  authorityAgs: string;
  authorityName: string;
  haushaltsjahr: number;
  status: PlanStatus;
  statusLabel: string;
  caseVersion: number;
  data: HaushaltsplanDaten;
  latestVersion: number;
  frozen: boolean;
  deadline: string | null;
  createdAt: string;
}

function planQuery(db: Db) {
  return db
    .selectFrom('haushalt_plan as p')
    .innerJoin('cases as c', 'c.id', 'p.case_id')
    .innerJoin('authority as a', 'a.ags', 'p.authority_ags')
    .select([
      'p.case_id',
      'p.authority_ags',
      'p.haushaltsjahr',
      'p.latest_version',
      'p.frozen',
      'p.created_at',
      'c.aktenzeichen',
      'c.status',
      'c.version',
      'c.data',
      'c.deadline',
      'a.name as authority_name',
    ]);
}

type PlanRow = Awaited<ReturnType<ReturnType<typeof planQuery>['executeTakeFirstOrThrow']>>;

function presentPlan(r: PlanRow): PlanRecord {
  const status = r.status as PlanStatus;
  return {
    caseId: r.case_id,
    aktenzeichen: r.aktenzeichen,
    authorityAgs: r.authority_ags,
    authorityName: r.authority_name,
    haushaltsjahr: Number(r.haushaltsjahr),
    status,
    statusLabel: PLAN_STATES[status]?.label ?? status,
    caseVersion: Number(r.version),
    data: JSON.parse(r.data) as HaushaltsplanDaten,
    latestVersion: Number(r.latest_version),
    frozen: Number(r.frozen) === 1,
    deadline: r.deadline,
    createdAt: r.created_at,
  };
}

export async function findPlan(db: Db, caseId: string): Promise<PlanRecord | undefined> {
  const r = await planQuery(db).where('p.case_id', '=', caseId).executeTakeFirst();
  return r ? presentPlan(r) : undefined;
}

export async function findPlanByYear(
  db: Db,
  authorityAgs: string,
  haushaltsjahr: number,
): Promise<PlanRecord | undefined> {
  const r = await planQuery(db)
    .where('p.authority_ags', '=', authorityAgs)
    .where('p.haushaltsjahr', '=', haushaltsjahr)
    .executeTakeFirst();
  return r ? presentPlan(r) : undefined;
}

export async function plansOf(db: Db, authorityAgs: string): Promise<PlanRecord[]> {
  const rows = await planQuery(db)
    .where('p.authority_ags', '=', authorityAgs)
    .orderBy('p.haushaltsjahr', 'desc')
    .execute();
  return rows.map(presentPlan);
}

export interface VersionRecord {
  id: string;
  versionNo: number;
  basedOn: number;
  source: 'xlsx' | 'csv' | 'bearbeitung';
  sourceName: string | null;
  sourceSha256: string | null;
  note: string | null;
  lineCount: number;
  contentSha256: string;
  createdAt: string;
  createdBy: string;
  createdByName: string;
}

export async function versionsOf(db: Db, caseId: string): Promise<VersionRecord[]> {
  const rows = await db
    .selectFrom('haushalt_version')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('version_no', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    versionNo: Number(r.version_no),
    basedOn: Number(r.based_on),
    source: r.source as VersionRecord['source'],
    sourceName: r.source_name,
    sourceSha256: r.source_sha256,
    note: r.note,
    lineCount: Number(r.line_count),
    contentSha256: r.content_sha256,
    createdAt: r.created_at,
    createdBy: r.created_by,
    createdByName: r.created_by_name,
  }));
}

export async function versionOf(
  db: Db,
  caseId: string,
  versionNo: number,
): Promise<VersionRecord | undefined> {
  return (await versionsOf(db, caseId)).find((v) => v.versionNo === versionNo);
}

/** The lines of a version in their order (optionally of one Produktbereich). */
export async function linesOf(db: Db, versionId: string, produktbereich?: string): Promise<HaushaltsZeile[]> {
  let q = db.selectFrom('haushalt_line').selectAll().where('version_id', '=', versionId);
  if (produktbereich) q = q.where('produktbereich', '=', produktbereich);
  const rows = await q.orderBy('seq').execute();
  return rows.map((r) => ({
    produktbereich: r.produktbereich as Produktbereich,
    produktgruppe: r.produktgruppe,
    produktgruppeName: r.produktgruppe_name,
    produkt: r.produkt,
    produktName: r.produkt_name,
    plan: r.plan as Plan,
    position: Number(r.position),
    erlaeuterung: r.erlaeuterung,
    ergebnisVorvorjahr: Number(r.ergebnis_vorvorjahr),
    ansatzVorjahr: Number(r.ansatz_vorjahr),
    ansatz: Number(r.ansatz),
    planung1: Number(r.planung_1),
    planung2: Number(r.planung_2),
    planung3: Number(r.planung_3),
  }));
}

export interface NewVersion {
  caseId: string;
  basedOn: number;
  source: VersionRecord['source'];
  sourceName: string | null;
  sourceSha256: string | null;
  note: string | null;
  actor: { userId: string; displayName: string };
  now: Date;
}

const conflict = (detail: string) => new AppError('VERSION_CONFLICT', 'Neuere Fassung vorhanden', detail);

/**
 * Writes a new version with its lines inside the caller's transaction. The plan's head row is the
 * lock: it moves from `basedOn` to `basedOn + 1` only while the plan is not frozen, so two imports
 * on the same version, or an import racing the Kämmerer's "aufstellen", cannot both win.
 */
export async function insertVersion(
  trx: Transaction<Database>,
  v: NewVersion,
  zeilen: readonly HaushaltsZeile[],
): Promise<VersionRecord> {
  const moved = await trx
    .updateTable('haushalt_plan')
    .set({ latest_version: v.basedOn + 1 })
    .where('case_id', '=', v.caseId)
    .where('latest_version', '=', v.basedOn)
    .where('frozen', '=', 0)
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1) {
    const plan = await findPlan(trx, v.caseId);
    if (plan && (plan.frozen || !EDITABLE_STATES.includes(plan.status))) {
      throw new AppError(
        'ACTION_NOT_ALLOWED',
        'Entwurf nicht mehr änderbar',
        `Der Haushaltsplan ist im Status „${plan.statusLabel}“; Änderungen sind erst nach Rückgabe in den Entwurf möglich.`,
      );
    }
    throw conflict(
      `Inzwischen gibt es die Fassung ${plan?.latestVersion ?? '?'}; Ihre Änderung beruht auf Fassung ${v.basedOn}. Bitte neu laden und erneut einlesen.`,
    );
  }
  const record: VersionRecord = {
    id: newId(),
    versionNo: v.basedOn + 1,
    basedOn: v.basedOn,
    source: v.source,
    sourceName: v.sourceName,
    sourceSha256: v.sourceSha256,
    note: v.note,
    lineCount: zeilen.length,
    contentSha256: inhaltSha256(zeilen),
    createdAt: v.now.toISOString(),
    createdBy: v.actor.userId,
    createdByName: v.actor.displayName,
  };
  await trx
    .insertInto('haushalt_version')
    .values({
      id: record.id,
      case_id: v.caseId,
      version_no: record.versionNo,
      based_on: record.basedOn,
      source: record.source,
      source_name: record.sourceName,
      source_sha256: record.sourceSha256,
      note: record.note,
      line_count: record.lineCount,
      content_sha256: record.contentSha256,
      created_at: record.createdAt,
      created_by: record.createdBy,
      created_by_name: record.createdByName,
    })
    .execute();
  // 17 values a row: 500 rows stay below the parameter limits of both drivers.
  for (let i = 0; i < zeilen.length; i += 500) {
    await trx
      .insertInto('haushalt_line')
      .values(
        zeilen.slice(i, i + 500).map((z, j) => ({
          version_id: record.id,
          seq: i + j + 1,
          produktbereich: z.produktbereich,
          produktgruppe: z.produktgruppe,
          produktgruppe_name: z.produktgruppeName,
          produkt: z.produkt,
          produkt_name: z.produktName,
          plan: z.plan,
          position: z.position,
          erlaeuterung: z.erlaeuterung,
          ergebnis_vorvorjahr: z.ergebnisVorvorjahr,
          ansatz_vorjahr: z.ansatzVorjahr,
          ansatz: z.ansatz,
          planung_1: z.planung1,
          planung_2: z.planung2,
          planung_3: z.planung3,
        })),
      )
      .execute();
  }
  return record;
}

/** The product of a version by its code (for commitments), or undefined. */
export async function productIn(
  db: Db,
  versionId: string,
  produkt: string,
): Promise<{ produktbereich: Produktbereich; produktName: string } | undefined> {
  const r = await db
    .selectFrom('haushalt_line')
    .select(['produktbereich', 'produkt_name'])
    .where('version_id', '=', versionId)
    .where('produkt', '=', produkt)
    .executeTakeFirst();
  return r ? { produktbereich: r.produktbereich as Produktbereich, produktName: r.produkt_name } : undefined;
}

/** Sum of one amount column per Produktbereich over the given positions of a version. */
export async function sumsByProduktbereich(
  db: Db,
  versionId: string,
  column: (typeof BETRAG_SPALTEN)[number],
  positions: ReadonlyArray<[Plan, number]>,
): Promise<Map<string, number>> {
  const lines = await linesOf(db, versionId);
  const wanted = new Set(positions.map(([p, n]) => `${p}${n}`));
  const out = new Map<string, number>();
  for (const z of lines) {
    if (!wanted.has(`${z.plan}${z.position}`)) continue;
    out.set(z.produktbereich, (out.get(z.produktbereich) ?? 0) + z[column]);
  }
  return out;
}
