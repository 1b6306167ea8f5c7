/** Study-relative paths (no imports: the runner, the inputs and the analysis kinds share them without a cycle). */

export function dirnameOf(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i < 0 ? '.' : i === 0 ? p.slice(0, 1) : p.slice(0, i);
}

/** The folder prefix of a study path (`/a/b/` for `/a/b/s.qstudy`), '' for a bare name. */
export function studyPrefix(studyPath: string): string {
  const base = dirnameOf(studyPath);
  return base === '' || base === '.' ? '' : base.endsWith('/') ? base : base + '/';
}

/** A file path relative to the study's folder when it lies inside it (files elsewhere keep their path). */
export function relativeToStudy(studyPath: string): (file: string) => string {
  const prefix = studyPrefix(studyPath);
  return (f) => (prefix && f.startsWith(prefix) ? f.slice(prefix.length) : f);
}
