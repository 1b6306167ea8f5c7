/**
 * How a writer deflates a zip member. Without a codec the writers use fflate's deflate (pure JS, in every host); a
 * node host passes node's zlib (src/cli/nodeZip.ts), about three times as fast at the same level and size (the RDML
 * of a 10⁶-well study, 154 MB of XML, deflated in 0.7 s instead of 2.3 s), on its thread pool while the writer makes
 * the next text.
 */
import { strToU8, ZipDeflate, type DeflateOptions } from 'fflate';
import { crc32 } from '../../shared/bytes';

export interface ZipCodec {
  /**
   * A raw DEFLATE (RFC 1951) stream at `level`: each call gives the compressed bytes of the data given (a stream of
   * blocks that continues with the next call's), and the call with `final` ends the stream. A codec that deflates
   * away from the calling thread returns promises; they may settle in any order (the member keeps the calls' order).
   */
  deflateRaw(level: number): (data: Uint8Array, final: boolean) => Uint8Array | Promise<Uint8Array>;
  /** The zip CRC-32 of `data` continued from `crc` (0 to start); without it, shared/bytes.ts `crc32`. */
  crc32?(data: Uint8Array, crc: number): number;
}

/** Calls of a member whose compressed bytes may be pending at once (about 1 MiB of text each, from the writers). */
const IN_FLIGHT = 4;

/** fflate's general-purpose flag bits for a deflate level (as its ZipDeflate sets them). */
const levelFlag = (level: number): number => (level === 1 ? 3 : level < 6 ? 2 : level === 9 ? 1 : 0);

/**
 * A zip member for fflate's `Zip` deflated by `codec`: `Zip.add` it, then `await push(...)` its data (the last push
 * `final`), then end the zip. Zip writes the local header, then this member's data, then its data descriptor with the
 * size and CRC counted here. With a codec that deflates elsewhere, up to IN_FLIGHT calls run while the caller makes
 * the next data; `push` resolves once fewer are pending (all of them after `final`). Await each push (or `pushText`)
 * before the next: `pushText` reuses its buffers on that condition.
 */
export function codecMember(filename: string, codec: ZipCodec, level: number, mtime: Date) {
  const deflate = codec.deflateRaw(level);
  const crcOf = codec.crc32 ?? crc32;
  const pending: { out: Promise<Uint8Array>; final: boolean }[] = [];
  // Text is encoded into IN_FLIGHT + 1 buffers in turn: when a push returns, fewer than IN_FLIGHT calls still read
  // theirs. A new array per call was 1.5 GB of external memory at 10⁷ wells, and each 64 MB of it started a full
  // collection of the whole heap.
  const ring: Uint8Array[] = [];
  let turn = 0;
  const member = {
    filename, size: 0, crc: 0, compression: 8, flag: levelFlag(level), mtime,
    ondata: undefined as ((err: Error | null, data: Uint8Array, final: boolean) => void) | undefined, // set by Zip.add
    async push(data: Uint8Array, final = false): Promise<void> {
      const ondata = member.ondata;
      if (!ondata) throw new Error('codecMember: push before Zip.add');
      member.size += data.length;
      member.crc = crcOf(data, member.crc);
      const out = Promise.resolve(deflate(data, final));
      out.catch(() => { /* awaited in order below; a later call's failure must not go unhandled meanwhile */ });
      pending.push({ out, final });
      while (pending.length >= IN_FLIGHT || (final && pending.length)) {
        const next = pending.shift()!;
        ondata(null, await next.out, next.final);
      }
    },
    /** `push` of the UTF-8 bytes of `text`. */
    pushText(text: string, final = false): Promise<void> {
      const k = turn++ % (IN_FLIGHT + 1);
      if (!ring[k] || ring[k].length < 3 * text.length) ring[k] = new Uint8Array(Math.max(3 * text.length, 1 << 16)); // UTF-8: at most 3 bytes per unit
      const { written } = utf8().encodeInto(text, ring[k]);
      return member.push(ring[k].subarray(0, written), final);
    },
  };
  return member;
}

/** A zip member deflated by fflate in this thread, with the same `pushText` as `codecMember`'s. */
export function fflateMember(filename: string, level: DeflateOptions['level'], mtime: Date) {
  const file = Object.assign(new ZipDeflate(filename, { level }), { mtime });
  return Object.assign(file, {
    pushText: async (text: string, final = false): Promise<void> => file.push(strToU8(text), final),
  });
}

let encoder: { encodeInto(text: string, into: Uint8Array): { written: number } } | undefined;
const utf8 = () => (encoder ??= new TextEncoder());
