/**
 * A well's Cq as a plain number: NaN when it has none.
 *
 * `Well.cq` is `number | null`, and V8 keeps a value that may be null boxed: every read of a Cq through a getter (the
 * columnar store's well views) makes a new heap number (plate QC read each well's Cq five times: about 100 MB of
 * short-lived objects per 1M wells, and computeExpression 50 MB more). A well that can give its Cq unboxed has
 * `cqNumber()`; any other well is read as before. A parsed Cq is always finite, so NaN is never a Cq.
 */
export interface CqWell {
  readonly cq: number | null;
  cqNumber?(): number;
}

export function cqOrNaN(w: CqWell): number {
  return w.cqNumber !== undefined ? w.cqNumber() : (w.cq ?? NaN);
}
