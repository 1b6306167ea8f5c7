import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { completions, documentSymbols, hover, parseStudy, type StudyContext } from '../../../src/engine/study';
import { SPEC_CONTEXT, SPEC_EXAMPLE } from '../../../src/engine/study/examples';

const BASE = [
  'plates "p/*.txt"',
  'clinical "c.csv" key patient',
  'samples "{patient}-{timepoint}"',
  'let mir122_pre = log10(miR-122@pre)',
  'cohort lc = cirrhosis == "yes"',
  'split train / validation = 70 / 30 seed 1',
  'outcome dss = time dss_months event dss_death',
  'model1: logistic effective ~ age + miR-21 > 2.0',
  'coxm: cox dss ~ age',
].join('\n');

/** Completions with the cursor at `|` in the last line appended to BASE. */
function complete(lastLine: string, ctx: StudyContext = SPEC_CONTEXT) {
  const i = lastLine.indexOf('|');
  const text = BASE + '\n' + lastLine.replace('|', '');
  const line = BASE.split('\n').length;
  return completions(text, { line, character: i }, ctx);
}
const labels = (cs: { label: string; kind: string }[], kind?: string) => cs.filter((c) => !kind || c.kind === kind).map((c) => c.label);

test('statement keywords at line start (also while typing one); analyses only after a label', () => {
  const cs = complete('|');
  assert.ok(labels(cs, 'keyword').includes('cox'));
  assert.ok(labels(cs, 'keyword').includes('plates'));
  assert.ok(cs.find((c) => c.label === 'nondetect')?.documentation?.includes('max-cq'));
  assert.deepEqual(labels(complete('co|')), labels(cs));
  const afterLabel = labels(complete('m2: |'));
  assert.ok(afterLabel.includes('logistic'));
  assert.ok(!afterLabel.includes('plates'));
});

test('targets after reference / targets / stability; formats after `format`', () => {
  assert.deepEqual(labels(complete('reference |')), ['miR-122', 'miR-21', 'cel-miR-39']);
  assert.deepEqual(labels(complete('targets miR-122, |'), 'target'), ['miR-122', 'miR-21', 'cel-miR-39']);
  assert.deepEqual(labels(complete('stability |')), ['miR-122', 'miR-21', 'cel-miR-39']);
  assert.ok(labels(complete('plates "x" format |')).includes('lightcycler'));
  assert.deepEqual(labels(complete('efficiency |')), ['miR-122', 'miR-21', 'cel-miR-39', 'from']);
  assert.deepEqual(labels(complete('efficiency from |')), ['standards', 'linregpcr']);
  assert.deepEqual(labels(complete('cq from |')), ['instrument', 'threshold', 'linregpcr']);
  assert.deepEqual(labels(complete('cq from threshold |')), ['auto']);
});

test('levels after @', () => {
  const cs = complete('let a = miR-21@|');
  assert.deepEqual(cs.map((c) => [c.label, c.kind]), [['pre', 'level'], ['post', 'level']]);
  assert.deepEqual(labels(complete('let a = miR-21@p|')), ['pre', 'post']);
});

test('expressions: columns, let variables, targets, T@level and functions', () => {
  const cs = complete('let b = |');
  assert.equal(complete('let |').length, 0, 'a new name: nothing to offer');
  assert.ok(cs.some((c) => c.label === 'age' && c.kind === 'column' && c.detail === 'numeric column'));
  assert.ok(cs.some((c) => c.label === 'mir122_pre' && c.kind === 'variable'));
  assert.ok(cs.some((c) => c.label === 'miR-122@post' && c.kind === 'target'));
  assert.ok(cs.some((c) => c.label === 'log10' && c.kind === 'function' && c.insertText === 'log10('));
  const sexDoc = complete('describe |').find((c) => c.label === 'sex');
  assert.match(sexDoc?.documentation ?? '', /levels: F, M/);
});

test('cohorts after `in`, also after a comma', () => {
  assert.deepEqual(labels(complete('km dss by sex in |')), ['lc', 'train', 'validation']);
  assert.deepEqual(labels(complete('roc model1 in train, |')), ['lc', 'train', 'validation']);
  assert.deepEqual(labels(complete('roc model1 in train |')), ['with']);
});

test('models after nomogram / calibrate (the kinds their registry role accepts: logistic and cox) and outcomes after km / cox', () => {
  assert.deepEqual(labels(complete('nomogram |')), ['model1', 'coxm'], 'Cox nomograms (with times) are offered too');
  assert.deepEqual(labels(complete('calibrate |')), ['model1', 'coxm']);
  assert.ok(labels(complete('calibrate coxm |')).includes('at'), '`at TIME` for a Cox calibration');
  const roc = complete('roc |');
  assert.deepEqual(labels(roc, 'model'), ['model1']);
  assert.ok(labels(roc, 'column').includes('age'), 'roc also takes a marker');
  assert.deepEqual(labels(complete('km |')), ['dss']);
  assert.deepEqual(labels(complete('cox |')), ['dss']);
});

test('options after `with`, without the ones already given; values after an option name', () => {
  assert.deepEqual(labels(complete('calibrate model1 with |')), ['bootstrap', 'seed', 'groups']);
  assert.deepEqual(labels(complete('calibrate model1 in train with bootstrap 10, |')), ['seed', 'groups']);
  assert.deepEqual(labels(complete('cox dss ~ age with ci |')), ['wald', 'profile']);
  assert.deepEqual(labels(complete('correlate age with |'), 'option'), [], 'the first `with` of correlate is not options');
  assert.ok(labels(complete('correlate age with |')).includes('bmi'));
  assert.deepEqual(labels(complete('correlate age with bmi with |')), ['method', 'conf', 'adjust', 'alternative']);
  assert.deepEqual(labels(complete('qc |')), ['hemolysis', 'spike-in', 'max-cq', 'replicate-sd', 'ntc-min-cq', 'min-replicates', 'min-cq']);
});

test('nothing inside comments and strings', () => {
  assert.deepEqual(complete('describe age # a|'), []);
  assert.deepEqual(complete('cohort x = sex == "F|'), []);
});

test('hover: keywords, columns with n and summary, variables, cohorts, models, targets, levels, functions, options', () => {
  const ctx: StudyContext = { ...SPEC_CONTEXT, clinicalColumns: [...(SPEC_CONTEXT.clinicalColumns ?? []), { name: 'weight', type: 'numeric', n: 118, missing: 2, summary: 'mean 71.2 ± 12.0' }], cohortSizes: { lc: 40 } };
  const text = BASE + '\ndescribe weight, mir122_pre in lc with test welch\nroc model1\nlet q = 95%';
  const L = BASE.split('\n').length;
  const h = (line: number, ch: number) => hover(text, { line, character: ch }, ctx);
  const kw = h(L, 3);
  assert.match(kw?.markdown ?? '', /Table 1/);
  assert.deepEqual(kw?.range, { start: { line: L, character: 0 }, end: { line: L, character: 8 } });
  const w = h(L, 10);
  assert.match(w?.markdown ?? '', /clinical column \(numeric\), n = 118, missing 2/);
  assert.match(w?.markdown ?? '', /mean 71.2/);
  assert.deepEqual(w?.range, { start: { line: L, character: 9 }, end: { line: L, character: 15 } });
  assert.match(h(L, 20)?.markdown ?? '', /variable \(numeric\)[\s\S]*let mir122_pre = log10\(miR-122@pre\)/);
  assert.match(h(L, 31)?.markdown ?? '', /cohort \(40 subjects\)[\s\S]*cirrhosis == "yes"/);
  assert.match(h(L, 40)?.markdown ?? '', /\*\*test\*\* \(option\)/);
  assert.match(h(L + 1, 6)?.markdown ?? '', /logistic model/);
  assert.match(h(L + 2, 9)?.markdown ?? '', /= 0.95/);
  assert.match(h(3, 24)?.markdown ?? '', /qPCR target/);     // miR-122 in line 3
  assert.match(h(3, 32)?.markdown ?? '', /level of sample field `timepoint`/);
  assert.match(h(3, 18)?.markdown ?? '', /log10\(x\)/);
  assert.equal(h(0, 9), null, 'the inside of a string has no hover');
  assert.match(h(0, 2)?.markdown ?? '', /plates "glob"/);
});

test('document symbols: Data, Variables, Cohorts, Models, Analyses', () => {
  const syms = documentSymbols(parseStudy(SPEC_EXAMPLE).ast);
  assert.deepEqual(syms.map((s) => [s.name, s.children.length]), [['Data', 11], ['Variables', 5], ['Cohorts', 3], ['Models', 2], ['Analyses', 12]]);
  const vars = syms[1].children.map((c) => c.name);
  assert.deepEqual(vars, ['mir122_pre', 'mir122_ratio', 'cp_b', 'mir122_low', 'dss']);
  assert.deepEqual(syms[3].children.map((c) => [c.name, c.kind]), [['tableIV', 'model'], ['model1', 'model']]);
  assert.deepEqual(syms[4].children.slice(0, 3).map((c) => c.name), ['describe 1', 'compare 1', 'compare 2']);
  for (const g of syms) for (const c of g.children) {
    const inside = (a: { line: number; character: number }, r: typeof c.range) =>
      (a.line > r.start.line || (a.line === r.start.line && a.character >= r.start.character)) && (a.line < r.end.line || (a.line === r.end.line && a.character <= r.end.character));
    assert.ok(inside(c.selectionRange.start, c.range) && inside(c.selectionRange.end, c.range), c.name);
    assert.ok(inside(c.range.start, g.range) && inside(c.range.end, g.range), `${g.name}/${c.name}`);
  }
});
