import { lazy } from 'react';
import type { WebFamily } from '../../../web/family.js';
import { HaushaltPanels } from './CasePanels.js';

const pages = {
  plans: () => import('./HaushaltPage.js'),
  plan: () => import('./PlanPage.js'),
  vorlaeufig: () => import('./VorlaeufigPage.js'),
};
const HaushaltPage = lazy(() => pages.plans().then((m) => ({ default: m.HaushaltPage })));
const PlanPage = lazy(() => pages.plan().then((m) => ({ default: m.PlanPage })));
const VorlaeufigPage = lazy(() => pages.vorlaeufig().then((m) => ({ default: m.VorlaeufigPage })));

/** The Kämmerei in the web app: budget plans, a plan with its versions, the vorläufige Haushaltsführung. */
export const haushaltWeb: WebFamily = {
  id: 'haushalt',
  definitions: () => import('../index.js').then((m) => m.haushalt),
  handoverOffices: ['kaemmerei'],
  routes: [
    ['/haushalt', () => <HaushaltPage />],
    ['/haushalt/plaene/:planId', (p) => <PlanPage key={p.planId} planId={p.planId ?? ''} />],
    ['/haushalt/vorlaeufig', () => <VorlaeufigPage />],
  ],
  prefetch: Object.values(pages),
  nav: (offices) =>
    offices.has('kaemmerei')
      ? [
          ['/haushalt', 'Haushalt'],
          ['/haushalt/vorlaeufig', 'Vorläufige Haushaltsführung'],
        ]
      : [],
  CasePanels: HaushaltPanels,
};
