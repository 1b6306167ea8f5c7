/**
 * Parser of the study language (docs/study-language.md). One logical line = one statement; a line that does
 * not parse gives one `study-syntax` (or `study-unknown-statement`) diagnostic and an `ErrorStatement`, and
 * parsing goes on with the next line.
 */
import type { EngineDiagnostic, EngineFix, Range } from '../common/diagnostic';
import { lookupAnalysis, type AnyAnalysisDefinition } from '../analyses';
import type { AnalysisParser } from '../analyses/types';
import type {
  Analysis, BinaryOp, EfficiencyPair, Expr, Ident, NumberLit, OptionNode, OptionValue, QcStmt, Statement,
  SplineSpec, StringLit, StudyAst, Term,
} from './ast';
import { STATEMENT_KEYWORDS, type DATA_KEYWORDS } from './ast';
import { RCS_DEFAULT_KNOTS, SPLINE_FN } from './eval';
import { lex, type Token } from './lexer';
import { uniqueClosest } from './util';

export interface ParseResult { ast: StudyAst; diagnostics: EngineDiagnostic[] }

/**
 * Hard limits (docs/study-language.md, "Limits"): an expression nests at most `maxDepth` levels (every operator,
 * sign, call and parenthesis is a level), a statement has at most `maxTokens` tokens. Beyond them the statement
 * gets one `study-limit` error, so no walker over expressions (checker, runner, completion) can run out of stack.
 */
export interface ParseLimits { maxDepth: number; maxTokens: number }
export const STUDY_LIMITS: Readonly<ParseLimits> = { maxDepth: 200, maxTokens: 5000 };

/** Words that cannot be bare names in an expression (use backticks for a column called so). */
export const RESERVED = new Set(['and', 'or', 'not', 'in', 'with', 'by', 'vs', 'paired', 'predicts']);
const CMP_OPS = new Set(['==', '!=', '<', '<=', '>', '>=']);
const STATEMENT_SET = new Set(STATEMENT_KEYWORDS);

type DataKeyword = (typeof DATA_KEYWORDS)[number];
type StmtBody<T> = T extends unknown ? Omit<T, 'range' | 'keywordRange'> : never;

class ParseError extends Error {
  constructor(message: string, readonly range: Range, readonly code = 'study-syntax', readonly fixes?: EngineFix[]) { super(message); }
}

function spanRange(a: Range, b: Range): Range { return { start: a.start, end: b.end }; }

/** `from to to by by`, inclusive of `to` (within 1e-9 of a step), values rounded to 12 significant digits. */
export function expandSequence(from: number, to: number, by: number): number[] {
  if (!(by > 0) || !(to >= from) || !Number.isFinite(from) || !Number.isFinite(to)) return [];
  const n = Math.floor((to - from) / by + 1e-9) + 1;
  if (n > 100000) return [];
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(Number((from + i * by).toPrecision(12)));
  return out;
}

class LineParser implements AnalysisParser {
  pos = 0;
  /** Current nesting of parentheses, calls and prefix operators (checked on the way down). */
  private nest = 0;
  /** Height of every expression built (checked on the way up: a long `a + b + ...` chain is a deep tree). */
  private readonly heights = new Map<Expr, number>();
  /** The statement's text as expressions show it, built once; token i spans [textStart[i], textEnd[i]) of it. */
  private readonly flat: string;
  private readonly textStart: number[] = [];
  private readonly textEnd: number[] = [];

  constructor(readonly toks: Token[], readonly src: string, readonly eol: Token, readonly limits: ParseLimits = STUDY_LIMITS) {
    const parts: string[] = [];
    let len = 0;
    toks.forEach((t, i) => {
      if (i > 0) {
        const p = toks[i - 1];
        const gap = p.range.end.line === t.range.start.line ? src.slice(p.end, t.start) : ' ';
        parts.push(gap);
        len += gap.length;
      }
      this.textStart.push(len);
      parts.push(t.text);
      len += t.text.length;
      this.textEnd.push(len);
    });
    this.flat = parts.join('');
  }

  peek(k = 0): Token { return this.toks[this.pos + k] ?? this.eol; }
  atEnd(): boolean { return this.pos >= this.toks.length; }
  next(): Token {
    const t = this.peek();
    if (!this.atEnd()) this.pos++;
    return t;
  }
  isOp(s: string, k = 0): boolean { const t = this.peek(k); return t.kind === 'op' && t.text === s; }
  isWord(w: string, k = 0): boolean { const t = this.peek(k); return t.kind === 'name' && t.text === w; }
  eatOp(s: string): Token | undefined { return this.isOp(s) ? this.next() : undefined; }
  eatWord(w: string): Token | undefined { return this.isWord(w) ? this.next() : undefined; }

  /** Range of the current token, or the zero-width end of the line. */
  here(): Range {
    if (!this.atEnd()) return this.peek().range;
    const last = this.toks[this.toks.length - 1];
    const p = last ? last.range.end : this.eol.range.start;
    return { start: p, end: p };
  }
  describe(t: Token): string { return this.toks.includes(t) ? `\`${t.text}\`` : 'the end of the line'; }
  fail(message: string, range?: Range): never { throw new ParseError(message, range ?? this.here()); }
  expected(what: string): never {
    const t = this.peek();
    this.fail(`Expected ${what}, found ${this.describe(t)}.`);
  }

  expectOp(s: string, what?: string): Token { return this.eatOp(s) ?? this.expected(what ?? `\`${s}\``); }
  expectWord(w: string): Token { return this.eatWord(w) ?? this.expected(`\`${w}\``); }
  ident(what: string, allowReserved = false): Ident {
    const t = this.peek();
    if (t.kind === 'bname') { this.next(); return { name: String(t.value), backtick: true, range: t.range }; }
    if (t.kind === 'name' && (allowReserved || !RESERVED.has(t.text))) { this.next(); return { name: t.text, range: t.range }; }
    return this.expected(what);
  }
  string(what: string): StringLit {
    const t = this.peek();
    if (t.kind !== 'string') this.expected(what);
    this.next();
    return { value: String(t.value), range: t.range };
  }
  number(what: string): NumberLit {
    const start = this.peek();
    let neg = false;
    if (this.isOp('-') && this.peek(1).kind === 'number') { this.next(); neg = true; }
    const t = this.peek();
    if (t.kind !== 'number') this.expected(what);
    this.next();
    const lit: NumberLit = { value: neg ? -Number(t.value) : Number(t.value), text: this.src.slice(start.start, t.end), range: spanRange(start.range, t.range) };
    if (t.percent) lit.percent = true;
    return lit;
  }
  identList(what: string, sep = ','): Ident[] {
    const out = [this.ident(what)];
    while (this.eatOp(sep)) out.push(this.ident(what));
    return out;
  }

  /**
   * Source text of tokens [i0, i1]: line breaks (and the comments before them) collapsed to one space, as
   * `Expr.text` promises. A slice of the statement's text built once, so a long chain costs linear time and memory.
   */
  textOf(i0: number, i1: number): string { return this.flat.slice(this.textStart[i0], this.textEnd[i1]); }
  rangeOf(i0: number, i1: number): Range { return spanRange(this.toks[i0].range, this.toks[i1].range); }

  // --- expressions -------------------------------------------------------------------------------------
  expr(noPlus = false): Expr { return this.orExpr(noPlus); }

  private tooDeep(range: Range): never {
    throw new ParseError(`This expression nests more than ${this.limits.maxDepth} levels deep (operators, signs, calls and parentheses each count one): split it into several \`let\`s.`, range, 'study-limit');
  }
  /** Going down into a parenthesis, call or prefix operator at `t`. */
  private enter(t: Token): void { if (++this.nest > this.limits.maxDepth) this.tooDeep(t.range); }
  private leave(): void { this.nest--; }
  private height(e: Expr): number { return this.heights.get(e) ?? 1; }
  /** Records the height of a new node over `children`; a node beyond the limit is an error at `at`. */
  private built<E extends Expr>(e: E, at: Range, ...children: Expr[]): E {
    let h = 0;
    for (const c of children) h = Math.max(h, this.height(c));
    if (h + 1 > this.limits.maxDepth) this.tooDeep(at);
    this.heights.set(e, h + 1);
    return e;
  }
  private binary(i0: number, op: BinaryOp, opTok: Token, left: Expr, right: Expr): Expr {
    const e: Expr = { kind: 'binary', op, opRange: opTok.range, left, right, range: this.rangeOf(i0, this.pos - 1), text: this.textOf(i0, this.pos - 1) };
    return this.built(e, opTok.range, left, right);
  }
  private orExpr(np: boolean): Expr {
    const i0 = this.pos;
    let left = this.andExpr(np);
    while (this.isWord('or')) { const op = this.next(); left = this.binary(i0, 'or', op, left, this.andExpr(np)); }
    return left;
  }
  private andExpr(np: boolean): Expr {
    const i0 = this.pos;
    let left = this.notExpr(np);
    while (this.isWord('and')) { const op = this.next(); left = this.binary(i0, 'and', op, left, this.notExpr(np)); }
    return left;
  }
  private notExpr(np: boolean): Expr {
    if (this.isWord('not')) {
      const i0 = this.pos;
      const op = this.next();
      this.enter(op);
      const operand = this.notExpr(np);
      this.leave();
      return this.built({ kind: 'unary', op: 'not', opRange: op.range, operand, range: this.rangeOf(i0, this.pos - 1), text: this.textOf(i0, this.pos - 1) }, op.range, operand);
    }
    return this.cmpExpr(np);
  }
  private cmpExpr(np: boolean): Expr {
    const i0 = this.pos;
    let left = this.addExpr(np);
    while (this.peek().kind === 'op' && CMP_OPS.has(this.peek().text)) {
      const op = this.next();
      left = this.binary(i0, op.text as BinaryOp, op, left, this.addExpr(np));
    }
    if (this.isOp('=')) this.fail('`=` is not a comparison here: use `==`.');
    return left;
  }
  private addExpr(np: boolean): Expr {
    const i0 = this.pos;
    let left = this.mulExpr();
    while (this.isOp('-') || (!np && this.isOp('+'))) {
      const op = this.next();
      left = this.binary(i0, op.text as BinaryOp, op, left, this.mulExpr());
    }
    return left;
  }
  private mulExpr(): Expr {
    const i0 = this.pos;
    let left = this.unaryExpr();
    while (this.isOp('*') || this.isOp('/')) {
      const op = this.next();
      left = this.binary(i0, op.text as BinaryOp, op, left, this.unaryExpr());
    }
    return left;
  }
  private unaryExpr(): Expr {
    if (this.isOp('-')) {
      const i0 = this.pos;
      const op = this.next();
      this.enter(op);
      const operand = this.unaryExpr();
      this.leave();
      return this.built({ kind: 'unary', op: '-', opRange: op.range, operand, range: this.rangeOf(i0, this.pos - 1), text: this.textOf(i0, this.pos - 1) }, op.range, operand);
    }
    return this.powExpr();
  }
  private powExpr(): Expr {
    const i0 = this.pos;
    const base = this.primary();
    if (this.isOp('^')) {
      const op = this.next();
      this.enter(op);
      const exponent = this.unaryExpr();
      this.leave();
      return this.binary(i0, '^', op, base, exponent);
    }
    return base;
  }
  private primary(): Expr {
    const i0 = this.pos;
    const t = this.peek();
    if (this.atEnd()) this.expected('an expression');
    if (t.kind === 'number') {
      this.next();
      return { kind: 'number', value: Number(t.value), ...(t.percent ? { percent: true } : {}), range: t.range, text: t.text };
    }
    if (t.kind === 'string') { this.next(); return { kind: 'string', value: String(t.value), range: t.range, text: t.text }; }
    if (this.isOp('(')) {
      this.enter(this.next());
      const inner = this.expr(false);
      if (!this.isOp(')')) this.expected('`)`');
      this.next();
      this.leave();
      const e = { ...inner, range: this.rangeOf(i0, this.pos - 1), text: this.textOf(i0, this.pos - 1) };
      this.heights.set(e, this.height(inner));
      return e;
    }
    if (t.kind === 'name' || t.kind === 'bname') {
      if (t.kind === 'name' && RESERVED.has(t.text)) this.expected('an expression');
      const id = this.ident('a name');
      if (t.kind === 'name' && this.isOp('(')) {
        this.enter(this.next());
        const args: Expr[] = [];
        if (!this.isOp(')')) {
          args.push(this.expr(false));
          while (this.eatOp(',')) args.push(this.expr(false));
        }
        if (!this.isOp(')')) this.expected('`,` or `)`');
        this.next();
        this.leave();
        return this.built({ kind: 'call', callee: id, args, range: this.rangeOf(i0, this.pos - 1), text: this.textOf(i0, this.pos - 1) }, t.range, ...args);
      }
      if (this.isOp('@')) {
        this.next();
        const lt = this.peek();
        let level: Ident;
        if (lt.kind === 'number') { this.next(); level = { name: lt.text, range: lt.range }; } else level = this.ident('a level after `@`', true);
        return { kind: 'at', target: id, level, range: this.rangeOf(i0, this.pos - 1), text: this.textOf(i0, this.pos - 1) };
      }
      const e: Expr = { kind: 'name', name: id.name, range: id.range, text: t.text };
      if (id.backtick) e.backtick = true;
      return e;
    }
    return this.expected('an expression');
  }
  exprList(): Expr[] {
    const out = [this.expr()];
    while (this.eatOp(',')) out.push(this.expr());
    return out;
  }
  terms(): Term[] {
    const out: Term[] = [];
    do {
      const e = this.expr(true);
      const t: Term = { expr: e, text: e.text, range: e.range, ...this.strataTerm(e) };
      if (e.kind === 'call' && e.callee.name === SPLINE_FN) t.spline = this.splineSpec(e);
      out.push(t);
    } while (this.eatOp('+'));
    return out;
  }
  /** `rcs(x)` or `rcs(x, k)`: k a whole number from 3 to 7 (default 5, as rms). */
  private splineSpec(e: Extract<Expr, { kind: 'call' }>): SplineSpec {
    const [x, k, ...rest] = e.args;
    if (!x) this.fail('`rcs` needs a variable: `rcs(x)` or `rcs(x, k)` with k = 3 to 7 knots.', e.range);
    if (rest.length) this.fail('`rcs` takes at most 2 arguments: `rcs(x, k)` with k = 3 to 7 knots.', rest[0].range);
    if (!k) return { x, knots: RCS_DEFAULT_KNOTS };
    if (k.kind !== 'number' || k.percent || !Number.isInteger(k.value) || k.value < 3 || k.value > 7) {
      this.fail(`The number of knots of \`rcs\` must be a whole number from 3 to 7 (got \`${k.text}\`).`, k.range);
    }
    return { x, knots: k.value, knotsRange: k.range };
  }
  /** A `strata(x)` term: one variable, kept as the term's `strata` (cox checks and stratifies it). */
  private strataTerm(e: Expr): { strata?: Expr } {
    if (e.kind !== 'call' || e.callee.name !== 'strata' || e.callee.backtick) return {};
    if (e.args.length !== 1) this.fail('`strata` takes one variable, e.g. `strata(center)` (several strata terms combine).', e.range);
    return { strata: e.args[0] };
  }

  // --- options -----------------------------------------------------------------------------------------
  options(): OptionNode[] {
    const out: OptionNode[] = [];
    for (;;) {
      const nt = this.peek();
      if (nt.kind !== 'name' || RESERVED.has(nt.text)) this.expected('an option name');
      this.next();
      const value = this.optionValue(nt);
      out.push({ name: nt.text, nameRange: nt.range, value, range: spanRange(nt.range, value.range) });
      if (this.isOp(',') && this.peek(1).kind === 'name' && !RESERVED.has(this.peek(1).text)) { this.next(); continue; }
      if (this.isOp(',')) { this.next(); this.expected('an option name'); }
      return out;
    }
  }
  private scalarValue(): OptionValue {
    const t = this.peek();
    if (t.kind === 'number' || (this.isOp('-') && this.peek(1).kind === 'number')) {
      const n = this.number('a number');
      return { kind: 'number', value: n.value, ...(n.percent ? { percent: true } : {}), text: n.text, range: n.range };
    }
    if (t.kind === 'string') { this.next(); return { kind: 'string', value: String(t.value), range: t.range }; }
    if (t.kind === 'name' && !RESERVED.has(t.text)) { this.next(); return { kind: 'name', value: t.text, range: t.range }; }
    return this.expected('an option value');
  }
  private optionValue(nameTok: Token): OptionValue {
    const t = this.peek();
    if (this.atEnd() || this.isOp(',') || (t.kind === 'name' && (t.text === 'in' || t.text === 'with'))) {
      return { kind: 'flag', range: { start: nameTok.range.end, end: nameTok.range.end } };
    }
    const first = this.scalarValue();
    if (first.kind === 'number' && this.isWord('to')) {
      this.next();
      const to = this.number('a number after `to`');
      this.expectWord('by');
      const by = this.number('a step after `by`');
      return { kind: 'sequence', from: first.value, to: to.value, by: by.value, range: spanRange(first.range, by.range) };
    }
    if (first.kind === 'name') return first;
    const items: OptionValue[] = [first];
    while (this.isOp(',') && (this.peek(1).kind === 'number' || this.peek(1).kind === 'string' || (this.peek(1).text === '-' && this.peek(2).kind === 'number'))) {
      this.next();
      items.push(this.scalarValue());
    }
    return items.length === 1 ? first : { kind: 'list', items, range: spanRange(items[0].range, items[items.length - 1].range) };
  }

  /** `qc OPTIONS`, `qc hemolysis A - B > 7` or `qc spike-in T [robust-z 3]` (see QcStmt). */
  private qcStatement(): StmtBody<QcStmt> {
    const start = this.peek().range;
    if (this.eatWord('hemolysis') || this.eatWord('haemolysis')) {
      const high = this.ident('the target whose Cq is subtracted from (e.g. miR-23a)');
      this.expectOp('-', '`-` between the two targets (e.g. `miR-23a - miR-451a`)');
      const low = this.ident('the second target (e.g. miR-451a)');
      const op = this.eatOp('>') ? '>' : this.eatOp('<') ? '<' : this.expected('`>` or `<` and a threshold (e.g. `> 7`)');
      const threshold = this.number('a dCq threshold (e.g. 7)');
      return { kind: 'qc', options: [], hemolysis: { high, low, op, threshold, range: spanRange(start, threshold.range) } };
    }
    if (this.eatWord('spike-in')) {
      const target = this.ident('the spike-in target (e.g. cel-miR-39)');
      const z = this.eatWord('robust-z') ? this.number('a robust z limit (e.g. 3)') : undefined;
      return { kind: 'qc', options: [], spikeIn: { target, ...(z ? { z } : {}), range: spanRange(start, (z ?? target).range) } };
    }
    return { kind: 'qc', options: this.options() };
  }

  // --- statements --------------------------------------------------------------------------------------
  statement(): Statement {
    const first = this.peek();
    let label: Ident | undefined;
    if ((first.kind === 'name' || first.kind === 'bname') && this.isOp(':', 1)) {
      label = this.ident('a label', true);
      this.next();
    }
    const kw = this.peek();
    if (kw.kind !== 'name') {
      if (label) this.expected('an analysis after the label');
      this.fail(`A statement starts with a keyword (${STATEMENT_KEYWORDS.slice(0, 6).join(', ')}, ...); found ${this.describe(kw)}.`);
    }
    if (!STATEMENT_SET.has(kw.text)) {
      const { best, all } = uniqueClosest(kw.text, STATEMENT_KEYWORDS);
      const hint = all.length ? ` Did you mean ${all.slice(0, 3).map((a) => `\`${a}\``).join(' or ')}?` : '';
      throw new ParseError(`Unknown statement \`${kw.text}\`.${hint}`, kw.range, 'study-unknown-statement',
        best ? [{ title: `Change to \`${best}\``, edits: [{ range: kw.range, newText: best }] }] : undefined);
    }
    const def = lookupAnalysis(kw.text);
    if (label && !def) this.fail(`Only analyses take a label; \`${kw.text}\` does not.`, label.range);
    this.next();
    const kr = kw.range;
    const i0 = 0;
    const done = (s: StmtBody<Statement>): Statement =>
      ({ ...s, range: this.rangeOf(i0, Math.max(i0, this.pos - 1)), keywordRange: kr }) as Statement;
    if (def) return done(this.analysis(def, label));
    switch (kw.text as DataKeyword) {
      case 'study': return done({ kind: 'study', title: this.string('the study title in quotes') });
      case 'plates': return done(this.platesStatement());
      case 'clinical': {
        const path = this.string('the clinical table file in quotes');
        const key = this.eatWord('key') ? this.ident('the key column') : undefined;
        return done({ kind: 'clinical', path, ...(key ? { key } : {}) });
      }
      case 'samples': {
        const value = this.string('a sample-name pattern ("{patient}-{timepoint}") or a sample sheet file');
        const key = this.eatWord('key') ? this.ident('the sample-name column of the sheet') : undefined;
        return done({ kind: 'samples', source: key ? 'sheet' : 'pattern', value, ...(key ? { key } : {}) });
      }
      case 'reference': return done({ kind: 'reference', names: this.identList('a target name') });
      case 'targets': return done({ kind: 'targets', names: this.identList('a target name') });
      case 'efficiency': return done(this.efficiencyStatement());
      case 'cq': return done(this.cqStatement());
      case 'calibrator': return done({ kind: 'calibrator', expr: this.expr() });
      case 'qc': return done(this.qcStatement());
      case 'nondetect': return done(this.nondetectStatement());
      case 'outliers': return done(this.outliersStatement());
      case 'interrun': {
        this.expectWord('calibrator');
        return done({ kind: 'interrun', pattern: this.string('a sample-name glob in quotes (e.g. "IRC*")') });
      }
      case 'let': case 'cohort': {
        const name = this.ident(kw.text === 'let' ? 'a variable name' : 'a cohort name');
        this.expectOp('=');
        return done({ kind: kw.text as 'let', name, expr: this.expr() });
      }
      case 'split': return done(this.splitStatement());
      case 'outcome': return done(this.outcomeStatement());
    }
  }

  /** `plates "GLOB" [format F] [target T]` (after its keyword). */
  private platesStatement(): StmtBody<Statement> {
    const glob = this.string('a file glob in quotes (e.g. "plates/*.txt")');
    let format: Ident | undefined;
    let target: Ident | undefined;
    for (;;) {
      if (!format && this.eatWord('format')) format = this.ident('a format name (quantstudio, cfx, lightcycler, rotorgene, biomark, rdml, tidy)');
      else if (!target && this.eatWord('target')) target = this.ident('a target name');
      else break;
    }
    return { kind: 'plates', glob, ...(format ? { format } : {}), ...(target ? { target } : {}) };
  }

  /** `efficiency T = 1.97, ...`, `efficiency from standards` or `from linregpcr` (after its keyword). */
  private efficiencyStatement(): StmtBody<Statement> {
    if (this.eatWord('from')) {
      if (this.eatWord('linregpcr')) return { kind: 'efficiency', fromStandards: false, fromLinreg: true, pairs: [] };
      if (!this.eatWord('standards')) return this.expected('`standards` or `linregpcr` after `efficiency from`');
      return { kind: 'efficiency', fromStandards: true, pairs: [] };
    }
    const pairs: EfficiencyPair[] = [];
    do {
      const target = this.ident('a target name (or `from standards`)');
      this.expectOp('=');
      const value = this.number('an amplification factor (e.g. 1.97) or an efficiency (97%)');
      const factor = value.percent ? 1 + value.value : value.value;
      pairs.push({ target, value, factor, range: spanRange(target.range, value.range) });
    } while (this.eatOp(','));
    return { kind: 'efficiency', fromStandards: false, pairs };
  }

  /** `cq from instrument | threshold T | threshold auto | linregpcr` (after its keyword). */
  private cqStatement(): StmtBody<Statement> {
    this.expectWord('from');
    if (this.eatWord('instrument')) return { kind: 'cq', source: 'instrument' };
    if (this.eatWord('linregpcr')) return { kind: 'cq', source: 'linregpcr' };
    if (!this.eatWord('threshold')) return this.expected('`instrument`, `threshold T`, `threshold auto` or `linregpcr` after `cq from`');
    if (this.eatWord('auto')) return { kind: 'cq', source: 'threshold-auto' };
    return { kind: 'cq', source: 'threshold', threshold: this.number('a fluorescence threshold (baseline-corrected units) or `auto`') };
  }

  /** `nondetect as N | as max-cq | exclude | impute [N]` (after its keyword). */
  private nondetectStatement(): StmtBody<Statement> {
    if (this.eatWord('as')) {
      if (this.eatWord('max-cq')) return { kind: 'nondetect', policy: 'max-cq' };
      return { kind: 'nondetect', policy: 'value', value: this.number('a Cq value or `max-cq` after `as`') };
    }
    if (this.eatWord('exclude')) return { kind: 'nondetect', policy: 'exclude' };
    if (this.eatWord('impute')) {
      const value = this.peek().kind === 'number' ? this.number('a Cq') : undefined;
      return { kind: 'nondetect', policy: 'impute', ...(value ? { value } : {}) };
    }
    return this.expected('`as NUMBER`, `as max-cq`, `exclude` or `impute`');
  }

  /** `outliers grubbs [alpha A] | distance [D] | none` (after its keyword). */
  private outliersStatement(): StmtBody<Statement> {
    if (this.eatWord('none')) return { kind: 'outliers', method: 'none' };
    if (this.eatWord('grubbs')) {
      const alpha = this.eatWord('alpha') ? this.number('a significance level') : undefined;
      return { kind: 'outliers', method: 'grubbs', ...(alpha ? { alpha } : {}) };
    }
    if (this.eatWord('distance')) {
      const distance = this.peek().kind === 'number' ? this.number('a distance in cycles') : undefined;
      return { kind: 'outliers', method: 'distance', ...(distance ? { distance } : {}) };
    }
    return this.expected('`grubbs`, `distance` or `none`');
  }

  /** `split A / B = 0.7 / 0.3 seed N [stratify EXPR]` (after its keyword). */
  private splitStatement(): StmtBody<Statement> {
    const names = this.identList('a cohort name', '/');
    this.expectOp('=');
    const fractions = [this.number('a proportion')];
    while (this.eatOp('/')) fractions.push(this.number('a proportion'));
    if (fractions.length !== names.length) {
      this.fail(`The split names ${names.length} cohort(s) but gives ${fractions.length} proportion(s).`, spanRange(names[0].range, fractions[fractions.length - 1].range));
    }
    let seed: NumberLit | undefined;
    let stratify: Expr | undefined;
    for (;;) {
      if (!seed && this.eatWord('seed')) seed = this.number('a seed (an integer)');
      else if (!stratify && this.eatWord('stratify')) stratify = this.expr();
      else break;
    }
    if (!seed) this.expected('`seed N` (a split must be reproducible)');
    return { kind: 'split', names, fractions, seed, ...(stratify ? { stratify } : {}) };
  }

  /** `outcome NAME = time EXPR event EXPR` (after its keyword). */
  private outcomeStatement(): StmtBody<Statement> {
    const name = this.ident('an outcome name');
    this.expectOp('=');
    this.expectWord('time');
    const time = this.expr();
    this.expectWord('event');
    return { kind: 'outcome', name, time, event: this.expr() };
  }

  /** An analysis line: the kind's own body (its definition parses it), then `in COHORTS` and `with OPTIONS`. */
  private analysis(def: AnyAnalysisDefinition, label: Ident | undefined): StmtBody<Analysis> {
    const body = def.parse(this);
    const base = { kind: 'analysis' as const, analysis: def.kind, cohorts: [] as Ident[], options: [] as OptionNode[] };
    let sawIn = false;
    let sawWith = false;
    for (;;) {
      if (!sawIn && this.eatWord('in')) { base.cohorts = this.identList('a cohort name'); sawIn = true; continue; }
      if (!sawWith && this.eatWord('with')) { base.options = this.options(); sawWith = true; continue; }
      break;
    }
    return { ...base, ...body, ...(label ? { label } : {}) } as StmtBody<Analysis>;
  }
}

/** Parses a `.qstudy` text. Never throws; every problem is a diagnostic with an exact range. */
export function parseStudy(text: string, file?: string, limits: ParseLimits = STUDY_LIMITS): ParseResult {
  const lx = lex(text, file);
  const diagnostics: EngineDiagnostic[] = [...lx.diagnostics];
  const statements: Statement[] = [];
  // one diagnostic per logical line: a lexical error on it already explains what the parser trips over
  const lexErrorIn = lexErrorLookup(lx.diagnostics);
  let line: Token[] = [];
  for (const t of lx.tokens) {
    if (t.kind === 'eof') break;
    if (t.kind !== 'newline') { line.push(t); continue; }
    if (line.length === 0) continue;
    const p = new LineParser(line.length > limits.maxTokens ? [] : line, text, t, limits);
    const lineRange = spanRange(line[0].range, line[line.length - 1].range);
    try {
      if (line.length > limits.maxTokens) {
        throw new ParseError(`This statement has ${line.length} tokens; the limit is ${limits.maxTokens}: split it into several statements.`, spanRange(line[limits.maxTokens].range, line[line.length - 1].range), 'study-limit');
      }
      const s = p.statement();
      statements.push(s);
      if (!p.atEnd() && !lexErrorIn(lineRange)) {
        const extra = p.peek();
        const hint = extra.kind === 'op' && extra.text === '(' ? '' : s.kind === 'analysis' ? ' (expected `in COHORT`, `with OPTION value` or the end of the line)' : '';
        diagnostics.push(mk('study-syntax', `Unexpected ${p.describe(extra)}${hint}.`, spanRange(extra.range, line[line.length - 1].range), file));
      }
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      const first = line[0];
      const word = first.kind === 'name' ? first.text : undefined;
      const defines = definedNames(line);
      statements.push({ kind: 'error', ...(word ? { word } : {}), ...(defines.length ? { defines } : {}), range: lineRange, keywordRange: first.range });
      if (e.code === 'study-limit' || !lexErrorIn(lineRange)) {
        const d = mk(e.code, e.message, e.range, file);
        if (e.fixes) d.fixes = e.fixes;
        diagnostics.push(d);
      }
    }
    line = [];
  }
  const end = lx.lineStarts.length - 1;
  const ast: StudyAst = {
    kind: 'studyFile',
    ...(file !== undefined ? { file } : {}),
    statements,
    range: { start: { line: 0, character: 0 }, end: { line: end, character: text.length - lx.lineStarts[end] } },
  };
  return { ast, diagnostics };
}

/** The names a line that failed to parse was defining (see `ErrorStatement.defines`). */
function definedNames(line: Token[]): Ident[] {
  const id = (t: Token | undefined): Ident | undefined =>
    t && t.kind === 'bname' ? { name: String(t.value), backtick: true, range: t.range }
      : t && t.kind === 'name' && !RESERVED.has(t.text) ? { name: t.text, range: t.range } : undefined;
  const [first, second] = line;
  if (second?.kind === 'op' && second.text === ':') { const l = id(first); return l ? [l] : []; }
  if (first.kind !== 'name') return [];
  if (first.text === 'let' || first.text === 'cohort' || first.text === 'outcome') { const n = id(second); return n ? [n] : []; }
  if (first.text !== 'split') return [];
  const out: Ident[] = [];
  for (let i = 1; i < line.length; i += 2) {
    const n = id(line[i]);
    if (n) out.push(n);
    if (!n || !(line[i + 1]?.kind === 'op' && line[i + 1].text === '/')) break;
  }
  return out;
}

/** `(range) => some lexical diagnostic starts inside range`, in O(log n) per call (diagnostics come in source order). */
function lexErrorLookup(ds: EngineDiagnostic[]): (r: Range) => boolean {
  const starts = ds.map((d) => d.range.start);
  const cmp = (a: Range['start'], b: Range['start']) => a.line - b.line || a.character - b.character;
  return (r) => {
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (cmp(starts[mid], r.start) < 0) lo = mid + 1; else hi = mid; }
    return lo < starts.length && cmp(starts[lo], r.end) <= 0;
  };
}

function mk(code: string, message: string, range: Range, file?: string): EngineDiagnostic {
  const d: EngineDiagnostic = { code, severity: 'error', message, range };
  if (file !== undefined) d.file = file;
  return d;
}
