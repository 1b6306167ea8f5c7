import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixture, repoRoot, tempDir } from '../helpers';
import { main, type CliIO } from '../../../src/cli/main';
import { nodeStudyIO } from '../../../src/cli/nodeIO';

function io(): CliIO & { outs: string[]; errs: string[] } {
  const outs: string[] = [], errs: string[] = [];
  return { outs, errs, out: (l) => outs.push(l), err: (l) => errs.push(l), study: nodeStudyIO(), assetDir: path.join(os.tmpdir(), 'no-assets') };
}

test('run writes report.json (non-finite numbers as null) and report.html, prints the paths, exit 0', async () => {
  const out = tempDir('qpcr-cli-');
  const c = io();
  const code = await main(['run', fixture('runner', 'basic', 'study.qstudy'), '--out', out], c);
  assert.equal(code, 0, c.errs.join('\n'));
  const json = fs.readFileSync(path.join(out, 'report.json'), 'utf8');
  assert.ok(!/NaN|Infinity/.test(json));
  const rep = JSON.parse(json);
  assert.equal(rep.version, 1);
  assert.equal(rep.results.length, 19);
  assert.ok(fs.readFileSync(path.join(out, 'report.html'), 'utf8').startsWith('<!DOCTYPE html>'));
  assert.ok(c.outs.some((l) => l === `wrote ${path.join(out, 'report.json')}`));
  assert.ok(c.outs.some((l) => l === `wrote ${path.join(out, 'report.html')}`));
  // steps.csv: the step table (one row per sample × gene of report.steps), CRLF, the header first.
  assert.ok(c.outs.some((l) => l === `wrote ${path.join(out, 'steps.csv')}`));
  const csv = fs.readFileSync(path.join(out, 'steps.csv'), 'utf8').split('\r\n');
  assert.ok(csv[0].startsWith('Sample,Target,Role,Cqs used,Excluded (why),n used,Mean Cq,SD,E,'), csv[0]);
  assert.equal(csv.length - 2, rep.steps.rows.length);
});

test('study errors: file:line:col: severity: message on stderr, exit 1', async () => {
  const dir = tempDir('qpcr-cli-');
  const p = path.join(dir, 's.qstudy');
  fs.writeFileSync(p, 'study "x"\nplates "none/*.csv"\nreference a\ndescribe age\n');
  const c = io();
  const code = await main(['run', p, '--out', path.join(dir, 'out')], c);
  assert.equal(code, 1);
  assert.ok(c.errs.some((l) => l.startsWith(`${p}:2:8: error: No file matches "none/*.csv"`)), c.errs.join('\n'));
  assert.ok(!fs.existsSync(path.join(dir, 'out', 'report.json')));
});

test('check prints diagnostics only; exit 1 on errors, 0 when clean', async () => {
  const dir = tempDir('qpcr-cli-');
  const bad = path.join(dir, 'bad.qstudy');
  fs.writeFileSync(bad, 'study "x"\nfrobnicate 3\n');
  const c = io();
  assert.equal(await main(['check', bad], c), 1);
  assert.ok(c.errs.some((l) => l.startsWith(`${bad}:2:1: error:`)), c.errs.join('\n'));
  const c2 = io();
  assert.equal(await main(['check', fixture('runner', 'basic', 'study.qstudy')], c2), 0, c2.errs.join('\n'));
});

test('check knows the data: an unknown target and a misspelt clinical column are errors with did-you-mean, exit 1', async () => {
  // A copy of the TACE example with `miR-21` → `miR-211` in a variable and `age` → `agee` in a correlation.
  const dir = tempDir('qpcr-cli-check-');
  const example = path.join(repoRoot, 'examples', 'tace-exosomal-mirna');
  fs.cpSync(example, dir, { recursive: true });
  const studyFile = path.join(dir, 'study.qstudy');
  const original = fs.readFileSync(studyFile, 'utf8');
  const ok = io();
  assert.equal(await main(['check', studyFile], ok), 0, ok.errs.join('\n'));
  assert.ok(!fs.existsSync(path.join(dir, 'report.json')), 'check writes no report');
  assert.ok(/miR-21@/.test(original) && /\bage\b/.test(original), 'the example still uses miR-21 and age');
  const lines = original.split('\n');
  const tLine = lines.findIndex((l) => /miR-21@/.test(l));
  const cLine = lines.findIndex((l) => /correlate .*\bage\b/.test(l));
  lines[tLine] = lines[tLine].replace('miR-21@', 'miR-211@');
  lines[cLine] = lines[cLine].replace(/\bage\b/, 'agee');
  fs.writeFileSync(studyFile, lines.join('\n'));
  const c = io();
  assert.equal(await main(['check', studyFile], c), 1);
  const errs = c.errs.join('\n');
  assert.match(errs, new RegExp(`study\\.qstudy:${tLine + 1}:\\d+: error: .*miR-211`), errs);
  assert.match(errs, new RegExp(`study\\.qstudy:${cLine + 1}:\\d+: error: .*agee.*Did you mean \`age\``), errs);
  assert.ok(c.outs.some((l) => / [1-9]\d* error\(s\)/.test(l)), c.outs.join('\n'));
});

test('usage errors exit 2 with the usage on stderr; --help and --version exit 0', async () => {
  for (const argv of [[], ['frob'], ['run'], ['run', 'a.qstudy'], ['run', 'a.qstudy', '--out'], ['check', 'a', 'b'], ['run', 'a', '--bogus', '--out', 'x']]) {
    const c = io();
    assert.equal(await main(argv, c), 2, argv.join(' '));
    assert.ok(c.errs.some((l) => l.startsWith('Usage:')), argv.join(' '));
  }
  const h = io();
  assert.equal(await main(['--help'], h), 0);
  assert.match(h.outs.join('\n'), /qpcr-studio run STUDY.qstudy --out DIR/);
  const v = io();
  assert.equal(await main(['--version'], v), 0);
  assert.match(v.outs[0], /^qpcr-studio \d+\.\d+\.\d+$/);
});

test('--help lists --quiet, --max-warnings, --all and the exit codes', async () => {
  const h = io();
  assert.equal(await main(['--help'], h), 0);
  const text = h.outs.join('\n');
  for (const s of ['--quiet', '--max-warnings N', '--all', 'Exit codes: 0', '2 usage errors', '.qstudy']) assert.ok(text.includes(s), s);
});
