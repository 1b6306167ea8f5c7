/**
 * The plate editor's curve view (issue 20 part 3): amplification curves (linear or log y, one readout at a time) and
 * melt curves as -dF/dT, for every shown well, the selected well's replicate group or the selected well; linked to the
 * heat map both ways (the selected well's curve is drawn on top in orange; clicking a curve selects its
 * well). Plain canvas. The curves are requested from the host the first time the view is opened (`plate/curves`),
 * so the plate's first paint never waits for them.
 */
import type { CurveSeriesView, PlateCurvesView, PlateState, PlateWellView } from '../../src/shared/plateProtocol';
import { clear, h } from '../common/dom';
import { cssVar } from '../common/theme';
import { curveWells, logTicks, nearestCurve, plotFrame, type CurveScope, type PlotBox, type PlotFrame } from './curveModel';
import { formatCq, niceTicks } from './plateModel';

/** What the curve view needs from the page. */
export interface CurveHost {
  state(): PlateState | null;
  /** The wells the target filter shows. */
  shown(): PlateWellView[];
  selected(): number | undefined;
  select(well: number): void;
  /** Ask the host for the curves. */
  request(): void;
  tooltip(lines: string[] | null, ev?: MouseEvent): void;
}

const BOX: PlotBox = { width: 520, height: 300, left: 56, right: 12, top: 10, bottom: 36 };

/** undefined: not asked yet; null: the host has none. */
let data: PlateCurvesView | null | undefined;
let asked = false;
let open = false;
let scope: CurveScope = 'shown';
let logY = false;
let readout = 0;
let section: HTMLElement | null = null;
let host: CurveHost | null = null;
let plots: { canvas: HTMLCanvasElement; draw: () => void }[] = [];

/** The curves arrived from the host (or again after a refresh). */
export function setCurves(c: PlateCurvesView | null): void {
  data = c;
  if (section && host) fill(section, host);
}

/** The selection changed: redraw (the highlighted curve), or refill when the curves shown depend on the selection. */
export function redrawCurves(): void {
  if (scope !== 'shown' && section && host) fill(section, host);
  else for (const p of plots) p.draw();
}

/** The "Curves" section, or null when the file has no curves. */
export function renderCurveSection(hst: CurveHost): HTMLElement | null {
  const s = hst.state();
  if (!s?.curves) { section = null; return null; }
  host = hst;
  section = h('section', { class: 'block curve-view', 'aria-label': 'Amplification and melt curves' });
  fill(section, hst);
  return section;
}

function button(label: string, onClick: () => void, secondary = true): HTMLElement {
  const b = h('vscode-button', { secondary }, label);
  b.addEventListener('click', onClick);
  return b;
}

function choice<T extends string | number>(label: string, options: [T, string][], value: T, onChange: (v: T) => void): HTMLElement {
  const sel = h('vscode-single-select', { 'aria-label': label }) as HTMLElement & { value: string };
  for (const [v, text] of options) sel.append(h('vscode-option', { value: String(v) }, text));
  sel.value = String(value);
  requestAnimationFrame(() => { sel.value = String(value); });
  sel.addEventListener('change', () => {
    const hit = options.find(([v]) => String(v) === sel.value);
    if (hit) onChange(hit[0]);
  });
  return h('span', { class: 'curve-choice' }, h('span', { class: 'label' }, label), sel);
}

function fill(box: HTMLElement, hst: CurveHost): void {
  clear(box);
  plots = [];
  const s = hst.state();
  if (!s?.curves) return;
  const counts = [s.curves.amplification ? `${s.curves.amplification} amplification` : '', s.curves.melt ? `${s.curves.melt} melt` : ''].filter(Boolean).join(', ');
  const toggle = button(open ? 'Hide curves' : 'Show curves', () => {
    open = !open;
    if (open && !asked) { asked = true; hst.request(); }
    fill(box, hst);
  }, !open);
  box.append(h('h2', {}, 'Curves', h('span', { class: 'hint' }, ` · ${counts} curves in the file`)), h('div', { class: 'curve-toolbar' }, toggle));
  if (!open) return;
  if (data === undefined) { box.append(h('p', { class: 'hint' }, 'Loading curves…')); return; }
  if (data === null) { box.append(h('p', { class: 'hint' }, 'The file has no curves the view can draw.')); return; }
  const amp = data.amplification ?? [];
  const bar = box.querySelector('.curve-toolbar') as HTMLElement;
  bar.append(choice<CurveScope>('Show', [['shown', 'Wells of the target filter'], ['group', 'Selected replicate group'], ['well', 'Selected well']], scope, (v) => { scope = v; fill(box, hst); }));
  if (amp.length > 1) bar.append(choice<number>('Readout', amp.map((a, i) => [i, a.label]), Math.min(readout, amp.length - 1), (v) => { readout = v; fill(box, hst); }));
  if (amp.length) bar.append(choice<string>('Y axis', [['lin', 'linear'], ['log', 'log10']], logY ? 'log' : 'lin', (v) => { logY = v === 'log'; fill(box, hst); }));
  const wanted = curveWells(scope, hst.shown(), s.wells, hst.selected());
  const pick = (series: CurveSeriesView[]) => series.filter((c) => wanted.has(c.well));
  const grid = h('div', { class: 'curve-grid' });
  const a = amp[Math.min(readout, amp.length - 1)];
  if (a) grid.append(plot(hst, pick(a.curves), { title: `Amplification (${a.label})`, x: 'Cycle', y: logY ? `${a.label} (log10)` : a.label, log: logY, cqLine: true }));
  if (data.melt) grid.append(plot(hst, pick(data.melt.curves), { title: `Melt (-dF/dT, ${data.melt.derivative === 'file' ? "the instrument's derivative" : 'computed from the fluorescence'})`, x: 'Temperature (°C)', y: '-dF/dT', log: false, cqLine: false }));
  box.append(grid);
  if (wanted.size === 0) box.append(h('p', { class: 'hint' }, 'Select a well in the plate to see its curves.'));
}

interface PlotSpec { title: string; x: string; y: string; log: boolean; cqLine: boolean }

function plot(hst: CurveHost, series: CurveSeriesView[], spec: PlotSpec): HTMLElement {
  const canvas = h('canvas', { class: 'curve-canvas', role: 'img', 'aria-label': `${spec.title}: ${series.length} curves; click a curve to select its well` });
  const frame = plotFrame(series, BOX, spec.log);
  const draw = () => drawPlot(canvas, series, frame, spec, hst);
  plots.push({ canvas, draw });
  requestAnimationFrame(draw);
  const at = (ev: MouseEvent): number | null => {
    if (!frame) return null;
    const r = canvas.getBoundingClientRect();
    return nearestCurve(series, frame, ((ev.clientX - r.left) / r.width) * BOX.width, ((ev.clientY - r.top) / r.height) * BOX.height);
  };
  canvas.addEventListener('mousemove', (ev) => {
    const well = at(ev);
    canvas.classList.toggle('hot', well !== null);
    const w = well === null ? undefined : hst.state()?.wells[well];
    hst.tooltip(w ? [`${w.position ?? `#${w.index + 1}`} · ${w.sample || '(no sample)'}`, `${w.target || '(no target)'} · Cq ${w.cq === null ? 'none' : formatCq(w.cq)}`] : null, ev);
  });
  canvas.addEventListener('mouseleave', () => hst.tooltip(null));
  canvas.addEventListener('click', (ev) => { const well = at(ev); if (well !== null) hst.select(well); });
  return h('figure', { class: 'curve curve-wide' }, h('figcaption', {}, spec.title, h('span', { class: 'hint' }, ` · ${series.length} curve${series.length === 1 ? '' : 's'}`)), canvas);
}

function drawAxes(ctx: CanvasRenderingContext2D, f: PlotFrame, spec: PlotSpec, muted: string, border: string): void {
  const { left, top } = BOX;
  const right = BOX.width - BOX.right, bottom = BOX.height - BOX.bottom;
  ctx.strokeStyle = border;
  ctx.lineWidth = 1;
  ctx.strokeRect(left, top, right - left, bottom - top);
  ctx.fillStyle = muted;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of niceTicks(f.x0, f.x1, 8)) if (t >= f.x0 && t <= f.x1) ctx.fillText(String(t), f.px(t), bottom + 4);
  ctx.fillText(spec.x, (left + right) / 2, bottom + 20);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  const ticks = f.log ? logTicks(f.y0, f.y1) : niceTicks(f.y0, f.y1, 6).filter((t) => t >= f.y0 && t <= f.y1);
  for (const t of ticks) {
    const v = f.log ? Math.pow(10, t) : t;
    const y = f.py(v);
    if (y !== null) ctx.fillText(f.log ? v.toPrecision(2) : String(t), left - 5, y);
  }
  ctx.save();
  ctx.translate(12, (top + bottom) / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.fillText(spec.y, 0, 0);
  ctx.restore();
}

function line(ctx: CanvasRenderingContext2D, s: CurveSeriesView, f: PlotFrame): void {
  ctx.beginPath();
  let pen = false;
  for (let i = 0; i < s.x.length; i++) {
    const y = f.py(s.y[i]);
    if (y === null) { pen = false; continue; }
    if (pen) ctx.lineTo(f.px(s.x[i]), y); else ctx.moveTo(f.px(s.x[i]), y);
    pen = true;
  }
  ctx.stroke();
}

function drawPlot(canvas: HTMLCanvasElement, series: CurveSeriesView[], f: PlotFrame | null, spec: PlotSpec, hst: CurveHost): void {
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(BOX.width * dpr);
  canvas.height = Math.round(BOX.height * dpr);
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.scale(dpr, dpr);
  ctx.clearRect(0, 0, BOX.width, BOX.height);
  const muted = cssVar('--vscode-descriptionForeground', '#9d9d9d');
  ctx.font = `10px ${cssVar('--vscode-font-family', 'sans-serif')}`;
  if (!f) {
    ctx.fillStyle = muted;
    ctx.textAlign = 'center';
    ctx.fillText(series.length ? 'no drawable points (log axis: no positive values)' : 'no curves for these wells', BOX.width / 2, BOX.height / 2);
    return;
  }
  drawAxes(ctx, f, spec, muted, cssVar('--vscode-editorWidget-border', '#454545'));
  ctx.save();
  ctx.beginPath();
  ctx.rect(BOX.left, BOX.top, BOX.width - BOX.left - BOX.right, BOX.height - BOX.top - BOX.bottom);
  ctx.clip();
  const sel = hst.selected();
  const wells = hst.state()?.wells ?? [];
  ctx.lineWidth = 1.2;
  ctx.strokeStyle = cssVar('--vscode-charts-blue', '#3794ff');
  ctx.globalAlpha = series.length > 40 ? 0.45 : 0.75;
  for (const s of series) if (s.well !== sel && !wells[s.well]?.omitted) line(ctx, s, f);
  ctx.setLineDash([4, 3]); // omitted wells dashed
  for (const s of series) if (s.well !== sel && wells[s.well]?.omitted) line(ctx, s, f);
  ctx.setLineDash([]);
  ctx.globalAlpha = 1;
  const chosen = series.find((s) => s.well === sel);
  if (chosen) {
    // Not the focus colour: it is a blue like the other curves in most themes.
    ctx.strokeStyle = cssVar('--vscode-charts-orange', '#d18616');
    ctx.lineWidth = 2.5;
    line(ctx, chosen, f);
    const cq = wells[chosen.well]?.cq;
    if (spec.cqLine && cq !== null && cq !== undefined && cq >= f.x0 && cq <= f.x1) {
      ctx.setLineDash([3, 3]);
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(f.px(cq), BOX.top);
      ctx.lineTo(f.px(cq), BOX.height - BOX.bottom);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = ctx.strokeStyle;
      ctx.textAlign = 'left';
      ctx.textBaseline = 'top';
      ctx.fillText(`Cq ${formatCq(cq)}`, f.px(cq) + 3, BOX.top + 3);
    }
  }
  ctx.restore();
}
