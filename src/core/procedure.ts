import type { Transaction } from 'kysely';
import type { z } from 'zod';
import type { Database } from '../db/types.js';
import type { Role } from './access.js';
import type { IsoDate } from './dates.js';
import type { OfficeType } from './offices.js';

/**
 * A procedure (Verfahren) is one typed definition. The server validates with it, the web app
 * renders and validates forms from it, the handover exporter reads it. Definitions are
 * browser-safe by construction: they hold data and pure functions only. Everything that needs the
 * server (transactional `prepare` hooks, PDF renderers, handover serializers, routes) is bound to
 * them by id in the family's server part (see family.ts and docs/ARCHITECTURE.md, "Adding a
 * procedure family"); a test fails when the web bundle contains a server module.
 */

export interface FormSection {
  id: string;
  title: string;
  description?: string;
}

/**
 * Field metadata, attached to zod schemas with `.meta()`; it appears verbatim in the JSON Schema
 * the API serves. `title` is the German label, `description` the help text.
 */
export interface FieldMeta {
  title: string;
  description?: string;
  section?: string;
  /** Rendering hint where the JSON type alone is ambiguous. */
  widget?: 'text' | 'textarea' | 'date' | 'datetime' | 'select' | 'number' | 'money' | 'iban' | 'yesno';
  /** German labels for enum values. */
  options?: Record<string, string>;
  [key: string]: unknown;
}

export interface StateDefinition {
  label: string;
  /** A final state closes the case: no deadline, no further actions but those listed. */
  final?: boolean;
}

export interface ActionContext {
  /** The day the action happens, in Germany. */
  today: IsoDate;
}

/**
 * What a `prepare` hook sees. Hooks are bound to an action id (the create action's id included) in
 * the family's server part, never in the definition. A hook runs inside the transaction that records the action (or creates
 * the case), after permission, status and payload checks and before `apply`. It may read and
 * write other tables through `trx` (e.g. allocate a register number, book a slot), refuse the
 * action by throwing an AppError (everything rolls back), and returns the payload that is stored
 * with the action and passed to `apply`. Because the returned payload is what is stored, replaying
 * the action list stays a pure function of the stored actions.
 */
export interface PrepareContext<D = unknown> {
  trx: Transaction<Database>;
  case: {
    id: string;
    procedureId: string;
    authorityAgs: string;
    officeType: string;
    aktenzeichen: string;
    /** Status before the action (for `create.prepare`: the status the case will get). */
    status: string;
    /** Data before the action (for `create.prepare`: the validated form data). */
    data: D;
  };
  payload: unknown;
  today: IsoDate;
  now: Date;
  /** User id of the person performing the action. */
  actor: string;
}

export type PrepareHook<D = unknown> = (ctx: PrepareContext<D>) => Promise<unknown>;

export interface ActionDefinition<D = unknown> {
  id: string;
  /** German verb for the button, e.g. "Bestätigen". */
  label: string;
  description?: string;
  /** States in which the action is allowed. */
  from: readonly string[];
  /** State after the action. */
  to: string;
  /** Roles (at the case's office and authority) allowed to perform it. */
  roles: readonly Role[];
  /**
   * Payload schema; the payload is validated with it. Absent: the payload must be an empty object.
   * A transactional hook bound to this action's id on the server (PrepareContext) runs after this
   * check and before `apply`; without one the payload is stored as given.
   */
  payload?: z.ZodType;
  /** Returns the case data after the action; absent: unchanged. */
  apply?: (data: D, payload: unknown, ctx: ActionContext) => D;
  /** Document that becomes available (or is re-issued) with this action. */
  producesDocument?: string;
  /**
   * Four eyes (core/four-eyes.ts): the action must be performed by another person than the one
   * who performed the latest of these earlier actions of the case (action ids, the create action's
   * included). Checked on the server in the action's transaction, for every role.
   */
  fourEyes?: { after: readonly string[] };
}

export interface DeadlineRule<D = unknown> {
  /** German label, e.g. "Anzeigefrist (§ 28 PStG)". */
  label: string;
  /** States in which the deadline is open. */
  openIn: readonly string[];
  /** Due date, or null when the data does not define one. `recordedOn` is the case's creation day. */
  compute: (data: D, ctx: { recordedOn: IsoDate }) => IsoDate | null;
}

export interface Fee {
  code: string;
  label: string;
  amountCents: number;
  /** Legal basis, e.g. "PAuswGebV § 1 Abs. 1". */
  basis: string;
}

export interface DocumentDefinition {
  id: string;
  title: string;
  /** States in which the document can be produced. */
  availableIn: readonly string[];
}

export interface HandoverFormat {
  id: string;
  title: string;
  /** 'xoev' where a standard message exists, else 'csv'. */
  kind: 'xoev' | 'csv';
  /** Columns (CSV) or message name (XÖV). */
  describe: string;
}

export interface ProcedureDefinition<S extends z.ZodType = z.ZodType> {
  id: string;
  /** Form/definition version; stored on each case. */
  version: number;
  office: OfficeType;
  title: string;
  description: string;
  /** Short register code used in the Aktenzeichen, e.g. "VA". */
  aktenzeichenCode: string;
  form: { schema: S; sections: FormSection[] };
  states: Record<string, StateDefinition>;
  /**
   * The action that creates a case from the form data. A hook bound to its id on the server
   * returns the stored data of the new case.
   */
  create: {
    id: string;
    label: string;
    to: string;
    roles: readonly Role[];
  };
  actions: ActionDefinition<z.output<S>>[];
  deadline?: DeadlineRule<z.output<S>>;
  /** Fees by the law on the day that matters (`on`), never by "today". */
  fees?: (data: z.output<S>, on: IsoDate) => Fee[];
  documents: DocumentDefinition[];
  handover: HandoverFormat[];
  /** Values that free-text search should find (names, numbers, places). */
  searchText: (data: z.output<S>) => Array<string | undefined | null>;
  /** One line for lists, e.g. "Mustermann, Erika – Personalausweis". */
  summary: (data: z.output<S>) => string;
}

/** Helper that keeps the data type of a definition's functions tied to its schema. */
export function defineProcedure<S extends z.ZodType>(def: ProcedureDefinition<S>): ProcedureDefinition<S> {
  return def;
}

export interface ProcedureOptions {
  /** Today's date in Germany; injectable so that tests can fix the clock. */
  today: () => IsoDate;
}

/**
 * The browser-safe part of a procedure family (one folder under src/procedures/): its
 * definitions. The family's server part (ServerFamily, family.ts) and web part (WebFamily,
 * src/web/family.ts) extend it.
 */
export interface ProcedureFamily {
  /** The folder name, e.g. "standesamt". */
  id: string;
  procedures(opts: ProcedureOptions): ProcedureDefinition[];
}

/**
 * The `prepare` hooks of one procedure, by action id (the create action's id included). The data
 * type is the procedure's (form data for the create hook, case data for the others).
 */
// biome-ignore lint/suspicious/noExplicitAny: hooks of different procedures see different data types
export type ProcedureHooks = Record<string, PrepareHook<any>>;

/** Hooks of all procedures of a family, by procedure id. */
export type HookTable = Record<string, ProcedureHooks>;
