/**
 * Quoted cells and code-unit text (src/engine/plate/text.ts): `undoubleQuotes` reads `""` as `"` exactly as
 * `replace(/""/g, '"')` does, surrogates included; `splitCells` against a character-by-character restatement of its
 * rules on random lines; `decodeCp1252` against a byte-by-byte map.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { decodeCp1252, splitCells, undoubleQuotes } from '../../../src/engine/plate/text';
import { mulberry32 } from '../../fuzz/studyFuzz';

/** The fuzzers' seeded generator, so a failure can be replayed. */
const rng = mulberry32;

const pickFrom = (next: () => number, alphabet: string[], n: number): string => Array.from({ length: n }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');

test('undoubleQuotes is replace(/""/g, \'"\') on random text: short and long (over 8192 units), with and without surrogates', () => {
  const next = rng(1);
  const plain = ['"', '"', '"', 'a', 'b', ',', ' ', 'é', '\u0442'];
  const withSurrogates = [...plain, '\ud83d\ude00', '\ud800', '\udfff']; // a pair, and lone halves
  for (let trial = 0; trial < 300; trial++) {
    const n = trial % 10 < 2 ? 8000 + Math.floor(next() * 20_000) : Math.floor(next() * 60);
    const s = pickFrom(next, trial % 2 ? withSurrogates : plain, n);
    assert.equal(undoubleQuotes(s), s.replace(/""/g, '"'), JSON.stringify(s.slice(0, 40)));
  }
  assert.equal(undoubleQuotes('"""'), '""');
  assert.equal(undoubleQuotes('""""'), '""');
  assert.equal(undoubleQuotes('x'), 'x');
  const big = '""'.repeat(200_000) + '\ud800';
  assert.equal(undoubleQuotes(big), '"'.repeat(200_000) + '\ud800');
});

interface Cells { values: string[]; starts: number[]; ends: number[]; quoted: boolean[] }

/**
 * splitCells' rules, one character at a time: cells between delimiters; a cell whose first non-space character is a
 * quote (spaces skipped unless the delimiter is a space) is quoted: its value runs to the first quote not doubled
 * (or to the end of the line), each `""` read as `"`, and any text after the closing quote up to the next delimiter
 * is appended; its span starts where the cell starts and ends at that delimiter.
 */
function reference(line: string, delim: string): Cells {
  const out: Cells = { values: [], starts: [], ends: [], quoted: [] };
  const at = (i: number, d: string) => line.startsWith(d, i);
  let s = 0;
  for (;;) {
    let p = s;
    while (delim !== ' ' && line[p] === ' ') p++;
    let value = '', i: number, quoted = false;
    if (line[p] === '"') {
      quoted = true;
      i = p + 1;
      for (; i < line.length; i++) {
        if (line[i] === '"') {
          if (line[i + 1] === '"') { value += '"'; i++; continue; }
          i++;
          break;
        }
        value += line[i];
      }
      while (i < line.length && !at(i, delim)) value += line[i++];
    } else {
      i = s;
      while (i < line.length && !at(i, delim)) value += line[i++];
    }
    out.values.push(value); out.starts.push(s); out.ends.push(i); out.quoted.push(quoted);
    if (i >= line.length) return out;
    s = i + delim.length;
  }
}

test('splitCells follows its rules on random lines of quotes, delimiters and spaces', () => {
  const next = rng(2);
  for (const delim of [',', ';', '\t', ' ']) {
    for (let trial = 0; trial < 2000; trial++) {
      const line = pickFrom(next, ['"', '"', 'a', '1', ' ', delim, delim, 'x'], Math.floor(next() * 40));
      assert.deepEqual(splitCells(line, delim), reference(line, delim), `${JSON.stringify(delim)}: ${JSON.stringify(line)}`);
    }
  }
});

test('decodeCp1252 maps each byte (0x80–0x9F by the Windows-1252 table) over chunk edges', () => {
  const next = rng(3);
  const bytes = Uint8Array.from({ length: 140_000 }, () => Math.floor(next() * 256)); // over two 65,536-byte pieces
  const text = decodeCp1252(bytes);
  assert.equal(text.length, bytes.length);
  // Python's cp1252 codec (Unicode's CP1252.TXT), the five undefined bytes kept as the C1 control of that value
  const high = [
    0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
    0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
  ];
  const want = (b: number): number => (b >= 0x80 && b < 0xa0 ? high[b - 0x80] : b);
  const wrong = bytes.findIndex((b, i) => text.charCodeAt(i) !== want(b));
  assert.equal(wrong, -1, wrong < 0 ? '' : `byte 0x${bytes[wrong].toString(16)} at ${wrong}: U+${text.charCodeAt(wrong).toString(16)}`);
});
