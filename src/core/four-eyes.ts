import { AppError } from './errors.js';

/**
 * The four-eyes rule (Vier-Augen-Prinzip): a step that must be done by a different person than an
 * earlier one — approving a payment run after its preparation, a case action after another
 * (`ActionDefinition.fourEyes`), confirming a cash day closing. Persons are compared by account id,
 * never by role: the same person holding two roles (Sachbearbeitung and Amtsleitung, or an
 * administrator with an office role) is still one person. No role exempts anybody from the rule.
 *
 * Call it on the server inside the transaction that records the second step, with the earlier
 * person read in that same transaction, so that no concurrent request can slip between check and
 * write.
 */
export interface FourEyesStep {
  /** Account id of the person who did (or is doing) the step. */
  userId: string;
  /** German name of the step, e.g. "vorbereitet". */
  label: string;
}

export function fourEyesViolation(earlier: FourEyesStep, now: FourEyesStep): AppError {
  return new AppError(
    'ACTION_NOT_ALLOWED',
    'Vier-Augen-Prinzip',
    `Dieser Schritt („${now.label}") muss von einer anderen Person erledigt werden als „${earlier.label}". Das gilt für jede Rolle, auch für Amtsleitung und Administration.`,
  );
}

/** Refuses `now` when the same account did `earlier`. */
export function requireOtherPerson(earlier: FourEyesStep, now: FourEyesStep): void {
  if (earlier.userId === now.userId) throw fourEyesViolation(earlier, now);
}

/** Refuses `now` when the same account did any of the earlier steps. */
export function requireOtherPersonThanAll(earlier: readonly FourEyesStep[], now: FourEyesStep): void {
  for (const e of earlier) requireOtherPerson(e, now);
}
