import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeEachDialect, openTestDatabase } from '../../../test/harness.js';
import type { DatabaseHandle } from '../../db/database.js';
import type { Principal } from '../access.js';
import { seedDemoAuthorities } from '../authorities/seed.js';
import { requireOtherPerson } from '../four-eyes.js';
import { defineProcedure, type ProcedureDefinition } from '../procedure.js';
import { ProcedureRegistry } from '../procedure-registry.js';
import { CaseService } from './service.js';

/**
 * The generic four-eyes rule of a case action (ActionDefinition.fourEyes, core/four-eyes.ts): the
 * action "freigeben" must be done by another person than the latest "vorbereiten" — whatever
 * roles that person holds.
 */
const SIEGEN = '05970040';

const toy = defineProcedure({
  id: 'vieraugen',
  version: 1,
  office: 'sozialamt',
  title: 'Vier-Augen-Test',
  description: 'nur für Tests',
  aktenzeichenCode: 'VT',
  form: { schema: z.object({ name: z.string() }).strict(), sections: [] },
  states: {
    offen: { label: 'Offen' },
    vorbereitet: { label: 'Vorbereitet' },
    frei: { label: 'Freigegeben', final: true },
  },
  create: { id: 'anlegen', label: 'Anlegen', to: 'offen', roles: ['sachbearbeitung'] },
  actions: [
    {
      id: 'vorbereiten',
      label: 'Vorbereiten',
      from: ['offen', 'vorbereitet'],
      to: 'vorbereitet',
      roles: ['sachbearbeitung'],
    },
    {
      id: 'freigeben',
      label: 'Freigeben',
      from: ['vorbereitet'],
      to: 'frei',
      roles: ['leitung'],
      fourEyes: { after: ['vorbereiten'] },
    },
  ],
  documents: [],
  handover: [],
  searchText: (d) => [d.name],
  summary: (d) => d.name,
}) as unknown as ProcedureDefinition;

function person(userId: string, roles: Array<'sachbearbeitung' | 'leitung'>, isAdmin = false): Principal {
  return {
    userId,
    username: userId,
    displayName: userId,
    grants: roles.map((role) => ({ authorityAgs: SIEGEN, officeType: 'sozialamt', role })),
    isAdmin,
    isCrisisTeam: false,
  };
}

describeEachDialect('four-eyes rule of a case action', (dialect) => {
  let handle: DatabaseHandle;
  let cleanup: () => Promise<void>;
  let service: CaseService;
  const idem = () => ({ key: randomUUID(), scope: 'test', requestHash: 'x' });
  const both = person('u-both', ['sachbearbeitung', 'leitung'], true);
  const head = person('u-head', ['leitung']);

  beforeAll(async () => {
    ({ handle, cleanup } = await openTestDatabase(dialect));
    const now = new Date('2026-12-03T10:00:00Z');
    await seedDemoAuthorities(handle.db, now);
    service = new CaseService({
      db: handle.db,
      registry: new ProcedureRegistry([toy]),
      installationId: 'test',
      now: () => now,
    });
  });
  afterAll(() => cleanup());

  async function prepared(by: Principal): Promise<string> {
    const c = (
      await service.create(
        by,
        { procedureId: 'vieraugen', authorityAgs: SIEGEN, data: { name: 'x' } },
        idem(),
      )
    ).body as { id: string };
    await service.act(by, { caseId: c.id, actionId: 'vorbereiten', expectedVersion: 1, payload: {} }, idem());
    return c.id;
  }

  it('refuses the second step to the person of the first, even with both roles and administration', async () => {
    const id = await prepared(both);
    await expect(
      service.act(both, { caseId: id, actionId: 'freigeben', expectedVersion: 2, payload: {} }, idem()),
    ).rejects.toMatchObject({ code: 'ACTION_NOT_ALLOWED', title: 'Vier-Augen-Prinzip' });
    const view = await service.get(both, id);
    expect(view.status).toBe('vorbereitet');
    expect(view.version).toBe(2);
  });

  it('lets another person do the second step', async () => {
    const id = await prepared(both);
    const done = (
      await service.act(head, { caseId: id, actionId: 'freigeben', expectedVersion: 2, payload: {} }, idem())
    ).body as { status: string };
    expect(done.status).toBe('frei');
  });

  it('judges by the latest first step: whoever prepared last may not release', async () => {
    const id = await prepared(both);
    await service.act(head, { caseId: id, actionId: 'vorbereiten', expectedVersion: 2, payload: {} }, idem());
    await expect(
      service.act(head, { caseId: id, actionId: 'freigeben', expectedVersion: 3, payload: {} }, idem()),
    ).rejects.toMatchObject({ title: 'Vier-Augen-Prinzip' });
    const done = (
      await service.act(both, { caseId: id, actionId: 'freigeben', expectedVersion: 3, payload: {} }, idem())
    ).body as { status: string };
    expect(done.status).toBe('frei');
  });
});

describe('four-eyes rule', () => {
  it('compares persons, not roles', () => {
    expect(() => requireOtherPerson({ userId: 'a', label: 'x' }, { userId: 'a', label: 'y' })).toThrow(
      /anderen Person/,
    );
    expect(() => requireOtherPerson({ userId: 'a', label: 'x' }, { userId: 'b', label: 'y' })).not.toThrow();
  });

  it('refuses at start-up a rule that names an unknown action', () => {
    const broken = {
      ...toy,
      actions: toy.actions.map((a) =>
        a.id === 'freigeben' ? { ...a, fourEyes: { after: ['vorbereitn'] } } : a,
      ),
    };
    expect(() => new ProcedureRegistry([broken])).toThrow(
      'four-eyes rule of vieraugen/freigeben names unknown action vorbereitn',
    );
  });
});
