/** Reads the extension's settings. */
import * as vscode from 'vscode';
import { DEFAULT_QC, type QcSettings } from '../engine/plate/model';

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
