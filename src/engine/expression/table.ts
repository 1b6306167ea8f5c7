/**
 * The rows of an expression run as columns: one row per sample × target of interest, then the sample's references,
 * in the order of `ExpressionResult.samples`. Each row holds numbers only (its sample, target and replicate group by
 * number, its dCq, expression and ddCq); the replicate statistics stay per group and the fields per sample.
 *
 * A million-well plate has 333,333 rows: as objects they were a third of computeExpression's time and most of its
 * garbage. The study runner reads this table (pivot, step table); `ExpressionResult.samples` makes the row objects
 * from it on its first read (common/lazyProperty.ts), the same objects, in the same key order, as before.
 *
 * Numbers are stored with NaN for null (no value of these columns is NaN: every Cq is finite).
 */
import { lazyProperty } from '../common/lazyProperty';
import type { ReplicateStep, SampleExpression, WellRef } from './types';

/** The replicate groups' statistics the rows read (by group number). */
export interface TableGroups {
  nUsed: ArrayLike<number>;
  cqMean: Float64Array;
  cqSd: Float64Array;
  /** Group k's wells are memberStart[k] ..< memberStart[k + 1] (nTotal = their count). */
  memberStart: Int32Array;
  /** Per group (the first few thousand, with `ExpressionOptions.steps`): each well's Cq used or why excluded. */
  steps?: ReplicateStep[][];
}

/** What a table is made of (see `ExpressionTable`). */
export interface TableParts {
  length: number;
  sampleNames: readonly string[];
  sampleFields: readonly Record<string, string>[];
  /** Target number → name: the targets of interest (numbers 0 ..< nTargets), then the references not among them. */
  targetNames: readonly string[];
  nTargets: number;
  /** Per row. */
  sampleNo: Int32Array;
  targetNo: Int32Array;
  groupNo: Int32Array;
  reference: Uint8Array;
  dcq: Float64Array;
  expression: Float64Array;
  /** Per row, with a calibrator (else null); meaningful on the rows of targets of interest. */
  ddcq: Float64Array | null;
  /** Per sample: the mean of its references' mean Cqs (NaN: a reference is missing). */
  refCq: Float64Array;
  groups: TableGroups;
  /** Every well of group h, made when asked for. */
  wells: (h: number) => WellRef[];
}

const orNull = (x: number): number | null => (Number.isNaN(x) ? null : x);

/** Defines a row's `wells` (of group h), next in its key order. */
type AttachWells = (o: object, h: number) => void;

export class ExpressionTable {
  readonly length: number;
  readonly #p: TableParts;
  readonly #attachWells: AttachWells;

  constructor(parts: TableParts) {
    this.length = parts.length;
    this.#p = parts;
    this.#attachWells = lazyProperty('wells', parts.wells);
  }

  sampleAt(i: number): string { return this.#p.sampleNames[this.#p.sampleNo[i]]; }
  fieldsAt(i: number): Record<string, string> { return this.#p.sampleFields[this.#p.sampleNo[i]]; }
  targetAt(i: number): string { return this.#p.targetNames[this.#p.targetNo[i]]; }
  isReferenceAt(i: number): boolean { return this.#p.reference[i] === 1; }
  cqMeanAt(i: number): number | null {
    const g = this.#p.groups, h = this.#p.groupNo[i];
    return g.nUsed[h] ? g.cqMean[h] : null;
  }
  dcqAt(i: number): number | null { return orNull(this.#p.dcq[i]); }
  expressionAt(i: number): number | null { return orNull(this.#p.expression[i]); }
  /** Every well of row i (used and excluded). */
  wellsAt(i: number): WellRef[] { return this.#p.wells(this.#p.groupNo[i]); }
  /** Whether row i has a step table (`replicates`). */
  hasStepsAt(i: number): boolean { return this.#p.groups.steps?.[this.#p.groupNo[i]] !== undefined; }

  /** Row i as an object (a new one on each call; `ExpressionResult.samples` keeps one per row). */
  row(i: number): SampleExpression {
    const p = this.#p, g = p.groups, h = p.groupNo[i], sn = p.sampleNo[i], n = g.nUsed[h];
    const ref = p.reference[i] === 1;
    // Every field's final value in the literal (one hidden class); the keys in the order the rows always had.
    const se = {
      sample: p.sampleNames[sn], fields: p.sampleFields[sn], target: p.targetNames[p.targetNo[i]],
      cqMean: n ? g.cqMean[h] : null, cqSd: n >= 2 ? g.cqSd[h] : null, nUsed: n, nTotal: g.memberStart[h + 1] - g.memberStart[h],
      refCq: ref ? null : orNull(p.refCq[sn]), dcq: ref ? null : orNull(p.dcq[i]), expression: orNull(p.expression[i]),
    } as SampleExpression;
    this.#attachWells(se, h);
    const replicates = g.steps?.[h];
    if (ref) se.reference = true;
    if (replicates) se.replicates = replicates;
    // With a calibrator, every row of a target of interest has `ddcq` (null on a reference row of that name).
    if (p.ddcq !== null && p.targetNo[i] < p.nTargets) se.ddcq = ref ? null : orNull(p.ddcq[i]);
    return se;
  }

  /** Every row as an object, in order. */
  rows(): SampleExpression[] {
    const out: SampleExpression[] = new Array(this.length); // every slot written in order
    for (let i = 0; i < this.length; i++) out[i] = this.row(i);
    return out;
  }
}

/** `samples` of an expression result: the table's rows, made on the first read. */
export const attachRows = lazyProperty<SampleExpression[], ExpressionTable>('samples', (t) => t.rows());
