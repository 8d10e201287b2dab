import type { Transaction } from 'kysely';
import type { z } from 'zod';
import type { Database } from '../db/types.js';
import type { Role } from './access.js';
import type { IsoDate } from './dates.js';
import type { OfficeType } from './offices.js';

/**
 * A procedure (Verfahren) is one typed definition. The server validates with it, the web app
 * renders and validates forms from it, the handover exporter reads it. Definitions must stay free
 * of Node-only imports so the browser can bundle them; documents are rendered server-side by
 * renderers registered beside the definition.
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
 * What a `prepare` hook sees. It runs inside the transaction that records the action (or creates
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
  /** Payload schema; the payload is validated with it. Absent: the payload must be an empty object. */
  payload?: z.ZodType;
  /** Transactional hook before `apply`; see PrepareContext. Absent: the payload is stored as given. */
  prepare?: PrepareHook<D>;
  /** Returns the case data after the action; absent: unchanged. */
  apply?: (data: D, payload: unknown, ctx: ActionContext) => D;
  /** Document that becomes available (or is re-issued) with this action. */
  producesDocument?: string;
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
  /** The action that creates a case from the form data. */
  create: {
    id: string;
    label: string;
    to: string;
    roles: readonly Role[];
    /** Transactional hook; its result becomes the stored form data of the new case. */
    prepare?: PrepareHook<z.output<S>>;
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
