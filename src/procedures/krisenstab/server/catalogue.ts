import type { Kysely, Transaction } from 'kysely';
import type { Principal } from '../../../core/access.js';
import { AppError, forbidden, notFound, validationFailed } from '../../../core/errors.js';
import type { FamilyInfo } from '../../../core/family.js';
import { type IdempotentRequest, type IdempotentResult, runIdempotent } from '../../../core/idempotency.js';
import { isUuid, newId } from '../../../core/ids.js';
import { isOfficeType, OFFICE_LABELS, type OfficeType } from '../../../core/offices.js';
import type { ProcedureRegistry } from '../../../core/procedure-registry.js';
import type { Database } from '../../../db/types.js';
import {
  DIENST_STATUS_LABELS,
  type DienstInput,
  type DienstStatus,
  EMERGENCY_OFFERED,
  type LageInput,
  WAZ_STATE_LABELS,
  type WazState,
} from '../katalog.js';
import { canEditService, canReadCatalogue } from './access.js';
import type { KrisenstabDienstTable } from './tables.js';

/**
 * The service catalogue (Dienstekatalog) of each authority: one entry per procedure family whose
 * office the authority has, plus free entries (e.g. "Bürgertelefon", "Wertstoffhof"). Each entry
 * has a status (normal / Notbetrieb / bei Nachbarbehörde / ausgesetzt) since when, where and when
 * it is offered, and its BSI 200-4 targets (MTA, WAZ, Notbetriebsniveau; FACTS.md §10). Family
 * entries exist virtually (version 0) until first saved. Every change is written to the
 * append-only history (who, when, which fields before → after) in the same transaction, beside the
 * request's entry in the audit log.
 */

export interface FamilyService {
  familyId: string;
  officeType: OfficeType;
  title: string;
}

/** One catalogue entry per procedure family (families without procedures have none). */
export function familyServices(
  families: readonly FamilyInfo[],
  registry: ProcedureRegistry,
): FamilyService[] {
  const out: FamilyService[] = [];
  for (const f of families) {
    const defs = f.procedureIds.map((id) => registry.get(id)).filter((d) => d !== undefined);
    const first = defs[0];
    if (!first) continue;
    const office = first.office;
    const titles = defs.map((d) => d.title);
    const title =
      defs.length === 1
        ? first.title
        : `${OFFICE_LABELS[office]} (${titles.slice(0, 3).join(', ')}${titles.length > 3 ? ' u. a.' : ''})`;
    out.push({ familyId: f.id, officeType: office, title: title.slice(0, 120) });
  }
  return out;
}

export interface WazView {
  state: WazState;
  label: string;
  /** Hours from the outage to the start of emergency operation, or elapsed so far when not started. */
  stunden: number | null;
  mtaUeberschritten: boolean;
}

export interface DienstView {
  /** Path key: the entry's id, or the family id of a family entry not saved yet. */
  key: string;
  id: string | null;
  authorityAgs: string;
  familyId: string | null;
  officeType: string | null;
  officeLabel: string | null;
  title: string;
  status: DienstStatus | null;
  statusLabel: string;
  statusSeit: string | null;
  notbetriebSeit: string | null;
  ort: string | null;
  zeiten: string | null;
  ausweichAgs: string | null;
  ausweichName: string | null;
  hotline: string | null;
  hinweis: string | null;
  mtaStunden: number | null;
  wazStunden: number | null;
  niveauProzent: number | null;
  oeffentlich: boolean;
  version: number;
  updatedAt: string | null;
  waz: WazView;
  /** May the asking user change this entry (crisis team, or Amtsleitung of its office)? */
  editable: boolean;
}

export interface LageView {
  authorityAgs: string;
  ausfallSeit: string | null;
  hinweis: string | null;
  buergertelefon: string | null;
  kontaktEmail: string | null;
  version: number;
  updatedAt: string | null;
}

export interface AenderungView {
  id: string;
  dienstId: string;
  at: string;
  actorName: string;
  changes: Record<string, [unknown, unknown]>;
}

const hoursBetween = (a: string, b: Date | string) =>
  Math.round(((new Date(b).getTime() - new Date(a).getTime()) / 3_600_000) * 10) / 10;

/** Did emergency operation start within the WAZ (counted from the authority's outage start)? */
export function wazOf(
  d: {
    status: string | null;
    notbetriebSeit: string | null;
    wazStunden: number | null;
    mtaStunden: number | null;
  },
  ausfallSeit: string | null,
  now: Date,
): WazView {
  const view = (state: WazState, stunden: number | null, mtaUeberschritten = false): WazView => ({
    state,
    label: WAZ_STATE_LABELS[state],
    stunden,
    mtaUeberschritten,
  });
  if (d.status === 'normal') return view('normal', null);
  if (!ausfallSeit) return view('ohne_ausfall', null);
  const started = d.notbetriebSeit;
  const stunden = started ? Math.max(0, hoursBetween(ausfallSeit, started)) : hoursBetween(ausfallSeit, now);
  const mta = d.mtaStunden !== null && stunden > d.mtaStunden;
  if (d.wazStunden === null) return view('ohne_ziel', stunden, mta);
  if (started) return view(stunden <= d.wazStunden ? 'eingehalten' : 'ueberschritten', stunden, mta);
  return view(stunden > d.wazStunden ? 'offen_ueberschritten' : 'laeuft', stunden, mta);
}

type DienstRow = KrisenstabDienstTable;

function presentDienst(
  r: DienstRow | (Partial<DienstRow> & { family_id: string; office_type: string; title: string }),
  ags: string,
  lage: LageView,
  now: Date,
  principal: Principal | null,
): DienstView {
  const status = (r.status ?? null) as DienstStatus | null;
  const view = {
    status,
    notbetriebSeit: r.notbetrieb_seit ?? null,
    wazStunden: r.waz_stunden ?? null,
    mtaStunden: r.mta_stunden ?? null,
  };
  const office = r.office_type ?? null;
  return {
    key: r.id ?? (r.family_id as string),
    id: r.id ?? null,
    authorityAgs: ags,
    familyId: r.family_id ?? null,
    officeType: office,
    officeLabel: office && isOfficeType(office) ? OFFICE_LABELS[office] : null,
    title: r.title,
    status,
    statusLabel: status ? DIENST_STATUS_LABELS[status] : 'nicht erfasst',
    statusSeit: r.status_seit ?? null,
    notbetriebSeit: view.notbetriebSeit,
    ort: r.ort ?? null,
    zeiten: r.zeiten ?? null,
    ausweichAgs: r.ausweich_ags ?? null,
    ausweichName: r.ausweich_name ?? null,
    hotline: r.hotline ?? null,
    hinweis: r.hinweis ?? null,
    mtaStunden: view.mtaStunden,
    wazStunden: view.wazStunden,
    niveauProzent: r.niveau_prozent ?? null,
    oeffentlich: r.oeffentlich === undefined ? true : r.oeffentlich === 1,
    version: r.version ?? 0,
    updatedAt: r.updated_at ?? null,
    waz: wazOf(view, lage.ausfallSeit, now),
    editable: principal ? canEditService(principal, ags, office) : false,
  };
}

function presentLage(ags: string, r: Database['krisenstab_lage'] | undefined): LageView {
  return {
    authorityAgs: ags,
    ausfallSeit: r?.ausfall_seit ?? null,
    hinweis: r?.hinweis ?? null,
    buergertelefon: r?.buergertelefon ?? null,
    kontaktEmail: r?.kontakt_email ?? null,
    version: r?.version ?? 0,
    updatedAt: r?.updated_at ?? null,
  };
}

/** Family entries (stored or virtual) in the families' order, then the free entries by position. */
function composeEntries(
  ags: string,
  rows: readonly DienstRow[],
  families: readonly FamilyService[],
  lage: LageView,
  now: Date,
  principal: Principal | null,
): DienstView[] {
  const byFamily = new Map(rows.filter((r) => r.family_id).map((r) => [r.family_id as string, r]));
  const out: DienstView[] = families.map((f) =>
    presentDienst(
      byFamily.get(f.familyId) ?? { family_id: f.familyId, office_type: f.officeType, title: f.title },
      ags,
      lage,
      now,
      principal,
    ),
  );
  const free = rows
    .filter((r) => !r.family_id)
    .sort((a, b) => a.position - b.position || a.created_at.localeCompare(b.created_at));
  for (const r of free) out.push(presentDienst(r, ags, lage, now, principal));
  return out;
}

const versionConflict = () =>
  new AppError(
    'VERSION_CONFLICT',
    'Inzwischen geändert',
    'Dieser Eintrag wurde inzwischen von jemand anderem geändert. Bitte laden Sie die Seite neu und prüfen Sie die Angaben.',
  );

type Db = Kysely<Database> | Transaction<Database>;

export class CatalogueService {
  constructor(
    private readonly deps: {
      db: Kysely<Database>;
      now: () => Date;
      families: readonly FamilyService[];
    },
  ) {}

  /** The authority (404 for an unknown AGS). */
  async authority(ags: string, db: Db = this.deps.db) {
    const a = await db
      .selectFrom('authority')
      .select(['ags', 'name', 'kind', 'kreis_ags'])
      .where('ags', '=', ags)
      .executeTakeFirst();
    if (!a) throw notFound('Die Behörde');
    return a;
  }

  /** Family entries that apply to an authority: those whose office it has. */
  async familiesFor(ags: string, db: Db = this.deps.db): Promise<FamilyService[]> {
    const offices = new Set(
      (await db.selectFrom('office').select('office_type').where('authority_ags', '=', ags).execute()).map(
        (o) => o.office_type,
      ),
    );
    return this.deps.families.filter((f) => offices.has(f.officeType));
  }

  async lage(ags: string, db: Db = this.deps.db): Promise<LageView> {
    const row = await db
      .selectFrom('krisenstab_lage')
      .selectAll()
      .where('authority_ags', '=', ags)
      .executeTakeFirst();
    return presentLage(ags, row);
  }

  /** All entries of one authority, family entries first (in the families' order), then free ones. */
  async entries(ags: string, principal: Principal | null, db: Db = this.deps.db): Promise<DienstView[]> {
    const [rows, families, lage] = await Promise.all([
      db.selectFrom('krisenstab_dienst').selectAll().where('authority_ags', '=', ags).execute(),
      this.familiesFor(ags, db),
      this.lage(ags, db),
    ]);
    return composeEntries(ags, rows, families, lage, this.deps.now(), principal);
  }

  /** The entries and situation of every authority at once (three queries, for the region's board). */
  async region(principal: Principal | null): Promise<Map<string, { lage: LageView; dienste: DienstView[] }>> {
    const db = this.deps.db;
    const [authorities, offices, rows, lagen] = await Promise.all([
      db.selectFrom('authority').select('ags').execute(),
      db.selectFrom('office').select(['authority_ags', 'office_type']).execute(),
      db.selectFrom('krisenstab_dienst').selectAll().execute(),
      db.selectFrom('krisenstab_lage').selectAll().execute(),
    ]);
    const officesOf = new Map<string, Set<string>>();
    for (const o of offices) {
      let set = officesOf.get(o.authority_ags);
      if (!set) {
        set = new Set();
        officesOf.set(o.authority_ags, set);
      }
      set.add(o.office_type);
    }
    const rowsOf = new Map<string, DienstRow[]>();
    for (const r of rows) {
      const list = rowsOf.get(r.authority_ags) ?? [];
      list.push(r);
      rowsOf.set(r.authority_ags, list);
    }
    const lageOf = new Map(lagen.map((l) => [l.authority_ags, l]));
    const now = this.deps.now();
    const out = new Map<string, { lage: LageView; dienste: DienstView[] }>();
    for (const { ags } of authorities) {
      const has = officesOf.get(ags) ?? new Set<string>();
      const families = this.deps.families.filter((f) => has.has(f.officeType));
      const lage = presentLage(ags, lageOf.get(ags));
      out.set(ags, {
        lage,
        dienste: composeEntries(ags, rowsOf.get(ags) ?? [], families, lage, now, principal),
      });
    }
    return out;
  }

  async catalogue(principal: Principal, ags: string) {
    const authority = await this.authority(ags);
    if (!canReadCatalogue(principal, ags)) {
      throw forbidden('Sie sind für den Dienstekatalog dieser Behörde nicht berechtigt.');
    }
    const [lage, dienste, aenderungen] = await Promise.all([
      this.lage(ags),
      this.entries(ags, principal),
      this.history(ags, 30),
    ]);
    return {
      authority: { ags: authority.ags, name: authority.name, kind: authority.kind },
      lage,
      dienste,
      aenderungen,
      editableLage: principal.isCrisisTeam,
    };
  }

  async history(ags: string, limit: number): Promise<AenderungView[]> {
    const rows = await this.deps.db
      .selectFrom('krisenstab_dienst_aenderung')
      .selectAll()
      .where('authority_ags', '=', ags)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      dienstId: r.dienst_id,
      at: r.at,
      actorName: r.actor_name,
      changes: JSON.parse(r.changes) as Record<string, [unknown, unknown]>,
    }));
  }

  private async checkAusweich(input: DienstInput): Promise<DienstInput> {
    if (!input.ausweichAgs) return input;
    const a = await this.deps.db
      .selectFrom('authority')
      .select('name')
      .where('ags', '=', input.ausweichAgs)
      .executeTakeFirst();
    if (!a) {
      throw validationFailed([
        {
          path: 'dienst/ausweichAgs',
          message: 'Ausweichbehörde: Keine bekannte Behörde mit diesem Schlüssel.',
        },
      ]);
    }
    return { ...input, ausweichName: input.ausweichName ?? a.name };
  }

  /** Saves an entry (a family entry's first save creates it). Optimistic: expectedVersion must match. */
  async save(
    principal: Principal,
    ags: string,
    key: string,
    body: { expectedVersion: number; dienst: DienstInput },
    idem: IdempotentRequest,
  ): Promise<IdempotentResult> {
    await this.authority(ags);
    const input = await this.checkAusweich(body.dienst);
    let familyId: string | null = null;
    let officeType: string | null = null;
    let id: string | null = null;
    if (isUuid(key)) {
      const row = await this.deps.db
        .selectFrom('krisenstab_dienst')
        .select(['id', 'office_type', 'family_id'])
        .where('id', '=', key)
        .where('authority_ags', '=', ags)
        .executeTakeFirst();
      if (!row) throw notFound('Der Dienst');
      id = row.id;
      officeType = row.office_type;
      familyId = row.family_id;
    } else {
      const fam = (await this.familiesFor(ags)).find((f) => f.familyId === key);
      if (!fam) throw notFound('Der Dienst');
      familyId = fam.familyId;
      officeType = fam.officeType;
    }
    if (!canEditService(principal, ags, officeType)) {
      throw forbidden('Diesen Dienst ändern dürfen nur der Krisenstab und die Amtsleitung des Amtes.');
    }
    const nowIso = this.deps.now().toISOString();
    return runIdempotent(
      this.deps.db,
      idem,
      () => nowIso,
      async (trx) => {
        let before: DienstRow | undefined;
        if (id) {
          before = await trx
            .selectFrom('krisenstab_dienst')
            .selectAll()
            .where('id', '=', id)
            .executeTakeFirst();
        } else {
          before = await trx
            .selectFrom('krisenstab_dienst')
            .selectAll()
            .where('authority_ags', '=', ags)
            .where('family_id', '=', familyId as string)
            .executeTakeFirst();
        }
        const version = before?.version ?? 0;
        if (version !== body.expectedVersion) throw versionConflict();
        const next = rowFrom(input, before, nowIso, principal.userId);
        let rowId: string;
        if (before) {
          rowId = before.id;
          const updated = await trx
            .updateTable('krisenstab_dienst')
            .set({ ...next, version: version + 1 })
            .where('id', '=', before.id)
            .where('version', '=', version)
            .executeTakeFirst();
          if (Number(updated.numUpdatedRows) !== 1) throw versionConflict();
        } else {
          rowId = newId();
          const inserted = await trx
            .insertInto('krisenstab_dienst')
            .values({
              id: rowId,
              authority_ags: ags,
              family_id: familyId,
              office_type: officeType,
              position: 0,
              created_at: nowIso,
              version: 1,
              ...next,
            })
            .onConflict((oc) => oc.columns(['authority_ags', 'family_id']).doNothing())
            .returning('id')
            .executeTakeFirst();
          if (!inserted) throw versionConflict();
        }
        await recordChange(trx, {
          dienstId: rowId,
          ags,
          before,
          after: next,
          principal,
          at: nowIso,
        });
        const lage = await this.lage(ags, trx);
        const saved = await trx
          .selectFrom('krisenstab_dienst')
          .selectAll()
          .where('id', '=', rowId)
          .executeTakeFirstOrThrow();
        return {
          statusCode: before ? 200 : 201,
          body: presentDienst(saved, ags, lage, this.deps.now(), principal),
        };
      },
    );
  }

  /** Adds a free entry (crisis team; the Amtsleitung for its own office). */
  async create(
    principal: Principal,
    ags: string,
    body: { officeType?: OfficeType | null | undefined; dienst: DienstInput },
    idem: IdempotentRequest,
  ): Promise<IdempotentResult> {
    await this.authority(ags);
    const officeType = body.officeType ?? null;
    if (!canEditService(principal, ags, officeType)) {
      throw forbidden('Dienste anlegen dürfen nur der Krisenstab und die Amtsleitung (für ihr Amt).');
    }
    const input = await this.checkAusweich(body.dienst);
    const nowIso = this.deps.now().toISOString();
    return runIdempotent(
      this.deps.db,
      idem,
      () => nowIso,
      async (trx) => {
        const count = await trx
          .selectFrom('krisenstab_dienst')
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .where('authority_ags', '=', ags)
          .where('family_id', 'is', null)
          .executeTakeFirstOrThrow();
        if (Number(count.n) >= 100) {
          throw new AppError(
            'ACTION_NOT_ALLOWED',
            'Zu viele Einträge',
            'Eine Behörde kann höchstens 100 eigene Dienste führen.',
          );
        }
        const id = newId();
        const next = rowFrom(input, undefined, nowIso, principal.userId);
        await trx
          .insertInto('krisenstab_dienst')
          .values({
            id,
            authority_ags: ags,
            family_id: null,
            office_type: officeType,
            position: Number(count.n) + 1,
            created_at: nowIso,
            version: 1,
            ...next,
          })
          .execute();
        await recordChange(trx, { dienstId: id, ags, before: undefined, after: next, principal, at: nowIso });
        const lage = await this.lage(ags, trx);
        const saved = await trx
          .selectFrom('krisenstab_dienst')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        return { statusCode: 201, body: presentDienst(saved, ags, lage, this.deps.now(), principal) };
      },
    );
  }

  /** The authority's situation (outage start, public notice, contact): crisis team only. */
  async saveLage(
    principal: Principal,
    ags: string,
    body: { expectedVersion: number; lage: LageInput },
    idem: IdempotentRequest,
  ): Promise<IdempotentResult> {
    await this.authority(ags);
    if (!principal.isCrisisTeam) {
      throw forbidden('Ausfallzeitpunkt und Bürgerhinweis pflegt der Krisenstab.');
    }
    const nowIso = this.deps.now().toISOString();
    const l = body.lage;
    return runIdempotent(
      this.deps.db,
      idem,
      () => nowIso,
      async (trx) => {
        const before = await trx
          .selectFrom('krisenstab_lage')
          .selectAll()
          .where('authority_ags', '=', ags)
          .executeTakeFirst();
        const version = before?.version ?? 0;
        if (version !== body.expectedVersion) throw versionConflict();
        const values = {
          ausfall_seit: l.ausfallSeit ? new Date(l.ausfallSeit).toISOString() : null,
          hinweis: l.hinweis ?? null,
          buergertelefon: l.buergertelefon ?? null,
          kontakt_email: l.kontaktEmail ?? null,
          updated_at: nowIso,
          updated_by: principal.userId,
        };
        if (before) {
          const r = await trx
            .updateTable('krisenstab_lage')
            .set({ ...values, version: version + 1 })
            .where('authority_ags', '=', ags)
            .where('version', '=', version)
            .executeTakeFirst();
          if (Number(r.numUpdatedRows) !== 1) throw versionConflict();
        } else {
          const r = await trx
            .insertInto('krisenstab_lage')
            .values({ authority_ags: ags, version: 1, ...values })
            .onConflict((oc) => oc.column('authority_ags').doNothing())
            .returning('authority_ags')
            .executeTakeFirst();
          if (!r) throw versionConflict();
        }
        return { statusCode: 200, body: await this.lage(ags, trx) };
      },
    );
  }
}

/** The stored columns of an entry after a save; status and emergency start follow the rules. */
function rowFrom(input: DienstInput, before: DienstRow | undefined, nowIso: string, actor: string) {
  const status = input.status ?? null;
  const statusChanged = (before?.status ?? null) !== status;
  let notbetriebSeit = before?.notbetrieb_seit ?? null;
  if (input.notbetriebSeit !== undefined) {
    notbetriebSeit = input.notbetriebSeit ? new Date(input.notbetriebSeit).toISOString() : null;
  } else if (status && EMERGENCY_OFFERED.includes(status) && !notbetriebSeit) {
    notbetriebSeit = nowIso;
  }
  return {
    title: input.title,
    status,
    status_seit: statusChanged ? (status ? nowIso : null) : (before?.status_seit ?? null),
    notbetrieb_seit: notbetriebSeit,
    ort: input.ort ?? null,
    zeiten: input.zeiten ?? null,
    ausweich_ags: input.ausweichAgs ?? null,
    ausweich_name: input.ausweichName ?? null,
    hotline: input.hotline ?? null,
    hinweis: input.hinweis ?? null,
    mta_stunden: input.mtaStunden ?? null,
    waz_stunden: input.wazStunden ?? null,
    niveau_prozent: input.niveauProzent ?? null,
    oeffentlich: input.oeffentlich ? 1 : 0,
    updated_at: nowIso,
    updated_by: actor,
  };
}

const TRACKED = [
  'title',
  'status',
  'notbetrieb_seit',
  'ort',
  'zeiten',
  'ausweich_ags',
  'ausweich_name',
  'hotline',
  'hinweis',
  'mta_stunden',
  'waz_stunden',
  'niveau_prozent',
  'oeffentlich',
] as const;

async function recordChange(
  trx: Transaction<Database>,
  c: {
    dienstId: string;
    ags: string;
    before: DienstRow | undefined;
    after: ReturnType<typeof rowFrom>;
    principal: Principal;
    at: string;
  },
): Promise<void> {
  const changes: Record<string, [unknown, unknown]> = {};
  for (const f of TRACKED) {
    const was = c.before ? c.before[f] : null;
    const is = c.after[f];
    if (was !== is) changes[f] = [was, is];
  }
  if (Object.keys(changes).length === 0) return;
  await trx
    .insertInto('krisenstab_dienst_aenderung')
    .values({
      id: newId(),
      dienst_id: c.dienstId,
      authority_ags: c.ags,
      at: c.at,
      actor: c.principal.userId,
      actor_name: c.principal.displayName,
      changes: JSON.stringify(changes),
    })
    .execute();
}
