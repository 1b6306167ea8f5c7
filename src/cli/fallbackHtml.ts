/**
 * FALLBACK report.html: a minimal self-contained, table-only page, used by the CLI only when the results-panel
 * renderer (src/engine/report/html.ts with dist/webview/results.js) is not available. No scripts, no charts.
 */
import type { AnalysisResult, ErrorResult, Report } from '../shared/report/types';
import { isErrorResult } from '../shared/report/types';

function esc(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]!));
}

function num(x: unknown): string {
  if (typeof x !== 'number' || !Number.isFinite(x)) return x === null || x === undefined ? '—' : esc(x);
  if (x !== 0 && Math.abs(x) < 1e-3) return x.toExponential(2);
  return String(Number(x.toPrecision(4)));
}

function ci(c: unknown): string {
  return Array.isArray(c) ? `${num(c[0])} – ${num(c[1])}` : '—';
}

function table(head: string[], rows: unknown[][]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${typeof c === 'number' ? num(c) : esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

function body(r: AnalysisResult): string {
  switch (r.kind) {
    case 'describe': return table(['variable', 'overall', ...r.groupLevels, 'test', 'p'], r.rows.map((x) => [x.variable, x.overall, ...r.groupLevels.map((g) => x.groups[g] ?? ''), x.test ?? '', x.p]));
    case 'compare': return table(['test', 'n', 'statistic', 'df', 'p', 'estimate', '95% CI'], [[r.test, r.n, r.statistic, Array.isArray(r.df) ? r.df.map(num).join(', ') : r.df, r.p, r.estimate, ci(r.ci)]]);
    case 'correlate': return table(['variable', 'method', 'r', 'n', '95% CI', 'p'], r.rows.map((x) => [x.variable, x.method, x.r, x.n, ci(x.ci), x.p]));
    case 'km': return table(['group', 'n', 'events', 'median', '95% CI'], r.groups.map((g) => [g.label, g.n, g.events, g.median, ci(g.medianCi)]))
      + (r.logrank ? `<p>Log-rank χ² = ${num(r.logrank.chisq)}, df = ${r.logrank.df}, p = ${num(r.logrank.p)}</p>` : '');
    case 'cox': return table(['term', 'coef', 'SE', 'HR', '95% CI', 'z', 'p'], r.terms.map((t) => [t.term, t.coef, t.se, t.hr, ci(t.ci), t.z, t.p]))
      + `<p>events ${r.events}; ties ${r.ties}; concordance ${num(r.concordance)}</p>`;
    case 'logistic': return table(['term', 'B', 'SE', 'Wald', 'p', 'OR', '95% CI'], r.terms.map((t) => [t.term, t.coef, t.se, t.wald, t.p, t.or, ci(t.ci)]))
      + `<p>events ${r.events}; AIC ${num(r.aic)}; Nagelkerke R² ${num(r.r2Nagelkerke)}</p>`;
    case 'nomogram': return table(['term', 'ticks (value: points)'], r.axes.map((a) => [a.term, a.ticks.map((t) => `${t.value}: ${num(t.points)}`).join('; ')]));
    case 'roc': return table(['cohort', 'n', 'AUC', '95% CI', 'cutoff', 'sensitivity', 'specificity'], r.evaluations.map((e) => [e.cohort, e.n, e.auc, ci(e.ci), e.cutoff, e.sensitivity, e.specificity]));
    case 'calibrate': return table(['cohort', 'B', 'mean absolute error'], r.evaluations.map((e) => [e.cohort, e.B, e.meanAbsoluteError]));
    case 'hosmer-lemeshow': return table(['cohort', 'χ²', 'df', 'p', 'groups'], r.evaluations.map((e) => [e.cohort, e.chisq, e.df, e.p, e.groups]));
    case 'dca': return table(['cohort', 'thresholds'], r.evaluations.map((e) => [e.cohort, `${e.thresholds.length} thresholds`]));
    case 'stability': return table(['target', 'geNorm M'], (r.genorm?.m ?? []).map((m) => [m.target, m.m]));
  }
}

export function fallbackReportHtml(report: Report): string {
  const section = (r: AnalysisResult | ErrorResult) => {
    const head = `<h2>${esc(r.name)} <small>${esc(r.kind)} · ${esc(r.cohort)} · n = ${r.n}${r.dropped ? `, dropped ${r.dropped}` : ''}</small></h2>`;
    if (isErrorResult(r)) return `<section>${head}<p class="error">Error${r.line ? ` (line ${r.line})` : ''}: ${esc(r.error)}</p></section>`;
    return `<section>${head}${r.title ? `<pre>${esc(r.title)}</pre>` : ''}${body(r)}${(r.warnings ?? []).map((w) => `<p class="warn">${esc(w)}</p>`).join('')}</section>`;
  };
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(report.study)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #bbb;padding:2px 8px;text-align:left}small{color:#666;font-weight:normal}.error{color:#b00}.warn{color:#865}</style>
</head><body>
<h1>${esc(report.study)}</h1>
<p>${esc(report.engine)} · ${esc(report.generated ?? '')} · plates ${report.data.plates}, wells ${report.data.wells}, samples ${report.data.samples}, subjects ${report.data.subjects}, QC findings ${report.data.qc.length}</p>
<p><em>Table-only fallback report (the interactive results page was not available to this build).</em></p>
${report.results.map(section).join('\n')}
</body></html>
`;
}
