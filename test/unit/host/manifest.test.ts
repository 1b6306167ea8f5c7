/** package.json "contributes" agrees with the host code (ids, view types, settings and their defaults). */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../helpers';
import { DEFAULT_QC } from '../../../src/engine/plate/model';
import { QC_DEFAULTS } from '../../../src/shared/qcThresholds';
import { QC_OPTIONS } from '../../../src/engine/study/vocabulary';
import { COMMAND_IDS, READONLY_VIEW_TYPES, RESULTS_VIEW_TYPE, STUDY_LANGUAGE_ID, TEXT_EDITOR_VIEW_TYPES, VIEW_TYPES } from '../../../src/host/contributions';

const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const src = (p: string) => fs.readFileSync(path.join(repoRoot, 'src', p), 'utf8');

test('activation is inferred (plus the results panel restorer) and main points at the bundle', () => {
  // Commands, languages and custom editors activate by inference; a restored results panel needs its own event.
  assert.deepEqual(pkg.activationEvents, [`onWebviewPanel:${RESULTS_VIEW_TYPE}`]);
  assert.equal(pkg.main, './dist/extension.js');
  assert.ok((pkg.contributes.languages as { id: string }[]).some((l) => l.id === STUDY_LANGUAGE_ID));
});

test('every contributed command is registered (COMMAND_IDS; commandHandlers is typed by them), in category qPCR, and vice versa', () => {
  const contributed = (pkg.contributes.commands as { command: string; category: string }[]);
  assert.deepEqual(contributed.map((c) => c.command).sort(), [...COMMAND_IDS].sort());
  assert.ok(contributed.every((c) => c.category === 'qPCR'));
  const handled = [...src('host/commands.ts').matchAll(/^ {4}'(qpcr\.[^']+)': /gm)].map((m) => m[1]).sort();
  assert.deepEqual(handled, [...COMMAND_IDS].sort());
});

test('the activation entry stays small: it imports only vscode, type-only modules, host/activation.ts and host/contributions.ts', () => {
  const runtime = [...src('extension.ts').matchAll(/^import (?!type )[^;]*from '([^']+)'/gm)].map((m) => m[1]).sort();
  assert.deepEqual(runtime, ['./host/activation']);
  const activation = [...src('host/activation.ts').matchAll(/^import (?!type )[^;]*from '([^']+)'/gm)].map((m) => m[1]).sort();
  assert.deepEqual(activation, ['./contributions', 'vscode']);
  const contributions = [...src('host/contributions.ts').matchAll(/^import (?!type )[^;]*from '([^']+)'/gm)].map((m) => m[1]);
  assert.deepEqual(contributions, []);
});

test('custom editors: view types match the providers; option for csv/txt/tsv, default for *.cq.csv and *.rdml', () => {
  const editors = pkg.contributes.customEditors as { viewType: string; priority: string; selector: { filenamePattern: string }[] }[];
  assert.deepEqual(editors.map((e) => e.viewType).sort(), Object.values(VIEW_TYPES).sort());
  assert.deepEqual([...TEXT_EDITOR_VIEW_TYPES, ...READONLY_VIEW_TYPES].sort(), Object.values(VIEW_TYPES).sort());
  assert.equal(new Set(editors.map((e) => e.viewType)).size, editors.length, 'one contribution per viewType (VS Code keys them by id)');
  const by = (pattern: string) => editors.find((e) => e.selector.some((s) => s.filenamePattern === pattern));
  assert.equal(by('*.csv')?.priority, 'option');
  assert.equal(by('*.txt')?.priority, 'option');
  assert.equal(by('*.tsv')?.priority, 'option');
  assert.equal(by('*.cq.csv')?.priority, 'default');
  assert.equal(by('*.rdml')?.priority, 'default');
  assert.equal(by('*.rdml')?.viewType, 'qpcr.rdmlViewer');
  assert.equal(by('*.csv')?.viewType, 'qpcr.plateEditor');
});

test('settings and defaults', () => {
  const props = pkg.contributes.configuration.properties;
  assert.deepEqual(props['qpcr.qc.referenceTargets'].default, []);
  assert.equal(props['qpcr.study.runOnSave'].default, false);
});

test('QC threshold defaults: package.json, the engine and the study language agree with src/shared/qcThresholds.ts', () => {
  const props = pkg.contributes.configuration.properties as Record<string, { default: unknown; type: string }>;
  const numeric = Object.keys(props).filter((k) => k.startsWith('qpcr.qc.') && props[k].type === 'number');
  assert.ok(numeric.length >= 3, numeric.join(', '));
  for (const k of numeric) {
    const key = k.slice('qpcr.qc.'.length) as keyof typeof QC_DEFAULTS;
    assert.ok(key in QC_DEFAULTS, `${k} is not a QC threshold`);
    assert.equal(props[k].default, QC_DEFAULTS[key], k);
  }
  assert.deepEqual({ ...DEFAULT_QC }, { ...QC_DEFAULTS });
  // The `qc` statement's options document the same defaults (max-cq ↔ maxCq ...).
  for (const [key, v] of Object.entries(QC_DEFAULTS)) {
    const option = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    assert.ok(QC_OPTIONS[option]?.doc.includes(`(default ${v})`), `qc ${option}: ${QC_OPTIONS[option]?.doc}`);
  }
});

test('qstudy language, grammar and snippets are contributed', () => {
  const c = pkg.contributes;
  assert.deepEqual(c.languages[0].extensions, ['.qstudy']);
  assert.equal(c.languages[0].id, 'qstudy');
  assert.equal(c.grammars[0].scopeName, 'source.qstudy');
  assert.equal(c.grammars[0].path, './syntaxes/qstudy.tmLanguage.json');
  assert.equal(c.languages[0].configuration, './syntaxes/language-configuration.json');
  assert.equal(c.snippets[0].path, './syntaxes/qstudy.snippets.json');
});

test('activate() only registers (no file system or parsing calls in extension.ts)', () => {
  const ext = src('extension.ts');
  assert.doesNotMatch(ext, /readFile|workspace\.fs|importPlate|parseStudy|findFiles/);
});

test('untrusted workspaces: limited support is declared (the study runner restricts reads, see isInFolders)', () => {
  assert.equal(pkg.capabilities?.untrustedWorkspaces?.supported, 'limited');
  assert.match(pkg.capabilities.untrustedWorkspaces.description, /inside the workspace/);
});

test('the webview bundles stay under 1 MB minified (issue: results bundle budget)', () => {
  // npm test builds the development bundles; the budget is for the production build, which is smaller still.
  for (const f of ['dist/webview/results.js', 'dist/webview/plate.js']) {
    const size = fs.statSync(path.join(repoRoot, f)).size;
    assert.ok(size < 1024 * 1024, `${f} is ${size} bytes`);
  }
});
