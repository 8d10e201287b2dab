import type { IsoDate } from '../../core/dates.js';
import type { ProcedureDefinition } from '../../core/procedure.js';
import { createAusweisantrag, feeTableFromEnvironment } from './ausweis.js';
import type { AusweisFeeTable } from './fees.js';
import { createMeldung } from './meldung.js';

/** All Meldewesen procedures (issue 6): Meldevorgänge and ID document applications. */
export function createMeldewesenProcedures(opts: {
  today: () => IsoDate;
  feeTable?: AusweisFeeTable;
}): ProcedureDefinition[] {
  const feeTable = opts.feeTable ?? feeTableFromEnvironment();
  return [
    createMeldung('anmeldung', opts),
    createMeldung('ummeldung', opts),
    createMeldung('abmeldung', opts),
    createAusweisantrag('personalausweis', { today: opts.today, feeTable }),
    createAusweisantrag('reisepass', { today: opts.today, feeTable }),
    createAusweisantrag('vorlaeufiger_personalausweis', { today: opts.today, feeTable }),
    createAusweisantrag('vorlaeufiger_reisepass', { today: opts.today, feeTable }),
  ];
}
