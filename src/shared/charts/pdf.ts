/**
 * A small vector PDF writer (PURE: returns bytes, no DOM, no dependency) for the SVG that svg.ts and panels.ts
 * write: the same figure as paths, circles (Bézier), rectangles and text in Helvetica / Helvetica-Bold (standard-14
 * fonts, laid out with their AFM widths: pdfFont.ts), with clip rectangles, dashes and opacity. It reads only the
 * SVG subset those serialisers produce (svg, g, defs/clipPath/rect, rect, circle, path with M L H V h v Z, text with
 * translate/rotate transforms); anything else in the input is ignored, never an error.
 */
import { codeWidth, winAnsiCodes } from './pdfFont';
import { append } from '../append';

type M = [number, number, number, number, number, number];
const mul = (a: M, b: M): M => [a[0] * b[0] + a[2] * b[1], a[1] * b[0] + a[3] * b[1], a[0] * b[2] + a[2] * b[3], a[1] * b[2] + a[3] * b[3], a[0] * b[4] + a[2] * b[5] + a[4], a[1] * b[4] + a[3] * b[5] + a[5]];
const apply = (m: M, x: number, y: number): [number, number] => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
const f = (v: number) => (Math.round(v * 1000) / 1000).toString();

interface Node { tag: string; attrs: Record<string, string>; children: Node[]; text: string }

/** Parses the serialisers' XML (elements, attributes, text; entities of xmlEscape). */
export function parseSvg(svg: string): Node {
  const root: Node = { tag: '#root', attrs: {}, children: [], text: '' };
  const stack = [root];
  const unescape = (s: string) => s.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e] as string);
  for (const m of svg.matchAll(/<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"]*")*)\s*(\/?)>|([^<]+)/g)) {
    const top = stack[stack.length - 1];
    if (m[5] !== undefined) { top.text += unescape(m[5]); continue; }
    if (m[1]) { if (stack.length > 1 && top.tag === m[2]) stack.pop(); continue; }
    const attrs: Record<string, string> = {};
    for (const a of m[3].matchAll(/([\w:-]+)="([^"]*)"/g)) attrs[a[1]] = unescape(a[2]);
    const node: Node = { tag: m[2], attrs, children: [], text: '' };
    top.children.push(node);
    if (!m[4]) stack.push(node);
  }
  return root;
}

/** SVG lengths in pt (mm, pt, px at 96 dpi, plain numbers as px). */
export function lengthPt(v: string | undefined, fallback: number): number {
  const m = /^\s*([\d.]+)\s*(mm|pt|px|in|cm)?\s*$/.exec(v ?? '');
  if (!m) return fallback;
  const n = Number(m[1]);
  return n * ({ mm: 72 / 25.4, cm: 72 / 2.54, in: 72, pt: 1, px: 0.75 }[m[2] ?? 'px'] as number);
}

function transformOf(s: string | undefined): M {
  let m: M = [1, 0, 0, 1, 0, 0];
  for (const t of (s ?? '').matchAll(/(translate|rotate|scale)\(([^)]*)\)/g)) {
    const a = t[2].split(/[\s,]+/).filter(Boolean).map(Number);
    if (t[1] === 'translate') m = mul(m, [1, 0, 0, 1, a[0] ?? 0, a[1] ?? 0]);
    else if (t[1] === 'scale') m = mul(m, [a[0], 0, 0, a[1] ?? a[0], 0, 0]);
    else { const r = ((a[0] ?? 0) * Math.PI) / 180; m = mul(m, [Math.cos(r), Math.sin(r), -Math.sin(r), Math.cos(r), 0, 0]); }
  }
  return m;
}

function rgb(c: string | undefined): [number, number, number] | null {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(c ?? '') ?? /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(c ?? '');
  if (!m) return null;
  return [m[1], m[2], m[3]].map((h) => parseInt(h.length === 1 ? h + h : h, 16) / 255) as [number, number, number];
}

/** Inherited presentation state while walking the tree. */
interface Ctx { m: M; font: { size: number; bold: boolean; fill?: string; anchor?: string; baseline?: string }; clips: Map<string, Node> }

const INHERITED = ['font-size', 'font-weight', 'fill', 'text-anchor', 'dominant-baseline'];

class Writer {
  readonly ops: string[] = [];
  readonly alphas = new Map<string, string>();

  gs(fillOpacity: string | undefined, strokeOpacity: string | undefined): void {
    if (fillOpacity === undefined && strokeOpacity === undefined) return;
    const key = `${fillOpacity ?? 1}/${strokeOpacity ?? 1}`;
    if (!this.alphas.has(key)) this.alphas.set(key, `GS${this.alphas.size + 1}`);
    this.ops.push(`/${this.alphas.get(key)} gs`);
  }

  /** Fill/stroke operators of an element; false when it paints nothing. */
  paint(a: Record<string, string>, ctx: Ctx, defaultFill: string | undefined): string | null {
    const fill = rgb(a.fill ?? defaultFill);
    const stroke = rgb(a.stroke);
    const scale = Math.sqrt(Math.abs(ctx.m[0] * ctx.m[3] - ctx.m[1] * ctx.m[2]));
    if (fill) this.ops.push(`${fill.map(f).join(' ')} rg`);
    if (stroke) {
      this.ops.push(`${stroke.map(f).join(' ')} RG ${f(Number(a['stroke-width'] ?? 1) * scale)} w`);
      const dash = (a['stroke-dasharray'] ?? '').split(/[\s,]+/).filter(Boolean).map((d) => Number(d) * scale);
      this.ops.push(`[${dash.map(f).join(' ')}] 0 d`);
    }
    this.gs(fill ? a['fill-opacity'] : undefined, stroke ? a['stroke-opacity'] : undefined);
    return fill && stroke ? 'B' : fill ? 'f' : stroke ? 'S' : null;
  }
}

/** Path data (the M L H V h v Z subset, absolute and relative moves/lines) as PDF path operators. */
function pathOps(d: string, m: M): string[] {
  const out: string[] = [];
  let x = 0, y = 0, sx = 0, sy = 0;
  const pt = () => apply(m, x, y).map(f).join(' ');
  for (const c of d.matchAll(/([MLHVZmlhvz])([^MLHVZmlhvz]*)/g)) {
    const n = c[2].trim().split(/[\s,]+/).filter(Boolean).map(Number);
    switch (c[1]) {
      case 'M': case 'm': case 'L': case 'l':
        for (let i = 0; i + 1 < n.length; i += 2) {
          const rel = c[1] === 'm' || c[1] === 'l';
          x = rel ? x + n[i] : n[i]; y = rel ? y + n[i + 1] : n[i + 1];
          const move = i === 0 && (c[1] === 'M' || c[1] === 'm');
          if (move) { sx = x; sy = y; }
          out.push(`${pt()} ${move ? 'm' : 'l'}`);
        }
        break;
      case 'H': case 'h': for (const v of n) { x = c[1] === 'h' ? x + v : v; out.push(`${pt()} l`); } break;
      case 'V': case 'v': for (const v of n) { y = c[1] === 'v' ? y + v : v; out.push(`${pt()} l`); } break;
      default: out.push('h'); x = sx; y = sy;
    }
  }
  return out;
}

const K = 0.5522847498;

function circleOps(cx: number, cy: number, r: number, m: M): string[] {
  const p = (x: number, y: number) => apply(m, x, y).map(f).join(' ');
  return [
    `${p(cx + r, cy)} m`,
    `${p(cx + r, cy + K * r)} ${p(cx + K * r, cy + r)} ${p(cx, cy + r)} c`,
    `${p(cx - K * r, cy + r)} ${p(cx - r, cy + K * r)} ${p(cx - r, cy)} c`,
    `${p(cx - r, cy - K * r)} ${p(cx - K * r, cy - r)} ${p(cx, cy - r)} c`,
    `${p(cx + K * r, cy - r)} ${p(cx + r, cy - K * r)} ${p(cx + r, cy)} c`, 'h',
  ];
}

function rectOps(a: Record<string, string>, m: M): string[] {
  const x = Number(a.x ?? 0), y = Number(a.y ?? 0), w = Number(a.width ?? 0), h = Number(a.height ?? 0);
  return [`${apply(m, x, y).map(f).join(' ')} m`, `${apply(m, x + w, y).map(f).join(' ')} l`, `${apply(m, x + w, y + h).map(f).join(' ')} l`, `${apply(m, x, y + h).map(f).join(' ')} l`, 'h'];
}

function pdfString(codes: number[]): string {
  return `(${codes.map((c) => (c === 40 || c === 41 || c === 92 ? `\\${String.fromCharCode(c)}` : c < 32 || c > 126 ? `\\${c.toString(8).padStart(3, '0')}` : String.fromCharCode(c))).join('')})`;
}

function textOps(w: Writer, n: Node, ctx: Ctx): void {
  const a = n.attrs;
  const size = ctx.font.size, bold = ctx.font.bold;
  const codes = winAnsiCodes(n.text.trim());
  if (!codes.length) return;
  const width = (codes.reduce((s, c) => s + codeWidth(c, bold), 0) / 1000) * size;
  const dx = ctx.font.anchor === 'middle' ? -width / 2 : ctx.font.anchor === 'end' ? -width : 0;
  const dy = ctx.font.baseline === 'middle' ? 0.35 * size : ctx.font.baseline === 'hanging' ? 0.75 * size : 0;
  // glyph space is y-up: flip it inside the (y-down) SVG user space
  const tm = mul(ctx.m, [1, 0, 0, -1, Number(a.x ?? 0) + dx, Number(a.y ?? 0) + dy]);
  const fill = rgb(ctx.font.fill) ?? [0, 0, 0];
  // the font size on paper in Tf, the text matrix without scale (readers report the size in pt)
  const k = Math.sqrt(Math.abs(tm[0] * tm[3] - tm[1] * tm[2])) || 1;
  const unit = [tm[0] / k, tm[1] / k, tm[2] / k, tm[3] / k, tm[4], tm[5]];
  w.ops.push('BT', `${fill.map(f).join(' ')} rg`, `/${bold ? 'F2' : 'F1'} ${f(size * k)} Tf`, `${unit.map(f).join(' ')} Tm`, `${pdfString(codes)} Tj`, 'ET');
}

function walk(w: Writer, n: Node, parent: Ctx): void {
  const a = n.attrs;
  if (n.tag === 'defs') { for (const c of n.children) if (c.tag === 'clipPath' && c.attrs.id) parent.clips.set(c.attrs.id, c); return; }
  if (n.tag === 'title' || n.tag === 'clipPath') return;
  let m = mul(parent.m, transformOf(a.transform));
  if (n.tag === 'svg' && a.viewBox) {
    const [vx, vy, vw, vh] = a.viewBox.split(/[\s,]+/).map(Number);
    const W = Number(a.width), H = Number(a.height);
    m = mul(m, [W / vw, 0, 0, H / vh, Number(a.x ?? 0) - (vx * W) / vw, Number(a.y ?? 0) - (vy * H) / vh]);
  }
  const font = { ...parent.font };
  for (const k of INHERITED) {
    if (a[k] === undefined) continue;
    if (k === 'font-size') font.size = Number(a[k]);
    else if (k === 'font-weight') font.bold = a[k] === 'bold';
    else if (k === 'fill') font.fill = a[k];
    else if (k === 'text-anchor') font.anchor = a[k];
    else font.baseline = a[k];
  }
  const ctx: Ctx = { m, font, clips: parent.clips };
  const clip = /^url\(#(.+)\)$/.exec(a['clip-path'] ?? '')?.[1];
  const clipRect = clip ? parent.clips.get(clip)?.children.find((c) => c.tag === 'rect') : undefined;
  w.ops.push('q');
  if (clipRect) w.ops.push(...rectOps(clipRect.attrs, m), 'W n');
  switch (n.tag) {
    case 'rect': case 'circle': case 'path': {
      const body = n.tag === 'rect' ? rectOps(a, m) : n.tag === 'circle' ? circleOps(Number(a.cx), Number(a.cy), Number(a.r), m) : pathOps(a.d ?? '', m);
      const op = w.paint(a, ctx, n.tag === 'path' ? undefined : '#000000');
      if (op && body.length) { append(w.ops, body); w.ops.push(op); } // a long path has more ops than a call takes arguments
      break;
    }
    case 'text': textOps(w, n, ctx); break;
    default: for (const c of n.children) walk(w, c, ctx);
  }
  w.ops.push('Q');
}

/** The PDF (bytes) of an SVG figure: one page of the SVG's physical size (width/height in mm, pt or px). */
export function svgToPdf(svg: string, title = 'Figure'): Uint8Array {
  const root = parseSvg(svg).children.find((c) => c.tag === 'svg');
  if (!root) throw new Error('svgToPdf: no <svg> element');
  const [vx, vy, vw, vh] = (root.attrs.viewBox ?? `0 0 ${root.attrs.width} ${root.attrs.height}`).split(/[\s,]+/).map(Number);
  const Wpt = lengthPt(root.attrs.width, vw * 0.75), Hpt = lengthPt(root.attrs.height, vh * 0.75);
  // SVG user space (y down) → PDF page (y up)
  const page: M = [Wpt / vw, 0, 0, -Hpt / vh, (-vx * Wpt) / vw, Hpt + (vy * Hpt) / vh];
  const w = new Writer();
  const ctx: Ctx = { m: page, font: { size: Number(root.attrs['font-size'] ?? 12), bold: false }, clips: new Map() };
  for (const c of root.children) walk(w, c, ctx);
  return pdfDocument(w.ops.join('\n'), Wpt, Hpt, w.alphas, title);
}

/** Assembles the objects, cross-reference table and trailer of a one-page PDF. */
function pdfDocument(content: string, W: number, H: number, alphas: Map<string, string>, title: string): Uint8Array {
  const gs = [...alphas].map(([k, name]) => { const [fa, sa] = k.split('/'); return `/${name} << /ca ${fa} /CA ${sa} >>`; }).join(' ');
  const info = pdfString(winAnsiCodes(title));
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${f(W)} ${f(H)}] /Resources << /Font << /F1 4 0 R /F2 5 0 R >>${gs ? ` /ExtGState << ${gs} >>` : ''} >> /Contents 6 0 R >>`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    `<< /Title ${info} /Producer (qPCR Studio) >>`,
  ];
  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => { offsets.push(out.length); out += `${i + 1} 0 obj\n${o}\nendobj\n`; });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 7 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  // every character of `out` is a byte (content is ASCII; the binary comment is Latin-1)
  const bytes = new Uint8Array(out.length);
  for (let i = 0; i < out.length; i++) bytes[i] = out.charCodeAt(i) & 0xff;
  return bytes;
}
