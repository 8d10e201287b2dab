import type { ServerFamily } from '../../../core/family.js';
import { asyl } from '../index.js';

/** The server part of the AsylbLG family (docs/ASYL.md). */
export const asylServer: ServerFamily = {
  ...asyl,
};
