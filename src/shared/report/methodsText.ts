/**
 * The Methods paragraph of a report (issue 15, report.json `methods.paragraph`): prose a user can paste into the
 * Methods section of a paper, built only from what the report holds: the plates and instruments read, QC thresholds
 * and exclusions, reference genes and their stability, the efficiency source, the quantification model, each
 * statistical method actually run with its convention, the software and version, and the R functions each method
 * was checked against (test/golden/*.R). A method that did not run is not mentioned. Pure; no DOM.
 */
import type { MethodsSummary, ReportData } from './base';
import { fmtNum } from './format';
import type { AnalysisResult, ResultKind } from './kinds';
import type { CompareResult } from './kinds/compare';
import type { FoldChangeResult } from './kinds/foldchange';
import type { KmResult } from './kinds/km';
import type { StabilityResult } from './kinds/stability';

/** What the paragraph reads (a Report, or the runner's parts of one before it is assembled). */
export interface MethodsInput {
  engine: string;
  methods?: MethodsSummary;
  data: ReportData;
  results: readonly (AnalysisResult | { error: string; kind: string })[];
}

/** One method that ran: its sentence fragment and the R function(s) it was checked against. */
interface Method { text: string; r: string }

const list = (xs: readonly string[]): string => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const unique = <T>(xs: readonly T[]): T[] => [...new Set(xs)];
const sentence = (s: string) => (s ? `${s.charAt(0).toUpperCase()}${s.slice(1)}${/[.!?]$/.test(s) ? '' : '.'}` : '');

const EXCLUSION_WORDS: Record<string, string> = {
  'instrument-omit': 'omitted by the instrument', 'no-cq': 'without a Cq', 'late-cq': 'above the Cq limit',
  'outlier-grubbs': 'replicate outliers (Grubbs)', 'outlier-distance': 'replicate outliers (distance from the others)',
};

function dataSentences(m: MethodsSummary | undefined, d: ReportData): string[] {
  const out: string[] = [];
  const inst = m?.instruments ?? [];
  const read = inst.length ? ` (${list(inst.map((i) => `${plural(i.plates, 'plate')} in ${i.display} format${i.instrument ? `, ${i.instrument}` : ''}`))})` : '';
  out.push(`Cq values of ${plural(d.wells, 'well')} were read from ${plural(d.plates, 'plate file')}${read}, covering ${plural(d.samples, 'sample')} of ${plural(d.subjects, 'subject')}`);
  if (!m) return out;
  const cq = m.curves?.cq;
  if (cq && cq !== 'instrument') out.push(`The Cq values used were called from the raw amplification curves instead: ${cq === 'linregpcr' ? 'LinRegPCR TD0 (Ruijter et al. 2009, as rdmlpython implements it)' : `the cycle at which the baseline-corrected curve crosses ${cq === 'threshold' ? `a threshold of ${m.curves?.threshold}` : 'a threshold of 10 × the median baseline SD of each target'}`}`);
  const q = m.qc;
  const qc = [
    q.maxCq !== undefined ? `a Cq above ${q.maxCq} was treated as a non-detect` : '',
    q.replicateSd !== undefined ? `replicate groups with an SD above ${q.replicateSd} cycles were flagged` : '',
    q.ntcMinCq !== undefined ? `no-template controls amplifying before cycle ${q.ntcMinCq} were flagged` : '',
    q.minReplicates !== undefined ? `at least ${plural(q.minReplicates, 'amplified replicate')} per sample and gene ${q.minReplicates === 1 ? 'was' : 'were'} required` : '',
  ].filter(Boolean);
  if (qc.length) out.push(`Quality control: ${list(qc)}`);
  out.push(`Non-detect policy: ${m.nondetect}`);
  const codes = new Map<string, number>();
  for (const x of m.exclusions) codes.set(x.code ?? 'other', (codes.get(x.code ?? 'other') ?? 0) + 1);
  out.push(m.exclusions.length
    ? `${plural(m.exclusions.length, 'reaction')} ${m.exclusions.length === 1 ? 'was' : 'were'} excluded (${[...codes].map(([c, n]) => `${n} ${EXCLUSION_WORDS[c] ?? c}`).join(', ')})`
    : 'No reaction was excluded');
  return out;
}

function stabilityText(s: StabilityResult): string {
  const parts: string[] = [];
  const g = s.genorm;
  if (g) parts.push(`geNorm (M values ${g.m.map((x) => `${x.target} ${fmtNum(x.m, 3)}`).join(', ')}${g.lastPair ? `; most stable pair ${list(g.lastPair.targets)}` : ''})`);
  const nf = s.normfinder;
  if (nf) parts.push(`NormFinder (stability values ${nf.stability.map((x) => `${x.target} ${fmtNum(x.value, 3)}`).join(', ')}; most stable ${nf.best}${nf.bestPair ? `, best pair ${list(nf.bestPair)}` : ''})`);
  return parts.length ? `The stability of the candidate reference genes was assessed with ${list(parts)}` : '';
}

function quantificationSentences(m: MethodsSummary, results: readonly AnalysisResult[]): string[] {
  const out: string[] = [];
  if (m.references.length) out.push(`Expression of ${list(m.targets)} was normalised to ${m.references.length === 1 ? 'the reference gene' : 'the reference genes'} ${list(m.references)}`);
  for (const s of results) if (s.kind === 'stability') out.push(stabilityText(s));
  const curves = m.efficiencies.filter((e) => e.source !== 'default');
  const assumed = m.efficiencies.filter((e) => e.source === 'default').map((e) => e.target);
  if (assumed.length) out.push(`Amplification efficiencies ${curves.length ? `of ${list(assumed)} ` : ''}were assumed to be 100 % (amplification factor 2)`);
  for (const c of m.standardCurves ?? []) {
    out.push(`The efficiency of ${c.target} was estimated from a standard curve (${c.n} wells at ${c.levels} dilution levels, ${c.file}): slope ${fmtNum(c.slope, 4)}, R² ${fmtNum(c.r2, 3)}, E = ${fmtNum(c.efficiencyPercent, 3)} %`);
  }
  const other = curves.filter((e) => !(m.standardCurves ?? []).some((c) => c.target === e.target));
  if (other.length) out.push(`Amplification factors ${other.map((e) => `${e.target} ${fmtNum(e.value, 4)} (${e.source})`).join(', ')} were used`);
  const livak = /2\^-d/i.test(m.expression) ? ' (Livak & Schmittgen 2001)' : /pfaffl/i.test(m.expression) ? ' (Pfaffl 2001)' : '';
  out.push(`Relative expression was computed as ${m.expression}${livak}${m.calibrators?.length ? `, with ${plural(m.calibrators.length, 'calibrator sample')}` : ''}`);
  const fold = results.filter((r): r is FoldChangeResult => r.kind === 'foldchange');
  if (fold.length) {
    out.push(`Standard errors of the ${list(unique(fold.map((f) => f.quantity)))} were propagated from the replicate Cqs and the efficiencies' standard errors (Hellemans et al. 2007, as qbase+) with 95 % confidence intervals on the log scale`
      + `${fold.some((f) => f.by) ? '; group values are geometric means of the samples with t intervals of the mean log quantity' : ''}`);
  }
  return out;
}

// ---------- statistics: one function per family of kinds ----------

const describeTestR = (t: string) => (/chi/i.test(t) ? 'chisq.test' : /fisher/i.test(t) ? 'fisher.test' : /kruskal/i.test(t) ? 'kruskal.test' : /mann/i.test(t) ? 'wilcox.test' : /anova/i.test(t) ? 'oneway.test' : 't.test');

/** A describe row's test label ("Student t", "Pearson chi-square", "Fisher exact", ", one-sided" suffixes) in words. */
const describeTestName = (t: string) => t
  .replace(/^Student t\b/, "Student's t-test").replace(/^Welch t\b/, "Welch's t-test").replace(/^Pearson chi-square\b/, "Pearson's chi-square test")
  .replace(/^Fisher exact\b/, "Fisher's exact test").replace(/^(Mann-Whitney|Kruskal-Wallis)$/, 'the $1 test');

function compareMethods(r: CompareResult): Method[] {
  const out: Method[] = [];
  const t = r.test;
  if (/ancova/i.test(t)) out.push({ text: 'analysis of covariance (type II F tests) with adjusted means', r: 'lm, drop1, car::Anova and emmeans' });
  else if (/welch.*anova/i.test(t)) out.push({ text: "Welch's one-way ANOVA", r: 'oneway.test' });
  else if (/anova/i.test(t)) out.push({ text: 'one-way ANOVA', r: 'oneway.test (var.equal = TRUE)' });
  else if (/kruskal/i.test(t)) out.push({ text: 'the Kruskal-Wallis test', r: 'kruskal.test' });
  else if (/paired t/i.test(t)) out.push({ text: 'the paired t-test', r: 't.test (paired = TRUE)' });
  else if (/welch/i.test(t)) out.push({ text: "Welch's t-test (unequal variances)", r: 't.test' });
  else if (/student/i.test(t)) out.push({ text: "Student's t-test (equal variances)", r: 't.test (var.equal = TRUE)' });
  else if (/mann/i.test(t)) out.push({ text: 'the Mann-Whitney U test with the Hodges-Lehmann estimate', r: 'wilcox.test (conf.int = TRUE)' });
  else if (/wilcoxon/i.test(t)) out.push({ text: 'the Wilcoxon signed-rank test with the Hodges-Lehmann estimate', r: 'wilcox.test (paired = TRUE, conf.int = TRUE)' });
  else out.push({ text: t, r: '' });
  const ph = r.posthoc;
  if (ph) {
    const rFn = /tukey/i.test(ph.method) ? 'TukeyHSD' : /dunnett/i.test(ph.method) ? 'multcomp::glht (Dunnett)' : /dunn/i.test(ph.method) ? "Dunn's test restated" : /games/i.test(ph.method) ? 'Games-Howell restated' : /wilcox|mann/i.test(ph.method) ? 'pairwise.wilcox.test' : 'pairwise.t.test';
    out.push({ text: `${ph.method} post hoc comparisons${ph.adjust && !/tukey|single-step/i.test(ph.adjust) ? ` (${ph.adjust} adjustment)` : ''}`, r: rFn });
  }
  if (r.normality) out.push({ text: 'the Shapiro-Wilk test of normality per group', r: 'shapiro.test' });
  return out;
}

function kmMethods(r: KmResult): Method[] {
  const out: Method[] = [{ text: 'Kaplan-Meier estimates (Greenwood variance, log-transformed 95 % CIs, median by the midpoint rule)', r: 'survival::survfit' }];
  if (r.logrank) out.push({ text: r.logrank.rho ? `the G-rho test (rho = ${r.logrank.rho}, Peto-Peto)` : 'the log-rank test', r: 'survival::survdiff' });
  if (r.pairwise) out.push({ text: `pairwise log-rank tests (${r.pairwise.adjust} adjustment)`, r: 'survminer::pairwise_survdiff' });
  if (r.trend) out.push({ text: 'the log-rank test for trend', r: 'survival::survdiff (trend)' });
  if (r.rmst) out.push({ text: `restricted mean survival time up to ${fmtNum(r.rmst.tau, 4)}`, r: 'print(survfit, rmean)' });
  if (r.cutpoint) out.push({ text: `a data-driven cut-point of ${r.cutpoint.variable} (maximally selected log-rank statistic, ${fmtNum(r.cutpoint.minprop * 100, 3)}-${fmtNum(r.cutpoint.maxprop * 100, 3)} % of subjects below, p adjusted for the search by Lausen, Sauerbrei & Schumacher 1994)`, r: 'maxstat::maxstat.test and survminer::surv_cutpoint' });
  if (r.atRisk?.rows.some((x) => x.events)) out.push({ text: 'cumulative numbers of events and censored subjects', r: 'survminer::ggsurvplot' });
  return out;
}

/** The methods of one result, in words, each with the R function it was checked against. */
function resultMethods(r: AnalysisResult): Method[] {
  switch (r.kind) {
    case 'describe': {
      const tests = unique(r.rows.map((x) => x.test).filter((x): x is string => !!x));
      return tests.length ? [{ text: `${list(tests.map(describeTestName))} (groups of the descriptive table)`, r: unique(tests.map(describeTestR)).join(', ') }] : [];
    }
    case 'compare': return compareMethods(r);
    case 'correlate': {
      const ms = unique(r.rows.map((x) => x.method));
      return [
        ...ms.map((m) => (m === 'pearson' ? { text: "Pearson's correlation with the Fisher z 95 % CI", r: 'cor.test' } : m === 'spearman' ? { text: "Spearman's rank correlation (exact p for small n without ties, else the t approximation)", r: 'cor.test (method = "spearman")' } : { text: "Kendall's tau-b", r: 'cor.test (method = "kendall")' })),
        ...(r.adjust ? [{ text: `p-values of the correlations adjusted by ${r.adjust}`, r: 'p.adjust' }] : []),
      ];
    }
    case 'km': return kmMethods(r);
    case 'cox': return [
      { text: `Cox proportional-hazards regression (${r.ties === 'efron' ? 'Efron' : 'Breslow'} ties, ${r.ci === 'profile' ? 'profile-likelihood' : 'Wald'} 95 % CIs of the hazard ratios${r.strata ? `, stratified by ${list(r.strata)}` : ''}${r.univariate ? ', each term alone' : ''}) with Harrell's C`, r: 'survival::coxph' },
      ...(r.ph ? [{ text: 'the proportional-hazards assumption tested on scaled Schoenfeld residuals (KM transform)', r: 'survival::cox.zph' }] : []),
      ...(r.splines?.length ? [{ text: 'restricted cubic splines with Wald tests of nonlinearity', r: 'rms::cph, rms::rcs and rms::anova' }] : []),
    ];
    case 'logistic': return [
      { text: `logistic regression (odds ratios with ${r.ci === 'profile' ? 'profile-likelihood' : 'Wald'} 95 % CIs, Nagelkerke R²)`, r: 'glm (binomial)' },
      ...(r.splines?.length ? [{ text: 'restricted cubic splines with Wald tests of nonlinearity', r: 'rms::lrm, rms::rcs and rms::anova' }] : []),
    ];
    case 'linear': return [{ text: `linear regression by least squares (${fmtNum(r.conf * 100, 3)} % t intervals, F tests per term)`, r: 'lm, confint and drop1' }];
    case 'roc': return [
      { text: 'ROC analysis (AUC with the DeLong 95 % CI, cut-off by the Youden index)', r: 'pROC::roc and ci.auc' },
      ...(r.comparisons?.length ? [{ text: `DeLong's paired test of AUCs${r.adjust ? ` (${r.adjust} adjustment)` : ''}`, r: 'pROC::roc.test' }] : []),
    ];
    case 'nomogram': return [{ text: `a nomogram of the ${r.modelKind === 'cox' ? 'Cox' : 'logistic'} model`, r: 'rms::nomogram' }];
    case 'calibrate': {
      const boot = r.evaluations.filter((e) => e.B > 0);
      return [
        ...(boot.length ? [{ text: `bootstrap bias-corrected calibration curves (B = ${list(unique(boot.map((e) => String(e.B))))}${boot[0].seed !== undefined ? `, seed ${boot[0].seed}` : ''})`, r: 'rms::calibrate' }] : []),
        ...(r.evaluations.length > boot.length ? [{ text: 'apparent calibration curves (lowess)', r: 'lowess' }] : []),
        ...(r.cox ? [{ text: `calibration of predicted survival at ${fmtNum(r.cox.time, 4)} in ${r.cox.groups} groups against Kaplan-Meier estimates (B = ${r.cox.B}${r.cox.seed !== undefined ? `, seed ${r.cox.seed}` : ''})`, r: 'rms::calibrate (cmethod = "KM")' }] : []),
      ];
    }
    case 'hosmer-lemeshow': return [{ text: `the Hosmer-Lemeshow test (${list(unique(r.evaluations.map((e) => String(e.groups))))} groups)`, r: 'ResourceSelection::hoslem.test, restated' }];
    case 'dca': return [{ text: 'decision curve analysis (net benefit)', r: 'dcurves::dca, restated' }];
    case 'validate': return [{ text: `bootstrap internal validation of the ${r.modelKind} model (optimism-corrected indexes, B = ${r.B}, seed ${r.seed})`, r: 'rms::validate' }];
    case 'compare-models': return [
      ...(r.lrt ? [{ text: 'likelihood-ratio tests of nested models', r: 'anova (test = "LRT")' }] : []),
      ...unique(r.evaluations.map((e) => e.test)).map((t) => ({ text: `${r.modelKind === 'cox' ? 'comparison of C indexes' : 'comparison of AUCs'} (${t})`, r: r.modelKind === 'cox' ? 'survival::concordance' : 'pROC::roc.test' })),
      ...(r.evaluations.some((e) => e.nri || e.nriCategorical) ? [{ text: 'net reclassification and integrated discrimination improvement', r: 'Hmisc::improveProb' }] : []),
    ];
    case 'forest': return r.mode === 'subgroups'
      ? [{ text: `subgroup analyses of the ${r.modelKind === 'cox' ? 'Cox' : 'logistic'} model refitted within each subgroup, with likelihood-ratio tests of the marker-by-subgroup interaction`, r: r.modelKind === 'cox' ? 'survival::coxph and anova.coxph' : 'glm and anova.glm (test = "LRT")' }]
      : [];
    case 'foldchange': case 'stability': return [];
    case 'absolute': return [{ text: 'absolute quantification of unknowns by inverse regression on the standard curves (95 % prediction intervals, t with n − 2 df)', r: 'lm, by hand' }];
  }
}

function statisticsSentences(results: readonly AnalysisResult[]): string[] {
  const methods: Method[] = [];
  const seen = new Set<string>();
  for (const r of results) for (const m of resultMethods(r)) if (!seen.has(m.text)) { seen.add(m.text); methods.push(m); }
  if (!methods.length) return [];
  const oneSided = results.filter((r) => 'alternative' in r && (r.alternative === 'less' || r.alternative === 'greater')).map((r) => r.name);
  return [
    `The statistical analysis used ${list(methods.map((m) => m.text))}`,
    oneSided.length ? `Tests are two-sided except ${list(oneSided)} (one-sided, as stated in the study)` : 'All tests are two-sided',
    ...checkedSentence(methods, results),
  ];
}

function checkedSentence(methods: Method[], results: readonly AnalysisResult[]): string[] {
  const r = unique([...methods.map((m) => m.r), ...(results.some((x) => x.kind === 'stability') ? ['NormqPCR::selectHKs (geNorm) and NormFinder restated'] : [])].filter(Boolean));
  return r.length ? [`Each method's implementation was checked against R (agreement within 1e-6 relative, resampling and Monte Carlo parts excepted): ${r.join('; ')}`] : [];
}

const KINDS_IN_ORDER: readonly ResultKind[] = ['describe', 'compare', 'correlate', 'km', 'cox', 'logistic', 'linear', 'roc', 'nomogram', 'calibrate', 'hosmer-lemeshow', 'dca', 'validate', 'compare-models', 'forest', 'stability', 'foldchange', 'absolute'];

/** The Methods paragraph of a report: one block of prose, sentences in the order of a Methods section. */
export function methodsParagraph(input: MethodsInput): string {
  const ok = input.results.filter((r): r is AnalysisResult => !('error' in r && typeof r.error === 'string'));
  const ordered = KINDS_IN_ORDER.flatMap((k) => ok.filter((r) => r.kind === k));
  const m = input.methods;
  const sentences = [
    ...dataSentences(m, input.data),
    ...(m ? quantificationSentences(m, ordered) : []),
    ...statisticsSentences(ordered),
    `Analyses were run with ${input.engine.replace(/^qpcr-studio\b/, 'qPCR Studio')} from a study file that records every step`,
  ];
  return sentences.filter(Boolean).map(sentence).join(' ');
}
