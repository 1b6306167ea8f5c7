import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../helpers';
import { checkStudy, parseStudy, STATEMENT_KEYWORDS } from '../../../src/engine/study';
import { SPEC_EXAMPLE } from '../../../src/engine/study/examples';
import { ANALYSIS_KINDS, lookupAnalysis } from '../../../src/engine/analyses';
import { QC_OPTIONS } from '../../../src/engine/study/vocabulary';

const syn = (f: string) => JSON.parse(fs.readFileSync(path.join(repoRoot, 'syntaxes', f), 'utf8'));

/** Every regex string of a TextMate grammar (match/begin/end/while), with its JSON path. */
function regexes(node: unknown, at = '$', out: { at: string; re: string }[] = []): { at: string; re: string }[] {
  if (Array.isArray(node)) node.forEach((n, i) => regexes(n, `${at}[${i}]`, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if ((k === 'match' || k === 'begin' || k === 'end' || k === 'while') && typeof v === 'string') out.push({ at: `${at}.${k}`, re: v });
      else regexes(v, `${at}.${k}`, out);
    }
  }
  return out;
}

interface Rule { name?: string; match?: string; include?: string; patterns?: Rule[]; captures?: Record<string, { name: string }>; begin?: string }

/** A tiny single-line tokenizer over the grammar's match rules (enough to check scopes of simple lines). */
function scopes(grammar: { patterns: Rule[]; repository: Record<string, Rule> }, line: string): [string, string][] {
  const flat = (rules: Rule[]): Rule[] => rules.flatMap((r) => (r.include ? flat([grammar.repository[r.include.slice(1)]]) : r.patterns && !r.match && !r.begin ? flat(r.patterns) : [r]));
  const rules = flat(grammar.patterns);
  const out: [string, string][] = [];
  let pos = 0;
  while (pos < line.length) {
    let best: { i: number; m: RegExpExecArray; r: Rule } | undefined;
    for (const r of rules) {
      const src = r.match ?? r.begin;
      if (!src) continue;
      const re = new RegExp(src, 'gu');
      re.lastIndex = pos;
      const m = re.exec(line);
      if (m && m[0].length > 0 && (!best || m.index < best.i)) best = { i: m.index, m, r };
    }
    if (!best) break;
    if (best.r.captures) {
      for (const [k, v] of Object.entries(best.r.captures)) if (best.m[Number(k)]) out.push([best.m[Number(k)], v.name]);
    } else if (best.r.begin) {
      const end = line.indexOf('"', best.i + 1);
      const s = line.slice(best.i, end < 0 ? line.length : end + 1);
      out.push([s, best.r.name ?? '']);
      pos = best.i + s.length;
      continue;
    } else out.push([best.m[0], best.r.name ?? '']);
    pos = best.i + best.m[0].length;
  }
  return out;
}

test('grammar: valid JSON, scopeName source.qstudy, every regex compiles in JS', () => {
  const g = syn('qstudy.tmLanguage.json');
  assert.equal(g.scopeName, 'source.qstudy');
  const all = regexes(g);
  assert.ok(all.length >= 10);
  for (const { at, re } of all) {
    assert.doesNotThrow(() => new RegExp(re, 'u'), at);
    assert.ok(!/\\[GhHAzZ]|\(\?>|[*+?]\+|\\p\{|\(\?~/.test(re), `${at}: Oniguruma-only construct in ${re}`);
  }
  for (const inc of JSON.stringify(g).matchAll(/"include":\s*"#([^"]+)"/g)) assert.ok(g.repository[inc[1]], `missing repository rule ${inc[1]}`);
});

test('grammar: scopes of typical lines (statement keywords, labels, dashed names, numbers, strings, comments)', () => {
  const g = syn('qstudy.tmLanguage.json');
  const get = (line: string) => scopes(g, line);
  const cox = get('tableIV: cox dss ~ cp_b + tumor_diameter > 3 in lc   with ci profile  # note');
  assert.deepEqual(cox.slice(0, 3), [['tableIV', 'entity.name.function.label.qstudy'], [':', 'punctuation.separator.label.qstudy'], ['cox', 'keyword.control.analysis.qstudy']]);
  assert.ok(cox.some(([t, s]) => t === '3' && s === 'constant.numeric.qstudy'));
  assert.ok(cox.some(([t, s]) => t === 'in' && s === 'keyword.other.qstudy'));
  assert.ok(cox.some(([t, s]) => t === '# note' && s === 'comment.line.number-sign.qstudy'));
  const let1 = get('let x = log10(hsa-miR-21-5p@pre) - 95%');
  assert.deepEqual(let1.slice(0, 2), [['let', 'keyword.control.statement.qstudy'], ['x', 'variable.other.qstudy']]);
  assert.ok(let1.some(([t, s]) => t === 'log10' && s === 'support.function.qstudy'));
  assert.ok(let1.some(([t, s]) => t === 'hsa-miR-21-5p' && s === 'variable.other.qstudy'));
  assert.ok(let1.some(([t, s]) => t === 'pre' && s === 'variable.other.level.qstudy'));
  assert.ok(let1.some(([t, s]) => t === '95%' && s === 'constant.numeric.qstudy'));
  const pl = get('plates "plates/*.txt" format cfx');
  assert.deepEqual(pl.slice(0, 2), [['plates', 'keyword.control.statement.qstudy'], ['"plates/*.txt"', 'string.quoted.double.qstudy']]);
  assert.deepEqual(get('let cohorts = 1')[1], ['cohorts', 'variable.other.qstudy']);
  // every statement keyword is highlighted at line start
  for (const k of STATEMENT_KEYWORDS) assert.match(get(`${k} x`)[0]?.[1] ?? '', /^keyword\.control/, k);
});

test('language configuration: # comments, brackets, auto-closing, a word pattern that keeps dashed names whole', () => {
  const c = syn('language-configuration.json');
  assert.equal(c.comments.lineComment, '#');
  assert.deepEqual(c.brackets, [['(', ')']]);
  assert.ok(c.autoClosingPairs.some((p: { open: string }) => p.open === '"'));
  const wp = new RegExp(c.wordPattern, 'g');
  assert.deepEqual('x = hsa-miR-21-5p@pre - age'.match(wp), ['x', 'hsa-miR-21-5p', 'pre', 'age']);
});

/** Expands `${n:default}` / `$n` of a VS Code snippet body to its defaults. */
function expand(body: string): string {
  let prev = '';
  let s = body;
  while (s !== prev) { prev = s; s = s.replace(/\$\{\d+:([^${}]*)\}/g, '$1'); }
  return s.replace(/\$\d+/g, '');
}

test('snippets: the three seed designs parse and check clean; every snippet expands to valid statements', () => {
  const sn = syn('qstudy.snippets.json') as Record<string, { prefix: string | string[]; body: string[] }>;
  const seeds = Object.entries(sn).filter(([, v]) => [v.prefix].flat().some((p) => p.startsWith('study-')));
  assert.equal(seeds.length, 3);
  for (const [name, v] of Object.entries(sn)) {
    const text = expand(v.body.join('\n'));
    const r = parseStudy(text);
    assert.deepEqual(r.diagnostics, [], `${name}: ${JSON.stringify(r.diagnostics)}`);
    if (seeds.some(([n]) => n === name)) {
      assert.deepEqual(checkStudy(r.ast, {}), [], name);
      assert.ok(r.ast.statements.filter((s) => s.kind === 'analysis').length >= 5, name);
    }
  }
});

test('the docs carry the spec example and an Additions section', () => {
  const doc = fs.readFileSync(path.join(repoRoot, 'docs', 'study-language.md'), 'utf8');
  for (const line of SPEC_EXAMPLE.split('\n')) assert.ok(doc.includes(line), `docs lost the example line: ${line}`);
  assert.match(doc, /^## Additions/m);
  for (const s of ['efficiency from standards', 'nondetect as', 'outliers grubbs', 'interrun calibrator', 'stability ', 'target NAME']) assert.ok(doc.includes(s), s);
});

test('the docs\' table of options names every option of every analysis (the registry) and of the qc statement', () => {
  const lines = fs.readFileSync(path.join(repoRoot, 'docs', 'study-language.md'), 'utf8').split('\n');
  const start = lines.indexOf('| analysis | options |');
  assert.ok(start > 0, 'docs/study-language.md has the table of options');
  const rows = new Map<string, string>();
  for (let i = start + 2; i < lines.length && lines[i].startsWith('|'); i++) {
    const m = /^\| ([a-z0-9-]+)(?: \(statement\))? \| (.*)\|$/.exec(lines[i]);
    if (m) rows.set(m[1], m[2]);
  }
  const missing: string[] = [];
  const check = (kind: string, options: Record<string, unknown>) => {
    for (const o of Object.keys(options)) if (!new RegExp(`\`${o}[ \`\\\\]`).test(rows.get(kind) ?? '')) missing.push(`${kind}: ${o}`);
  };
  for (const kind of ANALYSIS_KINDS) check(kind, lookupAnalysis(kind)!.options);
  check('qc', QC_OPTIONS);
  assert.deepEqual(missing, []);
});
