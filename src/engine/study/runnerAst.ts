/** The study AST → the runner's plan (runnerPlan.ts). Structural problems become diagnostics at their ranges. */
import type { EngineDiagnostic, Range } from '../common/diagnostic';
import type { CqFormat } from '../plate/model';
import { analysisDefinition, type PlanAnalysis } from '../analyses';
import type { AnalysisPlanner } from '../analyses/types';
import { FORMAT_NAMES, isFormatName } from '../plate/formats';
import type { Analysis, Expr, OptionNode, OptionValue as AstOption, StudyAst } from './ast';
import type { EvalExpr } from './eval';
import { expandSequence } from './parser';
import type { OptionValue, QcField, StudyPlan } from './runnerPlan';
import { QC_OPTIONS } from './vocabulary';
import { own } from '../../shared/own';

export function toEvalExpr(e: Expr): EvalExpr {
  const base = { range: e.range, text: e.text };
  switch (e.kind) {
    case 'number': return { kind: 'num', value: e.value, ...base };
    case 'string': return { kind: 'str', value: e.value, ...base };
    case 'name': return { kind: 'name', name: e.name, ...base };
    case 'at': return { kind: 'name', name: `${e.target.name}@${e.level.name}`, ...base };
    case 'call': return { kind: 'call', fn: e.callee.name, args: e.args.map(toEvalExpr), ...base };
    case 'unary': return { kind: 'unary', op: e.op, arg: toEvalExpr(e.operand), ...base };
    case 'binary': return { kind: 'binary', op: e.op, left: toEvalExpr(e.left), right: toEvalExpr(e.right), ...base };
    case 'error': throw new PlanError('This expression could not be parsed.', e.range);
  }
}

export class PlanError extends Error {
  constructor(message: string, readonly range: Range) { super(message); }
}

function optValue(v: AstOption): OptionValue {
  switch (v.kind) {
    case 'number': return v.value;
    case 'string': case 'name': return v.value;
    case 'flag': return true;
    case 'sequence': return expandSequence(v.from, v.to, v.by);
    case 'list': return v.items.flatMap((i) => {
      const x = optValue(i);
      return Array.isArray(x) ? x : typeof x === 'boolean' ? [] : [x];
    });
  }
}

function options(nodes: OptionNode[]): { options: Record<string, OptionValue>; optionRanges: Record<string, Range> } {
  const o: Record<string, OptionValue> = {};
  const r: Record<string, Range> = {};
  for (const n of nodes) { o[n.name.toLowerCase()] = optValue(n.value); r[n.name.toLowerCase()] = n.value.range; }
  return { options: o, optionRanges: r };
}

function lineText(text: string, range: Range): string {
  const lines = text.split(/\r\n|\r|\n/);
  return lines.slice(range.start.line, range.end.line + 1).map((l) => l.replace(/#.*$/, '').trim()).join(' ').trim();
}

const planner: AnalysisPlanner = {
  expr: toEvalExpr,
  terms: (ts) => ts.map((t) => ({ ...toEvalExpr(t.expr), text: t.text })),
  fail: (message, range) => { throw new PlanError(message, range); },
};

/** The plan of an analysis line: the fields every analysis has, and its kind's own (its registry definition). */
function planAnalysis(s: Analysis, studyText: string): PlanAnalysis {
  const base = {
    ...(s.label ? { label: s.label.name } : {}),
    cohorts: s.cohorts.map((c) => c.name), ...options(s.options), range: s.range, title: lineText(studyText, s.range),
    cohortRanges: s.cohorts.map((c) => c.range),
  };
  return { ...base, kind: s.analysis, ...analysisDefinition(s.analysis).plan(s, planner) } as PlanAnalysis;
}

type Statement<K extends StudyAst['statements'][number]['kind']> = Extract<StudyAst['statements'][number], { kind: K }>;

/** A `plates` line: its glob, and its format (one of the registry's) and target when given. */
function platesPlan(s: Statement<'plates'>): StudyPlan['plates'][number] {
  const p: StudyPlan['plates'][number] = { glob: s.glob.value, range: s.glob.range };
  if (s.format) {
    const f = s.format.name.toLowerCase() as CqFormat;
    if (!isFormatName(f)) throw new PlanError(`Unknown plate format "${s.format.name}" (formats: ${FORMAT_NAMES.join(', ')}).`, s.format.range);
    p.format = f;
  }
  if (s.target) p.target = s.target.name;
  return p;
}

/** A `samples` line: a sample sheet with its key column, or a name pattern. */
function samplesPlan(s: Statement<'samples'>): NonNullable<StudyPlan['samples']> {
  if (s.source !== 'sheet') return { pattern: s.value.value, range: s.value.range };
  if (!s.key) throw new PlanError('samples "sheet.csv" key COLUMN: the key column (sample names) is required.', s.range);
  return { sheet: s.value.value, key: s.key.name, range: s.value.range };
}

/** An `efficiency` line merged over the earlier ones: per-target factors, `from standards`, `from linregpcr`. */
function efficiencyPlan(s: Statement<'efficiency'>, prev: StudyPlan['efficiency']): NonNullable<StudyPlan['efficiency']> {
  const values: Record<string, number> = Object.assign(Object.create(null) as Record<string, number>, prev?.values);
  for (const p of s.pairs) values[p.target.name] = p.factor;
  const linreg = !!s.fromLinreg || !!prev?.linreg;
  return { values, standards: s.fromStandards || (prev?.standards ?? false), ...(linreg ? { linreg } : {}), range: s.range };
}

/** A qc setting's field in the plan: its name in camel case (max-cq → maxCq), for each name in QC_OPTIONS. */
const qcField = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) as QcField;

/** A `qc` line into the plan's qc: a pre-analytical rule (hemolysis, spike-in), or settings of QC_OPTIONS. */
function qcPlan(s: Statement<'qc'>, qc: StudyPlan['qc']): void {
  if (s.hemolysis) {
    const h = s.hemolysis;
    (qc.hemolysis ??= []).push({ high: h.high.name, low: h.low.name, op: h.op, threshold: h.threshold.value, range: s.range });
  }
  if (s.spikeIn) (qc.spikeIns ??= []).push({ target: s.spikeIn.target.name, z: s.spikeIn.z?.value ?? 3, range: s.range });
  for (const o of s.options) {
    const v = o.value;
    if (v.kind !== 'number') throw new PlanError(`qc ${o.name} needs a number.`, o.value.range);
    const name = o.name.toLowerCase();
    if (!own(QC_OPTIONS, name)) throw new PlanError(`Unknown qc setting "${o.name}" (${Object.keys(QC_OPTIONS).join(', ')}).`, o.nameRange);
    qc[qcField(name)] = v.value;
  }
  if (!s.hemolysis && !s.spikeIn) qc.range = s.range;
}

/** Builds the plan; statements that cannot be turned into a plan give `study-plan` errors. */
export function planFromAst(ast: StudyAst, studyText: string, file: string): { plan: StudyPlan; diagnostics: EngineDiagnostic[] } {
  const diagnostics: EngineDiagnostic[] = [];
  const plan: StudyPlan = { title: '', plates: [], references: [], qc: {}, lets: [], cohorts: [], splits: [], outcomes: [], analyses: [] };
  for (const s of ast.statements) {
    try {
      switch (s.kind) {
        case 'study': plan.title = s.title.value; plan.titleRange = s.range; break;
        case 'plates': plan.plates.push(platesPlan(s)); break;
        case 'clinical':
          if (!s.key) throw new PlanError('clinical "file.csv" key COLUMN: the key column is required.', s.range);
          plan.clinical = { path: s.path.value, key: s.key.name, range: s.path.range };
          break;
        case 'samples': plan.samples = samplesPlan(s); break;
        case 'reference': plan.references.push(...s.names.map((n) => n.name)); plan.referenceRange = s.range; break;
        case 'targets': plan.targets = [...(plan.targets ?? []), ...s.names.map((n) => n.name)]; plan.targetsRange = s.range; break;
        case 'efficiency': plan.efficiency = efficiencyPlan(s, plan.efficiency); break;
        case 'cq':
          if (s.source === 'instrument') delete plan.cq;
          else plan.cq = { method: s.source, ...(s.threshold ? { threshold: s.threshold.value } : {}), range: s.range };
          break;
        case 'calibrator': plan.calibrator = { expr: toEvalExpr(s.expr), range: s.range }; break;
        case 'qc': qcPlan(s, plan.qc); break;
        case 'nondetect':
          plan.nondetect = { policy: s.policy, range: s.range, ...(s.value ? { value: s.value.value } : {}) };
          break;
        case 'outliers':
          plan.outliers = { method: s.method, range: s.range, ...(s.alpha ? { alpha: s.alpha.value } : {}), ...(s.distance ? { distance: s.distance.value } : {}) };
          break;
        case 'interrun': plan.interrun = { glob: s.pattern.value, range: s.range }; break;
        case 'let': plan.lets.push({ name: s.name.name, expr: toEvalExpr(s.expr), range: s.range }); break;
        case 'cohort': plan.cohorts.push({ name: s.name.name, expr: toEvalExpr(s.expr), range: s.range }); break;
        case 'split':
          plan.splits.push({
            names: s.names.map((n) => n.name), proportions: s.fractions.map((f) => f.value), seed: s.seed ? s.seed.value : 1, range: s.range,
            ...(s.stratify ? { stratify: toEvalExpr(s.stratify) } : {}),
          });
          break;
        case 'outcome': plan.outcomes.push({ name: s.name.name, time: toEvalExpr(s.time), event: toEvalExpr(s.event), range: s.range }); break;
        case 'error': break; // the parser reported it
        case 'analysis': plan.analyses.push(planAnalysis(s, studyText)); break;
      }
    } catch (e) {
      if (e instanceof PlanError) diagnostics.push({ code: 'study-plan', severity: 'error', file, range: e.range, message: e.message });
      else throw e;
    }
  }
  return { plan, diagnostics };
}
