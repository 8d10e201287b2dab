import { createHash, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { OFFICE_TYPES } from '../../src/core/offices.js';
import { verlustanzeigeDaten } from '../../src/procedures/verlustanzeige/fixtures.js';
import {
  createTestContext,
  describeEachDialect,
  type TestContext,
  type TestUser,
  userWith,
} from '../harness.js';

/**
 * API fuzzing driven by the route schemas. The routes come from the app's own OpenAPI document at
 * test time, so a route added later is fuzzed without touching this file. For every route,
 * fast-check builds malformed and boundary inputs from the route's parameter and body schemas
 * (wrong types, huge, empty, unicode and control-character strings, SQL and HTML injection, missing
 * and extra fields, negative and fractional cents, impossible dates) and sends them with an
 * authenticated session that has grants. Asserted for every request: no 5xx, no crash, every 4xx is
 * application/problem+json, and after a refusal the stored data is unchanged (a checksum of every
 * table except the ones a refusal may legitimately write to: sessions touched, the audit log and
 * the login-attempt throttle).
 */

/** Tables a refused request may change by design. */
const MAY_CHANGE_ON_REFUSAL = new Set(['session', 'audit_log', 'login_attempt']);

const RUNS = { sqlite: 2500, postgres: 1500 } as const;
const SIEGEN = '05970040';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: Json[];
  const?: Json;
  format?: string;
  pattern?: string;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  default?: Json;
  minimum?: number;
  maximum?: number;
  $ref?: string;
}
interface Parameter {
  in: 'path' | 'query' | 'header';
  name: string;
  schema?: Schema;
}
interface Operation {
  method: string;
  path: string;
  params: Parameter[];
  body?: Schema | undefined;
}

const INJECTIONS = [
  "' OR '1'='1",
  "'; DROP TABLE cases; --",
  '" OR ""="',
  "1' AND SLEEP(5)--",
  '1) UNION SELECT name, sql FROM sqlite_master--',
  "admin'--",
  '%',
  '_',
  '\\',
  "\\'; SELECT pg_sleep(5); --",
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '{{7*7}}',
  '$' + '{7*7}',
  '../../../../etc/passwd',
  '%00',
  '\u0000',
  '\u0000\u0001\u0002\u001b[31m',
  '\r\nSet-Cookie: x=y',
  '\u202eevil\u202c',
  '\ufeff',
  '\ud800',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🚒👩‍🚒',
  'Ä'.repeat(300),
  '',
  ' ',
  'null',
  'undefined',
  'NaN',
  '-1',
  '0',
  '1e309',
  'true',
  '2026-02-30',
  '2026-13-01',
  '0000-00-00',
  '9999-12-31',
  '1900-02-29',
  '2026-11-26T25:61:61Z',
  '00000000-0000-0000-0000-000000000000',
  'x'.repeat(10_000),
];
/** More than the body limit of 1 MiB: must be refused with 413, not crash. */
const HUGE = 'A'.repeat(1024 * 1024 + 10);

const nastyString = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...INJECTIONS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 5000, minLength: 1000 }) },
);
const nastyNumber = fc.oneof(
  fc.constantFrom(-1, 0, -0, 0.5, -0.01, 1.5, 2 ** 31, 2 ** 53 + 1, -(2 ** 63), 1e308, Number.MAX_VALUE),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const nastyValue: fc.Arbitrary<Json> = fc.oneof(
  { weight: 4, arbitrary: nastyString },
  { weight: 3, arbitrary: nastyNumber },
  { weight: 1, arbitrary: fc.constantFrom<Json>(null, true, false, [], {}, [null], { '': '' }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json> },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Json>(JSON.parse('{"__proto__": {"isAdmin": true}}'), {
      constructor: { prototype: { isAdmin: true } },
    }),
  },
);

function resolve(schema: Schema | undefined, defs: Record<string, Schema>): Schema {
  if (!schema) return {};
  if (schema.$ref) return resolve(defs[schema.$ref.split('/').pop() as string], defs);
  return schema;
}

/** A plausible value for a schema: the starting point that mutations then break. */
function plausible(schema: Schema | undefined, defs: Record<string, Schema>, ctx: Plausible, key = ''): Json {
  const s = resolve(schema, defs);
  if (s.const !== undefined) return s.const;
  if (s.enum?.length) return s.enum[0] as Json;
  if (s.default !== undefined) return s.default;
  const alt = s.anyOf ?? s.oneOf;
  if (alt?.length)
    return plausible(alt.find((a) => resolve(a, defs).type !== 'null') ?? alt[0], defs, ctx, key);
  if (s.allOf?.length) return plausible(s.allOf[0], defs, ctx, key);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'object': {
      const out: Record<string, Json> = {};
      for (const [k, v] of Object.entries(s.properties ?? {})) out[k] = plausible(v, defs, ctx, k);
      return out;
    }
    case 'array':
      return [plausible(s.items, defs, ctx, key)];
    case 'integer':
    case 'number':
      return Math.max(s.minimum ?? 1, Math.min(s.maximum ?? 1, 1));
    case 'boolean':
      return true;
    case 'string':
      return plausibleString(s, key, ctx);
    default:
      if (key === 'data') return ctx.caseData as unknown as Json;
      return 'x';
  }
}

interface Plausible {
  caseId: string;
  otherUserId: string;
  caseData: unknown;
}

function plausibleString(s: Schema, key: string, ctx: Plausible): string {
  if (s.format === 'uuid') return key.toLowerCase().includes('user') ? ctx.otherUserId : ctx.caseId;
  if (s.format === 'date') return '2026-11-20';
  if (s.format === 'date-time') return '2026-11-20T10:00:00Z';
  if (s.pattern === '^\\d{8}$' || /ags|kreis/i.test(key)) return SIEGEN;
  if (/procedure/i.test(key)) return 'verlustanzeige';
  if (/office/i.test(key)) return 'meldebehoerde';
  if (/password|passwort/i.test(key)) return 'Ein langes Passwort 2026!';
  return 'Siegen';
}

/** Percent-encodes a path segment; lone surrogates become the UTF-8 of U+FFFD as a client would send. */
function encodeSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return [...Buffer.from(value, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  }
}

/** Paths to every value inside a JSON value (for targeted mutation). */
function pathsOf(v: Json, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [prefix];
  if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) out.push(...pathsOf(x, [...prefix, i]));
  } else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) out.push(...pathsOf(x, [...prefix, k]));
  return out;
}

function mutateAt(
  base: Json,
  path: Array<string | number>,
  op: 'set' | 'delete' | 'extra',
  value: Json,
): Json {
  if (!path.length) {
    if (op === 'set') return value;
    if (op === 'extra' && base && typeof base === 'object' && !Array.isArray(base)) {
      return { ...base, unerwartet: value };
    }
    return op === 'delete' ? null : base;
  }
  const copy: Json = structuredClone(base);
  let node = copy as Record<string | number, Json>;
  for (const p of path.slice(0, -1)) node = node[p] as Record<string | number, Json>;
  const last = path[path.length - 1] as string | number;
  if (op === 'delete') {
    if (Array.isArray(node)) node.splice(last as number, 1);
    else delete node[last];
  } else if (op === 'extra' && node[last] && typeof node[last] === 'object' && !Array.isArray(node[last])) {
    (node[last] as Record<string, Json>).unerwartet = value;
  } else {
    node[last] = value;
  }
  return copy;
}

interface FuzzCase {
  body: Json | undefined;
  raw?: { payload: string; contentType: string | undefined };
  pathValues: string[];
  query: Record<string, string>;
  idempotencyKey: string | undefined;
  /** Mostly the full session; sometimes no session, a wrong CSRF token or a forged cookie. */
  auth: 'session' | 'none' | 'bad-csrf' | 'forged-cookie';
}

function caseArbitrary(op: Operation, defs: Record<string, Schema>, ctx: Plausible): fc.Arbitrary<FuzzCase> {
  const base = op.body ? plausible(op.body, defs, ctx) : undefined;
  const basePaths = base === undefined ? [[]] : pathsOf(base);
  const pathParams = op.params.filter((p) => p.in === 'path');
  const queryParams = op.params.filter((p) => p.in === 'query');
  const pathValue = (p: Parameter) =>
    fc.oneof(
      {
        weight: 3,
        arbitrary: fc.constant(String(plausible(p.schema, defs, ctx, p.name))).map(encodeSegment),
      },
      {
        weight: 1,
        arbitrary: fc.constantFrom(randomUUID(), 'berichtigen', 'bestaetigen', 'verlustbescheinigung'),
      },
      { weight: 3, arbitrary: nastyString.filter((s) => s.length < 3000).map(encodeSegment) },
      // Already encoded on purpose: invalid UTF-8, NUL, dot segments, encoded slashes.
      { weight: 1, arbitrary: fc.constantFrom('%ff', '%00', '%2e%2e', '..', '%2f', '%c0%af', '%', 'a%2Fb') },
    );
  const body: fc.Arbitrary<Pick<FuzzCase, 'body' | 'raw'>> = fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(fc.constantFrom(...basePaths), fc.constantFrom('set', 'delete', 'extra' as const), nastyValue)
        .map(([path, opName, value]) => ({ body: mutateAt(base ?? {}, path, opName as 'set', value) })),
    },
    { weight: 1, arbitrary: fc.constant({ body: base }) },
    { weight: 1, arbitrary: nastyValue.map((v) => ({ body: v })) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          { payload: '{"procedureId": ', contentType: 'application/json' },
          { payload: '{}', contentType: 'text/plain' },
          { payload: '<xml/>', contentType: 'application/xml' },
          { payload: JSON.stringify({ q: HUGE }), contentType: 'application/json' },
          { payload: '[]', contentType: 'application/json; charset=latin1' },
          { payload: '', contentType: 'application/json' },
          { payload: '{"a":1}', contentType: undefined },
        )
        .map((raw) => ({ body: undefined, raw })),
    },
  );
  return fc
    .record({
      bodyPart: body,
      pathValues: fc.tuple(...pathParams.map(pathValue)),
      query: fc.record(
        Object.fromEntries(
          queryParams.map((p) => [
            p.name,
            fc.oneof(fc.constant(String(plausible(p.schema, defs, ctx, p.name))), nastyString),
          ]),
        ),
        { requiredKeys: [] },
      ),
      auth: fc.oneof(
        { weight: 17, arbitrary: fc.constant('session' as const) },
        {
          weight: 1,
          arbitrary: fc.constantFrom('none' as const, 'bad-csrf' as const, 'forged-cookie' as const),
        },
      ),
      idempotencyKey: fc.oneof(
        { weight: 8, arbitrary: fc.uuid({ version: 4 }) },
        { weight: 1, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: nastyString.filter((s) => /^[\x20-\x7e]{0,200}$/.test(s)) },
      ),
    })
    .map(({ bodyPart, pathValues, query, idempotencyKey, auth }) => ({
      auth,
      ...bodyPart,
      pathValues: pathValues as string[],
      query: query as Record<string, string>,
      idempotencyKey,
    }));
}

describeEachDialect('API fuzzing', (dialect) => {
  let ctx: TestContext;
  let plausibleCtx: Plausible;
  let operations: Operation[];
  let defs: Record<string, Schema>;
  let total = 0;
  const statusCounts = new Map<number, number>();

  let checkedTables: string[] | undefined;

  /** One checksum per table (PostgreSQL: computed in the database, one round trip). */
  async function tableChecksums(): Promise<Map<string, string>> {
    checkedTables ??= (await ctx.handle.db.introspection.getTables())
      .map((t) => t.name)
      .filter((t) => !MAY_CHANGE_ON_REFUSAL.has(t) && !t.startsWith('kysely_'))
      .sort();
    const out = new Map<string, string>();
    if (dialect === 'postgres') {
      const parts = checkedTables.map(
        (t) =>
          sql`SELECT ${t}::text AS t, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM ${sql.table(t)} x`,
      );
      const rows = await sql<{ t: string; h: string }>`${sql.join(parts, sql` UNION ALL `)}`.execute(
        ctx.handle.db,
      );
      for (const r of rows.rows) out.set(r.t, r.h);
      return out;
    }
    for (const t of checkedTables) {
      const rows = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(t)}`.execute(ctx.handle.db);
      const lines = rows.rows.map((r) => JSON.stringify(r)).sort();
      out.set(t, createHash('sha256').update(lines.join('\n')).digest('hex'));
    }
    return out;
  }

  async function freshUser(): Promise<TestUser> {
    return userWith(
      ctx,
      OFFICE_TYPES.flatMap((office) => [
        { ags: SIEGEN, office, role: 'sachbearbeitung' as const },
        { ags: SIEGEN, office, role: 'leitung' as const },
      ]),
      { isAdmin: true, displayName: 'Fuzz Admin' },
    );
  }

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    const clerk = await freshUser();
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: { ...clerk.headers, 'idempotency-key': randomUUID() },
      payload: { procedureId: 'verlustanzeige', authorityAgs: SIEGEN, data: verlustanzeigeDaten() },
    });
    expect(res.statusCode).toBe(201);
    const other = await userWith(ctx, [{ ags: SIEGEN, office: 'meldebehoerde' }]);
    plausibleCtx = { caseId: res.json().id, otherUserId: other.userId, caseData: verlustanzeigeDaten() };
    const doc = ctx.app.swagger() as unknown as {
      paths: Record<
        string,
        Record<
          string,
          { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: Schema }> } }
        >
      >;
      components?: { schemas?: Record<string, Schema> };
    };
    defs = doc.components?.schemas ?? {};
    operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([m]) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map(([method, op]) => ({
          method: method.toUpperCase(),
          path,
          params: op.parameters ?? [],
          body: op.requestBody?.content?.['application/json']?.schema,
        })),
    );
  });

  afterAll(async () => {
    const byStatus = [...statusCounts.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}: ${n}`);
    console.log(
      `API-Fuzzing [${dialect}]: ${total} Anfragen an ${operations?.length ?? 0} Routen (${byStatus.join(', ')})`,
    );
    await ctx?.close();
  });

  it('finds every route of the app, including the case API', () => {
    const names = operations.map((o) => `${o.method} ${o.path}`);
    expect(names).toContain('POST /api/cases');
    expect(names).toContain('POST /api/cases/search');
    expect(names).toContain('POST /api/cases/{id}/actions/{action}');
  });

  it('answers malformed and boundary input on every route without 5xx, with problem+json, changing nothing', async () => {
    const perRoute = Math.max(20, Math.ceil(RUNS[dialect] / operations.length));
    for (const op of operations) {
      const user = await freshUser();
      let checksum = await tableChecksums();
      await fc.assert(
        fc.asyncProperty(caseArbitrary(op, defs, plausibleCtx), async (input) => {
          let i = 0;
          const url =
            op.path.replace(/\{[^}]+\}/g, () => input.pathValues[i++] ?? '') +
            (Object.keys(input.query).length ? `?${new URLSearchParams(input.query).toString()}` : '');
          const headers: Record<string, string> = { ...user.headers };
          if (input.auth === 'none') headers.cookie = '';
          if (input.auth === 'bad-csrf') headers['x-csrf-token'] = 'falsch';
          if (input.auth === 'forged-cookie') headers.cookie = `nb_session=${'A'.repeat(43)}`;
          if (input.idempotencyKey !== undefined) headers['idempotency-key'] = input.idempotencyKey;
          let payload: string | undefined;
          if (op.method !== 'GET') {
            if (input.raw) {
              payload = input.raw.payload;
              if (input.raw.contentType) headers['content-type'] = input.raw.contentType;
            } else if (input.body !== undefined) {
              payload = JSON.stringify(input.body);
              headers['content-type'] = 'application/json';
            }
          }
          const res = await ctx.app.inject({
            method: op.method as 'GET',
            url,
            headers,
            ...(payload !== undefined ? { payload } : {}),
          });
          total++;
          statusCounts.set(res.statusCode, (statusCounts.get(res.statusCode) ?? 0) + 1);
          const where = `${op.method} ${url.slice(0, 200)} -> ${res.statusCode} ${res.body.slice(0, 300)}`;
          expect(res.statusCode, where).toBeLessThan(500);
          if (res.statusCode >= 400) {
            expect(res.headers['content-type'], where).toMatch(/^application\/problem\+json/);
            const problem = res.json();
            expect(problem.status, where).toBe(res.statusCode);
            expect(typeof problem.title, where).toBe('string');
            const after = await tableChecksums();
            const changed = [...after.keys()].filter((t) => after.get(t) !== checksum.get(t));
            expect(changed, `${where}: Daten nach Ablehnung verändert`).toEqual([]);
          } else {
            checksum = await tableChecksums();
          }
        }),
        { numRuns: perRoute, endOnFailure: true },
      );
    }
    expect(total).toBeGreaterThanOrEqual(RUNS[dialect]);
  }, 180_000);
});
