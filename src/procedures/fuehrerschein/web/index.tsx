import { lazy } from 'react';
import type { WebFamily } from '../../../web/family.js';
import { FuehrerscheinPanels } from './CasePanels.js';

const pages = { frist: () => import('./UmtauschfristPage.js') };
const UmtauschfristPage = lazy(() => pages.frist().then((m) => ({ default: m.UmtauschfristPage })));

/**
 * The Fahrerlaubnisbehörde in the web app: the procedures' forms come from the definitions; the
 * case panels show the class check, the exchange deadline, fee and payment, and the issued proof;
 * one page holds the counter tools (exchange deadline, check digit).
 */
export const fuehrerscheinWeb: WebFamily = {
  id: 'fuehrerschein',
  definitions: () => import('../index.js').then((m) => m.fuehrerschein),
  handoverOffices: ['fahrerlaubnisbehoerde'],
  routes: [['/fahrerlaubnis/umtauschfrist', () => <UmtauschfristPage />]],
  prefetch: Object.values(pages),
  nav: (offices) =>
    offices.has('fahrerlaubnisbehoerde') ? [['/fahrerlaubnis/umtauschfrist', 'Umtauschfristen']] : [],
  CasePanels: FuehrerscheinPanels,
};
