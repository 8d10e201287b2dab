import type { ReactNode } from 'react';
import { ROLES } from '../../../core/access.js';
import { todayInGermany } from '../../../core/dates.js';
import { formatDate } from '../../../web/format.js';

/** Every role at the Kämmerei reads its plans (the Bürgermeister and the Ratsbüro included). */
export const ALL_ROLES: string[] = [...ROLES];

/** "30.11.2026 (überfällig)" for the Anzeige deadline of a plan; "erledigt" when none is open. */
export function deadlineText(deadline: string | null): string {
  if (!deadline) return 'erledigt';
  const today = todayInGermany();
  const state = deadline < today ? 'überfällig' : deadline === today ? 'heute fällig' : 'offen';
  return `${formatDate(deadline)} (${state})`;
}

/**
 * A wide table's scroll container: reachable by keyboard (arrow keys scroll it) and named for
 * screen readers (WCAG 2.1.1; axe "scrollable-region-focusable").
 */
export function ScrollRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take the keyboard focus
    <section className="table-wrap" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
