/** The data files a study names (plates globs and the clinical table), read from its AST. Pure: no `vscode`. */
import type { CqFormat } from '../../engine/plate/model';

export interface StudyInputs {
  plates: { pattern: string; format?: CqFormat }[];
  clinical?: { path: string; key?: string };
}

/** TODO(engine): replace the generic walk with the study AST's typed statements once src/engine/study lands. */
export function studyInputs(ast: unknown): StudyInputs {
  const out: StudyInputs = { plates: [] };
  const visit = (n: unknown, depth: number): void => {
    if (!n || typeof n !== 'object' || depth > 4) return;
    if (Array.isArray(n)) { for (const x of n) visit(x, depth + 1); return; }
    const o = n as Record<string, unknown>;
    const kind = o.kind ?? o.type;
    const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'object' && v && typeof (v as { value?: unknown }).value === 'string' ? (v as { value: string }).value : undefined);
    if (kind === 'plates') {
      const pattern = str(o.pattern) ?? str(o.path) ?? str(o.glob);
      if (pattern) out.plates.push({ pattern, format: str(o.format) as CqFormat | undefined });
      return;
    }
    if (kind === 'clinical') {
      const p = str(o.path) ?? str(o.file);
      if (p) out.clinical = { path: p, key: str(o.key) };
      return;
    }
    for (const v of Object.values(o)) if (v && typeof v === 'object') visit(v, depth + 1);
  };
  visit(ast, 0);
  return out;
}
