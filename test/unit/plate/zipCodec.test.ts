/**
 * Zip members deflated by a codec (src/engine/common/zipCodec.ts) and node's codec (src/cli/nodeZip.ts): the archive
 * is read back by an independent reader here (central directory, local header, inflate, CRC and size checked
 * against node's zlib), the CRC-32 matches zlib's, and the RDML export through node's codec holds the same XML.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as zlib from 'node:zlib';
import { strToU8, Zip } from 'fflate';
import { codecMember, fflateMember, type ZipCodec } from '../../../src/engine/common/zipCodec';
import { crc32 } from '../../../src/shared/bytes';
import { HOST_ZIP } from '../../../src/cli/nodeZip';

const NODE_ZIP = HOST_ZIP!;
import { rdmlXml, rdmlZip, type RdmlExportInput } from '../../../src/engine/plate/rdmlWrite';
import { sharedExampleRun } from '../studyRuns';

const zlibCrc = (zlib as { crc32?: (d: Uint8Array, c?: number) => number }).crc32;

/** The members of a zip, read from its central directory; each one's data inflated and checked against its CRC and size. */
function readZip(zip: Uint8Array): { name: string; data: Buffer; method: number }[] {
  const v = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let eocd = zip.length - 22;
  while (eocd >= 0 && v.getUint32(eocd, true) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'end of central directory');
  const count = v.getUint16(eocd + 10, true);
  let at = v.getUint32(eocd + 16, true);
  const out = [];
  for (let k = 0; k < count; k++) {
    assert.equal(v.getUint32(at, true), 0x02014b50, 'central directory entry');
    const method = v.getUint16(at + 10, true), crc = v.getUint32(at + 16, true), csize = v.getUint32(at + 20, true), size = v.getUint32(at + 24, true);
    const nameLen = v.getUint16(at + 28, true), extraLen = v.getUint16(at + 30, true), commentLen = v.getUint16(at + 32, true);
    const local = v.getUint32(at + 42, true);
    const name = Buffer.from(zip.subarray(at + 46, at + 46 + nameLen)).toString('utf8');
    assert.equal(v.getUint32(local, true), 0x04034b50, 'local header');
    const start = local + 30 + v.getUint16(local + 26, true) + v.getUint16(local + 28, true);
    const raw = zip.subarray(start, start + csize);
    const data = method === 8 ? zlib.inflateRawSync(raw) : Buffer.from(raw);
    assert.equal(data.length, size, `${name}: size`);
    if (zlibCrc) assert.equal(zlibCrc(data), crc, `${name}: CRC-32`);
    out.push({ name, data, method });
    at += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** Text of `n` bytes, compressible but not trivially (words from a seeded generator). */
function text(n: number, seed: number): string {
  const words = ['<react id="', '"><sample id="S', '<cq>', '</cq>', '<excl>omit</excl>', '\n', '</data>', 'miR-21-5p', 'RNU6B'];
  let a = seed, s = '';
  while (s.length < n) {
    a = (Math.imul(a, 1103515245) + 12345) >>> 0;
    s += words[a % words.length] + (a % 1000).toString();
  }
  return s.slice(0, n);
}

async function zipOf(codec: ZipCodec | undefined, chunks: string[]): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const zip = new Zip((err, chunk) => { if (err) throw err; parts.push(chunk); });
  const member = codecMember('a.xml', codec ?? NODE_ZIP, 6, new Date('2000-01-01T00:00:00Z'));
  zip.add(member);
  for (let i = 0; i < chunks.length; i++) await member.push(strToU8(chunks[i]), i === chunks.length - 1);
  zip.end();
  return Buffer.concat(parts);
}

test('crc32: the check value of "123456789", and zlib\'s CRC of random data continued across chunks', () => {
  assert.equal(crc32(strToU8('123456789')), 0xcbf43926);
  assert.equal(crc32(new Uint8Array(0)), 0);
  let x = 7;
  const data = Uint8Array.from({ length: 100_003 }, () => (x = (Math.imul(x, 48271) + 11) >>> 0) & 0xff);
  let c = 0;
  for (let i = 0; i < data.length; i += 4099) c = crc32(data.subarray(i, i + 4099), c);
  assert.equal(c, crc32(data));
  if (zlibCrc) assert.equal(c, zlibCrc(data));
});

test('a member deflated by node\'s codec in several 1 MiB calls reads back whole, with its CRC and size', async () => {
  const chunks = [text(1 << 20, 1), text(1 << 20, 2), text((1 << 20) + 17, 3), text(5, 4), text(1 << 20, 5), text(1 << 19, 6)];
  const whole = chunks.join('');
  // A codec whose calls settle in reverse order (the last first): the member still writes them in order.
  const shuffled: ZipCodec = {
    deflateRaw: (level) => {
      const d = NODE_ZIP.deflateRaw(level);
      let k = 0;
      return (data, final) => {
        const wait = 60 - 10 * k++;
        return Promise.resolve(d(data, final)).then((o) => new Promise((r) => setTimeout(() => r(o), wait)));
      };
    },
  };
  // native CRC; the engine's CRC; a synchronous codec (node's deflateRawSync, as the member would take one)
  const sync: ZipCodec = { deflateRaw: (level) => (data, final) => zlib.deflateRawSync(data, { level, finishFlush: final ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH }) };
  for (const codec of [NODE_ZIP, { deflateRaw: NODE_ZIP.deflateRaw }, shuffled, sync]) {
    const [m, ...rest] = readZip(await zipOf(codec, chunks));
    assert.deepEqual(rest, []);
    assert.equal(m.name, 'a.xml');
    assert.equal(m.method, 8);
    assert.equal(m.data.toString('latin1'), whole);
  }
  // an empty member, and a single final call
  assert.equal(readZip(await zipOf(NODE_ZIP, ['']))[0].data.length, 0);
  assert.equal(readZip(await zipOf(NODE_ZIP, ['x'.repeat(3000)]))[0].data.toString(), 'x'.repeat(3000));
  // a failing call rejects the push that waits for it, and no other rejection goes unhandled
  const failing: ZipCodec = { deflateRaw: () => (_data, final) => (final ? Promise.reject(new Error('disk on fire')) : new Uint8Array(0)) };
  await assert.rejects(zipOf(failing, ['a', 'b']), /disk on fire/);
});

test('put then flush: UTF-8 of each text, buffers reused only once no call reads them (a codec that reads its input late)', async () => {
  // equal lengths (after the first, a buffer fits the next text: reused), each one different
  const chunks = Array.from({ length: 12 }, (_, i) => `${text(200_000, 20 + i)}é€😀${i % 10}`);
  chunks.push('x'.repeat(3 << 20)); // larger than the buffers so far: a new one
  chunks.push('end');
  const whole = chunks.join('');
  // reads `data` only when its timer fires, later for earlier calls: an overwritten buffer would corrupt the output
  const late: ZipCodec = {
    deflateRaw: (level) => {
      let k = 0;
      return (data, final) => {
        const wait = Math.max(0, 40 - 3 * k++);
        return new Promise((resolve) => setTimeout(() => resolve(zlib.deflateRawSync(data, { level, finishFlush: final ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH })), wait));
      };
    },
  };
  for (const codec of [late, NODE_ZIP]) {
    const parts: Uint8Array[] = [];
    const zip = new Zip((err, chunk) => { if (err) throw err; parts.push(chunk); });
    const member = codecMember('t.xml', codec, 6, new Date('2000-01-01T00:00:00Z'));
    zip.add(member);
    for (let i = 0; i < chunks.length; i++) { member.put(chunks[i]); await member.flush(i === chunks.length - 1); }
    zip.end();
    const [m] = readZip(Buffer.concat(parts));
    assert.equal(m.data.toString('utf8'), whole);
  }
  // fflate's member takes text the same way
  const parts: Uint8Array[] = [];
  const zip = new Zip((err, chunk) => { if (err) throw err; parts.push(chunk); });
  const f = fflateMember('t.xml', 6, new Date('2000-01-01T00:00:00Z'));
  zip.add(f);
  for (let i = 0; i < chunks.length; i++) { f.put(chunks[i]); await f.flush(i === chunks.length - 1); }
  zip.end();
  assert.equal(readZip(Buffer.concat(parts))[0].data.toString('utf8'), whole);
});

const DOS_DATE = new Date('2000-01-01T00:00:00Z');

test('put and flush: pieces of 0-100 characters (ASCII, 2-, 3- and 4-byte UTF-8 anywhere in them), flushed at about 64 KiB and through a codec that reads late, read back as their text', async () => {
  const alphabet = ['a', 'Z', '<', '"', '\n', 'é', '€', '😀', 'µ'];
  let a = 12345;
  const rand = (n: number) => { a = (Math.imul(a, 1103515245) + 12345) >>> 0; return (a >>> 8) % n; };
  const pieces: string[] = [];
  for (let total = 0; total < 600_000;) {
    let piece = '';
    for (let n = rand(101); n > 0; n--) piece += rand(4) === 0 ? alphabet[rand(alphabet.length)] : String.fromCharCode(32 + rand(90));
    pieces.push(piece);
    total += piece.length;
  }
  const late: ZipCodec = {
    deflateRaw: (level) => {
      let k = 0;
      return (data, final) => new Promise((resolve) => setTimeout(() => resolve(zlib.deflateRawSync(data, { level, finishFlush: final ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH })), Math.max(0, 30 - 2 * k++)));
    },
  };
  for (const make of [() => codecMember('p.xml', late, 6, DOS_DATE), () => codecMember('p.xml', NODE_ZIP, 6, DOS_DATE), () => fflateMember('p.xml', 6, DOS_DATE)]) {
    const parts: Uint8Array[] = [];
    const zip = new Zip((err, chunk) => { if (err) throw err; parts.push(chunk); });
    const member = make();
    zip.add(member);
    let flushes = 0;
    for (const piece of pieces) {
      member.put(piece);
      if (member.buffered() >= 1 << 16) { await member.flush(); flushes++; }
    }
    await member.flush(true);
    zip.end();
    assert.ok(flushes >= 8, `${flushes} flushes`);
    assert.equal(readZip(Buffer.concat(parts))[0].data.toString('utf8'), pieces.join(''));
  }
});

test('rdmlZip through node\'s codec holds the same rdml_data.xml as through fflate, at about the same size', async () => {
  const out = await sharedExampleRun('tace-exosomal-mirna');
  assert.ok(out.report && out.data);
  const input: RdmlExportInput = {
    plates: out.data.plates, study: out.report.study, references: out.report.methods?.references ?? [], exclusions: out.data.exclusions,
    software: { name: 'qPCR Studio', version: 'test' }, date: '2026-01-01T00:00:00Z',
  };
  const xml = rdmlXml(input);
  const native = await rdmlZip(input, NODE_ZIP), js = await rdmlZip(input);
  for (const z of [native, js]) {
    const [m] = readZip(z);
    assert.equal(m.name, 'rdml_data.xml');
    assert.equal(m.data.toString('utf8'), xml);
  }
  assert.ok(Math.abs(native.length - js.length) < 0.05 * js.length, `${native.length} vs ${js.length} bytes`);
});
