/**
 * Import + QC of one Cq file, shared by the plate editor and the diagnostics, plus what the plate editor adds on top
 * of QC: standard curves (engine `plateStandardCurves`) and replicate outliers (engine `detectOutliers`, grouped the
 * way the expression pipeline groups them). Pure: no `vscode`.
 */
import type { EngineDiagnostic } from '../engine/common/diagnostic';
import type { ImportResult, Plate, QcSettings, Well } from '../engine/plate/model';
import type { OutlierSettings, StandardCurve } from '../engine/expression/types';
import type { OutlierView, StandardCurveView } from '../shared/plateProtocol';
import { cellEdit, importPlate } from '../engine/plate';
import { importPlateStream } from '../engine/plate/stream';
import { wellSource } from '../engine/plate/wellSource';
import { runQc } from '../engine/qc';
import { detectOutliers } from '../engine/expression/outliers';
import { plateStandardCurves, wellRange } from '../engine/expression/standards';
import { replicateLists } from '../shared/replicates';
import { STD_EFFICIENCY_PERCENT, STD_MIN_R2 } from '../shared/qcThresholds';

/** Defaults of `qpcr.outliers.*` (screening is off unless the user turns it on). */
export const DEFAULT_OUTLIERS: Required<OutlierSettings> = { method: 'none', alpha: 0.05, distance: 0.5 };

/**
 * Standard-curve findings that go to the Problems panel (std-too-few stays in the plate editor: too noisy for files
 * whose standards are not meant for a curve).
 */
const STD_PROBLEM_CODES = new Set(['std-efficiency', 'std-r2']);

export interface PlateAnalysisOptions {
  outliers?: OutlierSettings;
}

export interface ReplicateOutliers {
  /** Wells flagged by the rule, with the engine's reason. */
  wells: { well: number; reason: string }[];
  /** Groups the rule could not decide, at their first well. */
  ambiguous: { well: number; message: string }[];
}

export interface PlateAnalysis {
  plate: Plate | null;
  /** Import findings, QC findings, standard-curve findings, then replicate outliers (the latter only with a plate). */
  diagnostics: EngineDiagnostic[];
  /** One per target with standard wells that have quantities (empty without a plate). */
  standardCurves: StandardCurve[];
  outliers: ReplicateOutliers;
  /** The outlier settings used (defaults filled in). */
  outlierSettings: Required<OutlierSettings>;
}

/** Fills in defaults and rejects nonsense (alpha outside (0, 1), negative distance) in favour of the defaults. */
export function normaliseOutlierSettings(s: Partial<OutlierSettings> | undefined): Required<OutlierSettings> {
  const method = s?.method === 'grubbs' || s?.method === 'distance' ? s.method : 'none';
  const alpha = typeof s?.alpha === 'number' && s.alpha > 0 && s.alpha < 1 ? s.alpha : DEFAULT_OUTLIERS.alpha;
  const distance = typeof s?.distance === 'number' && Number.isFinite(s.distance) && s.distance >= 0 ? s.distance : DEFAULT_OUTLIERS.distance;
  return { method, alpha, distance };
}

/** Tasks whose replicates the expression pipeline screens for outliers. */
const SAMPLE_TASKS = new Set(['unknown', 'reference']);

/**
 * Replicate outliers on one plate, as the expression pipeline finds them: per sample × target, among wells with task
 * unknown/reference that are not omitted and have a Cq ≤ max Cq; the engine's Grubbs or distance rule decides.
 */
export function findReplicateOutliers(plate: Plate, settings: OutlierSettings, maxCq: number): ReplicateOutliers {
  const out: ReplicateOutliers = { wells: [], ambiguous: [] };
  if (settings.method === 'none') return out;
  const wells = wellSource(plate); // a text import's: no array of views made
  const amplified = (w: Well) => SAMPLE_TASKS.has(w.task) && !w.omitted && w.cq !== null && Number.isFinite(w.cq) && w.cq <= maxCq;
  for (const list of replicateLists(wells.length, (i) => { const w = wells.at(i); return amplified(w) ? w : null; })) {
    const g = list.map((i) => wells.at(i));
    const r = detectOutliers(g.map((w) => w.cq as number), settings);
    for (const e of r.excluded) out.wells.push({ well: g[e.index].index, reason: e.reason });
    if (r.warning) out.ambiguous.push({ well: g[0].index, message: `${g[0].sample} / ${g[0].target}: ${r.warning}` });
  }
  out.wells.sort((a, b) => a.well - b.well);
  return out;
}

/**
 * `replicate-outlier` (info) at each flagged well's row, with the certain fix "Omit well" where the format has an Omit
 * column.
 */
export function outlierDiagnostics(plate: Plate, outliers: ReplicateOutliers): EngineDiagnostic[] {
  const wells = wellSource(plate);
  return outliers.wells.map(({ well, reason }) => {
    const w = wells.at(well);
    const label = w.position ?? `${w.sample}/${w.target}`;
    const fix = cellEdit(plate, w, 'omit', 'true');
    const d: EngineDiagnostic = {
      code: 'replicate-outlier',
      severity: 'info',
      message: `Replicate outlier: well ${label} (${w.sample || '(no sample)'} / ${w.target || '(no target)'}, Cq ${w.cqText.trim()}): ${reason}.`,
      file: plate.file,
      range: wellRange(w),
    };
    if (fix) d.fixes = [fix];
    return d;
  });
}

const pct = (e: number) => (e - 1) * 100;

/** The plate editor's view of the engine's standard curves (numbers passed through unchanged). */
export function standardCurveViews(plate: Plate, curves: readonly StandardCurve[]): StandardCurveView[] {
  return curves.map((c) => {
    const std = plate.wells.filter((w) => w.task === 'standard' && w.target === c.target && typeof w.quantity === 'number' && w.quantity > 0);
    const used = new Set(c.points.map((p) => p.well.index));
    const ep = c.efficiencyPercent;
    return {
      target: c.target,
      points: c.points.map((p) => ({ well: p.well.index, position: plate.wells[p.well.index]?.position ?? null, log10q: p.log10q, cq: p.cq })),
      excluded: std.filter((w) => !used.has(w.index)).map((w) => w.index),
      n: c.n,
      levels: c.levels,
      slope: c.slope,
      intercept: c.intercept,
      r2: c.r2,
      efficiency: c.efficiency,
      efficiencyPercent: ep,
      efficiencyPercentCi: c.efficiencyCi ? [pct(c.efficiencyCi[0]), pct(c.efficiencyCi[1])] : null,
      slopeCi: c.slopeCi,
      lod: c.lod,
      // The same tests as the engine's std-efficiency / std-r2 findings (only once there is a fit).
      efficiencyOutOfRange: c.slope !== null && (ep === null || ep < STD_EFFICIENCY_PERCENT[0] || ep > STD_EFFICIENCY_PERCENT[1]),
      r2Low: c.r2 !== null && c.r2 < STD_MIN_R2,
      findings: c.diagnostics.map((d) => ({ code: d.code, message: d.message })),
      firstWell: std[0]?.index ?? null,
    };
  });
}

/** The outlier part of the plate editor's state. */
export function outlierView(settings: Required<OutlierSettings>, outliers: ReplicateOutliers): OutlierView {
  return { method: settings.method, alpha: settings.alpha, distance: settings.distance, wells: outliers.wells, ambiguous: outliers.ambiguous };
}

/**
 * Imports `data` and, if that gives a plate, runs QC, fits standard curves and screens replicates. Never throws: engine
 * exceptions become an error finding.
 */
export function analysePlate(data: string | Uint8Array, fileName: string, settings: QcSettings, options: PlateAnalysisOptions = {}): PlateAnalysis {
  return analyse(() => importPlate(data, fileName), typeof data === 'string' ? data : undefined, fileName, settings, options);
}

/** The same for a file over 50 MB read as a stream of chunks (src/engine/plate/stream.ts). */
export async function analysePlateStream(chunks: AsyncIterable<Uint8Array>, fileName: string, settings: QcSettings, options: PlateAnalysisOptions = {}): Promise<PlateAnalysis> {
  let imported: ImportResult;
  try {
    imported = await importPlateStream(chunks, fileName);
  } catch (e) {
    return analyse(() => { throw e; }, undefined, fileName, settings, options);
  }
  return analyse(() => imported, undefined, fileName, settings, options);
}

function analyse(load: () => ImportResult, text: string | undefined, fileName: string, settings: QcSettings, options: PlateAnalysisOptions): PlateAnalysis {
  const outlierSettings = normaliseOutlierSettings(options.outliers);
  const none: ReplicateOutliers = { wells: [], ambiguous: [] };
  try {
    const imported = load();
    const own = (d: EngineDiagnostic) => d.file === undefined || d.file === fileName;
    if (!imported.plate) return { plate: null, diagnostics: imported.diagnostics.filter(own), standardCurves: [], outliers: none, outlierSettings };
    const plate = imported.plate;
    const qc = runQc(plate, settings, text);
    const standardCurves = plateStandardCurves(plate, settings.maxCq);
    const std = standardCurves.flatMap((c) => c.diagnostics.filter((d) => STD_PROBLEM_CODES.has(d.code)));
    const outliers = findReplicateOutliers(plate, outlierSettings, settings.maxCq);
    return {
      plate,
      diagnostics: [...imported.diagnostics, ...qc, ...std, ...outlierDiagnostics(plate, outliers)].filter(own),
      standardCurves,
      outliers,
      outlierSettings,
    };
  } catch (e) {
    const message = `qPCR Studio could not read this file: ${e instanceof Error ? e.message : String(e)}`;
    return {
      plate: null,
      diagnostics: [{ code: 'internal-error', severity: 'error', message, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }],
      standardCurves: [],
      outliers: none,
      outlierSettings,
    };
  }
}
