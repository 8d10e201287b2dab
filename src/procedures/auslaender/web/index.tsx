import { lazy } from 'react';
import type { WebFamily } from '../../../web/family.js';
import { OFFICE } from '../ids.js';
import { AuslaenderPanels } from './CasePanels.js';

const pages = { ablaufliste: () => import('./AblauflistePage.js') };
const AblauflistePage = lazy(() => pages.ablaufliste().then((m) => ({ default: m.AblauflistePage })));

/**
 * The Ausländerbehörde in the web app: the application forms come from the definitions; the case
 * panels show the § 81 check, the certificates and the BA step; the Ablaufliste is the page a
 * clerk opens first.
 */
export const auslaenderWeb: WebFamily = {
  id: 'auslaender',
  definitions: () => import('../index.js').then((m) => m.auslaender),
  handoverOffices: [OFFICE],
  routes: [['/auslaender/ablaufliste', () => <AblauflistePage />]],
  prefetch: Object.values(pages),
  // Only for users who work in the Ausländerbehörde alone: anyone else keeps the worklist.
  startPage: (offices) => (offices.size === 1 && offices.has(OFFICE) ? '/auslaender/ablaufliste' : undefined),
  nav: (offices) => (offices.has(OFFICE) ? [['/auslaender/ablaufliste', 'Ablaufliste']] : []),
  CasePanels: AuslaenderPanels,
};
