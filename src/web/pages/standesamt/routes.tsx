import { lazy, type ReactNode } from 'react';
import type { SessionUser } from '../../api.js';

/**
 * Routes and navigation of the Fachverfahren pages (Standesamt, Übergabe, Melderegister,
 * Kassenbuch), hooked into App.tsx. Pages load on demand; `fachPages` lets the app prefetch them.
 */
export const fachPages = {
  rooms: () => import('./RoomsPage.js'),
  registerBook: () => import('./RegisterBookPage.js'),
  handover: () => import('../handover/HandoverPage.js'),
  search: () => import('../register/SearchPage.js'),
  person: () => import('../register/PersonPage.js'),
  kasse: () => import('../kasse/KassePage.js'),
};

const RoomsPage = lazy(() => fachPages.rooms().then((m) => ({ default: m.RoomsPage })));
const RegisterBookPage = lazy(() => fachPages.registerBook().then((m) => ({ default: m.RegisterBookPage })));
const HandoverPage = lazy(() => fachPages.handover().then((m) => ({ default: m.HandoverPage })));
const HandoverBatchPage = lazy(() => fachPages.handover().then((m) => ({ default: m.HandoverBatchPage })));
const RegisterSearchPage = lazy(() => fachPages.search().then((m) => ({ default: m.RegisterSearchPage })));
const PersonPage = lazy(() => fachPages.person().then((m) => ({ default: m.PersonPage })));
const KassePage = lazy(() => fachPages.kasse().then((m) => ({ default: m.KassePage })));

export const FACH_ROUTES: Array<[pattern: string, render: (p: Record<string, string>) => ReactNode]> = [
  ['/standesamt/raeume', () => <RoomsPage />],
  ['/standesamt/registerbuch', () => <RegisterBookPage />],
  ['/uebergabe', () => <HandoverPage />],
  ['/uebergabe/:id', (p) => <HandoverBatchPage key={p.id} batchId={p.id ?? ''} />],
  ['/melderegister', () => <RegisterSearchPage />],
  ['/melderegister/personen/:id', (p) => <PersonPage key={p.id} personId={p.id ?? ''} />],
  ['/kasse', () => <KassePage />],
];

/** Navigation entries for the offices the user works in. */
export function fachNav(user: SessionUser): Array<[href: string, label: string]> {
  const offices = new Set(user.grants.map((g) => g.officeType));
  const items: Array<[string, string]> = [];
  if (offices.has('meldebehoerde')) items.push(['/melderegister', 'Melderegister']);
  if (offices.has('standesamt'))
    items.push(['/standesamt/registerbuch', 'Registerbuch'], ['/standesamt/raeume', 'Trauräume']);
  if (offices.has('standesamt') || offices.has('meldebehoerde')) items.push(['/uebergabe', 'Übergabe']);
  if (user.grants.length > 0) items.push(['/kasse', 'Kassenbuch']);
  return items;
}
