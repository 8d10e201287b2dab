import { createHash } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../../db/types.js';
import { canRead, hasRole, type Principal, type Role, type Scope } from '../access.js';
import type { InTransactionHook } from '../cases/service.js';
import { bookEntry, type CashEntry, formatEuro } from '../cashjournal/journal.js';
import { addDays, formatGermanDate, isTargetBusinessDay, isValidIsoDate, todayInGermany } from '../dates.js';
import { AppError, forbidden, notFound, validationFailed } from '../errors.js';
import { fourEyesViolation } from '../four-eyes.js';
import { type IdempotentRequest, type IdempotentResult, runIdempotent } from '../idempotency.js';
import { newId } from '../ids.js';
import { monatText } from '../months.js';
import { isOfficeType, type OfficeType } from '../offices.js';
import {
  PAYMENT_STATUS_LABELS,
  type PaymentStatus,
  paymentStatusOf,
  RETURN_REASONS,
  type ReturnReason,
  RUN_STATUS_LABELS,
  type RunStatus,
} from './labels.js';
import {
  debtorProblems,
  normalizeIban,
  type PostalAddress,
  pain001Footer,
  pain001Header,
  pain001Transfer,
  type SepaDebtor,
  transferProblems,
} from './sepa.js';
import { type DuePayment, PAYMENT_METHOD_LABELS, type PaymentMethod, type PaymentSource } from './source.js';
import type { PaymentRunTable, PaymentTable } from './tables.js';
import './tables.js';

/**
 * Payment runs (Zahlungsläufe) for any office whose families contribute due payments
 * (source.ts). A run is prepared by one person (collect, check, claim), approved by another
 * (four eyes, for every role: checked in the approving transaction and by a CHECK constraint),
 * and then frozen: its SEPA pain.001.001.09 file is written once on approval and kept, so every
 * download returns the same bytes (SHA-256 in the view). Transfers the bank returns are recorded
 * and may be re-queued for the next run; cash payments are paid out through the cash journal.
 * See docs/PAYMENTS.md.
 */

export {
  PAYMENT_STATUS_LABELS,
  type PaymentStatus,
  RETURN_REASONS,
  type ReturnReason,
  RUN_STATUS_LABELS,
  type RunStatus,
} from './labels.js';

/** At most this many days ahead may a run be executed. */
export const MAX_EXECUTION_DAYS_AHEAD = 60;
/** Payments are claimed in batches of this size (bounded SQL parameters on both dialects). */
const BATCH = 400;

export interface SkippedPayment {
  caseId: string;
  aktenzeichen: string;
  purpose: string;
  amountCents: number;
  reasons: string[];
}

export interface PaymentRunView {
  id: string;
  authorityAgs: string;
  officeType: string;
  period: string | null;
  dueUntil: string;
  executionDate: string;
  status: RunStatus;
  statusLabel: string;
  msgId: string;
  debtor: { name: string; iban: string; bic: string | null; town: string; country: string } | null;
  transferCount: number;
  transferSumCents: number;
  cashCount: number;
  cashSumCents: number;
  skipped: SkippedPayment[];
  preparedAt: string;
  preparedBy: string;
  preparedByName: string;
  decidedAt: string | null;
  decidedBy: string | null;
  decidedByName: string | null;
  discardReason: string | null;
  file: { name: string; sha256: string; bytes: number; href: string } | null;
  returnedCount: number;
  /** Whether the reading person may approve it now (status, role, four eyes): a hint for the UI. */
  mayApprove: boolean;
}

export interface PaymentView {
  id: string;
  runId: string;
  seq: number;
  source: string;
  caseId: string;
  aktenzeichen: string;
  decisionRef: string;
  decisionLabel: string;
  period: string;
  dueOn: string;
  purpose: string;
  amountCents: number;
  method: PaymentMethod;
  methodLabel: string;
  payeeName: string;
  iban: string | null;
  bic: string | null;
  address: PostalAddress | null;
  remittance: string;
  endToEndId: string;
  status: PaymentStatus;
  statusLabel: string;
  returned: {
    reasonCode: string;
    reasonLabel: string;
    note: string | null;
    recordedAt: string;
    recordedByName: string;
  } | null;
  requeuedAt: string | null;
  cash: { cashEntryId: string; paidAt: string; paidByName: string } | null;
}

export interface PaymentAccountView {
  authorityAgs: string;
  officeType: string;
  name: string;
  iban: string;
  bic: string | null;
  town: string;
  country: string;
  updatedAt: string;
}

export interface PreparationInput {
  authorityAgs: string;
  officeType: string;
  /** Monthly run: the benefit month "YYYY-MM" (due until its first day). */
  month?: string;
  /** Run by date: payments due on or before this day. */
  dueUntil?: string;
  executionDate: string;
}

export interface PaymentServiceDeps {
  db: Kysely<Database>;
  sources: readonly PaymentSource[];
  installationId: string;
  now: () => Date;
}

const refuse = (title: string, detail: string) => new AppError('ACTION_NOT_ALLOWED', title, detail);

type Db = Kysely<Database> | Transaction<Database>;

function berlinDateTime(at: Date): string {
  // sv-SE formats as "YYYY-MM-DD hh:mm:ss".
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Berlin',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  })
    .format(at)
    .replace(' ', 'T');
}

function presentRun(
  r: Selected<PaymentRunTable>,
  file: { file_name: string; sha256: string; bytes: number } | undefined,
  returnedCount: number,
  principal: Principal,
): PaymentRunView {
  const status = r.status as RunStatus;
  const scope = { authorityAgs: r.authority_ags, officeType: r.office_type as OfficeType };
  return {
    id: r.id,
    authorityAgs: r.authority_ags,
    officeType: r.office_type,
    period: r.period,
    dueUntil: r.due_until,
    executionDate: r.execution_date,
    status,
    statusLabel: RUN_STATUS_LABELS[status] ?? status,
    msgId: r.msg_id,
    debtor:
      r.debtor_name && r.debtor_iban
        ? {
            name: r.debtor_name,
            iban: r.debtor_iban,
            bic: r.debtor_bic,
            town: r.debtor_town ?? '',
            country: r.debtor_country ?? '',
          }
        : null,
    transferCount: Number(r.transfer_count),
    transferSumCents: Number(r.transfer_sum_cents),
    cashCount: Number(r.cash_count),
    cashSumCents: Number(r.cash_sum_cents),
    skipped: JSON.parse(r.skipped) as SkippedPayment[],
    preparedAt: r.prepared_at,
    preparedBy: r.prepared_by,
    preparedByName: r.prepared_by_name,
    decidedAt: r.decided_at,
    decidedBy: r.decided_by,
    decidedByName: r.decided_by_name,
    discardReason: r.discard_reason,
    file: file
      ? {
          name: file.file_name,
          sha256: file.sha256,
          bytes: Number(file.bytes),
          href: `/api/payment-runs/${r.id}/file`,
        }
      : null,
    returnedCount,
    mayApprove:
      status === 'vorbereitet' &&
      r.prepared_by !== principal.userId &&
      hasRole(principal, scope, ['leitung']),
  };
}

type Selected<T> = Selectable<T>;

function presentPayment(
  p: Selected<PaymentTable>,
  runStatus: string,
  ret:
    | { reason_code: string; note: string | null; recorded_at: string; recorded_by_name: string }
    | undefined,
  requeuedAt: string | null | undefined,
  cash: { cash_entry_id: string; paid_at: string; paid_by_name: string } | undefined,
): PaymentView {
  const status = paymentStatusOf(runStatus, {
    returned: ret !== undefined,
    requeued: Boolean(requeuedAt),
    paidInCash: cash !== undefined,
  });
  const method = p.method as PaymentMethod;
  return {
    id: p.id,
    runId: p.run_id,
    seq: Number(p.seq),
    source: p.source,
    caseId: p.case_id,
    aktenzeichen: p.aktenzeichen,
    decisionRef: p.decision_ref,
    decisionLabel: p.decision_label,
    period: p.period,
    dueOn: p.due_on,
    purpose: p.purpose,
    amountCents: Number(p.amount_cents),
    method,
    methodLabel: PAYMENT_METHOD_LABELS[method] ?? method,
    payeeName: p.payee_name,
    iban: p.iban,
    bic: p.bic,
    address: p.town
      ? {
          street: p.street,
          buildingNumber: p.building_number,
          postcode: p.postcode,
          town: p.town,
          country: p.country ?? '',
          lines: p.address_lines ? (JSON.parse(p.address_lines) as string[]) : null,
        }
      : null,
    remittance: p.remittance,
    endToEndId: p.end_to_end_id,
    status,
    statusLabel: PAYMENT_STATUS_LABELS[status],
    returned: ret
      ? {
          reasonCode: ret.reason_code,
          reasonLabel: RETURN_REASONS[ret.reason_code as ReturnReason] ?? ret.reason_code,
          note: ret.note,
          recordedAt: ret.recorded_at,
          recordedByName: ret.recorded_by_name,
        }
      : null,
    requeuedAt: requeuedAt ?? null,
    cash: cash
      ? { cashEntryId: cash.cash_entry_id, paidAt: cash.paid_at, paidByName: cash.paid_by_name }
      : null,
  };
}

/** The unique-constraint violation of either dialect. */
function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string })?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export class PaymentService {
  constructor(private readonly deps: PaymentServiceDeps) {}

  private scopeOf(authorityAgs: string, officeType: string): Scope {
    if (!isOfficeType(officeType)) throw notFound('Das Amt');
    return { authorityAgs, officeType };
  }

  private require(principal: Principal, scope: Scope, roles: readonly Role[], what: string): void {
    if (!hasRole(principal, scope, roles)) throw forbidden(what);
  }

  private requireRead(principal: Principal, scope: Scope): void {
    if (!canRead(principal, scope))
      throw forbidden('Sie sind für die Zahlungen dieses Amts nicht berechtigt.');
  }

  private async runRow(db: Db, id: string) {
    const r = await db.selectFrom('payment_run').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw notFound('Der Zahlungslauf');
    return r;
  }

  private sourcesFor(officeType: string): PaymentSource[] {
    return this.deps.sources.filter((s) => (s.officeTypes as readonly string[]).includes(officeType));
  }

  // ---------------------------------------------------------------- the office's account

  async account(
    principal: Principal,
    authorityAgs: string,
    officeType: string,
  ): Promise<PaymentAccountView | null> {
    const scope = this.scopeOf(authorityAgs, officeType);
    this.requireRead(principal, scope);
    const a = await this.deps.db
      .selectFrom('payment_account')
      .selectAll()
      .where('authority_ags', '=', authorityAgs)
      .where('office_type', '=', officeType)
      .executeTakeFirst();
    return a
      ? {
          authorityAgs: a.authority_ags,
          officeType: a.office_type,
          name: a.name,
          iban: a.iban,
          bic: a.bic,
          town: a.town,
          country: a.country,
          updatedAt: a.updated_at,
        }
      : null;
  }

  /** Sets the office's paying account (Amtsleitung). Approved runs keep the account they were made with. */
  async setAccount(
    principal: Principal,
    input: { authorityAgs: string; officeType: string; account: SepaDebtor },
    idem: IdempotentRequest,
    inTransaction?: InTransactionHook,
  ): Promise<IdempotentResult> {
    const scope = this.scopeOf(input.authorityAgs, input.officeType);
    this.require(principal, scope, ['leitung'], 'Das Auftraggeberkonto legt die Amtsleitung fest.');
    const a = input.account;
    const problems = debtorProblems(a);
    if (problems.length) throw validationFailed(problems.map((message) => ({ path: 'account', message })));
    return runIdempotent(
      this.deps.db,
      idem,
      () => this.deps.now().toISOString(),
      async (trx) => {
        const row = {
          authority_ags: input.authorityAgs,
          office_type: input.officeType,
          name: a.name.trim(),
          iban: normalizeIban(a.iban) as string,
          bic: a.bic ? a.bic.toUpperCase() : null,
          town: a.town.trim(),
          country: a.country,
          updated_at: this.deps.now().toISOString(),
          updated_by: principal.userId,
        };
        await trx
          .insertInto('payment_account')
          .values(row)
          .onConflict((oc) =>
            oc.columns(['authority_ags', 'office_type']).doUpdateSet({
              name: row.name,
              iban: row.iban,
              bic: row.bic,
              town: row.town,
              country: row.country,
              updated_at: row.updated_at,
              updated_by: row.updated_by,
            }),
          )
          .execute();
        await inTransaction?.(trx, 200, {});
        return {
          statusCode: 200,
          body: {
            authorityAgs: row.authority_ags,
            officeType: row.office_type,
            name: row.name,
            iban: row.iban,
            bic: row.bic,
            town: row.town,
            country: row.country,
            updatedAt: row.updated_at,
          } satisfies PaymentAccountView,
        };
      },
    );
  }

  // ---------------------------------------------------------------- runs

  async list(principal: Principal, authorityAgs: string, officeType: string): Promise<PaymentRunView[]> {
    const scope = this.scopeOf(authorityAgs, officeType);
    this.requireRead(principal, scope);
    const rows = await this.deps.db
      .selectFrom('payment_run')
      .selectAll()
      .where('authority_ags', '=', authorityAgs)
      .where('office_type', '=', officeType)
      .orderBy('prepared_at', 'desc')
      .limit(200)
      .execute();
    const files = await this.filesOf(rows.map((r) => r.id));
    const returned = await this.returnedCounts(rows.map((r) => r.id));
    return rows.map((r) => presentRun(r, files.get(r.id), returned.get(r.id) ?? 0, principal));
  }

  private async filesOf(runIds: string[]) {
    if (runIds.length === 0) return new Map<string, { file_name: string; sha256: string; bytes: number }>();
    const rows = await this.deps.db
      .selectFrom('payment_file')
      .select(['run_id', 'file_name', 'sha256', 'bytes'])
      .where('run_id', 'in', runIds)
      .execute();
    return new Map(rows.map((r) => [r.run_id, r]));
  }

  private async returnedCounts(runIds: string[]) {
    if (runIds.length === 0) return new Map<string, number>();
    const rows = await this.deps.db
      .selectFrom('payment_return')
      .innerJoin('payment', 'payment.id', 'payment_return.payment_id')
      .select(['payment.run_id', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('payment.run_id', 'in', runIds)
      .groupBy('payment.run_id')
      .execute();
    return new Map(rows.map((r) => [r.run_id, Number(r.n)]));
  }

  async get(principal: Principal, id: string, db: Db = this.deps.db): Promise<PaymentRunView> {
    const r = await this.runRow(db, id);
    this.requireRead(principal, this.scopeOf(r.authority_ags, r.office_type));
    const file = await db
      .selectFrom('payment_file')
      .select(['file_name', 'sha256', 'bytes'])
      .where('run_id', '=', id)
      .executeTakeFirst();
    const returned = await db
      .selectFrom('payment_return')
      .innerJoin('payment', 'payment.id', 'payment_return.payment_id')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('payment.run_id', '=', id)
      .executeTakeFirstOrThrow();
    return presentRun(r, file, Number(returned.n), principal);
  }

  /**
   * Prepares a run: asks every source of the office for the payments due, checks each (IBAN, BIC,
   * structured address, amount), claims the obligations no live run holds, and records the run
   * with its totals — all in one transaction. Nothing due: refused, nothing recorded.
   */
  async prepare(
    principal: Principal,
    input: PreparationInput,
    idem: IdempotentRequest,
    inTransaction?: InTransactionHook,
  ): Promise<IdempotentResult> {
    const scope = this.scopeOf(input.authorityAgs, input.officeType);
    this.require(
      principal,
      scope,
      ['sachbearbeitung'],
      'Sie dürfen für dieses Amt keine Zahlungsläufe vorbereiten.',
    );
    const today = todayInGermany(this.deps.now());
    const { dueUntil, period } = this.dueOf(input);
    this.checkExecutionDate(input.executionDate, today, 'executionDate');
    const sources = this.sourcesFor(input.officeType);
    if (sources.length === 0) {
      throw refuse('Keine Zahlungen vorgesehen', 'Für dieses Amt gibt es keine Verfahren mit Zahlungen.');
    }
    const office = await this.deps.db
      .selectFrom('office')
      .innerJoin('authority', 'authority.ags', 'office.authority_ags')
      .select(['authority.name'])
      .where('office.authority_ags', '=', input.authorityAgs)
      .where('office.office_type', '=', input.officeType)
      .executeTakeFirst();
    if (!office) throw notFound(`Das Amt bei der Behörde ${input.authorityAgs}`);

    return runIdempotent(
      this.deps.db,
      idem,
      () => this.deps.now().toISOString(),
      async (trx) => {
        const now = this.deps.now();
        const nowIso = now.toISOString();
        const id = newId();
        const account = await trx
          .selectFrom('payment_account')
          .selectAll()
          .where('authority_ags', '=', input.authorityAgs)
          .where('office_type', '=', input.officeType)
          .executeTakeFirst();
        await trx
          .insertInto('payment_run')
          .values({
            id,
            installation_id: this.deps.installationId,
            authority_ags: input.authorityAgs,
            office_type: input.officeType,
            period,
            due_until: dueUntil,
            execution_date: input.executionDate,
            status: 'vorbereitet',
            msg_id: `NB${id.replace(/-/g, '')}`,
            debtor_name: account?.name ?? null,
            debtor_iban: account?.iban ?? null,
            debtor_bic: account?.bic ?? null,
            debtor_town: account?.town ?? null,
            debtor_country: account?.country ?? null,
            transfer_count: 0,
            transfer_sum_cents: 0,
            cash_count: 0,
            cash_sum_cents: 0,
            skipped: '[]',
            prepared_at: nowIso,
            prepared_by: principal.userId,
            prepared_by_name: principal.displayName,
          })
          .execute();

        const skipped: SkippedPayment[] = [];
        const totals = { transfers: 0, transferSum: 0, cash: 0, cashSum: 0, seq: 0 };
        let batch: DuePayment[] = [];
        const seen = new Set<string>();
        const flush = async () => {
          if (batch.length === 0) return;
          const taken = await this.claimAndInsert(trx, id, batch, totals, nowIso);
          batch = [];
          return taken;
        };
        const query = {
          authorityAgs: input.authorityAgs,
          officeType: scope.officeType,
          dueUntil,
          period,
          today,
        };
        for (const source of sources) {
          for await (const due of source.due(trx, query)) {
            if (due.dueOn > dueUntil || seen.has(due.key)) continue;
            seen.add(due.key);
            const problems = this.problemsOf(due);
            if (problems.length) {
              skipped.push({
                caseId: due.caseId,
                aktenzeichen: due.aktenzeichen,
                purpose: due.purpose,
                amountCents: due.amountCents,
                reasons: problems,
              });
              continue;
            }
            batch.push({ ...due, source: source.id } as DuePayment & { source: string });
            if (batch.length >= BATCH) await flush();
          }
        }
        await flush();
        if (totals.seq === 0) {
          throw refuse(
            'Nichts zu zahlen',
            skipped.length
              ? `Es ist keine Zahlung fällig, die nicht schon in einem Lauf ist; ${skipped.length} fällige Zahlung(en) konnten wegen fehlerhafter Angaben nicht aufgenommen werden (${skipped
                  .slice(0, 3)
                  .map((s) => `${s.aktenzeichen}: ${s.reasons.join(' ')}`)
                  .join('; ')}).`
              : 'Bis zu diesem Tag ist keine Zahlung fällig, die nicht schon in einem Zahlungslauf enthalten ist.',
          );
        }
        if (totals.transfers > 0) {
          const debtor = account
            ? debtorProblems({
                name: account.name,
                iban: account.iban,
                bic: account.bic,
                town: account.town,
                country: account.country,
              })
            : ['Es ist kein Auftraggeberkonto hinterlegt.'];
          if (debtor.length) {
            throw refuse(
              'Auftraggeberkonto fehlt',
              `Für Überweisungen braucht der Lauf das Konto des Amts: ${debtor.join(' ')} Die Amtsleitung hinterlegt es auf der Seite „Zahlungsläufe".`,
            );
          }
        }
        await trx
          .updateTable('payment_run')
          .set({
            transfer_count: totals.transfers,
            transfer_sum_cents: totals.transferSum,
            cash_count: totals.cash,
            cash_sum_cents: totals.cashSum,
            skipped: JSON.stringify(skipped),
          })
          .where('id', '=', id)
          .execute();
        await inTransaction?.(trx, 201, { paymentRunId: id });
        return { statusCode: 201, body: await this.get(principal, id, trx) };
      },
    );
  }

  private dueOf(input: PreparationInput): { dueUntil: string; period: string | null } {
    if (input.month && input.dueUntil) {
      throw validationFailed([
        { path: 'month', message: 'Bitte entweder einen Monat oder einen Stichtag angeben, nicht beides.' },
      ]);
    }
    if (input.month) {
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(input.month))
        throw validationFailed([{ path: 'month', message: 'Monat im Format JJJJ-MM angeben.' }]);
      return { dueUntil: `${input.month}-01`, period: input.month };
    }
    if (input.dueUntil) {
      if (!isValidIsoDate(input.dueUntil))
        throw validationFailed([
          { path: 'dueUntil', message: 'Stichtag: bitte ein gültiges Datum angeben.' },
        ]);
      return { dueUntil: input.dueUntil, period: null };
    }
    throw validationFailed([{ path: 'month', message: 'Bitte einen Monat oder einen Stichtag angeben.' }]);
  }

  private checkExecutionDate(day: string, today: string, path: string): void {
    if (!isValidIsoDate(day))
      throw validationFailed([{ path, message: 'Ausführungstag: bitte ein gültiges Datum angeben.' }]);
    if (day < today)
      throw validationFailed([{ path, message: 'Ausführungstag: darf nicht in der Vergangenheit liegen.' }]);
    if (day > addDays(today, MAX_EXECUTION_DAYS_AHEAD))
      throw validationFailed([
        { path, message: `Ausführungstag: höchstens ${MAX_EXECUTION_DAYS_AHEAD} Tage im Voraus.` },
      ]);
    if (!isTargetBusinessDay(day))
      throw validationFailed([
        {
          path,
          message: `Ausführungstag: Der ${formatGermanDate(day)} ist kein Bankarbeitstag (Wochenende oder TARGET-Feiertag).`,
        },
      ]);
  }

  private problemsOf(due: DuePayment): string[] {
    const remittance = due.remittance ?? `${due.purpose} ${due.aktenzeichen}`;
    if (due.method === 'bar') {
      const p: string[] = [];
      if (!Number.isSafeInteger(due.amountCents) || due.amountCents <= 0)
        p.push('Betrag muss größer als 0 sein.');
      if (!due.payee.name?.trim()) p.push('Name des Zahlungsempfängers fehlt.');
      return p;
    }
    return transferProblems({
      amountCents: due.amountCents,
      name: due.payee.name,
      iban: due.payee.iban,
      bic: due.payee.bic,
      address: due.payee.address,
      remittance,
    });
  }

  /** Claims a batch of obligations (those no live run holds) and records their payments. */
  private async claimAndInsert(
    trx: Transaction<Database>,
    runId: string,
    batch: Array<DuePayment & { source?: string }>,
    totals: { transfers: number; transferSum: number; cash: number; cashSum: number; seq: number },
    nowIso: string,
  ): Promise<number> {
    const withIds = batch.map((d) => ({ due: d, paymentId: newId() }));
    const claimed = await trx
      .insertInto('payment_claim')
      .values(withIds.map((w) => ({ obligation_key: w.due.key, payment_id: w.paymentId, run_id: runId })))
      .onConflict((oc) => oc.column('obligation_key').doNothing())
      .returning('obligation_key')
      .execute();
    const taken = new Set(claimed.map((c) => c.obligation_key));
    const rows = withIds
      .filter((w) => taken.has(w.due.key))
      .map((w) => {
        const d = w.due;
        const a = d.method === 'ueberweisung' ? d.payee.address : (d.payee.address ?? null);
        totals.seq++;
        if (d.method === 'bar') {
          totals.cash++;
          totals.cashSum += d.amountCents;
        } else {
          totals.transfers++;
          totals.transferSum += d.amountCents;
        }
        return {
          id: w.paymentId,
          run_id: runId,
          seq: totals.seq,
          source: d.source ?? 'unbekannt',
          obligation_key: d.key,
          case_id: d.caseId,
          aktenzeichen: d.aktenzeichen,
          decision_ref: d.decision.actionId,
          decision_label: d.decision.label,
          period: d.period,
          due_on: d.dueOn,
          purpose: d.purpose,
          amount_cents: d.amountCents,
          method: d.method,
          payee_name: d.payee.name.trim(),
          iban: d.method === 'ueberweisung' ? normalizeIban(d.payee.iban) : null,
          bic: d.method === 'ueberweisung' && d.payee.bic ? d.payee.bic.toUpperCase() : null,
          street: a?.street ?? null,
          building_number: a?.buildingNumber ?? null,
          postcode: a?.postcode ?? null,
          town: a?.town ?? null,
          country: a?.country ?? null,
          address_lines: a?.lines?.length ? JSON.stringify(a.lines.slice(0, 2)) : null,
          remittance: (d.remittance ?? `${d.purpose} ${d.aktenzeichen}`).slice(0, 140),
          end_to_end_id: w.paymentId.replace(/-/g, ''),
          created_at: nowIso,
        };
      });
    if (rows.length) await trx.insertInto('payment').values(rows).execute();
    return rows.length;
  }

  /**
   * Approves a prepared run: another person than the preparer (for every role), with the
   * Amtsleitung role. The run becomes immutable and its SEPA file is written and kept, in the same
   * transaction. A replayed request returns the first result.
   */
  async approve(
    principal: Principal,
    id: string,
    idem: IdempotentRequest,
    inTransaction?: InTransactionHook,
  ): Promise<IdempotentResult> {
    const r = await this.runRow(this.deps.db, id);
    const scope = this.scopeOf(r.authority_ags, r.office_type);
    this.requireRead(principal, scope);
    this.require(principal, scope, ['leitung'], 'Zahlungsläufe gibt die Amtsleitung frei.');
    return runIdempotent(
      this.deps.db,
      idem,
      () => this.deps.now().toISOString(),
      async (trx) => {
        const now = this.deps.now();
        const current = await this.runRow(trx, id);
        if (current.status !== 'vorbereitet') {
          throw refuse(
            'Lauf nicht mehr offen',
            `Der Zahlungslauf ist bereits ${current.status === 'freigegeben' ? 'freigegeben' : 'verworfen'}.`,
          );
        }
        if (current.prepared_by === principal.userId) {
          throw fourEyesViolation(
            { userId: current.prepared_by, label: 'Zahlungslauf vorbereiten' },
            { userId: principal.userId, label: 'Zahlungslauf freigeben' },
          );
        }
        if (current.execution_date < todayInGermany(now)) {
          throw refuse(
            'Ausführungstag vorbei',
            `Der Ausführungstag ${formatGermanDate(current.execution_date)} liegt in der Vergangenheit. Bitte den Lauf verwerfen und neu vorbereiten.`,
          );
        }
        const updated = await trx
          .updateTable('payment_run')
          .set({
            status: 'freigegeben',
            decided_at: now.toISOString(),
            decided_by: principal.userId,
            decided_by_name: principal.displayName,
          })
          .where('id', '=', id)
          .where('status', '=', 'vorbereitet')
          .where('prepared_by', '<>', principal.userId)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) {
          throw refuse(
            'Lauf nicht mehr offen',
            'Der Zahlungslauf wurde inzwischen geändert. Bitte neu laden.',
          );
        }
        if (Number(current.transfer_count) > 0) {
          const content = await this.renderFile(trx, current, now);
          await trx
            .insertInto('payment_file')
            .values({
              run_id: id,
              file_name: fileNameOf(current),
              content,
              sha256: createHash('sha256').update(content, 'utf8').digest('hex'),
              bytes: Buffer.byteLength(content, 'utf8'),
              created_at: now.toISOString(),
            })
            .execute();
        }
        await inTransaction?.(trx, 200, { paymentRunId: id });
        return { statusCode: 200, body: await this.get(principal, id, trx) };
      },
    );
  }

  /** The pain.001.001.09 document of a run's transfers, in payment order. */
  private async renderFile(trx: Db, run: Selected<PaymentRunTable>, now: Date): Promise<string> {
    if (!run.debtor_name || !run.debtor_iban || !run.debtor_town || !run.debtor_country) {
      throw refuse('Auftraggeberkonto fehlt', 'Der Lauf hat kein Auftraggeberkonto.');
    }
    const authority = await trx
      .selectFrom('authority')
      .select('name')
      .where('ags', '=', run.authority_ags)
      .executeTakeFirst();
    const parts: string[] = [
      pain001Header({
        msgId: run.msg_id,
        createdAt: berlinDateTime(now),
        initiatorName: authority?.name ?? run.debtor_name,
        executionDate: run.execution_date,
        debtor: {
          name: run.debtor_name,
          iban: run.debtor_iban,
          bic: run.debtor_bic,
          town: run.debtor_town,
          country: run.debtor_country,
        },
        count: Number(run.transfer_count),
        sumCents: Number(run.transfer_sum_cents),
      }),
    ];
    let after = 0;
    let count = 0;
    let sum = 0;
    for (;;) {
      const rows = await trx
        .selectFrom('payment')
        .selectAll()
        .where('run_id', '=', run.id)
        .where('method', '=', 'ueberweisung')
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(1000)
        .execute();
      if (rows.length === 0) break;
      for (const p of rows) {
        count++;
        sum += Number(p.amount_cents);
        parts.push(
          pain001Transfer({
            endToEndId: p.end_to_end_id,
            amountCents: Number(p.amount_cents),
            name: p.payee_name,
            iban: p.iban ?? '',
            bic: p.bic,
            address: {
              street: p.street,
              buildingNumber: p.building_number,
              postcode: p.postcode,
              town: p.town ?? '',
              country: p.country ?? '',
              lines: p.address_lines ? (JSON.parse(p.address_lines) as string[]) : null,
            },
            remittance: p.remittance,
          }),
        );
        after = Number(p.seq);
      }
    }
    if (count !== Number(run.transfer_count) || sum !== Number(run.transfer_sum_cents)) {
      throw new Error(`payment run ${run.id}: totals do not match its payments`);
    }
    parts.push(pain001Footer());
    return parts.join('');
  }

  /** Discards a prepared run (any clerk of the office, the preparer included); its obligations are free again. */
  async discard(
    principal: Principal,
    id: string,
    reason: string,
    idem: IdempotentRequest,
    inTransaction?: InTransactionHook,
  ): Promise<IdempotentResult> {
    const r = await this.runRow(this.deps.db, id);
    const scope = this.scopeOf(r.authority_ags, r.office_type);
    this.require(
      principal,
      scope,
      ['sachbearbeitung'],
      'Sie dürfen Zahlungsläufe dieses Amts nicht verwerfen.',
    );
    return runIdempotent(
      this.deps.db,
      idem,
      () => this.deps.now().toISOString(),
      async (trx) => {
        const updated = await trx
          .updateTable('payment_run')
          .set({
            status: 'verworfen',
            decided_at: this.deps.now().toISOString(),
            decided_by: principal.userId,
            decided_by_name: principal.displayName,
            discard_reason: reason,
          })
          .where('id', '=', id)
          .where('status', '=', 'vorbereitet')
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) {
          throw refuse(
            'Lauf nicht mehr offen',
            'Nur ein vorbereiteter, noch nicht freigegebener Lauf kann verworfen werden.',
          );
        }
        await trx.deleteFrom('payment_claim').where('run_id', '=', id).execute();
        await inTransaction?.(trx, 200, { paymentRunId: id });
        return { statusCode: 200, body: await this.get(principal, id, trx) };
      },
    );
  }

  /** The kept SEPA file of an approved run (the same bytes on every download). */
  async file(principal: Principal, id: string): Promise<{ name: string; content: string; sha256: string }> {
    const r = await this.runRow(this.deps.db, id);
    this.requireRead(principal, this.scopeOf(r.authority_ags, r.office_type));
    const f = await this.deps.db
      .selectFrom('payment_file')
      .selectAll()
      .where('run_id', '=', id)
      .executeTakeFirst();
    if (!f) {
      throw refuse(
        'Keine SEPA-Datei',
        r.status === 'freigegeben'
          ? 'Dieser Lauf enthält nur Barauszahlungen; es gibt keine SEPA-Datei.'
          : 'Die SEPA-Datei entsteht erst mit der Freigabe durch eine zweite Person.',
      );
    }
    const sha256 = createHash('sha256').update(f.content, 'utf8').digest('hex');
    if (sha256 !== f.sha256) throw new Error(`payment file of run ${id}: stored SHA-256 does not match`);
    return { name: f.file_name, content: f.content, sha256 };
  }

  // ---------------------------------------------------------------- payments

  async payments(
    principal: Principal,
    runId: string,
    f: { page: number; pageSize: number; q?: string; status?: 'zurueckgekommen' | 'bar' },
  ): Promise<{ items: PaymentView[]; total: number; page: number; pageSize: number }> {
    const r = await this.runRow(this.deps.db, runId);
    this.requireRead(principal, this.scopeOf(r.authority_ags, r.office_type));
    let q = this.deps.db.selectFrom('payment').where('payment.run_id', '=', runId);
    if (f.q) {
      const term = f.q.trim();
      q = q.where((eb) =>
        eb.or([
          eb('payment.aktenzeichen', '=', term),
          eb('payment.end_to_end_id', '=', term),
          eb('payment.case_id', '=', term),
        ]),
      );
    }
    if (f.status === 'bar') q = q.where('payment.method', '=', 'bar');
    if (f.status === 'zurueckgekommen')
      q = q.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('payment_return')
            .select('payment_id')
            .whereRef('payment_return.payment_id', '=', 'payment.id'),
        ),
      );
    const total = Number(
      (await q.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow()).n,
    );
    const rows = await q
      .selectAll('payment')
      .orderBy('payment.seq')
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize)
      .execute();
    return {
      items: await this.present(this.deps.db, rows, r.status),
      total,
      page: f.page,
      pageSize: f.pageSize,
    };
  }

  private async present(
    db: Db,
    rows: Array<Selected<PaymentTable>>,
    runStatus?: string,
  ): Promise<PaymentView[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((p) => p.id);
    const [returns, requeues, cash, runs] = await Promise.all([
      db.selectFrom('payment_return').selectAll().where('payment_id', 'in', ids).execute(),
      db.selectFrom('payment_requeue').selectAll().where('payment_id', 'in', ids).execute(),
      db.selectFrom('payment_cash').selectAll().where('payment_id', 'in', ids).execute(),
      runStatus
        ? Promise.resolve([])
        : db
            .selectFrom('payment_run')
            .select(['id', 'status'])
            .where('id', 'in', [...new Set(rows.map((p) => p.run_id))])
            .execute(),
    ]);
    const ret = new Map(returns.map((x) => [x.payment_id, x]));
    const req = new Map(requeues.map((x) => [x.payment_id, x.requeued_at]));
    const paid = new Map(cash.map((x) => [x.payment_id, x]));
    const status = new Map(runs.map((x) => [x.id, x.status]));
    return rows.map((p) =>
      presentPayment(
        p,
        runStatus ?? status.get(p.run_id) ?? '',
        ret.get(p.id),
        req.get(p.id),
        paid.get(p.id),
      ),
    );
  }

  /** Every payment of a case, in all runs: each traceable to its decision. */
  async ofCase(principal: Principal, caseId: string): Promise<PaymentView[]> {
    const c = await this.deps.db
      .selectFrom('cases')
      .select(['authority_ags', 'office_type'])
      .where('id', '=', caseId)
      .executeTakeFirst();
    if (!c) throw notFound('Der Vorgang');
    this.requireRead(principal, this.scopeOf(c.authority_ags, c.office_type));
    const rows = await this.deps.db
      .selectFrom('payment')
      .selectAll()
      .where('case_id', '=', caseId)
      .orderBy('created_at')
      .orderBy('seq')
      .limit(1000)
      .execute();
    return this.present(this.deps.db, rows);
  }

  private async paymentWithRun(db: Db, paymentId: string) {
    const p = await db
      .selectFrom('payment')
      .innerJoin('payment_run', 'payment_run.id', 'payment.run_id')
      .selectAll('payment')
      .select(['payment_run.status as run_status', 'payment_run.authority_ags', 'payment_run.office_type'])
      .where('payment.id', '=', paymentId)
      .executeTakeFirst();
    if (!p) throw notFound('Die Zahlung');
    return p;
  }

  private async paymentWrite(
    principal: Principal,
    paymentId: string,
    idem: IdempotentRequest,
    inTransaction: InTransactionHook | undefined,
    work: (
      trx: Transaction<Database>,
      p: Awaited<ReturnType<PaymentService['paymentWithRun']>>,
    ) => Promise<void>,
  ): Promise<IdempotentResult> {
    const p = await this.paymentWithRun(this.deps.db, paymentId);
    const scope = this.scopeOf(p.authority_ags, p.office_type);
    this.require(
      principal,
      scope,
      ['sachbearbeitung'],
      'Sie sind für die Zahlungen dieses Amts nicht berechtigt.',
    );
    return runIdempotent(
      this.deps.db,
      idem,
      () => this.deps.now().toISOString(),
      async (trx) => {
        const current = await this.paymentWithRun(trx, paymentId);
        if (current.run_status !== 'freigegeben') {
          throw refuse('Lauf nicht freigegeben', 'Das geht erst, wenn der Zahlungslauf freigegeben ist.');
        }
        await work(trx, current);
        await inTransaction?.(trx, 200, { paymentId });
        const [view] = await this.present(trx, [current], current.run_status);
        return { statusCode: 200, body: view };
      },
    );
  }

  /**
   * Records a transfer the bank returned. `requeue`: its obligation is free again and the next run
   * pays it (with the case's data of then, e.g. a corrected IBAN); otherwise it waits for a later
   * decision (requeue()).
   */
  async recordReturn(
    principal: Principal,
    paymentId: string,
    input: { reasonCode: ReturnReason; note?: string | null; requeue: boolean },
    idem: IdempotentRequest,
    inTransaction?: InTransactionHook,
  ): Promise<IdempotentResult> {
    return this.paymentWrite(principal, paymentId, idem, inTransaction, async (trx, p) => {
      if (p.method !== 'ueberweisung')
        throw refuse('Keine Überweisung', 'Nur Überweisungen können als Rückläufer erfasst werden.');
      const nowIso = this.deps.now().toISOString();
      try {
        await trx
          .insertInto('payment_return')
          .values({
            payment_id: p.id,
            reason_code: input.reasonCode,
            note: input.note ?? null,
            recorded_at: nowIso,
            recorded_by: principal.userId,
            recorded_by_name: principal.displayName,
          })
          .execute();
      } catch (err) {
        if (isUniqueViolation(err))
          throw refuse('Bereits erfasst', 'Diese Zahlung ist bereits als zurückgekommen erfasst.');
        throw err;
      }
      if (input.requeue) await this.release(trx, p, principal, nowIso);
    });
  }

  /** Puts a returned payment back for the next run. */
  async requeue(
    principal: Principal,
    paymentId: string,
    idem: IdempotentRequest,
    inTransaction?: InTransactionHook,
  ): Promise<IdempotentResult> {
    return this.paymentWrite(principal, paymentId, idem, inTransaction, async (trx, p) => {
      const ret = await trx
        .selectFrom('payment_return')
        .select('payment_id')
        .where('payment_id', '=', p.id)
        .executeTakeFirst();
      if (!ret)
        throw refuse('Nicht zurückgekommen', 'Erneut vormerken lässt sich nur eine zurückgekommene Zahlung.');
      await this.release(trx, p, principal, this.deps.now().toISOString());
    });
  }

  private async release(
    trx: Transaction<Database>,
    p: { id: string; obligation_key: string },
    principal: Principal,
    nowIso: string,
  ): Promise<void> {
    try {
      await trx
        .insertInto('payment_requeue')
        .values({
          payment_id: p.id,
          requeued_at: nowIso,
          requeued_by: principal.userId,
          requeued_by_name: principal.displayName,
        })
        .execute();
    } catch (err) {
      if (isUniqueViolation(err))
        throw refuse('Bereits vorgemerkt', 'Diese Zahlung ist bereits erneut vorgemerkt.');
      throw err;
    }
    await trx
      .deleteFrom('payment_claim')
      .where('obligation_key', '=', p.obligation_key)
      .where('payment_id', '=', p.id)
      .execute();
  }

  /** Pays out a cash payment of an approved run at the counter: an entry in the office's cash journal. */
  async payCash(
    principal: Principal,
    paymentId: string,
    idem: IdempotentRequest,
    inTransaction?: InTransactionHook,
  ): Promise<IdempotentResult> {
    return this.paymentWrite(principal, paymentId, idem, inTransaction, async (trx, p) => {
      if (p.method !== 'bar') throw refuse('Keine Barzahlung', 'Diese Zahlung geht per Überweisung.');
      const entry: CashEntry = await bookEntry(trx, {
        scope: { authorityAgs: p.authority_ags, officeType: p.office_type },
        kind: 'auszahlung',
        amountCents: Number(p.amount_cents),
        purpose: `${p.purpose} an ${p.payee_name}`.slice(0, 300),
        reference: { type: 'payment', id: p.id, label: p.aktenzeichen },
        dedupeKey: `payment:${p.id}`,
        actor: { userId: principal.userId, displayName: principal.displayName },
        now: this.deps.now(),
      });
      await trx
        .insertInto('payment_cash')
        .values({
          payment_id: p.id,
          cash_entry_id: entry.id,
          paid_at: entry.createdAt,
          paid_by: principal.userId,
          paid_by_name: principal.displayName,
        })
        .execute();
    });
  }
}

function fileNameOf(run: {
  authority_ags: string;
  period: string | null;
  due_until: string;
  msg_id: string;
}): string {
  return `zahlungslauf-${run.authority_ags}-${run.period ?? run.due_until}-${run.msg_id.slice(-8)}.xml`;
}

/** "Zahlungslauf Dezember 2026: 12 Überweisungen, 5.432,10 EUR" */
export function describeRun(run: PaymentRunView): string {
  const what = run.period ? monatText(run.period) : `bis ${formatGermanDate(run.dueUntil)}`;
  return `Zahlungslauf ${what}: ${run.transferCount} Überweisungen (${formatEuro(run.transferSumCents)}), ${run.cashCount} Barauszahlungen (${formatEuro(run.cashSumCents)})`;
}
