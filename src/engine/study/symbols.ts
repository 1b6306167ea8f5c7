/**
 * Document symbols (outline) of a study: groups Data, Variables, Cohorts, Models, Analyses, each with its
 * statements as children. Group ranges span their children.
 */
import type { Range } from '../common/diagnostic';
import { MODEL_ANALYSES } from '../analyses';
import type { Statement, StudyAst } from './ast';

export interface StudySymbol {
  name: string;
  /**
   * study | plates | clinical | samples | reference | targets | variable | outcome | cohort | split | model | analysis |
   * module
   */
  kind: string;
  detail?: string;
  range: Range;
  selectionRange: Range;
  children: StudySymbol[];
}

function before(a: Range['start'], b: Range['start']): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

function group(name: string, children: StudySymbol[]): StudySymbol | undefined {
  if (!children.length) return undefined;
  let start = children[0].range.start;
  let end = children[0].range.end;
  for (const c of children) {
    if (before(c.range.start, start)) start = c.range.start;
    if (before(end, c.range.end)) end = c.range.end;
  }
  return { name, kind: 'module', range: { start, end }, selectionRange: children[0].selectionRange, children };
}

function dataSymbol(s: Statement): StudySymbol | undefined {
  const mk = (name: string, kind: string, sel: Range = s.keywordRange): StudySymbol => ({ name, kind, range: s.range, selectionRange: sel, children: [] });
  switch (s.kind) {
    case 'study': return mk(s.title.value || 'study', 'study', s.title.range);
    case 'plates': return mk(`plates ${s.glob.value}${s.format ? ` (${s.format.name})` : ''}`, 'plates', s.glob.range);
    case 'clinical': return mk(`clinical ${s.path.value}`, 'clinical', s.path.range);
    case 'samples': return mk(`samples ${s.value.value}`, 'samples', s.value.range);
    case 'reference': return mk(`reference ${s.names.map((n) => n.name).join(', ')}`, 'reference');
    case 'targets': return mk(`targets ${s.names.map((n) => n.name).join(', ')}`, 'targets');
    case 'cq': return mk(`cq from ${s.source === 'threshold-auto' ? 'threshold auto' : s.source}${s.threshold ? ` ${s.threshold.text}` : ''}`, 'module');
    case 'efficiency': return mk(s.fromStandards ? 'efficiency from standards' : s.fromLinreg ? 'efficiency from linregpcr' : `efficiency ${s.pairs.map((p) => `${p.target.name} = ${p.value.text}`).join(', ')}`, 'targets');
    case 'calibrator': return mk(`calibrator ${s.expr.text}`, 'variable');
    case 'qc': return mk(`qc ${s.options.map((o) => o.name).join(', ')}`, 'module');
    case 'nondetect': return mk(`nondetect ${s.policy}${s.value ? ` ${s.value.text}` : ''}`, 'module');
    case 'outliers': return mk(`outliers ${s.method}`, 'module');
    case 'interrun': return mk(`interrun calibrator ${s.pattern.value}`, 'module');
    default: return undefined;
  }
}

export function documentSymbols(ast: StudyAst): StudySymbol[] {
  const data: StudySymbol[] = [];
  const vars: StudySymbol[] = [];
  const cohorts: StudySymbol[] = [];
  const models: StudySymbol[] = [];
  const analyses: StudySymbol[] = [];
  const counts = new Map<string, number>();
  for (const s of ast.statements) {
    const d = dataSymbol(s);
    if (d) { data.push(d); continue; }
    switch (s.kind) {
      case 'let': vars.push({ name: s.name.name, kind: 'variable', detail: s.expr.text, range: s.range, selectionRange: s.name.range, children: [] }); break;
      case 'outcome': vars.push({ name: s.name.name, kind: 'outcome', detail: `time ${s.time.text} event ${s.event.text}`, range: s.range, selectionRange: s.name.range, children: [] }); break;
      case 'cohort': cohorts.push({ name: s.name.name, kind: 'cohort', detail: s.expr.text, range: s.range, selectionRange: s.name.range, children: [] }); break;
      case 'split':
        for (const n of s.names) cohorts.push({ name: n.name, kind: 'split', detail: 'split', range: s.range, selectionRange: n.range, children: [] });
        break;
      case 'analysis': {
        const k = (counts.get(s.analysis) ?? 0) + 1;
        counts.set(s.analysis, k);
        const name = s.label ? s.label.name : `${s.analysis} ${k}`;
        const sym: StudySymbol = { name, kind: s.label && MODEL_ANALYSES.includes(s.analysis) ? 'model' : 'analysis', detail: s.analysis, range: s.range, selectionRange: s.label ? s.label.range : s.keywordRange, children: [] };
        (sym.kind === 'model' ? models : analyses).push(sym);
        break;
      }
      default: break;
    }
  }
  return [group('Data', data), group('Variables', vars), group('Cohorts', cohorts), group('Models', models), group('Analyses', analyses)]
    .filter((g): g is StudySymbol => g !== undefined);
}
