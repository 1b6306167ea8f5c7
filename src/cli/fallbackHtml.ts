/**
 * FALLBACK report.html: a minimal self-contained, table-only page, used by the CLI only when the results-panel
 * renderer (src/engine/report/html.ts with dist/webview/results.js) is not available. No scripts, no charts.
 * Every kind is rendered from the shared tables registry (src/shared/report/kinds), so it needs no case per kind;
 * a kind the registry does not know is shown as such.
 */
import type { AnalysisResult, ErrorResult, Report } from '../shared/report/types';
import { isErrorResult } from '../shared/report/types';
import type { DataTable } from '../shared/report/format';
import { resultTables } from '../shared/report/kinds';
import { escapeHtml } from '../shared/html';

const esc = (s: unknown): string => escapeHtml(String(s ?? ''));

function tableHtml(t: DataTable): string {
  const sig = new Set(t.significant ?? []);
  const head = `<tr>${t.columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr>`;
  const rows = t.rows.map((r, i) => `<tr>${r.map((c, j) => `<td>${esc(c.text)}${j === 0 && sig.has(i) ? ' *' : ''}</td>`).join('')}</tr>`);
  return `<h3>${esc(t.title)}</h3><table><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`
    + (t.note ? `<p class="note">${esc(t.note)}</p>` : '') + (sig.size ? '<p class="note">* p &lt; 0.05</p>' : '');
}

function body(r: AnalysisResult): string {
  try {
    return resultTables(r).map(tableHtml).join('');
  } catch (e) {
    return `<p class="error">${esc((e as Error).message)}</p>`;
  }
}

export function fallbackReportHtml(report: Report): string {
  const section = (r: AnalysisResult | ErrorResult) => {
    const head = `<h2>${esc(r.name)} <small>${esc(r.kind)} · ${esc(r.cohort)} · n = ${esc(r.n)}${r.dropped ? `, dropped ${esc(r.dropped)}` : ''}</small></h2>`;
    if (isErrorResult(r)) return `<section>${head}<p class="error">Error${r.line ? ` (line ${esc(r.line)})` : ''}: ${esc(r.error)}</p></section>`;
    return `<section>${head}${r.title ? `<pre>${esc(r.title)}</pre>` : ''}${body(r)}${(r.warnings ?? []).map((w) => `<p class="warn">${esc(w)}</p>`).join('')}</section>`;
  };
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(report.study)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #bbb;padding:2px 8px;text-align:left}h3{font-size:1em;margin:1em 0 .2em}small,.note{color:#666;font-weight:normal}.error{color:#b00}.warn{color:#865}</style>
</head><body>
<h1>${esc(report.study)}</h1>
<p>${esc(report.engine)} · ${esc(report.generated ?? '')} · plates ${esc(report.data.plates)}, wells ${esc(report.data.wells)}, samples ${esc(report.data.samples)}, subjects ${esc(report.data.subjects)}, QC findings ${esc(report.data.qc.length)}</p>
<p><em>Table-only fallback report (the interactive results page was not available to this build).</em></p>
${report.results.map(section).join('\n')}
</body></html>
`;
}
