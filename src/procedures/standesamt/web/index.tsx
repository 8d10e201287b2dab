import { lazy } from 'react';
import type { WebFamily } from '../../../web/family.js';
import { StandesamtPanels, standesamtPanelActions } from './CasePanels.js';

const pages = {
  rooms: () => import('./RoomsPage.js'),
  registerBook: () => import('./RegisterBookPage.js'),
};
const RoomsPage = lazy(() => pages.rooms().then((m) => ({ default: m.RoomsPage })));
const RegisterBookPage = lazy(() => pages.registerBook().then((m) => ({ default: m.RegisterBookPage })));

/** The Standesamt in the web app: register book, ceremony rooms, case panels. */
export const standesamtWeb: WebFamily = {
  id: 'standesamt',
  definitions: () => import('../index.js').then((m) => m.standesamt),
  handoverOffices: ['standesamt'],
  routes: [
    ['/standesamt/raeume', () => <RoomsPage />],
    ['/standesamt/registerbuch', () => <RegisterBookPage />],
  ],
  prefetch: Object.values(pages),
  nav: (offices) =>
    offices.has('standesamt')
      ? [
          ['/standesamt/registerbuch', 'Registerbuch'],
          ['/standesamt/raeume', 'Trauräume'],
        ]
      : [],
  CasePanels: StandesamtPanels,
  panelActions: standesamtPanelActions,
};
