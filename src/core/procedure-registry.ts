import type {
  HookTable,
  PrepareHook,
  ProcedureDefinition,
  ProcedureFamily,
  ProcedureOptions,
} from './procedure.js';

/**
 * All procedures the system offers, by id, with the server's `prepare` hooks bound to their action
 * ids. Built from the family list (src/procedures/families.ts on the server, src/web/families.ts in
 * the browser, which has no hooks). A hook for an action the definition does not have is a
 * programming error and fails at start-up.
 */
export class ProcedureRegistry {
  private readonly byId = new Map<string, ProcedureDefinition>();
  private readonly hooks = new Map<string, PrepareHook>();

  constructor(definitions: ProcedureDefinition[], hooks: HookTable = {}) {
    for (const d of definitions) {
      if (this.byId.has(d.id)) throw new Error(`Procedure id ${d.id} defined twice`);
      this.byId.set(d.id, d);
      const ids = new Set([d.create.id, ...d.actions.map((a) => a.id)]);
      for (const a of d.actions) {
        for (const earlier of a.fourEyes?.after ?? []) {
          if (!ids.has(earlier))
            throw new Error(`four-eyes rule of ${d.id}/${a.id} names unknown action ${earlier}`);
        }
      }
    }
    for (const [procedureId, table] of Object.entries(hooks)) {
      const def = this.byId.get(procedureId);
      if (!def) throw new Error(`prepare hooks for unknown procedure ${procedureId}`);
      const actions = new Set([def.create.id, ...def.actions.map((a) => a.id)]);
      for (const [actionId, hook] of Object.entries(table)) {
        if (!actions.has(actionId))
          throw new Error(`prepare hook for unknown action ${procedureId}/${actionId}`);
        this.hooks.set(`${procedureId}/${actionId}`, hook as PrepareHook);
      }
    }
  }

  get(id: string): ProcedureDefinition | undefined {
    return this.byId.get(id);
  }

  list(): ProcedureDefinition[] {
    return [...this.byId.values()];
  }

  /** The server's hook for an action (or the create action), if the family binds one. */
  hook(procedureId: string, actionId: string): PrepareHook | undefined {
    return this.hooks.get(`${procedureId}/${actionId}`);
  }
}

/** The registry of a list of families: their definitions and, on the server, their hooks. */
export function registryOf(
  families: ReadonlyArray<ProcedureFamily & { hooks?: (opts: ProcedureOptions) => HookTable }>,
  opts: ProcedureOptions,
): ProcedureRegistry {
  const hooks: HookTable = {};
  for (const f of families) Object.assign(hooks, f.hooks?.(opts));
  return new ProcedureRegistry(
    families.flatMap((f) => f.procedures(opts)),
    hooks,
  );
}
