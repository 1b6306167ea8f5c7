/**
 * StudyIO over node's fs: the CLI, the unit tests, and the extension's reads of `file:` URIs (runnerAdapter.ts).
 *
 * - Globs: the engine's one matcher and walk (src/engine/common/glob.ts); symlinked files match, symlinked folders
 *   are not entered.
 * - Reads: only regular files (a FIFO is opened non-blocking and refused, as are devices and sockets: `/dev/zero`
 *   is never read), in 1 MiB chunks that stop at the cap (the size is not trusted from stat).
 * - Confinement (an untrusted workspace): with `roots`, a path is readable only when its real path (symlinks
 *   resolved) lies inside the real path of one of the roots; the file read is the resolved one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { splitGlob, walkGlob, type GlobFs } from '../engine/common/glob';
import { InputTooLargeError, type StudyIO } from '../engine/study/inputs';

const CHUNK = 1 << 20;

const nodeGlobFs: GlobFs = {
  list: async (dir) => {
    let entries: fs.Dirent[];
    try { entries = await fs.promises.readdir(dir, { withFileTypes: true }); } catch { return []; }
    const out = [];
    for (const e of entries) {
      const isFile = e.isFile() || (e.isSymbolicLink() && (await isRegularFile(path.join(dir, e.name))));
      out.push({ name: e.name, isDir: e.isDirectory(), isFile });
    }
    return out;
  },
  isFile: (p) => isRegularFile(p),
  join: (dir, name) => path.join(dir, name),
};

async function isRegularFile(p: string): Promise<boolean> {
  try { return (await fs.promises.stat(p)).isFile(); } catch { return false; }
}

/** Files matching `pattern` (relative to `baseDir` unless absolute); `**` matches any number of folders. Sorted. */
export async function globFiles(pattern: string, baseDir: string): Promise<string[]> {
  const abs = path.isAbsolute(pattern) ? pattern : path.join(baseDir, pattern);
  const norm = abs.split(path.sep).join('/');
  const { fixed, rest } = splitGlob(norm);
  const root = fixed.join('/') || (norm.startsWith('/') ? '/' : '.');
  const found = await walkGlob(rest.length ? root : path.normalize(root), rest, nodeGlobFs);
  return found.sort();
}

/** Why a path is not a readable input, or undefined when it is a regular file. */
function notRegular(st: fs.Stats): string | undefined {
  if (st.isFile()) return undefined;
  const kind = st.isDirectory() ? 'a folder' : st.isFIFO() ? 'a FIFO (named pipe)' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : st.isSocket() ? 'a socket' : 'not a regular file';
  return `it is ${kind}, not a regular file`;
}

/** The real path of `p` (symlinks resolved) when it lies inside one of `roots` (also resolved), else undefined. */
export async function confinedRealPath(p: string, roots: readonly string[]): Promise<string | undefined> {
  let real: string;
  try { real = await fs.promises.realpath(p); } catch { return undefined; }
  for (const r of roots) {
    let root: string;
    try { root = await fs.promises.realpath(r); } catch { continue; }
    const rel = path.relative(root, real);
    if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) return real;
  }
  return undefined;
}

/**
 * Reads a regular file, at most `maxBytes` bytes (InputTooLargeError past it). Opened non-blocking so that a FIFO
 * cannot hang the open, then checked on the open descriptor (no race with a swapped path).
 *
 * The bytes are read into one buffer of the size the file has when opened (one byte more, to see its end), in reads
 * of up to 16 MiB: reading 1 MiB chunks and then copying them into one array cost a copy of the file and a round trip
 * to the thread pool per MiB (a 33 MB plate: about 0.3 s of a study run). A file that grows meanwhile is read to its
 * new end; one that reports no size (a /proc file) is read the same way.
 */
export async function readRegularFile(p: string, maxBytes = Infinity): Promise<Uint8Array> {
  const fh = await fs.promises.open(p, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  try {
    const st = await fh.stat();
    const why = notRegular(st);
    if (why) throw new Error(why);
    if (st.size > maxBytes) throw new InputTooLargeError(maxBytes);
    let buf = new Uint8Array(st.size + 1), total = 0;
    for (;;) {
      if (total === buf.length) {
        const grown = new Uint8Array(Math.max(2 * buf.length, CHUNK));
        grown.set(buf);
        buf = grown;
      }
      const { bytesRead } = await fh.read(buf, total, Math.min(buf.length - total, READ_AT_ONCE), null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) throw new InputTooLargeError(maxBytes);
    }
    return buf.subarray(0, total);
  } finally {
    await fh.close();
  }
}

/** The largest single read of readRegularFile. */
const READ_AT_ONCE = 1 << 24;

export interface NodeStudyIOOptions {
  /** Confine every read to these folders (symlinks resolved): the extension in an untrusted workspace. */
  roots?: readonly string[];
}

export function nodeStudyIO(opts: NodeStudyIOOptions = {}): StudyIO {
  const { roots } = opts;
  const real = async (p: string): Promise<string> => {
    if (!roots) return p;
    const r = await confinedRealPath(p, roots);
    if (r === undefined) throw new Error('outside the workspace (symlinks resolved)');
    return r;
  };
  const io: StudyIO = {
    readFile: async (p, o) => readRegularFile(await real(p), o?.maxBytes),
    glob: async (pattern, baseDir) => globFiles(pattern, baseDir),
    // Plates over 50 MB are imported as a stream of 1 MiB chunks (regular files only: else the size is 0 and the
    // read refuses it).
    size: async (p) => {
      const st = await fs.promises.stat(await real(p));
      return st.isFile() ? st.size : 0;
    },
    readStream: (p) => streamChecked(p, real),
  };
  if (roots) io.isAllowed = async (p) => (await confinedRealPath(p, roots)) !== undefined || !(await exists(p)) && isUnder(p, roots);
  return io;
}

async function* streamChecked(p: string, real: (p: string) => Promise<string>): AsyncIterable<Uint8Array> {
  const r = await real(p);
  const fh = await fs.promises.open(r, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  try {
    const why = notRegular(await fh.stat());
    if (why) throw new Error(why);
    for (;;) {
      const buf = new Uint8Array(CHUNK);
      const { bytesRead } = await fh.read(buf, 0, CHUNK, null);
      if (bytesRead === 0) return;
      yield bytesRead === CHUNK ? buf : buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}

async function exists(p: string): Promise<boolean> {
  try { await fs.promises.lstat(p); return true; } catch { return false; }
}

/** A path that does not exist yet is allowed when it lies lexically under a root (its read then says "not found"). */
function isUnder(p: string, roots: readonly string[]): boolean {
  return roots.some((r) => {
    const rel = path.relative(path.resolve(r), path.resolve(p));
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  });
}
