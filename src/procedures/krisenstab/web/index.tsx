import { lazy } from 'react';
import type { WebFamily } from '../../../web/family.js';

const pages = {
  lage: () => import('./LagePage.js'),
  behoerde: () => import('./BehoerdePage.js'),
  log: () => import('./LogPage.js'),
  berichte: () => import('./LageberichtePage.js'),
  dienste: () => import('./DienstePage.js'),
  termine: () => import('./TerminePage.js'),
};
const LagePage = lazy(() => pages.lage().then((m) => ({ default: m.LagePage })));
const BehoerdePage = lazy(() => pages.behoerde().then((m) => ({ default: m.BehoerdePage })));
const LogPage = lazy(() => pages.log().then((m) => ({ default: m.LogPage })));
const LageberichtePage = lazy(() => pages.berichte().then((m) => ({ default: m.LageberichtePage })));
const DienstePage = lazy(() => pages.dienste().then((m) => ({ default: m.DienstePage })));
const TerminePage = lazy(() => pages.termine().then((m) => ({ default: m.TerminePage })));

/**
 * The Krisenstab in the web app: the situation board, the log and the Lageberichte for the crisis
 * team; the service catalogue for the Amtsleitung; the appointment list for every office.
 */
export const krisenstabWeb: WebFamily = {
  id: 'krisenstab',
  definitions: () => import('../index.js').then((m) => m.krisenstab),
  routes: [
    ['/krisenstab', () => <LagePage />],
    ['/krisenstab/behoerden/:ags', (p) => <BehoerdePage key={p.ags} ags={p.ags ?? ''} />],
    ['/krisenstab/log', () => <LogPage />],
    ['/krisenstab/lageberichte', () => <LageberichtePage />],
    ['/dienste', () => <DienstePage />],
    ['/termine', () => <TerminePage />],
  ],
  prefetch: Object.values(pages),
  nav: (offices, user) => [
    ...(user.isCrisisTeam
      ? ([
          ['/krisenstab', 'Lagebild'],
          ['/krisenstab/log', 'Lagelog'],
          ['/krisenstab/lageberichte', 'Lageberichte'],
        ] as Array<[string, string]>)
      : []),
    ...(offices.size ? ([['/termine', 'Termine']] as Array<[string, string]>) : []),
    ...(user.roles.has('leitung') ? ([['/dienste', 'Dienste']] as Array<[string, string]>) : []),
  ],
};
