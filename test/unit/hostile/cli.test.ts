/**
 * Hostile CLI use: errors before warnings, folded repeats, --quiet and --max-warnings, control characters and
 * terminal escapes in names, a file that is not a study, typos on `targets` and `reference` (one error each, the
 * right did-you-mean, no wall of warnings), and formula defusing in CSV exports.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot, tempDir } from '../helpers';
import { FOLD_AFTER, main, type CliIO } from '../../../src/cli/main';
import { escapeControls } from '../../../src/cli/escape';
import { nodeStudyIO } from '../../../src/cli/nodeIO';
import { csvField } from '../../../src/shared/report/format';

function io(): CliIO & { outs: string[]; errs: string[] } {
  const outs: string[] = [], errs: string[] = [];
  return { outs, errs, out: (l) => outs.push(l), err: (l) => errs.push(l), study: nodeStudyIO(), assetDir: path.join(os.tmpdir(), 'no-assets') };
}
/** A copy of an example in a temporary folder; `edit` rewrites its study text. */
function example(name: string, edit: (s: string) => string = (s) => s): string {
  const dir = tempDir('qpcr-hostile-cli-');
  fs.cpSync(path.join(repoRoot, 'examples', name), dir, { recursive: true });
  const study = path.join(dir, 'study.qstudy');
  fs.writeFileSync(study, edit(fs.readFileSync(study, 'utf8')));
  return study;
}
const REAL = path.join(repoRoot, 'examples', 'real-cfx-reference-genes', 'study.qstudy');
const severityOf = (l: string) => / (error|warning|info|hint): /.exec(l)?.[1];

test('the real-data example: about 120 warnings fold to a screen, with "N more like this [code]"', async () => {
  const all = io();
  assert.equal(await main(['check', REAL, '--all'], all), 0);
  assert.ok(all.errs.length >= 100, `--all prints every diagnostic (${all.errs.length})`);
  const c = io();
  assert.equal(await main(['check', REAL], c), 0);
  assert.ok(c.errs.length <= 30, `${c.errs.length} lines:\n${c.errs.join('\n')}`);
  const folds = c.errs.filter((l) => /^ {2}… \d+ more like this \[[a-z-]+\] \(--all prints them\)$/.test(l));
  assert.ok(folds.length >= 2, c.errs.join('\n'));
  // what is shown plus what is folded is everything
  const shown = c.errs.filter((l) => severityOf(l)).length;
  const folded = folds.reduce((s, l) => s + Number(/(\d+) more/.exec(l)![1]), 0);
  assert.equal(shown + folded, all.errs.length);
  for (const code of ['late-cq', 'replicate-sd']) assert.equal(c.errs.filter((l) => l.endsWith(`[${code}]`)).length, FOLD_AFTER, code);
});

test('run folds too and points at report.json', async () => {
  const out = tempDir('qpcr-hostile-run-');
  const c = io();
  assert.equal(await main(['run', REAL, '--out', out], c), 0);
  assert.ok(c.errs.some((l) => l.includes(`more like this [late-cq], see ${path.join(out, 'report.json')}`)), c.errs.join('\n'));
  assert.ok(c.errs.length <= 30, c.errs.join('\n'));
});

test('errors come before warnings; --quiet prints errors only', async () => {
  const study = example('real-cfx-reference-genes', (s) => `${s}\ndescribe nosuchcolumn\n`);
  const c = io();
  assert.equal(await main(['check', study], c), 1);
  const sev = c.errs.map(severityOf).filter(Boolean);
  assert.equal(sev[0], 'error', c.errs.join('\n'));
  assert.ok(sev.lastIndexOf('error') < sev.indexOf('warning'), 'every error before the first warning');
  const q = io();
  assert.equal(await main(['check', study, '--quiet'], q), 1);
  assert.ok(q.errs.length >= 1 && q.errs.every((l) => severityOf(l) === 'error'), q.errs.join('\n'));
});

test('--max-warnings N: exit 1 when exceeded (as eslint), 0 otherwise; a bad N is a usage error', async () => {
  const over = io();
  assert.equal(await main(['check', REAL, '--max-warnings', '10'], over), 1);
  assert.ok(over.errs.some((l) => /more than --max-warnings 10/.test(l)));
  const under = io();
  assert.equal(await main(['check', REAL, '--max-warnings=100000'], under), 0);
  const out = tempDir('qpcr-hostile-run-');
  const run = io();
  assert.equal(await main(['run', REAL, '--out', out, '--max-warnings', '0', '-q'], run), 1);
  assert.ok(fs.existsSync(path.join(out, 'report.json')), 'the report is still written');
  for (const bad of [['--max-warnings'], ['--max-warnings', 'x'], ['--max-warnings=-1']]) {
    const c = io();
    assert.equal(await main(['check', REAL, ...bad], c), 2, bad.join(' '));
  }
});

test('control characters and terminal escapes in printed strings are escaped', async () => {
  assert.equal(escapeControls('a\x1b[31mred\x1b[0m'), 'a\\x1b[31mred\\x1b[0m');
  assert.equal(escapeControls('\x9b2J\x07\x00\x7f'), '\\x9b2J\\x07\\x00\\x7f');
  assert.equal(escapeControls('two\nlines\r\ttab'), 'two\\nlines\\r\\ttab');
  assert.equal(escapeControls('evil\u202etxt.exe'), 'evil\\u202etxt.exe');
  assert.equal(escapeControls('miR-122 µ café ✓'), 'miR-122 µ café ✓');
  const dir = tempDir('qpcr-hostile-esc-');
  const study = path.join(dir, 'esc.qstudy');
  fs.writeFileSync(study, 'study "x"\nlet a = b\x1b]0;pwned\x07 + \x9b31m1\n');
  const c = io();
  assert.equal(await main(['check', study, '--all'], c), 1);
  const printed = [...c.errs, ...c.outs].join('\n');
  assert.ok(!/[\x00-\x09\x0b-\x1f\x7f-\x9f]/.test(printed), JSON.stringify(printed));
  assert.match(printed, /\\x1b/);
  assert.match(printed, /\\x9b/);
});

test('check or run on a file that is not a .qstudy: one line, exit 2 (it printed 76 errors)', async () => {
  const csv = path.join(repoRoot, 'examples', 'tace-exosomal-mirna', 'clinical.csv');
  for (const argv of [['check', csv], ['run', csv, '--out', path.join(os.tmpdir(), 'never')]]) {
    const c = io();
    assert.equal(await main(argv, c), 2, argv.join(' '));
    assert.equal(c.errs.length, 1, c.errs.join('\n'));
    assert.match(c.errs[0], /clinical\.csv is not a study \(a \.qstudy file\)/);
  }
});

test('a typo on `targets` (miR-12): one error, did you mean miR-122 (one insertion) first, no "No target miR-122" cascade', async () => {
  const study = example('tace-exosomal-mirna', (s) => s.replace(/^targets miR-122, miR-21$/m, 'targets miR-12, miR-21'));
  const c = io();
  assert.equal(await main(['check', study], c), 1);
  const errs = c.errs.filter((l) => severityOf(l) === 'error');
  assert.equal(errs.length, 1, c.errs.join('\n'));
  assert.match(errs[0], /study\.qstudy:8:9: error: No target `miR-12` on the plates\. Did you mean `miR-122`/);
  assert.ok(!c.errs.some((l) => /No target `miR-122`|Target "miR-12" is not in any sample well/.test(l)), c.errs.join('\n'));
});

test('a typo in `reference`: one error that says how many samples it leaves unnormalised, not 300 warnings', async () => {
  const study = example('tace-exosomal-mirna', (s) => s.replace(/^reference cel-miR-39$/m, 'reference cel-miR-3'));
  const c = io();
  assert.equal(await main(['check', study], c), 1);
  const errs = c.errs.filter((l) => severityOf(l) === 'error');
  assert.equal(errs.length, 1, c.errs.join('\n'));
  assert.match(errs[0], /study\.qstudy:7:1: error: Reference "cel-miR-3" is not a target .* 300 sample\/target pair\(s\) cannot be normalised without it/);
  assert.equal(severityOf(c.errs[0]), 'error', 'the error is the first line');
  assert.ok(c.errs.length <= 12, c.errs.join('\n'));
  assert.ok(!c.errs.some((l) => /no Cq for reference/.test(l)));
});

test('CSV export defuses every text cell starting with = + - @ tab CR (after spaces); plain numbers stay numbers', () => {
  for (const evil of ["-2+3+cmd|' /C calc'!A0", '=1+1', '+SUM(A1)', '@A1', '\t=1', '\r=1', '  =HYPERLINK("x")', '-1e2+cmd', '- 1', '-', '+']) {
    const f = csvField(evil);
    const unquoted = f.startsWith('"') ? f.slice(1, -1).replace(/""/g, '"') : f;
    assert.ok(unquoted.startsWith("'"), `${JSON.stringify(evil)} → ${f}`);
  }
  for (const n of ['-0.25', '1e-7', '-1.5e+300', '42', '+3', '.5', '-0']) assert.equal(csvField(n), n, n);
  assert.equal(csvField('miR-122'), 'miR-122');
});
