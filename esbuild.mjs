// One build script: node (extension host + CLI), browser (webviews) and the web extension (VS Code for the web).
import * as esbuild from 'esbuild';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { nodeOnlyUses, siblingFeatures, WEB_BUNDLES, webEngineWorkerOptions, webExtensionOptions } from './scripts/bundles.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Entries that exist (the tree grows issue by issue; a missing entry is skipped, never an error). */
const pick = (entries) => Object.fromEntries(Object.entries(entries).filter(([, f]) => existsSync(f)));

// The engine worker (plate import, live-check data, study runs off the extension host) sits beside extension.js.
// extension.js is the small activation entry; it requires features.js (everything that needs the engine) on first use.
const nodeEntries = pick({ extension: 'src/extension.ts', features: 'src/features.ts', engineWorker: 'src/host/worker/engineWorker.ts' });
// The CLI gets its own context for the `#!/usr/bin/env node` banner (dist/cli.js is made executable below): cli.js is
// the launcher (src/cli/bin.ts: a worker thread with a heap limit), cliMain.js the CLI it runs on that thread.
const cliEntries = pick({ cli: 'src/cli/bin.ts', cliMain: 'src/cli/main.ts' });
// plate-elements: the plate editor's web components, loaded by plate.js after its first frame (webview/plate/elements.ts).
const webEntries = pick({ plate: 'webview/plate/main.ts', 'plate-elements': 'webview/plate/elements.ts', results: 'webview/results/main.ts' });

const common = { bundle: true, minify: production, sourcemap: !production, logLevel: 'warning', legalComments: 'none' };

const contexts = [];
if (Object.keys(nodeEntries).length) {
  contexts.push(await esbuild.context({
    ...common, entryPoints: nodeEntries, outdir: 'dist', platform: 'node', format: 'cjs', target: 'node20',
    external: ['vscode'], plugins: [siblingFeatures],
  }));
}
if (Object.keys(cliEntries).length) {
  contexts.push(await esbuild.context({
    ...common, entryPoints: cliEntries, outdir: 'dist', platform: 'node', format: 'cjs', target: 'node20',
    external: ['vscode'], banner: { js: '#!/usr/bin/env node' },
  }));
}
if (Object.keys(webEntries).length) {
  contexts.push(await esbuild.context({
    ...common, entryPoints: webEntries, outdir: 'dist/webview', platform: 'browser', format: 'iife', target: 'es2022',
    loader: { '.css': 'css' },
  }));
}
// The web extension (package.json `browser`): the same host code with the web adapters, one cjs file.
const webExtension = existsSync('src/web/extension.ts');
if (webExtension) {
  contexts.push(await esbuild.context({ ...common, ...webExtensionOptions(process.cwd()) }));
  // The engine's Web Worker beside it (src/host/web/engine.ts starts it; the engine tasks run there).
  contexts.push(await esbuild.context({ ...common, ...webEngineWorkerOptions(process.cwd()) }));
}
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  if (Object.keys(cliEntries).length && existsSync('dist/cli.js')) chmodSync('dist/cli.js', 0o755);
  await inlineStdlib('out/src/engine/stats/dist.js');
  if (webExtension) {
    for (const file of WEB_BUNDLES) {
      const bad = nodeOnlyUses(readFileSync(file, 'utf8'));
      if (bad.length) throw new Error(`${file} needs Node (${bad.join(', ')}): VS Code for the web cannot run it`);
    }
  }
}

/**
 * tsc's out/ (what the unit tests and scripts run) with the @stdlib packages of the engine's distribution functions
 * inlined into that one file, as dist/ has them: requiring their 441 small modules one by one cost every test process
 * about 150 ms of CPU. Only packages are inlined (a relative import stays a require, so no engine module is copied).
 */
async function inlineStdlib(file) {
  if (!existsSync(file)) return;
  const entry = resolve(file);
  const ownModulesStay = { name: 'own-modules-stay', setup: (b) => b.onResolve({ filter: /^\./ }, (a) => (a.importer === entry ? { path: a.path, external: true } : undefined)) };
  await esbuild.build({
    entryPoints: [entry], outfile: file, allowOverwrite: true, bundle: true, platform: 'node', format: 'cjs', target: 'node20',
    sourcemap: true, logLevel: 'warning', legalComments: 'none', plugins: [ownModulesStay],
  });
}
