/** Seeded mutation fuzzing over the real fixtures: no exception escapes, every diagnostic/well range is valid. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { curveCorpus, fuzzImport, loadFixtureCorpus, mutate } from '../../fuzz/plateFuzz';
import { Rng } from '../../../src/engine/stats/rng';

test('fuzzImport: 3000 seeded mutations of the real fixtures (byte flips, line deletions, truncation, delimiter swaps ...)', () => {
  const corpus = loadFixtureCorpus();
  assert.ok(corpus.length >= 30);
  const rep = fuzzImport(3000, 20261122, corpus);
  assert.deepEqual(rep.failures.slice(0, 5), []);
  assert.equal(rep.cases, 3000);
  assert.ok(rep.plates > 500, `only ${rep.plates} mutated files still gave a plate`);
  assert.ok(rep.diagnostics > 0);
});

test('fuzzImport is deterministic for a seed and mutations really change the input', () => {
  const corpus = loadFixtureCorpus().filter((c) => c.name.endsWith('.txt')).slice(0, 3);
  const a = fuzzImport(200, 7, corpus), b = fuzzImport(200, 7, corpus);
  assert.deepEqual([a.plates, a.diagnostics], [b.plates, b.diagnostics]);
  const r = new Rng(1);
  let changed = 0;
  for (let i = 0; i < 100; i++) {
    const m = mutate(corpus[0].data, r);
    if (m.data.length !== corpus[0].data.length || m.data.some((x, k) => x !== corpus[0].data[k])) changed++;
  }
  assert.ok(changed >= 90, `${changed}/100 mutations changed the input`);
});

test('fuzzImport on the curve sections: 1500 mutations of RDML adp/mdp (bare XML) and QuantStudio [Amplification Data]', () => {
  const corpus = curveCorpus(loadFixtureCorpus());
  assert.ok(corpus.filter((c) => c.name.endsWith('.rdml.xml')).length >= 4 && corpus.length >= 7, corpus.map((c) => c.name).join(', '));
  const rep = fuzzImport(1500, 20261205, corpus);
  assert.deepEqual(rep.failures.slice(0, 5), []);
  assert.ok(rep.plates > 300, `only ${rep.plates} mutated files still gave a plate`);
});
