import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { describeEachDialect, openTestDatabase } from '../../../test/harness.js';
import type { DatabaseHandle } from '../../db/database.js';
import type { Principal } from '../access.js';
import { seedDemoAuthorities } from '../authorities/seed.js';
import { AppError } from '../errors.js';
import { defineProcedure, type ProcedureDefinition } from '../procedure.js';
import { ProcedureRegistry } from '../procedure-registry.js';
import { CaseService } from './service.js';

const SIEGEN = '05970040';

/** A definition whose cross-field rule assumes the field check passed (zod runs it anyway). */
const fragile = defineProcedure({
  id: 'fragile',
  version: 1,
  office: 'standesamt',
  title: 'Testverfahren',
  description: 'nur für Tests',
  aktenzeichenCode: 'TF',
  form: {
    schema: z
      .object({ datum: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Datum: JJJJ-MM-TT.') })
      .superRefine((d, ctx) => {
        // Reads the month as if the format check had passed (zod runs this after a failed regex).
        const monat = (d.datum.split('-')[1] as string).padStart(2, '0');
        if (monat === '00') ctx.addIssue({ code: 'custom', message: 'Monat 00' });
      }),
    sections: [],
  },
  states: { offen: { label: 'Offen' } },
  create: { id: 'anlegen', label: 'Anlegen', to: 'offen', roles: ['sachbearbeitung'] },
  actions: [],
  documents: [],
  handover: [],
  searchText: () => [],
  summary: () => 'Test',
}) as unknown as ProcedureDefinition;

describeEachDialect('case validation', (dialect) => {
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

  beforeAll(async () => {
    ({ handle, cleanup } = await openTestDatabase(dialect));
    const now = new Date('2026-11-26T10:00:00Z');
    await seedDemoAuthorities(handle.db, now);
    service = new CaseService({
      db: handle.db,
      registry: new ProcedureRegistry([fragile]),
      installationId: 'test',
      now: () => now,
    });
  });
  afterAll(() => cleanup());

  it('refuses malformed data that trips a cross-field rule as bad input, and stores nothing', async () => {
    const attempt = service.create(
      principal,
      { procedureId: 'fragile', authorityAgs: SIEGEN, data: { datum: 'gestern' } },
      { key: randomUUID(), scope: 'test', requestHash: 'x' },
    );
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const count = await handle.db
      .selectFrom('cases')
      .select((e) => e.fn.countAll().as('n'))
      .executeTakeFirst();
    expect(Number(count?.n)).toBe(0);
  });
});
