import { isDeepStrictEqual } from 'node:util';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { applyAction, type ReplayedState } from '../cases/replay.js';
import { todayInGermany } from '../dates.js';
import type { ProcedureRegistry } from '../procedure-registry.js';

export interface CaseCheck {
  cases: number;
  actions: number;
  /** One line per inconsistent case (ids and numbers only, no personal data). */
  problems: string[];
}

/**
 * Proves that no case is half-written: every case has its actions 1..version without gaps, and its
 * stored status and data equal the replay of its actions. Used after a restore and by the kill test.
 */
export async function verifyCases(db: Kysely<Database>, registry: ProcedureRegistry): Promise<CaseCheck> {
  const cases = await db
    .selectFrom('cases')
    .select(['id', 'procedure_id', 'status', 'version', 'data'])
    .orderBy('id')
    .execute();
  const actions = await db
    .selectFrom('case_action')
    .select(['case_id', 'seq', 'action', 'payload', 'status_after', 'created_at'])
    .orderBy('case_id')
    .orderBy('seq')
    .execute();
  const byCase = new Map<string, typeof actions>();
  for (const a of actions) {
    const list = byCase.get(a.case_id) ?? [];
    list.push(a);
    byCase.set(a.case_id, list);
  }
  const problems: string[] = [];
  for (const c of cases) {
    const list = byCase.get(c.id) ?? [];
    byCase.delete(c.id);
    if (list.length !== c.version) {
      problems.push(`Vorgang ${c.id}: Version ${c.version}, aber ${list.length} Aktionen`);
      continue;
    }
    if (list.some((a, i) => a.seq !== i + 1)) {
      problems.push(`Vorgang ${c.id}: Aktionsfolge hat Lücken`);
      continue;
    }
    const def = registry.get(c.procedure_id);
    if (!def) {
      problems.push(`Vorgang ${c.id}: unbekanntes Verfahren ${c.procedure_id}`);
      continue;
    }
    try {
      let state: ReplayedState | undefined;
      for (const a of list) {
        state = applyAction(def, state, {
          action: a.action,
          payload: JSON.parse(a.payload),
          day: todayInGermany(new Date(a.created_at)),
        });
        if (state.status !== a.status_after) throw new Error(`Status nach Aktion ${a.seq} weicht ab`);
      }
      if (!state || state.status !== c.status || state.version !== c.version) {
        throw new Error('Status weicht von der Wiederholung der Aktionen ab');
      }
      if (!isDeepStrictEqual(state.data, JSON.parse(c.data))) {
        throw new Error('Daten weichen von der Wiederholung der Aktionen ab');
      }
    } catch (err) {
      problems.push(`Vorgang ${c.id}: ${(err as Error).message}`);
    }
  }
  for (const caseId of byCase.keys()) problems.push(`Aktionen ohne Vorgang: ${caseId}`);
  return { cases: cases.length, actions: actions.length, problems };
}
