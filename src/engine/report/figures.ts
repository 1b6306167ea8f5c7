/**
 * The "Figures" document (issue 15): every chart of a report as a journal figure, SVG at its physical size and
 * vector PDF, at each chosen width, plus the multi-panel figures the `--figures` option names (figureSet.ts).
 * Pure: the report and the option in, file paths (relative to --out DIR) and bytes out.
 *
 *   figures/<analysis>-<chart>-<width>mm.svg|pdf     one chart
 *   figures/panels-<k>-<width>mm.svg|pdf             the k-th `panels:` figure (A, B, C…)
 *   figures/models-<k>-<width>mm.svg|pdf             the k-th `models:` multi-model forest plot
 */
import { chartsFor } from '../../shared/charts/specs';
import type { ChartSpec } from '../../shared/charts/chartSpec';
import { figureSvg } from '../../shared/charts/journal';
import { panelFigureSvg } from '../../shared/charts/panels';
import { multiModelForest } from '../../shared/charts/multiForest';
import { svgToPdf } from '../../shared/charts/pdf';
import { chartRef, figureOptions, parseFigureSet, type ChartRef, type FigureSet } from '../../shared/charts/figureSet';
import { slug } from '../../shared/report/format';
import { isErrorResult, type AnalysisResult, type Report } from '../../shared/report/types';

export type FileSet = Record<string, Uint8Array>;

const utf8 = (s: string) => new TextEncoder().encode(s);

/** The charts of every successful result, in report order. */
function reportCharts(report: Report): { result: AnalysisResult; spec: ChartSpec }[] {
  return report.results.filter((r): r is AnalysisResult => !isErrorResult(r)).flatMap((result) => chartsFor(result).map((spec) => ({ result, spec })));
}

/** The chart a `panels:` reference names; an unknown one is an error listing what exists. */
export function resolveChartRef(report: Report, ref: ChartRef): ChartSpec {
  const all = reportCharts(report);
  const ofAnalysis = all.filter((c) => c.result.name === ref.analysis);
  if (!ofAnalysis.length) {
    const names = [...new Set(all.map((c) => c.result.name))];
    throw new Error(`no analysis with charts named "${ref.analysis}" (analyses with charts: ${names.join(', ') || 'none'})`);
  }
  const hit = ref.chart === undefined ? ofAnalysis[0] : ofAnalysis.find((c) => c.spec.id === ref.chart);
  if (!hit) throw new Error(`"${chartRef(ref)}": ${ref.analysis} has the charts ${ofAnalysis.map((c) => c.spec.id).join(', ')}`);
  return hit.spec;
}

/** The multi-model forest plot of these analyses; an unknown name or a mix of kinds is an error naming it. */
function modelsForest(report: Report, names: string[]): ChartSpec {
  const results = names.map((n) => {
    const r = report.results.find((x) => x.name === n);
    if (!r) throw new Error(`models: no analysis named "${n}"`);
    if (isErrorResult(r)) throw new Error(`models: "${n}" failed: ${r.error}`);
    return r;
  });
  const spec = multiModelForest(results);
  if ('error' in spec) throw new Error(`models: ${spec.error}`);
  return spec;
}

function add(files: FileSet, base: string, svg: string, title: string): void {
  files[`${base}.svg`] = utf8(svg);
  files[`${base}.pdf`] = svgToPdf(svg, title);
}

/** The figure files of a report for a parsed figure set. */
export function figureFiles(report: Report, set: FigureSet): FileSet {
  const files: FileSet = {};
  const charts = reportCharts(report);
  const panels = set.panels.map((refs) => refs.map((r) => resolveChartRef(report, r)));
  const forests = (set.models ?? []).map((names) => modelsForest(report, names));
  for (const w of set.widths) {
    const o = figureOptions(set, w);
    for (const { result, spec } of charts) add(files, `figures/${slug(result.name)}-${slug(spec.id)}-${w}mm`, figureSvg(spec, o), `${result.name}: ${spec.title}`);
    panels.forEach((specs, k) => add(files, `figures/panels-${k + 1}-${w}mm`, panelFigureSvg(specs, o), `${report.study}: figure ${k + 1}`));
    forests.forEach((spec, k) => add(files, `figures/models-${k + 1}-${w}mm`, figureSvg(spec, o), `${report.study}: ${spec.title}`));
  }
  return files;
}

/** The writer of the "figures" document: the option text of `--figures=…` (empty: defaults). */
export function reportFigures(report: Report, option?: string): FileSet {
  const set = parseFigureSet(option);
  if ('error' in set) throw new Error(set.error);
  return figureFiles(report, set);
}
