/**
 * Draws a ChartSpec with chart.js 4 (tree-shaken: the scatter controller with line/point elements, linear and
 * logarithmic scales, legend and tooltip). Bands, segments, rectangles, text and the numbers-at-risk footer are
 * drawn by one small plugin in data coordinates, so the canvas shows exactly what svg.ts serialises.
 */
import {
  Chart, Legend, LinearScale, LineElement, LogarithmicScale, PointElement, ScatterController, SubTitle, Title, Tooltip,
  type ChartConfiguration, type ChartDataset, type Plugin, type Scale,
} from 'chart.js';
import { axisExtent, footerHeight, markerOverflow, resolveColour, type AxisSpec, type ChartSpec, type Series, type ThemeColours } from '../../src/shared/charts/chartSpec';
import { fmtNum } from '../../src/shared/report/format';

Chart.register(ScatterController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Title, SubTitle, Tooltip);

type Ds = ChartDataset<'scatter', { x: number; y: number; id?: string }[]>;

function alpha(colour: string, a: number): string {
  const m = /^#([0-9a-f]{6})$/i.exec(colour);
  if (!m) return colour;
  const n = parseInt(m[1], 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${a})`;
}

function dataset(s: Series, t: ThemeColours): Ds | null {
  const c = resolveColour(s.colour, t);
  const lw = t.lineScale;
  switch (s.type) {
    case 'line':
      return { label: s.label ?? '', data: s.points, showLine: true, stepped: s.step ? 'after' : false, borderColor: c, backgroundColor: c, borderWidth: (s.width ?? 1.5) * lw,
        borderDash: s.dash, pointRadius: 0, pointHitRadius: 4, pointStyle: 'line', tension: 0 };
    case 'scatter': {
      const style = s.marker === 'tick' ? 'line' : s.marker === 'diamond' ? 'rectRot' : s.marker === 'square' ? 'rect' : s.marker === 'triangle' ? 'triangle' : s.marker === 'cross' ? 'crossRot' : 'circle';
      return { label: s.label ?? '', data: s.points, showLine: false, pointStyle: style, pointRotation: s.marker === 'tick' ? 90 : 0,
        pointRadius: s.sizes ?? s.size ?? 3.5, pointHoverRadius: (s.size ?? 3.5) + 2, borderColor: s.marker === 'diamond' ? t.bg : c,
        backgroundColor: s.opacity !== undefined ? alpha(c, s.opacity) : c, borderWidth: s.marker === 'tick' ? 1.5 * lw : 1,
        // a marker on the edge of the plot area is drawn whole (markerOverflow px beyond it)
        clip: markerOverflow(s) };
    }
    default:
      // drawn by the plugin; an empty dataset keeps a legend entry for labelled series
      if (!('label' in s) || !s.label) return null;
      return { label: s.label, data: [], showLine: true, borderColor: c, backgroundColor: s.type === 'rects' ? alpha(c, 0.7) : c, borderWidth: 2 * lw,
        borderDash: 'dash' in s ? s.dash : undefined, pointStyle: s.type === 'rects' ? 'rect' : 'line' };
  }
}

function drawSeries(ctx: CanvasRenderingContext2D, s: Series, X: Scale, Y: Scale, t: ThemeColours): void {
  const c = resolveColour(s.colour, t);
  const px = (v: number) => X.getPixelForValue(v), py = (v: number) => Y.getPixelForValue(v);
  ctx.save();
  switch (s.type) {
    case 'band': {
      if (!s.points.length) break;
      ctx.beginPath();
      s.points.forEach((p, i) => {
        if (i === 0) ctx.moveTo(px(p.x), py(p.hi));
        else if (s.step) { ctx.lineTo(px(p.x), py(s.points[i - 1].hi)); ctx.lineTo(px(p.x), py(p.hi)); } else ctx.lineTo(px(p.x), py(p.hi));
      });
      for (let i = s.points.length - 1; i >= 0; i--) {
        const p = s.points[i];
        if (i === s.points.length - 1) ctx.lineTo(px(p.x), py(p.lo));
        else if (s.step) { ctx.lineTo(px(s.points[i + 1].x), py(p.lo)); ctx.lineTo(px(p.x), py(p.lo)); } else ctx.lineTo(px(p.x), py(p.lo));
      }
      ctx.closePath();
      ctx.fillStyle = alpha(c, s.opacity ?? 0.15);
      ctx.fill();
      break;
    }
    case 'segments':
      ctx.strokeStyle = c;
      ctx.lineWidth = (s.width ?? 1) * t.lineScale;
      ctx.globalAlpha = s.opacity ?? 1;
      ctx.setLineDash(s.dash ?? []);
      ctx.beginPath();
      for (const g of s.segments) { ctx.moveTo(px(g[0]), py(g[1])); ctx.lineTo(px(g[2]), py(g[3])); }
      ctx.stroke();
      break;
    case 'rects':
      for (const g of s.rects) {
        const x0 = px(g[0]), x1 = px(g[2]), y0 = py(g[1]), y1 = py(g[3]);
        ctx.fillStyle = alpha(c, s.fillOpacity ?? 0.3);
        ctx.fillRect(Math.min(x0, x1), Math.min(y0, y1), Math.abs(x1 - x0), Math.abs(y1 - y0));
        ctx.strokeStyle = c;
        ctx.lineWidth = t.lineScale;
        ctx.strokeRect(Math.min(x0, x1), Math.min(y0, y1), Math.abs(x1 - x0), Math.abs(y1 - y0));
      }
      break;
    case 'text':
      ctx.fillStyle = c;
      for (const tx of s.texts) {
        ctx.font = `${tx.bold ? 'bold ' : ''}12px ${t.font}`;
        ctx.textAlign = tx.align ?? 'left';
        ctx.textBaseline = tx.baseline === 'top' ? 'top' : tx.baseline === 'bottom' ? 'bottom' : 'middle';
        ctx.fillText(tx.text, px(tx.x) + (tx.dx ?? 0), py(tx.y) + (tx.dy ?? 0));
      }
      break;
    case 'line': case 'scatter': break;
  }
  ctx.restore();
}

function specPlugin(spec: ChartSpec, t: ThemeColours): Plugin<'scatter'> {
  return {
    id: 'qpcrSpec',
    beforeDraw(chart) {
      const { ctx, width, height } = chart;
      ctx.save();
      ctx.fillStyle = t.bg;
      ctx.fillRect(0, 0, width, height);
      ctx.restore();
    },
    beforeDatasetsDraw(chart) {
      const X = chart.scales.x, Y = chart.scales.y, a = chart.chartArea;
      const ctx = chart.ctx;
      ctx.save();
      ctx.beginPath();
      ctx.rect(a.left, a.top, a.right - a.left, a.bottom - a.top);
      ctx.clip();
      for (const s of spec.series) if (s.type !== 'text') drawSeries(ctx, s, X, Y, t);
      ctx.restore();
    },
    afterDatasetsDraw(chart) {
      const X = chart.scales.x, Y = chart.scales.y;
      for (const s of spec.series) if (s.type === 'text') drawSeries(chart.ctx, s, X, Y, t);
      const f = spec.footer;
      if (!f) return;
      const ctx = chart.ctx;
      ctx.save();
      ctx.font = `12px ${t.font}`;
      let y = X.bottom + 22;
      ctx.fillStyle = t.fg;
      ctx.textAlign = 'left';
      ctx.textBaseline = 'middle';
      ctx.font = `bold 12px ${t.font}`;
      ctx.fillText(f.title, 8, y);
      ctx.font = `12px ${t.font}`;
      for (const row of f.rows) {
        y += 18;
        if (row.heading) {
          ctx.textAlign = 'left';
          ctx.fillStyle = t.fg;
          ctx.font = `bold 12px ${t.font}`;
          ctx.fillText(row.label, 8, y);
          ctx.font = `12px ${t.font}`;
          continue;
        }
        ctx.textAlign = 'right';
        ctx.fillStyle = typeof row.colour === 'number' && row.colour < 0 ? t.fg : resolveColour(row.colour, t);
        ctx.fillText(row.label, chart.chartArea.left - 20, y);
        ctx.textAlign = 'center';
        ctx.fillStyle = t.fg;
        for (const c of row.cells) ctx.fillText(c.text, X.getPixelForValue(c.x), y);
      }
      ctx.restore();
    },
  };
}

function scaleOptions(a: AxisSpec, ext: [number, number], t: ThemeColours) {
  const labels = a.ticks ? new Map(a.ticks.map((tk) => [tk.value, tk.label])) : null;
  return {
    type: a.type === 'log' ? 'logarithmic' as const : 'linear' as const,
    min: ext[0], max: ext[1],
    display: !a.hidden,
    title: { display: !!a.label, text: a.label, color: t.fg, font: { family: t.font, size: 12 } },
    grid: { display: a.grid !== false, color: t.grid },
    border: { color: t.muted },
    ticks: {
      color: t.fg, font: { family: t.font, size: 12 }, autoSkip: !labels,
      callback: (v: number | string) => (labels ? labels.get(Number(v)) ?? '' : fmtNum(Number(v), 4)),
    },
    afterBuildTicks: labels ? (axis: Scale) => { axis.ticks = a.ticks!.map((tk) => ({ value: tk.value })); } : undefined,
  };
}

/** Creates the chart on `canvas`; the caller destroys it. */
export function drawChart(canvas: HTMLCanvasElement, spec: ChartSpec, t: ThemeColours): Chart<'scatter'> {
  const datasets = spec.series.map((s) => dataset(s, t)).filter((d): d is Ds => d !== null);
  const footer = footerHeight(spec.footer);
  const config: ChartConfiguration<'scatter', { x: number; y: number; id?: string }[]> = {
    type: 'scatter',
    data: { datasets },
    options: {
      responsive: true, maintainAspectRatio: true, aspectRatio: spec.width / spec.height,
      devicePixelRatio: Math.max(2, globalThis.devicePixelRatio || 1),
      animation: false,
      // room left of the y axis for the footer's row labels (chart.js sizes the axis itself)
      layout: { padding: { left: spec.footer ? Math.max(0, 7 * Math.max(0, ...spec.footer.rows.filter((r) => !r.heading).map((r) => r.label.length)) + 28 - 55) : 0, bottom: footer, right: 12 } },
      scales: { x: scaleOptions(spec.x, axisExtent(spec, 'x'), t), y: scaleOptions(spec.y, axisExtent(spec, 'y'), t) },
      plugins: {
        title: { display: true, text: spec.title, color: t.fg, font: { family: t.font, size: 14, weight: 'bold' } },
        subtitle: { display: !!spec.subtitle, text: spec.subtitle ?? '', color: t.muted, font: { family: t.font, size: 12 }, padding: { bottom: 6 } },
        legend: {
          display: spec.legend !== false && datasets.some((d) => d.label), position: 'top',
          labels: { color: t.fg, font: { family: t.font, size: 12 }, usePointStyle: true, filter: (item) => !!item.text },
        },
        tooltip: {
          filter: (item) => (item.dataset as Ds).data.length > 0 && !!(item.dataset.label || (item.raw as { id?: string }).id),
          callbacks: {
            label: (item) => {
              const p = item.raw as { x: number; y: number; id?: string };
              return `${p.id ? `${p.id}: ` : item.dataset.label ? `${item.dataset.label}: ` : ''}(${fmtNum(p.x, 4)}, ${fmtNum(p.y, 4)})`;
            },
          },
        },
      },
    },
    plugins: [specPlugin(spec, t)],
  };
  return new Chart(canvas, config);
}
