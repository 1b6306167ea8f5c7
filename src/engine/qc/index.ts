/**
 * Plate QC: pure rules over an imported Plate. Every finding has a stable code, a severity and an exact range
 * (the Cq cell, the position cell, or the row). Import problems (`row-ragged`, `cq-unparseable`) are reported by
 * the importer and are not repeated here.
 *
 * One rule per file in ./rules (the interface is in ./rule.ts); codes: well-duplicate, well-outside-plate, late-cq and
 * ntc-amplified, replicate-sd and few-replicates, no-reference, mixed-decimal, instrument-flag (with an
 * `omit-flagged` fix where the format has an Omit column), nocq-variant (with a certain fix normalising the spelling
 * to the file's dominant one), and on plates with raw curves the curve QC (qc-curve-*, qc-melt-*; ./rules/curveQc.ts).
 * Thresholds and their defaults: ./thresholds.ts.
 */
import type { EngineDiagnostic } from '../common/diagnostic';
import type { Plate, QcSettings, Well } from '../plate/model';
import { makeContext, type QcRuleClass } from './rule';
import { WellDuplicate } from './rules/wellDuplicate';
import { WellOutsidePlate } from './rules/wellOutsidePlate';
import { LateCq } from './rules/lateCq';
import { Replicates } from './rules/replicates';
import { NoReference } from './rules/noReference';
import { MixedDecimal } from './rules/mixedDecimal';
import { InstrumentFlag } from './rules/instrumentFlag';
import { NocqVariant } from './rules/nocqVariant';
import { CurveQc } from './rules/curveQc';

export type { QcContext, QcRule, QcRuleClass } from './rule';

/** The rules, in the order their findings are reported. */
export const QC_RULES: readonly QcRuleClass[] = [
  WellDuplicate, WellOutsidePlate, LateCq, Replicates, NoReference, MixedDecimal, InstrumentFlag, NocqVariant, CurveQc,
];

/** Wells per block of the pass (see ./rule.ts): small enough for a block's wells to stay in the CPU cache. */
const BLOCK = 1024;

/**
 * Runs every rule over the plate. Diagnostics come rule by rule (in the order of QC_RULES), each rule's in well order.
 *
 * Performance (a 1M-well plate): the wells are read in ONE pass, from the plate's `WellSource` (a text import's
 * columns: no array of a million views is made, plate/wellSource.ts). Every rule takes what it needs from that pass
 * (block by block, see ./rule.ts) into its own list of diagnostics (or into a few per-well typed arrays); later steps
 * run over those arrays or over the few wells that are reported. The typed arrays are
 * kept few and small (about 25 bytes per well): see `firstOccurrences` on external memory.
 */
export function runQc(plate: Plate, settings: QcSettings, text?: string): EngineDiagnostic[] {
  const ctx = makeContext(plate, settings, text);
  const rules = QC_RULES.map((Rule) => new Rule(ctx));
  const wells = ctx.wells;
  for (let from = 0; from < wells.length; from += BLOCK) {
    const block = new Array<Well>(Math.min(BLOCK, wells.length - from));
    for (let j = 0; j < block.length; j++) block[j] = wells.at(from + j);
    for (const r of rules) r.visit(block, from);
  }
  const out: EngineDiagnostic[] = [];
  for (const r of rules) r.finish(out);
  return out;
}
