import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * THE LAYERS. Imports point one way: db ← core ← procedures ← server/cli, and the web app sees
 * only the browser-safe parts. A procedure family is one folder (src/procedures/<family>/):
 * definitions (browser-safe), server/ (Node and the database), web/ (React). Only the two family
 * lists name a family: src/procedures/families.ts (server) and src/web/families.ts (web app).
 * Tests and benchmarks may import anything. See docs/ARCHITECTURE.md.
 */
const ROOT = path.resolve(import.meta.dirname, '..');
const SRC = path.join(ROOT, 'src');

interface Import {
  from: string;
  to: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) && e.name !== 'test-helpers.ts' ? [p] : [];
  });
}

function resolve(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), spec);
  for (const c of [base, base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx')]) {
    if (fs.existsSync(c) && fs.statSync(c).isFile()) return c;
  }
  return base;
}

/** Every relative import of a file (static, re-export, dynamic), marked type-only where it is. */
function importsOf(file: string): Import[] {
  const text = fs.readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const out: Import[] = [];
  const add = (spec: string, typeOnly: boolean) => {
    const to = resolve(file, spec);
    if (to) out.push({ from: rel(file), to: rel(to), typeOnly });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly =
        !!clause &&
        (clause.isTypeOnly ||
          (!clause.name &&
            !!clause.namedBindings &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier.text, typeOnly);
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      add(node.moduleSpecifier.text, node.isTypeOnly);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      add(node.arguments[0].text, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

function rel(p: string): string {
  return path.relative(ROOT, p).split(path.sep).join('/');
}

/** Layer of a file: db, core, server, cli, web, or family:<id>:<part> with part defs|server|web. */
function layerOf(file: string): string {
  const m = /^src\/procedures\/([^/]+)\/(?:(server|web)\/)?/.exec(file);
  if (m) return `family:${m[1]}:${m[2] ?? 'defs'}`;
  if (file === 'src/procedures/families.ts') return 'family-list';
  const top = /^src\/([^/]+)\//.exec(file)?.[1];
  return top ?? 'other';
}

const FAMILY_LISTS = new Set(['src/procedures/families.ts', 'src/web/families.ts']);

/** Why an import breaks the layering, or null when it is allowed. */
function violation(imp: Import): string | null {
  const from = layerOf(imp.from);
  const to = layerOf(imp.to);
  const [fromKind, fromFamily, fromPart] = from.split(':');
  const [toKind, toFamily, toPart] = to.split(':');
  if (from === to) return null;
  if (toKind === 'family' && fromKind !== 'family' && !FAMILY_LISTS.has(imp.from) && !imp.typeOnly)
    return 'nennt eine Verfahrensfamilie (nur die beiden Familienlisten dürfen das)';
  switch (fromKind) {
    case 'db':
      return 'db importiert nichts aus höheren Schichten';
    case 'core':
      return to === 'db' ? null : 'core importiert nur aus core und db';
    case 'family-list':
      return toKind === 'family' && toPart === 'server' ? null : toKind === 'core' ? null : 'Familienliste';
    case 'family': {
      if (toKind === 'family' && toFamily !== fromFamily) return 'eine Familie importiert keine andere';
      if (fromPart === 'defs') {
        if (toKind === 'core' || (toKind === 'family' && toPart === 'defs')) return null;
        return 'Definitionen sind browsertauglich: nur core und die eigenen Definitionen';
      }
      if (fromPart === 'server') {
        if (toKind === 'core' || toKind === 'db' || (toKind === 'family' && toPart !== 'web')) return null;
        return 'Serverteil einer Familie: nur core, db und die eigene Familie';
      }
      // web part
      if (toKind === 'web' || toKind === 'core' || (toKind === 'family' && toPart === 'defs')) return null;
      if (toKind === 'family' && toPart === 'server' && imp.typeOnly) return null;
      return 'Webteil einer Familie: nur web, core und die eigenen Definitionen (Serverteil nur als Typ)';
    }
    case 'web':
      if (toKind === 'core' || (toKind === 'family' && toPart !== 'server')) return null;
      if (imp.typeOnly && (toKind === 'family' || toKind === 'db')) return null;
      return 'die Web-App importiert nur core und die Web-/Definitionsteile der Familien';
    case 'server':
    case 'cli':
      return toKind === 'web' || toPart === 'web' ? 'Server und CLI importieren die Web-App nicht' : null;
    default:
      return null;
  }
}

describe('architecture: layers point one way', () => {
  it('keeps every import of src/ within its layer rules', () => {
    const all = sourceFiles(SRC).flatMap(importsOf);
    expect(all.length).toBeGreaterThan(500);
    expect(all).toContainEqual({
      from: 'src/server/platform.ts',
      to: 'src/procedures/families.ts',
      typeOnly: false,
    });
    const problems = all
      .map((i) => ({ i, why: violation(i) }))
      .filter((x) => x.why !== null)
      .map(({ i, why }) => `${i.from} → ${i.to}: ${why}`);
    expect(problems).toEqual([]);
  });

  it('finds the breaches it is there for (self-test)', () => {
    const cases: Array<[from: string, to: string, typeOnly: boolean, bad: boolean]> = [
      ['src/core/cases/service.ts', 'src/server/plugins/auth.ts', false, true],
      ['src/core/cases/service.ts', 'src/procedures/standesamt/index.ts', true, true],
      ['src/core/cases/service.ts', 'src/db/types.ts', true, false],
      ['src/db/database.ts', 'src/core/errors.ts', false, true],
      ['src/procedures/standesamt/geburt.ts', 'src/procedures/standesamt/server/checks.ts', false, true],
      ['src/procedures/standesamt/geburt.ts', 'src/server/http.ts', false, true],
      ['src/procedures/standesamt/server/hooks.ts', 'src/procedures/standesamt/geburt.ts', false, false],
      ['src/procedures/standesamt/server/hooks.ts', 'src/server/plugins/auth.ts', false, true],
      ['src/procedures/kfz/server/index.ts', 'src/procedures/standesamt/server/numbers.ts', false, true],
      [
        'src/procedures/meldewesen/web/SearchPage.tsx',
        'src/procedures/meldewesen/server/register/search.ts',
        true,
        false,
      ],
      [
        'src/procedures/meldewesen/web/SearchPage.tsx',
        'src/procedures/meldewesen/server/register/search.ts',
        false,
        true,
      ],
      ['src/web/pages/CasePage.tsx', 'src/procedures/standesamt/web/CasePanels.tsx', false, true],
      ['src/web/families.ts', 'src/procedures/standesamt/web/index.tsx', false, false],
      ['src/server/app.ts', 'src/procedures/standesamt/server/index.ts', false, true],
      ['src/server/app.ts', 'src/procedures/families.ts', false, false],
      ['src/server/app.ts', 'src/web/App.tsx', false, true],
    ];
    for (const [from, to, typeOnly, bad] of cases) {
      expect({ from, to, typeOnly, bad: violation({ from, to, typeOnly }) !== null }).toEqual({
        from,
        to,
        typeOnly,
        bad,
      });
    }
  });

  it('has one folder per family with a definitions entry, and both lists name the same families', () => {
    const dir = path.join(SRC, 'procedures');
    const folders = fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    for (const f of folders) expect(fs.existsSync(path.join(dir, f, 'index.ts')), `${f}/index.ts`).toBe(true);
    const named = (list: string, part: string) =>
      [
        ...fs
          .readFileSync(path.join(ROOT, list), 'utf8')
          .matchAll(new RegExp(`/([a-z0-9-]+)/${part}/index\\.js'`, 'g')),
      ]
        .map((m) => m[1])
        .sort();
    expect(named('src/procedures/families.ts', 'server')).toEqual(folders);
    expect(named('src/web/families.ts', 'web')).toEqual(folders);
  });
});
