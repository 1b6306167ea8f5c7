/**
 * Results webview and standalone report.html: renders a report.json (header, methods, one section per analysis
 * with its tables and charts) and exports charts (PNG, SVG), tables (CSV, Markdown, clipboard) and the report.
 * In VS Code the host sends the report after `ready` and saves exports; in report.html the report is inlined in
 * <script id="report-data" type="application/json"> and exports become downloads. Every user string goes through
 * textContent (the DOM helper `h`); no innerHTML.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import './results.css';

import type { Chart } from 'chart.js';
import {
  assertNever, BINARY_EXPORT_FORMATS, type ResultsExportFormat, type ResultsHostMessage, type ResultsViewState, type ResultsWebviewMessage,
} from '../../src/shared/protocol';
import type { AnalysisResult, CorrelateResult, ErrorResult, KmResult, NomogramResult, Report, ResultKind } from '../../src/shared/report/types';
import { isErrorResult } from '../../src/shared/report/types';
import { NOT_REACHED } from '../../src/shared/report/kinds/km';
import { csvField, methodsLines, qcCounts, slug, toCsv, toMarkdown, type DataTable } from '../../src/shared/report/format';
import { resultTables } from '../../src/shared/report/kinds';
import { stepsTable } from '../../src/shared/report/steps';
import { hemolysisTable, spikeInTable } from '../../src/shared/report/preanalytical';
import { miqeTable } from '../../src/shared/report/miqe';
import { REPORT_DOCUMENTS } from '../../src/shared/report/documents';
import { documentRasters, figureBar, figureTools, sanitizeSettings, type FigureHost } from './figureExport';
import { clear, h } from '../common/dom';
import { cssVar, observeTheme } from '../common/theme';
import { OKABE_ITO_DARK, OKABE_ITO_LIGHT, type ChartSpec, type ThemeColours } from '../../src/shared/charts/chartSpec';
import { drawChart } from './canvas';
import { bestRow, chartDataRows, chartsFor, type ChartOptions } from '../../src/shared/charts/specs';
import { chartKind } from '../../src/shared/charts/kinds';
import { chartToSvg } from '../../src/shared/charts/svg';
import { nomogramInputs, nomogramScore } from '../../src/shared/charts/nomogramCalc';

// ---------- host or standalone ----------

interface Host {
  standalone: boolean;
  post(m: ResultsWebviewMessage): void;
  getState(): ResultsViewState | undefined;
  setState(s: ResultsViewState): void;
}

declare function acquireVsCodeApi(): { postMessage(m: unknown): void; getState(): unknown; setState(s: unknown): void };

/** The page as first loaded (standalone: re-saved as report.html). */
const pristineHtml = `<!DOCTYPE html>\n${document.documentElement.outerHTML}`;

function makeHost(): Host {
  if (typeof acquireVsCodeApi === 'function') {
    const api = acquireVsCodeApi();
    return { standalone: false, post: (m) => api.postMessage(m), getState: () => api.getState() as ResultsViewState | undefined, setState: (s) => api.setState(s) };
  }
  let state: ResultsViewState | undefined;
  return { standalone: true, post: () => undefined, getState: () => state, setState: (s) => { state = s; } };
}

const host = makeHost();

function sanitizeState(s: unknown): ResultsViewState {
  const o = (s && typeof s === 'object' ? s : {}) as Partial<ResultsViewState>;
  const rec = <T>(x: unknown): Record<string, T> => (x && typeof x === 'object' && !Array.isArray(x) ? x as Record<string, T> : {});
  return {
    version: 1,
    studyUri: typeof o.studyUri === 'string' ? o.studyUri : undefined,
    selectedRow: rec<string>(o.selectedRow),
    showCi: rec<boolean>(o.showCi),
    nomogram: rec<Record<string, number | string>>(o.nomogram),
    figure: sanitizeSettings(o.figure),
    panels: Array.isArray(o.panels) ? o.panels.filter((p) => p && typeof p.analysis === 'string' && (p.chart === undefined || typeof p.chart === 'string')) : [],
    theme: o.theme === 'dark' || o.theme === 'light' ? o.theme : undefined,
    scrollY: typeof o.scrollY === 'number' ? o.scrollY : undefined,
  };
}

let view = sanitizeState(host.getState());
let report: Report | null = null;
const charts = new Map<string, { chart: Chart; spec: ChartSpec }>();

function saveView(): void {
  host.setState(view);
}

// ---------- theme ----------

function luminance(colour: string): number | null {
  let m = /^#([0-9a-f]{6})/i.exec(colour.trim());
  if (m) { const n = parseInt(m[1], 16); return (0.2126 * ((n >> 16) & 255) + 0.7152 * ((n >> 8) & 255) + 0.0722 * (n & 255)) / 255; }
  m = /rgba?\((\d+)[ ,]+(\d+)[ ,]+(\d+)/.exec(colour);
  if (m) return (0.2126 * +m[1] + 0.7152 * +m[2] + 0.0722 * +m[3]) / 255;
  return null;
}

function theme(): ThemeColours {
  const bg = cssVar('--vscode-editor-background', '#ffffff');
  const dark = (luminance(bg) ?? 1) < 0.5;
  const hc = document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light');
  return {
    bg,
    fg: cssVar('--vscode-editor-foreground', dark ? '#cccccc' : '#333333'),
    muted: cssVar('--vscode-descriptionForeground', dark ? '#9d9d9d' : '#6f6f6f'),
    grid: hc ? cssVar('--vscode-contrastBorder', '#6fc3df') : (dark ? 'rgba(255, 255, 255, 0.10)' : 'rgba(0, 0, 0, 0.09)'),
    palette: dark ? OKABE_ITO_DARK : OKABE_ITO_LIGHT,
    font: cssVar('--vscode-font-family', 'system-ui, sans-serif'),
    lineScale: hc ? 1.6 : 1,
  };
}

function applyStandaloneTheme(): void {
  if (!host.standalone) return;
  const dark = view.theme ? view.theme === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
  document.body.classList.toggle('vscode-dark', dark);
  document.body.classList.toggle('vscode-light', !dark);
  document.body.dataset.theme = dark ? 'dark' : 'light';
}

// ---------- exports ----------

const status = h('div', { class: 'status', role: 'status', 'aria-live': 'polite' });
let statusTimer: ReturnType<typeof setTimeout> | undefined;

function showStatus(message: string, ok = true): void {
  status.textContent = message;
  status.classList.toggle('error', !ok);
  status.hidden = false;
  if (statusTimer) clearTimeout(statusTimer);
  statusTimer = setTimeout(() => { status.hidden = true; }, 4000);
}

const MIME: Record<ResultsExportFormat, string> = {
  png: 'image/png', svg: 'image/svg+xml', csv: 'text/csv', md: 'text/markdown', html: 'text/html', json: 'application/json',
  pdf: 'application/pdf', tiff: 'image/tiff',
};

function download(name: string, format: ResultsExportFormat, data: string): void {
  let blob: Blob;
  if (BINARY_EXPORT_FORMATS.includes(format)) {
    const bin = atob(data.slice(data.indexOf(',') + 1));
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    blob = new Blob([bytes], { type: MIME[format] });
  } else blob = new Blob([data], { type: `${MIME[format]};charset=utf-8` });
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  showStatus(`Downloaded ${name}`);
}

function exportData(format: ResultsExportFormat, name: string, data: string): void {
  if (host.standalone) download(name, format, data);
  else host.post({ type: 'results/export', format, suggestedName: name, data });
}

async function copyText(text: string, what: string): Promise<void> {
  if (!host.standalone) { host.post({ type: 'results/copy', text, what }); return; }
  try {
    await navigator.clipboard.writeText(text);
    showStatus(`Copied ${what}`);
  } catch {
    const ta = h('textarea', { class: 'offscreen' });
    ta.value = text;
    document.body.appendChild(ta);
    ta.select();
    const ok = document.execCommand('copy');
    ta.remove();
    showStatus(ok ? `Copied ${what}` : `Could not copy ${what}`, ok);
  }
}

function button(label: string, title: string, onClick: () => void, icon?: string): HTMLElement {
  const b = h('vscode-button', { secondary: true, title, icon });
  b.textContent = label;
  b.addEventListener('click', onClick);
  return b;
}

// ---------- journal figures ----------

const figureHost: FigureHost = {
  settings: () => sanitizeSettings(view.figure),
  setSettings: (s) => { view.figure = s; saveView(); },
  panels: () => view.panels ?? [],
  setPanels: (p) => { view.panels = p; saveView(); },
  save: (format, name, data) => exportData(format, name, data),
  status: (message, ok) => showStatus(message, ok),
  button,
  result: (name) => report?.results.find((x): x is AnalysisResult => !isErrorResult(x) && x.name === name),
  resolve: (ref) => {
    const r = report?.results.find((x): x is AnalysisResult => !isErrorResult(x) && x.name === ref.analysis);
    return r ? chartsFor(r, chartOptions(r)).find((c) => ref.chart === undefined || c.id === ref.chart) : undefined;
  },
};

function updatePanelCount(): void {
  const b = document.querySelector('.multi-panel');
  if (b) b.textContent = `Multi-panel figure (${figureHost.panels().length})`;
}

// ---------- rendering ----------

const root = (document.getElementById('root') ?? document.body.appendChild(h('div', { id: 'root' }))) as HTMLElement;
document.body.appendChild(status);
status.hidden = true;

function fileBase(r: AnalysisResult | ErrorResult): string {
  return slug(r.name);
}

function tableEl(t: DataTable, r: AnalysisResult, onRow?: (i: number) => void, selected?: number): HTMLElement {
  const sig = new Set(t.significant ?? []);
  const thead = h('thead', {}, h('tr', {}, ...t.columns.map((c) => h('th', { scope: 'col' }, c))));
  const tbody = h('tbody');
  t.rows.forEach((row, i) => {
    const tr = h('tr', { class: [sig.has(i) ? 'sig' : '', i === selected ? 'selected' : '', onRow ? 'clickable' : ''].filter(Boolean).join(' ') || undefined });
    row.forEach((c, j) => {
      const td = h('td', { class: c.raw !== undefined || /^[<\d.–—-]/.test(c.text) ? 'num' : undefined }, c.text);
      if (j === 0 && sig.has(i)) td.appendChild(h('span', { class: 'sig-mark', title: 'p < 0.05' }, ' *'));
      tr.appendChild(td);
    });
    if (onRow) {
      tr.tabIndex = 0;
      tr.setAttribute('aria-selected', String(i === selected));
      tr.addEventListener('click', () => onRow(i));
      tr.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onRow(i); } });
    }
    tbody.appendChild(tr);
  });
  const name = `${fileBase(r)}-${t.id}`;
  const tools = h('div', { class: 'tools' },
    button('CSV', 'Save the table as CSV', () => exportData('csv', `${name}.csv`, toCsv(t))),
    button('Markdown', 'Save the table as Markdown', () => exportData('md', `${name}.md`, toMarkdown(t))),
    button('Copy', 'Copy the table as Markdown', () => void copyText(toMarkdown(t), 'table')),
    button('Copy CSV', 'Copy the table as CSV (paste into a spreadsheet)', () => void copyText(toCsv(t), 'table as CSV')));
  return h('div', { class: 'table-block', 'data-table': t.id },
    h('div', { class: 'block-head' }, h('h4', {}, t.title), tools),
    h('div', { class: t.rows.length > 25 ? 'table-scroll long' : 'table-scroll' }, h('table', { class: 'data' }, thead, tbody)),
    t.note ? h('p', { class: 'note' }, t.note) : null,
    sig.size ? h('p', { class: 'note' }, '* p < 0.05') : null);
}

function chartEl(spec: ChartSpec, r: AnalysisResult): HTMLElement {
  const key = `${r.name}::${spec.id}`;
  const canvas = h('canvas', { role: 'img', 'aria-label': `${spec.title}${spec.subtitle ? `. ${spec.subtitle}` : ''}` });
  const box = h('div', { class: 'chart-box' }, canvas);
  box.style.maxWidth = `${spec.width}px`; // CSSOM, allowed by the CSP (no style attribute)
  const name = `${fileBase(r)}-${slug(spec.id)}`;
  const tools = h('div', { class: 'tools' },
    button('PNG', 'Save the chart as PNG', () => {
      const c = charts.get(key);
      if (c) exportData('png', `${name}.png`, c.chart.toBase64Image('image/png', 1));
    }),
    button('SVG', 'Save the chart as SVG (vector)', () => exportData('svg', `${name}.svg`, chartToSvg(spec, theme()))),
    button('Data', 'Save the chart\'s data as CSV (every point, also those a large chart does not draw)', () => {
      const all = spec.thinned ? chartsFor(r, { ...chartOptions(r), allPoints: true }).find((c) => c.id === spec.id) ?? spec : spec;
      exportData('csv', `${name}-data.csv`, chartDataRows(all).map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n');
    }),
    ...figureTools(figureHost, spec, { analysis: r.name, chart: spec.id }, name, updatePanelCount));
  const fig = h('figure', { class: 'chart', 'data-chart': spec.id }, h('div', { class: 'block-head' }, h('span', { class: 'chart-title' }, spec.title), tools), box);
  queueMicrotask(() => {
    charts.get(key)?.chart.destroy();
    charts.set(key, { chart: drawChart(canvas, spec, theme()), spec });
  });
  return fig;
}

function chartOptions(r: AnalysisResult): ChartOptions {
  const o: ChartOptions = { selectedRow: view.selectedRow?.[r.name], showCi: view.showCi?.[r.name] ?? false };
  if (r.kind === 'nomogram') o.score = nomogramScore(r, view.nomogram?.[r.name] ?? {});
  return o;
}

function correlateBody(r: CorrelateResult, body: HTMLElement, rerender: () => void): void {
  const [t] = resultTables(r);
  const sel = r.rows.findIndex((x) => x.variable === (view.selectedRow?.[r.name] ?? bestRow(r)?.variable));
  const charts = chartsFor(r, chartOptions(r));
  body.append(h('div', { class: 'side-by-side' },
    tableEl(t, r, (i) => {
      view.selectedRow = { ...view.selectedRow, [r.name]: r.rows[i].variable };
      saveView();
      rerender();
    }, sel),
    ...charts.map((c) => chartEl(c, r))));
  body.appendChild(h('p', { class: 'hint' }, 'Select a row to plot it.'));
}

function kmBody(r: KmResult, body: HTMLElement, rerender: () => void): void {
  const cb = h('vscode-checkbox', { label: 'Confidence bands', checked: !!view.showCi?.[r.name] });
  cb.addEventListener('change', () => {
    view.showCi = { ...view.showCi, [r.name]: (cb as unknown as { checked: boolean }).checked };
    saveView();
    rerender();
  });
  body.append(h('div', { class: 'controls' }, cb));
  for (const c of chartsFor(r, chartOptions(r))) body.appendChild(chartEl(c, r));
  for (const t of resultTables(r)) body.appendChild(tableEl(t, r));
}

function nomogramBody(r: NomogramResult, body: HTMLElement): void {
  const values: Record<string, number | string> = { ...(view.nomogram?.[r.name] ?? {}) };
  const chartHost = h('div', { class: 'chart-host' });
  const out = h('div', { class: 'calc-out', 'aria-live': 'polite' });
  const redraw = () => {
    const score = nomogramScore(r, values);
    out.textContent = '';
    out.append(
      h('span', {}, 'Total points '), h('strong', { 'data-total': score.total.toFixed(1) }, score.total.toFixed(1)),
      ...(score.survival
        ? score.survival.flatMap((s) => [h('span', {}, ` → ${s.label.toLowerCase()} `), h('strong', { 'data-survival': s.value === null ? '' : String(s.value) }, s.value === null ? (s.label.startsWith('Median') ? `${NOT_REACHED} (not reached within follow-up)` : '—') : s.value.toFixed(s.label.startsWith('Median') ? 1 : 3))])
        : [h('span', {}, ' → predicted probability '), h('strong', { 'data-probability': score.probability === null ? '' : score.probability.toFixed(3) }, score.probability === null ? '—' : score.probability.toFixed(3))]),
      score.outOfRange.length ? h('span', { class: 'warn' }, ` (outside the axis range: ${score.outOfRange.join(', ')})`) : '');
    clear(chartHost);
    for (const c of chartsFor(r, { score })) chartHost.appendChild(chartEl(c, r));
  };
  const form = h('div', { class: 'calc', role: 'group', 'aria-label': 'Nomogram calculator' });
  for (const inp of nomogramInputs(r)) {
    const id = `nom-${slug(r.name)}-${slug(inp.term)}`;
    let control: HTMLElement;
    if (inp.kind === 'numeric') {
      const v = typeof values[inp.term] === 'number' ? values[inp.term] as number : inp.default;
      control = h('vscode-textfield', { id, type: 'number', value: String(v), step: 'any', 'aria-label': inp.term });
      control.addEventListener('input', () => {
        const x = Number((control as unknown as { value: string }).value);
        if (Number.isFinite(x) && (control as unknown as { value: string }).value.trim() !== '') {
          values[inp.term] = x;
          view.nomogram = { ...view.nomogram, [r.name]: { ...values } };
          saveView();
          redraw();
        }
      });
      form.appendChild(h('label', { for: id }, inp.term, h('span', { class: 'range' }, ` (${inp.min}–${inp.max})`)));
    } else {
      const cur = typeof values[inp.term] === 'string' ? values[inp.term] as string : inp.default;
      control = h('vscode-single-select', { id, 'aria-label': inp.term });
      for (const l of inp.levels) control.appendChild(h('vscode-option', { value: l.label, selected: l.label === cur }, l.label));
      control.addEventListener('change', () => {
        values[inp.term] = (control as unknown as { value: string }).value;
        view.nomogram = { ...view.nomogram, [r.name]: { ...values } };
        saveView();
        redraw();
      });
      form.appendChild(h('label', { for: id }, inp.term));
    }
    form.appendChild(control);
  }
  body.append(h('div', { class: 'calc-wrap' }, h('h4', {}, 'Calculator'), form, out), chartHost);
  redraw();
  for (const t of resultTables(r)) body.appendChild(tableEl(t, r));
}

type Body = (r: AnalysisResult, body: HTMLElement, rerender: () => void) => void;

/** Kinds with controls (row selection, confidence bands, calculator) have their own body; the others none. */
const INTERACTIVE_BODIES: { [K in ResultKind]?: (r: Extract<AnalysisResult, { kind: K }>, body: HTMLElement, rerender: () => void) => void } = {
  correlate: correlateBody, km: kmBody, nomogram: (r, body) => nomogramBody(r, body),
};

/** A result's charts and tables, laid out as its kind's registry entry says (kinds/index.ts). */
function resultBody(r: AnalysisResult, body: HTMLElement, rerender: () => void): void {
  const interactive = INTERACTIVE_BODIES[r.kind] as Body | undefined;
  if (interactive) { interactive(r, body, rerender); return; }
  const layout = chartKind(r.kind).layout;
  const charts = chartsFor(r, chartOptions(r)).map((c) => chartEl(c, r));
  const tables = resultTables(r).map((t) => tableEl(t, r));
  switch (layout) {
    case 'beside': body.append(h('div', { class: 'side-by-side' }, ...charts, ...tables)); return;
    case 'tables-first': body.append(...tables, ...charts); return;
    case 'charts-first': body.append(h('div', { class: charts.length ? 'charts' : '' }, ...charts), ...tables); return;
    default: assertNever(layout);
  }
}

function sectionEl(r: AnalysisResult | ErrorResult, i: number): HTMLElement {
  const sec = h('section', { class: `result kind-${r.kind}`, id: `r${i}`, 'data-kind': r.kind, 'data-name': r.name });
  const meta = `${r.kind} · ${r.cohort} · n = ${r.n}${r.dropped ? ` (${r.dropped} dropped: incomplete)` : ''}`;
  const head = h('header', { class: 'result-head' }, h('h2', {}, r.name), h('span', { class: 'meta' }, meta));
  if (r.line) {
    const line = r.line;
    if (host.standalone) head.appendChild(h('span', { class: 'meta' }, ` · line ${line}`));
    else {
      const a = h('a', { href: '#', class: 'line-link', title: 'Show this analysis in the study file' }, `line ${line}`);
      a.addEventListener('click', (e) => { e.preventDefault(); host.post({ type: 'results/revealLine', line }); });
      head.append(' · ', a);
    }
  }
  sec.appendChild(head);
  if (isErrorResult(r)) {
    sec.appendChild(h('div', { class: 'error-box', role: 'alert' }, h('strong', {}, 'This analysis failed: '), r.error));
    return sec;
  }
  if (r.title) sec.appendChild(h('pre', { class: 'title' }, r.title));
  for (const w of r.warnings ?? []) sec.appendChild(h('div', { class: 'warning-box' }, w));
  const body = h('div', { class: 'result-body' });
  const rerender = () => {
    for (const [k, c] of charts) if (k.startsWith(`${r.name}::`)) { c.chart.destroy(); charts.delete(k); }
    const fresh = sectionEl(r, i);
    sec.replaceWith(fresh);
  };
  try {
    resultBody(r, body, rerender);
  } catch (e) {
    body.appendChild(h('div', { class: 'error-box' }, `Could not display this result: ${(e as Error).message}`));
  }
  sec.appendChild(body);
  return sec;
}

function headerEl(rep: Report): HTMLElement {
  const tools = h('div', { class: 'tools' },
    button('Export report', 'Save the whole report as a self-contained HTML file', () => {
      if (host.standalone) download(`${slug(rep.study)}.html`, 'html', pristineHtml);
      else host.post({ type: 'results/exportReport' });
    }),
    button('JSON', 'Save report.json', () => exportData('json', 'report.json', JSON.stringify(rep, null, 2) + '\n')));
  // The optional documents (Excel, …): the host builds them (engine code); report.html, offline and standalone, has
  // no such buttons.
  if (!host.standalone) {
    for (const d of REPORT_DOCUMENTS) {
      tools.appendChild(button(d.label, `Save ${d.description}`, () => void (async () => {
        const rasters = 'wantsRasters' in d && d.wantsRasters ? await documentRasters(rep.results.filter((r): r is AnalysisResult => !isErrorResult(r))) : undefined;
        host.post({ type: 'results/exportDocument', id: d.id, ...(rasters ? { rasters } : {}) });
      })()));
    }
  }
  if (host.standalone) {
    tools.appendChild(button('Light / dark', 'Switch between the light and the dark theme', () => {
      view.theme = document.body.dataset.theme === 'dark' ? 'light' : 'dark';
      saveView();
      applyStandaloneTheme();
    }));
  }
  const dl = h('dl', { class: 'methods' });
  for (const l of methodsLines(rep)) dl.append(h('dt', {}, l.label), h('dd', {}, l.text));
  // The Methods paragraph (report.methods.paragraph, methodsText.ts): collapsed, with a copy button.
  const methodsText = rep.methods?.paragraph;
  const methodsEl = methodsText ? h('details', { class: 'qc methods-text' },
    h('summary', {}, 'Methods text'),
    h('p', { class: 'methods-paragraph' }, methodsText),
    button('Copy', 'Copy the Methods paragraph (to paste into a Methods section)', () => void copyText(methodsText, 'Methods text'))) : null;
  const qc = qcCounts(rep);
  const qcEl = qc.length ? h('details', { class: 'qc' },
    h('summary', {}, `QC findings: ${qc.map((q) => `${q.code} ${q.count}`).join(', ')}`),
    h('ul', {}, ...rep.data.qc.slice(0, 300).map((q) => h('li', {}, `${q.file}:${q.line} [${q.code}] ${q.message}`))),
    rep.data.qc.length > 300 ? h('p', { class: 'note' }, `… ${rep.data.qc.length - 300} more in report.json`) : null) : null;
  const exclusions = rep.methods?.exclusions.length ? h('details', { class: 'qc' },
    h('summary', {}, `Excluded reactions: ${rep.methods.exclusions.length}`),
    h('ul', {}, ...rep.methods.exclusions.slice(0, 300).map((x) => h('li', {}, `${x.sample} / ${x.target}${x.well ? ` (${x.well})` : ''}: ${x.reason} — ${x.file}:${x.line}`)))) : null;
  // The step table (report.steps): collapsed, with the usual CSV / Markdown exports.
  const steps = rep.steps?.rows.length ? h('details', { class: 'qc steps' },
    h('summary', {}, `Step by step: ${rep.steps.rows.length} sample × target rows (replicate Cqs used and excluded, reference, dCq, ddCq, quantity)`),
    tableEl(stepsTable(rep.steps), { name: 'steps' } as AnalysisResult)) : null;
  const pre = rep.preanalytical, preTables = pre ? [...pre.hemolysis.map(hemolysisTable), ...pre.spikeIns.map(spikeInTable)] : [];
  const preEl = pre && preTables.length ? h('details', { class: 'qc preanalytical', open: true },
    h('summary', {}, `Pre-analytical QC: ${[...pre.hemolysis.map((c) => `haemolysis ${c.flagged}/${c.rows.length}`), ...pre.spikeIns.map((c) => `${c.target} outliers ${c.flagged}/${c.rows.length}`)].join(', ')}`),
    ...preTables.map((t) => tableEl(t, { name: 'preanalytical' } as AnalysisResult))) : null;
  const miqe = rep.miqe ? h('details', { class: 'qc miqe' },
    h('summary', {}, `MIQE checklist: ${rep.miqe.auto} items filled, ${rep.miqe.byHand} to report by hand`),
    tableEl(miqeTable(rep.miqe), { name: 'miqe' } as AnalysisResult)) : null;
  const toc = h('nav', { class: 'toc', 'aria-label': 'Analyses' }, ...rep.results.map((r, i) =>
    h('a', { href: `#r${i}`, class: isErrorResult(r) ? 'failed' : undefined }, r.name)));
  return h('header', { class: 'report-head' },
    h('div', { class: 'title-row' }, h('h1', {}, rep.study), tools),
    h('p', { class: 'meta' }, `${rep.engine}${rep.generated ? ` · ${rep.generated}` : ''} · ${rep.results.length} analyses${rep.results.some(isErrorResult) ? ` (${rep.results.filter(isErrorResult).length} failed)` : ''}`),
    dl, methodsEl, qcEl, preEl, exclusions, steps, miqe, toc);
}

function render(): void {
  for (const c of charts.values()) c.chart.destroy();
  charts.clear();
  clear(root);
  if (!report) return;
  root.appendChild(headerEl(report));
  root.appendChild(figureBar(figureHost, report.study));
  report.results.forEach((r, i) => root.appendChild(sectionEl(r, i)));
  if (view.scrollY) requestAnimationFrame(() => window.scrollTo(0, view.scrollY ?? 0));
}

function renderMessage(text: string): void {
  clear(root);
  root.appendChild(h('div', { class: 'empty' }, h('p', {}, text)));
}

/** Re-colours the charts after a theme change (canvas colours cannot use CSS variables). */
function recolour(): void {
  const t = theme();
  for (const [k, c] of charts) {
    const canvas = c.chart.canvas;
    c.chart.destroy();
    charts.set(k, { chart: drawChart(canvas, c.spec, t), spec: c.spec });
  }
}

// ---------- wiring ----------

let scrollTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener('scroll', () => {
  if (scrollTimer) clearTimeout(scrollTimer);
  scrollTimer = setTimeout(() => { view.scrollY = Math.round(window.scrollY); saveView(); }, 300);
});
observeTheme(recolour);

if (host.standalone) {
  applyStandaloneTheme();
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => { if (!view.theme) applyStandaloneTheme(); });
  const data = document.getElementById('report-data');
  try {
    report = JSON.parse(data?.textContent ?? 'null') as Report | null;
    if (report) render(); else renderMessage('This page has no report data.');
  } catch (e) {
    renderMessage(`The report data could not be read: ${(e as Error).message}`);
  }
} else {
  window.addEventListener('message', (ev: MessageEvent<ResultsHostMessage>) => {
    const m = ev.data;
    switch (m.type) {
      case 'results/report':
        if (view.studyUri !== m.studyUri) view = sanitizeState({ studyUri: m.studyUri });
        view.studyUri = m.studyUri;
        saveView();
        report = m.report;
        if (report) render(); else renderMessage(m.message ?? 'No results. Run the study again.');
        break;
      case 'results/status':
        showStatus(m.message, m.ok);
        break;
      default: assertNever(m);
    }
  });
  host.post({ type: 'ready' });
}
