import { lazy } from 'react';
import type { WebFamily } from '../../../web/family.js';
import { ASYL_PANEL_ACTIONS, AsylPanels } from './CasePanels.js';

const pages = { unterkuenfte: () => import('./UnterkunftPage.js') };
const UnterkunftPage = lazy(() => pages.unterkuenfte().then((m) => ({ default: m.UnterkunftPage })));

/**
 * The AsylbLG family in the web app: the Zuweisung form comes from the definition; the case panels
 * show the accommodation, the Bewilligung, the calculation and the § 2 dates; one page lists the
 * Unterkünfte with their places.
 */
export const asylWeb: WebFamily = {
  id: 'asyl',
  definitions: () => import('../index.js').then((m) => m.asyl),
  handoverOffices: ['sozialamt'],
  paymentOffices: ['sozialamt'],
  routes: [['/asyl/unterkuenfte', () => <UnterkunftPage />]],
  prefetch: Object.values(pages),
  nav: (offices) => (offices.has('sozialamt') ? [['/asyl/unterkuenfte', 'Unterkünfte']] : []),
  CasePanels: AsylPanels,
  panelActions: (view) => (view.procedureId === 'asyl_leistungen' ? ASYL_PANEL_ACTIONS : new Set()),
};
