import type { ComponentType, ReactNode } from 'react';
import type { OfficeType } from '../core/offices.js';
import type { ProcedureFamily } from '../core/procedure.js';
import type { CaseView } from './api.js';
import type { PanelDone } from './case-panels.js';

/** What the navigation knows of the user besides the offices. */
export interface NavUser {
  isCrisisTeam: boolean;
  /** The roles the user holds in any office (e.g. `leitung`). */
  roles: ReadonlySet<string>;
}

/** A page of a family: URL pattern (":name" parameters) and what it renders. */
export type PageRoute = [pattern: string, render: (params: Record<string, string>) => ReactNode];

/**
 * The web part of a procedure family (`src/procedures/<family>/web/index.tsx`): its definitions
 * (for the browser's validation), pages, navigation by office and case panels. Listed in
 * src/web/families.ts; App.tsx, the case page and the form validation read that list. Everything
 * here is in the first page's bundle: pages and large panels belong behind `lazy()`.
 */
export interface WebFamily {
  id: string;
  /**
   * The family's definitions (browser-safe part), loaded on demand with the forms: zod and the
   * schemas stay out of the first page.
   */
  definitions: () => Promise<ProcedureFamily>;
  /** Offices whose cases the family hands over: they see the handover page. */
  handoverOffices?: readonly OfficeType[];
  /** Offices whose cases the family pays (a PaymentSource on the server): they see the payment runs. */
  paymentOffices?: readonly OfficeType[];
  /** The family's pages; load them lazily so that the first page stays small. */
  routes?: PageRoute[];
  /** Loaders of the lazy pages: fetched in the background after login (offline use). */
  prefetch?: ReadonlyArray<() => Promise<unknown>>;
  /**
   * The page a user of these offices opens first instead of the worklist (e.g. the Ablaufliste of
   * the Ausländerbehörde), or undefined. The worklist stays under /vorgaenge.
   */
  startPage?: (offices: ReadonlySet<string>) => string | undefined;
  /** Navigation entries for a user working in these offices (and holding these roles, crisis team or not). */
  nav?: (offices: ReadonlySet<string>, user: NavUser) => Array<[href: string, label: string]>;
  /**
   * Panels on the case page. The page renders every family's panels: each shows only for the
   * family's own procedures (or the parts of the case data it knows).
   */
  CasePanels?: ComponentType<{ view: CaseView; onDone: PanelDone }>;
  /** Actions the panels offer in a better form: the case page leaves out their generic buttons. */
  panelActions?: (view: CaseView) => ReadonlySet<string>;
}
