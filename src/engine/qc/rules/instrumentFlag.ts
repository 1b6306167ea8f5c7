/** instrument-flag: a well the instrument flagged, with an `omit-flagged` fix where the format has an Omit column. */
import type { EngineDiagnostic, EngineFix } from '../../common/diagnostic';
import type { Well } from '../../plate/model';
import { cellEdit } from '../../plate';
import { append, label, type QcContext, type QcRule } from '../rule';

export class InstrumentFlag implements QcRule {
  private readonly found: EngineDiagnostic[] = [];

  constructor(private readonly ctx: QcContext) {}

  visit(block: readonly Well[]): void {
    for (let j = 0; j < block.length; j++) if (block[j].flags.length) this.flagged(block[j]);
  }

  private flagged(w: Well): void {
    const { plate, text, textAt, diag } = this.ctx;
    const fixes: EngineFix[] = [];
    if (!w.omitted) {
      const f = cellEdit(plate, w, 'omit');
      if (f && (text === undefined || textAt(f.edits[0].range) !== null)) fixes.push({ ...f, title: `${f.title} (omit-flagged)` });
    }
    this.found.push(diag('instrument-flag', w.omitted ? 'info' : 'warning',
      `The instrument flagged ${label(w)} (${w.sample} / ${w.target}): ${w.flags.join(', ')}${w.omitted ? ' (already omitted)' : ''}.`,
      w.ranges.row, fixes, [w]));
  }

  finish(out: EngineDiagnostic[]): void { append(out, this.found); }
}
