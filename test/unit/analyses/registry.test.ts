/** The registry of analyses (src/engine/analyses) is the one list the language, the runner and the grammar use. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../helpers';
import { ANALYSIS_KINDS, ANALYSIS_OPTIONS, analysisDefinition, lookupAnalysis, MODEL_ANALYSES, MODEL_CONSUMERS } from '../../../src/engine/analyses';
import { checkStudy, completions, DATA_KEYWORDS, hover, KEYWORD_DOCS, parseStudy, STATEMENT_KEYWORDS, type Analysis } from '../../../src/engine/study';
import { SPEC_CONTEXT } from '../../../src/engine/study/examples';
import { planFromAst } from '../../../src/engine/study/runnerAst';
import { generateGrammar, GRAMMAR_FILE, keywordPatterns } from '../../../scripts/grammar';

const HEADER = 'plates "p/*.txt"\nclinical "c.csv" key patient\nsamples "{patient}-{timepoint}"\noutcome dss = time dss_months event dss_death\n';
const MODEL = 'm0: logistic effective ~ bmi\nm1: logistic effective ~ age\n';

/** A small study around one analysis line (with the models `m0` and `m1` unless the line fits `m1` itself). */
function studyOf(line: string): string {
  return HEADER + (line.startsWith('m1:') ? '' : MODEL) + line + '\n';
}

test('the registry lists the kinds in documentation order, with roles', () => {
  assert.deepEqual([...ANALYSIS_KINDS], ['describe', 'compare', 'correlate', 'km', 'cox', 'logistic', 'nomogram', 'roc', 'calibrate', 'hosmer-lemeshow', 'dca', 'stability', 'validate', 'linear', 'compare-models', 'foldchange', 'absolute', 'forest']);
  assert.deepEqual([...MODEL_ANALYSES], ['cox', 'logistic']);
  assert.deepEqual([...MODEL_CONSUMERS], ['nomogram', 'roc', 'calibrate', 'hosmer-lemeshow', 'dca', 'validate', 'compare-models', 'forest']);
  assert.deepEqual(STATEMENT_KEYWORDS, [...DATA_KEYWORDS, ...ANALYSIS_KINDS]);
  assert.equal(lookupAnalysis('kendall'), undefined);
  assert.equal(lookupAnalysis('toString'), undefined, 'no inherited property is a kind');
  assert.throws(() => analysisDefinition('kendall' as never), /Unknown analysis kind "kendall"/, 'no dispatch (check, plan, run) for an unregistered kind');
});

for (const kind of ANALYSIS_KINDS) {
  test(`${kind}: its example parses, checks clean, plans, and it has docs and options`, () => {
    const def = analysisDefinition(kind);
    assert.equal(def.kind, kind);
    assert.ok(def.example.replace(/^\w+: /, '').startsWith(`${kind} `), def.example);
    const text = studyOf(def.example);
    const { ast, diagnostics } = parseStudy(text, 's.qstudy');
    assert.deepEqual(diagnostics, []);
    const node = ast.statements[ast.statements.length - 1] as Analysis;
    assert.equal(node.kind, 'analysis');
    assert.equal(node.analysis, kind);
    assert.deepEqual(checkStudy(ast, SPEC_CONTEXT), []);
    const { plan, diagnostics: planDiags } = planFromAst(ast, text, 's.qstudy');
    assert.deepEqual(planDiags, []);
    assert.equal(plan.analyses[plan.analyses.length - 1].kind, kind);
    assert.ok(def.doc.includes(`\`${kind}`), `the doc of ${kind} shows its syntax`);
    assert.equal(KEYWORD_DOCS[kind], def.doc);
    assert.ok(def.signature.startsWith(kind), def.signature);
    assert.equal(ANALYSIS_OPTIONS[kind], def.options);
    for (const [name, spec] of Object.entries(def.options)) assert.ok(spec.doc.length > 0, `${kind} option ${name} has a doc`);
    const line = text.split('\n').length - 2;
    const at = def.example.indexOf(kind);
    assert.equal(hover(text, { line, character: at + 1 }, SPEC_CONTEXT)?.markdown, def.doc);
  });
}

test('an unknown analysis kind is a located parse error, not silently accepted', () => {
  const { ast, diagnostics } = parseStudy('kendall x\nm: kendall x, y', 's.qstudy');
  assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character, d.range.end.character]), [
    ['study-unknown-statement', 0, 0, 7],
    ['study-unknown-statement', 1, 3, 10],
  ]);
  assert.deepEqual(ast.statements.map((s) => s.kind), ['error', 'error']);
});

test('completion offers exactly the registry kinds after a label, and data keywords + kinds at a line start', () => {
  const kw = (text: string) => completions(text, { line: 0, character: text.length }).filter((c) => c.kind === 'keyword').map((c) => c.label);
  assert.deepEqual(kw('lbl: '), [...ANALYSIS_KINDS]);
  assert.deepEqual(kw(''), [...DATA_KEYWORDS, ...ANALYSIS_KINDS]);
  for (const k of ANALYSIS_KINDS) assert.equal(completions('', { line: 0, character: 0 }).find((c) => c.label === k)?.documentation, analysisDefinition(k).doc);
});

test('options after `with` are the registry options of the kind', () => {
  for (const kind of ANALYSIS_KINDS) {
    const def = analysisDefinition(kind);
    // `correlate X with VARS` uses its first `with` itself: its options follow a second one
    const line = `${def.bodyWith ? def.example : def.example.replace(/ with .*$/, '')} with `;
    const text = studyOf(line);
    const lines = text.split('\n');
    const got = completions(text, { line: lines.length - 2, character: line.length }, SPEC_CONTEXT).filter((c) => c.kind === 'option').map((c) => c.label);
    assert.deepEqual(got.sort(), Object.keys(def.options).sort(), kind);
  }
});

test('the committed grammar equals the one generated from the registry', () => {
  const text = fs.readFileSync(path.join(repoRoot, GRAMMAR_FILE), 'utf8');
  assert.equal(generateGrammar(text), text, 'run `npm run build` (node out/scripts/grammar.js) to regenerate the grammar');
  const g = JSON.parse(text) as { repository: Record<string, { match: string }> };
  const p = keywordPatterns();
  assert.equal(g.repository['labelled-analysis'].match, p['labelled-analysis']);
  assert.equal(g.repository.statement.match, p.statement);
  for (const k of ANALYSIS_KINDS) assert.match(`  ${k} x`, new RegExp(g.repository.statement.match), k);
  // a grammar missing a kind is repaired by the generator
  const stale = text.replace('|dca|', '|');
  assert.notEqual(stale, text);
  assert.equal(generateGrammar(stale), text);
});
