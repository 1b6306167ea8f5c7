// Worker for bench (c): times require(file) + activate(context) with a fake `vscode` module.
//   node bench/parts/activate.mjs <file> [activate|first-use]
// first-use: after activate(), reads the API's studyServices, which loads the engine-backed features (features.js) as
// the first opened study or plate does; timed as firstUseMs.
// The fake API is a recursive Proxy: every property is a callable/constructible stand-in, so registration calls
// (registerCustomEditorProvider, registerCommand, onDidSaveTextDocument, ...) succeed without doing anything.
import Module from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const [file, doActivate] = process.argv.slice(2);

function fake(path) {
  const cache = new Map();
  const target = function () {};
  return new Proxy(target, {
    get(_t, p) {
      if (p === 'then' || p === Symbol.asyncIterator) return undefined;
      if (p === Symbol.iterator) return function* () {}; // textDocuments, visibleTextEditors, ...: empty
      if (p === 'length') return 0;
      if (p === Symbol.toPrimitive) return () => path;
      if (p === 'toString' || p === 'toJSON') return () => path;
      if (p === 'prototype') return Object.prototype;
      if (!cache.has(p)) cache.set(p, fake(`${path}.${String(p)}`));
      return cache.get(p);
    },
    // Property writes (statusBarItem.text = ..., .name = ...) are kept, never thrown on (a function's name is read-only).
    set(_t, p, v) { cache.set(p, v); return true; },
    apply() { return fake(`${path}()`); },
    construct() { return fake(`new ${path}`); },
  });
}

// A bundler's __toESM copies the module's OWN property names, so the top-level object needs real keys: every
// `.name` property access in the bundle (works for minified bundles too) becomes a lazily created fake.
const vscode = {};
// (features.js, loaded on first use beside the entry, is read too in first-use mode only: the bundler's __toESM copies
// every key at require time, so extra keys would be charged to the entry's require.)
const sibling = join(dirname(file), 'features.js');
const source = readFileSync(file, 'utf8') + (doActivate === 'first-use' && existsSync(sibling) ? readFileSync(sibling, 'utf8') : '');
for (const m of source.matchAll(/\.([A-Za-z_$][\w$]*)/g)) {
  const k = m[1];
  if (!Object.prototype.hasOwnProperty.call(vscode, k)) {
    let v;
    Object.defineProperty(vscode, k, { enumerable: true, configurable: true, get: () => (v ??= fake(`vscode.${k}`)) });
  }
}
const origResolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'vscode') return 'vscode';
  return origResolve.call(this, request, ...rest);
};
const require = Module.createRequire(import.meta.url);
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscode };

const t0 = performance.now();
const mod = require(file);
const t1 = performance.now();
let activateMs = null, firstUseMs = null, error = null;
if (doActivate) {
  const context = new Proxy({ subscriptions: [], extensionUri: fake('extensionUri'), extensionPath: '/fake', globalState: fake('globalState'), workspaceState: fake('workspaceState') },
    { get: (t, p) => (p in t ? t[p] : fake(`context.${String(p)}`)) });
  try {
    const r = mod.activate(context);
    if (r && typeof r.then === 'function') await r;
    activateMs = performance.now() - t1;
    if (doActivate === 'first-use') {
      const t2 = performance.now();
      if (!r.studyServices) throw new Error('the API has no studyServices');
      firstUseMs = performance.now() - t2;
    }
  } catch (e) { error = `activate threw: ${e.message}`; }
}
console.log(JSON.stringify({ requireMs: t1 - t0, activateMs, firstUseMs, error }));
