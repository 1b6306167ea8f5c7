/**
 * A small SVG serialiser of a ChartSpec (PURE: builds a string, no DOM). Real vector output: axes, ticks, grid,
 * every series as paths/circles/rects/text, legend and footer rows, clipped to the plot area.
 */
import { niceTicks } from '../report/format';
import { axisExtent, markerOverflow, resolveColour, type AxisSpec, type ChartSpec, type Marker, type Series, type ThemeColours, type Tick } from './chartSpec';
import { logTicks } from './specs';

/** Escapes text for SVG/XML content and attribute values. */
export function xmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

const n2 = (x: number) => (Math.round(x * 100) / 100).toString();

export interface Scale { (v: number): number; ticks: Tick[]; lo: number; hi: number }

export function makeScale(a: AxisSpec, ext: [number, number], p0: number, p1: number): Scale {
  const [lo, hi] = ext;
  const log = a.type === 'log' && lo > 0;
  const f = log ? Math.log : (v: number) => v;
  const flo = f(lo), fhi = f(hi);
  const s = ((v: number) => p0 + ((f(v) - flo) / (fhi - flo || 1)) * (p1 - p0)) as Scale;
  s.lo = lo; s.hi = hi;
  s.ticks = a.ticks ?? (log ? logTicks(lo, hi) : niceTicks(lo, hi, 6).filter((v) => v >= lo - 1e-9 && v <= hi + 1e-9).map((v) => ({ value: v, label: String(Number(v.toPrecision(6))) })));
  return s;
}

/** Layout shared with the canvas renderer: margins in px. */
export function layout(spec: ChartSpec): { left: number; right: number; top: number; bottom: number; legendRows: string[][] } {
  const labels = spec.legend === false ? [] : spec.series.flatMap((s) => ('label' in s && s.label ? [s.label] : []));
  const legendRows: string[][] = [];
  let row: string[] = [], w = 0;
  for (const l of labels) {
    const lw = 28 + 7 * l.length;
    if (row.length && w + lw > spec.width - 40) { legendRows.push(row); row = []; w = 0; }
    row.push(l); w += lw;
  }
  if (row.length) legendRows.push(row);
  const top = 26 + (spec.subtitle ? 18 : 0) + 18 * legendRows.length + 8;
  const footer = spec.footer ? 24 + 18 * spec.footer.rows.length : 0;
  const bottom = (spec.x.hidden ? 10 : 48) + footer;
  return { left: spec.padLeft ?? (spec.y.hidden ? 10 : 70), right: 20, top, bottom, legendRows };
}

function path(pts: { x: number; y: number }[], step: boolean): string {
  let d = '';
  pts.forEach((p, i) => {
    if (i === 0) d += `M${n2(p.x)} ${n2(p.y)}`;
    else if (step) d += `H${n2(p.x)}V${n2(p.y)}`;
    else d += `L${n2(p.x)} ${n2(p.y)}`;
  });
  return d;
}

/** One marker centred on (x, y) of radius rr. */
function markerSvg(marker: Marker | undefined, x: number, y: number, rr: number, c: string, op: string, lw: string, bg: string): string {
  switch (marker) {
    case 'tick': return `<path d="M${n2(x)} ${n2(y - rr)}V${n2(y + rr)}" stroke="${c}" stroke-width="${lw}"/>`;
    case 'square': return `<rect x="${n2(x - rr)}" y="${n2(y - rr)}" width="${n2(2 * rr)}" height="${n2(2 * rr)}" fill="${c}"${op}/>`;
    case 'diamond': return `<path d="M${n2(x)} ${n2(y - rr)}L${n2(x + rr)} ${n2(y)}L${n2(x)} ${n2(y + rr)}L${n2(x - rr)} ${n2(y)}Z" fill="${c}" stroke="${bg}" stroke-width="1"/>`;
    case 'triangle': return `<path d="M${n2(x)} ${n2(y - rr * 1.15)}L${n2(x + rr)} ${n2(y + rr * 0.75)}L${n2(x - rr)} ${n2(y + rr * 0.75)}Z" fill="${c}"${op}/>`;
    case 'cross': return `<path d="M${n2(x - rr)} ${n2(y - rr)}L${n2(x + rr)} ${n2(y + rr)}M${n2(x - rr)} ${n2(y + rr)}L${n2(x + rr)} ${n2(y - rr)}" stroke="${c}" stroke-width="${lw}"/>`;
    default: return `<circle cx="${n2(x)}" cy="${n2(y)}" r="${n2(rr)}" fill="${c}"${op}/>`;
  }
}

function seriesSvg(s: Series, X: Scale, Y: Scale, t: ThemeColours): string {
  const c = resolveColour(s.colour, t);
  const lw = (w: number | undefined) => n2((w ?? 1.5) * t.lineScale);
  switch (s.type) {
    case 'line': {
      const d = path(s.points.map((p) => ({ x: X(p.x), y: Y(p.y) })), !!s.step);
      return d ? `<path d="${d}" fill="none" stroke="${c}" stroke-width="${lw(s.width)}"${s.dash ? ` stroke-dasharray="${s.dash.join(' ')}"` : ''}/>` : '';
    }
    case 'scatter': {
      const r = s.size ?? 3.5;
      const op = s.opacity !== undefined ? ` fill-opacity="${s.opacity}"` : '';
      return s.points.map((p, i) => markerSvg(s.marker, X(p.x), Y(p.y), s.sizes?.[i] ?? r, c, op, lw(1.5), t.bg)).join('');
    }
    case 'band': {
      if (!s.points.length) return '';
      const up = path(s.points.map((p) => ({ x: X(p.x), y: Y(p.hi) })), !!s.step);
      const downPts = s.points.map((p) => ({ x: X(p.x), y: Y(p.lo) })).reverse();
      let d = up;
      downPts.forEach((p, i) => {
        if (i === 0) d += `L${n2(p.x)} ${n2(p.y)}`;
        else if (s.step) d += `V${n2(p.y)}H${n2(p.x)}`;
        else d += `L${n2(p.x)} ${n2(p.y)}`;
      });
      return `<path d="${d}Z" fill="${c}" fill-opacity="${s.opacity ?? 0.15}" stroke="none"/>`;
    }
    case 'segments': {
      const d = s.segments.map((g) => `M${n2(X(g[0]))} ${n2(Y(g[1]))}L${n2(X(g[2]))} ${n2(Y(g[3]))}`).join('');
      return d ? `<path d="${d}" fill="none" stroke="${c}" stroke-width="${lw(s.width ?? 1)}"${s.dash ? ` stroke-dasharray="${s.dash.join(' ')}"` : ''}${s.opacity !== undefined ? ` stroke-opacity="${s.opacity}"` : ''}/>` : '';
    }
    case 'rects':
      return s.rects.map((g) => {
        const x0 = Math.min(X(g[0]), X(g[2])), x1 = Math.max(X(g[0]), X(g[2])), y0 = Math.min(Y(g[1]), Y(g[3])), y1 = Math.max(Y(g[1]), Y(g[3]));
        return `<rect x="${n2(x0)}" y="${n2(y0)}" width="${n2(x1 - x0)}" height="${n2(y1 - y0)}" fill="${c}" fill-opacity="${s.fillOpacity ?? 0.3}" stroke="${c}"/>`;
      }).join('');
    case 'text':
      return s.texts.map((tx) => {
        const anchor = tx.align === 'right' ? 'end' : tx.align === 'center' ? 'middle' : 'start';
        const base = tx.baseline === 'top' ? 'hanging' : tx.baseline === 'bottom' ? 'auto' : 'middle';
        return `<text x="${n2(X(tx.x) + (tx.dx ?? 0))}" y="${n2(Y(tx.y) + (tx.dy ?? 0))}" fill="${c}" text-anchor="${anchor}" dominant-baseline="${base}"${tx.bold ? ' font-weight="bold"' : ''}>${xmlEscape(tx.text)}</text>`;
      }).join('');
  }
}

/** Serialisation options: a physical size for the root element (journal figures: "85mm") and an id prefix. */
export interface SvgOptions {
  /** width and height attributes (e.g. "85mm"); the viewBox stays in layout units. Default: the px size. */
  size?: { width: string; height: string };
  /** Prefix of the clip-path ids, unique per chart when several charts share one document (multi-panel figures). */
  idPrefix?: string;
  /** Position inside an enclosing SVG (a panel of a multi-panel figure): x and y attributes, no xmlns. */
  at?: { x: number; y: number };
}

/** The plot area in layout units and the chart's two scales. */
interface Frame { px0: number; px1: number; py0: number; py1: number; X: Scale; Y: Scale }

/** The chart as a standalone SVG document. */
export function chartToSvg(spec: ChartSpec, t: ThemeColours, so: SvgOptions = {}): string {
  const L = layout(spec);
  const W = spec.width, H = spec.height;
  const px0 = L.left, px1 = W - L.right, py0 = L.top, py1 = H - L.bottom;
  const f: Frame = { px0, px1, py0, py1, X: makeScale(spec.x, axisExtent(spec, 'x'), px0, px1), Y: makeScale(spec.y, axisExtent(spec, 'y'), py1, py0) };
  const o: string[] = [];
  const where = so.at ? `x="${n2(so.at.x)}" y="${n2(so.at.y)}"` : 'xmlns="http://www.w3.org/2000/svg"';
  o.push(`<svg ${where} width="${so.size?.width ?? W}" height="${so.size?.height ?? H}" viewBox="0 0 ${W} ${H}" font-family="${xmlEscape(t.font)}" font-size="12">`);
  o.push(`<title>${xmlEscape(spec.title)}</title>`);
  o.push(`<rect width="${W}" height="${H}" fill="${t.bg}"/>`);
  o.push(`<text x="${W / 2}" y="18" text-anchor="middle" font-size="14" font-weight="bold" fill="${t.fg}">${xmlEscape(spec.title)}</text>`);
  if (spec.subtitle) o.push(`<text x="${W / 2}" y="36" text-anchor="middle" fill="${t.muted}">${xmlEscape(spec.subtitle)}</text>`);
  legendSvg(o, spec, L.legendRows, t);
  if (!spec.x.hidden) xAxisSvg(o, spec, f, t);
  if (!spec.y.hidden) yAxisSvg(o, spec, f, t);
  seriesGroupsSvg(o, spec, f, t, `${so.idPrefix ?? ''}clip-${spec.id.replace(/[^\w-]/g, '_')}`);
  if (spec.footer) footerSvg(o, spec.footer, f, t);
  o.push('</svg>');
  return o.join('\n') + '\n';
}

/** The legend rows (layout's), centred under the title: each labelled series' swatch, then its label. */
function legendSvg(o: string[], spec: ChartSpec, legendRows: string[][], t: ThemeColours): void {
  const labelled = spec.series.filter((s) => 'label' in s && s.label);
  let ly = 26 + (spec.subtitle ? 18 : 0) + 10;
  let k = 0;
  for (const row of legendRows) {
    let lx = Math.max(8, (spec.width - row.reduce((s, l) => s + 28 + 7 * l.length, 0)) / 2);
    for (const label of row) {
      const s = labelled[k++];
      const c = resolveColour(s.colour, t);
      o.push(s.type === 'scatter' ? markerSvg(s.marker, lx + 5, ly, 4, c, '', '1.5', t.bg) : s.type === 'rects' ? `<rect x="${n2(lx)}" y="${n2(ly - 5)}" width="10" height="10" fill="${c}"/>` : `<path d="M${n2(lx)} ${n2(ly)}h18" stroke="${c}" stroke-width="2.5"${'dash' in s && s.dash ? ` stroke-dasharray="${s.dash.join(' ')}"` : ''}/>`);
      o.push(`<text x="${n2(lx + 22)}" y="${n2(ly)}" dominant-baseline="middle" fill="${t.fg}">${xmlEscape(label)}</text>`);
      lx += 28 + 7 * label.length;
    }
    ly += 18;
  }
}

/** The x axis: grid lines, ticks and their labels, the axis line and its title. */
function xAxisSvg(o: string[], spec: ChartSpec, { px0, px1, py0, py1, X }: Frame, t: ThemeColours): void {
  for (const tk of X.ticks) {
    const x = X(tk.value);
    if (spec.x.grid !== false) o.push(`<path d="M${n2(x)} ${n2(py0)}V${n2(py1)}" stroke="${t.grid}" stroke-width="1"/>`);
    o.push(`<path d="M${n2(x)} ${n2(py1)}v5" stroke="${t.muted}"/>`);
    o.push(`<text x="${n2(x)}" y="${n2(py1 + 18)}" text-anchor="middle" fill="${t.fg}">${xmlEscape(tk.label)}</text>`);
  }
  o.push(`<path d="M${n2(px0)} ${n2(py1)}H${n2(px1)}" stroke="${t.muted}"/>`);
  if (spec.x.label) o.push(`<text x="${n2((px0 + px1) / 2)}" y="${n2(py1 + 38)}" text-anchor="middle" fill="${t.fg}">${xmlEscape(spec.x.label)}</text>`);
}

/** The y axis: grid lines, ticks and their labels, the axis line and its title (rotated). */
function yAxisSvg(o: string[], spec: ChartSpec, { px0, px1, py0, py1, Y }: Frame, t: ThemeColours): void {
  for (const tk of Y.ticks) {
    const y = Y(tk.value);
    if (spec.y.grid !== false) o.push(`<path d="M${n2(px0)} ${n2(y)}H${n2(px1)}" stroke="${t.grid}" stroke-width="1"/>`);
    o.push(`<path d="M${n2(px0 - 5)} ${n2(y)}h5" stroke="${t.muted}"/>`);
    o.push(`<text x="${n2(px0 - 8)}" y="${n2(y)}" text-anchor="end" dominant-baseline="middle" fill="${t.fg}">${xmlEscape(tk.label)}</text>`);
  }
  o.push(`<path d="M${n2(px0)} ${n2(py0)}V${n2(py1)}" stroke="${t.muted}"/>`);
  if (spec.y.label) o.push(`<text transform="translate(${n2(14)} ${n2((py0 + py1) / 2)}) rotate(-90)" text-anchor="middle" fill="${t.fg}">${xmlEscape(spec.y.label)}</text>`);
}

/**
 * The series, clipped to the plot area (text is not clipped: nomogram labels sit left of it). Markers on the edge of
 * the plot area are drawn whole: a scatter series' clip is wider by its marker size.
 */
function seriesGroupsSvg(o: string[], spec: ChartSpec, { px0, px1, py0, py1, X, Y }: Frame, t: ThemeColours, clipId: string): void {
  o.push(`<defs><clipPath id="${clipId}"><rect x="${n2(px0)}" y="${n2(py0)}" width="${n2(px1 - px0)}" height="${n2(py1 - py0)}"/></clipPath></defs>`);
  const scatterIds = new Map<number, string>();
  for (const s of spec.series) {
    if (s.type !== 'scatter') continue;
    const m = markerOverflow(s);
    if (!scatterIds.has(m)) {
      scatterIds.set(m, `${clipId}-m${m}`);
      o.push(`<defs><clipPath id="${clipId}-m${m}"><rect x="${n2(px0 - m)}" y="${n2(py0 - m)}" width="${n2(px1 - px0 + 2 * m)}" height="${n2(py1 - py0 + 2 * m)}"/></clipPath></defs>`);
    }
  }
  for (const s of spec.series) {
    const body = seriesSvg(s, X, Y, t);
    const clip = s.type === 'scatter' ? scatterIds.get(markerOverflow(s)) : clipId;
    if (body) o.push(s.type === 'text' ? `<g>${body}</g>` : `<g clip-path="url(#${clip})">${body}</g>`);
  }
}

/** The footer under the x axis (a KM plot's numbers at risk): its title, then a row per group, cells at x ticks. */
function footerSvg(o: string[], footer: NonNullable<ChartSpec['footer']>, { px0, py1, X }: Frame, t: ThemeColours): void {
  let fy = py1 + 60;
  o.push(`<text x="8" y="${n2(fy)}" font-weight="bold" fill="${t.fg}">${xmlEscape(footer.title)}</text>`);
  for (const row of footer.rows) {
    fy += 18;
    if (row.heading) { o.push(`<text x="8" y="${n2(fy)}" font-weight="bold" fill="${t.fg}">${xmlEscape(row.label)}</text>`); continue; }
    o.push(`<text x="${n2(px0 - 20)}" y="${n2(fy)}" text-anchor="end" fill="${typeof row.colour === 'number' && row.colour < 0 ? t.fg : resolveColour(row.colour, t)}">${xmlEscape(row.label)}</text>`);
    for (const c of row.cells) o.push(`<text x="${n2(X(c.x))}" y="${n2(fy)}" text-anchor="middle" fill="${t.fg}">${xmlEscape(c.text)}</text>`);
  }
}
