import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { fuzzParse, mutate, rangeInText } from '../../fuzz/studyFuzz';

test('fuzz: 2500 mutated studies never throw and every diagnostic range lies in its text', () => {
  const r = fuzzParse(2500, 20261122);
  assert.equal(r.cases, 2500);
  assert.deepEqual(r.failures.slice(0, 3), []);
  assert.ok(r.diagnostics > 500, `mutations should produce diagnostics (got ${r.diagnostics})`);
});

test('fuzz is deterministic for a seed', () => {
  const a = fuzzParse(200, 7);
  const b = fuzzParse(200, 7);
  assert.equal(a.diagnostics, b.diagnostics);
  let s = 1;
  const rnd = () => ((s = (s * 16807) % 2147483647) / 2147483647);
  assert.notEqual(mutate('let a = 1\nlet b = 2', rnd), undefined);
});

test('rangeInText rejects out-of-text and reversed ranges (the fuzz oracle can fail)', () => {
  const lines = ['abc', ''];
  assert.equal(rangeInText({ start: { line: 0, character: 0 }, end: { line: 0, character: 3 } }, lines), true);
  assert.equal(rangeInText({ start: { line: 0, character: 0 }, end: { line: 0, character: 4 } }, lines), false);
  assert.equal(rangeInText({ start: { line: 1, character: 0 }, end: { line: 2, character: 0 } }, lines), false);
  assert.equal(rangeInText({ start: { line: 0, character: 2 }, end: { line: 0, character: 1 } }, lines), false);
  assert.equal(rangeInText({ start: { line: 0, character: -1 }, end: { line: 0, character: 1 } }, lines), false);
});
