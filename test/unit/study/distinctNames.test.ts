// The study inputs' distinct sample names (src/engine/study/inputs.ts distinctNames): names in order of first
// appearance, names with a sample-task well in the order of their first such well, and the targets; the same as a
// map from each name to its first wells (the former code, kept here as the reference) on random plates whose samples
// come back later, across plates, and with control wells between their replicates.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { distinctNames } from '../../../src/engine/study/inputs';
import type { Plate, Well, WellTask } from '../../../src/engine/plate/model';

const SAMPLE_TASKS = new Set<string>(['unknown', 'reference']);

function reference(plates: readonly Plate[]): { all: string[]; sampleWells: string[]; targets: string[] } {
  const at = new Map<string, number>(), all: string[] = [], firstSample: number[] = [], targets = new Set<string>();
  let nSample = 0;
  for (const p of plates) for (const w of p.wells) {
    if (w.target !== '') targets.add(w.target);
    let k = at.get(w.sample);
    if (k === undefined) { k = all.length; at.set(w.sample, k); all.push(w.sample); firstSample.push(-1); }
    if (firstSample[k] < 0 && SAMPLE_TASKS.has(w.task)) firstSample[k] = nSample++;
  }
  const sampleWells: string[] = new Array(nSample);
  all.forEach((s, k) => { if (firstSample[k] >= 0) sampleWells[firstSample[k]] = s; });
  return { all, sampleWells, targets: [...targets] };
}

test('distinctNames: the same names, sample-task names and targets as a map over every well (random plates)', () => {
  let seed = 11;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const tasks: WellTask[] = ['unknown', 'unknown', 'reference', 'ntc', 'standard', 'nrt'];
  for (let trial = 0; trial < 200; trial++) {
    const plates: Plate[] = [];
    for (let p = 0; p < 1 + Math.floor(rnd() * 3); p++) {
      const wells: Well[] = [];
      const n = Math.floor(rnd() * 60);
      for (let i = 0; i < n; i++) {
        const sample = rnd() < 0.05 ? '' : `S${Math.floor(rnd() * 12)}`;
        const reps = 1 + Math.floor(rnd() * 3);
        for (let r = 0; r < reps; r++) {
          wells.push({ index: wells.length, position: null, row: null, col: null, sample, target: rnd() < 0.05 ? '' : `T${Math.floor(rnd() * 4)}`,
            task: tasks[Math.floor(rnd() * tasks.length)], cq: 20, cqText: '20', quantity: null, omitted: false, flags: [], line: wells.length + 1, ranges: {} });
        }
      }
      plates.push({ file: `p${p}.csv`, format: 'tidy', rows: null, cols: null, meta: {}, conventions: { delimiter: ',', decimal: '.', lineEnding: '\n', bom: false }, wells });
    }
    const got = distinctNames(plates), want = reference(plates);
    assert.deepEqual({ all: got.all, sampleWells: got.sampleWells, targets: [...got.targets] }, want, `trial ${trial}`);
  }
});
