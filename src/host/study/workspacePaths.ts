/**
 * Paths of a study's file system as the engine sees them (URI paths of the study's scheme and authority; local paths
 * for `file:`), and globs over workspace.fs with the engine's one glob (src/engine/common/glob.ts). Shared by the
 * study runner and the engine worker's host calls.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import { splitGlob, walkGlob, type GlobFs } from '../../engine/common/glob';

const URI_RE = /^[a-z][a-z0-9+.-]+:\/\//i;
const DRIVE_RE = /^[A-Za-z]:[\\/]/;

/** Maps between the engine's path strings and URIs on the study's file system. */
export class StudyPaths {
  constructor(private readonly _study: vscode.Uri) {}

  /** The path the engine gets for the study file. */
  public get studyPath(): string { return this._study.path; }

  public toUri(p: string): vscode.Uri {
    if (URI_RE.test(p)) {
      const u = vscode.Uri.parse(p, true);
      return u.with({ path: path.posix.normalize(u.path) });
    }
    const slashed = p.replace(/\\/g, '/');
    // A Windows drive path (desktop): URI paths are "/c:/...".
    const abs = DRIVE_RE.test(slashed) ? `/${slashed}` : slashed;
    return this._study.with({ path: path.posix.normalize(abs.startsWith('/') ? abs : `/${abs}`), query: '', fragment: '' });
  }

  public fromUri(u: vscode.Uri): string {
    return u.scheme === this._study.scheme && u.authority === this._study.authority ? u.path : u.toString();
  }
}

/**
 * Files matching `pattern` (relative to `baseDir` unless absolute), sorted, as engine paths (the engine's glob walk
 * over workspace.fs).
 */
export async function globWorkspace(paths: StudyPaths, pattern: string, baseDir: string, isCancelled: () => boolean = () => false): Promise<string[]> {
  const isAbs = URI_RE.test(pattern) || DRIVE_RE.test(pattern) || pattern.startsWith('/') || pattern.startsWith('\\');
  const full = (isAbs ? pattern : `${baseDir.replace(/[\\/]+$/, '')}/${pattern}`).replace(/\\/g, '/');
  // Keep a URI's "scheme://authority" in one piece: split only its path.
  const m = URI_RE.test(full) ? /^([a-z][a-z0-9+.-]+:\/\/[^/]*)(.*)$/i.exec(full) : null;
  const prefix = m ? m[1] : '';
  const { fixed, rest } = splitGlob(m ? m[2] : full);
  const root = paths.fromUri(paths.toUri(prefix + (fixed.join('/') || '/')));
  const fs = vscode.workspace.fs;
  const globFs: GlobFs = {
    list: async (dir) => {
      let entries: [string, vscode.FileType][];
      try { entries = await fs.readDirectory(paths.toUri(dir)); } catch { return []; }
      // Symlinked folders are not entered; symlinked files match.
      return entries.map(([name, t]) => ({ name, isDir: (t & vscode.FileType.Directory) !== 0 && (t & vscode.FileType.SymbolicLink) === 0, isFile: (t & vscode.FileType.File) !== 0 }));
    },
    isFile: async (p) => { try { return ((await fs.stat(paths.toUri(p))).type & vscode.FileType.File) !== 0; } catch { return false; } },
    join: (dir, name) => paths.fromUri(vscode.Uri.joinPath(paths.toUri(dir), name)),
  };
  return (await walkGlob(root, rest, globFs, isCancelled)).sort();
}
