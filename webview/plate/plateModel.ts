/**
 * Pure view logic of the plate editor (no DOM): plate geometry, replicate statistics, sorting and the
 * colour scale. Compiles under both the webview and the node tsconfig, so it is unit-tested in plain Node.
 */
import type { OutlierView, PlateIssueView, PlateState, PlateWellView, StandardCurveView } from '../../src/shared/plateProtocol';
import { replicateStats } from '../../src/shared/replicates';

/** Row label for a 0-based row: A..Z, then AA, AB ... */
export function rowLabel(row: number): string {
  let s = '';
  let n = row;
  do {
    s = String.fromCharCode(65 + (n % 26)) + s;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return s;
}

/** Plate geometry to draw: the file's, else the smallest standard plate that holds every well, else null (no positions). */
export function plateGeometry(state: Pick<PlateState, 'rows' | 'cols' | 'wells'>): { rows: number; cols: number } | null {
  let maxRow = -1;
  let maxCol = -1;
  for (const w of state.wells) {
    if (w.row === null || w.col === null) continue;
    maxRow = Math.max(maxRow, w.row);
    maxCol = Math.max(maxCol, w.col);
  }
  if (state.rows && state.cols && state.rows > maxRow && state.cols > maxCol) return { rows: state.rows, cols: state.cols };
  if (maxRow < 0) return null;
  for (const g of [{ rows: 8, cols: 12 }, { rows: 16, cols: 24 }, { rows: 32, cols: 48 }]) {
    if (maxRow < g.rows && maxCol < g.cols) return g;
  }
  return { rows: maxRow + 1, cols: maxCol + 1 };
}

/**
 * What the heat map draws: a plate (rows A, B, ... × columns 1, 2, ...) or, for files without well positions whose
 * reactions are chip chambers (`S48-A01`: sample inlet 48, assay inlet 1; Fluidigm BioMark 48.48 / 96.96), the
 * sample × assay matrix their own software shows. `keyOf` places a well in a cell (row * 10000 + column).
 */
export interface HeatLayout {
  kind: 'plate' | 'chip';
  rows: number;
  cols: number;
  keyOf(w: Pick<PlateWellView, 'row' | 'col' | 'position'>): number | null;
  rowLabel(r: number): string;
  colLabel(c: number): string;
  /** The cell's name (a well position, or a chamber id). */
  cellName(r: number, c: number): string;
}

const CHAMBER = /^S(\d{1,3})-A(\d{1,3})$/;

/** The layout of a plate state, or null when its reactions have neither positions nor chamber ids. */
/**
 * Why a plate has no layout to draw (`heatLayout` null): its wells name no positions, or their positions fit no one
 * plate (a tidy file of many plates, `P0001-A1` … `P0420-P24`; ids that are not positions).
 */
export function noLayoutText(state: Pick<PlateState, 'wells'>): { short: string; long: string } {
  const named = state.wells.find((w) => w.position);
  return named
    ? { short: 'positions fit no one plate', long: `The wells' positions (such as ${named.position}) do not fit one plate layout, so there is no plate to draw. The tables below list every reaction.` }
    : { short: 'no well positions', long: 'This file has no well positions, so there is no plate layout to draw. The tables below list every reaction.' };
}

export function heatLayout(state: Pick<PlateState, 'rows' | 'cols' | 'wells'>): HeatLayout | null {
  const g = plateGeometry(state);
  if (g) {
    return {
      kind: 'plate', ...g, keyOf: (w) => positionKey(w), rowLabel, colLabel: (c) => String(c + 1), cellName: (r, c) => `${rowLabel(r)}${c + 1}`,
    };
  }
  let rows = 0, cols = 0;
  for (const w of state.wells) {
    const m = CHAMBER.exec(w.position ?? '');
    if (!m) return null;
    rows = Math.max(rows, Number(m[1]));
    cols = Math.max(cols, Number(m[2]));
  }
  if (!rows || !cols) return null;
  const two = (n: number) => String(n).padStart(2, '0');
  return {
    kind: 'chip', rows, cols,
    keyOf: (w) => { const m = CHAMBER.exec(w.position ?? ''); return m ? (Number(m[1]) - 1) * 10000 + Number(m[2]) - 1 : null; },
    rowLabel: (r) => `S${two(r + 1)}`, colLabel: (c) => String(c + 1), cellName: (r, c) => `S${two(r + 1)}-A${two(c + 1)}`,
  };
}

/** Targets in order of first appearance. */
export function targetsOf(wells: readonly PlateWellView[]): string[] {
  const seen = new Set<string>();
  for (const w of wells) seen.add(w.target);
  return [...seen];
}

/** Sentinel for "every target" in the target selector. */
export const ALL_TARGETS = '\u0000all';

/** Initial target: all of them when no position holds more than one reaction (singleplex plates), else the first. */
export function defaultTarget(wells: readonly PlateWellView[], targets: readonly string[]): string {
  if (targets.length <= 1) return ALL_TARGETS;
  const seen = new Set<number>();
  for (const w of wells) {
    const k = positionKey(w);
    if (k === null) continue;
    if (seen.has(k)) return targets[0];
    seen.add(k);
  }
  return ALL_TARGETS;
}

export function wellsForTarget(wells: readonly PlateWellView[], target: string): PlateWellView[] {
  return target === ALL_TARGETS ? [...wells] : wells.filter((w) => w.target === target);
}

/** Technical replicates: the wells of one sample × target (src/shared/replicates.ts: the groups QC checks). */
export interface ReplicateGroup {
  sample: string;
  target: string;
  task: string;
  /** Wells in the group (in file order), omitted ones included. */
  wells: number[];
  positions: string;
  /** Wells that count: not omitted and with a Cq. */
  used: number;
  noCq: number;
  omitted: number;
  mean: number | null;
  sd: number | null;
  /** SD above the QC threshold. */
  highSd: boolean;
}

/**
 * The replicate groups of `wells` with QC's rules (src/shared/replicates.ts): control wells (NTC, NRT, negative) and
 * wells without a sample are in no group; omitted wells are listed but do not count.
 */
export function groupReplicates(wells: readonly PlateWellView[], replicateSd: number): ReplicateGroup[] {
  const r = replicateStats(wells);
  const members: PlateWellView[][] = Array.from({ length: r.count }, () => []);
  for (let i = 0; i < wells.length; i++) if (r.groupOf[i] >= 0) members[r.groupOf[i]].push(wells[i]);
  return members.map((ws, g) => {
    const sd = r.nCq[g] >= 2 ? r.sd[g] : null;
    return {
      sample: ws[0].sample,
      target: ws[0].target,
      task: ws[0].task,
      wells: ws.map((w) => w.index),
      positions: ws.map((w) => w.position ?? `#${w.index + 1}`).join(', '),
      used: r.nCq[g],
      noCq: ws.filter((w) => w.cq === null).length,
      omitted: r.omitted[g],
      mean: r.nCq[g] ? r.mean[g] : null,
      sd,
      highSd: sd !== null && sd > replicateSd,
    };
  });
}

export type SortDir = 'asc' | 'desc';
export type SortValue = string | number | null | undefined;

/** Compares two cell values: numbers numerically, strings naturally (A2 < A10), empty values last in either direction. */
export function compareValues(a: SortValue, b: SortValue, dir: SortDir): number {
  const ae = a === null || a === undefined || a === '';
  const be = b === null || b === undefined || b === '';
  if (ae || be) return ae === be ? 0 : ae ? 1 : -1;
  const s = dir === 'asc' ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return s * (a - b);
  return s * String(a).localeCompare(String(b), undefined, { numeric: true, sensitivity: 'base' });
}

/** A stable sort by one key. */
export function sortBy<T>(rows: readonly T[], key: (r: T) => SortValue, dir: SortDir): T[] {
  return rows.map((r, i) => ({ r, i }))
    .sort((x, y) => compareValues(key(x.r), key(y.r), dir) || x.i - y.i)
    .map((x) => x.r);
}

/** Sort key of a well position: row-major (A1, A2 ... B1), null positions last. */
export function positionKey(w: Pick<PlateWellView, 'row' | 'col'>): number | null {
  return w.row === null || w.col === null ? null : w.row * 10000 + w.col;
}

export type Rgb = [number, number, number];

/** Parses `#rgb`, `#rrggbb`, `#rrggbbaa` or `rgb[a](r, g, b[, a])`; null if not a colour. */
export function parseColor(s: string): Rgb | null {
  const t = s.trim();
  let m = /^#([0-9a-f]{3})$/i.exec(t);
  if (m) return [0, 1, 2].map((i) => parseInt(m![1][i] + m![1][i], 16)) as Rgb;
  m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/i.exec(t);
  if (m) return [0, 2, 4].map((i) => parseInt(m![1].slice(i, i + 2), 16)) as Rgb;
  m = /^rgba?\(\s*([\d.]+)[ ,]+([\d.]+)[ ,]+([\d.]+)/i.exec(t);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  return null;
}

// toHex, interpolate and luminance run for every well of the heat map's first drawing, before the optimiser has seen
// them: plain arithmetic, no callbacks (with `map` they took two thirds of the heat map markup's time).

const hexByte = (v: number): string => {
  const b = Math.max(0, Math.min(255, Math.round(v)));
  return (b < 16 ? '0' : '') + b.toString(16);
};

export function toHex(c: Rgb): string {
  return '#' + hexByte(c[0]) + hexByte(c[1]) + hexByte(c[2]);
}

/** Linear interpolation through colour stops; `t` in [0, 1] (clamped). */
export function interpolate(stops: readonly Rgb[], t: number): Rgb {
  if (stops.length === 1) return stops[0];
  const x = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0)) * (stops.length - 1);
  const i = Math.min(Math.floor(x), stops.length - 2);
  const f = x - i;
  const a = stops[i], b = stops[i + 1];
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

/** A colour channel (0–255) as linear light, for `luminance`. */
function linear(v: number): number {
  const s = v / 255;
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance. */
export function luminance(c: Rgb): number {
  return 0.2126 * linear(c[0]) + 0.7152 * linear(c[1]) + 0.0722 * linear(c[2]);
}

/** Black or white, whichever reads better on `bg`. */
export function textColorOn(bg: Rgb): '#000000' | '#ffffff' {
  return luminance(bg) > 0.179 ? '#000000' : '#ffffff';
}

/**
 * Position of a Cq on the colour scale: 0 at the lowest Cq (most template), 1 at the highest.
 * A flat range maps to 0.5.
 */
export function scalePosition(cq: number, min: number, max: number): number {
  if (!(max > min)) return 0.5;
  return (cq - min) / (max - min);
}

/** Min and max Cq of the wells that have one (omitted wells included: they are still drawn). */
export function cqExtent(wells: readonly PlateWellView[]): { min: number; max: number } | null {
  let min = Infinity;
  let max = -Infinity;
  for (const w of wells) {
    if (w.cq === null) continue;
    min = Math.min(min, w.cq);
    max = Math.max(max, w.cq);
  }
  return min <= max ? { min, max } : null;
}

export function formatCq(cq: number | null, digits = 2): string {
  return cq === null ? '' : cq.toFixed(digits);
}

/** Readable name of a delimiter. */
export function delimiterName(d: string): string {
  switch (d) {
    case '\t': return 'tab';
    case ',': return 'comma';
    case ';': return 'semicolon';
    case ' ': return 'space';
    case '|': return 'pipe';
    default: return JSON.stringify(d);
  }
}

export function lineEndingName(le: string): string {
  switch (le) {
    case '\n': return 'LF';
    case '\r\n': return 'CRLF';
    case '\r': return 'CR';
    default: return le;
  }
}

/** The issues that mention a well, worst first. */
export function issuesForWell(issues: readonly PlateIssueView[], well: number): PlateIssueView[] {
  const rank = { error: 0, warning: 1, info: 2, hint: 3 } as const;
  return issues.filter((i) => i.wells.includes(well)).sort((a, b) => rank[a.severity] - rank[b.severity]);
}

/** Worst severity among the issues of each well. */
export function worstSeverityByWell(issues: readonly PlateIssueView[]): Map<number, PlateIssueView['severity']> {
  const rank = { error: 0, warning: 1, info: 2, hint: 3 } as const;
  const out = new Map<number, PlateIssueView['severity']>();
  for (const i of issues) {
    for (const w of i.wells) {
      const cur = out.get(w);
      if (cur === undefined || rank[i.severity] < rank[cur]) out.set(w, i.severity);
    }
  }
  return out;
}

/** Plain-text tooltip of a well. */
export function wellTooltip(w: PlateWellView, issues: readonly PlateIssueView[]): string[] {
  const lines = [
    `${w.position ?? `row ${w.line + 1}`} · ${w.sample || '(no sample)'} · ${w.target || '(no target)'}`,
    `Cq: ${w.cq === null ? `no Cq (${w.cqText || 'empty'})` : w.cqText}${w.omitted ? ' · omitted' : ''}`,
    `Task: ${w.task}`,
  ];
  if (w.flags.length) lines.push(`Flags: ${w.flags.join(', ')}`);
  for (const i of issuesForWell(issues, w.index)) lines.push(`${i.severity}: ${i.message}`);
  return lines;
}

/** Versioned view state kept by the webview (`vscode.setState`). */
export interface PlateViewState {
  v: 1;
  target?: string;
  wellSort?: { key: string; dir: SortDir };
  groupSort?: { key: string; dir: SortDir };
  selected?: number;
}

/** Validates possibly stale persisted state against the current plate; drops what no longer applies. */
export function sanitizeViewState(raw: unknown, state: PlateState | null): PlateViewState {
  const out: PlateViewState = { v: 1 };
  if (!raw || typeof raw !== 'object' || (raw as { v?: unknown }).v !== 1) return out;
  const r = raw as Partial<PlateViewState>;
  const sortOk = (s: unknown): s is { key: string; dir: SortDir } =>
    !!s && typeof s === 'object' && typeof (s as { key?: unknown }).key === 'string' && ((s as { dir?: unknown }).dir === 'asc' || (s as { dir?: unknown }).dir === 'desc');
  if (sortOk(r.wellSort)) out.wellSort = r.wellSort;
  if (sortOk(r.groupSort)) out.groupSort = r.groupSort;
  if (state) {
    if (typeof r.target === 'string' && (r.target === ALL_TARGETS || state.wells.some((w) => w.target === r.target))) out.target = r.target;
    if (typeof r.selected === 'number' && r.selected >= 0 && r.selected < state.wells.length) out.selected = r.selected;
  }
  return out;
}

// ---------- standard curves and outliers ----------

/** "Nice" axis ticks covering [min, max] (steps 1, 2, 2.5 or 5 × 10^k), about `count` of them. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (max < min) [min, max] = [max, min];
  if (max === min) { min -= 1; max += 1; }
  const raw = (max - min) / Math.max(1, count);
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(min / step - 1e-9) * step; v <= max + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
  return out;
}

/** Data extent of a standard curve's plot: x = log10 quantity, y = Cq, padded so points do not sit on the frame. */
export function curveExtent(c: Pick<StandardCurveView, 'points'>): { x: [number, number]; y: [number, number] } | null {
  if (c.points.length === 0) return null;
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (const p of c.points) {
    x0 = Math.min(x0, p.log10q); x1 = Math.max(x1, p.log10q);
    y0 = Math.min(y0, p.cq); y1 = Math.max(y1, p.cq);
  }
  const px = Math.max((x1 - x0) * 0.06, 0.25);
  const py = Math.max((y1 - y0) * 0.08, 0.5);
  return { x: [x0 - px, x1 + px], y: [y0 - py, y1 + py] };
}

const SUPERSCRIPT: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };

/** 10 to an integer power as text: 10⁶, 10⁻². */
export function powerOfTen(k: number): string {
  return '10' + String(Math.round(k)).split('').map((ch) => SUPERSCRIPT[ch] ?? ch).join('');
}

/**
 * Ticks of a log10 quantity axis from `x0` to `x1` (log10 units), each labelled with the quantity itself: whole decades
 * (10², 10³ ...) when the axis spans two decades or more, else 1-2-5 steps (200, 500, 1000 ...) so a narrow standard
 * curve still gets several ticks and no label mixes log values with quantities.
 */
export function logQuantityTicks(x0: number, x1: number): { at: number; label: string }[] {
  if (!(Number.isFinite(x0) && Number.isFinite(x1)) || x1 <= x0) return [];
  const eps = 1e-9;
  if (x1 - x0 >= 2) {
    const out: { at: number; label: string }[] = [];
    for (let k = Math.ceil(x0 - eps); k <= x1 + eps; k++) out.push({ at: k, label: powerOfTen(k) });
    return out;
  }
  const out: { at: number; label: string }[] = [];
  for (let k = Math.floor(x0) - 1; k <= Math.ceil(x1); k++) {
    for (const m of [1, 2, 5]) {
      const at = k + Math.log10(m);
      if (at >= x0 - eps && at <= x1 + eps) out.push({ at, label: formatQuantity(m * Math.pow(10, k)) });
    }
  }
  return out;
}

/** A quantity (copies, dilution ...) readably: 0.125, 312.5, 1e+07 stays 1.0 × 10⁷. */
export function formatQuantity(q: number | null): string {
  if (q === null || !Number.isFinite(q)) return '—';
  if (q !== 0 && (Math.abs(q) >= 1e5 || Math.abs(q) < 1e-3)) {
    const k = Math.floor(Math.log10(Math.abs(q)));
    const m = q / Math.pow(10, k);
    return `${Number(m.toPrecision(3))} × ${powerOfTen(k)}`;
  }
  return String(Number(q.toPrecision(4)));
}

/** `91.1 % (95 % CI 89.0–93.4)`; `—` when undefined. */
export function formatEfficiency(c: Pick<StandardCurveView, 'efficiencyPercent' | 'efficiencyPercentCi'>): string {
  if (c.efficiencyPercent === null) return '—';
  const ci = c.efficiencyPercentCi ? ` (95 % CI ${c.efficiencyPercentCi[0].toFixed(1)}–${c.efficiencyPercentCi[1].toFixed(1)})` : '';
  return `${c.efficiencyPercent.toFixed(1)} %${ci}`;
}

/** The engine's reason per flagged well (empty when screening is off). */
export function outlierReasons(o: OutlierView | undefined): Map<number, string> {
  return new Map((o?.wells ?? []).map((w) => [w.well, w.reason]));
}

/** Outlier wells of a replicate group as `A3 (reason)` lines, and the group's ambiguity note if any. */
export function groupOutlierText(g: Pick<ReplicateGroup, 'wells'>, wells: readonly PlateWellView[], o: OutlierView | undefined): string {
  if (!o) return '';
  const reasons = outlierReasons(o);
  const parts = g.wells.filter((i) => reasons.has(i)).map((i) => `${wells[i]?.position ?? `#${i + 1}`}: ${reasons.get(i)}`);
  for (const a of o.ambiguous) if (g.wells.includes(a.well)) parts.push(a.message);
  return parts.join('; ');
}

/** Short description of the outlier rule in use. */
export function outlierRuleText(o: OutlierView | undefined): string {
  if (!o || o.method === 'none') return 'outlier screening off (setting qpcr.outliers.method)';
  return o.method === 'grubbs' ? `Grubbs outliers, alpha ${o.alpha}` : `outliers farther than ${o.distance} cycles from the median of the other replicates`;
}
