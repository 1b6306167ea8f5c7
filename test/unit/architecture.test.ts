/** The engine and the shared protocol stay free of `vscode` and the DOM, so they run in plain Node and the CLI. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './helpers';

function tsFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []);
}

test('src/engine and src/shared import neither vscode, nor src/host, nor DOM globals', () => {
  const files = [...tsFiles(path.join(repoRoot, 'src', 'engine')), ...tsFiles(path.join(repoRoot, 'src', 'shared'))];
  assert.ok(files.length > 0);
  const bad: string[] = [];
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    if (/from\s+['"]vscode['"]|require\(['"]vscode['"]\)/.test(text)) bad.push(`${f}: imports vscode`);
    if (/from\s+['"][./]*\/host\//.test(text)) bad.push(`${f}: imports src/host`);
    if (/\b(document|window)\.(createElement|getElementById|querySelector|addEventListener)\b/.test(text)) bad.push(`${f}: uses the DOM`);
  }
  assert.deepEqual(bad, []);
});
