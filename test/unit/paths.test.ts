/**
 * No absolute path outside the repository in the tracked text files: the repository works wherever it is cloned.
 * Fixtures are found from the repository root (test/unit/helpers.ts), the workplace's shared folder as
 * path.resolve(repoRoot, '..', 'shared'), scratch space with os.tmpdir(), never as /work/…, /home/…, /root/…, /tmp/….
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './helpers';

const ROOTS = ['src', 'webview', 'test', 'scripts', 'bench', '.ci', 'docs', 'examples', 'package.json', 'README.md', 'esbuild.mjs', 'eslint.config.mjs'];
const BINARY = /\.(png|jpe?g|gif|ico|rdml|zip|gz|xlsx?|eds|vsix|woff2?)$/i;
const SKIP_DIRS = new Set(['node_modules', 'out', 'dist', 'screenshots-tmp', '.git']);

/**
 * Fictional paths that are data, not locations: a made-up user's folder passed to pure path functions (workspace
 * containment, relative plate names) that never touch the disk.
 */
const FICTIONAL = ['/home/me/'];

/** This file, whose own examples of what is refused are checked by the first test instead. */
const SELF = 'test/unit/paths.test.ts';

/** The tracked files under ROOTS (git ls-files), or every file under them when this is not a git checkout. */
function files(): string[] {
  try {
    const out = execFileSync('git', ['ls-files', '-z', '--', ...ROOTS], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return out.split('\0').filter(Boolean).filter((f) => fs.existsSync(path.join(repoRoot, f)));
  } catch {
    const walk = (rel: string): string[] => {
      const abs = path.join(repoRoot, rel);
      if (!fs.existsSync(abs)) return [];
      if (!fs.statSync(abs).isDirectory()) return [rel];
      return fs.readdirSync(abs).filter((e) => !SKIP_DIRS.has(e)).flatMap((e) => walk(path.posix.join(rel, e)));
    };
    return ROOTS.flatMap(walk);
  }
}

const TOKEN = `[^\\s'"\`)\\]},;]*`;
// Not after a word character, '.', '/', ':' or '-', so URLs (https://host/home/…) and relative paths do not match.
const USUAL = new RegExp(`(?<![\\w.~:/\\\\-])/(?:work|home|root|tmp|Users|mnt)/${TOKEN}`, 'g');

/** Absolute paths outside the repository in `text`: the usual home and scratch roots, and this checkout's parent. */
function outsidePaths(text: string, parent: string): string[] {
  const res = [USUAL];
  if (parent !== path.parse(parent).root) {
    const escaped = parent.split(path.sep).join('/').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    res.push(new RegExp(`${escaped}/${TOKEN}`, 'g'));
  }
  const found = new Set(res.flatMap((r) => [...text.matchAll(r)].map((m) => m[0])));
  return [...found].filter((p) => !FICTIONAL.some((f) => p.startsWith(f)));
}

test('outsidePaths finds home, scratch and workplace paths and leaves URLs, relative paths and fictional data alone', () => {
  const parent = '/builds/ci';
  assert.deepEqual(outsidePaths("const shared = '/work/shared/fixtures';", parent), ['/work/shared/fixtures']);
  assert.deepEqual(outsidePaths('run --out /tmp/r/tace and see /root/.cache/x', parent), ['/tmp/r/tace', '/root/.cache/x']);
  assert.deepEqual(outsidePaths('`/home/alice/plates/p1.csv`', parent), ['/home/alice/plates/p1.csv']);
  assert.deepEqual(outsidePaths('resolved: /builds/ci/shared/tools/vscode-web.sh', parent), ['/builds/ci/shared/tools/vscode-web.sh']);
  assert.deepEqual(outsidePaths("see https://example.org/home/x, ../shared/fixtures, out/tmp/x, u('/home/me/study')", parent), []);
});

test('no tracked text file names an absolute path outside the repository', () => {
  const parent = path.dirname(repoRoot);
  const list = files();
  assert.ok(list.length > 100, `only ${list.length} files`);
  const bad: string[] = [];
  for (const f of list) {
    if (BINARY.test(f) || f === SELF) continue;
    const data = fs.readFileSync(path.join(repoRoot, f));
    if (data.subarray(0, 8192).includes(0)) continue;
    const text = data.toString('utf8');
    // A match never spans lines (no whitespace in a path token): a file without one anywhere has none on any line.
    if (!outsidePaths(text, parent).length) continue;
    text.split('\n').forEach((line, i) => {
      for (const p of outsidePaths(line, parent)) bad.push(`${f}:${i + 1}: ${p}`);
    });
  }
  assert.deepEqual(bad, [], 'find fixtures from the repository root, ../shared relative to it, scratch space with os.tmpdir()');
});
