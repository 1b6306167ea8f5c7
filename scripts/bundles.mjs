// What esbuild.mjs and the benchmarks share about the node bundles, and the web extension's bundle.
import * as path from 'node:path';

/**
 * src/extension.ts loads the engine-backed features with `require('./features.js')`; bundled, that require must stay a
 * require of the sibling bundle (dist/features.js), not pull a second copy of the features into extension.js.
 */
export const siblingFeatures = {
  name: 'sibling-features',
  setup(build) { build.onResolve({ filter: /^\.\/features\.js$/ }, (a) => ({ path: a.path, external: true })); },
};

// ---------------------------------------------------------------------------------------------------------------
// VS Code for the web: dist/web/extension.js (package.json `browser`), one file, format cjs (the web worker
// extension host provides `require('vscode')` and nothing else). It shares every module with the Node entries except
// these Node adapters, each replaced by its web twin (same exports):

/** Node module (repository path, or a `node:` built-in) → its web twin. */
export const WEB_ADAPTERS = {
  'src/host/worker/nodeEngine.ts': 'src/host/web/engine.ts', // worker_threads pool → Web Worker pool
  'src/host/worker/localFiles.ts': 'src/host/web/localFiles.ts', // node's fs → none (reads are host calls)
  'node:path': 'src/host/web/path.ts', // path of URI paths → its POSIX functions
  'src/cli/nodeZip.ts': 'src/host/web/zip.ts', // node's zlib → none (the engine's fflate deflates)
};

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The esbuild plugin that swaps the modules of WEB_ADAPTERS (paths from the repository root `root`). */
export function webAdapters(root) {
  const key = (p) => (p.startsWith('node:') ? p : path.resolve(root, p));
  const twins = new Map(Object.entries(WEB_ADAPTERS).map(([from, to]) => [key(from), path.resolve(root, to)]));
  // the import specifiers that may name one: a built-in as written, a module by its base name
  const filter = new RegExp(Object.keys(WEB_ADAPTERS).map((p) => (p.startsWith('node:') ? `^${escapeRe(p)}$` : `/${escapeRe(path.basename(p, '.ts'))}$`)).join('|'));
  return {
    name: 'web-adapters',
    setup(build) {
      build.onResolve({ filter }, (a) => {
        const twin = twins.get(a.path.startsWith('node:') ? a.path : path.resolve(a.resolveDir, `${a.path}.ts`));
        return twin ? { path: twin } : undefined;
      });
    },
  };
}

/** esbuild options of the web extension bundle (esbuild.mjs; the unit test builds it in memory). */
export function webExtensionOptions(root) {
  return {
    entryPoints: { extension: path.join(root, 'src', 'web', 'extension.ts') }, outdir: path.join(root, 'dist', 'web'),
    bundle: true, platform: 'browser', format: 'cjs', target: 'es2022', external: ['vscode'],
    plugins: [webAdapters(root)],
    // A Node built-in left in the bundle would fail only when that code runs in the browser: fail the build instead,
    // and so when the path shim lacks a function the host imports.
    logOverride: { 'import-is-undefined': 'error' },
  };
}

/**
 * esbuild options of the engine's Web Worker (dist/web/engineWorker.js, started by src/host/web/engine.ts): a classic
 * script (iife: `new Worker(url)` of a web extension runs it without a module loader), the engine tasks with the same
 * web adapters, and no `vscode` (not external: an import of it fails the build, as a worker has no VS Code API).
 */
export function webEngineWorkerOptions(root) {
  return {
    entryPoints: { engineWorker: path.join(root, 'src', 'web', 'engineWorker.ts') }, outdir: path.join(root, 'dist', 'web'),
    bundle: true, platform: 'browser', format: 'iife', target: 'es2022',
    plugins: [webAdapters(root)],
    logOverride: { 'import-is-undefined': 'error' },
  };
}

/** The built web bundles (relative to the repository root): each must pass `nodeOnlyUses`, and each ships in the .vsix. */
export const WEB_BUNDLES = ['dist/web/extension.js', 'dist/web/engineWorker.js'];

/**
 * What in a built web bundle would need Node: `require("x")` of anything but vscode (fs, path, worker_threads,
 * child_process, os, crypto, a sibling file...), `__dirname`, `process.memoryUsage`. Empty when the bundle is clean.
 */
export function nodeOnlyUses(code) {
  const found = [...code.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]).filter((m) => m !== 'vscode').map((m) => `require("${m}")`);
  for (const g of ['__dirname', '__filename', 'process.memoryUsage']) if (code.includes(g)) found.push(g);
  // Buffer.from behind a `typeof Buffer` test just before it (a library's optional Node output, e.g. docx's
  // "nodebuffer" type, never used here) cannot run on the web; any other use can.
  for (const m of code.matchAll(/\bBuffer\.from\b/g)) {
    if (!code.slice(Math.max(0, m.index - 200), m.index).includes('typeof Buffer')) { found.push('Buffer.from'); break; }
  }
  return [...new Set(found)];
}
