/**
 * `node:path` in VS Code for the web: the browser bundle (scripts/bundles.mjs) resolves `node:path` here. The host
 * code uses path functions only on URI paths, which are POSIX paths on every platform, so these are the POSIX
 * versions (of the functions the host uses; the build fails when a missing one is imported). No imports.
 */

/** `/a/./b/../c//d/` → `/a/c/d/` (as path.posix.normalize). */
export function normalize(p: string): string {
  if (p === '') return '.';
  const absolute = p.startsWith('/');
  const out: string[] = [];
  for (const s of p.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else if (s !== '..' || !absolute) out.push(s);
  }
  const body = out.join('/');
  const tail = p.endsWith('/') && body ? '/' : '';
  return (absolute ? '/' : '') + (body || (absolute ? '' : '.')) + tail;
}

export function join(...parts: string[]): string {
  const joined = parts.filter((s) => s !== '').join('/');
  return joined === '' ? '.' : normalize(joined);
}

/** The last segment, trailing slashes ignored; `ext` is removed when the name ends with it (and is not only it). */
export function basename(p: string, ext?: string): string {
  const trimmed = p.replace(/\/+$/, '');
  const name = trimmed.slice(trimmed.lastIndexOf('/') + 1);
  return ext && name !== ext && name.endsWith(ext) ? name.slice(0, -ext.length) : name;
}

export function dirname(p: string): string {
  const trimmed = p.length > 1 ? p.replace(/\/+$/, '') : p;
  const i = trimmed.lastIndexOf('/');
  return i < 0 ? '.' : i === 0 ? '/' : trimmed.slice(0, i);
}

export const sep = '/';

/** `path.posix.*` (the same functions). */
export const posix = { normalize, join, basename, dirname, sep };
