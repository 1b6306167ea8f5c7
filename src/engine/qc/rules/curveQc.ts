/**
 * Curve QC (issue 20 part 3) on plates with raw curves, at each well's row, with the fix "Omit well" where the
 * format has an Omit column:
 * - amplification: the shape findings of curves/curveQc.ts on each curve, and the LinRegPCR individual efficiencies
 *   against the range and within their target (curveQc.ts `efficiencyFindings`);
 * - melt (melt.ts): multiple peaks, a primer-dimer peak, main-peak Tm outliers within a target
 *   (`qc-melt-multiple-peaks`, `qc-melt-primer-dimer`, `qc-melt-tm-outlier`).
 * Omitted wells and negative controls (NTC, NRT, negative) are not checked. A curve that cannot be analysed (too few
 * baseline or melt points) is skipped. The curve Cq is not compared with the instrument's here (`cqDifferenceFinding`):
 * LinRegPCR's TD0 and a threshold Cq at another threshold differ by more than a cycle by definition, not by fault.
 */
import type { EngineDiagnostic, EngineFix } from '../../common/diagnostic';
import type { Well } from '../../plate/model';
import { cellEdit } from '../../plate';
import { wellRange } from '../../expression/standards';
import { StatsError } from '../../stats/errors';
import { curveShapeFindings, efficiencyFindings, type CurveFinding } from '../../curves/curveQc';
import { linregPlate } from '../../curves/plateAnalysis';
import { analyseMelt, tmOutliers } from '../../curves/melt';
import { curveOf } from '../../curves/store';
import { append, label, type QcContext, type QcRule } from '../rule';

const NEGATIVE = new Set(['ntc', 'nrt', 'negative']);

/** Runs `f`, null when the curve cannot be analysed (StatsError: too few points, non-finite values). */
function attempt<T>(f: () => T): T | null {
  try { return f(); } catch (e) { if (e instanceof StatsError) return null; throw e; }
}

export class CurveQc implements QcRule {
  private readonly checked = new Set<number>();
  /** Positions that hold several checked reactions (multiplex): named `A1/target` there. */
  private readonly seen = new Set<string>();
  private readonly shared = new Set<string>();

  constructor(private readonly ctx: QcContext) {}

  visit(block: readonly Well[]): void {
    if (!this.ctx.plate.curves) return;
    for (let j = 0; j < block.length; j++) {
      const w = block[j];
      if (w.omitted || NEGATIVE.has(w.task)) continue;
      this.checked.add(w.index);
      const l = label(w);
      if (this.seen.has(l)) this.shared.add(l); else this.seen.add(l);
    }
  }

  private name(w: Well): string {
    const l = label(w);
    return this.shared.has(l) ? `${l}/${w.target}` : l;
  }

  finish(out: EngineDiagnostic[]): void {
    if (!this.checked.size) return;
    const found: { well: Well; f: CurveFinding }[] = [...this.amplification(), ...this.melt()];
    found.sort((a, b) => a.well.index - b.well.index); // stable: per well, amplification before melt
    append(out, found.map(({ well, f }) => this.finding(well, f)));
  }

  private finding(w: Well, f: CurveFinding): EngineDiagnostic {
    const { plate, text, textAt, diag } = this.ctx;
    const fixes: EngineFix[] = [];
    const fix = cellEdit(plate, w, 'omit');
    if (fix && (text === undefined || textAt(fix.edits[0].range) !== null)) fixes.push(fix);
    return diag(f.code, f.severity, `${f.message} (${w.sample} / ${w.target}).`, wellRange(w), fixes, [w]);
  }

  private amplification(): { well: Well; f: CurveFinding }[] {
    const plate = this.ctx.plate;
    if (!plate.curves?.amplification) return [];
    const { curves, run } = linregPlate(plate);
    const out: { well: Well; f: CurveFinding }[] = [];
    const effs: { reaction: string; target: string; efficiency: number }[] = [];
    const byName = new Map<string, Well>();
    curves.forEach((c, k) => {
      const w = c.well;
      if (!this.checked.has(w.index)) return;
      const name = this.name(w);
      byName.set(name, w);
      for (const f of attempt(() => curveShapeFindings(name, c.cycles, c.fluor)) ?? []) out.push({ well: w, f });
      const r = run.reactions[k];
      if (r.flags.amplification && Number.isFinite(r.efficiency)) effs.push({ reaction: name, target: w.target, efficiency: r.efficiency });
    });
    for (const f of efficiencyFindings(effs)) out.push({ well: byName.get(f.reaction)!, f: { ...f, message: `LinRegPCR ${f.message}` } });
    return out;
  }

  private melt(): { well: Well; f: CurveFinding }[] {
    const plate = this.ctx.plate, t = plate.curves?.melt;
    if (!t) return [];
    const out: { well: Well; f: CurveFinding }[] = [];
    const tms = new Map<string, { id: string; tm: number; well: Well }[]>();
    for (const index of this.checked) {
      const c = curveOf(t, index);
      const w = this.ctx.wells.at(index);
      const m = c && attempt(() => analyseMelt(Array.from(c.x), Array.from(c.y)));
      if (!m || !m.peaks.length) continue;
      const main = m.peaks[0], name = this.name(w);
      const peaks = m.peaks.map((p) => `${p.tm.toFixed(1)} °C`).join(', ');
      if (m.primerDimer) out.push({ well: w, f: { code: 'qc-melt-primer-dimer', severity: 'warning', reaction: name, message: `${name}: melt peaks at ${peaks}, a peak below the main one (${main.tm.toFixed(1)} °C) where primer-dimers melt` } });
      else if (m.multiplePeaks) out.push({ well: w, f: { code: 'qc-melt-multiple-peaks', severity: 'warning', reaction: name, message: `${name}: ${m.peaks.length} melt peaks (${peaks}), more than one product` } });
      (tms.get(w.target) ?? tms.set(w.target, []).get(w.target)!).push({ id: name, tm: main.tm, well: w });
    }
    for (const [target, list] of tms) {
      for (const o of tmOutliers(list)) {
        const w = list.find((x) => x.id === o.id)!.well;
        out.push({ well: w, f: { code: 'qc-melt-tm-outlier', severity: 'warning', reaction: o.id, message: `${o.id}: Tm ${o.tm.toFixed(2)} °C is ${Math.abs(o.deviation).toFixed(2)} °C from the median of the ${list.length} reactions of ${target}` } });
      }
    }
    return out;
  }
}
