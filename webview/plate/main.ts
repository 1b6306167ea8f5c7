/**
 * Plate editor webview: heat map of Cq, replicate groups, a sortable well table and edit controls.
 * The host owns the data (sent after `ready`); this page keeps only view state (target, sorts, selection).
 */
import './plate.css';

import { assertNever, type PlateHostMessage, type PlateState, type PlateWebviewMessage, type PlateWellView, type StandardCurveView } from '../../src/shared/protocol';
import { clear, h, svg } from '../common/dom';
import { cssVar, observeTheme } from '../common/theme';
import { vscodeApi } from '../common/vscodeApi';
import {
  ALL_TARGETS, cqExtent, curveExtent, defaultTarget, delimiterName, formatCq, formatEfficiency, formatQuantity, groupOutlierText, groupReplicates,
  interpolate, issuesForWell, heatLayout, lineEndingName, noLayoutText, logQuantityTicks, niceTicks, outlierReasons, outlierRuleText, parseColor, positionKey,
  sanitizeViewState, sortBy, targetsOf, toHex, wellsForTarget, wellTooltip, worstSeverityByWell,
  type PlateViewState, type ReplicateGroup, type Rgb, type SortDir, type SortValue,
} from './plateModel';
import { decodePlateState } from '../../src/shared/plateWells';
import { STD_EFFICIENCY_TEXT, STD_MIN_R2 } from '../../src/shared/qcThresholds';
import { redrawCurves, renderCurveSection, setCurves, type CurveHost } from './curves';
import { heatMapMarkup } from './heatMap';

const vscode = vscodeApi<PlateWebviewMessage, PlateViewState>();
const MAX_TABLE_ROWS = 2000;

let plate: PlateState | null = null;
let view: PlateViewState = sanitizeViewState(vscode.getState(), null);
/** Persisted view state (target, selection) can only be checked against a plate: kept raw until the first one arrives. */
let restored: unknown = vscode.getState();

const root = document.getElementById('root') as HTMLElement;
const mainEl = h('div', { class: 'main' });
let shownWells: PlateWellView[] = [];
const tooltip = h('div', { class: 'tooltip', role: 'tooltip', hidden: true });
const status = h('div', { class: 'status', role: 'status', 'aria-live': 'polite' });
document.body.append(tooltip, status);

function saveView(): void {
  vscode.setState(view);
}

function post(m: PlateWebviewMessage): void {
  vscode.postMessage(m);
}

// ---------- colours ----------

interface Palette { low: Rgb; high: Rgb; fg: string; muted: string; border: string; error: string; warning: string; info: string; focus: string; empty: string; outlier: string; point: string; line: string }

/** The theme's colours, read once per theme (each read is a getComputedStyle); `observeTheme` clears it. */
let themeColours: Palette | undefined;

function palette(): Palette {
  themeColours ??= readPalette();
  return themeColours;
}

function readPalette(): Palette {
  const col = (name: string, fallback: string): Rgb => parseColor(cssVar(name, fallback)) ?? (parseColor(fallback) as Rgb);
  return {
    // Yellow (low Cq, much template) to blue (high Cq): a blue–yellow axis stays distinct for red–green colour blindness.
    low: col('--vscode-charts-yellow', '#cca700'),
    high: col('--vscode-charts-blue', '#3794ff'),
    fg: cssVar('--vscode-editor-foreground', '#cccccc'),
    muted: cssVar('--vscode-descriptionForeground', '#9d9d9d'),
    border: cssVar('--vscode-editorWidget-border', '#454545'),
    error: cssVar('--vscode-editorError-foreground', '#f14c4c'),
    warning: cssVar('--vscode-editorWarning-foreground', '#cca700'),
    info: cssVar('--vscode-editorInfo-foreground', '#3794ff'),
    focus: cssVar('--vscode-focusBorder', '#007fd4'),
    empty: cssVar('--vscode-editor-background', '#1e1e1e'),
    outlier: cssVar('--vscode-charts-orange', '#d18616'),
    point: cssVar('--vscode-charts-blue', '#3794ff'),
    line: cssVar('--vscode-charts-green', '#89d185'),
  };
}

// ---------- rendering ----------

/** Counts renders: the tables of a render that a later one replaced are not drawn. */
let renders = 0;

/**
 * Draws the page. `firstView`: the header, toolbar and heat map are drawn at once, and the web components
 * (`defineElements`) and the tables (up to 2,000 rows of them) after the first frame, so a plate shows as soon as its
 * state arrives; later renders (edits, sorts, theme) draw everything before the next frame, so the page never shrinks
 * for a frame and keeps its scroll position.
 */
function render(firstView = false): void {
  clear(root);
  const current = ++renders;
  tooltip.hidden = true;
  if (!plate) return;
  const state = plate;
  const targets = targetsOf(state.wells);
  if (view.target === undefined || (view.target !== ALL_TARGETS && !targets.includes(view.target))) {
    view.target = defaultTarget(state.wells, targets);
  }
  const shown = wellsForTarget(state.wells, view.target);
  shownWells = shown;
  clear(mainEl);
  mainEl.append(renderHeatMap(state, shown), renderDetails(state));
  root.append(renderHeader(state), renderToolbar(state, targets), mainEl);
  const curves = renderCurveSection(curveHost);
  if (curves) root.append(curves);
  // The tables' elements are created once the components are defined, as they always were.
  const tables = () => { if (current === renders) root.append(...renderStandardCurves(state), renderReplicates(state, shown), renderWells(state, shown)); };
  if (firstView) afterFirstFrame(() => void defineElements().then(tables));
  else void defineElements().then(tables);
  saveView();
}

/** Runs `f` at the start of the frame after the next one, i.e. once the page as it is now has been painted. */
function afterFirstFrame(f: () => void): void {
  requestAnimationFrame(() => requestAnimationFrame(f));
}

/** This script's element (only known while it first runs): the components' bundle is loaded beside it, with its nonce. */
const ownScript = document.currentScript as HTMLScriptElement | null;
let elementsLoaded: Promise<void> | undefined;

/**
 * Loads dist/webview/plate-elements.js (./elements.ts: the vscode-elements components, with Lit three quarters of the
 * editor's code, so plate.js stays small to load and parse) once; resolves when they are defined. Until then the
 * toolbar's select and the details' buttons are placeholders of their size (plate.css `:not(:defined)`), upgraded
 * when defined. Should the file fail to load, the page goes on with undefined elements (their text, unstyled).
 */
function defineElements(): Promise<void> {
  elementsLoaded ??= new Promise((resolve) => {
    if (!ownScript?.src) { console.error('plate editor: cannot locate plate-elements.js'); resolve(); return; }
    const s = document.createElement('script');
    s.src = new URL('plate-elements.js', ownScript.src).href;
    s.nonce = ownScript.nonce;
    s.onload = () => resolve();
    s.onerror = () => { console.error(`plate editor: ${s.src} did not load`); resolve(); };
    document.head.append(s);
  });
  return elementsLoaded;
}

/** The curve view's access to the page (./curves.ts). */
const curveHost: CurveHost = {
  state: () => plate,
  shown: () => shownWells,
  selected: () => view.selected,
  select: (well) => select(well),
  request: () => post({ type: 'plate/curves' }),
  tooltip: (lines, ev) => {
    if (!lines || !ev) { tooltip.hidden = true; return; }
    clear(tooltip);
    lines.forEach((l, j) => tooltip.append(h('div', { class: j === 0 ? 'tt-title' : 'tt-line' }, l)));
    tooltip.hidden = false;
    moveTooltip(ev);
  },
};

function renderHeader(s: PlateState): HTMLElement {
  // A truncated state (file over 50 MB) lists only the first wells' findings; its counts cover the whole file.
  const errors = s.truncated ? s.truncated.issueCounts.error : s.issues.filter((i) => i.severity === 'error').length;
  const warnings = s.truncated ? s.truncated.issueCounts.warning : s.issues.filter((i) => i.severity === 'warning').length;
  const layout = heatLayout(s);
  const item = (label: string, value: string) => h('span', { class: 'convention' }, h('span', { class: 'label' }, label), value);
  return h('header', { class: 'header' },
    h('h1', {}, s.fileName),
    h('div', { class: 'conventions', 'aria-label': 'Detected file conventions' },
      item('Format', s.format),
      s.instrument ? item('Instrument', s.instrument) : null,
      item(layout?.kind === 'chip' ? 'Chip' : 'Plate', !layout ? noLayoutText(s).short
        : layout.kind === 'chip' ? `${layout.rows} samples × ${layout.cols} assays` : `${layout.rows * layout.cols} wells (${layout.rows}×${layout.cols})`),
      item('Reactions', s.truncated ? s.truncated.total.toLocaleString('en') : String(s.wells.length)),
      s.format === 'rdml' ? null : item('Delimiter', delimiterName(s.conventions.delimiter)),
      s.format === 'rdml' ? null : item('Decimal', s.conventions.decimal === ',' ? 'comma' : 'point'),
      s.format === 'rdml' ? null : item('Line ends', lineEndingName(s.conventions.lineEnding)),
      s.conventions.bom ? item('BOM', 'yes') : null,
      item('QC', `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`),
      s.readonly ? item('Mode', 'read-only') : null,
    ),
    s.readonlyReason || s.truncated
      ? h('p', { class: 'notice', role: 'status' },
        [s.readonlyReason, s.truncated
          ? `Showing the first ${s.truncated.shown.toLocaleString('en')} of ${s.truncated.total.toLocaleString('en')} reactions; the QC counts above cover the whole file. A study or the qpcr-studio CLI reads every reaction.`
          : null].filter(Boolean).join('. '))
      : null,
    ...(s.caveats ?? []).map((c) => h('p', { class: 'notice caveat', role: 'note' }, c)));
}

function renderToolbar(s: PlateState, targets: string[]): HTMLElement {
  const select = h('vscode-single-select', { id: 'target', 'aria-label': 'Target' }) as HTMLElement & { value: string };
  select.append(h('vscode-option', { value: ALL_TARGETS }, `All targets (${targets.length})`));
  for (const t of targets) select.append(h('vscode-option', { value: t }, t || '(no target)'));
  select.value = view.target ?? ALL_TARGETS;
  // The component renders its options asynchronously; set the value again once it has.
  requestAnimationFrame(() => { select.value = view.target ?? ALL_TARGETS; });
  select.addEventListener('change', () => {
    view.target = select.value;
    render();
  });
  return h('div', { class: 'toolbar' },
    h('label', { class: 'label', for: 'target' }, 'Target'), select,
    renderLegend(s));
}

function renderLegend(s: PlateState): HTMLElement {
  const ext = cqExtent(wellsForTarget(s.wells, view.target ?? ALL_TARGETS));
  const p = palette();
  const legend = h('div', { class: 'legend', 'aria-label': 'Colour scale' });
  if (ext) {
    const steps = 24;
    const bar = svg('svg', { width: 160, height: 12, class: 'legend-bar', role: 'img', 'aria-label': `Cq ${formatCq(ext.min)} to ${formatCq(ext.max)}` });
    for (let i = 0; i < steps; i++) {
      bar.append(svg('rect', { x: (i * 160) / steps, y: 0, width: 160 / steps + 0.5, height: 12, fill: toHex(interpolate([p.low, p.high], i / (steps - 1))) }));
    }
    legend.append(h('span', {}, `Cq ${formatCq(ext.min, 1)}`), bar, h('span', {}, formatCq(ext.max, 1)));
  }
  const sw = (cls: string, label: string) => h('span', { class: 'key' }, h('span', { class: `swatch ${cls}` }), label);
  legend.append(sw('nocq', 'no Cq'), sw('omitted', 'omitted'), sw('issue', 'QC finding'));
  if (s.outliers && s.outliers.method !== 'none') legend.append(sw('outlier', 'replicate outlier'));
  return legend;
}

function renderHeatMap(s: PlateState, shown: PlateWellView[]): HTMLElement {
  const layout = heatLayout(s);
  const box = h('section', { class: 'heatmap', 'aria-label': layout?.kind === 'chip' ? 'Chip heat map (samples × assays)' : 'Plate heat map' });
  if (!layout) {
    box.append(h('p', { class: 'empty' }, noLayoutText(s).long));
    return box;
  }
  const { width, height, markup, cells } = heatMapMarkup({
    layout, wells: shown, worst: worstSeverityByWell(s.issues), outliers: outlierReasons(s.outliers), ext: cqExtent(shown), selected: view.selected, colours: palette(),
  });
  const el = svg('svg', { class: 'plate', width, height, viewBox: `0 0 ${width} ${height}`, role: 'grid', 'aria-label': layout.kind === 'chip' ? `${layout.rows} samples × ${layout.cols} assays` : `${layout.rows * layout.cols}-well plate` });
  // One parse of escaped markup (./heatMap.ts) instead of a createElementNS per shape.
  el.innerHTML = markup;
  listenToWells(el, cells);
  box.append(el);
  return box;
}

/**
 * One set of listeners on the plate's svg (delegation) instead of five per well: the tooltip, its position, and
 * selection by click, Enter or Space, for the `g.well` under the event (its `data-cell`: an index in `cells`).
 */
function listenToWells(el: SVGElement, cells: PlateWellView[][]): void {
  const at = (ev: Event): PlateWellView[] | undefined => {
    const cell = (ev.target as Element | null)?.closest?.('g.well')?.getAttribute('data-cell');
    return cell ? cells[Number(cell)] : undefined;
  };
  let hovered: PlateWellView[] | undefined;
  el.addEventListener('mouseover', (ev) => {
    const wells = at(ev);
    if (wells === hovered) return;
    hovered = wells;
    if (wells) showTooltip(wells, ev);
    else tooltip.hidden = true;
  });
  el.addEventListener('mousemove', (ev) => { if (hovered) moveTooltip(ev); });
  el.addEventListener('mouseleave', () => { hovered = undefined; tooltip.hidden = true; });
  el.addEventListener('click', (ev) => { const wells = at(ev); if (wells) select(wells[0].index); });
  el.addEventListener('keydown', (ev) => {
    const wells = at(ev);
    if (wells && (ev.key === 'Enter' || ev.key === ' ')) select(wells[0].index);
  });
}

function showTooltip(wells: PlateWellView[], ev: MouseEvent): void {
  if (!plate) return;
  clear(tooltip);
  wells.forEach((w, i) => {
    if (i > 0) tooltip.append(h('hr'));
    wellTooltip(w, plate!.issues).forEach((line, j) => tooltip.append(h('div', { class: j === 0 ? 'tt-title' : 'tt-line' }, line)));
  });
  tooltip.hidden = false;
  moveTooltip(ev);
}

function moveTooltip(ev: MouseEvent): void {
  const pad = 14;
  const w = tooltip.offsetWidth;
  const hgt = tooltip.offsetHeight;
  let x = ev.clientX + pad;
  let y = ev.clientY + pad;
  if (x + w > window.innerWidth) x = Math.max(0, ev.clientX - w - pad);
  if (y + hgt > window.innerHeight) y = Math.max(0, ev.clientY - hgt - pad);
  // CSSOM property writes are allowed under the CSP (only inline style attributes are blocked).
  tooltip.style.left = `${x}px`;
  tooltip.style.top = `${y}px`;
}

/**
 * Selects a well: redraws the plate and the details, and marks table rows, without rebuilding the tables (keeps their
 * scroll).
 */
function select(index: number): void {
  if (!plate) return;
  view.selected = index;
  tooltip.hidden = true;
  clear(mainEl);
  mainEl.append(renderHeatMap(plate, shownWells), renderDetails(plate));
  for (const [canvas, c] of curveCanvases) drawCurve(canvas, c);
  redrawCurves();
  for (const row of Array.from(root.querySelectorAll('vscode-table-row[data-wells]'))) {
    const wells = (row.getAttribute('data-wells') ?? '').split(',').map(Number);
    row.classList.toggle('selected', wells.includes(index));
  }
  saveView();
}

function renderDetails(s: PlateState): HTMLElement {
  const box = h('aside', { class: 'details', 'aria-label': 'Selected well' });
  const w = view.selected !== undefined ? s.wells[view.selected] : undefined;
  if (!w) {
    box.append(h('h2', {}, 'Well'), h('p', { class: 'hint' }, 'Select a well in the plate or a row in a table to see it here' + (s.readonly ? '.' : ', omit it or correct its Cq.')));
    return box;
  }
  const dl = h('dl', {});
  const row = (k: string, v: string) => dl.append(h('dt', {}, k), h('dd', {}, v));
  row('Position', w.position ?? '—');
  row('Sample', w.sample || '—');
  row('Target', w.target || '—');
  row('Task', w.task);
  row('Cq', w.cq === null ? `no Cq (${w.cqText || 'empty cell'})` : w.cqText);
  row('Omitted', w.omitted ? 'yes' : 'no');
  if (w.flags.length) row('Flags', w.flags.join(', '));
  if (s.format !== 'rdml') row('Line', String(w.line + 1));
  box.append(h('h2', {}, `Well ${w.position ?? `#${w.index + 1}`}`), dl);
  const issues = issuesForWell(s.issues, w.index);
  if (issues.length) {
    box.append(h('ul', { class: 'issues' }, ...issues.map((i) => h('li', { class: `sev-${i.severity}` }, h('span', { class: 'code' }, i.code), ' ', i.message))));
  }
  if (!s.readonly) {
    const omit = h('vscode-button', { secondary: true, disabled: !w.canOmit, title: w.canOmit ? undefined : 'This file format has no Omit/Include column' }, w.omitted ? 'Include well' : 'Omit well');
    omit.addEventListener('click', () => { if (w.canOmit) post({ type: 'plate/omitWell', well: w.index, omit: !w.omitted }); });
    const field = h('vscode-textfield', { 'aria-label': 'New Cq', placeholder: 'Cq, e.g. 31.25', value: w.cqText }) as HTMLElement & { value: string };
    const setCq = h('vscode-button', { disabled: !w.canEditCq }, 'Set Cq');
    const submit = () => { if (w.canEditCq) post({ type: 'plate/setCq', well: w.index, value: field.value.trim() }); };
    setCq.addEventListener('click', submit);
    field.addEventListener('keydown', (ev) => {
      // Keep keys typed into the field away from the custom editor's own undo/redo (vscode#227849).
      ev.stopPropagation();
      if ((ev as KeyboardEvent).key === 'Enter') submit();
    });
    const reveal = h('vscode-button', { secondary: true }, 'Show in text');
    reveal.addEventListener('click', () => post({ type: 'plate/revealLine', line: w.line }));
    box.append(h('div', { class: 'actions' }, omit, reveal), h('div', { class: 'actions' }, field, setCq));
  }
  return box;
}

// ---------- standard curves ----------

const CURVE_W = 300;
const CURVE_H = 210;
const CURVE_PAD = { left: 44, right: 12, top: 10, bottom: 36 };

/** Canvases drawn by the last render, redrawn when the selection changes (the selected well is ringed). */
let curveCanvases: [HTMLCanvasElement, StandardCurveView][] = [];

/** The "Standard curves" section, or nothing when the plate has no standard wells with quantities. */
function renderStandardCurves(s: PlateState): HTMLElement[] {
  curveCanvases = [];
  const all = s.standardCurves ?? [];
  const curves = view.target === undefined || view.target === ALL_TARGETS ? all : all.filter((c) => c.target === view.target);
  if (all.length === 0) return [];
  const box = h('section', { class: 'block curves', 'aria-label': 'Standard curves' },
    h('h2', {}, `Standard curves (${curves.length}${curves.length === all.length ? '' : ` of ${all.length}`})`,
      h('span', { class: 'hint' }, ` · Cq on log10 quantity, least squares over every amplified standard well; efficiency outside ${STD_EFFICIENCY_TEXT} or R² below ${STD_MIN_R2} highlighted`)));
  if (curves.length === 0) {
    box.append(h('p', { class: 'hint' }, 'The selected target has no standard wells with quantities.'));
    return [box];
  }
  box.append(h('div', { class: 'curve-grid' }, ...curves.map((c) => renderCurve(c))));
  return [box];
}

function renderCurve(c: StandardCurveView): HTMLElement {
  const bad = c.efficiencyOutOfRange || c.r2Low;
  const canvas = h('canvas', { class: 'curve-plot', role: 'img', 'aria-label': `Standard curve of ${c.target || '(no target)'}: Cq against log10 quantity, ${c.n} points` });
  curveCanvases.push([canvas, c]);
  requestAnimationFrame(() => drawCurve(canvas, c));
  canvas.addEventListener('mousemove', (ev) => {
    const hit = curveHit(canvas, c, ev);
    canvas.classList.toggle('hot', hit !== null);
    if (hit === null || !plate) { tooltip.hidden = true; return; }
    clear(tooltip);
    const p = c.points[hit];
    const w = plate.wells[p.well];
    tooltip.append(h('div', { class: 'tt-title' }, `${p.position ?? `#${p.well + 1}`} · ${w?.sample || '(no sample)'}`),
      h('div', { class: 'tt-line' }, `quantity ${formatQuantity(Math.pow(10, p.log10q))} (log10 ${p.log10q.toFixed(2)})`),
      h('div', { class: 'tt-line' }, `Cq ${p.cq.toFixed(2)}`));
    tooltip.hidden = false;
    moveTooltip(ev);
  });
  canvas.addEventListener('mouseleave', () => { tooltip.hidden = true; });
  canvas.addEventListener('click', (ev) => {
    const hit = curveHit(canvas, c, ev);
    if (hit !== null) select(c.points[hit].well);
  });
  const dl = h('dl', { class: 'curve-stats' });
  const row = (k: string, v: string, flag?: string) => {
    dl.append(h('dt', {}, k), h('dd', { class: flag ? 'bad' : undefined }, v, flag ? h('span', { class: 'flag' }, ` ${flag}`) : null));
  };
  const ci = (x: [number, number] | null, d: number) => (x ? ` (95 % CI ${x[0].toFixed(d)} to ${x[1].toFixed(d)})` : '');
  row('Slope', c.slope === null ? '—' : `${c.slope.toFixed(3)}${ci(c.slopeCi, 3)}`);
  row('Intercept', c.intercept === null ? '—' : c.intercept.toFixed(2));
  row('R²', c.r2 === null ? '—' : c.r2.toFixed(4), c.r2Low ? `⚠ below ${STD_MIN_R2}` : undefined);
  row('Efficiency', formatEfficiency(c), c.efficiencyOutOfRange ? `⚠ outside ${STD_EFFICIENCY_TEXT}` : undefined);
  row('E (per cycle)', c.efficiency === null ? '—' : c.efficiency.toFixed(3));
  row('LOD', c.lod === null ? 'none (no level fully amplified)' : formatQuantity(c.lod));
  row('Points', `${c.n} wells at ${c.levels} levels${c.excluded.length ? `; ${c.excluded.length} without Cq or omitted` : ''}`);
  const other = c.findings.filter((f) => f.code !== 'std-efficiency' && f.code !== 'std-r2');
  const card = h('figure', { class: `curve${bad ? ' bad' : ''}` },
    h('figcaption', {}, c.target || '(no target)', bad ? h('span', { class: 'flag' }, ' · check this curve') : null),
    canvas, dl,
    other.length ? h('ul', { class: 'issues' }, ...other.map((f) => h('li', { class: 'sev-warning' }, h('span', { class: 'code' }, f.code), ' ', f.message))) : null);
  if (c.firstWell !== null) {
    const first = c.firstWell;
    const btn = h('vscode-button', { secondary: true, title: 'Select the first standard well (the Problems entry sits on its line)' }, 'First standard well');
    btn.addEventListener('click', () => select(first));
    card.append(h('div', { class: 'actions' }, btn));
  }
  return card;
}

interface CurveFrame { x0: number; x1: number; y0: number; y1: number; px: (x: number) => number; py: (y: number) => number }

function curveFrame(c: StandardCurveView): CurveFrame | null {
  const ext = curveExtent(c);
  if (!ext) return null;
  const [x0, x1] = ext.x;
  const [y0, y1] = ext.y;
  const w = CURVE_W - CURVE_PAD.left - CURVE_PAD.right;
  const hh = CURVE_H - CURVE_PAD.top - CURVE_PAD.bottom;
  return {
    x0, x1, y0, y1,
    px: (x) => CURVE_PAD.left + ((x - x0) / (x1 - x0)) * w,
    // Cq upwards: the curve falls from the top left (concentrated standards) to the bottom right.
    py: (y) => CURVE_PAD.top + (1 - (y - y0) / (y1 - y0)) * hh,
  };
}

/** Index of the point under the mouse (within 7 px), or null. */
function curveHit(canvas: HTMLCanvasElement, c: StandardCurveView, ev: MouseEvent): number | null {
  const f = curveFrame(c);
  if (!f) return null;
  const rect = canvas.getBoundingClientRect();
  const mx = ((ev.clientX - rect.left) / rect.width) * CURVE_W;
  const my = ((ev.clientY - rect.top) / rect.height) * CURVE_H;
  let best: number | null = null;
  let bestD = 7 * 7;
  c.points.forEach((p, i) => {
    const d = (f.px(p.log10q) - mx) ** 2 + (f.py(p.cq) - my) ** 2;
    if (d <= bestD) { bestD = d; best = i; }
  });
  return best;
}

function drawCurve(canvas: HTMLCanvasElement, c: StandardCurveView): void {
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(CURVE_W * dpr);
  canvas.height = Math.round(CURVE_H * dpr);
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.scale(dpr, dpr);
  ctx.clearRect(0, 0, CURVE_W, CURVE_H);
  const p = palette();
  const f = curveFrame(c);
  ctx.font = `10px ${cssVar('--vscode-font-family', 'sans-serif')}`;
  ctx.fillStyle = p.muted;
  if (!f) {
    ctx.textAlign = 'center';
    ctx.fillText('no amplified standard wells', CURVE_W / 2, CURVE_H / 2);
    return;
  }
  const box: CurveBox = { left: CURVE_PAD.left, right: CURVE_W - CURVE_PAD.right, top: CURVE_PAD.top, bottom: CURVE_H - CURVE_PAD.bottom };
  drawCurveAxes(ctx, f, box, p);
  drawCurveData(ctx, c, f, box, p);
}

/** The plot area of a standard curve's canvas, in CSS pixels. */
interface CurveBox { left: number; right: number; top: number; bottom: number }

/** Grid, frame, tick labels and the axis titles (quantity on a log scale across, Cq up). */
function drawCurveAxes(ctx: CanvasRenderingContext2D, f: CurveFrame, { left, right, top, bottom }: CurveBox, p: Palette): void {
  ctx.strokeStyle = p.border;
  ctx.lineWidth = 1;
  ctx.globalAlpha = 0.6;
  const xt = logQuantityTicks(f.x0, f.x1);
  const yt = niceTicks(f.y0, f.y1, 5);
  ctx.beginPath();
  for (const t of xt) { const x = Math.round(f.px(t.at)) + 0.5; ctx.moveTo(x, top); ctx.lineTo(x, bottom); }
  for (const t of yt) { const y = Math.round(f.py(t)) + 0.5; ctx.moveTo(left, y); ctx.lineTo(right, y); }
  ctx.stroke();
  ctx.globalAlpha = 1;
  ctx.strokeRect(left + 0.5, top + 0.5, right - left, bottom - top);
  ctx.fillStyle = p.muted;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of xt) ctx.fillText(t.label, f.px(t.at), bottom + 4);
  ctx.fillText('quantity (log scale)', (left + right) / 2, bottom + 20);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of yt) ctx.fillText(String(t), left - 5, f.py(t));
  ctx.save();
  ctx.translate(11, (top + bottom) / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.fillText('Cq', 0, 0);
  ctx.restore();
}

/** The fitted line (a warning colour when the curve is flagged) and the points, clipped to the plot; the selected well ringed. */
function drawCurveData(ctx: CanvasRenderingContext2D, c: StandardCurveView, f: CurveFrame, { left, right, top, bottom }: CurveBox, p: Palette): void {
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, right - left, bottom - top);
  ctx.clip();
  if (c.slope !== null && c.intercept !== null) {
    ctx.strokeStyle = c.efficiencyOutOfRange || c.r2Low ? p.warning : p.line;
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(f.px(f.x0), f.py(c.intercept + c.slope * f.x0));
    ctx.lineTo(f.px(f.x1), f.py(c.intercept + c.slope * f.x1));
    ctx.stroke();
  }
  for (const pt of c.points) {
    ctx.beginPath();
    ctx.arc(f.px(pt.log10q), f.py(pt.cq), 3.5, 0, Math.PI * 2);
    ctx.fillStyle = p.point;
    ctx.globalAlpha = 0.85;
    ctx.fill();
    ctx.globalAlpha = 1;
    if (pt.well === view.selected) {
      ctx.strokeStyle = p.focus;
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(f.px(pt.log10q), f.py(pt.cq), 6.5, 0, Math.PI * 2);
      ctx.stroke();
    }
  }
  ctx.restore();
}

// ---------- tables ----------

interface Column<T> { key: string; label: string; value: (r: T) => SortValue; text?: (r: T) => string; numeric?: boolean; width?: string }

function sortableTable<T>(opts: {
  id: string; rows: T[]; columns: Column<T>[]; sort: { key: string; dir: SortDir } | undefined;
  onSort: (s: { key: string; dir: SortDir }) => void; onRow: (r: T) => void; rowClass?: (r: T) => string; wells: (r: T) => number[];
}): HTMLElement {
  const sort = opts.sort && opts.columns.some((c) => c.key === opts.sort!.key) ? opts.sort : { key: opts.columns[0].key, dir: 'asc' as SortDir };
  const col = opts.columns.find((c) => c.key === sort.key)!;
  const sorted = sortBy(opts.rows, col.value, sort.dir);
  const header = h('vscode-table-header', { slot: 'header' });
  for (const c of opts.columns) {
    const active = c.key === sort.key;
    const cell = h('vscode-table-header-cell', { class: 'sortable', tabindex: 0, 'aria-sort': active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none', title: `Sort by ${c.label}` },
      c.label, active ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : '');
    const toggle = () => opts.onSort({ key: c.key, dir: active && sort.dir === 'asc' ? 'desc' : 'asc' });
    cell.addEventListener('click', toggle);
    cell.addEventListener('keydown', (ev) => { if ((ev as KeyboardEvent).key === 'Enter') toggle(); });
    header.append(cell);
  }
  const body = h('vscode-table-body', { slot: 'body' });
  for (const r of sorted.slice(0, MAX_TABLE_ROWS)) {
    const wells = opts.wells(r);
    const selected = view.selected !== undefined && wells.includes(view.selected);
    const tr = h('vscode-table-row', { 'data-wells': wells.join(','), class: `${opts.rowClass?.(r) ?? ''}${selected ? ' selected' : ''}`.trim() || undefined });
    for (const c of opts.columns) {
      const v = c.text ? c.text(r) : c.value(r);
      tr.append(h('vscode-table-cell', { class: c.numeric ? 'num' : undefined }, v === null || v === undefined ? '' : String(v)));
    }
    tr.addEventListener('click', () => opts.onRow(r));
    body.append(tr);
  }
  const table = h('vscode-table', { id: opts.id, zebra: true, 'bordered-columns': true, resizable: true, class: 'table' });
  table.append(header, body);
  const note = sorted.length > MAX_TABLE_ROWS ? h('p', { class: 'hint' }, `Showing the first ${MAX_TABLE_ROWS} of ${sorted.length} rows in this order; sort to see others.`) : null;
  return h('div', { class: 'table-wrap' }, table, note);
}

function renderReplicates(s: PlateState, shown: PlateWellView[]): HTMLElement {
  const groups = groupReplicates(shown, s.qc.replicateSd);
  const screening = !!s.outliers && s.outliers.method !== 'none';
  const outlierText = new Map(groups.map((g) => [g, groupOutlierText(g, s.wells, s.outliers)] as const));
  const columns: Column<ReplicateGroup>[] = [
    { key: 'sample', label: 'Sample', value: (g) => g.sample },
    { key: 'target', label: 'Target', value: (g) => g.target },
    { key: 'task', label: 'Task', value: (g) => g.task },
    { key: 'wells', label: 'Wells', value: (g) => g.positions },
    { key: 'n', label: 'Used', value: (g) => g.used, text: (g) => `${g.used}/${g.wells.length}`, numeric: true },
    { key: 'mean', label: 'Mean Cq', value: (g) => g.mean, text: (g) => formatCq(g.mean), numeric: true },
    { key: 'sd', label: 'SD', value: (g) => g.sd, text: (g) => (g.sd === null ? '' : g.sd.toFixed(3)), numeric: true },
  ];
  if (screening) columns.push({ key: 'outliers', label: 'Outliers', value: (g) => outlierText.get(g) ?? '' });
  const flagged = groups.filter((g) => outlierText.get(g)).length;
  return h('section', { class: 'block' },
    h('h2', {}, `Replicate groups (${groups.length})`, h('span', { class: 'hint' },
      ` · SD above ${s.qc.replicateSd} highlighted; omitted and no-Cq wells excluded · ${outlierRuleText(s.outliers)}${screening ? `: ${flagged} group${flagged === 1 ? '' : 's'} flagged` : ''}`)),
    sortableTable({
      id: 'groups', rows: groups, columns, sort: view.groupSort,
      onSort: (srt) => { view.groupSort = srt; render(); },
      onRow: (g) => select(g.wells[0]),
      rowClass: (g) => [g.highSd ? 'high-sd' : '', outlierText.get(g) ? 'has-outlier' : ''].join(' ').trim(),
      wells: (g) => g.wells,
    }));
}

function renderWells(s: PlateState, shown: PlateWellView[]): HTMLElement {
  const worst = worstSeverityByWell(s.issues);
  const outliers = outlierReasons(s.outliers);
  const columns: Column<PlateWellView>[] = [
    { key: 'position', label: 'Well', value: (w) => positionKey(w) ?? w.index + 1e9, text: (w) => w.position ?? '' },
    { key: 'sample', label: 'Sample', value: (w) => w.sample },
    { key: 'target', label: 'Target', value: (w) => w.target },
    { key: 'task', label: 'Task', value: (w) => w.task },
    { key: 'cq', label: 'Cq', value: (w) => w.cq, text: (w) => (w.cq === null ? w.cqText || '—' : w.cqText), numeric: true },
    { key: 'status', label: 'Status', value: (w) => [w.omitted ? 'omitted' : '', outliers.has(w.index) ? 'outlier' : '', ...w.flags, worst.get(w.index) ?? ''].filter(Boolean).join(' ') },
  ];
  return h('section', { class: 'block' },
    h('h2', {}, `Wells (${shown.length})`),
    sortableTable({
      id: 'wells', rows: shown, columns, sort: view.wellSort,
      onSort: (srt) => { view.wellSort = srt; render(); },
      onRow: (w) => select(w.index),
      rowClass: (w) => [w.omitted ? 'omitted' : '', worst.has(w.index) ? `sev-${worst.get(w.index)}` : ''].join(' ').trim(),
      wells: (w) => [w.index],
    }));
}

function renderError(message: string, details: string[]): void {
  clear(root);
  root.append(h('section', { class: 'error-box' },
    h('h1', {}, message),
    details.length ? h('ul', {}, ...details.slice(0, 20).map((d) => h('li', {}, d))) : null,
    h('p', { class: 'hint' }, 'Fix the file in a text editor (Reopen Editor With… → Text Editor); this view refreshes as you type.')));
}

let statusTimer: ReturnType<typeof setTimeout> | undefined;
function showStatus(ok: boolean, message: string): void {
  status.textContent = message;
  status.className = `status visible ${ok ? 'ok' : 'fail'}`;
  if (statusTimer !== undefined) clearTimeout(statusTimer);
  statusTimer = setTimeout(() => { status.className = 'status'; }, ok ? 4000 : 8000);
}

window.addEventListener('message', (ev: MessageEvent<PlateHostMessage>) => {
  const m = ev.data;
  switch (m.type) {
    case 'plate/state': {
      const firstView = plate === null;
      plate = m.state && decodePlateState(m.state);
      if (!plate) {
        renderError(m.error?.message ?? 'This file could not be read as a qPCR export.', m.error?.details ?? []);
        return;
      }
      view = sanitizeViewState(restored ?? view, plate);
      restored = undefined;
      render(firstView);
      return;
    }
    case 'plate/editResult':
      showStatus(m.ok, m.message);
      return;
    case 'plate/curves':
      setCurves(m.curves);
      return;
    default:
      assertNever(m);
  }
});

observeTheme(() => {
  themeColours = undefined;
  if (plate) render();
});
document.addEventListener('mouseleave', () => { tooltip.hidden = true; });
window.addEventListener('blur', () => { tooltip.hidden = true; });
window.addEventListener('scroll', () => { tooltip.hidden = true; }, { passive: true });
post({ type: 'ready' });
