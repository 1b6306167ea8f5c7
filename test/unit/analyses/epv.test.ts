/**
 * The events-per-variable warning (below 10) of logistic and Cox fits: in the result's warnings with the numbers, and
 * as a diagnostic located on the model's line (the runner's study-analysis-warning), on the tace example.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../helpers';
import { epvWarning } from '../../../src/engine/analyses/design';
import type { CoxResult, LogisticResult } from '../../../src/shared/report/types';
import { runExtraLines } from './exampleRun';

const studyPath = path.join(repoRoot, 'examples', 'tace-exosomal-mirna', 'study.qstudy');
const base = fs.readFileSync(studyPath, 'utf8');

test('epvWarning: below 10 only, with the events, the columns and the ratio', () => {
  assert.equal(epvWarning(50, 5, 'events'), undefined);
  assert.match(epvWarning(23, 5, 'events')!, /^4\.6 events per variable \(23 events \/ 5 design columns\) is below 10/);
  assert.match(epvWarning(9, 1, 'events')!, /^9 events per variable \(9 events \/ 1 design column\)/);
  assert.equal(epvWarning(0, 0, 'events'), undefined);
});

test('logistic: events = the less frequent outcome; cox: events; a factor counts its dummy columns; located on the line', async () => {
  const extra = 'lg: logistic dss_death ~ age + sex + etiology + bclc + alb + ast + alt + plt\nlg1: logistic dss_death ~ age\ncx: cox dss ~ age + etiology + alb';
  const { report, diagnostics } = await runExtraLines('tace-exosomal-mirna', extra); // the study is base + '\n' + extra
  assert.ok(report);
  const lines = base.split('\n').length;
  const lg = report.results.find((r) => r.name === 'lg') as LogisticResult;
  const minority = Math.min(lg.events, lg.n - lg.events);
  const cols = lg.terms.length - 1;
  assert.ok(minority / cols < 10);
  const w = lg.warnings?.find((x) => /per variable/.test(x));
  assert.ok(w?.includes(`(${minority} `) && w.includes(`/ ${cols} design columns)`), w);
  const at = (name: string) => diagnostics.find((d) => d.severity === 'warning' && d.message.startsWith(`${name}: `) && /per variable/.test(d.message));
  assert.equal(at('lg')?.range.start.line, lines);
  const lg1 = report.results.find((r) => r.name === 'lg1') as LogisticResult;
  assert.ok(Math.min(lg1.events, lg1.n - lg1.events) >= 10 && !lg1.warnings?.some((x) => /per variable/.test(x)));
  const cx = report.results.find((r) => r.name === 'cx') as CoxResult;
  assert.equal(cx.terms.length, 5, 'age + 3 etiology dummies + alb');
  assert.ok(cx.events < 50);
  assert.ok(cx.warnings?.some((x) => x.includes(`(${cx.events} events / 5 design columns)`)), String(cx.warnings));
  assert.equal(at('cx')?.range.start.line, lines + 2);
});
