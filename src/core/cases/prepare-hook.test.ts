import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeEachDialect, openTestDatabase } from '../../../test/harness.js';
import type { DatabaseHandle } from '../../db/database.js';
import { allocateRegisterNumber } from '../../procedures/standesamt/server/numbers.js';
import type { Principal } from '../access.js';
import { seedDemoAuthorities } from '../authorities/seed.js';
import { AppError } from '../errors.js';
import {
  defineProcedure,
  type PrepareContext,
  type ProcedureDefinition,
  type ProcedureHooks,
} from '../procedure.js';
import { ProcedureRegistry } from '../procedure-registry.js';
import { replay } from './replay.js';
import { CaseService } from './service.js';

/**
 * The transactional `prepare` hook of the procedure framework (issue 5): it runs inside the
 * action's transaction, may write other tables, may refuse (everything rolls back), and what it
 * returns is the stored payload — so replaying the stored actions gives the stored snapshot.
 */
const SIEGEN = '05970040';

const toy = defineProcedure({
  id: 'toy',
  version: 1,
  office: 'standesamt',
  title: 'Testverfahren',
  description: 'nur für Tests',
  aktenzeichenCode: 'TT',
  form: { schema: z.object({ name: z.string(), refuse: z.boolean().optional() }).strict(), sections: [] },
  states: { offen: { label: 'Offen' }, fertig: { label: 'Fertig', final: true } },
  create: {
    id: 'anlegen',
    label: 'Anlegen',
    to: 'offen',
    roles: ['sachbearbeitung'],
  },
  actions: [
    {
      id: 'abschliessen',
      label: 'Abschließen',
      from: ['offen'],
      to: 'fertig',
      roles: ['sachbearbeitung'],
      apply: (data, payload) =>
        ({ ...(data as object), nummer: (payload as { nummer: string }).nummer }) as never,
    },
  ],
  documents: [],
  handover: [],
  searchText: (d) => [d.name],
  summary: (d) => d.name,
}) as unknown as ProcedureDefinition;

/** The toy's hooks, bound by action id as a family's server part does. */
const toyHooks: ProcedureHooks = {
  anlegen: async (ctx: PrepareContext<{ name: string }>) => ({
    ...ctx.case.data,
    angelegtVon: ctx.actor,
    az: ctx.case.aktenzeichen,
  }),
  abschliessen: async (ctx: PrepareContext) => {
    // Takes a number first, then may refuse: the refusal must roll the number back.
    const n = await allocateRegisterNumber(ctx.trx, {
      authorityAgs: ctx.case.authorityAgs,
      register: 'T',
      year: 2026,
      caseId: ctx.case.id,
      now: ctx.now,
    });
    if ((ctx.case.data as { refuse?: boolean }).refuse) {
      throw new AppError('ACTION_NOT_ALLOWED', 'Abgelehnt', 'Der Test lehnt ab.');
    }
    return { nummer: n.number };
  },
};

describeEachDialect('procedure framework: prepare hook', (dialect) => {
  let handle: DatabaseHandle;
  let cleanup: () => Promise<void>;
  let service: CaseService;
  const principal: Principal = {
    userId: 'u-1',
    username: 'u1',
    displayName: 'Test',
    grants: [{ authorityAgs: SIEGEN, officeType: 'standesamt', role: 'sachbearbeitung' }],
    isAdmin: false,
    isCrisisTeam: false,
  };
  const idem = () => ({ key: randomUUID(), scope: 'test', requestHash: 'x' });

  beforeAll(async () => {
    ({ handle, cleanup } = await openTestDatabase(dialect));
    const now = new Date('2026-11-26T10:00:00Z');
    await seedDemoAuthorities(handle.db, now);
    service = new CaseService({
      db: handle.db,
      registry: new ProcedureRegistry([toy], { toy: toyHooks }),
      installationId: 'test',
      now: () => now,
    });
  });
  afterAll(() => cleanup());

  it('stores what the create hook returns', async () => {
    const c = (
      await service.create(
        principal,
        { procedureId: 'toy', authorityAgs: SIEGEN, data: { name: 'A' } },
        idem(),
      )
    ).body as {
      id: string;
      aktenzeichen: string;
      data: Record<string, unknown>;
      actions: Array<{ payload: unknown }>;
    };
    expect(c.data).toEqual({ name: 'A', angelegtVon: 'u-1', az: c.aktenzeichen });
    expect(c.actions[0]?.payload).toEqual(c.data);
  });

  it('stores the enriched payload of an action, and replay reproduces the snapshot', async () => {
    const c = (
      await service.create(
        principal,
        { procedureId: 'toy', authorityAgs: SIEGEN, data: { name: 'B' } },
        idem(),
      )
    ).body as {
      id: string;
    };
    const done = (
      await service.act(
        principal,
        { caseId: c.id, actionId: 'abschliessen', expectedVersion: 1, payload: {} },
        idem(),
      )
    ).body as {
      status: string;
      data: { nummer: string };
      actions: Array<{ action: string; payload: unknown; at: string }>;
    };
    expect(done.status).toBe('fertig');
    expect(done.data.nummer).toMatch(/^T \d+\/2026$/);
    expect(done.actions[1]?.payload).toEqual({ nummer: done.data.nummer });
    const replayed = replay(
      toy,
      done.actions.map((a) => ({ action: a.action, payload: a.payload, day: a.at.slice(0, 10) })),
    );
    expect(replayed.data).toEqual(done.data);
  });

  it('rolls back everything the hook wrote when it refuses', async () => {
    const c = (
      await service.create(
        principal,
        { procedureId: 'toy', authorityAgs: SIEGEN, data: { name: 'C', refuse: true } },
        idem(),
      )
    ).body as { id: string };
    const before = await handle.db
      .selectFrom('register_entry')
      .selectAll()
      .where('register', '=', 'T')
      .execute();
    await expect(
      service.act(
        principal,
        { caseId: c.id, actionId: 'abschliessen', expectedVersion: 1, payload: {} },
        idem(),
      ),
    ).rejects.toThrow('Der Test lehnt ab.');
    const after = await handle.db
      .selectFrom('register_entry')
      .selectAll()
      .where('register', '=', 'T')
      .execute();
    expect(after).toHaveLength(before.length);
    const counter = await handle.db
      .selectFrom('register_number_counter')
      .select('last_seq')
      .where('register', '=', 'T')
      .executeTakeFirst();
    expect(Number(counter?.last_seq ?? 0)).toBe(before.length);
    const view = await service.get(principal, c.id);
    expect(view.version).toBe(1);
    expect(view.actions).toHaveLength(1);
  });
});

describe('binding hooks to a definition', () => {
  it('refuses, at start-up, a hook for an action or a procedure that does not exist', () => {
    expect(() => new ProcedureRegistry([toy], { toy: { abschliesen: async () => ({}) } })).toThrow(
      'prepare hook for unknown action toy/abschliesen',
    );
    expect(() => new ProcedureRegistry([toy], { spielzeug: toyHooks })).toThrow(
      'prepare hooks for unknown procedure spielzeug',
    );
    const registry = new ProcedureRegistry([toy], { toy: toyHooks });
    expect(registry.hook('toy', 'anlegen')).toBe(toyHooks.anlegen);
    expect(registry.hook('toy', 'stornieren')).toBeUndefined();
  });
});
