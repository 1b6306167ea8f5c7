/**
 * The `qc` statement's settings come from one list: QC_OPTIONS names the engine's QC thresholds (QC_DEFAULTS, each as
 * its camel-case field) and the importers' smallest plausible Cq. Every setting reaches the run, and each setting's
 * documented default is the engine's own (hover said `min-cq` defaulted to 5 while the importers used 3).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { QC_OPTIONS } from '../../../src/engine/study/vocabulary';
import { hover } from '../../../src/engine/study/hover';
import { runStudy } from '../../../src/engine/study/runner';
import { DEFAULT_QC, QC_THRESHOLDS } from '../../../src/engine/plate/model';
import { DEFAULT_MIN_CQ } from '../../../src/engine/plate/table';
import { DIR, STUDY, memIO, plate } from './memIO';

const SUBJECTS = ['P01', 'P02', 'P03', 'P04'];
const files = () => ({ [`${DIR}/plates/p1.csv`]: plate(SUBJECTS) });
const head = 'study "qc"\nplates "plates/*.csv" format tidy\nsamples "{patient}-{timepoint}"\nreference cel-miR-39\n';
const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

test('QC_OPTIONS is the QC thresholds and min-cq, no more and no less', () => {
  assert.deepEqual(Object.keys(QC_OPTIONS).map(camel).sort(), [...QC_THRESHOLDS, 'minCq'].sort());
});

test('each qc setting\'s hover gives the engine\'s default', () => {
  const defaults: Record<string, number> = { ...Object.fromEntries(QC_THRESHOLDS.map((k) => [k, DEFAULT_QC[k]])), minCq: DEFAULT_MIN_CQ };
  for (const name of Object.keys(QC_OPTIONS)) {
    const text = `qc ${name} 7\n`;
    const h = hover(text, { line: 0, character: 4 });
    assert.ok(h, name);
    assert.ok(h.markdown.includes(`(default ${defaults[camel(name)]})`), `${name}: ${h.markdown}`);
  }
});

test('each QC threshold set by `qc` is the run\'s threshold (the methods\' record), the others stay at their defaults', async () => {
  const base = await runStudy(`${head}describe miR-122@pre\n`, STUDY, memIO(files()));
  assert.deepEqual(base.report?.methods?.qc, Object.fromEntries(QC_THRESHOLDS.map((k) => [k, DEFAULT_QC[k]])));
  for (const [name, value] of [['max-cq', 33], ['replicate-sd', 0.25], ['ntc-min-cq', 31], ['min-replicates', 1]] as const) {
    const out = await runStudy(`${head}qc ${name} ${value}\ndescribe miR-122@pre\n`, STUDY, memIO(files()));
    assert.ok(out.report, name);
    assert.deepEqual(out.report.methods?.qc, { ...base.report!.methods!.qc, [camel(name)]: value }, name);
  }
});

test('`qc min-cq` reaches the importer: Cqs below it are located import errors, above it values', async () => {
  // The plate's reference Cqs are 24.0 to 24.75, miR-122's 25.4 to 28.65.
  const low = await runStudy(`${head}qc min-cq 20\ndescribe miR-122@pre\n`, STUDY, memIO(files()));
  assert.ok(low.report);
  assert.ok(!low.diagnostics.some((d) => /smallest plausible Cq/.test(d.message)));
  const high = await runStudy(`${head}qc min-cq 24.5\ndescribe miR-122@pre\n`, STUDY, memIO(files()));
  const bad = high.diagnostics.filter((d) => d.code === 'cq-implausible');
  assert.equal(bad.length, 12, 'the reference wells of P01, P02 and P04 (24.00 to 24.45)');
  for (const d of bad) {
    assert.match(d.message, /is below 24.5 cycles, the smallest plausible Cq/);
    assert.ok(d.file === `${DIR}/plates/p1.csv` && d.range.start.line > 0, JSON.stringify(d));
  }
});
