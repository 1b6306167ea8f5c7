// Worker for bench (c): times require(file) + activate(context) with a fake `vscode` module.
//   node bench/parts/activate.mjs <file> [activate]
// The fake API is a recursive Proxy: every property is a callable/constructible stand-in, so registration calls
// (registerCustomEditorProvider, registerCommand, onDidSaveTextDocument, ...) succeed without doing anything.
import Module from 'node:module';
import { readFileSync } from 'node:fs';

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
    apply() { return fake(`${path}()`); },
    construct() { return fake(`new ${path}`); },
  });
}

// A bundler's __toESM copies the module's OWN property names, so the top-level object needs real keys: every
// `.name` property access in the bundle (works for minified bundles too) becomes a lazily created fake.
const vscode = {};
for (const m of readFileSync(file, 'utf8').matchAll(/\.([A-Za-z_$][\w$]*)/g)) {
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
let activateMs = null, error = null;
if (doActivate) {
  const context = new Proxy({ subscriptions: [], extensionUri: fake('extensionUri'), extensionPath: '/fake', globalState: fake('globalState'), workspaceState: fake('workspaceState') },
    { get: (t, p) => (p in t ? t[p] : fake(`context.${String(p)}`)) });
  try {
    const r = mod.activate(context);
    if (r && typeof r.then === 'function') await r;
    activateMs = performance.now() - t1;
  } catch (e) { error = `activate threw: ${e.message}`; }
}
console.log(JSON.stringify({ requireMs: t1 - t0, activateMs, error }));
