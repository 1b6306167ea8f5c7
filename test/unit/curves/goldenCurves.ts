/** Reads the raw curves committed beside the curve goldens (test/golden/curves-*.csv, made by curves-extract.py). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../helpers';

export interface GoldenCurve { source: string; react: string; target: string; x: number[]; y: number[] }

/** One curve per (source, react, target), points in file order; x is the cycle or the temperature column. */
export function readCurves(file: 'curves-amplification.csv' | 'curves-melt.csv'): GoldenCurve[] {
  const lines = fs.readFileSync(path.join(repoRoot, 'test', 'golden', file), 'utf8').trim().split('\n').slice(1);
  const byKey = new Map<string, GoldenCurve>();
  for (const line of lines) {
    const [source, react, target, x, y] = line.split(',');
    const key = `${source}\u0000${react}\u0000${target}`;
    let c = byKey.get(key);
    if (!c) byKey.set(key, (c = { source, react, target, x: [], y: [] }));
    c.x.push(Number(x));
    c.y.push(Number(y));
  }
  return [...byKey.values()];
}

export function findCurve(curves: readonly GoldenCurve[], source: string, react: string): GoldenCurve {
  const c = curves.find((k) => k.source === source && k.react === react);
  if (!c) throw new Error(`no golden curve ${source} ${react}`);
  return c;
}
