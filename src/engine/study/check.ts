/**
 * Semantic checks of a parsed study against what the host/runner knows about its data (`StudyContext`).
 * Unknown parts of the context are not checked (no false alarms while the plates or the clinical table are
 * unreadable). Every diagnostic has the exact range of the offending name; fixes only where certain.
 */
import type { EngineDiagnostic, EngineFix, Range, Severity } from '../common/diagnostic';
import type { Analysis, Expr, Ident, OptionNode, Statement, StudyAst } from './ast';
import { analysisDefinition, MODEL_ANALYSES } from '../analyses';
import type { AnalysisChecker, ValueType } from '../analyses/types';
import { statementExprs, walkExpr } from './ast';
import { SPLINE_FN } from './eval';
import { expandSequence, RESERVED, STUDY_LIMITS } from './parser';
import { isValidSeed, SEED_MAX } from '../stats/rng';
import { quoteName, uniqueClosest } from './util';
import { FUNCTION_INFO, PLATE_FORMATS, QC_OPTIONS, type OptionSpec } from './vocabulary';
import { own } from '../../shared/own';

export interface ClinicalColumnInfo {
  name: string;
  type: 'numeric' | 'categorical';
  levels?: string[];
  n?: number;
  missing?: number;
  summary?: string;
}

/** What the host and the runner know about a study's data; absent parts are not checked. */
export interface StudyContext {
  /** Targets on the plates. */
  targets?: string[];
  /** Sample level field → its levels (e.g. `{ timepoint: ['pre', 'post'] }`). */
  levels?: Record<string, string[]>;
  clinicalColumns?: ClinicalColumnInfo[];
  /** Subjects per cohort (cohorts and split parts), when known. */
  cohortSizes?: Record<string, number>;
  /**
   * Some plate files were not read (the editor's live checks skip files over 50 MB): their targets and sample levels
   * are unknown, so a name that is no column or variable may be a target and is not reported.
   */
  platesUnread?: boolean;
  /** With `platesUnread`: the targets the study names (`targets`, `reference`), offered by completion only. */
  declaredTargets?: string[];
}

export type { ValueType };

/** Everything a study defines, by name (first definition wins). */
export interface StudySymbols {
  lets: Map<string, Extract<Statement, { kind: 'let' }>>;
  cohorts: Map<string, { ident: Ident; stmt: Statement }>;
  outcomes: Map<string, Extract<Statement, { kind: 'outcome' }>>;
  models: Map<string, Analysis>;
  labels: Map<string, Analysis>;
  /** Fields of a `samples "{a}-{b}"` pattern. */
  sampleFields: string[];
}

export function collectSymbols(ast: StudyAst): StudySymbols {
  const sym: StudySymbols = { lets: new Map(), cohorts: new Map(), outcomes: new Map(), models: new Map(), labels: new Map(), sampleFields: [] };
  for (const s of ast.statements) {
    if (s.kind === 'let' && !sym.lets.has(s.name.name)) sym.lets.set(s.name.name, s);
    else if (s.kind === 'cohort' && !sym.cohorts.has(s.name.name)) sym.cohorts.set(s.name.name, { ident: s.name, stmt: s });
    else if (s.kind === 'split') { for (const n of s.names) if (!sym.cohorts.has(n.name)) sym.cohorts.set(n.name, { ident: n, stmt: s }); }
    else if (s.kind === 'outcome' && !sym.outcomes.has(s.name.name)) sym.outcomes.set(s.name.name, s);
    else if (s.kind === 'samples' && s.source === 'pattern') {
      for (const m of s.value.value.matchAll(/\{([^{}]+)\}/g)) sym.sampleFields.push(m[1]);
    } else if (s.kind === 'analysis' && s.label) {
      if (!sym.labels.has(s.label.name)) sym.labels.set(s.label.name, s);
      if (MODEL_ANALYSES.includes(s.analysis) && !sym.models.has(s.label.name)) sym.models.set(s.label.name, s);
    }
  }
  return sym;
}

class Checker {
  readonly out: EngineDiagnostic[] = [];
  readonly sym: StudySymbols;
  readonly columns: Map<string, ClinicalColumnInfo> | undefined;
  readonly targets: Set<string> | undefined;
  readonly levels: Set<string> | undefined;
  readonly hasPlates: boolean;
  readonly hasClinical: boolean;
  private readonly letTypes = new Map<string, ValueType>();
  private readonly letBusy = new Set<string>();
  private missingPlatesReported = false;
  /** Names defined by lines that failed to parse: their uses are not reported again (no cascade). */
  readonly failedNames: Set<string>;
  /** Targets already reported unknown on a `targets`/`reference` line: later uses are the same mistake. */
  private readonly unknownTargets = new Set<string>();
  private letDepthCache: Map<string, number> | undefined;

  constructor(readonly ast: StudyAst, readonly ctx: StudyContext) {
    this.sym = collectSymbols(ast);
    this.columns = ctx.clinicalColumns ? new Map(ctx.clinicalColumns.map((c) => [c.name, c])) : undefined;
    this.targets = ctx.targets ? new Set(ctx.targets) : undefined;
    this.levels = ctx.levels ? new Set(Object.values(ctx.levels).flat()) : undefined;
    this.hasPlates = ast.statements.some((s) => s.kind === 'plates');
    this.hasClinical = ast.statements.some((s) => s.kind === 'clinical');
    this.failedNames = new Set(ast.statements.flatMap((s) => (s.kind === 'error' ? s.defines ?? [] : []).map((d) => d.name)));
  }

  diag(code: string, message: string, range: Range, severity: Severity = 'error', fixes?: EngineFix[]): void {
    const d: EngineDiagnostic = { code, severity, message, range };
    if (this.ast.file !== undefined) d.file = this.ast.file;
    if (fixes && fixes.length) d.fixes = fixes;
    this.out.push(d);
  }

  /** Did-you-mean text and a fix when exactly one candidate is closest. */
  suggest(name: string, range: Range, candidates: Iterable<string>): { hint: string; fixes?: EngineFix[] } {
    const { best, all } = uniqueClosest(name, candidates);
    const hint = all.length ? ` Did you mean ${all.slice(0, 3).map((a) => `\`${quoteName(a)}\``).join(' or ')}?` : '';
    return best === undefined ? { hint } : { hint, fixes: [{ title: `Change to \`${quoteName(best)}\``, edits: [{ range, newText: quoteName(best) }] }] };
  }

  /** True when `name` means something in an expression. */
  known(name: string): boolean {
    return this.sym.lets.has(name) || this.failedNames.has(name) || !!this.columns?.has(name) || !!this.targets?.has(name) || this.sym.outcomes.has(name);
  }

  isTargetRef(e: Expr): boolean {
    if (e.kind === 'at') return true;
    if (e.kind === 'name') return !!this.targets?.has(e.name);
    return false;
  }

  needPlates(range: Range): void {
    if (this.hasPlates || this.missingPlatesReported) return;
    this.missingPlatesReported = true;
    this.diag('study-missing-data', 'This needs Cq data but the study has no `plates "..."` statement.', range);
  }

  /** `declared`: the name is on a `targets`/`reference` line; its later uses are not reported again. */
  checkTarget(id: Ident, declared = false): void {
    this.needPlates(id.range);
    if (!this.targets || this.targets.has(id.name) || this.unknownTargets.has(id.name)) return;
    if (declared) this.unknownTargets.add(id.name);
    const s = this.suggest(id.name, id.range, this.targets);
    this.diag('study-unknown-target', `No target \`${id.name}\` on the plates.${s.hint}`, id.range, 'error', s.fixes);
  }

  checkCohortRef(id: Ident): void {
    if (this.failedNames.has(id.name)) return;
    if (!this.sym.cohorts.has(id.name)) {
      const s = this.suggest(id.name, id.range, this.sym.cohorts.keys());
      this.diag('study-unknown-cohort', `No cohort \`${id.name}\` (define it with \`cohort ${id.name} = ...\` or \`split\`).${s.hint}`, id.range, 'error', s.fixes);
      return;
    }
    if (this.cohortSize(id.name) === 0) this.diag('study-empty-cohort', `Cohort \`${id.name}\` has no subjects.`, id.range);
  }

  // --- expressions -------------------------------------------------------------------------------------

  letType(name: string): ValueType {
    const cached = this.letTypes.get(name);
    if (cached) return cached;
    const st = this.sym.lets.get(name);
    if (!st || this.letBusy.has(name) || this.letTooDeep(name)) return 'unknown';
    this.letBusy.add(name);
    const t = this.expr(st.expr, false);
    this.letBusy.delete(name);
    this.letTypes.set(name, t);
    return t;
  }

  /**
   * True when `let name`, with the variables it uses written out, nests deeper than the parser's expression limit
   * (a chain `let a = b + 1`, `let b = c + 1`, ...): it is then neither typed nor run (one `study-limit` error), so
   * no recursion over it (here or in the evaluator) can overflow the stack.
   */
  letTooDeep(name: string): boolean {
    this.letDepthCache ??= letDepths(this.sym.lets);
    return (this.letDepthCache.get(name) ?? 0) > STUDY_LIMITS.maxDepth;
  }

  /** The `let` variables an expression of `s` uses. */
  private letUses(s: Extract<Statement, { kind: 'let' }>): string[] {
    const out: string[] = [];
    walkExpr(s.expr, (e) => { if (e.kind === 'name' && this.sym.lets.has(e.name) && e.name !== s.name.name) out.push(e.name); });
    return out;
  }

  /** Type of an expression; reports problems when `report`. `fields`: names resolve to sample fields (calibrator). */
  expr(e: Expr, report: boolean, fields?: Set<string>): ValueType {
    const r = report;
    switch (e.kind) {
      case 'number': return 'numeric';
      case 'string': return 'categorical';
      case 'error': return 'unknown';
      case 'at': {
        if (r) {
          this.checkTarget(e.target);
          if (this.levels && !this.levels.has(e.level.name)) {
            const s = this.suggest(e.level.name, e.level.range, this.levels);
            this.diag('study-unknown-level', `No sample level \`${e.level.name}\`.${s.hint}`, e.level.range, 'error', s.fixes);
          }
        }
        return 'numeric';
      }
      case 'name': return this.nameType(e, r, fields);
      case 'unary': {
        const t = this.expr(e.operand, r, fields);
        if (e.op === '-' && t === 'categorical' && r) this.diag('study-type', `\`${e.operand.text}\` is categorical: it cannot be negated.`, e.operand.range);
        return 'numeric';
      }
      case 'binary': {
        const lt = this.expr(e.left, r, fields);
        const rt = this.expr(e.right, r, fields);
        if (['+', '-', '*', '/', '^'].includes(e.op)) {
          if (r) for (const [side, t] of [[e.left, lt], [e.right, rt]] as const) {
            if (t === 'categorical') this.diag('study-type', `\`${side.text}\` is categorical: arithmetic (\`${e.op}\`) needs numbers.`, side.range);
          }
          return 'numeric';
        }
        if (['<', '<=', '>', '>='].includes(e.op)) {
          if (r) for (const [side, t] of [[e.left, lt], [e.right, rt]] as const) {
            if (t === 'categorical') this.diag('study-type', `\`${side.text}\` is categorical: \`${e.op}\` needs numbers.`, side.range);
          }
          return 'numeric';
        }
        if (e.op === '==' || e.op === '!=') {
          if (r && lt !== 'unknown' && rt !== 'unknown' && lt !== rt) {
            this.diag('study-type', `\`${e.left.text}\` is ${lt} but \`${e.right.text}\` is ${rt}: they are never equal.`, e.range, 'warning');
          }
          if (r) this.checkLevelLiteral(e.left, e.right, fields);
          if (r) this.checkLevelLiteral(e.right, e.left, fields);
        }
        return 'numeric';
      }
      case 'call': return this.callType(e, r, fields);
    }
  }

  /** `column == "level"` with a level the column does not have. */
  private checkLevelLiteral(side: Expr, lit: Expr, fields?: Set<string>): void {
    if (side.kind !== 'name' || lit.kind !== 'string') return;
    const sampleLevels = fields && this.ctx.levels ? own(this.ctx.levels, side.name) : undefined;
    const col = fields ? (sampleLevels ? { type: 'categorical' as const, levels: sampleLevels } : undefined) : this.columns?.get(side.name);
    if (!col || col.type !== 'categorical' || !col.levels || col.levels.includes(lit.value)) return;
    const best = uniqueClosest(lit.value, col.levels).best;
    this.diag('study-unknown-level', `${fields ? 'Sample field' : 'Column'} \`${side.name}\` has no level "${lit.value}" (levels: ${col.levels.map((l) => `"${l}"`).join(', ')}).`, lit.range, 'warning',
      best !== undefined ? [{ title: `Change to "${best}"`, edits: [{ range: lit.range, newText: JSON.stringify(best) }] }] : undefined);
  }

  private nameType(e: Extract<Expr, { kind: 'name' }>, r: boolean, fields?: Set<string>): ValueType {
    const n = e.name;
    if (fields) {
      if (fields.has(n)) return 'categorical';
      if (r && fields.size > 0) {
        const s = this.suggest(n, e.range, fields);
        this.diag('study-unknown-column', `No sample field \`${n}\` (fields: ${[...fields].join(', ')}).${s.hint}`, e.range, 'error', s.fixes);
      }
      return 'unknown';
    }
    if (this.sym.lets.has(n)) return this.letType(n);
    if (this.failedNames.has(n)) return 'unknown';
    if (this.unknownTargets.has(n)) return 'numeric';
    const col = this.columns?.get(n);
    if (col) return col.type;
    // `split a / b = ...` also defines the categorical variable `split` (levels a, b), e.g. for `describe ... by split`.
    if (n === 'split' && this.ast.statements.some((st) => st.kind === 'split')) return 'categorical';
    if (this.targets?.has(n)) { if (r) this.needPlates(e.range); return 'numeric'; }
    if (this.sym.outcomes.has(n)) {
      if (r) this.diag('study-type', `\`${n}\` is a time-to-event outcome: use it in \`km\` or \`cox\`, not in an expression.`, e.range);
      return 'unknown';
    }
    if (!r) return 'unknown';
    // `a-b` that would be `a - b`
    if (!e.backtick && n.includes('-')) {
      const split = this.minusSplit(n);
      if (split) {
        const fixed = split.join(' - ');
        this.diag('study-minus-without-spaces', `\`${n}\` is not a name; \`${fixed}\` would be a subtraction (subtraction needs spaces).`, e.range, 'error',
          [{ title: `Change to \`${fixed}\``, edits: [{ range: e.range, newText: fixed }] }]);
        return 'numeric';
      }
    }
    if (this.sym.cohorts.has(n)) {
      this.diag('study-type', `\`${n}\` is a cohort: use it after \`in\`, not in an expression.`, e.range);
      return 'unknown';
    }
    if (this.sym.models.has(n) || this.sym.labels.has(n)) {
      this.diag('study-type', `\`${n}\` is an analysis label, not a variable.`, e.range);
      return 'unknown';
    }
    const targetHit = this.targets ? uniqueClosest(n, this.targets) : { all: [] as string[] };
    const columnNames = this.columns ? [...this.columns.keys()] : [];
    const columnHit = uniqueClosest(n, [...columnNames, ...this.sym.lets.keys()]);
    if (this.targets && targetHit.all.length > 0 && columnHit.all.length === 0) {
      const s = this.suggest(n, e.range, this.targets);
      this.diag('study-unknown-target', `No target \`${n}\` on the plates.${s.hint}`, e.range, 'error', s.fixes);
      return 'numeric';
    }
    if (this.ctx.platesUnread && columnHit.all.length === 0) return 'unknown'; // a target or sample field of the unread plates, maybe
    if (this.columns) {
      const s = this.suggest(n, e.range, [...columnNames, ...this.sym.lets.keys(), ...(this.targets ?? [])]);
      this.diag('study-unknown-column', `No column, variable or target \`${n}\`.${s.hint}`, e.range, 'error', s.fixes);
      return 'unknown';
    }
    if (!this.hasClinical && this.targets) {
      this.diag('study-missing-data', `\`${n}\` is not a target or variable, and the study has no \`clinical "..." key ...\` statement.`, e.range);
    }
    return 'unknown';
  }

  /** Splits `a-b-c` at some dashes so that every part is known (or a number); undefined if impossible. */
  minusSplit(name: string): string[] | undefined {
    const pieces = name.split('-');
    if (pieces.length < 2 || pieces.length > 12) return undefined;
    const ok = (s: string) => this.known(s) || /^\d+(\.\d*)?$/.test(s);
    const rec = (i: number): string[][] => {
      if (i === pieces.length) return [[]];
      const res: string[][] = [];
      for (let j = i + 1; j <= pieces.length; j++) {
        const part = pieces.slice(i, j).join('-');
        if (!ok(part)) continue;
        for (const rest of rec(j)) res.push([part, ...rest]);
      }
      return res;
    };
    return rec(0).find((parts) => parts.length >= 2);
  }

  private callType(e: Extract<Expr, { kind: 'call' }>, r: boolean, fields?: Set<string>): ValueType {
    const fn = e.callee.name;
    const info = own(FUNCTION_INFO, fn);
    const placed = own(PLACED_FUNCTIONS, fn);
    if (!info && placed) {
      if (r) this.diag('study-type', `\`${fn}(...)\` is ${placed}, not a function of an expression.`, e.range);
      return 'unknown';
    }
    if (!info) {
      if (r && fn === SPLINE_FN) {
        this.diag('study-type', `\`${SPLINE_FN}(x, k)\` is a model term: write it alone between the \`+\` of a \`logistic\` or \`cox\` formula (\`logistic y ~ rcs(age, 4) + sex\`).`, e.range);
        for (const a of e.args) this.expr(a, r, fields);
      } else if (r) {
        const s = this.suggest(fn, e.callee.range, Object.keys(FUNCTION_INFO));
        this.diag('study-unknown-function', `Unknown function \`${fn}\`.${s.hint}`, e.callee.range, 'error', s.fixes);
        for (const a of e.args) this.expr(a, r, fields);
      }
      return 'unknown';
    }
    if (r && (e.args.length < info.min || e.args.length > info.max)) {
      const want = info.min === info.max ? `${info.min}` : info.max === Infinity ? `at least ${info.min}` : `${info.min} to ${info.max}`;
      this.diag('study-type', `\`${fn}\` takes ${want} argument${want === '1' ? '' : 's'}: ${info.signature}.`, e.range);
    }
    if (fn === 'dcq' || fn === 'cq') {
      const a = e.args[0];
      if (a && r) {
        if (a.kind === 'at' || a.kind === 'name') {
          if (a.kind === 'at') this.expr(a, r, fields);
          else { this.checkTarget({ name: a.name, range: a.range }); }
        } else this.diag('study-type', `\`${fn}\` takes a target (\`T\` or \`T@level\`), not \`${a.text}\`.`, a.range);
      }
      return 'numeric';
    }
    const types = e.args.map((a) => this.expr(a, r, fields));
    if (fn === 'if') return types[1] && types[1] === types[2] ? types[1] : types[1] === 'unknown' ? types[2] ?? 'unknown' : types[2] === 'unknown' ? types[1] : 'unknown';
    if (r) {
      e.args.forEach((a, i) => {
        if (types[i] === 'categorical') this.diag('study-type', `\`${a.text}\` is categorical: \`${fn}\` needs numbers.`, a.range);
      });
      if (fn === 'quantile' && e.args[1]?.kind === 'number') {
        const p = (e.args[1] as { value: number }).value;
        if (p < 0 || p > 1) this.diag('study-type', `quantile p must be between 0 and 1 (got ${p}).`, e.args[1].range);
      }
    }
    return info.result === 'categorical' ? 'categorical' : 'numeric';
  }

  requireNumeric(e: Expr, what: string): void {
    const t = this.expr(e, true);
    if (t === 'categorical') this.diag('study-type', `\`${e.text}\` is categorical; ${what} needs a number.`, e.range);
  }

  requireCategorical(e: Expr, what: string): void {
    const t = this.expr(e, true);
    if (t === 'numeric') this.diag('study-type', `\`${e.text}\` is numeric; ${what} needs a categorical variable (e.g. \`cut(${e.text}, 60)\`).`, e.range);
  }

  // --- options -----------------------------------------------------------------------------------------

  options(opts: OptionNode[], specs: Record<string, OptionSpec>, where: string): void {
    const seen = new Set<string>();
    for (const o of opts) {
      const spec = own(specs, o.name);
      if (!spec) {
        const names = Object.keys(specs);
        const s = this.suggest(o.name, o.nameRange, names);
        this.diag('study-unknown-option', `\`${where}\` has no option \`${o.name}\`${names.length ? ` (options: ${names.join(', ')})` : ''}.${s.hint}`, o.nameRange, 'error', s.fixes);
        continue;
      }
      if (seen.has(o.name)) this.diag('study-option-value', `Option \`${o.name}\` is given twice.`, o.range);
      seen.add(o.name);
      const bad = optionValueProblem(o, spec);
      if (bad) this.diag('study-option-value', bad.message, bad.range, 'error', bad.fixes);
    }
  }

  // --- statements --------------------------------------------------------------------------------------

  run(): EngineDiagnostic[] {
    this.duplicates();
    for (const s of this.ast.statements) this.statement(s);
    return this.out;
  }

  private duplicates(): void {
    const seen = new Map<string, string>();
    const add = (id: Ident, what: string) => {
      const prev = seen.get(id.name);
      if (prev) this.diag('study-duplicate-name', `\`${id.name}\` is already defined (as a ${prev}).`, id.range);
      else seen.set(id.name, what);
    };
    for (const s of this.ast.statements) {
      if (s.kind === 'let') add(s.name, 'variable');
      else if (s.kind === 'cohort') add(s.name, 'cohort');
      else if (s.kind === 'split') for (const n of s.names) add(n, 'cohort');
      else if (s.kind === 'outcome') add(s.name, 'outcome');
      else if (s.kind === 'analysis' && s.label) add(s.label, 'label');
    }
  }

  private statement(s: Statement): void {
    switch (s.kind) {
      case 'plates':
        if (s.format && !PLATE_FORMATS.includes(s.format.name)) {
          const sg = this.suggest(s.format.name, s.format.range, PLATE_FORMATS);
          this.diag('study-option-value', `Unknown plate format \`${s.format.name}\` (formats: ${PLATE_FORMATS.join(', ')}).${sg.hint}`, s.format.range, 'error', sg.fixes);
        }
        return;
      case 'reference': case 'targets': for (const n of s.names) this.checkTarget(n, true); return;
      case 'efficiency': this.efficiency(s); return;
      case 'cq':
        if (s.source !== 'instrument') this.needPlates(s.keywordRange);
        if (s.threshold && !(s.threshold.value > 0)) this.diag('study-option-value', `A threshold must be above 0 (baseline-corrected fluorescence); got ${s.threshold.text}.`, s.threshold.range);
        return;
      case 'calibrator': {
        const fields = new Set([...this.sym.sampleFields, ...Object.keys(this.ctx.levels ?? {})]);
        this.expr(s.expr, true, fields.size ? fields : undefined);
        return;
      }
      case 'samples':
        // `samples "sheet.csv"` without `key` reads as a name pattern with no fields: say what is missing.
        if (s.source === 'pattern' && !s.value.value.includes('{') && /\.(csv|tsv|txt)$/i.test(s.value.value)) {
          this.diag('study-sample-sheet-key', `"${s.value.value}" looks like a sample sheet: add \`key COLUMN\` (the sheet's column with the Sample Name), e.g. \`samples "${s.value.value}" key sample\`. Without it the text is read as a sample-name pattern with no {fields}.`, s.value.range);
        }
        return;
      case 'qc': this.qc(s); return;
      case 'nondetect':
        if (s.value && !(s.value.value > 0 && s.value.value < 100)) this.diag('study-option-value', `A non-detect Cq of ${s.value.value} is outside 0–100.`, s.value.range);
        return;
      case 'outliers':
        if (s.alpha && !(s.alpha.value > 0 && s.alpha.value < 1)) this.diag('study-option-value', `alpha must be between 0 and 1 (got ${s.alpha.text}).`, s.alpha.range);
        if (s.distance && !(s.distance.value > 0)) this.diag('study-option-value', `The outlier distance must be positive (got ${s.distance.text}).`, s.distance.range);
        return;
      case 'let': this.let(s); return;
      case 'cohort':
        this.expr(s.expr, true);
        if (this.cohortSize(s.name.name) === 0) this.diag('study-empty-cohort', `Cohort \`${s.name.name}\` has no subjects.`, s.name.range, 'warning');
        return;
      case 'split':
        for (const f of s.fractions) if (!(f.value > 0)) this.diag('study-option-value', `Split proportions must be positive (got ${f.text}).`, f.range);
        if (s.seed && !isValidSeed(s.seed.value)) this.diag('study-option-value', `The seed must be an integer from 0 to ${SEED_MAX} (2^32 − 1) (got ${s.seed.text}).`, s.seed.range);
        if (s.stratify) this.expr(s.stratify, true);
        for (const n of s.names) if (this.cohortSize(n.name) === 0) this.diag('study-empty-cohort', `Cohort \`${n.name}\` has no subjects.`, n.range, 'warning');
        return;
      case 'outcome':
        this.requireNumeric(s.time, 'the time of an outcome');
        this.expr(s.event, true);
        return;
      case 'analysis': this.analysis(s); return;
      default: return;
    }
  }

  /** `efficiency from standards | linregpcr` needs plates; stated factors must be plausible. */
  private efficiency(s: Extract<Statement, { kind: 'efficiency' }>): void {
    if (s.fromStandards || s.fromLinreg) { this.needPlates(s.keywordRange); return; }
    for (const p of s.pairs) {
      this.checkTarget(p.target);
      if (!(p.factor > 1) || p.factor > 3) this.diag('study-option-value', `Amplification factor ${p.factor} is impossible (write 1.97 or 97%; 2 = 100 % efficiency).`, p.value.range);
      else if (p.factor < 1.5 || p.factor > 2.5) this.diag('study-option-value', `Amplification factor ${p.factor} (${Math.round((p.factor - 1) * 100)} % efficiency) is implausible.`, p.value.range, 'warning');
    }
  }

  /** A `qc` line: its settings (QC_OPTIONS), or a pre-analytical rule's targets and robust-z. */
  private qc(s: Extract<Statement, { kind: 'qc' }>): void {
    this.options(s.options, QC_OPTIONS, 'qc');
    if (s.hemolysis) { this.checkTarget(s.hemolysis.high); this.checkTarget(s.hemolysis.low); }
    if (s.spikeIn) {
      this.checkTarget(s.spikeIn.target);
      if (s.spikeIn.z && !(s.spikeIn.z.value > 0)) this.diag('study-option-value', `robust-z must be positive (got ${s.spikeIn.z.text}).`, s.spikeIn.z.range);
    }
  }

  /** A `let`: its type, or one study-limit error where a chain of variables crosses the depth limit. */
  private let(s: Extract<Statement, { kind: 'let' }>): void {
    if (this.sym.lets.get(s.name.name) === s && this.letTooDeep(s.name.name)) {
      // Reported where the chain crosses the limit (not on every variable above it: no cascade).
      if (this.letUses(s).some((u) => this.letTooDeep(u))) return;
      this.diag('study-limit', `\`${s.name.name}\`, with the variables it uses written out, nests more than ${STUDY_LIMITS.maxDepth} levels deep: shorten the chain of variables.`, s.name.range);
      return;
    }
    this.letTypes.delete(s.name.name); this.letTypes.set(s.name.name, this.expr(s.expr, true));
  }

  /** The subjects of cohort `name` in the data, when known (its own key only: a cohort may be called `constructor`). */
  private cohortSize(name: string): number | undefined {
    return this.ctx.cohortSizes && own(this.ctx.cohortSizes, name);
  }

  private outcomeRef(id: Ident, what: string): void {
    if (this.sym.outcomes.has(id.name) || this.failedNames.has(id.name)) return;
    const s = this.suggest(id.name, id.range, this.sym.outcomes.keys());
    const isVar = this.known(id.name);
    this.diag('study-type', `\`${what}\` needs a time-to-event outcome; \`${id.name}\` ${isVar ? 'is not one' : 'is not defined'} (define it with \`outcome ${id.name} = time ... event ...\`).${s.hint}`, id.range, 'error', s.fixes);
  }

  /** `id` must name a labelled model of a kind `what` accepts (its registry role). */
  private modelRef(id: Ident, what: string, accepts: readonly string[], refused: Partial<Record<string, string>> = {}): void {
    const m = this.sym.models.get(id.name);
    const labelled = accepts.map((k) => `\`${k}\``).join(' or ');
    if (!m) {
      const other = this.sym.labels.get(id.name);
      if (other) { this.diag('study-type', `\`${id.name}\` is a ${other.analysis} analysis, not a model (\`${what}\` needs a labelled ${labelled} line).`, id.range); return; }
      const s = this.suggest(id.name, id.range, this.sym.models.keys());
      this.diag('study-unknown-model', `No model \`${id.name}\` (label a \`logistic\` or \`cox\` line: \`${id.name}: logistic y ~ x\`).${s.hint}`, id.range, 'error', s.fixes);
      return;
    }
    if (accepts.includes(m.analysis)) return;
    const why = refused[m.analysis];
    this.diag('study-type', `\`${what}\` needs a ${accepts.join(' or ')} model; \`${id.name}\` is a ${m.analysis} model${why ? ` (${why})` : ''}.`, id.range);
  }

  private sampleFieldRef(id: Ident): void {
    const fields = new Set([...this.sym.sampleFields, ...Object.keys(this.ctx.levels ?? {}), ...(this.columns?.keys() ?? [])]);
    if (!fields.size || fields.has(id.name)) return;
    const s = this.suggest(id.name, id.range, fields);
    this.diag('study-unknown-column', `No sample field or column \`${id.name}\`.${s.hint}`, id.range, 'error', s.fixes);
  }

  /** Cohorts and options of any analysis, then the kind's own checks (its registry definition). */
  private analysis(a: Analysis): void {
    const def = analysisDefinition(a.analysis);
    for (const c of a.cohorts) this.checkCohortRef(c);
    this.options(a.options, def.options, a.analysis);
    const role = def.role;
    const api: AnalysisChecker = {
      expr: (e) => this.expr(e, true),
      requireNumeric: (e, what) => this.requireNumeric(e, what),
      requireCategorical: (e, what) => this.requireCategorical(e, what),
      outcome: (id) => this.outcomeRef(id, a.analysis),
      model: (id) => {
        if (role.kind !== 'consumer') throw new Error(`${a.analysis} does not take a model.`);
        this.modelRef(id, a.analysis, role.accepts, role.refused);
        return this.sym.models.get(id.name)?.analysis;
      },
      modelOf: (id) => {
        const m = this.sym.models.get(id.name) as (Analysis & { outcome?: { text?: string; name?: string }; terms?: { text: string }[] }) | undefined;
        return m && { kind: m.analysis, outcome: m.outcome?.text ?? m.outcome?.name, terms: m.terms?.map((t) => t.text) };
      },
      error: (message, range) => this.diag('study-type', message, range),
      target: (id) => this.checkTarget(id),
      sampleField: (id) => this.sampleFieldRef(id),
    };
    def.check(a, api);
  }
}

/**
 * Nesting depth of every `let` with the variables it uses written out: the height of its expression, where a name
 * of another `let` at level k adds that let's depth minus one. Iterative over the variables (a chain of 10,000 lets
 * cannot overflow); a cycle counts as depth 0 at the point it closes (the evaluator reports cycles).
 */
export function letDepths(lets: ReadonlyMap<string, Extract<Statement, { kind: 'let' }>>): Map<string, number> {
  const refs = new Map<string, { height: number; uses: { name: string; level: number }[] }>();
  for (const [name, st] of lets) {
    let height = 0;
    const uses: { name: string; level: number }[] = [];
    const stack: [Expr, number][] = [[st.expr, 1]];
    for (let top = stack.pop(); top; top = stack.pop()) {
      const [e, level] = top;
      height = Math.max(height, level);
      if (e.kind === 'name' && lets.has(e.name)) uses.push({ name: e.name, level });
      else if (e.kind === 'call') for (const a of e.args) stack.push([a, level + 1]);
      else if (e.kind === 'unary') stack.push([e.operand, level + 1]);
      else if (e.kind === 'binary') stack.push([e.left, level + 1], [e.right, level + 1]);
    }
    refs.set(name, { height, uses });
  }
  const depth = new Map<string, number>();
  const open = new Set<string>();
  for (const root of lets.keys()) {
    const todo = [root];
    while (todo.length) {
      const name = todo[todo.length - 1];
      if (depth.has(name)) { todo.pop(); continue; }
      const r = refs.get(name)!;
      if (!open.has(name)) {
        open.add(name);
        for (const u of r.uses) if (!depth.has(u.name) && !open.has(u.name)) todo.push(u.name);
        continue;
      }
      todo.pop();
      open.delete(name);
      depth.set(name, r.uses.reduce((d, u) => Math.max(d, u.level - 1 + (depth.get(u.name) ?? 0)), r.height));
    }
  }
  return depth;
}

/** Call forms with a meaning in one place only (the analysis handles them there): where they belong. */
const PLACED_FUNCTIONS: Record<string, string> = {
  strata: 'a term of a `cox` model only (`cox dss ~ x + strata(center)`: a stratified Cox model)',
  cutpoint: 'only the group of a `km` line (`km dss by cutpoint(marker)`: a data-driven cut-point)',
};

function optionValueProblem(o: OptionNode, spec: OptionSpec): { message: string; range: Range; fixes?: EngineFix[] } | undefined {
  const v = o.value;
  const inRange = (x: number, min?: number, max?: number) => (min === undefined || x >= min) && (max === undefined || x <= max);
  const bounds = (min?: number, max?: number) => min !== undefined && max !== undefined ? ` between ${min} and ${max}` : min !== undefined ? ` >= ${min}` : max !== undefined ? ` <= ${max}` : '';
  switch (spec.type) {
    case 'flag':
      return v.kind === 'flag' ? undefined : { message: `\`${o.name}\` takes no value.`, range: v.range };
    case 'text':
      return v.kind === 'string' || v.kind === 'name' ? undefined : { message: `\`${o.name}\` needs a name or a quoted string.`, range: v.kind === 'flag' ? o.nameRange : v.range };
    case 'choice': {
      if (v.kind === 'name' && spec.values.includes(v.value)) return undefined;
      const got = v.kind === 'name' || v.kind === 'string' ? v.value : undefined;
      const { best } = got !== undefined ? uniqueClosest(got, spec.values) : { best: undefined };
      return {
        message: `\`${o.name}\` is one of ${spec.values.map((x) => `\`${x}\``).join(', ')}${got !== undefined ? ` (got \`${got}\`)` : ''}.`,
        range: v.kind === 'flag' ? o.nameRange : v.range,
        ...(best !== undefined ? { fixes: [{ title: `Change to \`${best}\``, edits: [{ range: v.range, newText: best }] }] } : {}),
      };
    }
    case 'number': {
      if (v.kind !== 'number') return { message: `\`${o.name}\` needs a number${bounds(spec.min, spec.max)}.`, range: v.kind === 'flag' ? o.nameRange : v.range };
      if (spec.integer && !Number.isInteger(v.value)) return { message: `\`${o.name}\` needs a whole number (got ${v.text}).`, range: v.range };
      if (!inRange(v.value, spec.min, spec.max)) return { message: `\`${o.name}\` must be${bounds(spec.min, spec.max)} (got ${v.text}).`, range: v.range };
      return undefined;
    }
    case 'numbers': case 'sequence': {
      let nums: { x: number; range: Range }[];
      if (v.kind === 'number') nums = [{ x: v.value, range: v.range }];
      else if (v.kind === 'list' && v.items.every((i) => i.kind === 'number')) nums = v.items.map((i) => ({ x: (i as { value: number }).value, range: i.range }));
      else if (v.kind === 'sequence' && spec.type === 'sequence') {
        if (!(v.by > 0) || !(v.to >= v.from)) return { message: `\`${o.name}\`: \`from to to by step\` needs from <= to and a positive step.`, range: v.range };
        if (expandSequence(v.from, v.to, v.by).length === 0) return { message: `\`${o.name}\`: too many values.`, range: v.range };
        nums = [{ x: v.from, range: v.range }, { x: v.to, range: v.range }];
      } else return { message: `\`${o.name}\` needs ${spec.type === 'sequence' ? '`FROM to TO by STEP` or ' : ''}a list of numbers.`, range: v.kind === 'flag' ? o.nameRange : v.range };
      const bad = nums.find((n) => !inRange(n.x, spec.min, spec.max));
      return bad ? { message: `\`${o.name}\` values must be${bounds(spec.min, spec.max)} (got ${bad.x}).`, range: bad.range } : undefined;
    }
  }
}

/** Semantic diagnostics of a parsed study (the parser's own diagnostics are separate). Never throws. */
export function checkStudy(ast: StudyAst, ctx: StudyContext = {}): EngineDiagnostic[] {
  const c = new Checker(ast, ctx ?? {});
  const out = c.run();
  // analyses without any data source at all
  const firstAnalysis = ast.statements.find((s) => s.kind === 'analysis');
  const hasData = ast.statements.some((s) => s.kind === 'plates' || s.kind === 'clinical');
  if (firstAnalysis && !hasData) {
    out.push({ code: 'study-missing-data', severity: 'error', message: 'The study has analyses but no data: add `plates "..."` and/or `clinical "..." key ...`.', range: firstAnalysis.keywordRange, ...(ast.file !== undefined ? { file: ast.file } : {}) });
  }
  return out;
}

/** Type of an expression in a study (for hover and completion); 'unknown' when the context does not say. */
export function expressionType(ast: StudyAst, ctx: StudyContext, e: Expr): ValueType {
  return new Checker(ast, ctx ?? {}).expr(e, false);
}

/** Names every expression of the study refers to (columns, variables, targets), for the host's data loading. */
export function referencedNames(ast: StudyAst): Set<string> {
  const out = new Set<string>();
  for (const s of ast.statements) for (const e of statementExprs(s)) walkExpr(e, (x) => { if (x.kind === 'name' && !RESERVED.has(x.name)) out.add(x.name); });
  return out;
}
