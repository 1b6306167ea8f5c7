// Bundles parts of the engine (TypeScript sources) into out-bench/*.cjs with esbuild's JS API, so the benches do
// not depend on a full `tsc` build of the tree. Each part is bundled on its own: a part whose sources do not
// compile yet (others' code mid-flight) is reported and skipped, the other parts still run.
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { siblingFeatures } from '../../scripts/bundles.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const OUT = join(ROOT, 'out-bench');
const require = createRequire(import.meta.url);

/** Part name → [module path relative to the root, exported names]. */
export const PARTS = {
  core: [
    ['src/engine/plate/index.ts', ['importPlate', 'decodeText']],
    ['src/engine/plate/stream.ts', ['importPlateStream']],
    ['src/engine/plate/model.ts', ['DEFAULT_QC']],
    ['src/engine/plate/wellSource.ts', ['wellSource']],
    ['src/engine/qc/index.ts', ['runQc']],
    ['src/engine/expression/index.ts', ['computeExpression']],
  ],
  plateFuzz: [['test/fuzz/plateFuzz.ts', ['fuzzImport', 'loadFixtureCorpus']]],
  studyFuzz: [['test/fuzz/studyFuzz.ts', ['fuzzParse']]],
  runner: [
    ['src/engine/study/runner.ts', ['runStudy']],
    ['src/cli/nodeIO.ts', ['nodeStudyIO', 'globFiles']],
  ],
  stats: [
    ['src/engine/stats/cox.ts', ['coxph']],
    ['src/engine/stats/logistic.ts', ['logisticRegression']],
    ['src/engine/stats/roc.ts', ['roc']],
    ['src/engine/stats/calibrate.ts', ['calibrateLogistic']],
    ['src/engine/stats/km.ts', ['kaplanMeier']],
    ['src/engine/stats/logrank.ts', ['logrank']],
    ['src/engine/stats/validate.ts', ['validateLogistic']],
    ['src/engine/stats/coxSurvival.ts', ['coxBaseline', 'cphCentring']],
    ['src/engine/stats/nomogram.ts', ['coxNomogram']],
    ['src/engine/stats/tests.ts', ['mannWhitney', 'wilcoxonSignedRank']],
  ],
};

/**
 * Bundles and loads one part. Returns { mod } or { error } (missing file, compile error, missing export).
 * The bundle is rebuilt every run (esbuild takes well under a second).
 */
export async function loadPart(name) {
  const spec = PARTS[name];
  const missing = spec.filter(([f]) => !existsSync(join(ROOT, f))).map(([f]) => f);
  if (missing.length) return { error: `not in the tree yet: ${missing.join(', ')}` };
  const contents = spec.map(([f, names]) => `export { ${names.join(', ')} } from ${JSON.stringify('./' + f.replace(/\.ts$/, ''))};`).join('\n');
  mkdirSync(OUT, { recursive: true });
  // Written to a file of this process, then renamed over the part's file: the fuzz shards bundle at the same time,
  // and one of them could require the file while another was writing it (a worker failed on a partial bundle).
  const outfile = join(OUT, `bench-${name}.cjs`), own = join(OUT, `bench-${name}.${process.pid}.cjs`);
  try {
    await esbuild.build({
      stdin: { contents, resolveDir: ROOT, loader: 'ts', sourcefile: `bench-${name}.ts` },
      bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: own, logLevel: 'silent',
      external: ['vscode'], sourcemap: false,
    });
    renameSync(own, outfile);
  } catch (e) {
    const msgs = (e.errors ?? []).slice(0, 3).map((m) => `${m.location?.file ?? ''}:${m.location?.line ?? ''} ${m.text}`);
    return { error: `does not build: ${msgs.join('; ') || e.message}` };
  }
  delete require.cache[outfile];
  const mod = require(outfile);
  const absent = spec.flatMap(([, names]) => names).filter((n) => mod[n] === undefined);
  if (absent.length) return { error: `missing exports: ${absent.join(', ')}` };
  return { mod };
}

PARTS.plateView = [['src/host/plateEditor/plateView.ts', ['toPlateState']]];
PARTS.curves = [['src/engine/curves/linreg.ts', ['linRegPCR']]];

/**
 * The extension bundles to time: src/extension.ts (the activation entry) and src/features.ts (what it loads on first
 * use) bundled here with the options esbuild.mjs uses for production (what the .vsix ships), else dist/. Returns
 * { file, features, origin } or { error }.
 */
export async function extensionBundle() {
  const dist = join(ROOT, 'dist', 'extension.js');
  const src = join(ROOT, 'src', 'extension.ts');
  if (!existsSync(src)) return existsSync(dist) ? { file: dist, features: join(ROOT, 'dist', 'features.js'), origin: 'dist/extension.js' } : { error: 'neither dist/extension.js nor src/extension.ts exists' };
  const outdir = join(OUT, 'extension');
  mkdirSync(outdir, { recursive: true });
  try {
    await esbuild.build({
      entryPoints: { extension: src, features: join(ROOT, 'src', 'features.ts') }, bundle: true, minify: true, platform: 'node',
      format: 'cjs', target: 'node20', outdir, external: ['vscode'], plugins: [siblingFeatures], legalComments: 'none', logLevel: 'silent',
    });
  } catch (e) {
    return { error: `src/extension.ts does not build: ${(e.errors ?? []).slice(0, 2).map((m) => m.text).join('; ') || e.message}` };
  }
  return { file: join(outdir, 'extension.js'), features: join(outdir, 'features.js'), origin: 'src/extension.ts + src/features.ts bundled for production into out-bench/extension/' };
}
