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
  const prefix = text.slice(0, offset);
  const all = lex(prefix).tokens.filter((t) => t.kind !== 'eof' && !(t.kind === 'newline' && t.start === prefix.length));
  let start = 0;
  for (let i = all.length - 1; i >= 0; i--) if (all[i].kind === 'newline') { start = i + 1; break; }
  let toks = all.slice(start);
  // the word being typed is not context
  const lastTok = toks[toks.length - 1];
  if (lastTok && lastTok.end === offset && (lastTok.kind === 'name' || lastTok.kind === 'number' || lastTok.kind === 'bname')) toks = toks.slice(0, -1);

  const ast = parseStudy(text).ast;
  const sym = collectSymbols(ast);
  const out: Completion[] = [];
  const seen = new Set<string>();
  const add = (c: Completion) => { const k = c.kind + ':' + c.label; if (!seen.has(k)) { seen.add(k); out.push(c); } };
  const keyword = (w: string, doc?: string) => add({ label: w, kind: 'keyword', ...(doc ?? KEYWORD_DOCS[w] ? { documentation: doc ?? KEYWORD_DOCS[w] } : {}) });
  // Without the plates' targets (files too large to read while editing), the ones the study names.
  const known = ctx.targets ?? ctx.declaredTargets ?? [];
  const targets = () => { for (const t of known) add({ label: t, kind: 'target', detail: 'target', ...(quoteName(t) !== t ? { insertText: quoteName(t) } : {}) }); };
  const cohorts = () => {
    for (const [name, c] of sym.cohorts) {
      const n = ctx.cohortSizes?.[name];
      add({ label: name, kind: 'cohort', detail: c.stmt.kind === 'split' ? 'split' : 'cohort', ...(n !== undefined ? { documentation: `${n} subjects` } : {}) });
    }
  };
  const outcomes = () => { for (const name of sym.outcomes.keys()) add({ label: name, kind: 'variable', detail: 'outcome' }); };
  const columns = () => {
    for (const c of ctx.clinicalColumns ?? []) {
      const doc = [c.summary, c.n !== undefined ? `n = ${c.n}${c.missing ? `, missing ${c.missing}` : ''}` : undefined, c.levels ? `levels: ${c.levels.join(', ')}` : undefined].filter(Boolean).join('\n\n');
      add({ label: c.name, kind: 'column', detail: `${c.type} column`, ...(quoteName(c.name) !== c.name ? { insertText: quoteName(c.name) } : {}), ...(doc ? { documentation: doc } : {}) });
    }
  };
  const fields = () => {
    for (const f of new Set([...sym.sampleFields, ...Object.keys(ctx.levels ?? {})])) add({ label: f, kind: 'variable', detail: 'sample field' });
  };
  const expression = (withOutcomes = false) => {
    for (const [name, l] of sym.lets) add({ label: name, kind: 'variable', detail: 'let', documentation: '`let ' + name + ' = …` (line ' + (l.range.start.line + 1) + ')' });
    columns();
    targets();
    const levels = [...new Set(Object.values(ctx.levels ?? {}).flat())];
    for (const t of known) for (const l of levels) add({ label: `${quoteName(t)}@${l}`, kind: 'target', detail: `${t} at ${l}` });
    for (const [f, info] of Object.entries(FUNCTION_INFO)) add({ label: f, kind: 'function', detail: info.signature, documentation: info.doc, insertText: f + '(' });
    if (withOutcomes) outcomes();
  };
  const options = (specs: Record<string, OptionSpec>, used: Set<string>) => {
    for (const [name, spec] of Object.entries(specs)) if (!used.has(name)) add({ label: name, kind: 'option', detail: spec.type === 'choice' ? spec.values.join(' | ') : spec.type, documentation: spec.doc });
  };
  const optionValues = (spec: OptionSpec | undefined) => {
    if (spec?.type === 'choice') for (const v of spec.values) add({ label: v, kind: 'keyword' });
  };

  // label
  let label = false;
  if (toks.length >= 2 && (toks[0].kind === 'name' || toks[0].kind === 'bname') && toks[1].kind === 'op' && toks[1].text === ':') { toks = toks.slice(2); label = true; }
  if (toks.length === 0) {
    for (const k of label ? ANALYSIS_KINDS : STATEMENT_KEYWORDS) keyword(k);
    return out;
  }
  const kw = toks[0].text;
  const last = toks[toks.length - 1];
  const isW = (t: Token | undefined, w: string) => !!t && t.kind === 'name' && t.text === w;
  const isO = (t: Token | undefined, o: string) => !!t && t.kind === 'op' && t.text === o;

  if (isO(last, '@')) {
    for (const l of new Set(Object.values(ctx.levels ?? {}).flat())) add({ label: l, kind: 'level', detail: 'level' });
    return out;
  }

  // option lists: `qc a 1, b 2` and `... with a 1, b 2`
  const optionContext = (from: number, specs: Record<string, OptionSpec>): boolean => {
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
      options(specs, used);
      return true;
    }
    if (current && rest[rest.length - 1].text === current) optionValues(specs[current]);
    return true;
  };

  if (kw === 'qc') {
    // `qc hemolysis A - B > 7`, `qc spike-in T robust-z 3`: targets where a target goes, else the option list
    const rule = toks[1]?.text;
    if (rule === 'hemolysis' || rule === 'haemolysis') { if (toks.length === 2 || isO(last, '-')) targets(); return out; }
    if (rule === 'spike-in') { if (toks.length === 2) targets(); else if (toks.length === 3) keyword('robust-z', WORD_DOCS['robust-z']); return out; }
    if (toks.length === 1) { keyword('hemolysis', WORD_DOCS.hemolysis); keyword('spike-in', WORD_DOCS['spike-in']); }
    optionContext(1, QC_OPTIONS);
    return out;
  }

  const def = lookupAnalysis(kw);
  if (def) {
    // the last `in` / `with` that structures the line (a body that uses `with` itself has options after the second)
    let withAt = -1;
    let inAt = -1;
    let withCount = 0;
    toks.forEach((t, i) => {
      if (isW(t, 'with')) { withCount++; if (!def.bodyWith || withCount >= 2) withAt = i; }
      if (isW(t, 'in')) inAt = i;
    });
    if (withAt > inAt && withAt >= 0) { optionContext(withAt + 1, def.options); return out; }
    if (inAt >= 0 && inAt > withAt) {
      const after = toks.slice(inAt + 1);
      if (after.length === 0 || isO(after[after.length - 1], ',')) { cohorts(); return out; }
      keyword('with', 'Analysis options');
      return out;
    }
    const role = def.role;
    const api: AnalysisCompleter = {
      tokens: toks,
      has: (w) => toks.some((t) => isW(t, w)),
      lastIs: (w) => isW(last, w) || isO(last, w),
      models: () => { for (const [name, a] of sym.models) if (role.kind === 'consumer' && role.accepts.includes(a.analysis)) add({ label: name, kind: 'model', detail: `${a.analysis} model` }); },
      outcomes, targets, fields, expression: () => expression(),
      keyword: (w, doc) => keyword(w, doc),
      item: (label, detail) => add({ label, kind: 'keyword', detail }),
      body: (more = []) => {
        expression();
        if (isO(last, ',') || (last.kind === 'op' && last.text !== ')')) return;
        keyword('in', 'Cohort(s)'); keyword('with', 'Analysis options');
        for (const [w, doc] of more) keyword(w, doc);
      },
    };
    if (def.complete) def.complete(api); else api.body();
    return out;
  }

  switch (kw) {
    case 'reference': case 'targets': targets(); return out;
    case 'efficiency':
      if (toks.length === 1) { targets(); keyword('from', '`efficiency from standards | linregpcr`'); }
      else if (isW(last, 'from')) { keyword('standards'); keyword('linregpcr', 'LinRegPCR mean efficiency per target from the amplification curves'); }
      else if (isO(last, ',')) targets();
      return out;
    case 'cq':
      if (toks.length === 1) keyword('from');
      else if (isW(last, 'from')) { keyword('instrument', 'the Cq in the file (default)'); keyword('threshold', '`threshold T` or `threshold auto`'); keyword('linregpcr', 'LinRegPCR TD0 from the amplification curves'); }
      else if (isW(last, 'threshold')) keyword('auto', '10 × the median baseline SD per target');
      return out;
    case 'plates':
      if (isW(last, 'format')) { for (const f of PLATE_FORMATS) add({ label: f, kind: 'keyword', detail: 'plate format' }); }
      else if (isW(last, 'target')) targets();
      else if (last.kind === 'string' || last.kind === 'name') { if (!toks.some((t) => isW(t, 'format'))) keyword('format', 'Name the instrument format'); if (!toks.some((t) => isW(t, 'target'))) keyword('target', 'Target of files that carry none'); }
      return out;
    case 'clinical': case 'samples':
      if (isW(last, 'key')) { if (kw === 'clinical') columns(); }
      else if (last.kind === 'string') keyword('key');
      return out;
    case 'nondetect':
      if (toks.length === 1) { keyword('as', '`as 40` or `as max-cq`'); keyword('exclude'); keyword('impute'); }
      else if (isW(last, 'as')) keyword('max-cq');
      return out;
    case 'outliers':
      if (toks.length === 1) { keyword('grubbs'); keyword('distance'); keyword('none'); }
      else if (isW(last, 'grubbs')) keyword('alpha');
      return out;
    case 'interrun': if (toks.length === 1) keyword('calibrator'); return out;
    case 'calibrator': fields(); for (const l of new Set(Object.values(ctx.levels ?? {}).flat())) add({ label: `"${l}"`, kind: 'level', detail: 'level' }); return out;
    case 'let': case 'cohort': case 'outcome':
      if (toks.length < 3) return out;
      if (kw === 'outcome' && isO(last, '=')) { keyword('time'); return out; }
      expression();
      if (kw === 'outcome' && !toks.some((t) => isW(t, 'event'))) keyword('event');
      return out;
    case 'split':
      if (isW(last, 'stratify')) { columns(); for (const n of sym.lets.keys()) add({ label: n, kind: 'variable', detail: 'let' }); }
      else if (last.kind === 'number') { if (!toks.some((t) => isW(t, 'seed'))) keyword('seed'); if (!toks.some((t) => isW(t, 'stratify'))) keyword('stratify'); }
      return out;
    default:
      return out; // study, or an unknown first word: nothing to offer
  }
}
