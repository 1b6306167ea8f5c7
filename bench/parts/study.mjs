// Worker for bench:scaling: runs a generated study (plates + clinical table + one analysis) through the engine's
// runner with the CLI's Node IO, in its own process so the peak RSS is the study's alone.
//   node bench/parts/study.mjs <study.qstudy>
import { readFileSync } from 'node:fs';
import { loadPart } from '../lib/build.mjs';
import { peakRssMB } from '../lib/util.mjs';

const [studyPath] = process.argv.slice(2);
const { mod, error } = await loadPart('runner');
if (error) { console.log(JSON.stringify({ stage: 'error', error })); process.exit(0); }
const t0 = performance.now();
const out = await mod.runStudy(readFileSync(studyPath, 'utf8'), studyPath, mod.nodeStudyIO());
const errors = out.diagnostics.filter((d) => d.severity === 'error');
console.log(JSON.stringify({
  stage: out.report ? 'study' : 'error', ms: performance.now() - t0, maxRssMB: peakRssMB(),
  wells: out.report?.data.wells, results: out.report?.results.length, error: out.report ? undefined : errors[0]?.message,
}));
