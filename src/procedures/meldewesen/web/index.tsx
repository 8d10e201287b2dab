import { lazy } from 'react';
import type { WebFamily } from '../../../web/family.js';
import { MeldewesenPanels } from './CasePanels.js';

const pages = {
  search: () => import('./SearchPage.js'),
  person: () => import('./PersonPage.js'),
};
const RegisterSearchPage = lazy(() => pages.search().then((m) => ({ default: m.RegisterSearchPage })));
const PersonPage = lazy(() => pages.person().then((m) => ({ default: m.PersonPage })));

/** The Meldewesen in the web app: register search, person page, fee and Meldefrist panels. */
export const meldewesenWeb: WebFamily = {
  id: 'meldewesen',
  definitions: () => import('../index.js').then((m) => m.meldewesen),
  handoverOffices: ['meldebehoerde'],
  routes: [
    ['/melderegister', () => <RegisterSearchPage />],
    ['/melderegister/personen/:id', (p) => <PersonPage key={p.id} personId={p.id ?? ''} />],
  ],
  prefetch: Object.values(pages),
  nav: (offices) => (offices.has('meldebehoerde') ? [['/melderegister', 'Melderegister']] : []),
  CasePanels: MeldewesenPanels,
};
