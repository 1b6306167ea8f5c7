/** Small helpers shared by the study front end (pure). */
import type { Range } from '../common/diagnostic';

/** Levenshtein distance (case-sensitive), capped early when above `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (cur[j] < rowMin) rowMin = cur[j];
    }
    if (rowMin > max) return max + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/** The best unique candidate (strictly closer than any other), for a certain quick fix. */
export function uniqueClosest(name: string, candidates: Iterable<string>): { best?: string; all: string[] } {
  const lower = name.toLowerCase();
  const limit = Math.max(1, Math.min(3, Math.floor(name.length / 3)));
  const scored: { c: string; d: number }[] = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    if (seen.has(c) || c === name) continue;
    seen.add(c);
    const d = c.toLowerCase() === lower ? 0 : editDistance(lower, c.toLowerCase(), limit);
    if (d <= limit) scored.push({ c, d });
  }
  scored.sort((x, y) => x.d - y.d || (x.c < y.c ? -1 : x.c > y.c ? 1 : 0));
  const all = scored.map((s) => s.c);
  const best = scored.length === 1 || (scored.length > 1 && scored[0].d < scored[1].d) ? scored[0].c : undefined;
  return best === undefined ? { all } : { best, all };
}

export function containsPosition(r: Range, p: { line: number; character: number }): boolean {
  const afterStart = p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character);
  const beforeEnd = p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character);
  return afterStart && beforeEnd;
}

/** `name` as it must be written in a study (backticks unless it is a plain name). */
export function quoteName(name: string): string {
  return /^[\p{L}_][\p{L}\p{N}_.]*(?:-[\p{L}\p{N}][\p{L}\p{N}_.]*)*$/u.test(name) && !/[._]-/.test(name) ? name : '`' + name + '`';
}
