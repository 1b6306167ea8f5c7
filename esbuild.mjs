// One build script, two contexts: node (extension host + CLI) and browser (webviews).
import * as esbuild from 'esbuild';
import { chmodSync, existsSync } from 'node:fs';
import { siblingFeatures } from './scripts/bundles.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Entries that exist (the tree grows issue by issue; a missing entry is skipped, never an error). */
const pick = (entries) => Object.fromEntries(Object.entries(entries).filter(([, f]) => existsSync(f)));

// The engine worker (plate import, live-check data, study runs off the extension host) sits beside extension.js.
// extension.js is the small activation entry; it requires features.js (everything that needs the engine) on first use.
const nodeEntries = pick({ extension: 'src/extension.ts', features: 'src/features.ts', engineWorker: 'src/host/worker/engineWorker.ts' });
// The CLI gets its own context for the `#!/usr/bin/env node` banner (dist/cli.js is made executable below).
const cliEntries = pick({ cli: 'src/cli/main.ts' });
const webEntries = pick({ plate: 'webview/plate/main.ts', results: 'webview/results/main.ts' });

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
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  if (Object.keys(cliEntries).length && existsSync('dist/cli.js')) chmodSync('dist/cli.js', 0o755);
}
