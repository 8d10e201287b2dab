import type { IsoDate } from '../core/dates.js';
import type { ProcedureDefinition } from '../core/procedure.js';
import { createMeldewesenProcedures } from './meldewesen/index.js';
import { createEheschliessung } from './standesamt/eheschliessung.js';
import { createGeburt } from './standesamt/geburt.js';
import { createSterbefall } from './standesamt/sterbefall.js';
import { createVerlustanzeige } from './verlustanzeige/definition.js';

export interface ProcedureOptions {
  /** Today's date in Germany; injectable so that tests can fix the clock. */
  today: () => IsoDate;
  verlustanzeigeBearbeitungsfristArbeitstage?: number;
}

/** All procedures the system offers, by id. */
export class ProcedureRegistry {
  private readonly byId = new Map<string, ProcedureDefinition>();

  constructor(definitions: ProcedureDefinition[]) {
    for (const d of definitions) {
      if (this.byId.has(d.id)) throw new Error(`Procedure id ${d.id} defined twice`);
      this.byId.set(d.id, d);
    }
  }

  get(id: string): ProcedureDefinition | undefined {
    return this.byId.get(id);
  }

  list(): ProcedureDefinition[] {
    return [...this.byId.values()];
  }
}

export function createRegistry(opts: ProcedureOptions): ProcedureRegistry {
  return new ProcedureRegistry([
    createVerlustanzeige({
      today: opts.today,
      bearbeitungsfristArbeitstage: opts.verlustanzeigeBearbeitungsfristArbeitstage,
    }) as unknown as ProcedureDefinition,
    createGeburt({ today: opts.today }),
    createSterbefall({ today: opts.today }),
    createEheschliessung({ today: opts.today }),
    ...createMeldewesenProcedures({ today: opts.today }),
  ]);
}
