import type { WebFamily } from '../../../web/family.js';
import { SOZIALHILFE_ID } from '../ids.js';
import { SOZIALHILFE_PANEL_ACTIONS, SozialhilfePanels } from './CasePanels.js';

/**
 * The Sozialhilfe family in the web app: the application form comes from the definition; the case
 * panels show the calculation line by line (with sources, the KdU warning and the Vorschuss
 * set-off) and the Bewilligung from a month. Payment runs are the core's pages.
 */
export const sozialhilfeWeb: WebFamily = {
  id: 'sozialhilfe',
  definitions: () => import('../index.js').then((m) => m.sozialhilfe),
  handoverOffices: ['sozialamt'],
  paymentOffices: ['sozialamt'],
  CasePanels: SozialhilfePanels,
  panelActions: (view) => (view.procedureId === SOZIALHILFE_ID ? SOZIALHILFE_PANEL_ACTIONS : new Set()),
};
