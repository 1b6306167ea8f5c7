/** Folding of crowded findings for the Problems panel (src/engine/qc/fold.ts): the real BioMark export, then crafted lists. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { fixture } from '../helpers';
import { analysePlate } from '../../../src/host/plateAnalysis';
import { plateTask } from '../../../src/host/worker/engineTasks';
import { DEFAULT_QC } from '../../../src/engine/plate/model';
import { foldDiagnostics, type FoldWell } from '../../../src/engine/qc/fold';
import type { EngineDiagnostic, Severity } from '../../../src/engine/common/diagnostic';

const bioMarkText = fs.readFileSync(fixture('htqpcr', 'BioMark_sample.csv'), 'utf8');
const MORE = /\(and ([\d,]+) more wells? in this group: ([^)]*)\)$/;
const CODE_COUNT = /^([\d,]+) wells \[([\w-]+)\], the first: /;

/** How many findings a folded one stands for (1 when not folded). */
function represented(d: EngineDiagnostic): number {
  const g = MORE.exec(d.message);
  if (g) return 1 + Number(g[1].replace(/,/g, ''));
  const c = CODE_COUNT.exec(d.message);
  return c ? Number(c[1].replace(/,/g, '')) : 1;
}
const byCode = (ds: readonly EngineDiagnostic[]) => {
  const m = new Map<string, number>();
  for (const d of ds) m.set(d.code, (m.get(d.code) ?? 0) + represented(d));
  return m;
};

test('BioMark export: 1,670 warnings fold to a readable list that still counts every well', () => {
  const r = analysePlate(bioMarkText, 'BioMark_sample.csv', DEFAULT_QC);
  assert.ok(r.plate);
  assert.equal(r.diagnostics.length, 1670);
  const folded = foldDiagnostics(r.diagnostics, r.plate.wells);
  assert.ok(folded.length <= 100, `${folded.length} findings after folding`);
  // Every finding is accounted for, per code (the group's first + "N more", or the code's count).
  assert.deepEqual(byCode(folded), byCode(r.diagnostics));
  // late-cq (10 findings) is under the threshold: untouched.
  assert.deepEqual(folded.filter((d) => d.code === 'late-cq'), r.diagnostics.filter((d) => d.code === 'late-cq'));
  // A folded group sits at its first well and names the others of the same sample × target.
  const group = folded.find((d) => MORE.test(d.message));
  assert.ok(group, 'at least one group fold');
  const wellAt = (line: number) => r.plate!.wells.find((w) => w.line === line)!;
  const first = wellAt(group.range.start.line);
  const originals = r.diagnostics.filter((d) => d.code === group.code && wellAt(d.range.start.line).sample === first.sample && wellAt(d.range.start.line).target === first.target);
  assert.deepEqual(group.range, originals[0].range);
  assert.ok(group.message.startsWith(originals[0].message));
  const named = MORE.exec(group.message)![2].split(', ').filter((s) => s !== '...');
  assert.deepEqual(named, originals.slice(1, 1 + named.length).map((d) => wellAt(d.range.start.line).position));
});

test('the Problems task folds in the worker and keeps the unfolded count for the status bar', async () => {
  const r = await plateTask({ source: { text: bioMarkText }, fileName: 'BioMark_sample.csv', qc: DEFAULT_QC, options: {}, fold: {} });
  assert.equal(r.findings, 1670);
  assert.ok(r.diagnostics.length <= 100);
  const plain = await plateTask({ source: { text: bioMarkText }, fileName: 'BioMark_sample.csv', qc: DEFAULT_QC, options: {} });
  assert.equal(plain.diagnostics.length, 1670);
  assert.equal(plain.findings, undefined);
});

// Crafted: one well per line; `groups` replicate groups of `per` wells each.
function crafted(groups: number, per: number, severity: Severity, code = 'rule-x'): { wells: FoldWell[]; diags: EngineDiagnostic[] } {
  const wells: FoldWell[] = [];
  const diags: EngineDiagnostic[] = [];
  for (let g = 0; g < groups; g++) {
    for (let k = 0; k < per; k++) {
      const line = wells.length + 1;
      wells.push({ line, sample: `S${g}`, target: 'T', position: `W${line}` });
      const d: EngineDiagnostic = { code, severity, message: `finding at W${line}.`, range: { start: { line, character: 0 }, end: { line, character: 4 } } };
      if (k === 0) d.fixes = [{ title: 'fix', edits: [{ range: d.range, newText: 'x' }] }];
      diags.push(d);
    }
  }
  return { wells, diags };
}

test('errors are never folded: one per well', () => {
  const { wells, diags } = crafted(10, 20, 'error');
  assert.deepEqual(foldDiagnostics(diags, wells), diags);
});

test('at or under the threshold nothing is folded', () => {
  const { wells, diags } = crafted(5, 10, 'warning');
  assert.deepEqual(foldDiagnostics(diags, wells), diags);
  assert.equal(foldDiagnostics(diags, wells, { threshold: 49 }).length, 5);
});

test('per group: located at the first well, the others named up to maxListed, the single fix kept', () => {
  const { wells, diags } = crafted(3, 20, 'info');
  const folded = foldDiagnostics(diags, wells, { maxListed: 3 });
  assert.equal(folded.length, 3);
  assert.deepEqual(folded[0].range, diags[0].range);
  assert.equal(folded[0].severity, 'info');
  assert.equal(folded[0].message, 'finding at W1. (and 19 more wells in this group: W2, W3, W4, ...)');
  assert.deepEqual(folded[0].fixes, diags[0].fixes);
  // Several alternative fixes on the first: none survive.
  const two = diags.map((d, i) => (i === 0 ? { ...d, fixes: [...d.fixes!, { title: 'other', edits: [] }] } : d));
  assert.equal(foldDiagnostics(two, wells)[0].fixes, undefined);
});

test('per code when even the groups are too many; other codes and errors untouched, order kept', () => {
  const many = crafted(60, 2, 'warning', 'many');
  const err: EngineDiagnostic = { code: 'bad', severity: 'error', message: 'e', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } };
  const folded = foldDiagnostics([err, ...many.diags], many.wells);
  assert.equal(folded.length, 2);
  assert.equal(folded[0], err);
  assert.equal(folded[1].message, "120 wells [many], the first: finding at W1. See the plate editor's table for all of them.");
  assert.deepEqual(folded[1].range, many.diags[0].range);
  const big = crafted(1, 1234, 'warning', 'big');
  assert.match(foldDiagnostics(big.diags, big.wells, { threshold: 0 })[0].message, /^1,234 wells \[big\]/);
});
