import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseStudy, expandSequence, lex } from '../../../src/engine/study';
import type { Analysis, Expr, Statement } from '../../../src/engine/study';
import { SPEC_EXAMPLE } from '../../../src/engine/study/examples';

function only(text: string): Statement {
  const r = parseStudy(text);
  assert.deepEqual(r.diagnostics, [], JSON.stringify(r.diagnostics));
  assert.equal(r.ast.statements.length, 1);
  return r.ast.statements[0];
}
function letExpr(src: string): Expr {
  const s = only(`let x = ${src}`);
  assert.equal(s.kind, 'let');
  return (s as Extract<Statement, { kind: 'let' }>).expr;
}
function analysis(text: string): Analysis {
  const s = only(text);
  assert.equal(s.kind, 'analysis');
  return s as Analysis;
}
const pos = (line: number, character: number) => ({ line, character });

test('the full spec example parses without diagnostics, into the expected statements', () => {
  const r = parseStudy(SPEC_EXAMPLE, 'study.qstudy');
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.ast.file, 'study.qstudy');
  const kinds = r.ast.statements.map((s) => (s.kind === 'analysis' ? s.analysis : s.kind));
  assert.deepEqual(kinds, [
    'study', 'plates', 'plates', 'clinical', 'samples', 'samples', 'reference', 'targets', 'efficiency', 'calibrator', 'qc',
    'let', 'let', 'let', 'let', 'cohort', 'split', 'outcome',
    'describe', 'compare', 'compare', 'correlate', 'km', 'cox', 'cox', 'logistic', 'nomogram', 'roc', 'roc', 'calibrate', 'hosmer-lemeshow', 'dca',
  ]);
  const st = r.ast.statements;
  const plates = st[2] as Extract<Statement, { kind: 'plates' }>;
  assert.equal(plates.glob.value, 'run7.csv');
  assert.equal(plates.format?.name, 'quantstudio');
  const clinical = st[3] as Extract<Statement, { kind: 'clinical' }>;
  assert.equal(clinical.path.value, 'clinical.csv');
  assert.equal(clinical.key?.name, 'patient');
  assert.equal((st[4] as Extract<Statement, { kind: 'samples' }>).source, 'pattern');
  const sheet = st[5] as Extract<Statement, { kind: 'samples' }>;
  assert.equal(sheet.source, 'sheet');
  assert.equal(sheet.key?.name, 'sample');
  assert.deepEqual((st[6] as Extract<Statement, { kind: 'reference' }>).names.map((n) => n.name), ['cel-miR-39']);
  assert.deepEqual((st[7] as Extract<Statement, { kind: 'targets' }>).names.map((n) => n.name), ['miR-122', 'miR-21']);
  const eff = st[8] as Extract<Statement, { kind: 'efficiency' }>;
  assert.deepEqual(eff.pairs.map((p) => [p.target.name, p.factor]), [['miR-122', 1.97], ['cel-miR-39', 2]]);
  const qc = st[10] as Extract<Statement, { kind: 'qc' }>;
  assert.deepEqual(qc.options.map((o) => [o.name, o.value.kind === 'number' ? o.value.value : null]), [['max-cq', 35], ['replicate-sd', 0.5], ['ntc-min-cq', 35], ['min-replicates', 2]]);
  const split = st[16] as Extract<Statement, { kind: 'split' }>;
  assert.deepEqual(split.names.map((n) => n.name), ['train', 'validation']);
  assert.deepEqual(split.fractions.map((f) => f.value), [70, 30]);
  assert.equal(split.seed?.value, 2024);
  assert.equal(split.stratify?.text, 'response');
  const outcome = st[17] as Extract<Statement, { kind: 'outcome' }>;
  assert.equal(outcome.name.name, 'dss');
  assert.equal(outcome.time.text, 'dss_months');
  assert.equal(outcome.event.text, 'dss_death');
  const describe = st[18] as Extract<Analysis, { analysis: 'describe' }>;
  assert.deepEqual(describe.vars.map((v) => v.text), ['age', 'sex', 'bmi', 'cea']);
  assert.equal(describe.by?.text, 'response');
  const cmp1 = st[19] as Extract<Analysis, { analysis: 'compare' }>;
  assert.equal(cmp1.form, 'vs');
  assert.equal(cmp1.paired, true);
  assert.equal(cmp1.left.kind, 'at');
  const cmp2 = st[20] as Extract<Analysis, { analysis: 'compare' }>;
  assert.equal(cmp2.form, 'by');
  assert.equal(cmp2.left.text, 'log10(miR-122@pre)');
  const cor = st[21] as Extract<Analysis, { analysis: 'correlate' }>;
  assert.equal(cor.x.text, 'mir122_pre');
  assert.deepEqual(cor.vars.map((v) => v.text), ['age', 'ast', 'alt', 'tumor_diameter']);
  assert.deepEqual(cor.options.map((o) => [o.name, o.value]), [['method', { kind: 'name', value: 'pearson', range: cor.options[0].value.range }]]);
  const km = st[22] as Extract<Analysis, { analysis: 'km' }>;
  assert.equal(km.outcome.name, 'dss');
  assert.deepEqual(km.cohorts.map((c) => c.name), ['lc']);
  const cox = st[23] as Extract<Analysis, { analysis: 'cox' }>;
  assert.deepEqual(cox.terms.map((t) => t.text), ['cp_b', 'afp > 20', 'tumor_diameter > 3', 'mir122_low']);
  assert.deepEqual(cox.options.map((o) => [o.name, o.value.kind]), [['univariate', 'flag']]);
  const t4 = st[24] as Extract<Analysis, { analysis: 'cox' }>;
  assert.equal(t4.label?.name, 'tableIV');
  assert.deepEqual(t4.options.map((o) => [o.name, o.value.kind === 'name' ? o.value.value : '?']), [['ci', 'profile'], ['ties', 'efron']]);
  const model1 = st[25] as Extract<Analysis, { analysis: 'logistic' }>;
  assert.equal(model1.label?.name, 'model1');
  assert.equal(model1.outcome.text, 'effective');
  assert.deepEqual(model1.terms.map((t) => t.text), ['cea', 'miR-21 > 2.0', 'miR-122 < 0.5', 'tumor_size', 'bmi', 'age']);
  assert.deepEqual(model1.cohorts.map((c) => c.name), ['train']);
  assert.equal((st[26] as Extract<Analysis, { analysis: 'nomogram' }>).model.name, 'model1');
  const roc1 = st[27] as Extract<Analysis, { analysis: 'roc' }>;
  assert.equal(roc1.model?.name, 'model1');
  assert.deepEqual(roc1.cohorts.map((c) => c.name), ['train', 'validation']);
  const roc2 = st[28] as Extract<Analysis, { analysis: 'roc' }>;
  assert.equal(roc2.model, undefined);
  assert.equal(roc2.marker?.text, 'miR-21');
  assert.equal(roc2.outcome?.text, 'effective');
  const cal = st[29] as Extract<Analysis, { analysis: 'calibrate' }>;
  assert.deepEqual(cal.options.map((o) => [o.name, o.value.kind === 'number' ? o.value.value : null]), [['bootstrap', 1000], ['seed', 1]]);
  const dca = st[31] as Extract<Analysis, { analysis: 'dca' }>;
  assert.deepEqual(dca.options[0].value.kind === 'sequence' ? [dca.options[0].value.from, dca.options[0].value.to, dca.options[0].value.by] : null, [0.05, 0.95, 0.01]);
});

test('exact ranges of statements, names, T@level and terms', () => {
  const text = 'study "x"\n\n  let mir122_pre   = log10(miR-122@pre)   # c\ncox dss ~ cp_b + afp > 20';
  const r = parseStudy(text);
  assert.deepEqual(r.diagnostics, []);
  const let1 = r.ast.statements[1] as Extract<Statement, { kind: 'let' }>;
  assert.deepEqual(let1.keywordRange, { start: pos(2, 2), end: pos(2, 5) });
  assert.deepEqual(let1.name.range, { start: pos(2, 6), end: pos(2, 16) });
  assert.deepEqual(let1.range, { start: pos(2, 2), end: pos(2, 39) });
  const call = let1.expr;
  assert.equal(call.kind, 'call');
  if (call.kind !== 'call') return;
  const at = call.args[0];
  assert.equal(at.kind, 'at');
  if (at.kind !== 'at') return;
  assert.equal(at.target.name, 'miR-122');
  assert.deepEqual(at.target.range, { start: pos(2, 27), end: pos(2, 34) });
  assert.equal(at.level.name, 'pre');
  assert.deepEqual(at.level.range, { start: pos(2, 35), end: pos(2, 38) });
  assert.deepEqual(at.range, { start: pos(2, 27), end: pos(2, 38) });
  assert.deepEqual(call.range, { start: pos(2, 21), end: pos(2, 39) });
  const cox = r.ast.statements[2] as Extract<Analysis, { analysis: 'cox' }>;
  assert.deepEqual(cox.terms[1].range, { start: pos(3, 17), end: pos(3, 25) });
  assert.equal(cox.terms[1].expr.kind, 'binary');
});

test('continuation lines: trailing , + ~ and open parentheses; term text collapses line breaks', () => {
  const text = [
    'describe age,',
    '   bmi,   # comment after a comma',
    '',
    '   cea by response',
    'cox dss ~',
    '    cp_b +',
    '    afp > 20',
    'let x = log10(',
    '   age)',
    'let y = 1',
  ].join('\n');
  const r = parseStudy(text);
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.ast.statements.length, 4);
  const [d, c, x, y] = r.ast.statements;
  assert.equal(d.kind === 'analysis' && d.analysis === 'describe' && d.vars.map((v) => v.text).join(' '), 'age bmi cea');
  assert.deepEqual(d.range, { start: pos(0, 0), end: pos(3, 18) });
  assert.equal(c.kind === 'analysis' && c.analysis === 'cox' && c.terms.map((t) => t.text).join('|'), 'cp_b|afp > 20');
  assert.deepEqual(c.range, { start: pos(4, 0), end: pos(6, 12) });
  assert.equal(x.kind === 'let' && x.expr.text, 'log10( age)');
  assert.deepEqual(x.range, { start: pos(7, 0), end: pos(8, 7) });
  assert.equal(y.kind === 'let' && y.name.name, 'y');
});

test('a line ending in an operator other than , + ~ does not continue', () => {
  const r = parseStudy('let a = 1 *\n2');
  assert.equal(r.diagnostics.length, 2);
  assert.equal(r.diagnostics[0].code, 'study-syntax');
  assert.deepEqual(r.diagnostics[0].range, { start: pos(0, 11), end: pos(0, 11) });
  assert.equal(r.diagnostics[1].range.start.line, 1);
});

test('formula terms across lines keep their text as written on one line', () => {
  const r = parseStudy('m: logistic effective ~ cea +\n    miR-21 > 2.0 +\n    (age +\n  bmi) in train');
  assert.deepEqual(r.diagnostics, []);
  const m = r.ast.statements[0] as Extract<Analysis, { analysis: 'logistic' }>;
  assert.deepEqual(m.terms.map((t) => t.text), ['cea', 'miR-21 > 2.0', '(age + bmi)']);
  assert.deepEqual(m.terms[2].range, { start: pos(2, 4), end: pos(3, 6) });
  assert.deepEqual(m.cohorts.map((c) => c.name), ['train']);
});

test('recovery: a bad line gives one diagnostic and the next lines still parse', () => {
  const text = 'let = 3\nlet ok = 1\ncompare a\nkm dss by grp\nlet z = log10(age\nlet w = 2\n';
  const r = parseStudy(text);
  const kinds = r.ast.statements.map((s) => s.kind);
  assert.deepEqual(kinds, ['error', 'let', 'error', 'analysis', 'error', 'let']);
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character, d.range.end.character]), [
    ['study-syntax', 0, 4, 5],    // `=` where the name should be
    ['study-syntax', 2, 9, 9],    // end of line: expected vs / by
    ['study-syntax', 4, 17, 17],  // unclosed parenthesis: the next line starts a statement at column 0
  ]);
  assert.match(r.diagnostics[0].message, /Expected a variable name, found `=`/);
  assert.match(r.diagnostics[2].message, /Expected `,` or `\)`/);
  assert.equal((r.ast.statements[5] as Extract<Statement, { kind: 'let' }>).name.name, 'w');
});

test('unknown statement: did-you-mean with a fix replacing the keyword', () => {
  const r = parseStudy('cohrt lc = x == 1\nfoo bar');
  assert.equal(r.diagnostics.length, 2);
  const [a, b] = r.diagnostics;
  assert.equal(a.code, 'study-unknown-statement');
  assert.deepEqual(a.range, { start: pos(0, 0), end: pos(0, 5) });
  assert.deepEqual(a.fixes, [{ title: 'Change to `cohort`', edits: [{ range: a.range, newText: 'cohort' }] }]);
  assert.equal(b.code, 'study-unknown-statement');
  assert.equal(b.fixes, undefined);
});

test('names with dashes vs subtraction', () => {
  const n = letExpr('hsa-miR-21-5p');
  assert.deepEqual([n.kind, n.kind === 'name' && n.name], ['name', 'hsa-miR-21-5p']);
  const sub = letExpr('a - b');
  assert.equal(sub.kind, 'binary');
  assert.equal(sub.kind === 'binary' && sub.op, '-');
  const sub2 = letExpr('a -b');
  assert.equal(sub2.kind === 'binary' && sub2.op, '-');
  const dashName = letExpr('age-bmi');
  assert.equal(dashName.kind === 'name' && dashName.name, 'age-bmi');
  const num = letExpr('2-1');
  assert.equal(num.kind === 'binary' && num.op, '-');
  const neg = letExpr('-x^2');
  assert.equal(neg.kind, 'unary');
  assert.equal(neg.kind === 'unary' && neg.operand.kind, 'binary');
  const trailing = lex('a_-b');
  assert.deepEqual(trailing.tokens.filter((t) => t.kind !== 'newline' && t.kind !== 'eof').map((t) => t.text), ['a_', '-', 'b']);
});

test('numbers: 95% = 0.95, exponents, efficiency 97% = factor 1.97', () => {
  const p = letExpr('95%');
  assert.equal(p.kind === 'number' && p.value, 0.95);
  assert.equal(p.kind === 'number' && p.percent, true);
  const e = letExpr('1e-3');
  assert.equal(e.kind === 'number' && e.value, 0.001);
  const eff = only('efficiency miR-122 = 97%, miR-21 = 1.9') as Extract<Statement, { kind: 'efficiency' }>;
  assert.deepEqual(eff.pairs.map((x) => x.factor), [1.97, 1.9]);
  const std = only('efficiency from standards') as Extract<Statement, { kind: 'efficiency' }>;
  assert.equal(std.fromStandards, true);
  const conf = analysis('roc m with conf 90%');
  assert.deepEqual(conf.options[0].value.kind === 'number' ? [conf.options[0].value.value, conf.options[0].value.text] : null, [0.9, '90%']);
});

test('backtick names, strings with escapes, comparisons and logic', () => {
  const b = letExpr('`Tumor size (cm)` > 3 and not (sex == "a \\"b\\"")');
  assert.equal(b.kind, 'binary');
  if (b.kind !== 'binary') return;
  assert.equal(b.op, 'and');
  assert.equal(b.left.kind === 'binary' && b.left.left.kind === 'name' && b.left.left.name, 'Tumor size (cm)');
  assert.equal(b.left.kind === 'binary' && b.left.left.kind === 'name' && b.left.left.backtick, true);
  assert.equal(b.right.kind, 'unary');
  const str = b.right.kind === 'unary' && b.right.operand.kind === 'binary' ? b.right.operand.right : undefined;
  assert.equal(str?.kind === 'string' && str.value, 'a "b"');
  const prec = letExpr('1 + 2 * 3 ^ 2 < 4 or x');
  assert.equal(prec.kind === 'binary' && prec.op, 'or');
  const cmp = prec.kind === 'binary' ? prec.left : undefined;
  assert.equal(cmp?.kind === 'binary' && cmp.op, '<');
  const mm = letExpr('mir122_ratio <= median(mir122_ratio)');
  assert.equal(mm.text, 'mir122_ratio <= median(mir122_ratio)');
});

test('T@level with numeric levels and dcq()', () => {
  const a = letExpr('dcq(miR-122@post) / dcq(miR-122@0)');
  assert.equal(a.kind, 'binary');
  if (a.kind !== 'binary' || a.right.kind !== 'call' || a.right.args[0].kind !== 'at') return assert.fail('shape');
  assert.equal(a.right.args[0].level.name, '0');
});

test('additions: plates target, nondetect, outliers, interrun, stability', () => {
  const p = only('plates "lc/*.txt" format lightcycler target miR-21') as Extract<Statement, { kind: 'plates' }>;
  assert.deepEqual([p.glob.value, p.format?.name, p.target?.name], ['lc/*.txt', 'lightcycler', 'miR-21']);
  const n1 = only('nondetect as 40') as Extract<Statement, { kind: 'nondetect' }>;
  assert.deepEqual([n1.policy, n1.value?.value], ['value', 40]);
  assert.equal((only('nondetect as max-cq') as Extract<Statement, { kind: 'nondetect' }>).policy, 'max-cq');
  assert.equal((only('nondetect exclude') as Extract<Statement, { kind: 'nondetect' }>).policy, 'exclude');
  assert.equal((only('nondetect impute') as Extract<Statement, { kind: 'nondetect' }>).policy, 'impute');
  const o1 = only('outliers grubbs alpha 0.01') as Extract<Statement, { kind: 'outliers' }>;
  assert.deepEqual([o1.method, o1.alpha?.value], ['grubbs', 0.01]);
  const o2 = only('outliers distance 0.5') as Extract<Statement, { kind: 'outliers' }>;
  assert.deepEqual([o2.method, o2.distance?.value], ['distance', 0.5]);
  assert.equal((only('outliers none') as Extract<Statement, { kind: 'outliers' }>).method, 'none');
  assert.equal((only('interrun calibrator "IRC*"') as Extract<Statement, { kind: 'interrun' }>).pattern.value, 'IRC*');
  const st = analysis('stability RNU6B, miR-16, cel-miR-39 by timepoint in lc');
  assert.equal(st.analysis, 'stability');
  if (st.analysis !== 'stability') return;
  assert.deepEqual(st.targets.map((t) => t.name), ['RNU6B', 'miR-16', 'cel-miR-39']);
  assert.equal(st.by?.name, 'timepoint');
  assert.deepEqual(st.cohorts.map((c) => c.name), ['lc']);
});

test('options: lists, sequences, flags, `with` before `in`', () => {
  const km = analysis('km dss by g with at 0, 12, 24, 36, conf 0.9 in lc');
  const at = km.options[0];
  assert.equal(at.name, 'at');
  assert.deepEqual(at.value.kind === 'list' ? at.value.items.map((i) => (i.kind === 'number' ? i.value : null)) : null, [0, 12, 24, 36]);
  assert.equal(km.options[1].name, 'conf');
  assert.deepEqual(km.cohorts.map((c) => c.name), ['lc']);
  assert.deepEqual(expandSequence(0.05, 0.95, 0.01).length, 91);
  assert.deepEqual(expandSequence(0.05, 0.95, 0.01)[90], 0.95);
  assert.deepEqual(expandSequence(0, 1, 0.25), [0, 0.25, 0.5, 0.75, 1]);
  assert.deepEqual(expandSequence(1, 0, 0.1), []);
});

test('lexical errors: unterminated string and unexpected characters have exact ranges', () => {
  const r = parseStudy('study "abc\nlet a = b ! c\nlet ok = 1');
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.range]), [
    ['study-syntax', { start: pos(0, 6), end: pos(0, 10) }],
    ['study-syntax', { start: pos(1, 10), end: pos(1, 11) }],
  ]);
  assert.match(r.diagnostics[1].message, /did you mean `!=` or `not`/);
  assert.equal(r.ast.statements[2].kind, 'let');
});

test('a split needs as many proportions as names and a seed', () => {
  const r = parseStudy('split a / b = 70 seed 1\nsplit a / b = 1 / 1');
  assert.equal(r.diagnostics.length, 2);
  assert.match(r.diagnostics[0].message, /2 cohort\(s\) but gives 1/);
  assert.match(r.diagnostics[1].message, /seed N/);
  assert.deepEqual(r.diagnostics[1].range, { start: pos(1, 19), end: pos(1, 19) });
});

test('CRLF line endings give the same ranges as LF', () => {
  const lf = parseStudy('let a = x\nlet b = y +\n  z');
  const crlf = parseStudy('let a = x\r\nlet b = y +\r\n  z');
  assert.deepEqual(crlf.diagnostics, []);
  const strip = (s: Statement[]) => JSON.stringify(s);
  assert.equal(strip(crlf.ast.statements), strip(lf.ast.statements));
});
