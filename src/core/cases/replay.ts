import type { ActionDefinition, ProcedureDefinition } from '../procedure.js';

export interface ReplayAction {
  action: string;
  payload: unknown;
  /** The day the action was taken (YYYY-MM-DD, Germany). */
  day: string;
}

export interface ReplayedState {
  status: string;
  data: unknown;
  version: number;
}

/**
 * The status of a case is what its accepted actions make of it. Replays the action list from the
 * create action on; used to compute every snapshot and to verify stored snapshots.
 */
export function applyAction(
  def: ProcedureDefinition,
  state: ReplayedState | undefined,
  act: ReplayAction,
): ReplayedState {
  if (!state) {
    if (act.action !== def.create.id)
      throw new Error(`first action must be ${def.create.id}, is ${act.action}`);
    return { status: def.create.to, data: act.payload, version: 1 };
  }
  const a = def.actions.find((x) => x.id === act.action) as ActionDefinition | undefined;
  if (!a) throw new Error(`unknown action ${act.action} in ${def.id}`);
  if (!a.from.includes(state.status)) throw new Error(`action ${a.id} not allowed in ${state.status}`);
  const data = a.apply ? a.apply(state.data, act.payload, { today: act.day }) : state.data;
  return { status: a.to, data, version: state.version + 1 };
}

export function replay(def: ProcedureDefinition, actions: ReplayAction[]): ReplayedState {
  let state: ReplayedState | undefined;
  for (const a of actions) state = applyAction(def, state, a);
  if (!state) throw new Error('a case has at least one action');
  return state;
}
