/**
 * rdmlpython's LinRegPCR note and exclusion texts per reaction ("calculate excl and note strings" in
 * Run.linRegPCR), restated. rdmlpython tests its sentinels (TD0 -1, efficiency 1.0 when no window, n in log
 * phase -1), so the missing values of a LinRegResult are mapped back to them here.
 */
import type { LinRegResult } from './linreg';
import type { EfficiencyExclusion } from './linregMean';

const NEG = ['ntc', 'nac', 'ntp', 'nrt'];
const POS = ['std', 'pos'];

/** Python's "{:.3f}". */
const f3 = (v: number): string => v.toFixed(3);

/** Notes on the efficiencies and copies, shared by positive controls and unknowns. */
function efficiencyNotes(r: LinRegResult, eff: number, mode: EfficiencyExclusion): string[] {
  const out: string[] = [];
  if (eff > 1.1 && eff < 1.7) out.push(`indiv PCR eff is ${f3(eff)} < 1.7`);
  if (mode !== 'include') {
    if (!Number.isFinite(eff) || eff < 1.0) out.push('no indiv PCR eff can be calculated');
    else if (r.flags.efficiencyExcluded && mode === 'outlier') out.push('PCR efficiency outlier');
    else if (r.flags.efficiencyExcluded) {
      // rdmlpython's mean is -1 when its target has none left (then the note says "higher ... by E + 1").
      const d = eff - (Number.isNaN(r.meanEfficiency) ? -1.0 : r.meanEfficiency);
      out.push(`indiv PCR eff is ${d > 0.0 ? 'higher' : 'lower'} than mean PCR eff by ${f3(Math.abs(d))}`);
    }
  }
  if (r.meanEfficiency > 1.1 && r.meanEfficiency < 1.7) out.push(`mean PCR eff is ${f3(r.meanEfficiency)} < 1.7`);
  if (r.n0 > 100000000.0) out.push('Ncopy > 100 Mio');
  if (r.n0 > 0.0 && r.n0 < 10.0) out.push('Ncopy < 10');
  return out;
}

/** Why an unknown or a positive control did not amplify (suffix " in positive control" for controls). */
function failureNote(r: LinRegResult, td0: number, ctl: string): string | undefined {
  if (td0 < 2.0) return `no TD0 found${ctl}`;
  const nLog = Number.isNaN(r.nLog) ? '-1.0' : String(r.nLog);
  if (Number.isNaN(r.nLog) || r.nLog < 5) return `only ${nLog} values in log phase`;
  if (r.flags.baselineError > 0) return `baseline error${ctl}`;
  return undefined;
}

/** The notes and exclusion reasons rdmlpython writes for a reaction of the given RDML sample type. */
export function linregNotes(r: LinRegResult, sampleType: string, mode: EfficiencyExclusion): { notes: string[]; exclusions: string[] } {
  const notes: string[] = [], exclusions: string[] = [];
  const td0 = Number.isNaN(r.cq) ? -1.0 : r.cq, eff = Number.isNaN(r.efficiency) ? 1.0 : r.efficiency;
  const amp = r.flags.amplification;
  if (NEG.includes(sampleType)) {
    if (amp) { exclusions.push('amplification in negative control'); if (r.flags.baselineError) notes.push('baseline error'); }
    else if (td0 > 2.0) notes.push('TD0 found in negative control');
  }
  const pos = POS.includes(sampleType);
  if (pos || sampleType === 'unkn') {
    const ctl = pos ? ' in positive control' : '';
    if (amp && !r.flags.plateau) notes.push(`no plateau${ctl}`);
    if (!amp) {
      (pos ? exclusions : notes).push(`no amplification${ctl}`);
      const why = failureNote(r, td0, ctl);
      if (why) notes.push(why);
    }
    notes.push(...efficiencyNotes(r, eff, mode));
  }
  return { notes, exclusions };
}
