/**
 * The plate editor's replicate groups (webview/plate/plateModel.ts `groupReplicates`, over the state the host sends)
 * and QC's (`runQc`'s replicate-sd and few-replicates findings) are the same groups with the same SDs, on every
 * plate file under test/fixtures. QC runs with thresholds that report every group (SD above -1, fewer than 10^6
 * replicates), so every group with two or more usable wells is compared, not only the flagged ones. And the plate
 * host's outlier screening finds the outliers the expression pipeline excludes.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../helpers';
import { importPlate } from '../../../src/engine/plate';
import type { Plate, QcSettings } from '../../../src/engine/plate/model';
import { runQc } from '../../../src/engine/qc';
import { toPlateState } from '../../../src/host/plateEditor/plateView';
import { decodePlateState } from '../../../src/shared/plateWells';
import { groupReplicates } from '../../../webview/plate/plateModel';
import { findReplicateOutliers } from '../../../src/host/plateAnalysis';
import { computeExpression } from '../../../src/engine/expression';

const EVERY_GROUP: QcSettings = { maxCq: 35, replicateSd: -1, ntcMinCq: 35, minReplicates: 1e6 };

function plateFiles(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (!/\.(md|json|qstudy|html)$/i.test(e.name)) out.push(p);
    }
  };
  walk(path.join(repoRoot, 'test', 'fixtures'));
  return out.sort();
}

/** Every fixture file that imports as a plate, imported once for both tests (neither changes a plate). */
let imported: { file: string; plate: Plate }[] | undefined;
function fixturePlates(): { file: string; plate: Plate }[] {
  imported ??= plateFiles().flatMap((file) => {
    const { plate } = importPlate(new Uint8Array(fs.readFileSync(file)), path.basename(file));
    return plate ? [{ file, plate }] : [];
  });
  return imported;
}

/** QC's groups as `sample / target` → `SD|wells` (replicate-sd) and `k of size` (few-replicates). */
function qcGroups(plate: Plate): { sd: Map<string, string>; few: Map<string, string> } {
  const sd = new Map<string, string>(), few = new Map<string, string>();
  for (const d of runQc(plate, EVERY_GROUP)) {
    if (d.code === 'replicate-sd') {
      const m = /^Replicates of (.*) \(([^()]*)\) have SD (\S+) > /.exec(d.message);
      assert.ok(m, d.message);
      sd.set(m[1], `${m[3]}|${m[2]}`);
    } else if (d.code === 'few-replicates') {
      const m = /^(.*): only (\d+ of \d+) replicates have a Cq/.exec(d.message);
      assert.ok(m, d.message);
      assert.ok(!few.has(m[1]), `${plate.file}: two few-replicates findings for ${m[1]}`);
      few.set(m[1], m[2]);
    }
  }
  return { sd, few };
}

/** The editor's groups in the same terms (only groups QC can report: two or more wells that are not omitted). */
function editorGroups(plate: Plate): { sd: Map<string, string>; few: Map<string, string> } {
  const state = decodePlateState(toPlateState(plate, [], { fileName: plate.file, version: 1, readonly: false, qc: { replicateSd: -1, maxCq: 35 } }));
  const sd = new Map<string, string>(), few = new Map<string, string>();
  for (const g of groupReplicates(state.wells, EVERY_GROUP.replicateSd)) {
    const key = `${g.sample} / ${g.target}`;
    assert.ok(!few.has(key) && !sd.has(key), `${plate.file}: two editor groups for ${key}`);
    const counted = g.wells.map((i) => state.wells[i]).filter((w) => !w.omitted && w.cq !== null);
    if (g.sd !== null) sd.set(key, `${g.sd.toFixed(3)}|${counted.map((w) => w.position ?? `line ${w.line + 1}`).join(', ')}`);
    const present = g.wells.length - g.omitted;
    if (present >= 2) few.set(key, `${g.used} of ${present}`);
  }
  return { sd, few };
}

test('the plate editor\'s replicate groups and SDs equal QC\'s on every fixture plate', () => {
  let plates = 0, groups = 0;
  const differences: string[] = [];
  const compare = (rel: string, what: string, editor: Map<string, string>, qc: Map<string, string>) => {
    for (const [k, v] of editor) if (qc.get(k) !== v) differences.push(`${rel}: ${what} of ${k}: editor ${v}, QC ${qc.get(k) ?? 'none'}`);
    for (const [k, v] of qc) if (!editor.has(k)) differences.push(`${rel}: ${what} of ${k}: editor none, QC ${v}`);
  };
  for (const { file, plate } of fixturePlates()) {
    plates++;
    const rel = path.relative(repoRoot, file);
    const qc = qcGroups(plate), editor = editorGroups(plate);
    compare(rel, 'SD', editor.sd, qc.sd);
    compare(rel, 'count', editor.few, qc.few);
    groups += qc.few.size;
  }
  assert.deepEqual(differences, []);
  assert.ok(plates >= 30, `only ${plates} fixture plates`);
  assert.ok(groups >= 100, `only ${groups} replicate groups compared`);
});

test('the plate host screens the replicate outliers the expression pipeline excludes, on every fixture plate', () => {
  let compared = 0;
  for (const { file, plate } of fixturePlates()) {
    const sampleTargets = [...new Set(plate.wells.filter((w) => w.task === 'unknown' || w.task === 'reference').map((w) => w.target))];
    if (!sampleTargets.length) continue;
    for (const outliers of [{ method: 'grubbs' as const, alpha: 0.05 }, { method: 'distance' as const, distance: 0.3 }]) {
      const host = findReplicateOutliers(plate, outliers, 35).wells.map((o) => `${plate.wells[o.well].line}:${o.reason}`);
      const expr = computeExpression([plate], {
        references: [sampleTargets[0]], nondetect: { policy: 'max-cq' }, outliers, qc: { maxCq: 35, replicateSd: 0.5, ntcMinCq: 35, minReplicates: 2 },
      });
      const excluded = expr.exclusions.filter((e) => e.reason !== 'omitted by the instrument').map((e) => `${e.line}:${e.reason}`);
      assert.deepEqual(host.sort(), excluded.sort(), `${path.relative(repoRoot, file)} ${outliers.method}`);
      compared += host.length;
    }
  }
  assert.ok(compared >= 5, `only ${compared} outliers compared`);
});
