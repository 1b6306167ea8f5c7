/**
 * The one resolver of study inputs (src/engine/study/inputs.ts): the editor's live checks see what `check` sees,
 * the glob keeps the syntax it had, sample patterns keep their meaning.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, tempDir } from '../helpers';
import { checkStudy, parseStudy } from '../../../src/engine/study';
import { completions } from '../../../src/engine/study/complete';
import { runStudy } from '../../../src/engine/study/runner';
import { inputSpecFromAst, type StudyIO } from '../../../src/engine/study/inputs';
import { formatDiagnostic, type EngineDiagnostic } from '../../../src/engine/common/diagnostic';
import { nodeStudyIO } from '../../../src/cli/nodeIO';
import { StudyContextStore, inputsKeyOf, watchedPatterns } from '../../../src/host/study/studyInputs';
import { compileGlob, segmentMatcher } from '../../../src/engine/common/glob';
import { sampleGlob } from '../../../src/engine/expression/interrun';
import { compileSamplePattern } from '../../../src/engine/expression/samples';
import { naturalCompare } from '../../../src/engine/study/eval';

const examples = fs.readdirSync(path.join(repoRoot, 'examples')).filter((d) => fs.existsSync(path.join(repoRoot, 'examples', d, 'study.qstudy')));

function fmt(diags: EngineDiagnostic[], studyPath: string): string[] {
  const dir = path.dirname(studyPath);
  return diags.map((d) => formatDiagnostic({ ...d, file: d.file && d.file !== studyPath ? path.relative(dir, d.file) : 'study.qstudy' }, 'study.qstudy'));
}

/** The editor's live-check diagnostics, as studyLanguage.ts computes them (parse, context, check, input diagnostics). */
async function liveDiagnostics(p: string, text: string, io: () => StudyIO): Promise<EngineDiagnostic[]> {
  const parsed = parseStudy(text, p);
  const store = new StudyContextStore();
  const ctx = await store.get(p, parsed.ast, p, io);
  const inputs = await store.inputDiagnostics(p, parsed.ast, p, io);
  return [...parsed.diagnostics, ...checkStudy(parsed.ast, ctx), ...inputs.map((d) => ({ ...d, file: p }))];
}

async function cliStudyDiagnostics(p: string, text: string, io: StudyIO): Promise<EngineDiagnostic[]> {
  return (await runStudy(text, p, io, { checkOnly: true })).diagnostics.filter((d) => d.file === p);
}

for (const name of examples) {
  test(`${name}: the editor's live checks (host path, node IO over the real files) give exactly the CLI check's study diagnostics`, async () => {
    const p = path.join(repoRoot, 'examples', name, 'study.qstudy');
    const text = fs.readFileSync(p, 'utf8');
    assert.deepEqual(fmt(await liveDiagnostics(p, text, () => nodeStudyIO()), p).sort(), fmt(await cliStudyDiagnostics(p, text, nodeStudyIO()), p).sort());
    const ctx = await new StudyContextStore().get(p, parseStudy(text, p).ast, p, () => nodeStudyIO());
    assert.ok(ctx.targets?.length, 'the context knows the targets');
    assert.ok(ctx.clinicalColumns?.length, 'the context knows the clinical columns');
  });
}

test('broken inputs: the live checks and `check` give the same study diagnostics (glob, pattern, table, Restricted Mode)', async () => {
  const dir = tempDir('qpcr-inputs-');
  const ex = path.join(repoRoot, 'examples', 'tace-exosomal-mirna');
  fs.cpSync(ex, path.join(dir, 'ws'), { recursive: true });
  const p = path.join(dir, 'ws', 'study.qstudy');
  const text = fs.readFileSync(p, 'utf8');
  const variants: [string, string, () => StudyIO][] = [
    ['glob-empty', text.replace('plates/*/*.txt', 'plate/*/*.txt'), () => nodeStudyIO()],
    ['named group', text.replace('"{patient}-{timepoint}"', '"{patient:(?<x>P[0-9]+)}-{timepoint}"'), () => nodeStudyIO()],
    ['no such clinical', text.replace('"clinical.csv"', '"clinic.csv"'), () => nodeStudyIO()],
    ['bad key', text.replace('clinical.csv" key patient', 'clinical.csv" key patiend'), () => nodeStudyIO()],
    ['outside', text.replace('"clinical.csv"', `"${path.join(ex, 'clinical.csv')}"`), () => nodeStudyIO({ roots: [path.join(dir, 'ws')] })],
  ];
  for (const [what, t, io] of variants) {
    const live = fmt(await liveDiagnostics(p, t, io), p).sort();
    const cli = fmt(await cliStudyDiagnostics(p, t, io()), p).sort();
    assert.deepEqual(live, cli, what);
    assert.ok(live.some((l) => / error: /.test(l)), `${what}: ${live.join('\n')}`);
  }
});

test('plates over 50 MB, not read live: no false unknown-name errors, one note on the plates line; `check` reads them', async () => {
  for (const name of ['tace-exosomal-mirna', 'sorafenib-mir221', 'crc-liver-mets-capecitabine']) {
    const p = path.join(repoRoot, 'examples', name, 'study.qstudy');
    const text = fs.readFileSync(p, 'utf8');
    // the plate files report a size over the live limit (the clinical table and sheets their own)
    const tables = /(clinical|sheet)[^"]*"([^"]+)"/g;
    const own = new Set([...text.matchAll(tables)].map((m) => path.resolve(path.dirname(p), m[2])));
    const big = (): StudyIO => {
      const io = nodeStudyIO();
      return { ...io, size: async (f: string) => (own.has(path.resolve(f)) ? io.size!(f) : 400 * 1024 * 1024) };
    };
    const live = await liveDiagnostics(p, text, big);
    const notes = live.filter((d) => d.code === 'study-plates-not-read');
    assert.ok(notes.length >= 1, `${name}: ${fmt(live, p).join('\n')}`);
    for (const d of notes) {
      assert.equal(d.severity, 'info');
      assert.match(d.message, /^("plates\/[^"]+" \(400 MB\) is|\d+ plate files \(largest "plates\/[^"]+", 400 MB\) are) over 50 MB and not read while editing: targets and sample levels are checked when the study runs/);
      assert.equal(text.split('\n')[d.range.start.line].trimStart().startsWith('plates'), true, 'on a plates line');
    }
    // what remains is what `check` says with every plate read (the examples have no study errors)
    const rest = fmt(live.filter((d) => d.code !== 'study-plates-not-read'), p).sort();
    assert.deepEqual(rest, fmt(await cliStudyDiagnostics(p, text, big()), p).sort(), name);
    assert.deepEqual(rest.filter((l) => / error: /.test(l)), [], name);
    // completion offers the targets the study names (the plates' own are unknown)
    const ast = parseStudy(text, p).ast, spec = inputSpecFromAst(ast);
    const ctx = await new StudyContextStore().get(p, ast, p, big);
    assert.equal(ctx.platesUnread, true);
    assert.equal(ctx.targets, undefined);
    const declared = [...new Set([...(spec.targets ?? []), ...spec.references])];
    assert.deepEqual(ctx.declaredTargets, declared);
    const typed = `${text}\nlet completion_probe = `;
    const lines = typed.split('\n');
    const offered = completions(typed, { line: lines.length - 1, character: lines[lines.length - 1].length }, ctx).map((c) => c.label);
    for (const t of declared) assert.ok(offered.includes(t), `${name}: ${t} offered`);
  }
});

test('crc example: `calibrator group == "control"` is accepted live (group is a sample-sheet field with its levels)', async () => {
  const p = path.join(repoRoot, 'examples', 'crc-liver-mets-capecitabine', 'study.qstudy');
  const parsed = parseStudy(fs.readFileSync(p, 'utf8'), p);
  const ctx = await new StudyContextStore().get(p, parsed.ast, p, () => nodeStudyIO());
  assert.ok(ctx.levels?.group?.includes('control'), JSON.stringify(ctx.levels));
  const diags = checkStudy(parsed.ast, ctx);
  assert.deepEqual(diags.filter((d) => d.code === 'study-unknown-column'), []);
  // And a misspelt level is still caught against the sheet's levels.
  const typo = parseStudy(fs.readFileSync(p, 'utf8').replace('group == "control"', 'group == "contrl"'), p);
  assert.ok(checkStudy(typo.ast, ctx).some((d) => d.code === 'study-unknown-level' && /contrl/.test(d.message)));
});

test('StudyContextStore caches by input statements (not positions) and resolves again after invalidate', async () => {
  const p = path.join(repoRoot, 'examples', 'sorafenib-mir221', 'study.qstudy');
  const text = fs.readFileSync(p, 'utf8');
  let ios = 0;
  const store = new StudyContextStore();
  const io = () => { ios++; return nodeStudyIO(); };
  const a = await store.get('k', parseStudy(text, p).ast, p, io);
  const b = await store.get('k', parseStudy('# a comment moves every line\n' + text, p).ast, p, io);
  assert.deepEqual(a, b);
  assert.equal(ios, 1);
  // Cohort sizes follow the text without reading the files again (clinical-only cohorts).
  assert.ok(a.cohortSizes && a.cohortSizes.c1 > 0 && a.cohortSizes.responders > 0, JSON.stringify(a.cohortSizes));
  const empty = await store.get('k', parseStudy(text + '\ncohort none = age > 1000\ndescribe age in none\n', p).ast, p, io);
  assert.equal(empty.cohortSizes?.none, 0);
  assert.equal(ios, 1);
  store.invalidate('k');
  await store.get('k', parseStudy(text, p).ast, p, io);
  assert.equal(ios, 2);
});

test('inputSpecFromAst reads plates, clinical, samples, references and targets; watched patterns include the sheet', () => {
  const { ast } = parseStudy([
    'study "x"', 'plates "plates/*.txt"', 'plates "run7.csv" format QuantStudio', 'clinical "clinical.csv" key patient',
    'samples "sheet.csv" key sample', 'reference U6', 'targets miR-21, miR-122',
  ].join('\n'));
  const spec = inputSpecFromAst(ast);
  assert.deepEqual(JSON.parse(inputsKeyOf(spec)), {
    plates: [{ glob: 'plates/*.txt' }, { glob: 'run7.csv', format: 'quantstudio' }],
    clinical: { path: 'clinical.csv', key: 'patient' }, samples: { sheet: 'sheet.csv', key: 'sample' },
    references: ['U6'], targets: ['miR-21', 'miR-122'],
  });
  assert.deepEqual(watchedPatterns(spec), ['plates/*.txt', 'run7.csv', 'clinical.csv', 'sheet.csv']);
  assert.deepEqual(inputSpecFromAst(parseStudy('').ast), { plates: [], references: [] });
});

// --- glob: the same syntax as the RegExp construction it replaces (kept here as the oracle) ---------------------

function oldSegmentRegExp(seg: string): RegExp {
  let src = '^';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i];
    if (c === '*') src += '[^/\\\\]*';
    else if (c === '?') src += '[^/\\\\]';
    else if (c === '[') {
      const j = seg.indexOf(']', i + 1);
      if (j < 0) { src += '\\['; continue; }
      let cls = seg.slice(i + 1, j);
      if (cls.startsWith('!')) cls = '^' + cls.slice(1);
      src += `[${cls.replace(/\\/g, '\\\\')}]`;
      i = j;
    } else if (c === '{') {
      const j = seg.indexOf('}', i + 1);
      if (j < 0) { src += '\\{'; continue; }
      src += `(?:${seg.slice(i + 1, j).split(',').map((a) => a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`;
      i = j;
    } else src += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(src + '$');
}

test('segment globs: *, ?, [abc], [a-z], [!x], {a,b}, unclosed brackets literal — as before, on a grid of cases', () => {
  const patterns = ['*.txt', 'plate?.csv', 'run[12].txt', 'run[0-9]*.txt', 'run[!1].txt', 'run[^1].txt', '{a,bc}.csv', 'x{a,}y', '*{1,2}*', 'a[b', 'a{b', '*a*b*', '?', '*', 'a.b', 'p(1)+.txt', '**', '{,}'];
  const names = ['a.txt', 'b.csv', 'plate1.csv', 'plate12.csv', 'run1.txt', 'run2.txt', 'run3.txt', 'run10.txt', 'a.csv', 'bc.csv', 'xy', 'xay', 'x1y', 'a[b', 'a{b', 'ab', 'aab', 'ba', 'a', '', 'a.b', 'axb', 'p(1)+.txt', 'pp.txt'];
  for (const pat of patterns) {
    const re = oldSegmentRegExp(pat);
    const m = segmentMatcher(pat);
    for (const n of names) assert.equal(m.test(n), re.test(n), `${pat} on ${n}`);
  }
});

test('sample-name glob (interrun): * and ? only; [ and { literal; whole name', () => {
  assert.ok(sampleGlob('IRC*').test('IRC-1'));
  assert.ok(sampleGlob('IRC?').test('IRC2'));
  assert.ok(!sampleGlob('IRC?').test('IRC22'));
  assert.ok(!sampleGlob('IRC*').test('xIRC'));
  assert.ok(sampleGlob('a[1]').test('a[1]') && !sampleGlob('a[1]').test('a1'));
  assert.ok(sampleGlob('a/*').test('a/b/c'), '* crosses / in sample names');
  assert.ok(!compileGlob('a/*', { sets: true, separators: '/' }).test('a/b/c'));
});

// --- sample patterns: the Pike VM gives what the backtracking RegExp gave -----------------------------------------

test('sample patterns match as the RegExp construction did (greedy first field, lazy later ones, constraints)', () => {
  const cases: [string, string, Record<string, string> | null][] = [
    ['{patient}-{timepoint}', 'HCC-012-pre', { patient: 'HCC-012', timepoint: 'pre' }],
    ['{patient}-{timepoint}-{rep}', 'A-B-C-D-E', { patient: 'A-B-C', timepoint: 'D', rep: 'E' }],
    ['{a}_{b}_{c}', 'x_y_z_w', { a: 'x_y', b: 'z', c: 'w' }],
    ['{patient:P\\d{3}}-{tp}', 'P012-pre-x', { patient: 'P012', tp: 'pre-x' }],
    ['{patient:P\\d{3}}-{tp}', 'P01-pre', null],
    ['{tp:(?:pre|post)}_{p}', 'post_A_1', { tp: 'post', p: 'A_1' }],
    ['{id:[A-Z][a-z]*}{n:\\d+}', 'Abc12', { id: 'Abc', n: '12' }],
    ['{x:a*?}{y:a*}', 'aaa', { x: '', y: 'aaa' }],
    ['{x:.{2,3}}{y:.+}', 'abcdef', { x: 'abc', y: 'def' }],
    ['{x:[^-]+}-{y}', 'ab-cd-ef', { x: 'ab', y: 'cd-ef' }],
    ['{x:\\w+}\\.{y}', 'ab\\.c', { x: 'ab', y: 'c' }], // text outside braces is literal, backslash included
    ['{p}-{t}', 'pé🙂-x', { p: 'pé🙂', t: 'x' }],
  ];
  for (const [pat, name, want] of cases) assert.deepEqual(compileSamplePattern(pat).match(name), want, `${pat} on ${name}`);
});

/** The RegExp the sample pattern used to be compiled to (the oracle for the patterns it handled safely). */
function oldPatternRegExp(pattern: string): { re: RegExp; fields: string[] } {
  const esc = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  let src = '^';
  let first = true;
  const fields: string[] = [];
  for (const m of pattern.matchAll(/\{([^}:]*)(?::([^}]*))?\}|([^{}]+)/g)) {
    if (m[3] !== undefined) { src += esc(m[3]); continue; }
    const keep = m[1] !== '' && m[1] !== '_';
    const body = m[2] !== undefined ? `(?:${m[2]})` : first ? '.+' : '.+?';
    if (keep) fields.push(m[1]);
    src += keep ? `(?<f${fields.length - 1}>${body})` : `(?:${body})`;
    first = false;
  }
  return { re: new RegExp(src + '$', 'u'), fields };
}

test('sample patterns equal the old RegExp on every short name over a small alphabet (fast path and Pike VM)', () => {
  const patterns = ['{a}-{b}', '{a}-{b}-{c}', 'x{a}_{b}x', '{a}--{b}', '{_}-{p}', '{a}', 'ab', '{a}-{b:x+}', '{a:[x-]+}-{b}', '{a}-{b:x|xx}-{c}', '{a:(x|-)*?}-{b}'];
  const alphabet = ['x', '-', '_'];
  const names: string[] = [''];
  for (let len = 1; len <= 7; len++) for (let i = 0; i < 3 ** len; i++) { let t = ''; let v = i; for (let k = 0; k < len; k++) { t += alphabet[v % 3]; v = Math.floor(v / 3); } names.push(t); }
  for (const pat of patterns) {
    const mine = compileSamplePattern(pat);
    const { re, fields } = oldPatternRegExp(pat);
    for (const n of [...names, 'ab', 'xab', 'x-x\nx']) {
      const m = re.exec(n.trim());
      const want = m ? Object.fromEntries(fields.map((f, k) => [f, m.groups![`f${k}`]])) : null;
      assert.deepEqual(mine.match(n), want, `${pat} on ${JSON.stringify(n)}`);
    }
  }
});

test('unsupported constructs in a field pattern are refused at their column', () => {
  const at = (pat: string) => { try { compileSamplePattern(pat); return -1; } catch (e) { return (e as { column: number }).column; } };
  assert.equal(at('{p:(?<x>a)}'), 3);
  assert.equal(at('{p}-{t:(?=x)x}'), 7);
  assert.equal(at('{p:a\\1}'), 4);
  assert.equal(at('{p:^a}'), 3);
  assert.equal(at('{p:a{2000}}'), 4);
  assert.equal(at('{p:a**}'), 5);
});

test('naturalCompare orders as localeCompare(en, numeric, variant) does, on names with numbers, case and accents', () => {
  const names = ['a10', 'a2', 'A2', 'b', 'B', 'ä', 'a', '10', '9', 'x-1', 'x-01', '', 'Z', 'z', 'é', 'e', 'E', 'S000010', 'S000009', 'pt 2', 'pt 10'];
  for (const a of names) for (const b of names) {
    assert.equal(Math.sign(naturalCompare(a, b)), Math.sign(a.localeCompare(b, 'en', { numeric: true, sensitivity: 'variant' })), `${a} vs ${b}`);
  }
  assert.deepEqual(['pt 10', 'pt 2', 'S000010', 'S000009'].sort(naturalCompare), ['pt 2', 'pt 10', 'S000009', 'S000010']);
});
