import type { ServerFamily } from '../../../core/family.js';
import { gebuehrenAusUmgebung } from '../gebuehren.js';
import { fuehrerschein } from '../index.js';
import { regelnAusUmgebung } from '../klassen.js';
import { registerFuehrerscheinDocuments } from './documents.js';
import { registerFuehrerscheinHandover } from './handover.js';
import { fuehrerscheinHooks } from './hooks.js';
import * as m20261203T1000 from './migrations/2026-12-03T1000-fuehrerschein-nummern.js';

/**
 * The server part of the Fahrerlaubnisbehörde: class rules with the office's Land, fees by the
 * office's table into the cash journal, the Vorläufiger Nachweis (PDF), Führerscheinnummern once
 * only (own table), CSV handover.
 */
export const fuehrerscheinServer: ServerFamily = {
  ...fuehrerschein,
  hooks: () => fuehrerscheinHooks(regelnAusUmgebung(), gebuehrenAusUmgebung()),
  documents: registerFuehrerscheinDocuments,
  handover: registerFuehrerscheinHandover,
  migrations: { '2026-12-03T1000-fuehrerschein-nummern': m20261203T1000 },
};
