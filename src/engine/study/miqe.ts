/**
 * The MIQE checklist of report.json (`miqe`, issue 14 item 6; types and table in src/shared/report/miqe.ts): the
 * checklist items with the answers the run knows (instrument and file format, efficiencies with their CIs, linear
 * range and LOD from the standards, NTC Cqs, references and their stability, non-detect policy, replicate handling,
 * QC thresholds and exclusions, software and version) and the rest marked "to report by hand".
 *
 * Item names and E/D: the MIQE 2009 checklist (Bustin et al., Clin Chem 55:611–622, Table 1); the MIQE 2.0 revision
 * (Bustin et al. 2025, Clin Chem 71) streamlined it and asks in addition for efficiency-corrected quantities with
 * their intervals, the non-detect handling and the raw data: those items are added here and marked as such.
 */
import type { Plate } from '../plate/model';
import { wellSource } from '../plate/wellSource';
import type { Report } from '../../shared/report/types';
import type { MiqeItem, MiqeSection } from '../../shared/report/miqe';
import type { StabilityResult } from '../../shared/report/kinds/stability';
import { median } from '../stats/descriptive';
import { maxOf, minOf } from '../../shared/extent';
import { QC_DEFAULTS } from '../../shared/qcThresholds';

type Fill = string | null;
interface MiqeInput { report: Report; plates: readonly Plate[]; outliers: string }

const f3 = (x: number) => String(Number(x.toPrecision(4)));
const list = (xs: string[], max = 12) => xs.slice(0, max).join('; ') + (xs.length > max ? `; … (${xs.length - max} more)` : '');

function instruments(plates: readonly Plate[]): Fill {
  const seen = new Set(plates.map((p) => `${p.instrument ?? 'instrument not stated in the file'} (${p.format} export)`));
  return seen.size ? [...seen].join('; ') : null;
}

function ntcCqs(plates: readonly Plate[]): Fill {
  const by = new Map<string, string[]>();
  for (const wells of plates.map(wellSource)) for (let i = 0; i < wells.length; i++) { // index loops: see plate/index.ts inferGeometry
    const w = wells.at(i);
    if (w.task !== 'ntc') continue;
    const a = by.get(w.target) ?? [];
    a.push(w.cq === null ? 'no Cq' : f3(w.cq));
    by.set(w.target, a);
  }
  return by.size ? list([...by].map(([t, cqs]) => `${t}: ${cqs.join(', ')}`)) : null;
}

function linearRange(plates: readonly Plate[]): Fill {
  const by = new Map<string, number[]>();
  for (const wells of plates.map(wellSource)) for (let i = 0; i < wells.length; i++) {
    const w = wells.at(i);
    if (w.task !== 'standard' || w.cq === null || w.omitted || !(typeof w.quantity === 'number' && w.quantity > 0)) continue;
    by.set(w.target, [...(by.get(w.target) ?? []), w.quantity]);
  }
  return by.size ? list([...by].map(([t, q]) => `${t}: ${f3(minOf(q))} to ${f3(maxOf(q))} (standards with a Cq)`)) : null;
}

function curves(r: Report, what: 'efficiency' | 'r2' | 'slope' | 'lod'): Fill {
  const cs = r.methods?.standardCurves ?? [];
  if (!cs.length) return null;
  return list(cs.map((c) => {
    const head = `${c.target} (${c.file})`;
    if (what === 'efficiency') return `${head}: E ${c.efficiencyPercent === null ? '—' : f3(c.efficiencyPercent)} %${c.efficiencyCi ? `, 95 % CI ${f3((c.efficiencyCi[0] - 1) * 100)} to ${f3((c.efficiencyCi[1] - 1) * 100)} %` : ''}`;
    if (what === 'r2') return `${head}: r² ${c.r2 === null ? '—' : c.r2.toFixed(4)}`;
    if (what === 'slope') return `${head}: slope ${c.slope === null ? '—' : f3(c.slope)}, intercept ${c.intercept === null ? '—' : f3(c.intercept)}`;
    return `${head}: ${c.lod === null ? 'no level with every replicate amplified' : `lowest quantity with every replicate amplified ${f3(c.lod)}`}`;
  }));
}

function references(r: Report): Fill {
  const refs = r.methods?.references ?? [];
  if (!refs.length) return null;
  const st = r.results.find((x): x is StabilityResult => x.kind === 'stability' && !('error' in x));
  const stab = st?.genorm ? `; geNorm M ${st.genorm.m.map((m) => `${m.target} ${m.m.toFixed(3)}`).join(', ')}${st.normfinder ? `; NormFinder best ${st.normfinder.best}` : ''} (${st.name})`
    : st?.normfinder ? `; NormFinder best ${st.normfinder.best} (${st.name})` : '; stability not assessed in this study (add a `stability` analysis)';
  return `${refs.join(', ')}${stab}`;
}

function repeatability(r: Report): Fill {
  const sds = (r.steps?.rows ?? []).map((x) => x.cqSd).filter((x): x is number => x !== null);
  return sds.length ? `median replicate SD ${median(sds).toFixed(3)} cycles over ${sds.length} sample × target groups (max ${maxOf(sds).toFixed(3)})` : null;
}

function exclusions(r: Report): Fill {
  const m = r.methods;
  if (!m) return null;
  const byCode = new Map<string, number>();
  for (const x of m.exclusions) byCode.set(x.code ?? 'excluded', (byCode.get(x.code ?? 'excluded') ?? 0) + 1);
  const qc = Object.entries(m.qc).map(([k, v]) => `${k} ${v}`).join(', ');
  const pre = r.preanalytical ? [...r.preanalytical.hemolysis.map((c) => `haemolysis dCq ${c.high} − ${c.low} ${c.op} ${c.threshold}: ${c.flagged} of ${c.rows.length} samples flagged`),
    ...r.preanalytical.spikeIns.map((c) => `spike-in ${c.target} |robust z| > ${c.limit}: ${c.flagged} of ${c.rows.length} flagged`)] : [];
  return `thresholds ${qc}; ${m.exclusions.length} reactions excluded${byCode.size ? ` (${[...byCode].map(([k, n]) => `${k} ${n}`).join(', ')})` : ''}; ${r.data.qc.length} QC findings${pre.length ? `; ${pre.join('; ')}` : ''}`;
}

function inhibition(r: Report): Fill {
  const s = r.preanalytical?.spikeIns ?? [];
  return s.length ? s.map((c) => `spike-in ${c.target}: robust z of its Cq across ${c.rows.length} samples, ${c.flagged} outside ±${c.limit}`).join('; ') : null;
}

/** [section, item, E/D, filler (null = by hand)]; items from MIQE 2.0 beyond the 2009 list are marked in the name. */
function items(x: MiqeInput): [string, string, 'E' | 'D', Fill][] {
  const r = x.report, m = r.methods;
  const analyses = [...new Set(r.results.map((a) => a.kind))];
  return [
    ['Experimental design', 'Definition of experimental and control groups', 'E', null],
    ['Experimental design', 'Number within each group', 'E', `${r.data.samples} samples, ${r.data.subjects} subjects, ${r.data.plates} plates, ${r.data.wells} wells (groups as defined by each analysis)`],
    ['Experimental design', 'Assay carried out by the core or investigator’s laboratory', 'D', null],
    ['Sample', 'Description, volume or mass, processing, storage', 'E', null],
    ['Nucleic acid extraction', 'Procedure, instrument and kit, DNase or RNase treatment', 'E', null],
    ['Nucleic acid extraction', 'Quantification, purity (A260/A280), RNA integrity', 'E', null],
    ['Nucleic acid extraction', 'Inhibition testing (Cq dilutions, spike or other)', 'E', inhibition(r)],
    ['Nucleic acid extraction', 'Sample quality: haemolysis (circulating RNA)', 'D', r.preanalytical?.hemolysis.length ? r.preanalytical.hemolysis.map((c) => `dCq ${c.high} − ${c.low} ${c.op} ${c.threshold}: ${c.flagged} of ${c.rows.length} samples flagged`).join('; ') : null],
    ['Reverse transcription', 'Complete reaction conditions, RNA amount, priming, enzyme, kit', 'E', null],
    ['qPCR target information', 'Gene symbols of targets and references', 'E', m ? `targets ${m.targets.join(', ') || '—'}; references ${m.references.join(', ') || '—'}` : null],
    ['qPCR target information', 'Sequence accession number, amplicon location and length', 'E', null],
    ['qPCR oligonucleotides', 'Primer and probe sequences (or assay ID), modifications, manufacturer', 'E', null],
    ['qPCR protocol', 'Reaction volume and conditions, polymerase, master mix, thermocycling', 'E', null],
    ['qPCR protocol', 'Manufacturer of the qPCR instrument', 'E', instruments(x.plates)],
    ['qPCR validation', 'Specificity (gel, sequencing, melt curve)', 'E', null],
    ['qPCR validation', 'Cq of the no-template controls', 'E', ntcCqs(x.plates) ?? 'no NTC wells on the plates'],
    ['qPCR validation', 'Standard curves with slope and y-intercept', 'E', curves(r, 'slope')],
    ['qPCR validation', 'PCR efficiency from the slope, with its 95 % CI', 'E', curves(r, 'efficiency') ?? (m ? `no standards: ${m.efficiencies.map((e) => `${e.target} ${e.value} (${e.source})`).join(', ')}` : null)],
    ['qPCR validation', 'r² of the standard curve', 'E', curves(r, 'r2')],
    ['qPCR validation', 'Linear dynamic range', 'E', linearRange(x.plates)],
    ['qPCR validation', 'Limit of detection (evidence)', 'E', curves(r, 'lod')],
    ['Data analysis', 'Analysis program (source, version)', 'E', r.engine],
    ['Data analysis', 'Method of Cq determination', 'E', null],
    ['Data analysis', 'Outlier identification and disposition', 'E', x.outliers],
    ['Data analysis', 'QC thresholds and exclusions', 'E', exclusions(r)],
    ['Data analysis', 'Results of NTCs', 'E', ntcCqs(x.plates) ?? 'no NTC wells on the plates'],
    ['Data analysis', 'Reference genes: choice and stability', 'E', references(r)],
    ['Data analysis', 'Normalisation method', 'E', m?.expression ?? null],
    ['Data analysis', 'Non-detect handling (MIQE 2.0)', 'E', m?.nondetect ?? null],
    ['Data analysis', 'Number and stage of technical replicates, and their handling', 'E', m ? `replicate Cqs averaged per plate × sample × target; at least ${m.qc.minReplicates ?? QC_DEFAULTS.minReplicates} usable replicates; replicate SD above ${m.qc.replicateSd ?? QC_DEFAULTS.replicateSd} cycles flagged` : null],
    ['Data analysis', 'Repeatability (intra-assay variation)', 'E', repeatability(r)],
    ['Data analysis', 'Reproducibility (inter-assay variation)', 'D', null],
    ['Data analysis', 'Calculation of quantities, efficiency-corrected (MIQE 2.0)', 'E', r.steps?.formula ?? null],
    ['Data analysis', 'Statistical methods for the significance of results', 'E', analyses.length ? `analyses: ${analyses.join(', ')} (methods per result in this report)` : null],
    ['Data analysis', 'Power analysis', 'D', null],
    ['Data analysis', 'Raw data (Cq or RDML) availability (MIQE 2.0)', 'D', null],
  ];
}

export function miqeChecklist(x: MiqeInput): MiqeSection {
  const out: MiqeItem[] = items(x).map(([section, item, importance, value]) =>
    value === null ? { section, item, importance, status: 'by hand' } : { section, item, importance, status: 'auto', value });
  const auto = out.filter((i) => i.status === 'auto').length;
  return {
    basis: 'Item names and E (essential) / D (desirable) after the MIQE 2009 checklist (Bustin et al., Clin Chem 2009;55:611–622), with the items the MIQE 2.0 revision (Bustin et al., Clin Chem 2025) adds marked "MIQE 2.0"; the MIQE 2.0 table itself was not available to check the wording. "Filled" values come from the study and its plates; check them before reporting.',
    items: out, auto, byHand: out.length - auto,
  };
}
