/**
 * Hover for `.qstudy` files: statement keywords, functions, options, and what a name means (clinical column with
 * type, n, missing, summary; `let` variable with its definition and type; target; level; cohort; outcome; model).
 */
import type { Position, Range } from '../common/diagnostic';
import { lookupAnalysis } from '../analyses';
import { STATEMENT_KEYWORDS } from './ast';
import { collectSymbols, expressionType, type StudyContext } from './check';
import { SPLINE_DOC, SPLINE_FN, SPLINE_SIGNATURE } from './eval';
import { lex, lineStartsOf, offsetAt, type Token } from './lexer';
import { parseStudy } from './parser';
import { FUNCTION_INFO, KEYWORD_DOCS, QC_OPTIONS, WORD_DOCS } from './vocabulary';
import { own } from '../../shared/own';

export interface HoverResult { markdown: string; range: Range }

const STATEMENT_SET = new Set(STATEMENT_KEYWORDS);
const isModelKind = (kw: string) => lookupAnalysis(kw)?.role.kind === 'model';

export function hover(text: string, position: Position, ctx: StudyContext = {}): HoverResult | null {
  const lineStarts = lineStartsOf(text);
  const at = tokenAt(text, offsetAt(lineStarts, text, position));
  if (!at) return null;
  const { tok } = at;
  const md = (m: string | null): HoverResult | null => (m === null ? null : { markdown: m, range: tok.range });
  if (tok.kind === 'number') return tok.percent ? md(`\`${tok.text}\` = ${tok.value}`) : null;
  if (tok.kind !== 'name' && tok.kind !== 'bname') return null;
  const name = String(tok.value);
  const { pos, first, kw } = at;
  if (pos === first && tok.kind === 'name' && STATEMENT_SET.has(name)) return md(own(KEYWORD_DOCS, name) ?? name);
  if (first === 2 && pos === 0) return md(`**${name}** — analysis label (report result name${isModelKind(kw) ? '; a model other lines refer to' : ''}).`);
  if (at.prev?.text === '@') {
    const field = Object.entries(ctx.levels ?? {}).find(([, ls2]) => ls2.includes(name))?.[0];
    return md(`**${name}** — level${field ? ` of sample field \`${field}\`` : ''}`);
  }
  return md(vocabularyHover(at, name) ?? symbolHover(text, lineStarts, name, ctx) ?? (tok.kind === 'name' ? own(WORD_DOCS, name) ?? null : null));
}

/** The token under the cursor on its logical line: its index there, the statement keyword's and the neighbours. */
interface TokenAt { tok: Token; line: Token[]; pos: number; first: number; kw: string; prev: Token | undefined; next: Token | undefined }

/** The token at `offset` (or a name ending there), with its line; null between tokens. */
function tokenAt(text: string, offset: number): TokenAt | null {
  const { tokens } = lex(text);
  const idx = tokens.findIndex((t) => t.kind !== 'newline' && t.kind !== 'eof' && t.start <= offset && offset < t.end);
  const i = idx >= 0 ? idx : tokens.findIndex((t) => (t.kind === 'name' || t.kind === 'bname') && t.end === offset);
  if (i < 0) return null;
  let ls = i;
  while (ls > 0 && tokens[ls - 1].kind !== 'newline') ls--;
  const line = tokens.slice(ls, tokens.findIndex((t, j) => j >= i && (t.kind === 'newline' || t.kind === 'eof')));
  const pos = i - ls;
  // after a label (`name:`) the statement keyword is the third token
  const first = line[0]?.kind === 'name' || line[0]?.kind === 'bname' ? (line[1]?.text === ':' ? 2 : 0) : 0;
  return { tok: tokens[i], line, pos, first, kw: line[first]?.text ?? '', prev: line[pos - 1], next: line[pos + 1] };
}

/** An option name (after `with` or a comma, or a `qc` setting) or a function name before `(`: its documentation. */
function vocabularyHover({ tok, line, pos, first, kw, prev, next }: TokenAt, name: string): string | null {
  if (tok.kind !== 'name') return null;
  if (prev?.text === 'with' || prev?.text === ',' || (kw === 'qc' && pos === first + 1)) {
    const specs = kw === 'qc' ? QC_OPTIONS : lookupAnalysis(kw)?.options;
    const spec = specs && own(specs, name);
    if (spec && (kw === 'qc' || line.slice(first, pos).some((t) => t.text === 'with'))) return `**${name}** (option) — ${spec.doc}`;
  }
  if (next?.text !== '(') return null;
  if (name === SPLINE_FN) return `\`${SPLINE_SIGNATURE}\` — ${SPLINE_DOC}`;
  const f = own(FUNCTION_INFO, name);
  return f ? `\`${f.signature}\` — ${f.doc}` : null;
}

/** What the name is in this study and its data: a variable, clinical column, target, outcome, cohort or label. */
function symbolHover(text: string, lineStarts: number[], name: string, ctx: StudyContext): string | null {
  const ast = parseStudy(text).ast;
  const sym = collectSymbols(ast);
  const src = (r: Range) => text.slice(offsetAt(lineStarts, text, r.start), offsetAt(lineStarts, text, r.end)).replace(/\s*\n\s*/g, ' ');
  const parts: string[] = [];
  const letStmt = sym.lets.get(name);
  if (letStmt) {
    const t = expressionType(ast, ctx, letStmt.expr);
    parts.push(`**${name}** — variable${t !== 'unknown' ? ` (${t})` : ''}\n\n\`let ${name} = ${letStmt.expr.text}\``);
  }
  const col = ctx.clinicalColumns?.find((c) => c.name === name);
  if (col) {
    const facts = [col.n !== undefined ? `n = ${col.n}` : undefined, col.missing !== undefined ? `missing ${col.missing}` : undefined].filter(Boolean).join(', ');
    parts.push(`**${name}** — clinical column (${col.type})${facts ? `, ${facts}` : ''}${col.summary ? `\n\n${col.summary}` : ''}${col.levels ? `\n\nlevels: ${col.levels.map((l) => `"${l}"`).join(', ')}` : ''}`);
  }
  if (ctx.targets?.includes(name)) {
    const levels = Object.entries(ctx.levels ?? {});
    parts.push(`**${name}** — qPCR target${levels.length ? `\n\nlevels: ${levels.map(([f, l]) => `${f} = ${l.join(', ')}`).join('; ')} (write \`${name}@${levels[0][1][0] ?? 'level'}\`)` : ''}`);
  }
  const outcome = sym.outcomes.get(name);
  if (outcome) parts.push(`**${name}** — time-to-event outcome: time \`${outcome.time.text}\`, event \`${outcome.event.text}\``);
  const cohort = sym.cohorts.get(name);
  if (cohort) {
    const n = ctx.cohortSizes && own(ctx.cohortSizes, name);
    const def = cohort.stmt.kind === 'cohort' ? `\`${cohort.stmt.expr.text}\`` : `split: \`${src(cohort.stmt.range)}\``;
    parts.push(`**${name}** — cohort${n !== undefined ? ` (${n} subjects)` : ''}\n\n${def}`);
  }
  const lab = sym.labels.get(name);
  if (lab) parts.push(`**${name}** — ${isModelKind(lab.analysis) ? `${lab.analysis} model` : `${lab.analysis} analysis`}\n\n\`${src(lab.range)}\``);
  return parts.length ? parts.join('\n\n---\n\n') : null;
}
