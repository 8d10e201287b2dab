import type { WebFamily } from '../../../web/family.js';

/** The AsylbLG family in the web app: forms from the definitions. */
export const asylWeb: WebFamily = {
  id: 'asyl',
  definitions: () => import('../index.js').then((m) => m.asyl),
  handoverOffices: ['sozialamt'],
};
