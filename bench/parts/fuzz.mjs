// Worker for bench (f): node bench/parts/fuzz.mjs import|parse <cases> <seed>
// Prints { cases, failures, firstFailure, diagnostics, ms } or { error } (an exception escaped the fuzzer itself).
import { loadPart } from '../lib/build.mjs';

const [kind, casesArg, seedArg] = process.argv.slice(2);
const cases = Number(casesArg), seed = Number(seedArg);
const { mod, error } = await loadPart(kind === 'import' ? 'plateFuzz' : 'studyFuzz');
if (error) { console.log(JSON.stringify({ skipped: error })); process.exit(0); }
try {
  const t0 = performance.now();
  const r = kind === 'import' ? mod.fuzzImport(cases, seed) : mod.fuzzParse(cases, seed);
  const ms = performance.now() - t0;
  const f = r.failures[0];
  console.log(JSON.stringify({ cases: r.cases, failures: r.failures.length, firstFailure: f ? JSON.stringify(f).slice(0, 400) : null, diagnostics: r.diagnostics, ms }));
} catch (e) {
  console.log(JSON.stringify({ error: `uncaught exception: ${e.stack?.split('\n').slice(0, 4).join(' | ') ?? e}` }));
  process.exit(1);
}
