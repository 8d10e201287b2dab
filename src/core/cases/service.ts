import { type Kysely, PostgresAdapter, sql, type Transaction } from 'kysely';
import { z } from 'zod';
import { placeholdersFor, precompiled } from '../../db/precompiled.js';
import type { CaseActionRow, CaseRow, Database } from '../../db/types.js';
import { canRead, hasRole, type Principal, readableScopes } from '../access.js';
import { appendParams } from '../audit/log.js';
import { todayInGermany } from '../dates.js';
import { AppError, fieldErrorsFromIssues, forbidden, notFound, validationFailed } from '../errors.js';
import { fourEyesViolation } from '../four-eyes.js';
import type { WriteAudit } from '../http.js';
import { type IdempotentRequest, type IdempotentResult, runIdempotent, withReplay } from '../idempotency.js';
import { newId } from '../ids.js';
import type { ActionDefinition, ProcedureDefinition } from '../procedure.js';
import type { ProcedureRegistry } from '../procedure-registry.js';
import { foldForSearch } from '../text.js';
import { pgActOnCase, pgCreateCase } from './fast-path.js';
import { type ListCasesFilter, listCases } from './list.js';
import { type CaseView, presentCase, presentCaseListItem } from './presenter.js';
import { applyAction, type ReplayedState } from './replay.js';

/**
 * Runs last inside a case write's transaction (e.g. the request's audit entry, so that the write
 * and its audit row commit together); `chain` is the audit chain of the write (the case's
 * authority). A hook that is only the request's audit entry carries it as `audit`
 * (core/http.ts auditWriteIn), so that a case write may put it into its own statement instead.
 */
export type InTransactionHook = ((
  trx: Transaction<Database>,
  status: number,
  targets: Record<string, string>,
  chain?: string,
) => Promise<void>) & { audit?: WriteAudit };

export interface CaseServiceDeps {
  db: Kysely<Database>;
  registry: ProcedureRegistry;
  installationId: string;
  now: () => Date;
  /** Where the list count stops ("mehr als …"); default COUNT_LIMIT (src/core/cases/list.ts). */
  countLimit?: number;
  /** Tests only: the match counts at which a free-text page changes its strategy (list.ts). */
  textLimits?: { join: number; set: number };
}

export interface CreateCaseInput {
  procedureId: string;
  authorityAgs: string;
  data: unknown;
}

export interface PerformActionInput {
  caseId: string;
  actionId: string;
  expectedVersion: number;
  payload: unknown;
}

export { type ListCasesFilter, SORT_FIELDS, type SortField } from './list.js';

export class CaseService {
  constructor(private readonly deps: CaseServiceDeps) {}

  private today(): string {
    return todayInGermany(this.deps.now());
  }

  private nowIso(): string {
    return this.deps.now().toISOString();
  }

  procedure(id: string): ProcedureDefinition {
    const def = this.deps.registry.get(id);
    if (!def) {
      throw new AppError('UNKNOWN_PROCEDURE', 'Verfahren unbekannt', `Ein Verfahren "${id}" gibt es nicht.`);
    }
    return def;
  }

  private validate(schema: z.ZodType, value: unknown, prefix: string): unknown {
    let parsed: ReturnType<z.ZodType['safeParse']>;
    try {
      parsed = schema.safeParse(value);
    } catch {
      // A cross-field rule (superRefine) that zod still runs on data that failed a field check can
      // trip over the malformed value: that is bad input, not a server error.
      throw validationFailed(
        [{ path: prefix, message: 'Die Angaben haben nicht die erwartete Form.' }],
        'Die Angaben haben nicht die erwartete Form und wurden nicht verarbeitet.',
      );
    }
    if (!parsed.success) throw validationFailed(fieldErrorsFromIssues(parsed.error.issues, prefix));
    return parsed.data;
  }

  /** The folded search texts of a case's data (without its Aktenzeichen). */
  private searchParts(def: ProcedureDefinition, data: unknown): string[] {
    return def
      .searchText(data)
      .filter((s): s is string => typeof s === 'string' && s.length > 0)
      .map(foldForSearch);
  }

  /** Fields of the case row that follow from its replayed state. */
  private snapshot(def: ProcedureDefinition, state: ReplayedState, recordedOn: string, aktenzeichen: string) {
    const final = def.states[state.status]?.final === true;
    const deadlineOpen = def.deadline && !final && def.deadline.openIn.includes(state.status);
    const deadline = deadlineOpen ? (def.deadline?.compute(state.data, { recordedOn }) ?? null) : null;
    const search = [foldForSearch(aktenzeichen), ...this.searchParts(def, state.data)].join(' | ');
    return {
      status: state.status,
      version: state.version,
      data: JSON.stringify(state.data),
      deadline,
      deadline_label: deadline ? (def.deadline?.label ?? null) : null,
      search_text: search,
      is_open: final ? 0 : 1,
    };
  }

  async create(
    principal: Principal,
    input: CreateCaseInput,
    idem: IdempotentRequest,
    inTransaction?: InTransactionHook,
  ): Promise<IdempotentResult> {
    const def = this.procedure(input.procedureId);
    const scope = { authorityAgs: input.authorityAgs, officeType: def.office };
    if (!hasRole(principal, scope, def.create.roles)) {
      throw forbidden(
        `Sie dürfen für diese Behörde (${input.authorityAgs}) keine Vorgänge „${def.title}" anlegen.`,
      );
    }
    const office = await officeOf.first(this.deps.db, {
      authorityAgs: input.authorityAgs,
      officeType: def.office,
    });
    if (!office) throw notFound(`Das zuständige Amt bei der Behörde ${input.authorityAgs}`);
    const data = this.validate(def.form.schema, input.data, 'data');
    const audit = inTransaction?.audit;
    if (
      this.postgres &&
      audit &&
      !this.deps.registry.hook(def.id, def.create.id) &&
      foldForSearch(`${def.aktenzeichenCode} 1/2000`) === `${foldForSearch(def.aktenzeichenCode)} 1/2000`
    ) {
      return withReplay(this.deps.db, idem, () =>
        this.createInOneStatement(principal, def, input, data, office.authority_name, idem, audit),
      );
    }

    return runIdempotent(
      this.deps.db,
      idem,
      () => this.nowIso(),
      async (trx) => {
        const now = this.deps.now();
        const nowIso = now.toISOString();
        const today = todayInGermany(now);
        const year = Number(today.slice(0, 4));
        const seq = await nextNumber(trx, input.authorityAgs, def.id, year);
        const aktenzeichen = `${def.aktenzeichenCode} ${seq}/${year}`;
        const id = newId();
        const createHook = this.deps.registry.hook(def.id, def.create.id);
        const prepared = createHook
          ? await createHook({
              trx,
              case: {
                id,
                procedureId: def.id,
                authorityAgs: input.authorityAgs,
                officeType: def.office,
                aktenzeichen,
                status: def.create.to,
                data,
              },
              payload: data,
              today,
              now,
              actor: principal.userId,
            })
          : data;
        const state = applyAction(def, undefined, { action: def.create.id, payload: prepared, day: today });
        const { row, action } = this.newCase(principal, def, input, {
          id,
          year,
          seq,
          aktenzeichen,
          state,
          payload: prepared,
          recordedOn: today,
          nowIso,
          key: idem.key,
        });
        await insertCase.affected(trx, row);
        await insertAction.affected(trx, action);
        // The view from what was just written (no re-read): the same rows a read would return.
        const body = presentCase(
          def,
          { ...row, authority_name: office.authority_name },
          [action],
          principal,
          today,
        );
        await inTransaction?.(trx, 201, { caseId: id }, input.authorityAgs);
        return { statusCode: 201, body };
      },
    );
  }

  async act(
    principal: Principal,
    input: PerformActionInput,
    idem: IdempotentRequest,
    inTransaction?: InTransactionHook,
  ): Promise<IdempotentResult> {
    const row = await caseWithAuthority.first(this.deps.db, { id: input.caseId });
    if (!row) throw notFound('Der Vorgang');
    const scope = { authorityAgs: row.authority_ags, officeType: row.office_type as never };
    if (!canRead(principal, scope))
      throw forbidden('Dieser Vorgang gehört zu einem Amt, für das Sie nicht berechtigt sind.');
    const def = this.procedure(row.procedure_id);
    const action = def.actions.find((a) => a.id === input.actionId) as ActionDefinition | undefined;
    if (!action) throw notFound(`Die Aktion „${input.actionId}" im Verfahren „${def.title}"`);
    if (!hasRole(principal, scope, action.roles)) {
      throw forbidden(`Die Aktion „${action.label}" ist Ihrer Rolle nicht erlaubt.`);
    }

    const audit = inTransaction?.audit;
    if (this.postgres && audit && !action.fourEyes && !this.deps.registry.hook(def.id, action.id)) {
      return withReplay(this.deps.db, idem, () =>
        this.actInOneStatement(principal, def, action, row, input, idem, audit),
      );
    }

    // A retry of an action that already went through returns its result, even though the case has
    // moved on since: withReplay looks the key up when the write fails (version conflict).
    return runIdempotent(
      this.deps.db,
      idem,
      () => this.nowIso(),
      async (trx) => {
        const current = await caseWithAuthority.first(trx, { id: input.caseId });
        if (!current) throw notFound('Der Vorgang');
        if (current.version !== input.expectedVersion)
          throw versionConflict(current.version, input.expectedVersion);
        if (!action.from.includes(current.status)) throw actionNotAllowed(def, action, current.status);
        if (action.fourEyes) await requireFourEyes(trx, def, action, current.id, principal.userId);
        const validated = action.payload
          ? this.validate(action.payload, input.payload, 'payload')
          : this.validate(emptyPayload, input.payload ?? {}, 'payload');
        const now = this.deps.now();
        const nowIso = now.toISOString();
        const today = todayInGermany(now);
        const before: ReplayedState = {
          status: current.status,
          data: JSON.parse(current.data),
          version: current.version,
        };
        // The action's transactional hook (register numbers, bookings, refusals): what it returns
        // is the payload stored with the action, so replay stays a pure function of the actions.
        const actionHook = this.deps.registry.hook(def.id, action.id);
        const payload = actionHook
          ? await actionHook({
              trx,
              case: {
                id: current.id,
                procedureId: current.procedure_id,
                authorityAgs: current.authority_ags,
                officeType: current.office_type,
                aktenzeichen: current.aktenzeichen,
                status: current.status,
                data: before.data,
              },
              payload: validated,
              today,
              now,
              actor: principal.userId,
            })
          : validated;
        const after = applyAction(def, before, { action: action.id, payload, day: today });
        const recordedOn = todayInGermany(new Date(current.created_at));
        const snapshot = {
          ...this.snapshot(def, after, recordedOn, current.aktenzeichen),
          updated_at: nowIso,
        };
        const updated = await updateCase.affected(trx, {
          ...snapshot,
          id: current.id,
          expectedVersion: input.expectedVersion,
        });
        if (updated !== 1) throw versionConflict(undefined, input.expectedVersion);
        await insertAction.affected(trx, {
          id: newId(),
          case_id: current.id,
          seq: after.version,
          action: action.id,
          payload: JSON.stringify(payload),
          status_after: after.status,
          actor: principal.userId,
          actor_name: principal.displayName,
          idempotency_key: idem.key,
          created_at: nowIso,
        } satisfies CaseActionRow);
        const actions = await actionsOfCase.rows(trx, { caseId: current.id });
        const body = presentCase(def, { ...current, ...snapshot }, actions, principal, today);
        await inTransaction?.(trx, 200, { caseId: current.id }, current.authority_ags);
        return { statusCode: 200, body };
      },
    );
  }

  private get postgres(): boolean {
    return this.deps.db.getExecutor().adapter instanceof PostgresAdapter;
  }

  /** The case row and its first action of a create. */
  private newCase(
    principal: Principal,
    def: ProcedureDefinition,
    input: CreateCaseInput,
    c: {
      id: string;
      year: number;
      seq: number;
      aktenzeichen: string;
      state: ReplayedState;
      payload: unknown;
      recordedOn: string;
      nowIso: string;
      key: string;
    },
  ): { row: CaseRow; action: CaseActionRow } {
    const row: CaseRow = {
      id: c.id,
      installation_id: this.deps.installationId,
      procedure_id: def.id,
      procedure_version: def.version,
      authority_ags: input.authorityAgs,
      office_type: def.office,
      year: c.year,
      seq: c.seq,
      aktenzeichen: c.aktenzeichen,
      ...this.snapshot(def, c.state, c.recordedOn, c.aktenzeichen),
      created_at: c.nowIso,
      updated_at: c.nowIso,
      created_by: principal.userId,
    };
    const action: CaseActionRow = {
      id: newId(),
      case_id: c.id,
      seq: 1,
      action: def.create.id,
      payload: JSON.stringify(c.payload),
      status_after: c.state.status,
      actor: principal.userId,
      actor_name: principal.displayName,
      idempotency_key: c.key,
      created_at: c.nowIso,
    };
    return { row, action };
  }

  /** PostgreSQL: a create as one statement (fast-path.ts); the checks were made by `create`. */
  private async createInOneStatement(
    principal: Principal,
    def: ProcedureDefinition,
    input: CreateCaseInput,
    data: unknown,
    authorityName: string,
    idem: IdempotentRequest,
    audit: WriteAudit,
  ): Promise<IdempotentResult> {
    const now = this.deps.now();
    const nowIso = now.toISOString();
    const today = todayInGermany(now);
    const year = Number(today.slice(0, 4));
    const id = newId();
    const state = applyAction(def, undefined, { action: def.create.id, payload: data, day: today });
    // The number is drawn in the statement: Aktenzeichen, search text and response are completed there.
    const pending = `${def.aktenzeichenCode} ?/${year}`;
    const parts = this.searchParts(def, state.data);
    const { row, action } = this.newCase(principal, def, input, {
      id,
      year,
      seq: 0,
      aktenzeichen: pending,
      state,
      payload: data,
      recordedOn: today,
      nowIso,
      key: idem.key,
    });
    const { aktenzeichen: _pending, ...rest } = presentCase(
      def,
      { ...row, authority_name: authorityName },
      [action],
      principal,
      today,
    );
    const entry = audit.entry(201, { caseId: id }, input.authorityAgs);
    if (!entry) throw new Error('case write without a user to audit');
    const written = await pgCreateCase.first(this.deps.db, {
      ...row,
      aktenzeichenCode: def.aktenzeichenCode,
      searchPrefix: foldForSearch(def.aktenzeichenCode),
      searchRest: parts.length ? ` | ${parts.join(' | ')}` : '',
      actionId: action.id,
      action: action.action,
      payload: action.payload,
      actorName: action.actor_name,
      key: idem.key,
      scope: idem.scope,
      requestHash: idem.requestHash,
      responseRest: JSON.stringify(rest),
      keyCreatedAt: nowIso,
      ...appendParams(entry, audit.now()),
    });
    if (!written) throw new Error('case create: no row returned');
    const aktenzeichen = `${def.aktenzeichenCode} ${Number(written.seq)}/${year}`;
    return { statusCode: 201, body: { aktenzeichen, ...rest }, replayed: false };
  }

  /** PostgreSQL: an action as one statement (fast-path.ts); permissions were checked by `act`. */
  private async actInOneStatement(
    principal: Principal,
    def: ProcedureDefinition,
    action: ActionDefinition,
    current: CaseRow & { authority_name: string },
    input: PerformActionInput,
    idem: IdempotentRequest,
    audit: WriteAudit,
  ): Promise<IdempotentResult> {
    if (current.version !== input.expectedVersion)
      throw versionConflict(current.version, input.expectedVersion);
    if (!action.from.includes(current.status)) throw actionNotAllowed(def, action, current.status);
    const validated = action.payload
      ? this.validate(action.payload, input.payload, 'payload')
      : this.validate(emptyPayload, input.payload ?? {}, 'payload');
    // Read after the case row: when the update below finds the version read, these are all its actions.
    const actions = await actionsOfCase.rows(this.deps.db, { caseId: current.id });
    if (actions.length !== current.version) throw versionConflict(undefined, input.expectedVersion);
    const now = this.deps.now();
    const nowIso = now.toISOString();
    const today = todayInGermany(now);
    const before: ReplayedState = {
      status: current.status,
      data: JSON.parse(current.data),
      version: current.version,
    };
    const after = applyAction(def, before, { action: action.id, payload: validated, day: today });
    const recordedOn = todayInGermany(new Date(current.created_at));
    const snapshot = { ...this.snapshot(def, after, recordedOn, current.aktenzeichen), updated_at: nowIso };
    const added: CaseActionRow = {
      id: newId(),
      case_id: current.id,
      seq: after.version,
      action: action.id,
      payload: JSON.stringify(validated),
      status_after: after.status,
      actor: principal.userId,
      actor_name: principal.displayName,
      idempotency_key: idem.key,
      created_at: nowIso,
    };
    const body = presentCase(def, { ...current, ...snapshot }, [...actions, added], principal, today);
    const entry = audit.entry(200, { caseId: current.id }, current.authority_ags);
    if (!entry) throw new Error('case write without a user to audit');
    const written = await pgActOnCase.first(this.deps.db, {
      ...snapshot,
      id: current.id,
      expectedVersion: input.expectedVersion,
      actionId: added.id,
      action: added.action,
      payload: added.payload,
      actor: added.actor,
      actorName: added.actor_name,
      key: idem.key,
      scope: idem.scope,
      requestHash: idem.requestHash,
      response: JSON.stringify(body),
      keyCreatedAt: nowIso,
      ...appendParams(entry, audit.now()),
    });
    if (Number(written?.updated ?? 0) !== 1) throw versionConflict(undefined, input.expectedVersion);
    return { statusCode: 200, body, replayed: false };
  }

  async get(principal: Principal, id: string): Promise<CaseView> {
    const row = await caseWithAuthority.first(this.deps.db, { id });
    if (!row) throw notFound('Der Vorgang');
    if (!canRead(principal, { authorityAgs: row.authority_ags, officeType: row.office_type as never })) {
      throw forbidden('Dieser Vorgang gehört zu einem Amt, für das Sie nicht berechtigt sind.');
    }
    const actions = await actionsOfCase.rows(this.deps.db, { caseId: id });
    return presentCase(this.procedure(row.procedure_id), row, actions, principal, this.today());
  }

  async list(principal: Principal, f: ListCasesFilter) {
    const today = this.today();
    const page = await listCases(
      {
        db: this.deps.db,
        registry: this.deps.registry,
        countLimit: this.deps.countLimit,
        textLimits: this.deps.textLimits,
      },
      readableScopes(principal),
      f,
      today,
    );
    return {
      items: page.rows.map((r) => presentCaseListItem(this.procedure(r.procedure_id), r, today)),
      total: page.total,
      totalCapped: page.totalCapped,
      nextCursor: page.nextCursor,
      page: f.page,
      pageSize: f.pageSize,
    };
  }
}

const emptyPayload = z.object({}).strict();

// The statements of case writes and reads, built once (see src/db/precompiled.ts).
const CASE_COLUMNS = [
  'id',
  'installation_id',
  'procedure_id',
  'procedure_version',
  'authority_ags',
  'office_type',
  'year',
  'seq',
  'aktenzeichen',
  'status',
  'version',
  'data',
  'deadline',
  'deadline_label',
  'search_text',
  'is_open',
  'created_at',
  'updated_at',
  'created_by',
] as const satisfies ReadonlyArray<keyof CaseRow>;
const ACTION_COLUMNS = [
  'id',
  'case_id',
  'seq',
  'action',
  'payload',
  'status_after',
  'actor',
  'actor_name',
  'idempotency_key',
  'created_at',
] as const satisfies ReadonlyArray<keyof CaseActionRow>;

const officeOf = precompiled((db, p) =>
  db
    .selectFrom('office')
    .innerJoin('authority', 'authority.ags', 'office.authority_ags')
    .select(['office.id', 'authority.name as authority_name'])
    .where('office.authority_ags', '=', p<string>('authorityAgs'))
    .where('office.office_type', '=', p<string>('officeType')),
);
const caseWithAuthority = precompiled((db, p) =>
  db
    .selectFrom('cases')
    .innerJoin('authority', 'authority.ags', 'cases.authority_ags')
    .selectAll('cases')
    .select('authority.name as authority_name')
    .where('cases.id', '=', p<string>('id')),
);
const actionsOfCase = precompiled((db, p) =>
  db.selectFrom('case_action').selectAll().where('case_id', '=', p<string>('caseId')).orderBy('seq'),
);
const insertCase = precompiled((db, p) => db.insertInto('cases').values(placeholdersFor(p, CASE_COLUMNS)));
const insertAction = precompiled((db, p) =>
  db.insertInto('case_action').values(placeholdersFor(p, ACTION_COLUMNS)),
);
const updateCase = precompiled((db, p) =>
  db
    .updateTable('cases')
    .set({
      status: p('status'),
      version: p('version'),
      data: p('data'),
      deadline: p('deadline'),
      deadline_label: p('deadline_label'),
      search_text: p('search_text'),
      is_open: p('is_open'),
      updated_at: p('updated_at'),
    })
    .where('id', '=', p<string>('id'))
    .where('version', '=', p<number>('expectedVersion')),
);
const nextCaseNumber = precompiled((db, p) =>
  db
    .insertInto('case_number_counter')
    .values({
      authority_ags: p<string>('authorityAgs'),
      procedure_id: p<string>('procedureId'),
      year: p<number>('year'),
      last_seq: 1,
    })
    .onConflict((oc) =>
      oc
        .columns(['authority_ags', 'procedure_id', 'year'])
        .doUpdateSet({ last_seq: sql`case_number_counter.last_seq + 1` }),
    )
    .returning('last_seq'),
);

/** ActionDefinition.fourEyes: refuses the action to the person who did the latest earlier step. */
async function requireFourEyes(
  trx: Transaction<Database>,
  def: ProcedureDefinition,
  action: ActionDefinition,
  caseId: string,
  userId: string,
): Promise<void> {
  const after = action.fourEyes?.after ?? [];
  if (after.length === 0) return;
  const earlier = await trx
    .selectFrom('case_action')
    .select(['actor', 'action'])
    .where('case_id', '=', caseId)
    .where('action', 'in', [...after])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (earlier && earlier.actor === userId) {
    const label =
      earlier.action === def.create.id
        ? def.create.label
        : (def.actions.find((a) => a.id === earlier.action)?.label ?? earlier.action);
    throw fourEyesViolation({ userId, label }, { userId, label: action.label });
  }
}

function actionNotAllowed(def: ProcedureDefinition, action: ActionDefinition, status: string): AppError {
  const label = def.states[status]?.label ?? status;
  return new AppError(
    'ACTION_NOT_ALLOWED',
    'Aktion im aktuellen Status nicht möglich',
    `„${action.label}" ist im Status „${label}" nicht möglich.`,
  );
}

function versionConflict(current: number | undefined, expected: number): AppError {
  return new AppError(
    'VERSION_CONFLICT',
    'Vorgang wurde inzwischen geändert',
    `Der Vorgang wurde inzwischen von jemand anderem bearbeitet${current !== undefined ? ` (Stand ${current}, Ihre Ansicht: Stand ${expected})` : ''}. Bitte die Seite neu laden und die Aktion erneut prüfen.`,
  );
}

/**
 * Next Aktenzeichen number for (authority, procedure, year), inside the case's transaction:
 * unique and without gaps, because the counter row is locked until the transaction ends and
 * rolls back with it. The upsert is atomic on PostgreSQL (ON CONFLICT) and on SQLite.
 */
async function nextNumber(
  trx: Transaction<Database>,
  authorityAgs: string,
  procedureId: string,
  year: number,
) {
  const row = await nextCaseNumber.first(trx, { authorityAgs, procedureId, year });
  if (!row) throw new Error('case number counter: no row returned');
  return Number(row.last_seq);
}
