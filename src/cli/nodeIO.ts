/** StudyIO over node's fs (the CLI and the unit tests). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StudyIO } from '../engine/study/runner';

/** A glob segment (`*`, `?`, `[abc]`, `{a,b}`) → RegExp for one path component. */
function segmentRegExp(seg: string): RegExp {
  let src = '^';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i];
    if (c === '*') src += '[^/\\\\]*';
    else if (c === '?') src += '[^/\\\\]';
    else if (c === '[') {
      const j = seg.indexOf(']', i + 1);
      if (j < 0) { src += '\\['; continue; }
      let cls = seg.slice(i + 1, j);
      if (cls.startsWith('!')) cls = '^' + cls.slice(1);
      src += `[${cls.replace(/\\/g, '\\\\')}]`;
      i = j;
    } else if (c === '{') {
      const j = seg.indexOf('}', i + 1);
      if (j < 0) { src += '\\{'; continue; }
      src += `(?:${seg.slice(i + 1, j).split(',').map((a) => a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`;
      i = j;
    } else src += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(src + '$');
}

const MAGIC = /[*?[{]/;

/** Files matching `pattern` (relative to `baseDir` unless absolute); `**` matches any number of folders. Sorted. */
export function globSync(pattern: string, baseDir: string): string[] {
  const abs = path.isAbsolute(pattern) ? pattern : path.join(baseDir, pattern);
  const norm = abs.split(path.sep).join('/');
  const parts = norm.split('/');
  // The fixed prefix (no magic) is the root of the walk.
  let k = 0;
  while (k < parts.length && !MAGIC.test(parts[k])) k++;
  const root = parts.slice(0, k).join('/') || (norm.startsWith('/') ? '/' : '.');
  const rest = parts.slice(k);
  const out = new Set<string>();
  if (rest.length === 0) {
    try { if (fs.statSync(root).isFile()) out.add(path.normalize(root)); } catch { /* no match */ }
    return [...out];
  }
  const walk = (dir: string, i: number): void => {
    const seg = rest[i];
    const last = i === rest.length - 1;
    if (seg === '**') {
      walk(dir, i + 1);
      for (const e of safeReaddir(dir)) if (e.isDirectory() && !e.name.startsWith('.')) walk(path.join(dir, e.name), i);
      return;
    }
    const re = segmentRegExp(seg);
    for (const e of safeReaddir(dir)) {
      if (!re.test(e.name) || (e.name.startsWith('.') && !seg.startsWith('.'))) continue;
      const p = path.join(dir, e.name);
      if (last) { if (e.isFile() || (e.isSymbolicLink() && isFile(p))) out.add(p); }
      else if (e.isDirectory()) walk(p, i + 1);
    }
  };
  walk(root, 0);
  return [...out].sort();
}

function isFile(p: string): boolean {
  try { return fs.statSync(p).isFile(); } catch { return false; }
}

function safeReaddir(dir: string): fs.Dirent[] {
  try { return fs.readdirSync(dir, { withFileTypes: true }); } catch { return []; }
}

export function nodeStudyIO(): StudyIO {
  return {
    readFile: async (p) => new Uint8Array(await fs.promises.readFile(p)),
    glob: async (pattern, baseDir) => globSync(pattern, baseDir),
    // Plates over 50 MB are imported as a stream of 1 MiB chunks.
    size: async (p) => (await fs.promises.stat(p)).size,
    readStream: (p) => fs.createReadStream(p, { highWaterMark: 1 << 20 }) as AsyncIterable<Uint8Array>,
  };
}
