/**
 * Seeded fuzzing of the study front end: mutated versions of the spec example go through parse, check,
 * completion, hover and the outline. A case fails when anything throws or a diagnostic's range lies outside
 * the text (or ends before it starts). Deterministic for a seed (mulberry32).
 */
import type { EngineDiagnostic, Range } from '../../src/engine/common/diagnostic';
import { checkStudy } from '../../src/engine/study/check';
import { completions } from '../../src/engine/study/complete';
import { SPEC_CONTEXT, SPEC_EXAMPLE } from '../../src/engine/study/examples';
import { hover } from '../../src/engine/study/hover';
import { parseStudy } from '../../src/engine/study/parser';
import { documentSymbols } from '../../src/engine/study/symbols';

export interface FuzzFailure { text: string; error: string }
export interface FuzzReport { cases: number; diagnostics: number; failures: FuzzFailure[]; ms: number }

/** mulberry32: a small seeded uniform [0, 1) generator (fuzz case streams; the study PRNG is stats/rng.ts). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SNIPPETS = [
  '(', ')', '"', '`', '#', '\n', '\r\n', ',', '+', '~', '@', '-', ' - ', '%', '95%', '1e-3', '==', '=', ':', 'in', 'with', 'by',
  'vs', 'paired', 'not', 'and', 'or', 'miR-', '-5p', 'log10(', 'cut(x, 1, 2)', '\t', '\u00e9', '\ud83e\uddec', '\\', '!', '&', '.5',
  'model1:', 'roc ', 'km ', 'let ', 'cohort ', 'split a / b = 1 / 1 seed 1', '0.05 to 0.95 by 0.01', '`x y`', '""', '\u0000',
];

/** Checks that a range lies in `text` (0-based lines and characters within the line, start <= end). */
export function rangeInText(r: Range, lines: string[]): boolean {
  const ok = (p: { line: number; character: number }) =>
    Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.line < lines.length && p.character >= 0 && p.character <= lines[p.line].length;
  if (!ok(r.start) || !ok(r.end)) return false;
  return r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character);
}

export function mutate(base: string, rnd: () => number): string {
  let s = base;
  const n = 1 + Math.floor(rnd() * 4);
  for (let k = 0; k < n; k++) {
    const at = Math.floor(rnd() * (s.length + 1));
    const op = Math.floor(rnd() * 6);
    if (op === 0) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rnd() * 12));
    else if (op === 1 || op === 2) s = s.slice(0, at) + SNIPPETS[Math.floor(rnd() * SNIPPETS.length)] + s.slice(at);
    else if (op === 3) s = s.slice(0, at) + String.fromCharCode(32 + Math.floor(rnd() * 95)) + s.slice(at);
    else if (op === 4) {
      const lines = s.split('\n');
      const i = Math.floor(rnd() * lines.length);
      const j = Math.floor(rnd() * lines.length);
      [lines[i], lines[j]] = [lines[j], lines[i]];
      s = lines.join('\n');
    } else s = s.slice(0, at);
  }
  return s;
}

/** Runs `cases` mutated studies through the front end. */
export function fuzzParse(cases: number, seed: number): FuzzReport {
  const rnd = mulberry32(seed);
  const failures: FuzzFailure[] = [];
  let diagnostics = 0;
  const t0 = Date.now();
  for (let c = 0; c < cases; c++) {
    const text = mutate(SPEC_EXAMPLE, rnd);
    try {
      const lines = text.split('\n');
      const parsed = parseStudy(text, 'fuzz.qstudy');
      const all: EngineDiagnostic[] = [...parsed.diagnostics, ...checkStudy(parsed.ast, SPEC_CONTEXT)];
      diagnostics += all.length;
      for (const d of all) {
        if (!rangeInText(d.range, lines)) throw new Error(`diagnostic ${d.code} range out of text: ${JSON.stringify(d.range)}`);
        for (const f of d.fixes ?? []) for (const e of f.edits) if (!rangeInText(e.range, lines)) throw new Error(`fix range out of text: ${JSON.stringify(e.range)}`);
      }
      const line = Math.floor(rnd() * lines.length);
      const pos = { line, character: Math.floor(rnd() * (lines[line].length + 1)) };
      completions(text, pos, SPEC_CONTEXT);
      const h = hover(text, pos, SPEC_CONTEXT);
      if (h && !rangeInText(h.range, lines)) throw new Error('hover range out of text');
      documentSymbols(parsed.ast);
    } catch (e) {
      failures.push({ text, error: e instanceof Error ? e.stack ?? e.message : String(e) });
    }
  }
  return { cases, diagnostics, failures, ms: Date.now() - t0 };
}
