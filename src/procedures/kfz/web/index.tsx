import { lazy } from 'react';
import type { WebFamily } from '../../../web/family.js';
import { KfzPanels, kfzPanelActions } from './CasePanels.js';

const pages = { plates: () => import('./PlatesPage.js') };
const PlatesPage = lazy(() => pages.plates().then((m) => ({ default: m.PlatesPage })));

/** The Zulassungsstelle in the web app: the plate pool page and the plate and fee panels of a case. */
export const kfzWeb: WebFamily = {
  id: 'kfz',
  definitions: () => import('../index.js').then((m) => m.kfz),
  handoverOffices: ['zulassungsstelle'],
  routes: [['/kfz/kennzeichen', () => <PlatesPage />]],
  prefetch: Object.values(pages),
  nav: (offices) => (offices.has('zulassungsstelle') ? [['/kfz/kennzeichen', 'Kennzeichen']] : []),
  CasePanels: KfzPanels,
  panelActions: kfzPanelActions,
};
