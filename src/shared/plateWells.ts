/**
 * The wells of a `plate/state` message as columns (pure; used by the host's plateView.ts and the plate webview).
 * One object per well repeated every field name and every sample, target and task: about 200 characters a well, so a
 * 1,536-well plate's state was 300 KB to serialise, send and parse before the heat map could be drawn. As columns of
 * small integers into one string table it is about a fifth of that, and the webview rebuilds the `PlateWellView`s it
 * works with (`decodePlateState`) in well under a millisecond.
 */
import type { PlateState, PlateStateMessage, PlateWellColumns, PlateWellView } from './plateProtocol';

const OMITTED = 1;
const CAN_OMIT = 2;
const CAN_EDIT_CQ = 4;

/** The wells as columns; `wells[i].index` must be i (the host's wells are a prefix of `Plate.wells`). */
export function encodePlateWells(wells: readonly PlateWellView[]): PlateWellColumns {
  const strings: string[] = [];
  const ids = new Map<string, number>();
  const id = (s: string | null | undefined): number => {
    if (s === null || s === undefined) return -1;
    let k = ids.get(s);
    if (k === undefined) { k = strings.length; strings.push(s); ids.set(s, k); }
    return k;
  };
  const setIds = new Map<string, number>();
  const c: PlateWellColumns = { strings, position: [], sample: [], target: [], task: [], noCq: [], cqText: [], cq: [], row: [], col: [], flags: [], flagSets: [], lineStep: [], bits: [] };
  let line = 0;
  wells.forEach((w, i) => {
    if (w.index !== i) throw new Error(`well ${i} has index ${w.index}: the columns need wells in index order from 0`);
    c.position.push(id(w.position));
    c.sample.push(id(w.sample));
    c.target.push(id(w.target));
    c.task.push(id(w.task));
    c.noCq.push(id(w.noCq));
    c.cqText.push(w.cq !== null && String(w.cq) === w.cqText ? -1 : id(w.cqText));
    c.cq.push(w.cq);
    c.row.push(w.row ?? -1);
    c.col.push(w.col ?? -1);
    const set = w.flags.map(id);
    const key = set.join(',');
    if (set.length && !setIds.has(key)) { setIds.set(key, c.flagSets.length); c.flagSets.push(set); }
    c.flags.push(set.length ? (setIds.get(key) as number) : -1);
    c.lineStep.push(w.line - line);
    line = w.line;
    c.bits.push((w.omitted ? OMITTED : 0) | (w.canOmit ? CAN_OMIT : 0) | (w.canEditCq ? CAN_EDIT_CQ : 0));
  });
  return c;
}

/** The wells back as objects (the inverse of `encodePlateWells`). */
export function decodePlateWells(c: PlateWellColumns): PlateWellView[] {
  const s = c.strings;
  const out: PlateWellView[] = new Array(c.bits.length);
  let line = 0;
  for (let i = 0; i < out.length; i++) {
    const cq = c.cq[i];
    line += c.lineStep[i];
    const w: PlateWellView = {
      index: i,
      position: c.position[i] < 0 ? null : s[c.position[i]],
      row: c.row[i] < 0 ? null : c.row[i],
      col: c.col[i] < 0 ? null : c.col[i],
      sample: s[c.sample[i]],
      target: s[c.target[i]],
      task: s[c.task[i]],
      cq,
      cqText: c.cqText[i] < 0 ? String(cq) : s[c.cqText[i]],
      omitted: (c.bits[i] & OMITTED) !== 0,
      flags: c.flags[i] < 0 ? [] : c.flagSets[c.flags[i]].map((k) => s[k]),
      line,
      canOmit: (c.bits[i] & CAN_OMIT) !== 0,
      canEditCq: (c.bits[i] & CAN_EDIT_CQ) !== 0,
    };
    if (c.noCq[i] >= 0) w.noCq = s[c.noCq[i]];
    out[i] = w;
  }
  return out;
}

/** The state with its wells as objects, as the webview uses it. */
export function decodePlateState(m: PlateStateMessage): PlateState {
  return { ...m, wells: decodePlateWells(m.wells) };
}
