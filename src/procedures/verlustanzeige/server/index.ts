import type { ServerFamily } from '../../../core/family.js';
import { verlustanzeige } from '../index.js';
import { registerVerlustanzeigeDocuments } from './documents.js';

/** The server part of the Verlustanzeige: the receipt PDF. */
export const verlustanzeigeServer: ServerFamily = {
  ...verlustanzeige,
  documents: registerVerlustanzeigeDocuments,
};
