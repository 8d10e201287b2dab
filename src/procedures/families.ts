import type { ServerFamily } from '../core/family.js';
import { asylServer } from './asyl/server/index.js';
import { auslaenderServer } from './auslaender/server/index.js';
import { fuehrerscheinServer } from './fuehrerschein/server/index.js';
import { haushaltServer } from './haushalt/server/index.js';
import { kfzServer } from './kfz/server/index.js';
import { krisenstabServer } from './krisenstab/server/index.js';
import { meldewesenServer } from './meldewesen/server/index.js';
import { sozialhilfeServer } from './sozialhilfe/server/index.js';
import { standesamtServer } from './standesamt/server/index.js';
import { verlustanzeigeServer } from './verlustanzeige/server/index.js';

/**
 * THE list of procedure families on the server (one line per family). The app, the CLI and the
 * migrator read it; nothing else names a family. The web app has its own list (src/web/families.ts).
 * See docs/ARCHITECTURE.md, "Adding a procedure family".
 */
export const FAMILIES: readonly ServerFamily[] = [
  verlustanzeigeServer,
  standesamtServer,
  meldewesenServer,
  fuehrerscheinServer,
  haushaltServer,
  krisenstabServer,
  kfzServer,
  asylServer,
  sozialhilfeServer,
  auslaenderServer,
];
