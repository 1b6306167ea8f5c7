/**
 * Number formatting and table export for report.json results (pure; shared by the results webview, report.html
 * and the host). Tables are lists of cells with the text shown and, for numbers, the raw value: CSV exports the
 * raw value at full precision (p-values are never rounded there), Markdown the text as shown.
 */
import type { AnalysisResult, Interval, Num, Report } from './types';

/** One table cell: the text shown and, for numbers, the unrounded value (CSV uses it). */
export interface Cell { text: string; raw?: number | null }
/** A table of a result, ready for the DOM, CSV and Markdown. */
export interface DataTable {
  /** Stable id within the result (e.g. "terms"), used for file names. */
  id: string;
  title: string;
  columns: string[];
  rows: Cell[][];
  /** Rows to mark as significant (p < 0.05), by index. */
  significant?: number[];
  /** A footnote (tests, model statistics). */
  note?: string;
}

export const DASH = '—';

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** A number with `digits` significant digits (trailing zeros dropped); tiny or huge values in exponent form. */
export function fmtNum(x: Num | undefined, digits = 3): string {
  if (!finite(x)) return DASH;
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a < 1e-4 || a >= 1e7) return x.toExponential(Math.max(0, digits - 1)).replace('e+', 'e');
  if (a >= 10 ** digits) return String(Math.round(x));
  return String(Number(x.toPrecision(digits)));
}

/** A number with a fixed number of decimals (e.g. coefficients, HR 1.65). */
export function fmtFixed(x: Num | undefined, decimals = 2): string {
  if (!finite(x)) return DASH;
  const s = x.toFixed(decimals);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

/** A p-value as papers print it: "< 0.001" below 0.001, else three decimals (0.05 stays 0.050). */
export function fmtP(p: Num | undefined): string {
  if (!finite(p)) return DASH;
  if (p < 0.001) return '< 0.001';
  return p.toFixed(3);
}

/** "lo–hi" with the given decimals; a missing bound shows as a dash. */
export function fmtCi(ci: Interval | null | undefined, decimals = 2): string {
  if (!ci || (!finite(ci[0]) && !finite(ci[1]))) return DASH;
  const b = (x: Num) => (finite(x) ? fmtFixed(x, decimals) : 'NA');
  // an en dash between negative numbers reads as a minus: "-0.16 to -0.03"
  return (finite(ci[0]) && ci[0] < 0) || (finite(ci[1]) && ci[1] < 0) ? `${b(ci[0])} to ${b(ci[1])}` : `${b(ci[0])}–${b(ci[1])}`;
}

/** An integer count. */
export function fmtInt(x: Num | undefined): string {
  return finite(x) ? String(Math.round(x)) : DASH;
}

export const isSignificant = (p: Num | undefined, alpha = 0.05): boolean => finite(p) && p < alpha;

// ---------- cells ----------

const txt = (s: string | null | undefined): Cell => ({ text: s ?? DASH });
const num = (x: Num | undefined, digits = 3): Cell => ({ text: fmtNum(x, digits), raw: finite(x) ? x : null });
const fix = (x: Num | undefined, d = 2): Cell => ({ text: fmtFixed(x, d), raw: finite(x) ? x : null });
const pval = (p: Num | undefined): Cell => ({ text: fmtP(p), raw: finite(p) ? p : null });
const int = (x: Num | undefined): Cell => ({ text: fmtInt(x), raw: finite(x) ? x : null });
const ci = (c: Interval | null | undefined, d = 2): Cell => ({ text: fmtCi(c, d) });
const sigRows = (ps: Num[]): number[] => ps.flatMap((p, i) => (isSignificant(p) ? [i] : []));

// ---------- CSV / Markdown ----------

/**
 * Quotes a CSV field when needed (RFC 4180) and defuses spreadsheet formulas (OWASP CSV injection): a field that
 * starts with = + - @ tab or CR, after any leading spaces, gets a leading `'`, unless the whole field is one plain
 * number (`-0.25`, `1e-7`: how raw numbers are written, which a spreadsheet cannot read as a formula).
 */
export function csvField(s: string): string {
  let v = s;
  if (/^ *[=+\-@\t\r]/.test(v) && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v)) v = `'${v}`;
  return /[",\r\n]|^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The table as CSV (CRLF line ends): raw numbers at full precision, otherwise the text shown. */
export function toCsv(t: DataTable): string {
  const cell = (c: Cell) => (finite(c.raw) ? String(c.raw) : c.text === DASH ? '' : c.text);
  return [t.columns.map(csvField).join(','), ...t.rows.map((r) => r.map((c) => csvField(cell(c))).join(','))].join('\r\n') + '\r\n';
}

/** Escapes text for a Markdown table cell: backslash, pipes, emphasis/code/link characters, HTML, newlines. */
export function mdEscape(s: string): string {
  return s.replace(/[\\|*_`[\]#]/g, (c) => `\\${c}`).replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r?\n|\r/g, ' ');
}

/** The table as GitHub-flavoured Markdown (significant rows get a trailing " *" in the first column). */
export function toMarkdown(t: DataTable): string {
  const sig = new Set(t.significant ?? []);
  const head = `| ${t.columns.map(mdEscape).join(' | ')} |`;
  const rule = `|${t.columns.map(() => ' --- ').join('|')}|`;
  const rows = t.rows.map((r, i) => `| ${r.map((c, j) => mdEscape(c.text) + (j === 0 && sig.has(i) ? ' \\*' : '')).join(' | ')} |`);
  const lines = [`**${mdEscape(t.title)}**`, '', head, rule, ...rows];
  if (t.note) lines.push('', mdEscape(t.note));
  if (sig.size) lines.push('', '\\* p < 0.05');
  return lines.join('\n') + '\n';
}

/** A file-name-safe slug. */
export function slug(s: string): string {
  return s.normalize('NFKD').replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'table';
}

// ---------- tables of each result kind ----------

function dfText(df: Num | [Num, Num]): Cell {
  if (Array.isArray(df)) return { text: df.map((d) => fmtNum(d, 4)).join(', ') };
  return num(df, 4);
}

/** The tables of a result, in display order. */
export function resultTables(r: AnalysisResult): DataTable[] {
  switch (r.kind) {
    case 'describe': {
      const cols = ['Variable', r.by ? 'Overall' : 'Value', ...r.groupLevels.map((g) => `${r.by ?? ''} = ${g}`), ...(r.by ? ['Test', 'p'] : [])];
      const rows: Cell[][] = [];
      for (const row of r.rows) {
        rows.push([txt(row.variable), txt(row.overall), ...r.groupLevels.map((g) => txt(row.groups[g] ?? '')), ...(r.by ? [txt(row.test ?? ''), pval(row.p)] : [])]);
        for (const l of row.levels ?? []) {
          if (row.type !== 'categorical') continue;
          rows.push([txt(`  ${l.level}`), txt(l.overall), ...r.groupLevels.map((g) => txt(l.groups[g] ?? '')), ...(r.by ? [txt(''), txt('')] : [])]);
        }
      }
      const sig: number[] = [];
      let k = 0;
      for (const row of r.rows) {
        if (isSignificant(row.p)) sig.push(k);
        k += 1 + (row.type === 'categorical' ? (row.levels ?? []).length : 0);
      }
      return [{ id: 'table1', title: `Table 1${r.by ? ` by ${r.by}` : ''}`, columns: cols, rows, significant: sig, note: 'mean ± SD, median [IQR] or n (%)' }];
    }
    case 'compare': {
      const groups = (r.groups ?? []).map((g) => g.label);
      return [{
        id: 'test', title: r.variable ?? r.name,
        columns: ['Test', 'n', 'Statistic', 'df', 'p', 'Estimate', '95% CI'],
        rows: [[txt(r.test), int(r.n), num(r.statistic, 4), dfText(r.df), pval(r.p), num(r.estimate, 3), ci(r.ci, 3)]],
        significant: sigRows([r.p]),
        note: groups.length ? `Groups: ${groups.join(', ')}` : undefined,
      }];
    }
    case 'correlate':
      return [{
        id: 'correlations', title: `Correlation with ${r.x}`,
        columns: ['Variable', 'Method', 'r', 'n', '95% CI', 'p'],
        rows: r.rows.map((x) => [txt(x.variable), txt(x.method), fix(x.r, 3), int(x.n), ci(x.ci, 3), pval(x.p)]),
        significant: sigRows(r.rows.map((x) => x.p)),
      }];
    case 'km': {
      const t: DataTable[] = [{
        id: 'groups', title: 'Kaplan–Meier',
        columns: ['Group', 'n', 'Events', 'Median', '95% CI'],
        rows: r.groups.map((g) => [txt(g.label), int(g.n), int(g.events), num(g.median, 3), ci(g.medianCi, 1)]),
        note: r.logrank ? `Log-rank χ² = ${fmtNum(r.logrank.chisq, 4)}, df = ${r.logrank.df}, p = ${fmtP(r.logrank.p)}` : undefined,
      }];
      const ar = r.atRisk ?? defaultAtRisk(r);
      if (ar) t.push({ id: 'at-risk', title: 'Numbers at risk', columns: ['Group', ...ar.times.map((x) => fmtNum(x, 4))], rows: ar.rows.map((row) => [txt(row.label), ...row.n.map(int)]) });
      return t;
    }
    case 'cox': {
      const stats = [
        r.lrt ? `LR test χ² = ${fmtNum(r.lrt.chisq, 4)} (df ${r.lrt.df}), p = ${fmtP(r.lrt.p)}` : '',
        r.wald ? `Wald χ² = ${fmtNum(r.wald.chisq, 4)}, p = ${fmtP(r.wald.p)}` : '',
        r.score ? `score χ² = ${fmtNum(r.score.chisq, 4)}, p = ${fmtP(r.score.p)}` : '',
        finite(r.concordance) ? `concordance ${fmtFixed(r.concordance, 3)}` : '',
      ].filter(Boolean);
      return [{
        id: 'terms', title: r.univariate ? 'Univariate Cox regression (each term alone)' : 'Cox regression',
        columns: ['Term', 'B', 'SE', 'z', 'p', 'HR', `95% CI (${r.ci})`],
        rows: r.terms.map((x) => [txt(x.term), fix(x.coef, 3), fix(x.se, 3), fix(x.z, 3), pval(x.p), fix(x.hr, 2), ci(x.ci, 2)]),
        significant: sigRows(r.terms.map((x) => x.p)),
        note: [`n = ${r.n}, events = ${r.events}, ties ${r.ties}`, ...stats].join('; '),
      }];
    }
    case 'logistic':
      return [{
        id: 'terms', title: `Logistic regression${r.outcome ? ` of ${r.outcome}` : ''}`,
        columns: ['Term', 'B', 'SE', 'Wald', 'p', 'OR', `95% CI (${r.ci ?? 'wald'})`],
        rows: r.terms.map((x) => [txt(x.term), fix(x.coef, 3), fix(x.se, 3), fix(x.wald, 3), pval(x.p), fix(x.or, 3), ci(x.ci, 3)]),
        significant: r.terms.flatMap((x, i) => (x.term !== '(Intercept)' && isSignificant(x.p) ? [i] : [])),
        note: [`n = ${r.n}, events = ${r.events}`, `AIC ${fmtNum(r.aic, 5)}`, `Nagelkerke R² ${fmtFixed(r.r2Nagelkerke, 3)}`,
          finite(r.cIndex) ? `C-index ${fmtFixed(r.cIndex, 3)}` : ''].filter(Boolean).join('; '),
      }];
    case 'nomogram':
      return [
        { id: 'points', title: `Nomogram points (${r.model})`, columns: ['Predictor', 'Value', 'Points'],
          rows: r.axes.flatMap((a) => a.ticks.map((t) => [txt(a.term), typeof t.value === 'number' ? num(t.value, 4) : txt(t.value), fix(t.points, 1)])) },
        { id: 'total', title: 'Total points → probability', columns: ['Total points', 'Probability'],
          rows: r.total.map((t) => [fix(t.points, 1), num(t.probability, 3)]) },
      ];
    case 'roc':
      return [{
        id: 'auc', title: `ROC${r.predictor ? ` of ${r.predictor}` : r.model ? ` of ${r.model}` : ''}${r.outcome ? ` for ${r.outcome}` : ''}`,
        columns: ['Cohort', 'n', 'AUC', '95% CI (DeLong)', 'Cutoff', 'Sensitivity', 'Specificity', 'Youden'],
        rows: r.evaluations.map((e) => [txt(e.cohort), int(e.n), fix(e.auc, 3), ci(e.ci, 3), num(e.cutoff, 4), fix(e.sensitivity, 3), fix(e.specificity, 3), fix(e.youden, 3)]),
      }];
    case 'calibrate':
      return [{
        id: 'calibration', title: `Calibration of ${r.model}`, columns: ['Cohort', 'n', 'Bootstrap B', 'Mean absolute error'],
        rows: r.evaluations.map((e) => [txt(e.cohort), int(e.n ?? null), int(e.B), num(e.meanAbsoluteError, 3)]),
      }];
    case 'hosmer-lemeshow': {
      const t: DataTable[] = [{
        id: 'hl', title: `Hosmer–Lemeshow test of ${r.model}`, columns: ['Cohort', 'χ²', 'df', 'p', 'Groups'],
        rows: r.evaluations.map((e) => [txt(e.cohort), num(e.chisq, 4), int(e.df), pval(e.p), int(e.groups)]),
        significant: sigRows(r.evaluations.map((e) => e.p)),
      }];
      for (const e of r.evaluations) {
        if (e.table?.length) t.push({ id: `groups-${slug(e.cohort)}`, title: `Observed vs expected events (${e.cohort})`, columns: ['Group', 'n', 'Observed', 'Expected'],
          rows: e.table.map((g) => [txt(g.group), int(g.n), int(g.observed), fix(g.expected, 2)]) });
      }
      return t;
    }
    case 'dca':
      return [{
        id: 'net-benefit', title: `Net benefit of ${r.model}`, columns: ['Cohort', 'Threshold', 'Model', 'Treat all', 'Treat none'],
        rows: r.evaluations.flatMap((e) => e.thresholds.map((th, i) => (i % 5 === 0 || e.thresholds.length <= 20
          ? [txt(e.cohort), fix(th, 2), num(e.model[i], 3), num(e.all[i], 3), num(e.none[i], 3)] : null)).filter((x): x is Cell[] => x !== null)),
        note: 'every 5th threshold shown; the CSV of the chart data has all',
      }];
    case 'stability': {
      const t: DataTable[] = [];
      if (r.genorm) {
        t.push({ id: 'genorm', title: 'geNorm stability M (lower is more stable)', columns: ['Target', 'M', 'Rank'],
          rows: r.genorm.m.map((m) => [txt(m.target), fix(m.m, 3), int(r.genorm!.ranking.indexOf(m.target) + 1 || null)]) });
        if (r.genorm.v.length) t.push({ id: 'genorm-v', title: 'geNorm pairwise variation V', columns: ['Pair', 'V'], rows: r.genorm.v.map((v) => [txt(v.label), fix(v.v, 3)]) });
      }
      if (r.normfinder) {
        t.push({ id: 'normfinder', title: 'NormFinder stability value', columns: ['Target', 'Stability'],
          rows: r.normfinder.stability.map((s) => [txt(s.target), fix(s.value, 3)]),
          note: `best: ${r.normfinder.best}${r.normfinder.bestPair ? `; best pair ${r.normfinder.bestPair.join(' + ')} (${fmtFixed(r.normfinder.bestPairValue, 3)})` : ''}` });
      }
      return t;
    }
  }
}

/** Numbers at risk at pretty times when the report has none: the risk set just before each time. */
export function defaultAtRisk(r: { groups: { label: string; n: number; curve: { t: number; atRisk: number; events?: number; censored?: number }[] }[] }): { times: number[]; rows: { label: string; n: number[] }[] } | null {
  const tmax = Math.max(0, ...r.groups.flatMap((g) => g.curve.map((p) => p.t)));
  if (!(tmax > 0)) return null;
  const times = niceTicks(0, tmax, 5).filter((x) => x <= tmax);
  return { times, rows: r.groups.map((g) => ({ label: g.label, n: times.map((t) => atRiskAt(g, t)) })) };
}

function atRiskAt(g: { n: number; curve: { t: number; atRisk: number; events?: number; censored?: number }[] }, t: number): number {
  // the first curve point at or after t has the risk set at that time; none: everyone has left
  const p = g.curve.find((c) => c.t >= t);
  if (!p) return 0;
  return p.t === 0 && t === 0 ? g.n : p.atRisk;
}

/** About `count` round tick values covering [lo, hi] (1, 2, 2.5, 5 × 10^k steps). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!finite(lo) || !finite(hi)) return [];
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** Lines of the data and methods summary shown under the study name (MIQE-style). */
export function methodsLines(report: Report): { label: string; text: string }[] {
  const d = report.data;
  const out = [{ label: 'Data', text: `${d.plates} plates, ${d.wells} wells, ${d.samples} samples, ${d.subjects} subjects; ${d.qc.length} QC finding${d.qc.length === 1 ? '' : 's'}` }];
  const m = report.methods;
  if (!m) return out;
  out.push({ label: 'Targets', text: m.targets.join(', ') || DASH });
  out.push({ label: 'Reference genes', text: m.references.join(', ') || DASH });
  out.push({ label: 'Relative quantification', text: m.expression });
  if (m.calibrators?.length) out.push({ label: 'Calibrator', text: m.calibrators.join(', ') });
  if (m.efficiencies.length) out.push({ label: 'Amplification efficiency', text: m.efficiencies.map((e) => `${e.target}: E = ${fmtNum(e.value, 4)} per cycle (${e.source})`).join('; ') });
  for (const c of m.standardCurves ?? []) {
    const eff = c.efficiencyPercent === null ? DASH : `${fmtNum(c.efficiencyPercent, 3)} %${c.efficiencyCi ? ` (95% CI ${fmtNum((c.efficiencyCi[0] - 1) * 100, 3)} to ${fmtNum((c.efficiencyCi[1] - 1) * 100, 3)})` : ''}`;
    out.push({ label: 'Standard curve', text: `${c.target} in ${c.file}: slope ${c.slope === null ? DASH : fmtNum(c.slope, 4)}, R² ${c.r2 === null ? DASH : fmtNum(c.r2, 4)}, efficiency ${eff}, ${c.n} wells at ${c.levels} levels${c.lod === null ? '' : `, LOD ${fmtNum(c.lod, 3)}`}` });
  }
  out.push({ label: 'Non-detects', text: m.nondetect });
  const qc = Object.entries(m.qc).map(([k, v]) => `${k} ${v}`).join(', ');
  if (qc) out.push({ label: 'QC thresholds', text: qc });
  out.push({ label: 'Exclusions', text: m.exclusions.length ? `${m.exclusions.length} reaction${m.exclusions.length === 1 ? '' : 's'} excluded` : 'none' });
  for (const n of m.notes ?? []) out.push({ label: 'Note', text: n });
  return out;
}

/** QC findings counted by code, most frequent first. */
export function qcCounts(report: Report): { code: string; count: number; severity: string }[] {
  const m = new Map<string, { code: string; count: number; severity: string }>();
  for (const q of report.data.qc) {
    const e = m.get(q.code) ?? { code: q.code, count: 0, severity: q.severity ?? 'warning' };
    e.count++;
    m.set(q.code, e);
  }
  return [...m.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}
