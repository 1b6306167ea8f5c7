/**
 * Sample-name patterns: `"{patient}-{timepoint}"` → a matcher returning `{ patient, timepoint }` or null.
 *
 * The rule:
 * - Text outside braces is literal (case sensitive); `{name}` is a field of at least one character. The whole
 *   (trimmed) sample name must match.
 * - Fields are non-greedy, except the first one, which is greedy: when a name contains more separators than the
 *   pattern, the extra ones belong to the first field (normally the subject). `{patient}-{timepoint}` reads
 *   `P01-pre` as P01 / pre and `HCC-012-pre` as HCC-012 / pre; `{patient}-{timepoint}-{rep}` reads
 *   `HCC-012-pre-2` as HCC-012 / pre / 2.
 * - A field may be constrained with a pattern: `{timepoint:pre|post}`, `{patient:P\d+}`, `{id:P\d{3}}`; this is how
 *   to put separators in a later field (`{patient:P\d+}_{site}` reads `P7_left_lobe` as P7 / left_lobe).
 *   A constraint is a regular expression from this subset: literal characters, `.`, `\d \D \w \W \s \S`, escaped
 *   punctuation (`\.`, `\-`, `\(`, ...), `\t \n \r`, classes `[a-z_]` / `[^0-9]`, groups `( )` and `(?: )`,
 *   alternation `|`, and the quantifiers `* + ?` and `{n}` `{n,}` `{n,m}` (n, m ≤ 1000), each optionally lazy
 *   (`+?`). Refused, with the column: named groups `(?<name>...)`, lookaround `(?=` `(?!` `(?<=` `(?<!`,
 *   backreferences `\1` `\k<..>`, anchors `^ $ \b \B`, other escapes, and patterns over 20,000 steps.
 * - `{_}` or `{}` matches text without keeping it (e.g. a plate prefix).
 * Errors (unbalanced braces, a repeated field, a bad or unsupported field pattern, two adjacent unconstrained
 * fields) throw `SamplePatternError` with the column in the pattern.
 *
 * Matching never backtracks: the pattern is compiled to a small program run as a Pike VM (all alternatives in step,
 * each keeping its field boundaries, the leftmost-first priorities of a backtracking regex), so its cost is
 * linear in the sample name's length times the pattern's size, whatever the pattern.
 */

export class SamplePatternError extends Error {
  constructor(message: string, readonly column: number) { super(message); }
}

export interface SamplePattern {
  pattern: string;
  fields: string[];
  match(sample: string): Record<string, string> | null;
  /** Every field unconstrained: `match` is a few string searches (not worth a cache of the names matched). */
  cheap: boolean;
}

type Test = (c: number) => boolean;
type Inst =
  | { op: 'char'; test: Test }
  | { op: 'split'; x: number; y: number }
  | { op: 'jmp'; x: number }
  | { op: 'save'; slot: number }
  | { op: 'match' };

/** The largest program a pattern may compile to (counted repetitions are unrolled). */
const MAX_PROGRAM = 20000;
const MAX_COUNT = 1000;

/** A regular-expression AST of the supported subset. */
type Node =
  | { k: 'test'; test: Test }
  | { k: 'seq'; items: Node[] }
  | { k: 'alt'; options: Node[] }
  | { k: 'rep'; node: Node; min: number; max: number; lazy: boolean };

const LINE_END = new Set([0x0a, 0x0d, 0x2028, 0x2029]);
const LINE_END_RE = /[\n\r\u2028\u2029]/;
const SPACE = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff]);
const isSpace: Test = (c) => SPACE.has(c) || (c >= 0x2000 && c <= 0x200a);
const isDigit: Test = (c) => c >= 0x30 && c <= 0x39;
const isWord: Test = (c) => isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
const anyChar: Test = (c) => !LINE_END.has(c);
const CLASS_ESCAPES: Record<string, Test> = { d: isDigit, D: (c) => !isDigit(c), w: isWord, W: (c) => !isWord(c), s: isSpace, S: (c) => !isSpace(c) };
const CHAR_ESCAPES: Record<string, number> = { t: 9, n: 10, r: 13, f: 12, v: 11 };

/** Parser of one field's constraint (`src`, at `offset` in the whole pattern for error columns). */
class FieldRegexParser {
  private i = 0;
  private readonly s: string[];
  constructor(src: string, private readonly offset: number, private readonly field: string) { this.s = Array.from(src); }

  private fail(msg: string, at = this.i): never {
    throw new SamplePatternError(`Bad regular expression in field "${this.field}": ${msg}`, this.offset + at);
  }

  parse(): Node {
    const n = this.alt();
    if (this.i < this.s.length) this.fail(`unmatched ")" in its pattern.`);
    return n;
  }

  private alt(): Node {
    const options = [this.seq()];
    while (this.s[this.i] === '|') { this.i++; options.push(this.seq()); }
    return options.length === 1 ? options[0] : { k: 'alt', options };
  }

  private seq(): Node {
    const items: Node[] = [];
    while (this.i < this.s.length && this.s[this.i] !== '|' && this.s[this.i] !== ')') items.push(this.quantified());
    return { k: 'seq', items };
  }

  private quantified(): Node {
    const start = this.i;
    const atom = this.atom();
    const q = this.s[this.i];
    let min: number, max: number;
    if (q === '*') { min = 0; max = Infinity; this.i++; }
    else if (q === '+') { min = 1; max = Infinity; this.i++; }
    else if (q === '?') { min = 0; max = 1; this.i++; }
    else if (q === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.s.slice(this.i, this.i + 16).join(''));
      if (!m) this.fail('"{" must be a repetition {n}, {n,} or {n,m} (write \\{ for a brace).');
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (min > MAX_COUNT || (max !== Infinity && max > MAX_COUNT)) this.fail(`repetition counts above ${MAX_COUNT} are not supported.`);
      if (max < min) this.fail('{n,m} needs n ≤ m.');
      this.i += m[0].length;
    } else return atom;
    if (this.s[this.i] === '*' || this.s[this.i] === '+' || this.s[this.i] === '{') this.fail('nothing to repeat (a quantifier after a quantifier).');
    const lazy = this.s[this.i] === '?';
    if (lazy) this.i++;
    if (atom.k === 'seq' && atom.items.length === 0) this.fail('nothing to repeat.', start);
    return { k: 'rep', node: atom, min, max, lazy };
  }

  private atom(): Node {
    const c = this.s[this.i];
    if (c === '(') {
      const open = this.i;
      this.i++;
      if (this.s[this.i] === '?') {
        const next = this.s[this.i + 1];
        if (next === ':') this.i += 2;
        else if (next === '<' && this.s[this.i + 2] !== '=' && this.s[this.i + 2] !== '!') this.fail('named groups (?<name>...) are not supported: name the field instead ({name:...}).', open);
        else this.fail('lookaround (?= (?! (?<= (?<! is not supported.', open);
      }
      const inner = this.alt();
      if (this.s[this.i] !== ')') this.fail('unclosed "(" in its pattern.', open);
      this.i++;
      return inner;
    }
    if (c === '[') return this.cls();
    if (c === '.') { this.i++; return { k: 'test', test: anyChar }; }
    if (c === '\\') return { k: 'test', test: this.escape(false) };
    if (c === '^' || c === '$') this.fail(`anchors (${c}) are not supported: a field always matches whole.`);
    if (c === '*' || c === '+' || c === '?') this.fail('nothing to repeat.');
    if (c === '{') this.fail('"{" must follow something to repeat (write \\{ for a brace).');
    if (c === ']' || c === '}') this.fail(`write \\${c} for a literal "${c}".`);
    this.i++;
    const code = c.codePointAt(0)!;
    return { k: 'test', test: (x) => x === code };
  }

  /** `\x` at this.i: a class escape, a control escape or escaped punctuation. */
  private escape(inClass: boolean): Test {
    const e = this.s[this.i + 1];
    if (e === undefined) this.fail('a pattern cannot end with "\\".');
    this.i += 2;
    if (CLASS_ESCAPES[e]) return CLASS_ESCAPES[e];
    if (CHAR_ESCAPES[e] !== undefined) { const v = CHAR_ESCAPES[e]; return (x) => x === v; }
    if (/^[\p{L}\p{N}]$/u.test(e) && !(inClass && e === '-')) {
      this.fail(`the escape \\${e} is not supported (supported: \\d \\D \\w \\W \\s \\S \\t \\n \\r and escaped punctuation).`, this.i - 2);
    }
    const v = e.codePointAt(0)!;
    return (x) => x === v;
  }

  private cls(): Node {
    const open = this.i;
    this.i++;
    const neg = this.s[this.i] === '^';
    if (neg) this.i++;
    const tests: Test[] = [];
    let first = true;
    while (this.i < this.s.length && (this.s[this.i] !== ']' || first)) {
      first = false;
      const lo = this.classAtom();
      if (this.s[this.i] === '-' && this.s[this.i + 1] !== undefined && this.s[this.i + 1] !== ']' && typeof lo === 'number') {
        this.i++;
        const hi = this.classAtom();
        if (typeof hi !== 'number') this.fail('a class range needs single characters at both ends.');
        if (hi < lo) this.fail('class range out of order.');
        tests.push((x) => x >= lo && x <= hi);
      } else tests.push(typeof lo === 'number' ? (x) => x === lo : lo);
    }
    if (this.s[this.i] !== ']') this.fail('unclosed "[" in its pattern.', open);
    this.i++;
    return { k: 'test', test: (x) => tests.some((t) => t(x)) !== neg };
  }

  /** One character of a class (its code) or a class escape (a test). */
  private classAtom(): number | Test {
    if (this.s[this.i] === '\\') {
      const e = this.s[this.i + 1];
      if (e !== undefined && !CLASS_ESCAPES[e] && CHAR_ESCAPES[e] === undefined && !/^[\p{L}\p{N}]$/u.test(e)) { this.i += 2; return e.codePointAt(0)!; }
      if (e !== undefined && CHAR_ESCAPES[e] !== undefined) { this.i += 2; return CHAR_ESCAPES[e]; }
      return this.escape(true);
    }
    return this.s[this.i++].codePointAt(0)!;
  }
}

/** Compiles regular-expression nodes to Pike VM instructions. */
class Compiler {
  readonly prog: Inst[] = [];
  /** Column (in the pattern) of the part being compiled, for the "too complex" error. */
  column = 0;

  private emit(i: Inst): number {
    if (this.prog.length >= MAX_PROGRAM) throw new SamplePatternError(`The sample pattern is too complex (over ${MAX_PROGRAM} steps); simplify its repetitions.`, this.column);
    this.prog.push(i);
    return this.prog.length - 1;
  }

  save(slot: number): void { this.emit({ op: 'save', slot }); }
  match(): void { this.emit({ op: 'match' }); }

  node(n: Node): void {
    switch (n.k) {
      case 'test': this.emit({ op: 'char', test: n.test }); return;
      case 'seq': for (const it of n.items) this.node(it); return;
      case 'alt': {
        const jumps: number[] = [];
        n.options.forEach((o, k) => {
          if (k < n.options.length - 1) {
            const split = this.emit({ op: 'split', x: 0, y: 0 });
            (this.prog[split] as { x: number }).x = this.prog.length;
            this.node(o);
            jumps.push(this.emit({ op: 'jmp', x: 0 }));
            (this.prog[split] as { y: number }).y = this.prog.length;
          } else this.node(o);
        });
        for (const j of jumps) (this.prog[j] as { x: number }).x = this.prog.length;
        return;
      }
      case 'rep': {
        for (let k = 0; k < n.min; k++) this.node(n.node);
        if (n.max === Infinity) {
          const split = this.emit({ op: 'split', x: 0, y: 0 });
          this.node(n.node);
          this.emit({ op: 'jmp', x: split });
          this.setSplit(split, split + 1, this.prog.length, n.lazy);
        } else {
          const splits: number[] = [];
          for (let k = n.min; k < n.max; k++) {
            const split = this.emit({ op: 'split', x: 0, y: 0 });
            splits.push(split);
            this.node(n.node);
            (this.prog[split] as { x: number }).x = split + 1;
          }
          for (const s of splits) this.setSplit(s, s + 1, this.prog.length, n.lazy);
        }
        return;
      }
    }
  }

  /** A split that prefers `take` (greedy) or `skip` (lazy). */
  private setSplit(at: number, take: number, skip: number, lazy: boolean): void {
    this.prog[at] = lazy ? { op: 'split', x: skip, y: take } : { op: 'split', x: take, y: skip };
  }
}

/** Runs the program over `s` (anchored at both ends); the capture slots of the highest-priority match, or null. */
function pikeMatch(prog: Inst[], nSlots: number, s: number[]): (number | undefined)[] | null {
  type Caps = (number | undefined)[];
  const m = prog.length;
  const seen = new Int32Array(m).fill(-1);
  // Thread lists (pc and captures, in priority order) and the closure's explicit stack, allocated once.
  let curPc = new Int32Array(m), nextPc = new Int32Array(m);
  let curCaps: Caps[] = new Array<Caps>(m), nextCaps: Caps[] = new Array<Caps>(m);
  let nCur = 0, nNext = 0;
  const stackPc = new Int32Array(2 * m + 2);
  const stackCaps: Caps[] = new Array<Caps>(2 * m + 2);
  /** Adds the threads reached from `pc` without reading (jmp, split in priority order, save) to the next list. */
  const add = (pc: number, caps: Caps, pos: number, gen: number): void => {
    let sp = 0;
    stackPc[sp] = pc; stackCaps[sp++] = caps;
    while (sp > 0) {
      const t = stackPc[--sp];
      const c = stackCaps[sp];
      if (seen[t] === gen) continue;
      seen[t] = gen;
      const inst = prog[t];
      if (inst.op === 'jmp') { stackPc[sp] = inst.x; stackCaps[sp++] = c; }
      else if (inst.op === 'split') { stackPc[sp] = inst.y; stackCaps[sp++] = c; stackPc[sp] = inst.x; stackCaps[sp++] = c; }
      else if (inst.op === 'save') { const cc = c.slice(); cc[inst.slot] = pos; stackPc[sp] = t + 1; stackCaps[sp++] = cc; }
      else { nextPc[nNext] = t; nextCaps[nNext++] = c; }
    }
  };
  const swap = () => {
    [curPc, nextPc] = [nextPc, curPc];
    [curCaps, nextCaps] = [nextCaps, curCaps];
    nCur = nNext; nNext = 0;
  };
  add(0, new Array<number | undefined>(nSlots).fill(undefined), 0, 0);
  swap();
  for (let pos = 0; pos < s.length && nCur > 0; pos++) {
    const ch = s[pos];
    for (let q = 0; q < nCur; q++) {
      const inst = prog[curPc[q]];
      if (inst.op === 'char' && inst.test(ch)) add(curPc[q] + 1, curCaps[q], pos + 1, pos + 1);
    }
    swap();
  }
  for (let q = 0; q < nCur; q++) if (prog[curPc[q]].op === 'match') return curCaps[q];
  return null;
}

type Part = { lit: string } | { field: string; re: string | null; col: number; reCol: number };

/** The `}` closing the field opened at `open` (braces of `{n,m}` inside a constraint nest; `\` escapes). */
function closingBrace(pattern: string, open: number): number {
  let depth = 0;
  for (let i = open; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') { i++; continue; }
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

function parseParts(pattern: string): Part[] {
  const parts: Part[] = [];
  let i = 0;
  let lit = '';
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '{') {
      const close = closingBrace(pattern, i);
      if (close < 0) throw new SamplePatternError(`Unclosed "{" in sample pattern "${pattern}".`, i);
      if (lit) { parts.push({ lit }); lit = ''; }
      const inner = pattern.slice(i + 1, close);
      const colon = inner.indexOf(':');
      const name = (colon >= 0 ? inner.slice(0, colon) : inner).trim();
      const re = colon >= 0 ? inner.slice(colon + 1) : null;
      if (name && !/^[A-Za-z_][A-Za-z0-9_.]*$/.test(name)) throw new SamplePatternError(`Field name "${name}" must be letters, digits, "_" or "." (starting with a letter or "_").`, i + 1);
      parts.push({ field: name, re, col: i, reCol: i + 1 + colon + 1 });
      i = close + 1;
    } else if (c === '}') {
      throw new SamplePatternError(`Unmatched "}" in sample pattern "${pattern}".`, i);
    } else { lit += c; i++; }
  }
  if (lit) parts.push({ lit });
  return parts;
}

const literal = (text: string): Node => ({ k: 'seq', items: Array.from(text, (ch) => { const v = ch.codePointAt(0)!; return { k: 'test', test: (x: number) => x === v } as Node; }) });

/**
 * The common case, every field unconstrained (`{patient}-{timepoint}`): literal separators between fields, so the
 * Pike VM's result can be had with string searches. The later fields are lazy, so each separator after the first
 * field is at its leftmost place that leaves room for the rest; the first field is greedy, so the separator after it
 * is at its rightmost place before the latest places the rest allows (found from the right). Same result as the VM.
 */
function unconstrainedMatcher(parts: Part[]): ((name: string) => Record<string, string> | null) | undefined {
  if (parts.some((p) => 'field' in p && p.re !== null)) return undefined;
  const lits: string[] = [''];
  const fieldNames: string[] = [];
  for (const p of parts) {
    if ('lit' in p) lits[lits.length - 1] += p.lit;
    else { fieldNames.push(p.field !== '' && p.field !== '_' ? p.field : ''); lits.push(''); }
  }
  const k = fieldNames.length;
  if (k === 0) return (name) => (name === lits[0] ? {} : null);
  return (name) => {
    const n = name.length;
    const head = lits[0], tail = lits[k];
    if (!name.startsWith(head) || n < head.length + tail.length + k || !name.endsWith(tail)) return null;
    // latest[j]: the latest start of separator lits[j] (1 ≤ j < k) leaving room for what follows, from the right.
    const latest = new Array<number>(k + 1);
    latest[k] = n - tail.length;
    for (let j = k - 1; j >= 1; j--) {
      const limit = latest[j + 1] - 1 - lits[j].length; // at least one character of field j before lits[j + 1]
      latest[j] = limit < 0 ? -1 : name.lastIndexOf(lits[j], limit);
      if (latest[j] < 0) return null;
    }
    // Start positions of the fields: field j ends where lits[j] starts.
    const starts = new Array<number>(k), ends = new Array<number>(k);
    starts[0] = head.length;
    let pos = head.length + 1; // the earliest start of lits[1] (the first field has at least one character)
    for (let j = 1; j <= k; j++) {
      const at = j === 1 ? latest[1] : j === k ? latest[k] : name.indexOf(lits[j], pos);
      if (at < pos || (j < k && at > latest[j])) return null;
      ends[j - 1] = at;
      if (j < k) starts[j] = at + lits[j].length;
      pos = at + lits[j].length + 1;
    }
    const entries: [string, string][] = [];
    fieldNames.forEach((f, j) => { if (f) entries.push([f, name.slice(starts[j], ends[j])]); });
    return Object.fromEntries(entries) as Record<string, string>; // own keys, even `__proto__`
  };
}

export function compileSamplePattern(pattern: string): SamplePattern {
  const parts = parseParts(pattern);
  const fields: string[] = [];
  const c = new Compiler();
  let firstField = true;
  let prevUnconstrained = false;
  for (const p of parts) {
    if ('lit' in p) { c.node(literal(p.lit)); prevUnconstrained = false; continue; }
    c.column = p.col;
    if (prevUnconstrained && p.re === null) throw new SamplePatternError('Two fields without text between them are ambiguous: separate them or constrain one ({name:regex}).', p.col);
    const keep = p.field !== '' && p.field !== '_';
    if (keep) {
      if (fields.includes(p.field)) throw new SamplePatternError(`Field "${p.field}" appears twice.`, p.col);
      fields.push(p.field);
    }
    // Unconstrained: `.+` (greedy for the first field, lazy after).
    const body: Node = p.re !== null
      ? new FieldRegexParser(p.re, p.reCol, p.field || '_').parse()
      : { k: 'rep', node: { k: 'test', test: anyChar }, min: 1, max: Infinity, lazy: !firstField };
    if (keep) c.save(2 * (fields.length - 1));
    c.node(body);
    if (keep) c.save(2 * (fields.length - 1) + 1);
    prevUnconstrained = p.re === null;
    firstField = false;
  }
  c.match();
  const prog = c.prog;
  const fast = unconstrainedMatcher(parts);
  return {
    pattern,
    fields,
    cheap: fast !== undefined,
    match(sample: string) {
      if (fast && !LINE_END_RE.test(sample)) return fast(sample.trim());
      const name = sample.trim();
      const s: number[] = [];
      const offs: number[] = []; // code point k starts at UTF-16 offset offs[k]
      for (let i = 0; i < name.length;) { const cp = name.codePointAt(i)!; s.push(cp); offs.push(i); i += cp > 0xffff ? 2 : 1; }
      offs.push(name.length);
      const caps = pikeMatch(prog, 2 * fields.length, s);
      if (!caps) return null;
      // own keys, even `__proto__`
      return Object.fromEntries(fields.map((f, k) => [f, name.slice(offs[caps[2 * k]!], offs[caps[2 * k + 1]!])])) as Record<string, string>;
    },
  };
}
