import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  accountWith,
  createPgDatabase,
  createTestContext,
  describeEachDialect,
  loginOverHttp,
  PG_ADMIN_URL,
  type TestContext,
  type TestUser,
  userWith,
} from '../../../test/harness.js';
import { type DatabaseHandle, openDatabase } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import { verlustanzeigeDaten } from '../../procedures/verlustanzeige/fixtures.js';
import { MIGRATIONS, migrate } from '../../server/platform.js';
import { appendAudit, INSTALLATION_CHAIN, rowHash, verifyAuditChain } from './log.js';

const SIEGEN = '05970040';
const OLPE = '05966024';
const NAME = 'Auditmeier';

describeEachDialect('audit log', (dialect) => {
  let ctx: TestContext;
  let clerk: TestUser;
  let caseId: string;

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    clerk = await userWith(ctx, [{ ags: SIEGEN, office: 'meldebehoerde' }]);
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: { ...clerk.headers, 'idempotency-key': randomUUID() },
      payload: {
        procedureId: 'verlustanzeige',
        authorityAgs: SIEGEN,
        data: verlustanzeigeDaten({ person: { familienname: NAME } }),
      },
    });
    expect(res.statusCode).toBe(201);
    caseId = res.json().id;
  });
  afterAll(() => ctx.close());

  /** The rows of one chain in order (default: the authority Siegen's, where the clerk's requests go). */
  const rows = (chain = SIEGEN) =>
    ctx.handle.db.selectFrom('audit_log').selectAll().where('chain', '=', chain).orderBy('seq').execute();
  const allRows = () => ctx.handle.db.selectFrom('audit_log').selectAll().execute();

  it('records every read of a case with who, what, target, result, address and UTC time, and no personal data', async () => {
    const before = (await rows()).length;
    const read = await ctx.app.inject({ method: 'GET', url: `/api/cases/${caseId}`, headers: clerk.headers });
    expect(read.statusCode).toBe(200);
    const other = await userWith(ctx, [{ ags: OLPE, office: 'meldebehoerde' }]);
    const refused = await ctx.app.inject({
      method: 'GET',
      url: `/api/cases/${caseId}`,
      headers: other.headers,
    });
    expect(refused.statusCode).toBeGreaterThanOrEqual(403);
    // Each request goes to the chain of its user's authority.
    const added = [...(await rows()).slice(before), ...(await rows(OLPE))];
    const all = await allRows();
    expect(added).toHaveLength(2);
    expect(added[0]).toMatchObject({
      actor_id: clerk.userId,
      action: 'http.read',
      method: 'GET',
      route: '/api/cases/:id',
      status: 200,
      client_address: '127.0.0.1',
    });
    expect(JSON.parse(added[0]?.target ?? '{}')).toEqual({ id: caseId });
    expect(added[0]?.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(added[1]).toMatchObject({ actor_id: other.userId, status: refused.statusCode });
    // The creating write was recorded too.
    expect(all.some((r) => r.action === 'http.write' && r.route === '/api/cases' && r.status === 201)).toBe(
      true,
    );
    const text = JSON.stringify(all);
    expect(text).not.toContain(NAME);
    expect(text).not.toContain('T220001293');
  });

  it('records a case write once, inside its own transaction, and a refused write once with its status', async () => {
    const before = (await rows()).length;
    const key = randomUUID();
    const create = () =>
      ctx.app.inject({
        method: 'POST',
        url: '/api/cases',
        headers: { ...clerk.headers, 'idempotency-key': key },
        payload: { procedureId: 'verlustanzeige', authorityAgs: SIEGEN, data: verlustanzeigeDaten() },
      });
    const created = await create();
    expect(created.statusCode).toBe(201);
    const afterCreate = (await rows()).slice(before);
    expect(afterCreate).toHaveLength(1);
    expect(afterCreate[0]).toMatchObject({ action: 'http.write', route: '/api/cases', status: 201 });
    expect(JSON.parse(afterCreate[0]?.target ?? '{}')).toEqual({ caseId: created.json().id });
    // The audit row and the case commit together: the action row and the audit row exist both.
    const action = await ctx.handle.db
      .selectFrom('case_action')
      .select('created_at')
      .where('idempotency_key', '=', key)
      .executeTakeFirstOrThrow();
    expect(action.created_at).toBe(afterCreate[0]?.at);
    // A retry with the same key is answered from the stored result and recorded as such.
    expect((await create()).headers['idempotent-replayed']).toBe('true');
    const refused = await ctx.app.inject({
      method: 'POST',
      url: `/api/cases/${created.json().id}/actions/bestaetigen`,
      headers: { ...clerk.headers, 'idempotency-key': randomUUID() },
      payload: { expectedVersion: 7 },
    });
    expect(refused.statusCode).toBe(409);
    const added = (await rows()).slice(before);
    expect(added.map((r) => r.status)).toEqual([201, 201, 409]);
    expect((await verifyAuditChain(ctx.handle.db)).ok).toBe(true);
  });

  it('records logins, failures and admin acts', async () => {
    const acct = await accountWith(ctx, []);
    await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: acct.username, password: 'falsches Passwort!!' },
    });
    await loginOverHttp(ctx, acct);
    const admin = await userWith(ctx, [], { isAdmin: true });
    const end = await ctx.app.inject({
      method: 'POST',
      url: `/api/admin/users/${acct.userId}/end-sessions`,
      headers: { ...admin.headers, 'idempotency-key': randomUUID() },
    });
    expect(end.statusCode).toBe(200);
    const mine = (await allRows()).filter(
      (r) => r.actor_id === acct.userId || r.target?.includes(acct.userId),
    );
    expect(mine.map((r) => r.action)).toEqual(
      expect.arrayContaining([
        'login.failed',
        'login.password_accepted',
        'login.second_factor_accepted',
        'admin.sessions_ended',
      ]),
    );
    const act = mine.find((r) => r.action === 'admin.sessions_ended');
    expect(act?.actor_id).toBe(admin.userId);
  });

  it('fails the read when the audit entry cannot be written, and delivers no data', async () => {
    if (dialect === 'sqlite') {
      await sql`CREATE TRIGGER audit_broken BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk full'); END`.execute(
        ctx.handle.db,
      );
    } else {
      await sql`CREATE FUNCTION audit_broken() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$`.execute(
        ctx.handle.db,
      );
      await sql`CREATE TRIGGER audit_broken BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_broken()`.execute(
        ctx.handle.db,
      );
    }
    try {
      const res = await ctx.app.inject({
        method: 'GET',
        url: `/api/cases/${caseId}`,
        headers: clerk.headers,
      });
      expect(res.statusCode).toBe(500);
      expect(res.body).not.toContain(NAME);
      expect(res.body).not.toContain(caseId);
    } finally {
      await sql`DROP TRIGGER audit_broken${sql.raw(dialect === 'postgres' ? ' ON audit_log' : '')}`.execute(
        ctx.handle.db,
      );
    }
    const ok = await ctx.app.inject({ method: 'GET', url: `/api/cases/${caseId}`, headers: clerk.headers });
    expect(ok.statusCode).toBe(200);
  });

  it('keeps a gap-free chain under concurrent appends', async () => {
    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        appendAudit(ctx.handle.db, { action: 'test.concurrent', detail: { i } }, new Date()),
      ),
    );
    const all = await rows(INSTALLATION_CHAIN);
    expect(all.map((r) => Number(r.seq))).toEqual(all.map((_, i) => i + 1));
    const v = await verifyAuditChain(ctx.handle.db, 7);
    expect(v).toMatchObject({ ok: true, checked: (await allRows()).length });
  });

  it('group-commits N concurrent appends as N consecutive, correctly chained rows', async () => {
    const before = (await rows(INSTALLATION_CHAIN)).length;
    const total = (await allRows()).length;
    const n = 60;
    const seqs = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        appendAudit(ctx.handle.db, { action: 'test.group', detail: { i } }, new Date()),
      ),
    );
    // Each caller learns its own row, in call order, and the rows follow the existing chain.
    expect(seqs).toEqual(Array.from({ length: n }, (_, i) => before + 1 + i));
    const added = (await rows(INSTALLATION_CHAIN)).slice(before);
    expect(added).toHaveLength(n);
    expect(added.map((r) => JSON.parse(r.detail ?? '{}').i)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(await verifyAuditChain(ctx.handle.db, 13)).toMatchObject({ ok: true, checked: total + n });
  });

  it('group-commits appends of several chains at once, each chain gapless in call order', async () => {
    const chains = ['05970040', '05966024', INSTALLATION_CHAIN];
    const before = await Promise.all(chains.map(async (c) => (await rows(c)).length));
    const seqs = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        appendAudit(
          ctx.handle.db,
          { action: 'test.chains', chain: chains[i % 3], detail: { i } },
          new Date(),
        ),
      ),
    );
    chains.forEach((_chain, c) => {
      const mine = seqs.filter((_s, i) => i % 3 === c);
      expect(mine).toEqual(Array.from({ length: 10 }, (_, k) => (before[c] as number) + 1 + k));
    });
    expect((await verifyAuditChain(ctx.handle.db)).ok).toBe(true);
  });

  it('rejects every caller of a batch whose transaction fails, and writes none of its rows', async () => {
    if (dialect === 'sqlite') {
      await sql`CREATE TRIGGER audit_poison BEFORE INSERT ON audit_log WHEN NEW.action = 'test.poison' BEGIN SELECT RAISE(ABORT, 'disk full'); END`.execute(
        ctx.handle.db,
      );
    } else {
      await sql`CREATE FUNCTION audit_poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.action = 'test.poison' THEN RAISE EXCEPTION 'disk full'; END IF; RETURN NEW; END $$`.execute(
        ctx.handle.db,
      );
      await sql`CREATE TRIGGER audit_poison BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_poison()`.execute(
        ctx.handle.db,
      );
    }
    const before = (await rows(INSTALLATION_CHAIN)).length;
    try {
      // Appended in the same tick, so they are written as one batch; one bad row fails all.
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          appendAudit(ctx.handle.db, { action: i === 7 ? 'test.poison' : 'test.batch' }, new Date()),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(Array(10).fill('rejected'));
      expect(await rows(INSTALLATION_CHAIN)).toHaveLength(before);
    } finally {
      await sql`DROP TRIGGER audit_poison${sql.raw(dialect === 'postgres' ? ' ON audit_log' : '')}`.execute(
        ctx.handle.db,
      );
    }
    // The queue carries on: the next append is written and the chain is intact.
    expect(await appendAudit(ctx.handle.db, { action: 'test.after' }, new Date())).toBe(before + 1);
    expect((await verifyAuditChain(ctx.handle.db)).ok).toBe(true);
  });

  it('refuses UPDATE and DELETE on the audit log', async () => {
    await expect(sql`UPDATE audit_log SET action = 'x' WHERE seq = 1`.execute(ctx.handle.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`DELETE FROM audit_log WHERE seq = 1`.execute(ctx.handle.db)).rejects.toThrow(
      /append-only/,
    );
  });

  it('writes each authority to its own chain: concurrent writes of two authorities, both chains verify', async () => {
    const olpe = await userWith(ctx, [{ ags: OLPE, office: 'meldebehoerde' }]);
    const create = (user: TestUser, ags: string) =>
      ctx.app.inject({
        method: 'POST',
        url: '/api/cases',
        headers: { ...user.headers, 'idempotency-key': randomUUID() },
        payload: { procedureId: 'verlustanzeige', authorityAgs: ags, data: verlustanzeigeDaten() },
      });
    const siegenBefore = (await rows()).length;
    const olpeBefore = (await rows(OLPE)).length;
    // Creates (on PostgreSQL one statement with nb_audit_append) and reads (group-committed
    // appends) of the same chain at the same time: both ways take the same lock per chain.
    const read = () => ctx.app.inject({ method: 'GET', url: `/api/cases/${caseId}`, headers: clerk.headers });
    const [results, reads] = await Promise.all([
      Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? create(olpe, OLPE) : create(clerk, SIEGEN)))),
      Promise.all(Array.from({ length: 10 }, read)),
    ]);
    expect(results.map((r) => r.statusCode)).toEqual(Array(10).fill(201));
    expect(reads.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
    const siegen = (await rows()).slice(siegenBefore).filter((r) => r.method === 'POST');
    const olpeRows = (await rows(OLPE)).slice(olpeBefore);
    expect(siegen).toHaveLength(5);
    expect(olpeRows.map((r) => Number(r.seq))).toEqual([1, 2, 3, 4, 5].map((n) => olpeBefore + n));
    expect(olpeRows.every((r) => r.actor_id === olpe.userId && r.status === 201)).toBe(true);
    const v = await verifyAuditChain(ctx.handle.db);
    expect(v.ok).toBe(true);
    expect(v.chains.map((c) => c.chain)).toEqual(expect.arrayContaining([SIEGEN, OLPE, INSTALLATION_CHAIN]));
    expect(v.chains.find((c) => c.chain === OLPE)).toMatchObject({ ok: true, lastSeq: olpeBefore + 5 });
  });

  it('verify names the chain and the first row that was altered directly in the database, and a deleted row', async () => {
    expect((await verifyAuditChain(ctx.handle.db)).ok).toBe(true);
    expect((await rows()).length).toBeGreaterThanOrEqual(6);
    // An attacker with owner rights switches the append-only guard off and edits a row of Siegen's chain.
    if (dialect === 'sqlite') await sql`DROP TRIGGER audit_log_no_update`.execute(ctx.handle.db);
    else await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`.execute(ctx.handle.db);
    await sql`UPDATE audit_log SET status = 200 WHERE chain = ${SIEGEN} AND seq = 5`.execute(ctx.handle.db);
    const v = await verifyAuditChain(ctx.handle.db);
    expect(v.ok).toBe(false);
    expect(v.firstBroken).toMatchObject({ chain: SIEGEN, seq: 5 });
    expect(v.firstBroken?.reason).toContain('verändert');
    expect(v.chains.find((c) => c.chain === SIEGEN)?.lastSeq).toBe(4);
    // The other chains are reported intact.
    expect(v.chains.filter((c) => c.chain !== SIEGEN).every((c) => c.ok)).toBe(true);

    // Recomputing the row's own hash does not help: the next row's link breaks.
    const row5 = await ctx.handle.db
      .selectFrom('audit_log')
      .selectAll()
      .where('chain', '=', SIEGEN)
      .where('seq', '=', 5)
      .executeTakeFirstOrThrow();
    await sql`UPDATE audit_log SET hash = ${rowHash({ ...row5, seq: 5 })} WHERE chain = ${SIEGEN} AND seq = 5`.execute(
      ctx.handle.db,
    );
    const v2 = await verifyAuditChain(ctx.handle.db);
    expect(v2.firstBroken).toMatchObject({ chain: SIEGEN, seq: 6 });

    if (dialect === 'sqlite') await sql`DROP TRIGGER audit_log_no_delete`.execute(ctx.handle.db);
    await sql`DELETE FROM audit_log WHERE chain = ${SIEGEN} AND seq = 3`.execute(ctx.handle.db);
    const v3 = await verifyAuditChain(ctx.handle.db);
    expect(v3.firstBroken).toMatchObject({ chain: SIEGEN, seq: 3 });
    expect(v3.firstBroken?.reason).toContain('fehlt');
  });

  if (dialect === 'postgres') {
    it('the application role may append but not UPDATE or DELETE audit_log and case_action', async () => {
      const priv = async (table: string, p: string) => {
        const r = await sql<{
          ok: boolean;
        }>`SELECT has_table_privilege('notbetrieb_app', ${table}, ${p}) AS ok`.execute(ctx.handle.db);
        return r.rows[0]?.ok;
      };
      for (const t of ['audit_log', 'case_action']) {
        expect(await priv(t, 'SELECT')).toBe(true);
        expect(await priv(t, 'INSERT')).toBe(true);
        expect(await priv(t, 'UPDATE')).toBe(false);
        expect(await priv(t, 'DELETE')).toBe(false);
        expect(await priv(t, 'TRUNCATE')).toBe(false);
      }
      expect(await priv('cases', 'UPDATE')).toBe(true);
      expect(await priv('session', 'UPDATE')).toBe(true);
      // The application role is not a superuser and owns nothing: it cannot switch the guards off.
      const role = await sql<{ rolsuper: boolean; rolcanlogin: boolean }>`
        SELECT rolsuper, rolcanlogin FROM pg_roles WHERE rolname = 'notbetrieb_app'`.execute(ctx.handle.db);
      expect(role.rows[0]).toEqual({ rolsuper: false, rolcanlogin: false });
    });

    it('a login role in notbetrieb_app runs the app (migrations up to date) but cannot rewrite the audit log', async () => {
      await sql
        .raw(
          `DO $$ BEGIN
             IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'nb_test_app_login') THEN
               CREATE ROLE nb_test_app_login LOGIN IN ROLE notbetrieb_app;
             END IF;
           EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
           END $$`,
        )
        .execute(ctx.handle.db);
      const dbName = (await sql<{ d: string }>`SELECT current_database() AS d`.execute(ctx.handle.db)).rows[0]
        ?.d;
      const url = new URL(PG_ADMIN_URL);
      url.username = 'nb_test_app_login';
      url.password = '';
      url.pathname = `/${dbName}`;
      const app = openDatabase({ databaseUrl: url.toString(), poolSize: 2 });
      try {
        expect(await migrate(app.db)).toEqual([]);
        await appendAudit(app.db, { action: 'test.app_role' }, new Date());
        await expect(sql`UPDATE audit_log SET action = 'x'`.execute(app.db)).rejects.toThrow(
          /permission denied/,
        );
        await expect(sql`DELETE FROM case_action`.execute(app.db)).rejects.toThrow(/permission denied/);
        await expect(sql`TRUNCATE audit_log`.execute(app.db)).rejects.toThrow(/permission denied/);
        await sql`UPDATE session SET last_seen_at = last_seen_at`.execute(app.db);
      } finally {
        await app.close();
      }
    });
  }
});

describeEachDialect('audit chains: migrating the single chain', (dialect) => {
  it('keeps a chain written before the migration verifiable (as the installation chain) and continues it', async () => {
    let handle: DatabaseHandle;
    let drop: (() => Promise<void>) | undefined;
    if (dialect === 'sqlite') handle = openDatabase({ sqliteFile: ':memory:' });
    else {
      const created = await createPgDatabase();
      drop = created.drop;
      handle = openDatabase({ databaseUrl: created.url, poolSize: 2 });
    }
    try {
      const before = Object.fromEntries(
        Object.entries(MIGRATIONS).filter(([name]) => name !== '2026-12-06T2100-audit-chains'),
      );
      await migrateToLatest(handle.db, before);
      // The chain as the app wrote it before (seq as the only key, one chain).
      let prev = '0'.repeat(64);
      for (let seq = 1; seq <= 5; seq++) {
        const row = {
          seq,
          at: `2026-12-01T10:00:0${seq}.000Z`,
          actor_id: 'u1',
          action: 'http.read',
          method: 'GET',
          route: '/api/cases/:id',
          target: JSON.stringify({ id: `c${seq}` }),
          status: 200,
          client_address: '127.0.0.1',
          detail: null,
          prev_hash: prev,
        };
        prev = rowHash(row);
        await sql`INSERT INTO audit_log (seq, at, actor_id, action, method, route, target, status, client_address, detail, prev_hash, hash)
          VALUES (${row.seq}, ${row.at}, ${row.actor_id}, ${row.action}, ${row.method}, ${row.route}, ${row.target}, ${row.status}, ${row.client_address}, ${row.detail}, ${row.prev_hash}, ${prev})`.execute(
          handle.db,
        );
      }
      expect(await migrate(handle.db)).toContain('2026-12-06T2100-audit-chains');
      const v = await verifyAuditChain(handle.db);
      expect(v).toMatchObject({ ok: true, checked: 5, head: prev });
      expect(v.chains).toEqual([
        { chain: INSTALLATION_CHAIN, ok: true, checked: 5, lastSeq: 5, lastHash: prev },
      ]);
      // New entries continue the old chain, and open new chains per authority.
      expect(await appendAudit(handle.db, { action: 'test.after' }, new Date())).toBe(6);
      expect(await appendAudit(handle.db, { action: 'test.siegen', chain: SIEGEN }, new Date())).toBe(1);
      const after = await verifyAuditChain(handle.db);
      expect(after.ok).toBe(true);
      expect(after.chains.map((c) => [c.chain, c.checked])).toEqual([
        [SIEGEN, 1],
        [INSTALLATION_CHAIN, 6],
      ]);
      // The append-only guards survived the rebuild of the table.
      await expect(sql`UPDATE audit_log SET action = 'x'`.execute(handle.db)).rejects.toThrow(/append-only/);
      await expect(sql`DELETE FROM audit_log`.execute(handle.db)).rejects.toThrow(/append-only/);
    } finally {
      await handle.close();
      await drop?.();
    }
  });
});
