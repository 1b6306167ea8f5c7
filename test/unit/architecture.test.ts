/**
 * The code zones stay apart and the module graph has no cycle:
 * - src/engine and src/shared import neither vscode, nor src/host, nor DOM globals (they run in plain Node and the CLI);
 * - the runtime import graph of src/ and webview/ (type-only imports left out) has no cycle (Tarjan's strongly
 *   connected components), except the TEMPORARY ones listed in ALLOWED_CYCLES;
 * - a webview imports at run time only webview/ and src/shared/ (never the engine, the host or the CLI).
 * eslint.config.mjs (qpcr/boundaries) holds the finer boundary rules, type-only imports included.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { repoRoot } from './helpers';

/**
 * Known cycles still allowed (each one strongly connected component, files sorted). Empty: a cycle fails the test,
 * and so would an entry here that is no longer a cycle (so the list can only shrink).
 */
const ALLOWED_CYCLES: string[][] = [];

function tsFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return tsFiles(path.join(dir, e.name));
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [path.join(dir, e.name)] : [];
  });
}

const rel = (abs: string): string => path.relative(repoRoot, abs).split(path.sep).join('/');

test('src/engine and src/shared import neither vscode, nor src/host, nor DOM globals', () => {
  const files = [...tsFiles(path.join(repoRoot, 'src', 'engine')), ...tsFiles(path.join(repoRoot, 'src', 'shared'))];
  assert.ok(files.length > 0);
  const bad: string[] = [];
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    if (/from\s+['"]vscode['"]|require\(['"]vscode['"]\)/.test(text)) bad.push(`${f}: imports vscode`);
    if (/from\s+['"][./]*\/host\//.test(text)) bad.push(`${f}: imports src/host`);
    if (/\b(document|window)\.(createElement|getElementById|querySelector|addEventListener)\b/.test(text)) bad.push(`${f}: uses the DOM`);
  }
  assert.deepEqual(bad, []);
});

// ---------------------------------------------------------------------------------------------------------------
// The runtime import graph
// ---------------------------------------------------------------------------------------------------------------

/** True when an import or export clause names only types (`import type`, `import { type A, type B }`, ...). */
function typeOnly(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isImportDeclaration(node)) {
    const c = node.importClause;
    if (!c) return false; // `import './x'`: run for its side effects
    if (c.isTypeOnly) return true;
    if (c.name || !c.namedBindings || ts.isNamespaceImport(c.namedBindings)) return false;
    return c.namedBindings.elements.length > 0 && c.namedBindings.elements.every((e) => e.isTypeOnly);
  }
  if (node.isTypeOnly) return true;
  const c = node.exportClause;
  return !!c && ts.isNamedExports(c) && c.elements.length > 0 && c.elements.every((e) => e.isTypeOnly);
}

/** The module specifiers a file loads at run time: value imports, re-exports, `import x = require()`, require(), import(). */
function runtimeSpecifiers(fileName: string, text: string): string[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const out: string[] = [];
  const lit = (e: ts.Node | undefined): void => {
    if (e && ts.isStringLiteralLike(e)) out.push(e.text);
  };
  const visit = (n: ts.Node): void => {
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && !typeOnly(n)) lit(n.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(n) && !n.isTypeOnly && ts.isExternalModuleReference(n.moduleReference)) lit(n.moduleReference.expression);
    else if (ts.isCallExpression(n) && (n.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(n.expression) && n.expression.text === 'require'))) lit(n.arguments[0]);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** The repository file a relative specifier names (`./x` → x.ts or x/index.ts), or null (packages, builtins). */
function resolve(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), spec);
  for (const f of [base, `${base}.ts`, path.join(base, 'index.ts')]) {
    if (f.endsWith('.ts') && fs.existsSync(f) && fs.statSync(f).isFile()) return f;
  }
  return null;
}

type Graph = Map<string, string[]>;

/** file (repository-relative) → the repository files it loads at run time. */
function importGraph(): Graph {
  const files = [...tsFiles(path.join(repoRoot, 'src')), ...tsFiles(path.join(repoRoot, 'webview'))];
  const g: Graph = new Map();
  for (const f of files) {
    const targets = runtimeSpecifiers(f, fs.readFileSync(f, 'utf8')).map((s) => resolve(f, s)).filter((t): t is string => t !== null);
    g.set(rel(f), [...new Set(targets.map(rel))].sort());
  }
  return g;
}

/** Tarjan's strongly connected components (iterative, so deep graphs cannot overflow the stack). */
function stronglyConnected(g: Graph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let next = 0;
  const enter = (v: string): void => {
    index.set(v, next); low.set(v, next++); stack.push(v); onStack.add(v);
  };
  for (const root of g.keys()) {
    if (index.has(root)) continue;
    const work: { v: string; i: number }[] = [{ v: root, i: 0 }];
    enter(root);
    while (work.length) {
      const top = work[work.length - 1];
      const succ = g.get(top.v) ?? [];
      if (top.i < succ.length) {
        const w = succ[top.i++];
        if (!index.has(w)) { enter(w); work.push({ v: w, i: 0 }); }
        else if (onStack.has(w)) low.set(top.v, Math.min(low.get(top.v)!, index.get(w)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.v, Math.min(low.get(parent.v)!, low.get(top.v)!));
      if (low.get(top.v) === index.get(top.v)) {
        const scc: string[] = [];
        let w: string;
        do { w = stack.pop()!; onStack.delete(w); scc.push(w); } while (w !== top.v);
        out.push(scc.sort());
      }
    }
  }
  return out;
}

/** The components that are cycles: more than one file, or one file that imports itself. */
function cycles(g: Graph): string[][] {
  return stronglyConnected(g).filter((c) => c.length > 1 || (g.get(c[0]) ?? []).includes(c[0]));
}

/** A component and its edges, for the failure message. */
function describeCycle(g: Graph, scc: string[]): string {
  const inside = new Set(scc);
  const edges = scc.flatMap((f) => (g.get(f) ?? []).filter((t) => inside.has(t)).map((t) => `    ${f} → ${t}`));
  return `  ${scc.join(', ')}\n${edges.join('\n')}`;
}

test('Tarjan finds the cycles of a small graph (and nothing in a DAG)', () => {
  const g: Graph = new Map([['a', ['b']], ['b', ['c']], ['c', ['a', 'd']], ['d', ['d']], ['e', ['a']]]);
  assert.deepEqual(cycles(g).sort(), [['a', 'b', 'c'], ['d']]);
  assert.deepEqual(cycles(new Map([['a', ['b', 'c']], ['b', ['c']], ['c', []]])), []);
});

test('runtimeSpecifiers leaves type-only imports and exports out', () => {
  const text = [
    "import type { A } from './t1';", "import { type B, type C } from './t2';", "export type { D } from './t3';",
    "import { E, type F } from './v1';", "import './v2';", "export * from './v3';", "import * as G from './v4';",
    "import H = require('./v5');", "const I = require('./v6');", "export { J } from './v7';",
    "type K = typeof import('./t4');", "void import('./v8');",
  ].join('\n');
  assert.deepEqual(runtimeSpecifiers('x.ts', text), ['./v1', './v2', './v3', './v4', './v5', './v6', './v7', './v8']);
});

const graph = importGraph();

test('the runtime import graph of src/ and webview/ has no cycle', () => {
  assert.ok(graph.size > 100, `only ${graph.size} modules`);
  const found = cycles(graph);
  const key = (c: string[]): string => c.join(' ');
  const allowed = new Set(ALLOWED_CYCLES.map(key));
  const fresh = found.filter((c) => !allowed.has(key(c)));
  const gone = ALLOWED_CYCLES.filter((c) => !found.some((f) => key(f) === key(c)));
  assert.equal(fresh.length, 0, `import cycles (move the shared piece to a module both import):\n${fresh.map((c) => describeCycle(graph, c)).join('\n')}`);
  assert.equal(gone.length, 0, `no longer a cycle, remove from ALLOWED_CYCLES in test/unit/architecture.test.ts:\n${gone.map((c) => `  ${c.join(', ')}`).join('\n')}`);
});

test('a webview loads at run time only webview/ and src/shared/ modules (never the engine, the host or the CLI)', () => {
  const webview = [...graph].filter(([f]) => f.startsWith('webview/'));
  assert.ok(webview.length > 0, 'no webview modules found');
  const bad = webview.flatMap(([f, targets]) => targets.filter((t) => !t.startsWith('webview/') && !t.startsWith('src/shared/')).map((t) => `${f} → ${t}`));
  assert.deepEqual(bad, []);
});
