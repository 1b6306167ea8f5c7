/**
 * Hostile RDML containers, made at test time (never committed): zip bombs whose deflate stream is one
 * byte-aligned 1 MiB block of a repeated byte, repeated N times (so a 10 GiB bomb costs ~10 MB and milliseconds to
 * build), with truthful or lying (small) declared sizes, ZIP64 when a size needs it.
 *
 * Run as a script (`node bombs.js CASE`) it imports one case in a fresh process and prints
 * `{ codes, ms, peakRssMb, baseRssMb }`, so the memory bound is measured on a process of its own.
 */
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';

const MiB = 1024 * 1024;

/** Raw deflate of `prefix` then `mib` MiB of byte `fill`: non-final sync-flushed blocks + an empty final block. */
export function deflateBomb(mib: number, fill: number, prefix = ''): Uint8Array {
  const parts: Buffer[] = [];
  if (prefix) parts.push(zlib.deflateRawSync(Buffer.from(prefix), { finishFlush: zlib.constants.Z_SYNC_FLUSH }));
  const block = zlib.deflateRawSync(Buffer.alloc(MiB, fill), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  for (let i = 0; i < mib; i++) parts.push(block);
  parts.push(Buffer.from([0x03, 0x00])); // final, fixed Huffman, end of block
  return new Uint8Array(Buffer.concat(parts));
}

export interface Member { name: string; data: Uint8Array; method: 0 | 8; size: number }

/** A PKZIP archive of the members as given (CRCs are 0: readers that stop at a cap never check them). */
export function zip(members: Member[]): Uint8Array {
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let off = 0;
  for (const m of members) {
    const name = Buffer.from(m.name);
    const z64 = m.size >= 0xffffffff;
    const extra = z64 ? Buffer.alloc(20) : Buffer.alloc(0);
    if (z64) { extra.writeUInt16LE(1, 0); extra.writeUInt16LE(16, 2); extra.writeBigUInt64LE(BigInt(m.size), 4); extra.writeBigUInt64LE(BigInt(m.data.length), 12); }
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(z64 ? 45 : 20, 4); local.writeUInt16LE(m.method, 8);
    local.writeUInt32LE(z64 ? 0xffffffff : m.data.length, 18); local.writeUInt32LE(z64 ? 0xffffffff : m.size, 22);
    local.writeUInt16LE(name.length, 26); local.writeUInt16LE(extra.length, 28);
    chunks.push(local, name, extra, Buffer.from(m.data));
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0); c.writeUInt16LE(45, 4); c.writeUInt16LE(z64 ? 45 : 20, 6); c.writeUInt16LE(m.method, 10);
    c.writeUInt32LE(z64 ? 0xffffffff : m.data.length, 20); c.writeUInt32LE(z64 ? 0xffffffff : m.size, 24);
    c.writeUInt16LE(name.length, 28); c.writeUInt16LE(extra.length, 30); c.writeUInt32LE(off, 42);
    central.push(c, name, extra);
    off += 30 + name.length + extra.length + m.data.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(members.length, 8); end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(off, 16);
  return new Uint8Array(Buffer.concat([...chunks, cd, end]));
}

const HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<rdml version="1.2" xmlns="http://www.rdml.org">';

/** The hostile cases by name: [description, archive]. */
export const CASES: Record<string, () => Uint8Array> = {
  // The reported one: ~400 KB zip, 400 MiB of NULs in rdml_data.xml.
  'nul-400m': () => zip([{ name: 'rdml_data.xml', data: deflateBomb(400, 0), method: 8, size: 400 * MiB }]),
  // 1 MiB of deflate → 1 GiB of blanks after an <rdml> head, sizes declared truthfully / as 1 KB (a lie).
  'blank-1g': () => zip([{ name: 'rdml_data.xml', data: deflateBomb(1024, 0x20, HEAD), method: 8, size: 1024 * MiB + HEAD.length }]),
  'blank-1g-lying': () => zip([{ name: 'rdml_data.xml', data: deflateBomb(1024, 0x20, HEAD), method: 8, size: 1000 }]),
  // 10 MiB → 10 GiB (ZIP64 when truthful).
  'blank-10g': () => zip([{ name: 'rdml_data.xml', data: deflateBomb(10240, 0x20, HEAD), method: 8, size: 10240 * MiB + HEAD.length }]),
  'blank-10g-lying': () => zip([{ name: 'rdml_data.xml', data: deflateBomb(10240, 0x20, HEAD), method: 8, size: 1000 }]),
  // Many non-RDML .xml bombs before the real member: only 4 KiB heads of each are inflated.
  'many-xml-heads': () => zip([
    ...Array.from({ length: 50 }, (_, i) => ({ name: `junk${i}.xml`, data: deflateBomb(64, 0x41), method: 8 as const, size: 1000 })),
    { name: 'other.bin', data: deflateBomb(1024, 0), method: 8, size: 1000 },
  ]),
};

/**
 * This process's peak RSS in MB: Linux's VmHWM, the high-water mark of this process's own memory. getrusage's
 * maxRSS is not that: a process started by exec keeps its parent's maxRSS from before the exec, so a test process
 * already over 64 MB made every case fail. Elsewhere maxRSS (a parent as small as node's own start-up).
 */
function peakRssMb(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch { /* not Linux */ }
  return process.resourceUsage().maxRSS / 1024;
}

if (require.main === module) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when run as a script
  const { importPlate } = require('../../../src/engine/plate/index') as typeof import('../../../src/engine/plate/index');
  const bytes = CASES[process.argv[2]]();
  const base = process.memoryUsage().rss;
  const t = performance.now();
  const r = importPlate(bytes, `${process.argv[2]}.rdml`);
  const ms = performance.now() - t;
  process.stdout.write(JSON.stringify({
    codes: r.diagnostics.map((d) => d.code), messages: r.diagnostics.map((d) => d.message), plate: r.plate !== null, ms,
    zipBytes: bytes.length, baseRssMb: base / MiB, peakRssMb: peakRssMb(),
  }));
}
