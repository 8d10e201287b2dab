import { asylWeb } from '../procedures/asyl/web/index.js';
import { auslaenderWeb } from '../procedures/auslaender/web/index.js';
import { fuehrerscheinWeb } from '../procedures/fuehrerschein/web/index.js';
import { haushaltWeb } from '../procedures/haushalt/web/index.js';
import { kfzWeb } from '../procedures/kfz/web/index.js';
import { krisenstabWeb } from '../procedures/krisenstab/web/index.js';
import { meldewesenWeb } from '../procedures/meldewesen/web/index.js';
import { sozialhilfeWeb } from '../procedures/sozialhilfe/web/index.js';
import { standesamtWeb } from '../procedures/standesamt/web/index.js';
import { verlustanzeigeWeb } from '../procedures/verlustanzeige/web/index.js';
import type { WebFamily } from './family.js';

/**
 * THE list of procedure families in the web app (one line per family; the server's list is
 * src/procedures/families.ts). The order is the order of their navigation entries.
 */
export const WEB_FAMILIES: readonly WebFamily[] = [
  verlustanzeigeWeb,
  meldewesenWeb,
  standesamtWeb,
  fuehrerscheinWeb,
  haushaltWeb,
  krisenstabWeb,
  kfzWeb,
  asylWeb,
  sozialhilfeWeb,
  auslaenderWeb,
];
