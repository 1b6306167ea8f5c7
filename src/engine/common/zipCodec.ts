/**
 * How a writer deflates a zip member. Without a codec the writers use fflate's deflate (pure JS, in every host); a
 * node host passes node's zlib (src/cli/nodeZip.ts), about three times as fast at the same level and size (the RDML
 * of a 10⁶-well study, 154 MB of XML, deflated in 0.7 s instead of 2.3 s), on its thread pool while the writer makes
 * the next text.
 */
import { ZipDeflate, type DeflateOptions } from 'fflate';
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
 * the next data; `push` resolves once fewer are pending (all of them after `final`). Await each push (or `flush`)
 * before the next: `put` reuses the text buffers on that condition.
 */
export function codecMember(filename: string, codec: ZipCodec, level: number, mtime: Date) {
  const deflate = codec.deflateRaw(level);
  const crcOf = codec.crc32 ?? crc32;
  const pending: { out: Promise<Uint8Array>; final: boolean }[] = [];
  // Text is written into IN_FLIGHT + 1 buffers in turn: when a push returns, fewer than IN_FLIGHT calls still read
  // theirs. A new array per call was 1.5 GB of external memory at 10⁷ wells, and each 64 MB of it started a full
  // collection of the whole heap.
  const text = new TextBuffers(IN_FLIGHT + 1);
  const push = async (data: Uint8Array, final = false): Promise<void> => {
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
  };
  const member = {
    filename, size: 0, crc: 0, compression: 8, flag: levelFlag(level), mtime,
    ondata: undefined as ((err: Error | null, data: Uint8Array, final: boolean) => void) | undefined, // set by Zip.add
    push,
    ...textWriting(text, push),
  };
  return member;
}

/** A zip member deflated by fflate in this thread, with the same text writing as `codecMember`'s. */
export function fflateMember(filename: string, level: DeflateOptions['level'], mtime: Date) {
  const file = Object.assign(new ZipDeflate(filename, { level }), { mtime });
  // A fresh buffer for each push (fflate is not asked whether it still reads the last one).
  const text = new TextBuffers(0);
  return Object.assign(file, textWriting(text, async (data, final) => file.push(data, final)));
}

/**
 * A member's text: `put` writes the UTF-8 of a piece of text into the member's buffer, `buffered()` is how many
 * bytes wait there, `flush` pushes them. Await each flush before the next `put`.
 */
function textWriting(text: TextBuffers, push: (data: Uint8Array, final: boolean) => Promise<void>) {
  return {
    put: (piece: string): void => text.put(piece),
    buffered: (): number => text.length,
    flush: (final = false): Promise<void> => push(text.take(), final),
  };
}

/**
 * UTF-8 text written piece by piece into byte buffers, taken one buffer at a time: `slots` buffers in turn (0: a
 * fresh one each time). A document written piece by piece makes no string per line: the RDML of a 10⁶-well study
 * made by `+=` was a tree of small strings that the encoder flattened, about 1 s of the export and as much again of
 * garbage collection.
 */
class TextBuffers {
  private readonly ring: Uint8Array[] = [];
  private turn = 0;
  private bytes: Uint8Array = new Uint8Array(0);
  length = 0;

  constructor(private readonly slots: number) { this.bytes = this.next(); }

  put(piece: string): void {
    // UTF-8: at most 3 bytes per UTF-16 unit.
    if (this.length + 3 * piece.length > this.bytes.length) this.grow(this.length + 3 * piece.length);
    const b = this.bytes;
    let n = this.length;
    if (piece.length > 64) n += utf8().encodeInto(piece, b.subarray(n)).written;
    else {
      for (let i = 0; i < piece.length; i++) {
        const c = piece.charCodeAt(i);
        if (c >= 0x80) { n += utf8().encodeInto(piece.slice(i), b.subarray(n)).written; break; }
        b[n++] = c;
      }
    }
    this.length = n;
  }

  /** The bytes written since the last take; writing goes on in the next buffer. */
  take(): Uint8Array {
    const out = this.bytes.subarray(0, this.length);
    this.bytes = this.next();
    this.length = 0;
    return out;
  }

  private next(): Uint8Array {
    // A fresh buffer the size the last one grew to: not grown again from the first size at every take.
    if (this.slots === 0) return new Uint8Array(Math.max(FIRST_BUFFER, this.bytes.length));
    const k = this.turn++ % this.slots;
    return (this.ring[k] ??= new Uint8Array(FIRST_BUFFER));
  }

  /** A buffer of at least `need` bytes holding what was written (it takes the slot's place). */
  private grow(need: number): void {
    const bigger = new Uint8Array(Math.max(need, 2 * this.bytes.length));
    bigger.set(this.bytes.subarray(0, this.length));
    if (this.slots > 0) this.ring[(this.turn - 1) % this.slots] = bigger;
    this.bytes = bigger;
  }
}

/** A text buffer's first size (they grow to what is written between two takes: about 1 MiB for the writers). */
const FIRST_BUFFER = 1 << 16;

let encoder: { encodeInto(text: string, into: Uint8Array): { written: number } } | undefined;
const utf8 = () => (encoder ??= new TextEncoder());
