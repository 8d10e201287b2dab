import type { CaseActionRow, CaseRow } from '../../db/types.js';
import { hasRole, type Principal } from '../access.js';
import type { ProcedureDefinition } from '../procedure.js';
import { DEADLINE_STATE_LABELS, type DeadlineState, deadlineState } from './deadline-state.js';

/** The one place that shapes cases for the API. */

export interface DeadlineView {
  date: string;
  label: string;
  state: DeadlineState;
  stateLabel: string;
}

export interface CaseListItem {
  id: string;
  aktenzeichen: string;
  procedureId: string;
  procedureTitle: string;
  authorityAgs: string;
  authorityName: string;
  officeType: string;
  status: string;
  statusLabel: string;
  version: number;
  summary: string;
  deadline: DeadlineView | null;
  createdAt: string;
  updatedAt: string;
}

export interface CaseActionView {
  seq: number;
  action: string;
  label: string;
  statusAfter: string;
  statusAfterLabel: string;
  actor: string;
  actorName: string;
  at: string;
  payload: unknown;
}

export interface CaseView extends CaseListItem {
  procedureVersion: number;
  data: unknown;
  actions: CaseActionView[];
  /** Actions the requesting person may perform now. */
  allowedActions: Array<{ id: string; label: string; description?: string; hasPayload: boolean }>;
  documents: Array<{ id: string; title: string; href: string }>;
}

type Row = CaseRow & { authority_name: string };

function deadlineView(def: ProcedureDefinition, row: CaseRow, today: string): DeadlineView | null {
  if (!row.deadline) return null;
  const state = deadlineState(row.deadline, today);
  return {
    date: row.deadline,
    label: row.deadline_label ?? def.deadline?.label ?? 'Frist',
    state,
    stateLabel: DEADLINE_STATE_LABELS[state],
  };
}

export function presentCaseListItem(def: ProcedureDefinition, row: Row, today: string): CaseListItem {
  return {
    id: row.id,
    aktenzeichen: row.aktenzeichen,
    procedureId: row.procedure_id,
    procedureTitle: def.title,
    authorityAgs: row.authority_ags,
    authorityName: row.authority_name,
    officeType: row.office_type,
    status: row.status,
    statusLabel: def.states[row.status]?.label ?? row.status,
    version: row.version,
    summary: def.summary(JSON.parse(row.data)),
    deadline: deadlineView(def, row, today),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function presentCase(
  def: ProcedureDefinition,
  row: Row,
  actions: CaseActionRow[],
  principal: Principal,
  today: string,
): CaseView {
  const scope = { authorityAgs: row.authority_ags, officeType: row.office_type as never };
  const labelOf = (id: string) =>
    id === def.create.id ? def.create.label : (def.actions.find((a) => a.id === id)?.label ?? id);
  return {
    ...presentCaseListItem(def, row, today),
    procedureVersion: row.procedure_version,
    data: JSON.parse(row.data),
    actions: actions.map((a) => ({
      seq: a.seq,
      action: a.action,
      label: labelOf(a.action),
      statusAfter: a.status_after,
      statusAfterLabel: def.states[a.status_after]?.label ?? a.status_after,
      actor: a.actor,
      actorName: a.actor_name,
      at: a.created_at,
      payload: JSON.parse(a.payload),
    })),
    allowedActions: def.actions
      .filter((a) => a.from.includes(row.status) && hasRole(principal, scope, a.roles))
      .map((a) => ({
        id: a.id,
        label: a.label,
        ...(a.description ? { description: a.description } : {}),
        hasPayload: a.payload !== undefined,
      })),
    documents: def.documents
      .filter((d) => d.availableIn.includes(row.status))
      .map((d) => ({ id: d.id, title: d.title, href: `/api/cases/${row.id}/documents/${d.id}` })),
  };
}
