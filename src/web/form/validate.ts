import type { z } from 'zod';
import { todayInGermany } from '../../core/dates.js';
import { registryOf } from '../../core/procedure-registry.js';
import { WEB_FAMILIES } from '../families.js';

/**
 * Browser-side validation with the procedure definitions' own zod schemas: the same rules and
 * German messages as the server. Loaded lazily with the forms, so the worklist stays small.
 */
const registry = registryOf(await Promise.all(WEB_FAMILIES.map((f) => f.definitions())), {
  today: () => todayInGermany(new Date()),
});

function issuesToErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.');
    if (!(key in out)) out[key] = issue.message;
  }
  return out;
}

/** Field errors of the new-case form, or null when the data is valid (or the procedure unknown here). */
export function validateForm(procedureId: string, data: unknown): Record<string, string> | null {
  const def = registry.get(procedureId);
  if (!def) return null;
  const r = def.form.schema.safeParse(data);
  return r.success ? null : issuesToErrors(r.error);
}

/** Field errors of an action's payload, or null when valid. */
export function validateActionPayload(
  procedureId: string,
  actionId: string,
  payload: unknown,
): Record<string, string> | null {
  const action = registry.get(procedureId)?.actions.find((a) => a.id === actionId);
  if (!action?.payload) return null;
  const r = action.payload.safeParse(payload);
  return r.success ? null : issuesToErrors(r.error);
}
