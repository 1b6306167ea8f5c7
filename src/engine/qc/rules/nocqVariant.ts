/**
 * nocq-variant: a "no Cq" word spelled differently from the file's dominant spelling of the same word, with a certain
 * fix normalising it where the range covers exactly that text.
 */
import type { EngineDiagnostic, EngineFix } from '../../common/diagnostic';
import type { Well } from '../../plate/model';
import { cqOrNaN } from '../../../shared/cq';
import { label, type QcContext, type QcRule } from '../rule';

/** Normalised "no Cq" word family for variant detection: all spellings of "undetermined" are one family. */
function noCqFamily(t: string): string | null {
  const l = t.trim().toLowerCase().replace(/\s+/g, ' ');
  if (l === '') return null;
  if (l === 'undetermined' || l === 'undet.' || l === 'undet' || l === 'no ct' || l === 'no cq' || l === 'noct' || l === 'no cp') return 'undetermined';
  if (l === 'nan') return 'nan';
  if (l === 'n/a' || l === 'na' || l === '#n/a' || l === 'n.a.') return 'na';
  return null;
}

export class NocqVariant implements QcRule {
  // The "no Cq" wells of each word family, and per family the count of each spelling.
  private readonly byFamily = new Map<string, Map<string, number>>();
  private readonly noCqWells: { w: Well; fam: string }[] = [];

  constructor(private readonly ctx: QcContext) {}

  visit(block: readonly Well[]): void {
    for (let j = 0; j < block.length; j++) {
      const w = block[j];
      if (!Number.isNaN(cqOrNaN(w))) continue;
      const fam = noCqFamily(w.cqText);
      if (!fam) continue;
      this.noCqWells.push({ w, fam });
      let m = this.byFamily.get(fam);
      if (!m) { m = new Map(); this.byFamily.set(fam, m); }
      m.set(w.cqText, (m.get(w.cqText) ?? 0) + 1);
    }
  }

  finish(out: EngineDiagnostic[]): void {
    const { text, textAt, diag } = this.ctx;
    for (const { w, fam } of this.noCqWells) {
      const m = this.byFamily.get(fam)!;
      if (m.size < 2) continue;
      const spelling = w.cqText;
      let dominant = '', k = -1;
      for (const [s, c] of m) if (c > k || (c === k && s < dominant)) { dominant = s; k = c; }
      if (spelling === dominant) continue;
      const r = w.ranges.cq;
      const fixes: EngineFix[] = [];
      // Certain only when the range covers exactly this text (checked against the document when given).
      if (r && r.start.line === r.end.line && r.end.character - r.start.character === spelling.length
        && (text === undefined || textAt(r) === spelling)) {
        fixes.push({ title: `Replace "${spelling}" with "${dominant}"`, edits: [{ range: r, newText: dominant }] });
      }
      out.push(diag('nocq-variant', 'info', `"${spelling}" in ${label(w)} differs from this file's usual "${dominant}" (${k}×).`, r ?? w.ranges.row, fixes, [w]));
    }
  }
}
