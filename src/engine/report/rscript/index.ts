/**
 * The reproducible R script (`--r-script`, "R script" in the results panel): analysis.R and the tidy per-subject
 * dataset it reads (analysis-data.csv, RunData.table) that recompute the report's analyses with base R, survival,
 * rms and pROC. The script writes every number it recomputes to analysis-results.json under the report.json path
 * it reproduces (`"<analysis> :: terms.1.hr"`), so a test (test/unit/report/rscript.test.ts) can compare the two.
 *
 * One emitter per analysis kind, registered here by kind (a Record over the analysis registry's kinds: a kind
 * without an entry does not compile); a kind that is not reproduced says why, in the script.
 */
import { ANALYSIS_KINDS, type AnalysisKind } from '../../analyses';
import { ENGINE_VERSION } from '../../study/runner';
import type { AnalysisTable, TableAnalysis } from '../../study/analysisTable';
import { isErrorResult, type AnalysisResult, type ErrorResult, type Report } from '../../../shared/report/types';
import { NotReproduced, rStr, rStrs, type Emitter } from './r';
import { R_HELPERS } from './prelude';
import { emitCompare } from './compare';
import { emitCorrelate } from './correlate';
import { emitCox } from './cox';
import { emitKm } from './km';
import { emitLinear, emitLogistic } from './glm';
import { emitRoc } from './roc';
import { emitDescribe } from './describe';
import { emitCompareModels, emitDca, emitHosmerLemeshow } from './consumers';

/** An emitter, or the reason the kind is not reproduced (printed in the script). */
type KindEntry = Emitter | { notReproduced: string };

const BOOTSTRAP = 'its bootstrap resamples are drawn by the engine\'s seeded PRNG, not R\'s, so R cannot redraw the same resamples';
const EMITTERS: Record<AnalysisKind, KindEntry> = {
  describe: emitDescribe,
  compare: emitCompare,
  correlate: emitCorrelate,
  km: emitKm,
  cox: emitCox,
  logistic: emitLogistic,
  linear: emitLinear,
  roc: emitRoc,
  nomogram: { notReproduced: 'a nomogram is a drawing of its model (the model above); rms::nomogram(lrm(...)) draws the same axes' },
  calibrate: { notReproduced: `calibration curves are bootstrap-corrected: ${BOOTSTRAP}` },
  validate: { notReproduced: `rms::validate is a bootstrap: ${BOOTSTRAP}` },
  'hosmer-lemeshow': emitHosmerLemeshow,
  dca: emitDca,
  'compare-models': emitCompareModels,
  stability: { notReproduced: 'geNorm and NormFinder work on the Cq values of the plates (not per-subject variables) and need packages outside base R, survival, rms and pROC' },
  foldchange: { notReproduced: 'fold changes are computed from the plates\' Cq values (the expression step), not from the per-subject dataset' },
  absolute: { notReproduced: 'absolute quantities are interpolated from the plates\' standard curves (the expression step), not from the per-subject dataset' },
  forest: { notReproduced: 'the subgroup refits and interaction tests are not emitted yet (test/golden/subgroup.R has the survival::coxph and anova code they follow); the models themselves are reproduced above' },
};

/** The entry of a kind (for the test that every registered kind has one). */
export function rEmitterOf(kind: string): KindEntry | undefined {
  return (EMITTERS as Record<string, KindEntry | undefined>)[kind];
}
export const R_EMITTER_KINDS: readonly string[] = ANALYSIS_KINDS.filter((k) => rEmitterOf(k) !== undefined);

/** Companion names of a script saved as `name` (analysis.R → analysis-data.csv, analysis-results.json). */
export function rScriptNames(name: string): { script: string; data: string; results: string } {
  const stem = name.replace(/\.r$/i, '');
  return { script: name, data: `${stem}-data.csv`, results: `${stem}-results.json` };
}

/** The script and its dataset. */
export function rScriptFiles(report: Report, table: AnalysisTable, fileName: string): { file: string; bytes: Uint8Array }[] {
  const names = rScriptNames(fileName);
  const enc = new TextEncoder();
  return [{ file: names.script, bytes: enc.encode(rScript(report, table, names)) }, { file: names.data, bytes: enc.encode(analysisCsv(table)) }];
}

/** The dataset as CSV: the subject key, one column per expression, one 0/1 column per cohort (`cohort:NAME`). */
export function analysisCsv(t: AnalysisTable): string {
  const cell = (v: string | number | null): string => {
    if (v === null) return '';
    if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
    return `"${v.replace(/"/g, '""')}"`;
  };
  const header = [t.keyField, ...t.columns.map((c) => c.name), ...t.cohorts.map((c) => `cohort:${c.name}`)];
  const member = t.cohorts.map((c) => new Set(c.rows));
  const lines = [header.map(cell).join(',')];
  t.subjects.forEach((s, i) => {
    lines.push([cell(s), ...t.columns.map((c) => cell(c.values[i])), ...member.map((m) => (m.has(i) ? '1' : '0'))].join(','));
  });
  return lines.join('\n') + '\n';
}

/** One analysis's block: a comment with its name and study line, then its code (or why it is not reproduced). */
function block(r: AnalysisResult | ErrorResult, t: TableAnalysis | undefined, models: Map<string, { table: TableAnalysis; result: AnalysisResult }>): string {
  const head = `# ---- ${r.name} (${r.kind}), study line ${r.line ?? '?'}: ${((r as { title?: string }).title ?? '').replace(/\s+/g, ' ')}`;
  const entry = rEmitterOf(r.kind);
  let reason: string;
  if (isErrorResult(r)) reason = `the analysis failed in qPCR Studio (${r.error})`;
  else if (!entry) reason = 'unknown analysis kind';
  else if (!t) reason = 'the analysis is not in the dataset';
  else if (typeof entry !== 'function') reason = entry.notReproduced;
  else {
    try {
      return `${head}\nlocal({\n${entry({ result: r, table: t, models }).trim()}\n})\n`;
    } catch (e) {
      if (!(e instanceof NotReproduced)) throw e;
      reason = e.message;
    }
  }
  return `${head}\n# not reproduced: ${reason.replace(/\s+/g, ' ')}\n`;
}

export function rScript(report: Report, table: AnalysisTable, names: { data: string; results: string }): string {
  const byName = new Map(table.analyses.map((a) => [a.name, a]));
  const models = new Map<string, { table: TableAnalysis; result: AnalysisResult }>();
  for (const r of report.results) { const t = byName.get(r.name); if (t && !isErrorResult(r)) models.set(r.name, { table: t, result: r }); }
  const factors = table.columns.filter((c) => c.type === 'categorical')
    .map((c) => `d[[${rStr(c.name)}]] <- factor(d[[${rStr(c.name)}]], levels = ${rStrs(c.levels ?? [])})`);
  const head = [
    `# ${report.study.replace(/\s+/g, ' ')}`,
    `# Reproducible analysis script written by qPCR Studio ${ENGINE_VERSION} (${report.engine}) on ${new Date().toISOString().slice(0, 10)}`,
    `# from the run of ${report.generated ?? 'the study'}. It recomputes the report's analyses from ${names.data}`,
    '# (one row per subject: every expression the analyses used, as a column named as written; `cohort:NAME` = 1 in NAME).',
    '# Packages: base R (stats), survival, pROC, jsonlite, and rms for rcs() terms',
    '# (Debian: r-base-core r-cran-survival r-cran-proc r-cran-jsonlite r-cran-rms).',
    `# Run it in the folder that holds both files: Rscript ${rScriptNames(names.data.replace(/-data\.csv$/, '.R')).script}`,
    `# It writes ${names.results}: each recomputed number under "<analysis> :: <report.json path>".`,
    'suppressPackageStartupMessages({ library(survival); library(pROC); library(jsonlite) })',
    `d <- read.csv(${rStr(names.data)}, check.names = FALSE, stringsAsFactors = FALSE, na.strings = "", encoding = "UTF-8")`,
    '# Categorical variables, levels in the order of the report (the first is the reference of dummy coding)',
    ...factors,
    R_HELPERS.trim(),
  ];
  const blocks = report.results.map((r) => block(r, byName.get(r.name), models));
  const tail = `write_json(.out, ${rStr(names.results)}, digits = NA, auto_unbox = TRUE, na = "null")`;
  return [...head, '', ...blocks, tail, ''].join('\n');
}
