import type { ProcedureFamily } from '../../core/procedure.js';
import { createErsatz } from './ersatz.js';
import { createErsterteilung } from './ersterteilung.js';
import { gebuehrenAusUmgebung } from './gebuehren.js';
import { createInternational } from './international.js';
import { regelnAusUmgebung } from './klassen.js';
import { createUmtausch } from './umtausch.js';

export { ERSATZ_ID } from './ersatz.js';
export { ERSTERTEILUNG_ID } from './ersterteilung.js';
export { INTERNATIONAL_ID } from './international.js';
export { UMTAUSCH_ID } from './umtausch.js';

/**
 * Fahrerlaubnisbehörde (issue 12, point 6): Ersterteilung/Erweiterung, Umtausch, Ersatzführerschein,
 * Internationaler Führerschein. Browser-safe: definitions only. Rules and fees come from
 * FAHRERLAUBNIS_REGELN_JSON / FAHRERLAUBNIS_GEBUEHREN_JSON on the server, else the defaults
 * (docs/FUEHRERSCHEIN.md).
 */
export const fuehrerschein: ProcedureFamily = {
  id: 'fuehrerschein',
  procedures: (opts) => {
    const regeln = regelnAusUmgebung();
    const gebuehrenTabelle = gebuehrenAusUmgebung();
    return [
      createErsterteilung({ today: opts.today, regeln, gebuehrenTabelle }),
      createUmtausch({ today: opts.today, gebuehrenTabelle }),
      createErsatz({ today: opts.today, gebuehrenTabelle }),
      createInternational({ today: opts.today, regeln, gebuehrenTabelle }),
    ];
  },
};
