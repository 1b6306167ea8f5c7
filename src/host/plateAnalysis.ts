/** Import + QC of one Cq file, shared by the plate editor and the diagnostics. Pure: no `vscode`. */
import type { EngineDiagnostic } from '../engine/common/diagnostic';
import type { Plate, QcSettings } from '../engine/plate/model';
import { importPlate } from '../engine/plate';
import { runQc } from '../engine/qc';

export interface PlateAnalysis {
  plate: Plate | null;
  /** Import findings followed by QC findings (QC only when a plate was imported). */
  diagnostics: EngineDiagnostic[];
}

/** Imports `data` and, if that gives a plate, runs QC on it. Never throws: engine exceptions become an error finding. */
export function analysePlate(data: string | Uint8Array, fileName: string, settings: QcSettings): PlateAnalysis {
  try {
    const imported = importPlate(data, fileName);
    const own = (d: EngineDiagnostic) => d.file === undefined || d.file === fileName;
    if (!imported.plate) return { plate: null, diagnostics: imported.diagnostics.filter(own) };
    const qc = runQc(imported.plate, settings, typeof data === 'string' ? data : undefined);
    return { plate: imported.plate, diagnostics: [...imported.diagnostics, ...qc].filter(own) };
  } catch (e) {
    const message = `qPCR Studio could not read this file: ${e instanceof Error ? e.message : String(e)}`;
    return {
      plate: null,
      diagnostics: [{ code: 'internal-error', severity: 'error', message, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }],
    };
  }
}
