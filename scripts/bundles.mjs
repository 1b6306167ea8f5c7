// What esbuild.mjs and the benchmarks share about the node bundles.

/**
 * src/extension.ts loads the engine-backed features with `require('./features.js')`; bundled, that require must stay a
 * require of the sibling bundle (dist/features.js), not pull a second copy of the features into extension.js.
 */
export const siblingFeatures = {
  name: 'sibling-features',
  setup(build) { build.onResolve({ filter: /^\.\/features\.js$/ }, (a) => ({ path: a.path, external: true })); },
};
