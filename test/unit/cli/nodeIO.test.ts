/**
 * readRegularFile (src/cli/nodeIO.ts): a file's bytes exactly, read into one buffer of the size it has when opened;
 * a file that reports no size (a /proc file) or grows is read to its end; over `maxBytes` is InputTooLargeError.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRegularFile } from '../../../src/cli/nodeIO';
import { InputTooLargeError } from '../../../src/engine/study/inputs';
import { Rng } from '../../../src/engine/stats/rng';
import { tempDir } from '../helpers';

test('readRegularFile: the bytes of files of 0, 1, 1 MiB + 3 and 20 MiB + 1 bytes, exactly', async () => {
  const dir = tempDir('qpcr-readfile-');
  const rng = new Rng(7);
  for (const n of [0, 1, (1 << 20) + 3, (20 << 20) + 1]) {
    // Sparse: a byte every 65521, the rest holes (read as zeros), so that the 20 MiB file (two reads) is cheap to write.
    const bytes = new Uint8Array(n), f = path.join(dir, `f${n}`), fd = fs.openSync(f, 'w');
    for (let i = 0; i < n; i += 65521) { bytes[i] = 1 + rng.int(255); fs.writeSync(fd, bytes, i, 1, i); }
    fs.ftruncateSync(fd, n);
    fs.closeSync(fd);
    const got = await readRegularFile(f);
    assert.equal(got.length, n);
    assert.ok(Buffer.from(got.buffer, got.byteOffset, got.length).equals(bytes), `${n} bytes`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

test('readRegularFile: a file whose size reads as 0 (/proc) is read to its end', { skip: !fs.existsSync('/proc/self/status') }, async () => {
  const text = new TextDecoder().decode(await readRegularFile('/proc/self/status'));
  assert.equal(fs.statSync('/proc/self/status').size, 0);
  assert.match(text, /^Name:/);
  assert.match(text, /VmHWM:[^\n]*\n[\s\S]*\n$/);
});

test('readRegularFile: over maxBytes is InputTooLargeError, by the size before reading and by the bytes read', async () => {
  const dir = tempDir('qpcr-readfile-');
  const f = path.join(dir, 'big');
  fs.writeFileSync(f, new Uint8Array(5000));
  await assert.rejects(readRegularFile(f, 4999), InputTooLargeError);
  assert.equal((await readRegularFile(f, 5000)).length, 5000);
  // A file that reports no size is checked as it is read.
  if (fs.existsSync('/proc/self/status')) await assert.rejects(readRegularFile('/proc/self/status', 10), InputTooLargeError);
  fs.rmSync(dir, { recursive: true, force: true });
});
