/** The data files a study names (plates globs, clinical table, sample pattern), read from its AST. Pure: no `vscode`. */
import type { StudyAst } from '../../engine/study';
import type { CqFormat } from '../../engine/plate/model';
import * as path from 'node:path';
import { compileSamplePattern } from '../../engine/expression/samples';

export interface StudyInputs {
  plates: { pattern: string; format?: CqFormat; target?: string }[];
  clinical?: { path: string; key?: string };
  /** `samples "{patient}-{timepoint}"`: how sample names split into fields (for level completions). */
  samplePattern?: string;
}

export function studyInputs(ast: StudyAst): StudyInputs {
  const out: StudyInputs = { plates: [] };
  for (const s of ast.statements) {
    switch (s.kind) {
      case 'plates':
        if (s.glob.value) out.plates.push({ pattern: s.glob.value, format: s.format?.name as CqFormat | undefined, target: s.target?.name });
        break;
      case 'clinical':
        if (!out.clinical && s.path.value) out.clinical = { path: s.path.value, key: s.key?.name };
        break;
      case 'samples':
        if (s.source === 'pattern' && out.samplePattern === undefined) out.samplePattern = s.value.value;
        break;
      default:
        break;
    }
  }
  return out;
}

/** Levels of each sample field (except the subject key) from the sample names on the plates. */
export function sampleLevels(pattern: string | undefined, samples: Iterable<string>, key: string | undefined): Record<string, string[]> | undefined {
  if (!pattern) return undefined;
  let compiled;
  try {
    compiled = compileSamplePattern(pattern);
  } catch {
    return undefined;
  }
  const levels: Record<string, Set<string>> = {};
  for (const f of compiled.fields) if (f !== key) levels[f] = new Set();
  for (const s of samples) {
    const m = compiled.match(s);
    if (!m) continue;
    for (const [f, v] of Object.entries(m)) levels[f]?.add(v);
  }
  const out: Record<string, string[]> = {};
  for (const [f, set] of Object.entries(levels)) if (set.size) out[f] = [...set].sort();
  return Object.keys(out).length ? out : undefined;
}

/** The parts of a URI the workspace check compares. */
export interface UriLike { scheme: string; authority: string; path: string }

/**
 * True when `uri` is one of the folders or inside one: same scheme and authority, and its normalised path is the
 * folder's path or below it (`/a/b` is not inside `/a/bc`; `..` segments are resolved first). Used to keep a study
 * in an untrusted workspace from reading files outside the workspace.
 */
export function isInFolders(uri: UriLike, folders: readonly { uri: UriLike }[] | undefined): boolean {
  const p = path.posix.normalize(uri.path);
  return (folders ?? []).some((f) => {
    if (f.uri.scheme !== uri.scheme || f.uri.authority !== uri.authority) return false;
    const root = path.posix.normalize(f.uri.path).replace(/\/+$/, '');
    return p === root || p.startsWith(root + '/') || root === '';
  });
}
