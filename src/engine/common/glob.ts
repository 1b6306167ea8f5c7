/**
 * The one glob of the engine and its hosts: file globs (`plates "plates/*.txt"`) and the inter-run calibrator's
 * sample-name glob (`interrun calibrator "IRC*"`). Matching is linear in the name: the pattern is compiled into a
 * small automaton (one state per pattern element) that is run over the name keeping the set of live states, so
 * `*a*a*a…*b` against a long name costs O(name × pattern) and never backtracks. No RegExp is built from the pattern.
 *
 * Syntax (docs/study-language.md):
 * - `*` any run of characters, `?` one character; in file globs neither crosses a folder separator (`/`, `\`).
 * - File globs only: `[abc]`, `[a-z]`, `[!abc]` (or `[^abc]`) one character of (not of) a set; `{a,b}` one of the
 *   literal alternatives (no nesting); a `[` or `{` without its closing bracket is literal; `**` as a whole
 *   path segment matches any number of folders. Dot files and folders match only when the segment starts with `.`.
 * - Everything else is literal and case sensitive.
 */

export interface GlobOptions {
  /** `[..]` classes and `{a,b}` alternatives (file globs); off: `[` and `{` are literal (sample-name globs). */
  sets: boolean;
  /** Characters `*` and `?` do not match (folder separators for file globs). */
  separators?: string;
}

type Node =
  | { t: 'char'; c: number; out: number }
  | { t: 'any'; out: number }
  | { t: 'set'; neg: boolean; chars: number[]; ranges: [number, number][]; out: number }
  | { t: 'star'; out: number }
  | { t: 'split'; outs: number[] }
  | { t: 'end' };

/** A compiled glob: `test(name)` is true when the whole name matches. */
export interface GlobMatcher { readonly pattern: string; test(name: string): boolean }

const codes = (s: string): number[] => Array.from(s, (ch) => ch.codePointAt(0)!);

/** Parses `[...]` starting at `i` (the `[`); null when there is no closing `]`. */
function parseSet(p: number[], i: number): { node: Omit<Extract<Node, { t: 'set' }>, 'out'>; end: number } | null {
  let j = i + 1;
  const neg = p[j] === 0x21 /* ! */ || p[j] === 0x5e; /* ^ */
  if (neg) j++;
  const close = p.indexOf(0x5d /* ] */, j);
  if (close < 0) return null;
  const chars: number[] = [];
  const ranges: [number, number][] = [];
  for (let k = j; k < close; k++) {
    if (p[k + 1] === 0x2d /* - */ && k + 2 < close) { ranges.push([p[k], p[k + 2]]); k += 2; }
    else chars.push(p[k]);
  }
  return { node: { t: 'set', neg, chars, ranges }, end: close };
}

/** Compiles a glob; see the module comment for the syntax. */
export function compileGlob(pattern: string, opts: GlobOptions): GlobMatcher {
  const p = codes(pattern);
  const nodes: Node[] = [];
  const sep = new Set(codes(opts.separators ?? ''));
  // Nodes are appended in order; each node's `out` is the index of the node that follows it (patched when known).
  const pending: { node: Node; alt?: number }[] = [];
  const link = (to: number) => {
    for (const { node } of pending.splice(0)) {
      if (node.t === 'char' || node.t === 'any' || node.t === 'set' || node.t === 'star') node.out = to;
      else if (node.t === 'split') node.outs = node.outs.map((o) => (o < 0 ? to : o));
    }
  };
  const push = (n: Node) => { link(nodes.length); nodes.push(n); pending.push({ node: n }); };
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === 0x2a /* * */) {
      if (nodes.length && nodes[nodes.length - 1].t === 'star' && pending.length === 1) continue; // `**` within a name = `*`
      push({ t: 'star', out: -1 });
    } else if (c === 0x3f /* ? */) push({ t: 'any', out: -1 });
    else if (c === 0x5b /* [ */ && opts.sets) {
      const s = parseSet(p, i);
      if (!s) { push({ t: 'char', c, out: -1 }); continue; }
      push({ ...s.node, out: -1 });
      i = s.end;
    } else if (c === 0x7b /* { */ && opts.sets) {
      const close = p.indexOf(0x7d /* } */, i + 1);
      if (close < 0) { push({ t: 'char', c, out: -1 }); continue; }
      const alts = String.fromCodePoint(...p.slice(i + 1, close)).split(',');
      const split: Node = { t: 'split', outs: [] };
      link(nodes.length);
      nodes.push(split);
      const ends: Node[] = [];
      for (const a of alts) {
        const ac = codes(a);
        if (ac.length === 0) { split.outs.push(-1); continue; }
        split.outs.push(nodes.length);
        for (let k = 0; k < ac.length; k++) {
          const n: Node = { t: 'char', c: ac[k], out: nodes.length + 1 };
          nodes.push(n);
          if (k === ac.length - 1) ends.push(n);
        }
      }
      pending.push({ node: split }, ...ends.map((node) => ({ node })));
      i = close;
    } else push({ t: 'char', c, out: -1 });
  }
  link(nodes.length);
  nodes.push({ t: 'end' });
  if (!nodes.some((n) => n.t === 'split')) return { pattern, test: piecesMatcher(nodes, sep) };
  const closures = nodes.map((_, k) => closure(nodes, k));
  return { pattern, test: (name) => run(nodes, closures, sep, codes(name)) };
}

type OneChar = Extract<Node, { t: 'char' | 'any' | 'set' }>;

/**
 * Without `{a,b}` a glob is fixed-length pieces between stars: the first piece must match at the start, the last at
 * the end, and each middle one at its leftmost place after the previous (leftmost is always best), with no
 * separator in what a star skips. Each search is a scan, so the cost is at most name × pattern and usually name.
 */
function piecesMatcher(nodes: Node[], sep: Set<number>): (name: string) => boolean {
  const pieces: OneChar[][] = [[]];
  for (const n of nodes) {
    if (n.t === 'star') pieces.push([]);
    else if (n.t === 'char' || n.t === 'any' || n.t === 'set') pieces[pieces.length - 1].push(n);
  }
  const one = (n: OneChar, c: number): boolean => {
    if (n.t === 'char') return n.c === c;
    if (sep.has(c)) return false;
    if (n.t === 'any') return true;
    return (n.chars.includes(c) || n.ranges.some(([a, b]) => c >= a && c <= b)) !== n.neg;
  };
  const at = (p: OneChar[], s: number[], i: number): boolean => {
    for (let k = 0; k < p.length; k++) if (!one(p[k], s[i + k])) return false;
    return true;
  };
  return (name) => {
    const s = codes(name);
    const first = pieces[0], last = pieces[pieces.length - 1];
    if (pieces.length === 1) return s.length === first.length && at(first, s, 0);
    if (s.length < first.length || !at(first, s, 0)) return false;
    let pos = first.length;
    // A star cannot skip a separator: `limit` is the first separator at or after `pos`.
    const sepFrom = (i: number) => { let j = i; while (j < s.length && !sep.has(s[j])) j++; return j; };
    let limit = sep.size ? sepFrom(pos) : s.length;
    for (let k = 1; k < pieces.length - 1; k++) {
      const p = pieces[k];
      let i = pos;
      while (i + p.length <= s.length && i <= limit && !at(p, s, i)) i++;
      if (i + p.length > s.length || i > limit) return false;
      pos = i + p.length;
      if (sep.size && pos > limit) limit = sepFrom(pos); // else `limit` is still the first separator after `pos`
    }
    const start = s.length - last.length;
    return start >= pos && start <= limit && at(last, s, start);
  };
}

/** The states reached from `k` without reading a character (splits followed, a star kept and skipped), in order. */
function closure(nodes: Node[], k: number): Int32Array {
  const out: number[] = [];
  const seen = new Set<number>();
  const stack = [k];
  while (stack.length) {
    const i = stack.pop()!;
    if (seen.has(i)) continue;
    seen.add(i);
    const n = nodes[i];
    if (n.t === 'split') { for (let j = n.outs.length - 1; j >= 0; j--) stack.push(n.outs[j]); continue; }
    out.push(i);
    if (n.t === 'star') stack.push(n.out);
  }
  return Int32Array.from(out);
}

const K_CHAR = 0, K_ANY = 1, K_SET = 2, K_STAR = 3, K_OTHER = 4;

/** Runs the automaton over `s`: the set of live states after each character (Thompson's construction). */
function run(nodes: Node[], closures: Int32Array[], sep: Set<number>, s: number[]): boolean {
  const m = nodes.length;
  const kind = new Int8Array(m), chr = new Int32Array(m), out = new Int32Array(m);
  nodes.forEach((n, k) => {
    kind[k] = n.t === 'char' ? K_CHAR : n.t === 'any' ? K_ANY : n.t === 'set' ? K_SET : n.t === 'star' ? K_STAR : K_OTHER;
    if (n.t === 'char') chr[k] = n.c;
    if (n.t === 'char' || n.t === 'any' || n.t === 'set' || n.t === 'star') out[k] = n.t === 'star' ? k : n.out;
  });
  const mark = new Int32Array(m).fill(-1);
  let cur = new Int32Array(m), next = new Int32Array(m);
  let nCur = 0, nNext = 0;
  const add = (from: number, gen: number): void => {
    const cl = closures[from];
    for (let j = 0; j < cl.length; j++) { const k = cl[j]; if (mark[k] !== gen) { mark[k] = gen; next[nNext++] = k; } }
  };
  add(0, 0);
  let tmp = cur; cur = next; next = tmp; nCur = nNext; nNext = 0;
  for (let pos = 0; pos < s.length && nCur > 0; pos++) {
    const c = s[pos];
    const gen = pos + 1;
    const isSep = sep.size > 0 && sep.has(c);
    for (let q = 0; q < nCur; q++) {
      const k = cur[q];
      const kk = kind[k];
      let ok: boolean;
      if (kk === K_CHAR) ok = chr[k] === c;
      else if (kk === K_ANY || kk === K_STAR) ok = !isSep;
      else if (kk === K_SET) {
        const n = nodes[k] as Extract<Node, { t: 'set' }>;
        ok = (n.chars.includes(c) || n.ranges.some(([a, b]) => c >= a && c <= b)) !== n.neg && !(n.neg && isSep);
      } else ok = false;
      if (ok) add(out[k], gen);
    }
    tmp = cur; cur = next; next = tmp; nCur = nNext; nNext = 0;
  }
  for (let q = 0; q < nCur; q++) if (nodes[cur[q]].t === 'end') return true;
  return false;
}

/** True when a path segment has glob syntax (a segment without it is a fixed folder or file name). */
export function hasGlobSyntax(segment: string): boolean {
  for (const ch of segment) if (ch === '*' || ch === '?' || ch === '[' || ch === '{') return true;
  return false;
}

/** A file-glob segment matcher (`*`, `?`, `[..]`, `{a,b}`; `*` and `?` stay within the segment). */
export function segmentMatcher(segment: string): GlobMatcher {
  return compileGlob(segment, { sets: true, separators: '/\\' });
}

/** A directory entry as the walk needs it. */
export interface GlobEntry { name: string; isDir: boolean; isFile: boolean }

/** The file system a glob is expanded on: list a folder (empty when unreadable), tell whether a path is a file. */
export interface GlobFs {
  list(dir: string): Promise<GlobEntry[]>;
  isFile(path: string): Promise<boolean>;
  join(dir: string, name: string): string;
}

/**
 * Expands a file glob given as `root` (the fixed leading folders, no glob syntax) and the `rest` segments.
 * `**` matches any number of folders (not entering dot folders); a segment matches dot names only when it starts
 * with `.`; `''` and `.` segments are skipped. Returns the matching files (unsorted, each once).
 */
export async function walkGlob(root: string, rest: string[], fs: GlobFs, isCancelled: () => boolean = () => false): Promise<string[]> {
  const out = new Set<string>();
  if (rest.length === 0) {
    if (await fs.isFile(root)) out.add(root);
    return [...out];
  }
  const matchers = rest.map((seg) => (seg === '**' || seg === '' || seg === '.' ? null : segmentMatcher(seg)));
  const walk = async (dir: string, i: number): Promise<void> => {
    if (isCancelled()) return;
    const seg = rest[i];
    const last = i === rest.length - 1;
    if (seg === '**') {
      await walk(dir, i + 1);
      for (const e of await fs.list(dir)) if (e.isDir && !e.name.startsWith('.')) await walk(fs.join(dir, e.name), i);
      return;
    }
    if (seg === '' || seg === '.') { if (!last) await walk(dir, i + 1); return; }
    const m = matchers[i]!;
    for (const e of await fs.list(dir)) {
      if (!m.test(e.name) || (e.name.startsWith('.') && !seg.startsWith('.'))) continue;
      const child = fs.join(dir, e.name);
      if (last) { if (e.isFile) out.add(child); }
      else if (e.isDir) await walk(child, i + 1);
    }
  };
  await walk(root, 0);
  return [...out];
}

/**
 * Splits a `/`-separated glob into its fixed leading part (joined, '' when none) and the segments from the first
 * with glob syntax.
 */
export function splitGlob(full: string): { fixed: string[]; rest: string[] } {
  const parts = full.split('/');
  let k = 0;
  while (k < parts.length && !hasGlobSyntax(parts[k])) k++;
  return { fixed: parts.slice(0, k), rest: parts.slice(k) };
}
