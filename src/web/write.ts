import { ApiError, api, type CaseView, NetworkError, newIdempotencyKey } from './api.js';
import { enqueue } from './outbox.js';

/**
 * Writes of the Fachverfahren pages (Standesamt, Übergabe, Melderegister, Kasse). Each write goes
 * out with an Idempotency-Key; when the server cannot be reached it is kept in the offline outbox
 * under the same key and sent later, exactly once. The caller gets `{ queued: true }` then.
 */
export type WriteResult<T> = { queued: false; result: T } | { queued: true };

export const QUEUED_MESSAGE =
  'Der Server ist nicht erreichbar. Die Eingabe ist im Ausgang gespeichert und wird gesendet, sobald der Server wieder erreichbar ist.';

export async function postOrQueue<T>(
  path: string,
  body: unknown,
  label: string,
  key: string = newIdempotencyKey(),
): Promise<WriteResult<T>> {
  try {
    return { queued: false, result: await api.post<T>(path, body, { idempotencyKey: key }) };
  } catch (e) {
    if (!(e instanceof NetworkError)) throw e;
    await enqueue({ key, method: 'POST', path, body, label });
    return { queued: true };
  }
}

/** Runs a case action with the case's current version (optimistic locking on the server). */
export function runCaseAction(
  view: CaseView,
  action: string,
  label: string,
  payload: unknown = {},
): Promise<WriteResult<CaseView>> {
  return postOrQueue<CaseView>(
    `/api/cases/${encodeURIComponent(view.id)}/actions/${encodeURIComponent(action)}`,
    { expectedVersion: view.version, payload },
    `${label}: ${view.aktenzeichen}`,
  );
}

/** German text for a refused write; a version conflict asks to reload. */
export function refusalText(e: unknown, fallback: (e: unknown) => string): string {
  if (e instanceof ApiError && e.status === 409 && e.problem.code === 'VERSION_CONFLICT')
    return `${fallback(e)} Bitte laden Sie die Seite neu.`;
  return fallback(e);
}
