/**
 * Context-aware completion for `.qstudy` files: statement keywords at the start of a line, targets where targets
 * go, levels after `@`, columns / variables / functions in expressions, cohorts after `in`, models after
 * `nomogram`/`roc`/`calibrate`/..., options after `with` (and `qc`), option values after an option name.
 */
import type { Position } from '../common/diagnostic';
import { ANALYSIS_KINDS, lookupAnalysis } from '../analyses';
import type { AnalysisCompleter } from '../analyses/types';
import { STATEMENT_KEYWORDS } from './ast';
import { collectSymbols, type StudyContext } from './check';
import { lex, lineStartsOf, offsetAt, type Token } from './lexer';
import { parseStudy } from './parser';
import { quoteName } from './util';
import { FUNCTION_INFO, KEYWORD_DOCS, PLATE_FORMATS, QC_OPTIONS, WORD_DOCS, type OptionSpec } from './vocabulary';
import { own } from '../../shared/own';

export type CompletionKind = 'keyword' | 'target' | 'column' | 'cohort' | 'model' | 'function' | 'option' | 'level' | 'variable';

export interface Completion {
  label: string;
  kind: CompletionKind;
  detail?: string;
  insertText?: string;
  documentation?: string;
}

/** True when `offset` is inside a comment or a string on its line. */
function inCommentOrString(text: string, offset: number): boolean {
  let i = text.lastIndexOf('\n', offset - 1) + 1;
  let inStr = false;
  let inTick = false;
  for (; i < offset; i++) {
    const c = text[i];
    if (inStr) { if (c === '\\') i++; else if (c === '"') inStr = false; continue; }
    if (inTick) { if (c === '`') inTick = false; continue; }
    if (c === '"') inStr = true;
    else if (c === '`') inTick = true;
    else if (c === '#') return true;
  }
  return inStr || inTick;
}

export function completions(text: string, position: Position, ctx: StudyContext = {}): Completion[] {
  const offset = offsetAt(lineStartsOf(text), text, position);
  if (inCommentOrString(text, offset)) return [];
  let toks = lineTokensBefore(text, offset);
  const b = new CompletionList(ctx, collectSymbols(parseStudy(text).ast));
  // label
  let label = false;
  if (toks.length >= 2 && (toks[0].kind === 'name' || toks[0].kind === 'bname') && toks[1].kind === 'op' && toks[1].text === ':') { toks = toks.slice(2); label = true; }
  if (toks.length === 0) {
    for (const k of label ? ANALYSIS_KINDS : STATEMENT_KEYWORDS) b.keyword(k);
    return b.out;
  }
  const kw = toks[0].text;
  if (isO(toks[toks.length - 1], '@')) {
    b.levels();
    return b.out;
  }
  if (kw === 'qc') qcCompletions(toks, b);
  else {
    const def = lookupAnalysis(kw);
    if (def) analysisCompletions(def, toks, b);
    else statementCompletions(kw, toks, b);
  }
  return b.out;
}

const isW = (t: Token | undefined, w: string) => !!t && t.kind === 'name' && t.text === w;
const isO = (t: Token | undefined, o: string) => !!t && t.kind === 'op' && t.text === o;

/** The tokens of the logical line before `offset`, without the word being typed (it is not context). */
function lineTokensBefore(text: string, offset: number): Token[] {
  const prefix = text.slice(0, offset);
  const all = lex(prefix).tokens.filter((t) => t.kind !== 'eof' && !(t.kind === 'newline' && t.start === prefix.length));
  let start = 0;
  for (let i = all.length - 1; i >= 0; i--) if (all[i].kind === 'newline') { start = i + 1; break; }
  const toks = all.slice(start);
  const lastTok = toks[toks.length - 1];
  if (lastTok && lastTok.end === offset && (lastTok.kind === 'name' || lastTok.kind === 'number' || lastTok.kind === 'bname')) return toks.slice(0, -1);
  return toks;
}

/** The completions offered so far (each kind and label once), and the groups of them the contexts offer. */
class CompletionList {
  readonly out: Completion[] = [];
  private readonly seen = new Set<string>();
  /** Without the plates' targets (files too large to read while editing), the ones the study names. */
  private readonly known: readonly string[];
  constructor(private readonly ctx: StudyContext, readonly sym: ReturnType<typeof collectSymbols>) {
    this.known = ctx.targets ?? ctx.declaredTargets ?? [];
  }

  add(c: Completion): void { const k = c.kind + ':' + c.label; if (!this.seen.has(k)) { this.seen.add(k); this.out.push(c); } }
  keyword(w: string, doc?: string): void { this.add({ label: w, kind: 'keyword', ...(doc ?? KEYWORD_DOCS[w] ? { documentation: doc ?? KEYWORD_DOCS[w] } : {}) }); }
  targets(): void { for (const t of this.known) this.add({ label: t, kind: 'target', detail: 'target', ...(quoteName(t) !== t ? { insertText: quoteName(t) } : {}) }); }
  private levelNames(): Set<string> { return new Set(Object.values(this.ctx.levels ?? {}).flat()); }
  levels(): void { for (const l of this.levelNames()) this.add({ label: l, kind: 'level', detail: 'level' }); }
  quotedLevels(): void { for (const l of this.levelNames()) this.add({ label: `"${l}"`, kind: 'level', detail: 'level' }); }
  cohorts(): void {
    for (const [name, c] of this.sym.cohorts) {
      const n = this.ctx.cohortSizes && own(this.ctx.cohortSizes, name);
      this.add({ label: name, kind: 'cohort', detail: c.stmt.kind === 'split' ? 'split' : 'cohort', ...(n !== undefined ? { documentation: `${n} subjects` } : {}) });
    }
  }
  outcomes(): void { for (const name of this.sym.outcomes.keys()) this.add({ label: name, kind: 'variable', detail: 'outcome' }); }
  columns(): void {
    for (const c of this.ctx.clinicalColumns ?? []) {
      const doc = [c.summary, c.n !== undefined ? `n = ${c.n}${c.missing ? `, missing ${c.missing}` : ''}` : undefined, c.levels ? `levels: ${c.levels.join(', ')}` : undefined].filter(Boolean).join('\n\n');
      this.add({ label: c.name, kind: 'column', detail: `${c.type} column`, ...(quoteName(c.name) !== c.name ? { insertText: quoteName(c.name) } : {}), ...(doc ? { documentation: doc } : {}) });
    }
  }
  fields(): void {
    for (const f of new Set([...this.sym.sampleFields, ...Object.keys(this.ctx.levels ?? {})])) this.add({ label: f, kind: 'variable', detail: 'sample field' });
  }
  lets(): void { for (const n of this.sym.lets.keys()) this.add({ label: n, kind: 'variable', detail: 'let' }); }
  /** What an expression may name: lets, columns, targets (and target@level), functions; outcomes when asked. */
  expression(withOutcomes = false): void {
    for (const [name, l] of this.sym.lets) this.add({ label: name, kind: 'variable', detail: 'let', documentation: '`let ' + name + ' = …` (line ' + (l.range.start.line + 1) + ')' });
    this.columns();
    this.targets();
    const levels = [...this.levelNames()];
    for (const t of this.known) for (const l of levels) this.add({ label: `${quoteName(t)}@${l}`, kind: 'target', detail: `${t} at ${l}` });
    for (const [f, info] of Object.entries(FUNCTION_INFO)) this.add({ label: f, kind: 'function', detail: info.signature, documentation: info.doc, insertText: f + '(' });
    if (withOutcomes) this.outcomes();
  }
  /** An option list (`qc a 1, b 2`, `... with a 1, b 2`) from token `from`: the unused names, or a named option's values. */
  optionContext(toks: readonly Token[], from: number, specs: Record<string, OptionSpec>): void {
    const rest = toks.slice(from);
    const used = new Set<string>();
    let expectName = true;
    let current: string | undefined;
    for (const t of rest) {
      if (isO(t, ',')) { expectName = true; continue; }
      if (expectName && t.kind === 'name') { used.add(t.text); current = t.text; expectName = false; continue; }
      expectName = false;
    }
    if (expectName || rest.length === 0) {
      // after `,` a number may continue a list; offer option names anyway
      for (const [name, spec] of Object.entries(specs)) if (!used.has(name)) this.add({ label: name, kind: 'option', detail: spec.type === 'choice' ? spec.values.join(' | ') : spec.type, documentation: spec.doc });
      return;
    }
    const spec = current && rest[rest.length - 1].text === current ? own(specs, current) : undefined;
    if (spec?.type === 'choice') for (const v of spec.values) this.add({ label: v, kind: 'keyword' });
  }
}

/** `qc hemolysis A - B > 7`, `qc spike-in T robust-z 3`: targets where a target goes, else the option list. */
function qcCompletions(toks: readonly Token[], b: CompletionList): void {
  const rule = toks[1]?.text, last = toks[toks.length - 1];
  if (rule === 'hemolysis' || rule === 'haemolysis') { if (toks.length === 2 || isO(last, '-')) b.targets(); return; }
  if (rule === 'spike-in') { if (toks.length === 2) b.targets(); else if (toks.length === 3) b.keyword('robust-z', WORD_DOCS['robust-z']); return; }
  if (toks.length === 1) { b.keyword('hemolysis', WORD_DOCS.hemolysis); b.keyword('spike-in', WORD_DOCS['spike-in']); }
  b.optionContext(toks, 1, QC_OPTIONS);
}

/** An analysis line: options after its `with`, cohorts after `in`, else what the kind's own completer offers. */
function analysisCompletions(def: NonNullable<ReturnType<typeof lookupAnalysis>>, toks: readonly Token[], b: CompletionList): void {
  const last = toks[toks.length - 1];
  // the last `in` / `with` that structures the line (a body that uses `with` itself has options after the second)
  let withAt = -1;
  let inAt = -1;
  let withCount = 0;
  toks.forEach((t, i) => {
    if (isW(t, 'with')) { withCount++; if (!def.bodyWith || withCount >= 2) withAt = i; }
    if (isW(t, 'in')) inAt = i;
  });
  if (withAt > inAt && withAt >= 0) { b.optionContext(toks, withAt + 1, def.options); return; }
  if (inAt >= 0 && inAt > withAt) {
    const after = toks.slice(inAt + 1);
    if (after.length === 0 || isO(after[after.length - 1], ',')) { b.cohorts(); return; }
    b.keyword('with', 'Analysis options');
    return;
  }
  const role = def.role;
  const api: AnalysisCompleter = {
    tokens: [...toks],
    has: (w) => toks.some((t) => isW(t, w)),
    lastIs: (w) => isW(last, w) || isO(last, w),
    models: () => { for (const [name, a] of b.sym.models) if (role.kind === 'consumer' && role.accepts.includes(a.analysis)) b.add({ label: name, kind: 'model', detail: `${a.analysis} model` }); },
    outcomes: () => b.outcomes(), targets: () => b.targets(), fields: () => b.fields(), expression: () => b.expression(),
    keyword: (w, doc) => b.keyword(w, doc),
    item: (label, detail) => b.add({ label, kind: 'keyword', detail }),
    body: (more = []) => {
      b.expression();
      if (isO(last, ',') || (last.kind === 'op' && last.text !== ')')) return;
      b.keyword('in', 'Cohort(s)'); b.keyword('with', 'Analysis options');
      for (const [w, doc] of more) b.keyword(w, doc);
    },
  };
  if (def.complete) def.complete(api); else api.body();
}

/** The other statements, by their keyword `kw`. */
function statementCompletions(kw: string, toks: readonly Token[], b: CompletionList): void {
  const last = toks[toks.length - 1];
  switch (kw) {
    case 'reference': case 'targets': b.targets(); return;
    case 'efficiency':
      if (toks.length === 1) { b.targets(); b.keyword('from', '`efficiency from standards | linregpcr`'); }
      else if (isW(last, 'from')) { b.keyword('standards'); b.keyword('linregpcr', 'LinRegPCR mean efficiency per target from the amplification curves'); }
      else if (isO(last, ',')) b.targets();
      return;
    case 'cq':
      if (toks.length === 1) b.keyword('from');
      else if (isW(last, 'from')) { b.keyword('instrument', 'the Cq in the file (default)'); b.keyword('threshold', '`threshold T` or `threshold auto`'); b.keyword('linregpcr', 'LinRegPCR TD0 from the amplification curves'); }
      else if (isW(last, 'threshold')) b.keyword('auto', '10 × the median baseline SD per target');
      return;
    case 'plates':
      if (isW(last, 'format')) { for (const f of PLATE_FORMATS) b.add({ label: f, kind: 'keyword', detail: 'plate format' }); }
      else if (isW(last, 'target')) b.targets();
      else if (last.kind === 'string' || last.kind === 'name') { if (!toks.some((t) => isW(t, 'format'))) b.keyword('format', 'Name the instrument format'); if (!toks.some((t) => isW(t, 'target'))) b.keyword('target', 'Target of files that carry none'); }
      return;
    case 'clinical': case 'samples':
      if (isW(last, 'key')) { if (kw === 'clinical') b.columns(); }
      else if (last.kind === 'string') b.keyword('key');
      return;
    case 'nondetect':
      if (toks.length === 1) { b.keyword('as', '`as 40` or `as max-cq`'); b.keyword('exclude'); b.keyword('impute'); }
      else if (isW(last, 'as')) b.keyword('max-cq');
      return;
    case 'outliers':
      if (toks.length === 1) { b.keyword('grubbs'); b.keyword('distance'); b.keyword('none'); }
      else if (isW(last, 'grubbs')) b.keyword('alpha');
      return;
    case 'interrun': if (toks.length === 1) b.keyword('calibrator'); return;
    case 'calibrator': b.fields(); b.quotedLevels(); return;
    case 'let': case 'cohort': case 'outcome':
      if (toks.length < 3) return;
      if (kw === 'outcome' && isO(last, '=')) { b.keyword('time'); return; }
      b.expression();
      if (kw === 'outcome' && !toks.some((t) => isW(t, 'event'))) b.keyword('event');
      return;
    case 'split':
      if (isW(last, 'stratify')) { b.columns(); b.lets(); }
      else if (last.kind === 'number') { if (!toks.some((t) => isW(t, 'seed'))) b.keyword('seed'); if (!toks.some((t) => isW(t, 'stratify'))) b.keyword('stratify'); }
      return;
    default:
      return; // study, or an unknown first word: nothing to offer
  }
}
