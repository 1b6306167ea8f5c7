/**
 * The zip codec of node hosts (the CLI and the extension's engine worker): node's zlib, native and about three times
 * as fast as fflate's pure-JS deflate (src/engine/common/zipCodec.ts). VS Code for the web bundles its twin
 * src/host/web/zip.ts instead (scripts/bundles.mjs), which has none.
 *
 * Each call deflates its data as a stream of its own, ended by a sync flush (byte-aligned, not final) or, for the last,
 * by a finish: their concatenation is one raw DEFLATE stream. A match never reaches into an earlier call's data,
 * which costs 0.4 % of size with the writers' 1 MiB calls (the 10⁶-well RDML: 10.97 MB, 10.93 MB in one call).
 */
import * as zlib from 'node:zlib';
import type { ZipCodec } from '../engine/common/zipCodec';

const nativeCrc = (zlib as { crc32?: (data: Uint8Array, crc: number) => number }).crc32; // node ≥ 20.15

export const HOST_ZIP: ZipCodec | undefined = {
  // On libuv's thread pool: the next text is made meanwhile (the member keeps the calls' order).
  deflateRaw: (level) => (data, final) => new Promise((resolve, reject) => {
    zlib.deflateRaw(data, { level, finishFlush: final ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH }, (err, out) => {
      if (err) reject(err);
      else resolve(new Uint8Array(out.buffer, out.byteOffset, out.byteLength));
    });
  }),
  ...(nativeCrc ? { crc32: (data: Uint8Array, crc: number) => nativeCrc(data, crc) } : {}),
};
