/**
 * The kinds registries agree: the contract's (src/shared/report/kinds: result types and tables), the webview's
 * (src/shared/charts/kinds: charts and layout); every kind of the example reports has tables and a chart entry; an
 * unknown kind or correlate method is handled explicitly; the CLI fallback page renders from the tables registry;
 * the webview imports values only from webview/ and src/shared/ and nothing from src/engine.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixture, repoRoot } from '../helpers';
import type { AnalysisResult, CorrelateResult, Report } from '../../../src/shared/report/types';
import { isErrorResult } from '../../../src/shared/report/types';
import { REPORT_KINDS, RESULT_KINDS, isKnownKind, resultTables } from '../../../src/shared/report/kinds';
import { CORRELATE_METHOD_LABELS, correlateMethodLabel } from '../../../src/shared/report/kinds/correlate';
import { CHART_KINDS, chartKind } from '../../../src/shared/charts/kinds';
import { chartsFor } from '../../../src/shared/charts/specs';
import { fallbackReportHtml } from '../../../src/cli/fallbackHtml';

const readReport = (f: string) => JSON.parse(fs.readFileSync(f, 'utf8')) as Report;
const baselineDir = fixture('report-baseline');
const exampleReports = [fixture('report', 'sample-report.json'), ...fs.readdirSync(baselineDir).filter((f) => f.endsWith('.report.json')).map((f) => path.join(baselineDir, f))];
const bogus = { name: 'x', kind: 'kaplan-meier-2', cohort: 'all', n: 3, dropped: 0 } as unknown as AnalysisResult;

test('the contract registry and the webview chart registry name the same kinds, each once, in the same order', () => {
  const contract = REPORT_KINDS.map((k) => k.kind);
  assert.deepEqual(CHART_KINDS.map((k) => k.kind), contract);
  assert.deepEqual([...RESULT_KINDS], contract);
  assert.equal(new Set(contract).size, contract.length);
  assert.deepEqual([...contract].sort(), ['absolute', 'calibrate', 'compare', 'compare-models', 'correlate', 'cox', 'dca', 'describe', 'foldchange', 'forest', 'hosmer-lemeshow', 'km', 'linear', 'logistic', 'nomogram', 'roc', 'stability', 'validate']);
  for (const k of contract) assert.ok(isKnownKind(k));
  assert.equal(isKnownKind('kaplan-meier-2'), false);
});

test('every kind of the example reports has tables and a chart entry', () => {
  assert.ok(exampleReports.length >= 5);
  const seen = new Set<string>();
  for (const file of exampleReports) {
    for (const r of readReport(file).results) {
      assert.ok(isKnownKind(r.kind), `${path.basename(file)}: ${r.name} has a registered kind (${r.kind})`);
      if (isErrorResult(r)) continue;
      seen.add(r.kind);
      assert.ok(resultTables(r).length > 0, `${path.basename(file)}: ${r.name} (${r.kind}) has tables`);
      assert.equal(chartKind(r.kind).kind, r.kind);
      assert.ok(Array.isArray(chartsFor(r, { showCi: true })), `${r.name}: charts`);
    }
  }
  assert.deepEqual([...seen].sort(), [...RESULT_KINDS].sort(), 'the examples cover every kind');
});

test('an unknown kind is an explicit error naming it, never another kind\'s tables or charts', () => {
  assert.throws(() => resultTables(bogus), /no tables for kind "kaplan-meier-2"/);
  assert.throws(() => chartsFor(bogus), /no charts for kind "kaplan-meier-2"/);
  assert.throws(() => chartKind('kaplan-meier-2'), /no charts for kind/);
  const html = fallbackReportHtml({ study: 's', version: 1, engine: 'e', data: { plates: 0, wells: 0, samples: 0, subjects: 0, qc: [] }, results: [bogus] });
  assert.match(html, /<p class="error">no tables for kind &quot;kaplan-meier-2&quot;<\/p>/);
});

test('correlate: the coefficient label comes from the method map; an unknown method shows its own name', () => {
  assert.equal(correlateMethodLabel('pearson'), 'Pearson r');
  assert.equal(correlateMethodLabel('spearman'), 'Spearman ρ');
  assert.equal(correlateMethodLabel('biweight'), 'biweight');
  assert.equal(correlateMethodLabel('toString'), 'toString', 'no prototype keys');
  assert.deepEqual(Object.keys(CORRELATE_METHOD_LABELS), ['pearson', 'spearman', 'kendall']);
  const cor = readReport(fixture('report', 'sample-report.json')).results.find((r) => r.kind === 'correlate' && !isErrorResult(r)) as CorrelateResult;
  for (const [method, label] of [['spearman', 'Spearman ρ = '], ['pearson', 'Pearson r = '], ['kendall', 'Kendall τ = '], ['biweight', 'biweight = ']]) {
    const r = { ...cor, rows: cor.rows.map((x) => ({ ...x, method })) } as CorrelateResult;
    const [spec] = chartsFor(r);
    assert.ok(spec.subtitle?.startsWith(label), `${method}: ${spec.subtitle}`);
  }
});

test('CLI fallback page: every table of every result from the shared tables registry, text escaped', () => {
  const sample = readReport(fixture('report', 'sample-report.json'));
  const html = fallbackReportHtml(sample);
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  for (const r of sample.results) {
    if (isErrorResult(r)) continue;
    for (const t of resultTables(r)) {
      assert.ok(html.includes(`<h3>${esc(t.title)}</h3>`), `${r.name}: ${t.title}`);
      assert.ok(html.includes(`<th>${esc(t.columns[t.columns.length - 1])}</th>`));
    }
  }
  assert.equal((html.match(/<table>/g) ?? []).length, sample.results.filter((r) => !isErrorResult(r)).reduce((n, r) => n + resultTables(r as AnalysisResult).length, 0));
  const xss = fallbackReportHtml(readReport(fixture('report', 'xss-report.json')));
  assert.ok(!/<img|<script|<b>|<i>/i.test(xss), 'no markup from the report');
});

/** Relative import specifiers of a TS file: [specifier, type-only]. */
function imports(file: string): [string, boolean][] {
  const text = fs.readFileSync(file, 'utf8');
  const out: [string, boolean][] = [];
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm)) out.push([m[3], !!m[2]]);
  return out;
}

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => e.isDirectory() ? tsFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []);
}

test('the webview imports values only from webview/ and src/shared/ (and packages), nothing from src/engine', () => {
  const bad: string[] = [];
  const files = tsFiles(path.join(repoRoot, 'webview'));
  assert.ok(files.length >= 5);
  for (const f of files) {
    for (const [spec, typeOnly] of imports(f)) {
      if (!spec.startsWith('.')) continue;
      const target = path.relative(repoRoot, path.resolve(path.dirname(f), spec));
      if (target.startsWith(`src${path.sep}engine`)) bad.push(`${path.relative(repoRoot, f)} imports ${spec}`);
      else if (!typeOnly && !target.startsWith(`webview${path.sep}`) && !target.startsWith(`src${path.sep}shared${path.sep}`)) bad.push(`${path.relative(repoRoot, f)} imports the value ${spec}`);
    }
  }
  assert.deepEqual(bad, []);
});

test('no import cycle inside src/shared (report, charts) or webview/results (type imports included)', () => {
  const files = [...tsFiles(path.join(repoRoot, 'src', 'shared')), ...tsFiles(path.join(repoRoot, 'webview', 'results'))];
  const resolve = (from: string, spec: string) => [`${spec}.ts`, path.join(spec, 'index.ts')].map((s) => path.resolve(path.dirname(from), s)).find((p) => fs.existsSync(p));
  const deps = new Map(files.map((f) => [f, imports(f).filter(([s]) => s.startsWith('.')).map(([s]) => resolve(f, s)).filter((p): p is string => !!p && files.includes(p))]));
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const visit = (f: string, trail: string[]) => {
    if (state.get(f) === 'done') return;
    if (state.get(f) === 'open') { cycles.push([...trail.slice(trail.indexOf(f)), f].map((p) => path.relative(repoRoot, p)).join(' -> ')); return; }
    state.set(f, 'open');
    for (const d of deps.get(f) ?? []) visit(d, [...trail, f]);
    state.set(f, 'done');
  };
  for (const f of files) visit(f, []);
  assert.deepEqual(cycles, []);
});
