#!/usr/bin/env node
// npm run test:unit [-- <node --test options>]: node's test runner over the compiled unit tests (out/test/unit), with
// the test files shared among as many processes as run at once (JOBS) instead of one process per file. A process per
// file loaded the engine's modules 141 times: about a third of the suite's CPU (111 s -> 70 s of CPU, 64 s -> 42 s
// wall on the 2-core machine). So a unit test must not depend on process-wide state that another file could have
// changed (environment, working directory, the process's own peak RSS: measure memory in a child of its own).
//
// The files are shared so that the processes end together: by each file's seconds in test/unit-durations.json, the
// longest first, each to the process with the least so far. Splitting by count left one process 10 s after the
// other on the 2-core machine. The times are advisory: a file they do not list counts as their mean, and a stale
// time only costs balance. `QPCR_UPDATE_DURATIONS=1 npm run test:unit` rewrites them from the run (node's test
// runner reports each test's file; scripts/unitDurations.mjs sums them), when it ran every test, without options, and
// every test passed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const UNIT = join(ROOT, 'out', 'test', 'unit');
const GROUPS = join(ROOT, 'out', 'test', 'unit-groups');
const DURATIONS = join(ROOT, 'test', 'unit-durations.json');
const MEASURED = join(GROUPS, 'durations.json');
const JOBS = 2;

/** The compiled test files under `dir`, in a stable order. */
function testFiles(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...testFiles(p));
    else if (e.name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

/** A compiled test file's name in test/unit-durations.json: its source's path under test/unit. */
const durationKey = (file) => relative(UNIT, file).split(sep).join('/').replace(/\.js$/, '.ts');

/** test/unit-durations.json, or {} when it is missing or unreadable (the times only steer the balance). */
function readDurations() {
  if (!existsSync(DURATIONS)) return {};
  try {
    const d = JSON.parse(readFileSync(DURATIONS, 'utf8'));
    if (d && typeof d === 'object' && !Array.isArray(d)) return d;
  } catch { /* reported below */ }
  console.error(`${relative(ROOT, DURATIONS)} is not a JSON object of seconds per file: the files are shared as if it were empty.`);
  return {};
}

/** The files in JOBS groups of about equal time (longest first, each to the group with the least so far). */
function shareByTime(files) {
  const known = readDurations();
  const given = files.map((f) => (typeof known[durationKey(f)] === 'number' ? known[durationKey(f)] : null));
  const listed = given.filter((t) => t !== null);
  const unknown = listed.length ? listed.reduce((a, b) => a + b, 0) / listed.length : 1;
  const cost = given.map((t) => t ?? unknown);
  const groupOf = new Int32Array(files.length), seconds = new Array(JOBS).fill(0);
  for (const i of files.map((_, k) => k).sort((a, b) => cost[b] - cost[a] || a - b)) {
    const g = seconds.indexOf(Math.min(...seconds));
    groupOf[i] = g;
    seconds[g] += cost[i];
  }
  // Within a group, the stable order of the listing.
  return seconds.map((_, g) => files.filter((_, i) => groupOf[i] === g));
}

/** Node's own reporter on stdout (as it chooses when none is named), and the times per file into MEASURED. */
function reporters(args) {
  if (args.some((a) => a.startsWith('--test-reporter'))) return [];
  return [
    `--test-reporter=${process.stdout.isTTY ? 'spec' : 'tap'}`, '--test-reporter-destination=stdout',
    `--test-reporter=${pathToFileURL(join(ROOT, 'scripts', 'unitDurations.mjs')).href}`, `--test-reporter-destination=${MEASURED}`,
  ];
}

/** test/unit-durations.json from this run's times, rounded to 10 ms and sorted by name. */
function updateDurations() {
  const measured = JSON.parse(readFileSync(MEASURED, 'utf8'));
  const out = {};
  for (const [file, s] of Object.entries(measured).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (file.startsWith(UNIT + sep)) out[durationKey(file)] = Math.round(s * 100) / 100;
  }
  writeFileSync(DURATIONS, `${JSON.stringify(out, null, 1)}\n`);
  console.log(`Wrote ${relative(ROOT, DURATIONS)}: ${Object.keys(out).length} files.`);
}

const files = testFiles(UNIT);
if (files.length === 0) {
  console.error(`No compiled unit tests in ${relative(ROOT, UNIT)}: run \`npm run build\` first.`);
  process.exit(1);
}
rmSync(GROUPS, { recursive: true, force: true });
mkdirSync(GROUPS, { recursive: true });
const entries = [];
for (const [g, mine] of shareByTime(files).entries()) {
  const entry = join(GROUPS, `group${g + 1}.cjs`);
  const requires = mine.map((f) => `require(${JSON.stringify(relative(GROUPS, f).split(sep).join('/'))});\n`);
  writeFileSync(entry, `// Generated by scripts/testUnit.mjs: ${mine.length} of the ${files.length} unit test files.\n${requires.join('')}`);
  entries.push(entry);
}
const args = process.argv.slice(2);
const r = spawnSync(process.execPath, ['--test', `--test-concurrency=${JOBS}`, ...reporters(args), ...args, ...entries], { stdio: 'inherit', cwd: ROOT });
if (process.env.QPCR_UPDATE_DURATIONS === '1') {
  // Only a whole run's times: with options (a name pattern, --test-only) the files' times would be partial.
  if (r.status === 0 && args.length === 0 && existsSync(MEASURED)) updateDurations();
  else console.log(`${relative(ROOT, DURATIONS)} not rewritten: only a passing run of the whole suite, without options, rewrites it.`);
}
process.exit(r.status ?? 1);
