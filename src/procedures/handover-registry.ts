import { HandoverRegistry } from '../core/handover/format.js';
import { registerMeldewesenHandover } from './meldewesen/handover.js';
import { registerStandesamtHandover } from './standesamt/handover.js';

/**
 * Every procedure's handover formats (serializers), for the server and the CLI alike. A procedure
 * that hands over adds one line here (see docs/HANDOVER.md).
 */
export function createHandoverRegistry(): HandoverRegistry {
  const h = new HandoverRegistry();
  registerStandesamtHandover(h);
  registerMeldewesenHandover(h);
  return h;
}
