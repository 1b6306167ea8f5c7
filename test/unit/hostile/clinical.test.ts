/**
 * Hostile clinical tables and sample sheets (issue 16, item 4): encodings, overflowing numbers, unbalanced quotes
 * and backtracking bait. Every case: a clean, located outcome within a time bound.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { loadTable, parseNumberCell } from '../../../src/engine/expression/clinical';

function within<T>(ms: number, what: string, f: () => T): T {
  const t = performance.now();
  const r = f();
  const took = performance.now() - t;
  assert.ok(took < ms, `${what}: ${took.toFixed(0)} ms (bound ${ms} ms)`);
  return r;
}

const rows30 = (cell: (i: number) => string) => Array.from({ length: 30 }, (_, i) => `P${i + 1},${cell(i)}`).join('\n');

test('Windows-1252 bytes: café and cafè stay two levels, with a table-encoding info', () => {
  // "id,diet\nP1,café\nP2,cafè\n" in Windows-1252 (é = E9, è = E8): not valid UTF-8.
  const bytes = new Uint8Array([...Buffer.from('id,diet\nP1,caf'), 0xe9, ...Buffer.from('\nP2,caf'), 0xe8, ...Buffer.from('\n')]);
  const t = loadTable(bytes, 'c.csv');
  assert.deepEqual(t.columns[1].levels, ['caf\u00e9', 'caf\u00e8']);
  assert.deepEqual(t.diagnostics.map((d) => [d.code, d.severity, d.range.start.line]), [['table-encoding', 'info', 0]]);
  assert.match(t.diagnostics[0].message, /Windows-1252/);
  // UTF-8 is read silently; UTF-16 with a BOM is detected.
  assert.deepEqual(loadTable(new TextEncoder().encode('id,diet\nP1,café\n'), 'c.csv').diagnostics, []);
  const le = Buffer.from('\ufeffid,diet\nP1,café\nP2,cafè\n', 'utf16le');
  const u = loadTable(new Uint8Array(le), 'c.csv');
  assert.deepEqual(u.columns[1].levels, ['caf\u00e9', 'caf\u00e8']);
  assert.deepEqual(u.diagnostics.map((d) => d.code), ['table-encoding']);
  assert.match(u.diagnostics[0].message, /UTF-16/);
});

test('1e309 and -1e309 are flagged where read (warning at line:column) and count as missing, not as values', () => {
  const t = loadTable(`id,afp\n${rows30((i) => (i === 3 ? '1e309' : i === 7 ? '-1E+400' : String(10 + i)))}\n`, 'c.csv');
  const afp = t.columns[1];
  assert.deepEqual([afp.type, afp.n, afp.missing], ['numeric', 28, 2]);
  assert.equal(t.rows[3].afp, null);
  assert.equal(t.rows[7].afp, null);
  assert.equal(t.rows[4].afp, 14);
  const w = t.diagnostics.filter((d) => d.code === 'table-number-overflow');
  assert.deepEqual(w.map((d) => [d.severity, d.range.start.line, d.range.start.character, d.range.end.character]), [['warning', 4, 3, 8], ['warning', 8, 3, 10]]);
  // Finite large values are kept.
  assert.equal(loadTable('id,x\nP1,1e300\n', 'c.csv').rows[0].x, 1e300);
});

test('one stray quote: one error at the quote saying how many lines it swallowed (not one ragged-row warning)', () => {
  const text = `id,group,afp\n${rows30((i) => (i === 4 ? '"A,12' : `B,${i}`))}\n`;
  const t = within(500, 'stray quote', () => loadTable(text, 'c.csv'));
  const e = t.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(e.map((d) => [d.code, d.range.start.line, d.range.start.character]), [['table-unbalanced-quote', 5, 3]]);
  assert.match(e[0].message, /runs to line 31, swallowing 25 lines/);
  assert.ok(!t.diagnostics.some((d) => d.code === 'table-ragged'));
  // A quoted line break in a well-formed cell is still fine.
  const ok = loadTable('id,note,v\nP1,"two\nlines",1\nP2,x,2\n', 'c.csv');
  assert.deepEqual(ok.diagnostics, []);
  assert.equal(ok.rows[0].note, 'two\nlines');
});

test('numbers are scanned in linear time (the \\d+\\.?\\d* regex took seconds on long digit runs)', () => {
  const digits = '1'.repeat(300_000);
  within(200, 'parseNumberCell', () => assert.equal(parseNumberCell(`${digits}x`, '.'), null));
  within(200, 'parseNumberCell comma', () => assert.equal(parseNumberCell(`${digits}x`, ','), null));
  assert.equal(parseNumberCell('12,5', ','), 12.5);
  assert.equal(parseNumberCell('.5e2', '.'), 50);
  assert.equal(parseNumberCell('5.', '.'), 5);
  for (const s of ['', '.', '+', '1e', '1e+', '1.2.3', '0x10', 'Infinity', '1,5']) assert.equal(parseNumberCell(s, '.'), null, s);
  const t = within(2000, 'table with long cells', () => loadTable(`id;x;y\nP1;${digits}x;1,5\nP2;${digits};2,5\n`, 'c.csv'));
  assert.equal(t.columns[1].type, 'categorical');
  assert.equal(t.decimal, ',');
  // A record with 100k line breaks inside quotes then text (the trailing-break regex was quadratic on it).
  const nl = within(2000, 'quoted breaks', () => loadTable(`id,note\nP1,"${'\n'.repeat(100_000)}x\n`, 'c.csv'));
  assert.equal(nl.diagnostics.filter((d) => d.code === 'table-unbalanced-quote').length, 1);
});
