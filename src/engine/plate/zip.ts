/**
 * Reading one member of a PKZIP archive with bounded work and memory (RDML containers).
 *
 * Only the central directory is parsed up front (names, methods, sizes; ZIP64 included); a member is inflated
 * lazily, as a stream (fflate `Inflate`, fed in small compressed chunks), and the inflation stops as soon as the
 * output passes the caller's cap, so a zip bomb costs at most the cap in work and memory, whatever its headers
 * claim. Nothing else in the archive is inflated.
 */
import { Inflate, strFromU8 } from 'fflate';

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflate (others are refused when read). */
  method: number;
  /** Declared sizes (central directory); `size` may lie, the inflation counts for itself. */
  compressedSize: number;
  size: number;
  localOffset: number;
  encrypted: boolean;
}

/** The archive cannot be read (bad structure, unsupported method, corrupt data). */
export class ZipError extends Error {}

/** At most this many central-directory entries are listed (RDML containers hold one to a few). */
export const MAX_ZIP_ENTRIES = 10_000;
/**
 * Compressed bytes handed to the inflater per step: one step yields at most ~1032× this (deflate's ratio limit),
 * so the step shrinks with the cap and work past the cap stays small: at most ~16× the cap or 264 KiB, whichever is
 * more (16.5 MiB at most). Each step costs fflate's Inflate a fresh output buffer (its 32 KiB window plus 128 KiB),
 * so a real member (deflate ratio 3-20) is read in about 64 / ratio steps rather than 1024 / ratio, and a 4 KiB
 * head in two to four 256-byte steps: 64-byte steps took 7–13 buffers for a head, a quarter of an RDML file's import
 * (RDML fixtures: 1.23 s → 0.8–0.9 s for 80 imports). The floor costs a hostile archive little: junk members'
 * heads 41 → 101 ms and 6 → 7 MB (50 members of 64 MiB of one byte each), a lying 1 GiB member 8 → 35 ms.
 */
const stepFor = (max: number) => Math.max(256, Math.min(16 * 1024, Math.ceil(max / 64)));

const u16 = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8);
const u32 = (b: Uint8Array, i: number) => (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16)) + b[i + 3] * 0x1000000;
const u64 = (b: Uint8Array, i: number) => u32(b, i) + u32(b, i + 4) * 0x100000000;

function need(b: Uint8Array, end: number, what: string): void {
  if (end > b.length || end < 0) throw new ZipError(`truncated archive (${what})`);
}

/** End of central directory: [entries, directory offset]. */
function directory(b: Uint8Array): [number, number] {
  const stop = Math.max(0, b.length - 22 - 0xffff);
  for (let i = b.length - 22; i >= stop; i--) {
    if (u32(b, i) !== 0x06054b50) continue;
    let entries = u16(b, i + 10), offset = u32(b, i + 16);
    if ((entries === 0xffff || offset === 0xffffffff) && i >= 20 && u32(b, i - 20) === 0x07064b50) {
      const z = u64(b, i - 12);
      need(b, z + 56, 'ZIP64 directory');
      if (u32(b, z) !== 0x06064b50) throw new ZipError('bad ZIP64 end of central directory');
      entries = u64(b, z + 32); offset = u64(b, z + 48);
    }
    return [entries, offset];
  }
  throw new ZipError('no end of central directory record');
}

/** The members listed in the central directory (at most MAX_ZIP_ENTRIES). */
export function zipEntries(b: Uint8Array): ZipEntry[] {
  const [count, start] = directory(b);
  if (count > MAX_ZIP_ENTRIES) throw new ZipError(`${count} members (more than ${MAX_ZIP_ENTRIES})`);
  const out: ZipEntry[] = [];
  let p = start;
  for (let k = 0; k < count; k++) {
    need(b, p + 46, 'central directory');
    if (u32(b, p) !== 0x02014b50) throw new ZipError('bad central directory entry');
    const flags = u16(b, p + 8), nameLen = u16(b, p + 28), extraLen = u16(b, p + 30), commentLen = u16(b, p + 32);
    need(b, p + 46 + nameLen + extraLen, 'central directory');
    const e: ZipEntry = {
      name: strFromU8(b.subarray(p + 46, p + 46 + nameLen), (flags & 0x800) === 0),
      method: u16(b, p + 10), compressedSize: u32(b, p + 20), size: u32(b, p + 24), localOffset: u32(b, p + 42),
      encrypted: (flags & 1) !== 0,
    };
    zip64Sizes(b, p + 46 + nameLen, extraLen, e);
    out.push(e);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** Replaces 0xFFFFFFFF sizes/offset by the ZIP64 extra field's values (in its fixed order). */
function zip64Sizes(b: Uint8Array, extra: number, len: number, e: ZipEntry): void {
  if (e.size !== 0xffffffff && e.compressedSize !== 0xffffffff && e.localOffset !== 0xffffffff) return;
  for (let q = extra; q + 4 <= extra + len;) {
    const id = u16(b, q), size = u16(b, q + 2);
    if (id === 1) {
      let f = q + 4;
      const take = () => { need(b, f + 8, 'ZIP64 field'); const v = u64(b, f); f += 8; return v; };
      if (e.size === 0xffffffff) e.size = take();
      if (e.compressedSize === 0xffffffff) e.compressedSize = take();
      if (e.localOffset === 0xffffffff) e.localOffset = take();
      return;
    }
    q += 4 + size;
  }
}

/**
 * Inflates `e`, handing each piece of output to `sink`, and stops once `max` bytes have come out: the result says
 * how many bytes were delivered (never more than `max`) and whether the member ended within the cap.
 */
export function inflateMember(b: Uint8Array, e: ZipEntry, max: number, sink: (chunk: Uint8Array) => void): { bytes: number; complete: boolean } {
  if (e.encrypted) throw new ZipError(`member "${e.name}" is encrypted`);
  need(b, e.localOffset + 30, 'local header');
  if (u32(b, e.localOffset) !== 0x04034b50) throw new ZipError(`bad local header for "${e.name}"`);
  const data = e.localOffset + 30 + u16(b, e.localOffset + 26) + u16(b, e.localOffset + 28);
  need(b, data + e.compressedSize, `data of "${e.name}"`);
  const comp = b.subarray(data, data + e.compressedSize);
  if (e.method === 0) {
    const n = Math.min(comp.length, max);
    if (n > 0) sink(comp.subarray(0, n));
    return { bytes: n, complete: comp.length <= max };
  }
  if (e.method !== 8) throw new ZipError(`member "${e.name}" uses compression method ${e.method} (only stored and deflate are read)`);
  let bytes = 0, over = false, ended = false;
  const inf = new Inflate((chunk, final) => {
    if (over) return;
    if (bytes + chunk.length > max) {
      if (max > bytes) sink(chunk.subarray(0, max - bytes));
      bytes = max; over = true; return;
    }
    if (chunk.length > 0) sink(chunk);
    bytes += chunk.length;
    if (final) ended = true;
  });
  try {
    const step = stepFor(max);
    for (let p = 0; !over; p += step) {
      const last = p + step >= comp.length;
      inf.push(comp.subarray(p, Math.min(comp.length, p + step)), last);
      if (last) break;
    }
  } catch (err) {
    throw new ZipError(`member "${e.name}" is not valid deflate data (${err instanceof Error ? err.message : String(err)})`);
  }
  return { bytes, complete: !over && ended };
}
