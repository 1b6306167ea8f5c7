// Lint and format for the whole repository: `npm run lint` (part of `npm test`), `npm run format` (= eslint --fix).
//
// Three parts:
//   1. correctness: eslint's and typescript-eslint's recommended rules (syntax only, no type information: fast);
//   2. format: @stylistic rules that match the code as it is written (2 spaces, single quotes, semicolons, trailing
//      commas on multi-line literals, doc comments wrapped at 120 with a 130 ceiling, code lines at most 250 wide
//      not counting strings), so `eslint --fix` is the formatter and a whole-tree reformat never happens;
//   3. import boundaries (the local rule `qpcr/boundaries` below), which say what each code zone may import.
import * as path from 'node:path';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const ROOT = path.dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------------------------------------------------------
// Import boundaries
// ---------------------------------------------------------------------------------------------------------------
// Every rule applies to value and type-only imports alike (`import type` included): a zone that may not import a
// module may not depend on its types either.
// Each zone names what it may not import (`forbid`) or the only places it may import from (`only`); a bare specifier
// (an npm package, `vscode`, a node builtin) is matched by `forbidBare`: 'vscode', 'node' (builtins) or 'all'.
const BOUNDARIES = [
  {
    zone: 'src/engine',
    why: 'the engine is pure: it runs in the CLI, the extension host and workers alike',
    forbid: ['src/host', 'src/cli', 'src/extension', 'webview'],
    forbidBare: ['vscode'],
  },
  {
    zone: 'src/shared',
    why: 'src/shared is imported by the host, the engine and the webviews, so it depends on nothing else',
    only: ['src/shared'],
    forbidBare: ['all'],
  },
  {
    // Type-only imports from elsewhere are refused too: the webview's contract with the engine and the host is
    // src/shared; a type the webview needs moves there.
    zone: 'webview',
    why: 'a webview is a browser bundle that sees only src/shared (the contract) and its own modules',
    only: ['webview', 'src/shared'],
    forbidBare: ['vscode', 'node'],
  },
  {
    zone: 'src/engine/stats',
    why: 'stats/ is numbers in, typed results out: it knows nothing of studies, plates, expression or reports',
    forbid: [
      'src/engine/study', 'src/engine/analyses', 'src/engine/report', 'src/engine/expression', 'src/engine/plate',
      'src/shared/report',
    ],
    forbidBare: [],
  },
];

const BUILTINS = new Set(builtinModules);
const under = (rel, dir) => rel === dir || rel.startsWith(`${dir}/`) || rel.startsWith(`${dir}.`);
const isBuiltin = (spec) => spec.startsWith('node:') || BUILTINS.has(spec.split('/')[0]);

/** Why `spec` (imported by the repository file `rel`) breaks a boundary, or null. */
function violation(rel, spec, _typeOnly) {
  const relative = spec.startsWith('.');
  const target = relative ? path.relative(ROOT, path.resolve(ROOT, path.dirname(rel), spec)).split(path.sep).join('/') : null;
  for (const b of BOUNDARIES) {
    if (!under(rel, b.zone)) continue;
    if (!relative) {
      const bad = b.forbidBare.includes('all') || (b.forbidBare.includes('vscode') && spec === 'vscode')
        || (b.forbidBare.includes('node') && isBuiltin(spec));
      if (bad) return `${b.zone} may not import '${spec}': ${b.why}`;
      continue;
    }
    const refused = b.only ? !b.only.some((d) => under(target, d)) : b.forbid.some((d) => under(target, d));
    if (!refused) continue;
    return `${b.zone} may not import ${target}: ${b.why}`;
  }
  return null;
}

const typeOnlyImport = (node) => node.importKind === 'type'
  || (node.specifiers.length > 0 && node.specifiers.every((s) => s.importKind === 'type'));
const typeOnlyExport = (node) => node.exportKind === 'type'
  || (node.specifiers?.length > 0 && node.specifiers.every((s) => s.exportKind === 'type'));

const boundaries = {
  meta: { type: 'problem', schema: [], docs: { description: 'What each code zone may import (eslint.config.mjs)' } },
  create(context) {
    const rel = path.relative(ROOT, context.filename).split(path.sep).join('/');
    const check = (node, source, typeOnly) => {
      if (typeof source?.value !== 'string') return;
      const why = violation(rel, source.value, typeOnly);
      if (why) context.report({ node, message: why });
    };
    return {
      ImportDeclaration: (n) => check(n, n.source, typeOnlyImport(n)),
      ExportNamedDeclaration: (n) => n.source && check(n, n.source, typeOnlyExport(n)),
      ExportAllDeclaration: (n) => check(n, n.source, n.exportKind === 'type'),
      TSImportEqualsDeclaration: (n) => n.moduleReference.type === 'TSExternalModuleReference'
        && check(n, n.moduleReference.expression, n.importKind === 'type'),
      ImportExpression: (n) => check(n, n.source, false),
      TSImportType: (n) => check(n, n.argument?.literal ?? n.source, true),
      CallExpression: (n) => n.callee.type === 'Identifier' && n.callee.name === 'require' && check(n, n.arguments[0], false),
    };
  },
};

// ---------------------------------------------------------------------------------------------------------------
// The configuration
// ---------------------------------------------------------------------------------------------------------------
const format = {
  '@stylistic/indent': ['error', 2],
  '@stylistic/quotes': ['error', 'single', { avoidEscape: true, allowTemplateLiterals: 'always' }],
  '@stylistic/semi': ['error', 'always'],
  '@stylistic/comma-dangle': ['error', 'always-multiline'],
  '@stylistic/max-len': ['error', {
    code: 250, comments: 130, tabWidth: 2,
    ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true,
  }],
  '@stylistic/eol-last': 'error',
  '@stylistic/linebreak-style': ['error', 'unix'],
  '@stylistic/no-trailing-spaces': 'error',
  '@stylistic/no-tabs': 'error',
  '@stylistic/no-multiple-empty-lines': ['error', { max: 1, maxEOF: 0, maxBOF: 0 }],
  '@stylistic/padded-blocks': ['error', 'never'],
  '@stylistic/keyword-spacing': 'error',
  '@stylistic/space-infix-ops': 'error',
  '@stylistic/space-unary-ops': 'error',
  '@stylistic/comma-spacing': 'error',
  '@stylistic/comma-style': 'error',
  '@stylistic/key-spacing': 'error',
  '@stylistic/semi-spacing': 'error',
  '@stylistic/block-spacing': 'error',
  '@stylistic/space-before-blocks': 'error',
  '@stylistic/space-in-parens': 'error',
  '@stylistic/space-before-function-paren': ['error', { anonymous: 'always', named: 'never', asyncArrow: 'always' }],
  '@stylistic/generator-star-spacing': ['error', { before: false, after: true }],
  '@stylistic/object-curly-spacing': ['error', 'always'],
  '@stylistic/object-curly-newline': 'error',
  '@stylistic/array-bracket-spacing': ['error', 'never'],
  '@stylistic/computed-property-spacing': 'error',
  '@stylistic/template-curly-spacing': 'error',
  '@stylistic/rest-spread-spacing': 'error',
  '@stylistic/arrow-spacing': 'error',
  '@stylistic/function-call-spacing': 'error',
  '@stylistic/no-whitespace-before-property': 'error',
  '@stylistic/dot-location': ['error', 'property'],
  '@stylistic/switch-colon-spacing': 'error',
  '@stylistic/yield-star-spacing': 'error',
  '@stylistic/no-extra-semi': 'error',
  '@stylistic/no-floating-decimal': 'error',
  '@stylistic/new-parens': 'error',
  '@stylistic/wrap-iife': ['error', 'inside'],
  '@stylistic/member-delimiter-style': 'error',
  '@stylistic/type-annotation-spacing': 'error',
  '@stylistic/type-generic-spacing': 'error',
  '@stylistic/type-named-tuple-spacing': 'error',
  '@stylistic/spaced-comment': 'error',
};

export default tseslint.config(
  { ignores: ['out/**', 'out-*/**', 'dist/**', 'node_modules/**', '.vscode-test/**', 'test/e2e/screenshots-tmp/**'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  { files: ['**/*.{ts,mjs}'], extends: [js.configs.recommended, ...tseslint.configs.recommended] },
  {
    files: ['**/*.{ts,mjs}'],
    plugins: { '@stylistic': stylistic, qpcr: { rules: { boundaries } } },
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      ...format,
      'qpcr/boundaries': 'error',
      // `_name` marks a variable or parameter kept on purpose, as tsc allows it.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // `import x = require('…')` is how the CommonJS-only @stdlib packages are typed.
      '@typescript-eslint/no-require-imports': ['error', { allowAsImport: true }],
      // A local that starts as `this` and may be replaced by another object (study/eval.ts) is not an alias.
      '@typescript-eslint/no-this-alias': 'off',
      'prefer-const': ['error', { destructuring: 'all' }],
      // Matching control characters is deliberate here: hostile names are escaped before the CLI prints them.
      'no-control-regex': 'off',
      // A text importer's well is a view over columns (src/engine/plate/wellStore.ts): a spread copies none of its
      // fields. Wells are named w/well/wells[i] throughout; copy one with plainWell(w).
      'no-restricted-syntax': ['error', {
        selector: 'ObjectExpression > SpreadElement[argument.name=/^(w|well)$/], ObjectExpression > SpreadElement > MemberExpression[object.property.name="wells"]',
        message: 'A Well may be a ColumnWell view whose fields are getters: a spread copies nothing. Use plainWell(w) from src/engine/plate/wellStore.ts.',
      }],
    },
  },
  // tsc checks these in .ts files (undefined names; noUnusedLocals and noUnusedParameters), so lint does not repeat
  // them there (no-unused-vars is a seventh of lint's time).
  { files: ['**/*.ts'], rules: { 'no-undef': 'off', '@typescript-eslint/no-unused-vars': 'off' } },
  // Tests read JSON goldens and poke at internals.
  { files: ['test/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  // e2e scripts pass functions to the browser (page.evaluate), which run there.
  { files: ['test/e2e/**/*.mjs', 'scripts/plate-screenshots.mjs'], languageOptions: { globals: { ...globals.node, ...globals.browser } } },
);
