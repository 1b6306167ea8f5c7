/** Reads the extension's settings. */
import * as vscode from 'vscode';
import { DEFAULT_QC, type QcSettings } from '../engine/plate/model';
import type { OutlierSettings } from '../engine/expression/types';
import { DEFAULT_OUTLIERS, normaliseOutlierSettings } from './plateAnalysis';

/** The QC thresholds from `qpcr.qc.*` for a resource (defaults from the engine). */
export function qcSettings(scope?: vscode.Uri): QcSettings {
  const c = vscode.workspace.getConfiguration('qpcr.qc', scope);
  const num = (key: string, dflt: number): number => {
    const v = c.get<number>(key);
    return typeof v === 'number' && Number.isFinite(v) ? v : dflt;
  };
  const refs = c.get<unknown>('referenceTargets');
  return {
    maxCq: num('maxCq', DEFAULT_QC.maxCq),
    replicateSd: num('replicateSd', DEFAULT_QC.replicateSd),
    ntcMinCq: num('ntcMinCq', DEFAULT_QC.ntcMinCq),
    minReplicates: DEFAULT_QC.minReplicates,
    referenceTargets: Array.isArray(refs) ? refs.filter((r): r is string => typeof r === 'string') : [],
  };
}

/** True if a configuration change touches the QC settings. */
export function affectsQc(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration('qpcr.qc');
}

/** Replicate outlier screening from `qpcr.outliers.*` for a resource (off by default). */
export function outlierSettings(scope?: vscode.Uri): Required<OutlierSettings> {
  const c = vscode.workspace.getConfiguration('qpcr.outliers', scope);
  return normaliseOutlierSettings({
    method: c.get<OutlierSettings['method']>('method', DEFAULT_OUTLIERS.method),
    alpha: c.get<number>('alpha', DEFAULT_OUTLIERS.alpha),
    distance: c.get<number>('distance', DEFAULT_OUTLIERS.distance),
  });
}

/** True if a configuration change touches what the plate editor and the Cq diagnostics compute (QC or outliers). */
export function affectsPlateAnalysis(e: vscode.ConfigurationChangeEvent): boolean {
  return affectsQc(e) || e.affectsConfiguration('qpcr.outliers');
}
