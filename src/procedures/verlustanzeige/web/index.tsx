import type { WebFamily } from '../../../web/family.js';

/** The Verlustanzeige needs no pages of its own: the generic case pages serve it. */
export const verlustanzeigeWeb: WebFamily = {
  id: 'verlustanzeige',
  definitions: () => import('../index.js').then((m) => m.verlustanzeige),
};
