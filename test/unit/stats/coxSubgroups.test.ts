/** Subgroup HRs of a Cox marker and the interaction LR test against R survival (test/golden/cox-subgroups.R), 1e-6 relative. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { assertAllClose, assertClose, readGolden } from '../helpers';
import { coxSubgroups } from '../../../src/engine/stats/coxSubgroups';

const G = readGolden<{ cases: any[] }>('cox-subgroups.json').cases;

test('per-level HR, SE, Wald CI and p equal coxph within the level; the interaction LR test equals anova(~ m + g, ~ m * g)', () => {
  assert.equal(G.length, 3);
  for (const c of G) {
    const levels = [c.levels].flat() as string[];
    const r = coxSubgroups(c.time, c.status, c.x, c.group, levels, { ties: c.ties });
    assert.equal(r.levels.length, c.subgroups.length);
    r.levels.forEach((l, k) => {
      const g = c.subgroups[k];
      assert.equal(l.level, g.level);
      assert.equal(l.n, g.n); assert.equal(l.events, g.events);
      assertClose(l.coef!, g.coef, 1e-6, 1e-9, `${c.name} ${g.level} coef`);
      assertClose(l.se!, g.se, 1e-6, 1e-9, `${c.name} ${g.level} se`);
      assertClose(l.hr!, g.hr, 1e-6, 1e-9, `${c.name} ${g.level} hr`);
      assertAllClose(l.ci as number[], g.ci, 1e-6, 1e-9, `${c.name} ${g.level} ci`);
      assertClose(l.p!, g.p, 1e-6, 1e-12, `${c.name} ${g.level} p`);
    });
    assert.equal(r.interaction!.df, c.df);
    assertClose(r.interaction!.chisq, c.chisq, 1e-6, 1e-9, `${c.name} interaction chisq`);
    assertClose(r.interaction!.p, c.p, 1e-6, 1e-12, `${c.name} interaction p`);
  }
});

test('a level without events has no estimate and says so; one level only: no interaction test', () => {
  const c = G[0];
  const status = c.status.map((s: number, i: number) => (c.group[i] === c.levels[0] ? 0 : s));
  const r = coxSubgroups(c.time, status, c.x, c.group, c.levels, { ties: 'efron' });
  assert.equal(r.levels[0].hr, null);
  assert.equal(r.levels[0].note, 'no events');
  assert.ok(r.levels[1].hr! > 0);
  const one = coxSubgroups(c.time, c.status, c.x, c.group.map(() => 'all'), ['all'], { ties: 'efron' });
  assert.equal(one.interaction, null);
  assert.match(one.note ?? '', /one level only/);
});
