/**
 * Issue 8: the normalisation features on REAL instrument exports (test/fixtures), read through importPlate and
 * compared with test/golden/expression-real.json, which test/golden/expression-real.R computes from the same files
 * parsed independently in R (read.csv / read.delim) with restated published algorithms.
 *
 * Tolerance: 1e-6 relative (the project's), plus 1e-9 absolute for values that are 0 or near it (inter-run factors
 * of targets whose calibrator Cqs are identical on both plates, dCq near 0); no looser tolerance is needed.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertClose, fixture, readGolden } from '../helpers';
import { importPlate } from '../../../src/engine/plate/index';
import { DEFAULT_QC, type Plate } from '../../../src/engine/plate/model';
import { computeExpression } from '../../../src/engine/expression/expression';
import { distanceOutliers, grubbsCritical, grubbsOutliers, grubbsStatistic } from '../../../src/engine/expression/outliers';
import { stabilityAnalysis } from '../../../src/engine/expression/stability';
import { interRunCalibration, type IrcObservation } from '../../../src/engine/expression/interrun';
import type { ExpressionOptions, NondetectPolicy, OutlierSettings, SampleExpression } from '../../../src/engine/expression/types';

const golden = readGolden('expression-real.json');
const REL = 1e-6, ABS = 1e-9;

/** A fixture by its path under test/fixtures ("ddct/Experiment1.txt"), named by that path. */
function load(rel: string): Plate {
  // minCq 0: R reads every Cq as written (the QuantStudio 12K file's NTC D12e6 has 1.791, below the default qc min-cq).
  const r = importPlate(fs.readFileSync(fixture(...rel.split('/'))), rel, { minCq: 0 });
  assert.ok(r.plate, `${rel}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  return r.plate!;
}

/** Every sample × target of the golden rows as expression rows (the first target as the reference, so all get a row). */
function run(plates: Plate[], targets: string[], maxCq: number, nondetect: NondetectPolicy, outliers: OutlierSettings = { method: 'none' }, extra: Partial<ExpressionOptions> = {}) {
  return computeExpression(plates, { references: [targets[0]], targets: targets.slice(1), qc: { ...DEFAULT_QC, maxCq }, nondetect, outliers, ...extra });
}
const key = (s: string, t: string) => `${s}\u0000${t}`;
function byPair(rows: SampleExpression[]): Map<string, SampleExpression> {
  const m = new Map<string, SampleExpression>();
  for (const r of rows) { assert.ok(!m.has(key(r.sample, r.target)), `duplicate row ${r.sample} ${r.target}`); m.set(key(r.sample, r.target), r); }
  return m;
}
const uniq = (x: string[]) => [...new Set(x)];

interface MeanRow { sample: string; target: string; nTotal: number; nNondetect?: number; cqMean: number | null; cqSd: number | null; nUsed: number }
function compareMeans(rows: SampleExpression[], g: MeanRow[], label: string): number {
  const m = byPair(rows);
  let n = 0;
  for (const x of g) {
    const s = m.get(key(x.sample, x.target));
    assert.ok(s, `${label}: no row for ${x.sample} / ${x.target}`);
    assert.equal(s.nTotal, x.nTotal, `${label} ${x.sample}/${x.target} nTotal`);
    assert.equal(s.nUsed, x.nUsed, `${label} ${x.sample}/${x.target} nUsed`);
    assertClose(s.cqMean, x.cqMean, REL, ABS, `${label} ${x.sample}/${x.target} cqMean`);
    assertClose(s.cqSd, x.cqSd, REL, ABS, `${label} ${x.sample}/${x.target} cqSd`);
    n++;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------------------------
// Replicate means
// ---------------------------------------------------------------------------------------------------------------
for (const name of ['cfx', 'qsda', 'qs12k'] as const) {
  test(`${golden[name].file}: replicate means (Cq > ${golden[name].means.maxCq} a non-detect, excluded) match R on every sample × target`, () => {
    const g = golden[name];
    const rows: MeanRow[] = g.means.rows;
    const targets = uniq(rows.map((r) => r.target));
    const r = run([load(g.file)], targets, g.means.maxCq, { policy: 'exclude' });
    assert.equal(r.samples.length, rows.length, 'one row per sample × target, as in R');
    const n = compareMeans(r.samples, rows, name);
    assert.ok(n >= 100, `${n} compared`);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Non-detect policies (no Cq, or Cq > max-cq 35)
// ---------------------------------------------------------------------------------------------------------------
for (const name of ['cfx', 'qsda', 'example02'] as const) {
  test(`${golden[name].file}: non-detect policies exclude / as 40 / max-cq / impute (max-cq ${golden[name].nondetect.maxCq}) match R on every pair with a non-detect`, () => {
    const g = golden[name];
    const plate = load(g.file);
    const targets = uniq((g.outliers ? g.outliers.groups : g.means.rows).map((r: MeanRow) => r.target).concat(g.nondetect.policies[0].rows.map((r: MeanRow) => r.target)));
    let n = 0;
    for (const p of g.nondetect.policies) {
      const nd: NondetectPolicy = p.value === null || p.value === undefined ? { policy: p.policy } : { policy: p.policy, value: p.value };
      const r = run([plate], targets, g.nondetect.maxCq, nd);
      assert.ok(p.rows.length > 0);
      n += compareMeans(r.samples, p.rows, `${name} ${p.name}`);
    }
    // The policies really differ on these files (otherwise the test would prove little).
    const means = g.nondetect.policies.map((p: any) => p.rows.map((x: MeanRow) => x.cqMean).join());
    assert.ok(new Set(means).size >= 3, 'policies give different means');
    assert.ok(n >= 5);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Replicate outliers: Grubbs (two-sided, alpha 0.05) and the distance rule (0.5 cycles)
// ---------------------------------------------------------------------------------------------------------------
for (const name of ['qsda', 'cfx', 'example02'] as const) {
  test(`${golden[name].file}: Grubbs G, critical value, decisions and the distance rule on every replicate group match R`, () => {
    const g = golden[name].outliers;
    let big = 0;
    for (const x of g.groups) {
      const v: number[] = x.values;
      const gr = grubbsOutliers(v, g.alpha);
      assert.deepEqual(gr.excluded.map((e) => e.index), x.grubbs.excluded, `${x.sample}/${x.target} Grubbs exclusions ${v}`);
      if (v.length >= 3) {
        big++;
        assertClose(grubbsStatistic(v).g, x.grubbs.G, REL, ABS, `${x.sample}/${x.target} G`);
        assertClose(grubbsCritical(v.length, g.alpha), x.grubbs.crit, REL, 0, `${x.sample}/${x.target} G crit (n ${v.length})`);
      }
      const di = distanceOutliers(v, g.distance);
      assert.deepEqual(di.excluded.map((e) => e.index), x.distance.excluded, `${x.sample}/${x.target} distance exclusions ${v}`);
      assert.equal(di.warning !== undefined, x.distance.warning, `${x.sample}/${x.target} distance warning ${v}`);
    }
    if (name !== 'cfx') assert.ok(big > 0); // CFX has duplicates only: the 2-replicate rule (warnings) is what is compared
  });

  test(`${golden[name].file}: computeExpression with Grubbs / distance outliers: means and replicates used match R`, () => {
    const g = golden[name].outliers;
    const plate = load(golden[name].file);
    const targets = uniq(g.groups.map((x: any) => x.target) as string[]);
    for (const method of ['grubbs', 'distance'] as const) {
      const r = run([plate], targets, g.maxCq, { policy: 'exclude' }, { method, alpha: g.alpha, distance: g.distance });
      const m = byPair(r.samples);
      for (const x of g.groups) {
        const s = m.get(key(x.sample, x.target));
        assert.ok(s, `${x.sample}/${x.target}`);
        assert.equal(s.nUsed, x[method].nUsed, `${method} ${x.sample}/${x.target} nUsed`);
        assertClose(s.cqMean, x[method].cqMean, REL, ABS, `${method} ${x.sample}/${x.target} cqMean`);
      }
      const n = r.exclusions.filter((e) => (method === 'grubbs' ? /Grubbs/ : /median of the others/).test(e.reason)).length;
      assert.equal(n, g.groups.reduce((s: number, x: any) => s + x[method].excluded.length, 0), `${method}: number of exclusions`);
    }
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Reference-gene stability: geNorm (M, stepwise exclusion, V) and NormFinder (one group; with groups on CFX)
// ---------------------------------------------------------------------------------------------------------------
const tissue = (s: string) => s.replace(/^\d+-/, '').replace(/\d+$/, ''); // CFX "1-SI3" -> "SI"; "2-Co1" -> "Co"

for (const name of ['cfx', 'qsda', 'qs12k'] as const) {
  test(`${golden[name].file}: geNorm and NormFinder on the replicate means match R (${golden[name].stability.genes.length} genes)`, () => {
    const g = golden[name].stability;
    const genes: string[] = g.genes;
    const r = run([load(golden[name].file)], genes, g.maxCq, { policy: 'exclude' }, { method: 'none' }, name === 'cfx' ? { sampleFields: (s) => ({ tissue: tissue(s) }) } : {});
    const st = stabilityAnalysis(r.samples, genes, name === 'cfx' ? { groupField: 'tissue' } : {});
    assert.equal(st.n, g.samples.length, 'samples with a Cq for every gene');
    assert.equal(st.dropped, g.dropped.length, 'samples dropped');
    // geNorm
    const gn = st.genorm!;
    for (const x of gn.m) assertClose(x.m, g.genorm.m[x.target], REL, 0, `M ${x.target}`);
    assert.equal(gn.m.length, genes.length);
    assert.deepEqual(gn.ranking, g.genorm.ranking);
    assert.deepEqual(Object.fromEntries(gn.ranks!.map((x) => [x.target, x.rank])), g.genorm.ranks, 'elimination ranks');
    assertClose(gn.lastPair!.m, g.genorm.lastPair.m, REL, 0, 'M of the last pair');
    assert.equal(gn.steps.length, g.genorm.steps.length);
    gn.steps.forEach((s, i) => {
      assert.equal(s.excluded, g.genorm.steps[i].excluded, `step ${i} excluded`);
      assert.deepEqual(Object.keys(s.m).sort(), Object.keys(g.genorm.steps[i].m).sort());
      for (const [k, v] of Object.entries(s.m)) assertClose(v, g.genorm.steps[i].m[k], REL, 0, `step ${i} M ${k}`);
    });
    assert.deepEqual(gn.v.map((x) => x.label), g.genorm.v.map((x: any) => x.label));
    gn.v.forEach((x, i) => assertClose(x.v, g.genorm.v[i].v, REL, 0, x.label));
    // NormFinder: with groups (CFX: tissue SI / Ce / Co) and the one-group variant
    const nfCheck = (nf: NonNullable<typeof st.normfinder>, e: any, label: string) => {
      assert.equal(nf.stability.length, genes.length);
      for (const x of nf.stability) assertClose(x.value, e.stability[x.target], REL, 0, `${label} ${x.target}`);
      assert.equal(nf.best, e.best, `${label} best`);
      if (e.bestPair) {
        assert.deepEqual(nf.bestPair, e.bestPair, `${label} best pair`);
        assertClose(nf.bestPairValue, e.bestPairValue, REL, 0, `${label} best pair value`);
      } else assert.equal(nf.bestPair, undefined, `${label}: no pair with 3 genes (one group)`);
    };
    if (name === 'cfx') {
      nfCheck(st.normfinder!, g.normfinderGroups, 'NormFinder groups');
      const one = stabilityAnalysis(r.samples, genes, { methods: ['normfinder'] });
      nfCheck(one.normfinder!, g.normfinderOne, 'NormFinder one group');
    } else nfCheck(st.normfinder!, g.normfinderOne, 'NormFinder one group');
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Inter-run calibration on two real plates sharing samples (ddCt package: Experiment1.txt, ExperimentWithNTC.txt)
// ---------------------------------------------------------------------------------------------------------------
test('ddCt Experiment1 + ExperimentWithNTC: inter-run factors and corrected pooled means (IRC "Sample1" and "Sample*") match R', () => {
  const g = golden.interrun;
  const plates = g.files.map(load);
  for (const irc of g.runs) {
    const r = computeExpression(plates, {
      references: [g.reference], targets: ['Gene1', 'Gene3'], qc: { ...DEFAULT_QC, maxCq: g.maxCq },
      nondetect: { policy: 'exclude' }, outliers: { method: 'none' }, interRunCalibrator: irc.glob,
    });
    assert.ok(r.interRun, 'interRun present');
    assert.equal(r.interRun.length, irc.factors.length);
    for (const f of irc.factors) {
      const e = r.interRun.find((x) => x.file === f.file && x.target === f.target);
      assert.ok(e, `${f.file} ${f.target}`);
      assertClose(e.factor, f.factor, REL, ABS, `${irc.glob} CF ${f.file} ${f.target}`);
    }
    // Gene3 really differs between the plates (one Cq 36.57 vs 42.57 > max-cq in a calibrator replicate).
    assert.ok(Math.abs(irc.factors.find((f: any) => f.target === 'Gene3').factor) > 0.1);
    const m = byPair(r.samples);
    for (const x of irc.rows) {
      const s = m.get(key(x.sample, x.target));
      if (x.nTotal === 0) { assert.equal(s, undefined); continue; }
      assert.ok(s, `${x.sample}/${x.target}`);
      assert.equal(s.nTotal, x.nTotal, `${x.sample}/${x.target} nTotal`);
      assert.equal(s.nUsed, x.nUsed, `${x.sample}/${x.target} nUsed`);
      assertClose(s.cqMean, x.cqMean, REL, ABS, `${irc.glob} ${x.sample}/${x.target} cqMean`);
      if (x.target !== g.reference) {
        assertClose(s.refCq, x.refCq, REL, ABS, `${irc.glob} ${x.sample}/${x.target} refCq`);
        assertClose(s.dcq, x.dcq, REL, ABS, `${irc.glob} ${x.sample}/${x.target} dCq`);
      }
    }
    // The function itself, fed the amplified sample Cqs straight from the imported wells.
    const obs: IrcObservation[] = [];
    for (const p of plates) for (const w of p.wells) if (w.cq !== null && w.cq <= g.maxCq && (w.task === 'unknown' || w.task === 'reference')) obs.push({ file: p.file, sample: w.sample, target: w.target, cq: w.cq });
    const isCal = (s: string) => irc.calibrators.includes(s);
    const direct = interRunCalibration(obs, isCal, plates.map((p: Plate) => ({ file: p.file, targets: uniq(p.wells.map((w) => w.target)) })));
    for (const f of irc.factors) assertClose(direct.factors.find((x) => x.file === f.file && x.target === f.target)!.factor, f.factor, REL, ABS, `direct CF ${f.file} ${f.target}`);
    assert.equal(direct.diagnostics.length, 0);
  }
  assert.deepEqual(plates.map((p: Plate) => path.basename(p.file)), ['Experiment1.txt', 'ExperimentWithNTC.txt']);
});
