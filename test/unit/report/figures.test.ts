/**
 * Journal figures (issue 15): sizes (SVG width in mm, text at the chosen pt), grayscale (no two series differ only
 * by colour), the PDF writer (parsed back: xref offsets, content stream operators, text widths), the TIFF encoder
 * (header, tags, dpi, PackBits round trip), PNG pHYs, multi-panel figures and the figures document's files.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { fixture } from '../helpers';
import { isErrorResult, type AnalysisResult, type CoxResult, type Report } from '../../../src/shared/report/types';
import { axisExtent, type ChartSpec, type Series } from '../../../src/shared/charts/chartSpec';
import { layout, makeScale } from '../../../src/shared/charts/svg';
import { chartsFor } from '../../../src/shared/charts/specs';
import { checkFigureOptions, DEFAULT_FIGURE, figureSpec, figureSvg, GRAY_PALETTE, layoutWidth, PT_PER_MM, type FigureOptions } from '../../../src/shared/charts/journal';
import { lengthPt, parseSvg, svgToPdf } from '../../../src/shared/charts/pdf';
import { textWidth, winAnsiCodes } from '../../../src/shared/charts/pdfFont';
import { encodeTiff, packBits, pixelsFor, pngWithDpi, unpackBits } from '../../../src/shared/charts/raster';
import { crc32 } from '../../../src/shared/bytes';
import { panelFigureSvg, panelLabel } from '../../../src/shared/charts/panels';
import { figureSetOption, parseFigureSet, type FigureSet } from '../../../src/shared/charts/figureSet';
import { multiModelForest } from '../../../src/shared/charts/multiForest';
import { reportFigures } from '../../../src/engine/report/figures';

const repoRoot = path.resolve(__dirname, '../../../..');
const tace = JSON.parse(fs.readFileSync(path.join(repoRoot, 'test/fixtures/report-baseline/tace-exosomal-mirna.report.json'), 'utf8')) as Report;
const sample = JSON.parse(fs.readFileSync(fixture('report', 'sample-report.json'), 'utf8')) as Report;
const resultNamed = (r: Report, name: string) => r.results.find((x) => x.name === name) as AnalysisResult;
const km = chartsFor(resultNamed(tace, 'km_dss'))[0];
const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');

test('sizes: the SVG is as wide as the column (mm) and its body text comes out at the chosen pt', () => {
  for (const widthMm of [85, 114, 174]) {
    for (const fontPt of [7, 8]) {
      const o: FigureOptions = { ...DEFAULT_FIGURE, widthMm, fontPt };
      const svg = figureSvg(km, o);
      const root = parseSvg(svg).children[0];
      assert.equal(root.attrs.width, `${widthMm}mm`);
      const [, , vw, vh] = root.attrs.viewBox.split(' ').map(Number);
      assert.equal(vw, layoutWidth(o));
      // 12 layout units of text → fontPt on paper
      assert.ok(Math.abs((12 * widthMm * PT_PER_MM) / vw - fontPt) < 0.02, `${widthMm} mm ${fontPt} pt`);
      assert.ok(Math.abs(Number(root.attrs.height.replace('mm', '')) - (widthMm * vh) / vw) < 0.01);
      assert.match(svg, /font-family="Arial, Helvetica, sans-serif" font-size="12"/);
    }
  }
  assert.match(checkFigureOptions({ ...DEFAULT_FIGURE, widthMm: 20 }) ?? '', /outside 40–250 mm/);
  assert.match(checkFigureOptions({ ...DEFAULT_FIGURE, fontPt: 30 }) ?? '', /outside 5–12 pt/);
});

/** Every footer cell of a KM figure sits on an x tick label; returns the number of footer rows checked. */
function checkFooterAligned(spec: ChartSpec, o: FigureOptions): number {
  const svg = figureSvg(spec, o);
  const texts = [...svg.matchAll(/<text x="([\d.]+)" y="([\d.]+)" text-anchor="middle" fill="#000000">([^<]*)<\/text>/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]), text: m[3] }));
  const axisY = Math.min(...texts.map((t) => t.y));
  const ticks = texts.filter((t) => t.y === axisY);
  assert.ok(ticks.length >= 3, 'x tick labels');
  const rowYs = [...new Set(texts.filter((t) => t.y > axisY + 30).map((t) => t.y))];
  for (const y of rowYs) {
    for (const c of texts.filter((t) => t.y === y)) assert.ok(ticks.some((t) => Math.abs(t.x - c.x) < 0.01), `${spec.id}: cell ${c.text} at x ${c.x} sits on a tick`);
  }
  assert.ok(Math.max(...rowYs) + 6 < figureSpec(spec, o).height, 'the last row is inside the figure');
  return rowYs.length;
}

test('KM figures keep the numbers at risk, cumulative events and censored counts aligned to the time axis ticks', () => {
  assert.ok(checkFooterAligned(km, DEFAULT_FIGURE) >= 2, 'numbers-at-risk rows are drawn');
  const withCum = tace.results.filter((r): r is AnalysisResult => !isErrorResult(r) && r.kind === 'km').flatMap((r) => chartsFor(r)).find((s) => s.footer?.rows.some((row) => row.heading));
  assert.ok(withCum, 'the tace example has a KM with cumulative events');
  for (const o of [DEFAULT_FIGURE, { ...DEFAULT_FIGURE, widthMm: 174, fontPt: 8 }]) {
    assert.equal(checkFooterAligned(withCum, o), withCum.footer!.rows.filter((r) => !r.heading).length, 'every count row');
    const svg = figureSvg(withCum, o);
    for (const row of withCum.footer!.rows.filter((r) => r.heading)) assert.ok(svg.includes(`>${row.label}<`), row.label);
  }
});

test('narrow figures: centred labels of one row (nomogram ticks) never overlap; some are dropped at 85 mm, none at 174', () => {
  const nomo = chartsFor(resultNamed(tace, 'nomogram_dss'))[0];
  const count = (c: ChartSpec) => c.series.flatMap((s) => (s.type === 'text' ? s.texts : [])).length;
  for (const widthMm of [85, 174]) {
    const f = figureSpec(nomo, { ...DEFAULT_FIGURE, widthMm });
    if (widthMm === 85) assert.ok(count(f) < count(nomo), 'labels thinned at 85 mm');
    else assert.equal(count(f), count(nomo), 'all labels fit at 174 mm');
    const L = layout(f);
    const X = makeScale(f.x, axisExtent(f, 'x'), L.left, f.width - L.right);
    const rows = new Map<string, [number, number][]>();
    for (const s of f.series) {
      if (s.type !== 'text') continue;
      for (const t of s.texts.filter((x) => x.align === 'center')) {
        const x = X(t.x) + (t.dx ?? 0), half = (textWidth(t.text) * 12) / 2, key = `${t.y} ${t.dy ?? 0} ${t.baseline}`;
        rows.set(key, [...(rows.get(key) ?? []), [x - half, x + half]]);
      }
    }
    for (const [key, spans] of rows) {
      spans.sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < spans.length; i++) assert.ok(spans[i][0] >= spans[i - 1][1], `${widthMm} mm row ${key}: labels overlap`);
    }
  }
});

function styleKey(s: Series): string {
  switch (s.type) {
    case 'line': return `line ${JSON.stringify(s.dash ?? [])}`;
    case 'scatter': return `scatter ${s.marker ?? 'circle'}`;
    case 'segments': return `segments ${JSON.stringify(s.dash ?? [])}`;
    default: return s.type;
  }
}

test('grayscale: only greys, and no two labelled series of one chart differ only by colour', () => {
  const crc = JSON.parse(fs.readFileSync(path.join(repoRoot, 'test/fixtures/report-baseline/crc-liver-mets-capecitabine.report.json'), 'utf8')) as Report;
  const all: ChartSpec[] = [tace, sample, crc].flatMap((rep) => rep.results.filter((r): r is AnalysisResult => !isErrorResult(r)).flatMap((r) => chartsFor(r)));
  assert.ok(all.length > 20);
  const o = { ...DEFAULT_FIGURE, grayscale: true };
  let compared = 0;
  for (const c of all) {
    const g = figureSpec(c, o);
    const labelled = g.series.filter((s) => 'label' in s && s.label && (s.type === 'line' || s.type === 'scatter'));
    for (let i = 0; i < labelled.length; i++) {
      for (let j = i + 1; j < labelled.length; j++) {
        if (labelled[i].type !== labelled[j].type || labelled[i].colour === labelled[j].colour) continue;
        compared++;
        assert.notEqual(styleKey(labelled[i]), styleKey(labelled[j]), `${c.id}: "${(labelled[i] as { label: string }).label}" vs "${(labelled[j] as { label: string }).label}"`);
      }
    }
    const svg = figureSvg(c, o);
    for (const m of svg.matchAll(/(?:fill|stroke)="#([0-9A-Fa-f]{6})"/g)) {
      const [r, gg, b] = [0, 2, 4].map((k) => parseInt(m[1].slice(k, k + 2), 16));
      assert.ok(r === gg && gg === b, `${c.id}: colour #${m[1]} is not a grey`);
    }
  }
  assert.ok(compared > 0, 'some charts have several series to compare');
  assert.ok(GRAY_PALETTE.length >= 5);
});

/** The objects of a PDF by the xref table: each offset points at "N 0 obj". */
function checkXref(pdf: string): void {
  const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(pdf)![1]);
  assert.equal(pdf.slice(startxref, startxref + 4), 'xref');
  const [, count] = /^xref\n0 (\d+)\n/.exec(pdf.slice(startxref))!.map(Number);
  const entries = pdf.slice(startxref).split('\n').slice(3, 2 + count);
  entries.forEach((e, i) => {
    const off = Number(e.slice(0, 10));
    assert.equal(pdf.slice(off, off + `${i + 1} 0 obj`.length), `${i + 1} 0 obj`);
  });
}

test('PDF: header, xref offsets, page size in pt, fonts, and a content stream with paths and Helvetica text', () => {
  const svg = figureSvg(km, DEFAULT_FIGURE);
  const pdf = latin1(svgToPdf(svg, 'KM'));
  assert.ok(pdf.startsWith('%PDF-1.4\n'));
  checkXref(pdf);
  const box = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(pdf)!.slice(1).map(Number);
  assert.ok(Math.abs(box[0] - 85 * PT_PER_MM) < 0.01, `width ${box[0]} pt`);
  assert.match(pdf, /\/BaseFont \/Helvetica \/Encoding \/WinAnsiEncoding/);
  assert.match(pdf, /\/BaseFont \/Helvetica-Bold /);
  const stream = /stream\n([\s\S]*?)\nendstream/.exec(pdf)![1];
  assert.equal(Number(/\/Length (\d+)/.exec(pdf)![1]), stream.length);
  assert.match(stream, /\/F1 7(\.00\d)? Tf/, 'body text at 7 pt');
  assert.match(stream, /\/F2 8\.1(6\d)? Tf/, 'the title 14/12 larger and bold');
  assert.match(stream, /\(Kaplan\\226Meier survival\) Tj/, 'the en dash in WinAnsi');
  assert.match(stream, /\(Number at risk\) Tj/);
  assert.ok((stream.match(/^W n$/gm) ?? []).length > 0, 'clip rectangles');
  assert.ok((stream.match(/^S$/gm) ?? []).length > 10, 'stroked paths (curves, axes, ticks)');
  assert.ok((stream.match(/^q$/gm) ?? []).length === (stream.match(/^Q$/gm) ?? []).length, 'balanced q/Q');
  // the rotated y-axis title: a text matrix with the x axis pointing up
  assert.match(stream, /0 1 -1 0 [\d.]+ [\d.]+ Tm\n\(Survival probability\) Tj/);
  // centred text: the tick label "12" starts half its Helvetica width left of the tick
  assert.ok(Math.abs(textWidth('12') - 1.112) < 1e-9 && Math.abs(textWidth('Kaplan–Meier', true) - 6.502) < 1e-9);
  assert.deepEqual(winAnsiCodes('χ² ≥ 5 µ'), [...'chi'].map((c) => c.charCodeAt(0)).concat([178, 32, 62, 61, 32, 53, 32, 181]));
});

test('PDF: opacity through ExtGState, dashes scaled with the figure, circles as Bézier curves, mm/pt/px lengths', () => {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="100pt" height="50pt" viewBox="0 0 200 100" font-size="10"><rect width="200" height="100" fill="#ffffff"/>'
    + '<path d="M0 0L200 100" stroke="#ff0000" stroke-width="2" stroke-dasharray="4 2"/><circle cx="50" cy="50" r="10" fill="#0000ff" fill-opacity="0.5"/>'
    + '<text x="100" y="50" text-anchor="end">(a)\\b</text></svg>';
  const pdf = latin1(svgToPdf(svg));
  checkXref(pdf);
  assert.match(pdf, /\/MediaBox \[0 0 100 50\]/);
  assert.match(pdf, /\/ExtGState << \/GS1 << \/ca 0\.5 \/CA 1 >> >>/);
  const stream = /stream\n([\s\S]*?)\nendstream/.exec(pdf)![1];
  assert.match(stream, /1 0 0 RG 1 w\n\[2 1\] 0 d/, 'stroke width and dashes halved with the 0.5 scale');
  assert.match(stream, /0 50 m\n100 0 l\nS/, 'y flipped: SVG (0,0) is the top-left corner');
  assert.equal((stream.match(/ c\n/g) ?? []).length, 4);
  assert.match(stream, /\/GS1 gs/);
  assert.match(stream, /\(\\\(a\\\)\\\\b\) Tj/, 'parentheses and backslash escaped');
  // right-aligned: the text starts its width left of x = 100 (user) = 50 pt
  const w = textWidth('(a)\\b') * 10;
  assert.match(stream, /\/F1 5 Tf\n1 0 0 1 [\d.]+ [\d.]+ Tm/, 'the font size on paper (10 units × 0.5), an unscaled text matrix');
  const x = Number(/1 0 0 1 ([\d.]+) [\d.]+ Tm/.exec(stream)![1]);
  assert.ok(Math.abs(x - 0.5 * (100 - w)) < 0.01, `x ${x}`);
  assert.ok(Math.abs(lengthPt('85mm', 0) - 240.945) < 1e-3 && lengthPt('96px', 0) === 72 && lengthPt('12', 0) === 9 && lengthPt('bad', 3) === 3);
});

test('TIFF: little-endian header, RGB tags, the dpi in XResolution/YResolution, pixels back from PackBits', () => {
  const w = 5, h = 3;
  const rgba = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) rgba.set([i * 10, 255 - i, i < 7 ? 0 : 200, i === 14 ? 0 : 255], i * 4);
  for (const pack of [false, true]) {
    const t = encodeTiff(w, h, rgba, { dpi: 600, packBits: pack });
    const v = new DataView(t.buffer, t.byteOffset, t.byteLength);
    assert.deepEqual([t[0], t[1], v.getUint16(2, true)], [0x49, 0x49, 42]);
    const ifd = v.getUint32(4, true);
    const n = v.getUint16(ifd, true);
    const tags = new Map<number, { type: number; count: number; value: number }>();
    for (let i = 0; i < n; i++) {
      const at = ifd + 2 + 12 * i, type = v.getUint16(at + 2, true), count = v.getUint32(at + 4, true);
      tags.set(v.getUint16(at, true), { type, count, value: type === 3 && count === 1 ? v.getUint16(at + 8, true) : v.getUint32(at + 8, true) });
    }
    const keys = [...tags.keys()];
    assert.deepEqual(keys, [...keys].sort((a, b) => a - b), 'tags in ascending order');
    assert.equal(tags.get(256)!.value, w); assert.equal(tags.get(257)!.value, h);
    assert.equal(tags.get(262)!.value, 2, 'RGB'); assert.equal(tags.get(277)!.value, 3);
    assert.equal(tags.get(259)!.value, pack ? 32773 : 1);
    assert.equal(tags.get(296)!.value, 2, 'inches');
    for (const tag of [282, 283]) {
      const off = tags.get(tag)!.value;
      assert.equal(v.getUint32(off, true) / v.getUint32(off + 4, true), 600);
    }
    const bps = tags.get(258)!.value;
    assert.deepEqual([0, 2, 4].map((k) => v.getUint16(bps + k, true)), [8, 8, 8]);
    const strip = t.subarray(tags.get(273)!.value, tags.get(273)!.value + tags.get(279)!.value);
    assert.equal(tags.get(273)!.value + tags.get(279)!.value, t.length);
    const pixels = pack ? unpackBits(strip, w * h * 3) : strip;
    assert.deepEqual([...pixels.subarray(0, 3)], [0, 255, 0]);
    assert.deepEqual([...pixels.subarray(14 * 3, 15 * 3)], [255, 255, 255], 'transparent → white');
    assert.deepEqual([...pixels.subarray(8 * 3, 9 * 3)], [80, 247, 200]);
  }
  const row = Uint8Array.from([1, 1, 1, 1, 2, 3, 4, 4, 5, ...new Array(300).fill(9)]);
  assert.deepEqual([...unpackBits(packBits(row), row.length)], [...row]);
  assert.ok(packBits(row).length < 20);
  assert.throws(() => encodeTiff(2, 2, new Uint8Array(3), { dpi: 300 }), /RGBA pixels/);
  assert.equal(pixelsFor(85, 300), 1004); assert.equal(pixelsFor(174, 600), 4110);
});

test('PNG: pHYs carries the dpi (pixels per metre) right after IHDR, with a valid CRC', () => {
  // a 1×1 PNG built with zlib
  const chunk = (type: string, data: Buffer) => {
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  const png = Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.from([0, 255, 0, 0]))), chunk('IEND', Buffer.alloc(0))]);
  const once = pngWithDpi(png, 300);
  const twice = Buffer.from(pngWithDpi(once, 600));
  for (const [b, dpi] of [[Buffer.from(once), 300], [twice, 600]] as const) {
    assert.equal(b.toString('latin1', 37, 41), 'pHYs');
    assert.equal(b.readUInt32BE(41), Math.round(dpi / 0.0254));
    assert.equal(b[49], 1);
    assert.equal(b.readUInt32BE(50), crc32(b.subarray(37, 50)));
  }
  assert.equal(twice.length, png.length + 21, 'one pHYs chunk only');
  assert.throws(() => pngWithDpi(new Uint8Array(40), 300), /not a PNG/);
});

test('multi-panel: A, B, C labels, panels in a 2-column grid at 174 mm, one column at 85 mm, unique clip ids', () => {
  const cox = chartsFor(resultNamed(tace, 'cox_multivariate')).find((c) => c.id === 'forest')!;
  const nomo = chartsFor(resultNamed(tace, 'nomogram_dss'))[0];
  const svg = panelFigureSvg([km, cox, nomo], { ...DEFAULT_FIGURE, widthMm: 174 });
  const root = parseSvg(svg).children[0];
  assert.equal(root.attrs.width, '174mm');
  const panels = root.children.filter((c) => c.tag === 'svg');
  assert.equal(panels.length, 3);
  assert.deepEqual(panels.map((p) => Number(p.attrs.x) > 0), [false, true, false]);
  assert.ok(Number(panels[2].attrs.y) > Number(panels[0].attrs.height) - 1e-6, 'the third panel starts below the first row');
  assert.ok(Math.abs(Number(panels[2].attrs.width) - 174 * PT_PER_MM) < 0.01, 'the odd last panel spans the full width');
  assert.ok(Number(panels[0].attrs.width) < 87 * PT_PER_MM);
  assert.deepEqual(root.children.filter((c) => c.tag === 'text').map((t) => t.text), ['A', 'B', 'C']);
  const ids = [...svg.matchAll(/clipPath id="([^"]+)"/g)].map((m) => m[1]);
  assert.equal(new Set(ids).size, ids.length);
  const one = parseSvg(panelFigureSvg([km, cox], DEFAULT_FIGURE)).children[0];
  assert.deepEqual(one.children.filter((c) => c.tag === 'svg').map((p) => Number(p.attrs.x)), [0, 0]);
  const pdf = latin1(svgToPdf(svg));
  checkXref(pdf);
  assert.match(pdf, /\(A\) Tj[\s\S]*\(B\) Tj[\s\S]*\(C\) Tj/);
  assert.deepEqual([0, 25, 26, 27].map(panelLabel), ['A', 'Z', 'AA', 'AB']);
  assert.throws(() => panelFigureSvg([], DEFAULT_FIGURE), /at least one chart/);
});

test('figures document: the option grammar, one SVG and PDF per chart per width, panels, located errors', () => {
  const set = parseFigureSet('85, 174,8pt,helvetica,gray,panels:km_dss+cox_multivariate/forest');
  assert.ok(!('error' in set));
  assert.deepEqual(set.widths, [85, 174]);
  assert.equal(figureSetOption(set), '85,174,8pt,helvetica,gray,panels:km_dss+cox_multivariate/forest');
  assert.deepEqual((parseFigureSet(undefined) as { widths: number[] }).widths, [85, 174]);
  assert.match((parseFigureSet('85,blue') as { error: string }).error, /unknown item "blue"/);
  assert.match((parseFigureSet('300') as { error: string }).error, /outside 40–250 mm/);
  assert.match((parseFigureSet('panels:') as { error: string }).error, /needs charts/);
  const files = reportFigures(tace, '85,panels:km_dss+cox_multivariate/forest+nomogram_dss');
  const names = Object.keys(files);
  assert.ok(names.includes('figures/km_dss-km-85mm.svg') && names.includes('figures/km_dss-km-85mm.pdf'));
  assert.ok(names.includes('figures/panels-1-85mm.pdf'));
  assert.ok(names.every((n) => /^figures\/[\w.-]+-85mm\.(svg|pdf)$/.test(n)), names.join(' '));
  const charts = tace.results.filter((r): r is AnalysisResult => !isErrorResult(r)).flatMap((r) => chartsFor(r));
  assert.equal(names.length, 2 * (charts.length + 1));
  assert.throws(() => reportFigures(tace, 'panels:nope'), /no analysis with charts named "nope"/);
  assert.throws(() => reportFigures(tace, 'panels:km_dss/forest'), /km_dss has the charts km/);
});

test('multi-model forest: one marker per model in each term\'s row, offset and distinct in shape; kinds not mixed', () => {
  const uni = resultNamed(tace, 'cox_univariate'), multi = resultNamed(tace, 'cox_multivariate');
  const spec = multiModelForest([uni, multi]);
  assert.ok(!('error' in spec));
  const scatters = spec.series.filter((s): s is Extract<Series, { type: 'scatter' }> => s.type === 'scatter');
  assert.deepEqual(scatters.map((s) => s.label), ['cox_univariate', 'cox_multivariate']);
  assert.notEqual(scatters[0].marker, scatters[1].marker);
  const terms = spec.y.ticks!;
  assert.equal(terms.length, 5);
  for (const t of terms) {
    const ys = scatters.map((s) => s.points.find((p) => Math.abs(p.y - t.value) < 0.5)!.y);
    assert.ok(ys[0] !== ys[1] && ys.every((y) => Math.abs(y - t.value) < 0.3), `${t.label}: ${ys}`);
  }
  const hr = (uni as CoxResult).terms.find((t) => t.term === 'mir122_low')!.hr!;
  assert.ok(scatters[0].points.some((p) => Math.abs(p.x - hr) < 1e-12));
  assert.match((multiModelForest([uni]) as { error: string }).error, /at least two/);
  assert.match((multiModelForest([uni, resultNamed(tace, 'km_dss')]) as { error: string }).error, /"km_dss" is km/);
  const files = reportFigures(tace, '85,models:cox_univariate+cox_multivariate');
  assert.ok(files['figures/models-1-85mm.pdf'] && files['figures/models-1-85mm.svg']);
  assert.match((parseFigureSet('models:a') as { error: string }).error, /two or more models/);
  assert.equal(figureSetOption(parseFigureSet('85,models:a+b') as FigureSet), '85,models:a+b');
  assert.throws(() => reportFigures(tace, 'models:cox_univariate+nope'), /no analysis named "nope"/);
});

test('svgToPdf: a path of 200,000 segments (a biobank curve drawn whole) converts, its ops written by a loop, not spread into one call', () => {
  const d = ['M0 0', ...Array.from({ length: 199_999 }, (_, i) => `L${((i + 1) / 1000).toFixed(3)} ${(Math.sin(i / 500) * 50 + 60).toFixed(2)}`)].join(' ');
  const pdf = svgToPdf(`<svg xmlns="http://www.w3.org/2000/svg" width="240" height="160" viewBox="0 0 240 160"><path d="${d}" stroke="#000" fill="none"/></svg>`);
  const text = new TextDecoder('latin1').decode(pdf);
  assert.match(text, /^%PDF-/);
  assert.ok(text.split(' l\n').length > 199_000, 'every segment drawn');
});
