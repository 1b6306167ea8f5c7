/** Test helper: build Plates in code (no importer), and read the two fixture files' standards without the importer. */
import type { Plate, Well, WellTask } from '../../../src/engine/plate/model';

export interface W { s: string; t: string; cq: number | null; task?: WellTask; omitted?: boolean; q?: number; text?: string }

export function plate(file: string, wells: W[]): Plate {
  return {
    file, format: 'tidy', rows: null, cols: null, meta: {},
    conventions: { delimiter: ',', decimal: '.', lineEnding: '\n', bom: false },
    wells: wells.map((w, i): Well => ({
      index: i, position: `A${i + 1}`, row: 0, col: i, sample: w.s, target: w.t, task: w.task ?? 'unknown',
      cq: w.cq, noCq: w.cq === null ? 'undetermined' : undefined, cqText: w.text ?? (w.cq === null ? 'Undetermined' : String(w.cq)),
      quantity: w.q ?? null, omitted: w.omitted ?? false, flags: [], line: i + 1, ranges: {},
    })),
  };
}

/** Replicates shorthand: reps('S1', 'T', [20.1, 20.3]). */
export function reps(s: string, t: string, cqs: (number | null)[], extra: Partial<W> = {}): W[] {
  return cqs.map((cq) => ({ s, t, cq, ...extra }));
}

/** LightCycler 480 Abs Quant text (CR line ends, `Experiment:` line): standards only (Standard > 0). */
export function lightCyclerStandards(text: string, target: string): Plate {
  const lines = text.split(/\r\n|\r|\n/).slice(2).filter((l) => l.trim() !== '');
  const ws: W[] = [];
  for (const l of lines) {
    const c = l.split('\t');
    const q = Number(c[6]);
    if (q > 0) ws.push({ s: c[3], t: target, cq: c[4] === '' ? null : Number(c[4]), task: 'standard', q });
  }
  return plate('LightCycler_sample.txt', ws);
}

/** CFX Manager CSV: standards (Content Std-*) with Starting Quantity. */
export function cfxStandards(text: string): Plate {
  const lines = text.split(/\r\n|\r|\n/).slice(1).filter((l) => l.trim() !== '');
  const ws: W[] = [];
  for (const l of lines) {
    const c = l.split(',');
    if (!c[4].startsWith('Std')) continue;
    const cq = c[7] === 'N/A' ? null : Number(c[7]);
    ws.push({ s: c[4], t: c[3], cq, task: 'standard', q: Number(c[10]) });
  }
  return plate('CFX_sample.txt', ws);
}
