/**
 * The Methods paragraph (src/shared/report/methodsText.ts) on the examples' reports: it names what each example ran
 * (its tests with their conventions, bootstrap B and seed, references, efficiency source) and nothing it did not.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { fixture } from '../helpers';
import type { Report } from '../../../src/shared/report/types';
import { methodsParagraph } from '../../../src/shared/report/methodsText';

const paragraph = (name: string) => {
  const report = JSON.parse(fs.readFileSync(fixture('report-baseline', `${name}.report.json`), 'utf8')) as Report;
  return { report, text: methodsParagraph(report) };
};

function mentions(text: string, yes: (string | RegExp)[], no: (string | RegExp)[]): void {
  for (const y of yes) assert.ok(typeof y === 'string' ? text.includes(y) : y.test(text), `mentions ${y}:\n${text}`);
  for (const n of no) assert.ok(!(typeof n === 'string' ? text.includes(n) : n.test(text)), `does not mention ${n}:\n${text}`);
}

const ALL_METHODS = ['Kaplan-Meier', 'Cox', 'logistic regression', 'ROC', 'DeLong', 'Hosmer-Lemeshow', 'Mann-Whitney', 'Wilcoxon', 'Kruskal-Wallis',
  'ANOVA', 'Tukey', 'Dunnett', "Dunn's", 'Shapiro-Wilk', "Pearson's correlation", 'Spearman', 'Kendall', 'paired t-test', "Welch's", "Student's t-test", 'geNorm', 'NormFinder',
  'standard curve', 'qbase+', 'nomogram', 'calibration', 'internal validation', 'decision curve', 'linear regression', 'analysis of covariance', 'Efron', 'Breslow',
  'profile-likelihood', 'Schoenfeld', 'cut-point', 'one-sided', 'calibrator', 'chi-square', 'reclassification'];

/** Every method in ALL_METHODS not listed in `yes` must be absent. */
function exactly(text: string, yes: (string | RegExp)[]): void {
  mentions(text, yes, ALL_METHODS.filter((m) => !yes.includes(m)));
}

test('methods paragraph: tace (paired t, Pearson/BH, KM + cut-point, Cox Breslow with profile CIs and PH test, nomogram, calibrate)', () => {
  const { text } = paragraph('tace-exosomal-mirna');
  exactly(text, ['paired t-test', "Student's t-test", "Pearson's correlation", 'Kaplan-Meier', 'cut-point', 'Cox', 'Breslow', 'profile-likelihood', 'Schoenfeld', 'nomogram', 'calibration']);
  mentions(text, ['Fisher z', 'adjusted by BH', 'cel-miR-39', 'LightCycler', '100 %', 'B = 200, seed 1', 'survival::coxph', 'survival::cox.zph', 'maxstat::maxstat.test', 'qPCR Studio 0.1.0', '1 reaction was excluded'], ['Wald 95 %']);
  assert.ok(!/\n/.test(text), 'one paragraph');
});

test('methods paragraph: crc (Table 1, logistic Wald, ROC/DeLong, HL groups, calibrate and validate B and seed, DCA, model comparison)', () => {
  const { text } = paragraph('crc-liver-mets-capecitabine');
  exactly(text, ['chi-square', "Student's t-test", 'logistic regression', 'ROC', 'DeLong', 'nomogram', 'calibration', 'Hosmer-Lemeshow', 'decision curve', 'internal validation', 'reclassification', 'calibrator']);
  mentions(text, ['Wald 95 %', '10 groups', 'B = 1000, seed 1', 'B = 200, seed 1', 'pROC::roc.test', 'rms::validate', 'QuantStudio', 'U6', '12 calibrator samples'], ['profile-likelihood']);
});

test('methods paragraph: invitro (ANOVA + Tukey, Shapiro-Wilk, Kruskal-Wallis + Dunn/Holm, Dunnett, one-sided Student t)', () => {
  const { text } = paragraph('invitro-cell-line');
  exactly(text, ['ANOVA', 'Tukey', 'Shapiro-Wilk', 'Kruskal-Wallis', "Dunn's", 'Dunnett', "Student's t-test", 'one-sided', 'calibrator']);
  mentions(text, ['Holm adjustment', 'high_vs_untreated', 'GAPDH and ACTB', 'multcomp::glht', 'No reaction was excluded'], ['All tests are two-sided']);
});

test('methods paragraph: real-cfx (geNorm/NormFinder, standard curves, Pfaffl, qbase+ propagation, Kruskal-Wallis)', () => {
  const { text, report } = paragraph('real-cfx-reference-genes');
  exactly(text, ['geNorm', 'NormFinder', 'standard curve', 'qbase+', 'Kruskal-Wallis']);
  mentions(text, ['Pfaffl', 'CFX', 'most stable PYY', 'NormqPCR'], ['Livak', 'assumed to be 100 %']);
  for (const c of report.methods!.standardCurves!) assert.ok(text.includes(`efficiency of ${c.target} was estimated from a standard curve`), c.target);
});

test('methods paragraph: sorafenib (Mann-Whitney, Wilcoxon, ANCOVA, KM, linear, ROC, Table 1)', () => {
  const { text } = paragraph('sorafenib-mir221');
  exactly(text, ['chi-square', "Student's t-test", 'Mann-Whitney', 'Wilcoxon', 'analysis of covariance', 'Kaplan-Meier', 'linear regression', 'ROC', 'DeLong']);
  mentions(text, ['Hodges-Lehmann', 'car::Anova', '2 reactions were excluded (1 above the Cq limit, 1 without a Cq)', 'miR-16', 'DeLong 95 % CI'], ['DeLong\'s paired']);
});

test('methods paragraph: failed analyses are left out; no plates data still gives a paragraph', () => {
  const { report } = paragraph('tace-exosomal-mirna');
  const onlyCox = { ...report, results: [{ ...report.results.find((r) => r.kind === 'km')!, error: 'failed' } as never] };
  const text = methodsParagraph(onlyCox);
  assert.ok(!text.includes('Kaplan-Meier'), text);
  const bare = methodsParagraph({ engine: 'qpcr-studio 9.9.9', data: { plates: 0, wells: 0, samples: 0, subjects: 3, qc: [] }, results: [] });
  assert.match(bare, /qPCR Studio 9\.9\.9/);
  assert.ok(!/statistical analysis/.test(bare));
});
