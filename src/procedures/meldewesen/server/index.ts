import type { ServerFamily } from '../../../core/family.js';
import { AUSWEIS_PROCEDURES, feeTableFromEnvironment } from '../ausweis.js';
import { AUSWEIS_ARTEN, MELDUNG_ARTEN, meldewesen } from '../index.js';
import { addRegisterCommands } from './cli.js';
import { registerMeldewesenDocuments } from './documents.js';
import { registerMeldewesenHandover } from './handover.js';
import { ausweisHooks, meldungHooks } from './hooks.js';
import { RegisterService } from './register/search.js';
import { registerRoutes } from './routes.js';

/**
 * The server part of the Meldewesen: register overlay and cash-journal hooks, receipts, XMeld/CSV
 * handover, the resident register (search routes, `notbetrieb register import|generate`).
 */
export const meldewesenServer: ServerFamily = {
  ...meldewesen,
  hooks: () => {
    const table = feeTableFromEnvironment();
    return Object.fromEntries([
      ...MELDUNG_ARTEN.map((art) => [art, meldungHooks(art)]),
      ...AUSWEIS_ARTEN.map((art) => [AUSWEIS_PROCEDURES[art].id, ausweisHooks(art, table)]),
    ]);
  },
  documents: registerMeldewesenDocuments,
  handover: registerMeldewesenHandover,
  routes: async (app, { db, dialect }) => {
    await app.register(registerRoutes, { register: new RegisterService(db, dialect), db });
  },
  cli: addRegisterCommands,
};
