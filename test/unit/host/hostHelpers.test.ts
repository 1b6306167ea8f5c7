/** Host helpers that do not need VS Code: queue, debouncer, disposables, HTML/CSP, plate projection, study inputs. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { SerialQueue } from '../../../src/host/serialQueue';
import { KeyedDebouncer } from '../../../src/host/debounce';
import { Disposable, disposeAll } from '../../../src/host/dispose';
import { contentSecurityPolicy, escapeHtml, makeNonce } from '../../../src/host/htmlUtil';
import { importFailureDetails, toPlateState } from '../../../src/host/plateEditor/plateView';
import { decodePlateState } from '../../../src/shared/plateWells';
import type { Plate } from '../../../src/engine/plate/model';
import { importPlate } from '../../../src/engine/plate';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../helpers';

test('SerialQueue runs jobs one at a time in order, and a failure does not block the next', async () => {
  const q = new SerialQueue();
  const log: string[] = [];
  const job = (name: string, ms: number) => () => new Promise<string>((r) => { log.push(`start ${name}`); setTimeout(() => { log.push(`end ${name}`); r(name); }, ms); });
  const a = q.run(job('a', 20));
  const b = q.run(() => { throw new Error('boom'); });
  const c = q.run(job('c', 1));
  assert.equal(await a, 'a');
  await assert.rejects(b, /boom/);
  assert.equal(await c, 'c');
  assert.deepEqual(log, ['start a', 'end a', 'start c', 'end c']);
});

test('KeyedDebouncer fires once per key after the last call', async () => {
  const d = new KeyedDebouncer(15);
  const fired: string[] = [];
  d.schedule('x', () => fired.push('x1'));
  d.schedule('x', () => fired.push('x2'));
  d.schedule('y', () => fired.push('y'));
  assert.ok(d.pending('x'));
  d.cancel('y');
  await new Promise((r) => setTimeout(r, 40));
  assert.deepEqual(fired, ['x2']);
  assert.equal(d.pending('x'), false);
  d.dispose();
});

test('Disposable disposes children once, in reverse order; late registrations are disposed at once', () => {
  const log: string[] = [];
  class Owner extends Disposable {
    add(n: string) { return this._register({ dispose: () => log.push(n) }); }
  }
  const o = new Owner();
  o.add('a');
  o.add('b');
  o.dispose();
  o.dispose();
  assert.deepEqual(log, ['b', 'a']);
  o.add('late');
  assert.deepEqual(log, ['b', 'a', 'late']);
  const items = [{ dispose: () => { throw new Error('first'); } }, { dispose: () => log.push('still') }];
  assert.throws(() => disposeAll(items), /first/);
  assert.equal(log.at(-1), 'still');
});

test('CSP is strict and the nonce is random base64', () => {
  const csp = contentSecurityPolicy('https://x.vscode-cdn.net', 'abc');
  assert.equal(csp, "default-src 'none'; img-src https://x.vscode-cdn.net data:; style-src https://x.vscode-cdn.net; font-src https://x.vscode-cdn.net; script-src 'nonce-abc';");
  assert.ok(!csp.includes('unsafe'));
  const n1 = makeNonce();
  assert.match(n1, /^[A-Za-z0-9+/]{22}==$/);
  assert.notEqual(n1, makeNonce());
  assert.equal(escapeHtml(`<script>"x" & 'y'</script>`), '&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;');
});

const plate: Plate = {
  file: 'run.txt', format: 'quantstudio', rows: 8, cols: 12, meta: {},
  conventions: { delimiter: '\t', decimal: '.', lineEnding: '\r\n', bom: false },
  wells: [
    { index: 0, position: 'A1', row: 0, col: 0, sample: 'S1', target: 'miR-21', task: 'unknown', cq: 24.1, cqText: '24.1', omitted: false, flags: [], line: 10, ranges: {} },
    { index: 1, position: 'A2', row: 0, col: 1, sample: 'S1', target: 'miR-21', task: 'unknown', cq: null, noCq: 'undetermined', cqText: 'Undetermined', omitted: false, flags: ['NOAMP'], line: 11, ranges: {} },
  ],
};

test('toPlateState projects wells and attaches findings to the wells on their lines', () => {
  const s = decodePlateState(toPlateState(plate, [
    { code: 'qc-replicate-sd', severity: 'warning', message: 'SD', range: { start: { line: 10, character: 0 }, end: { line: 12, character: 0 } } },
    { code: 'cq-undetermined', severity: 'info', message: 'no Cq', range: { start: { line: 11, character: 5 }, end: { line: 11, character: 17 } } },
    { code: 'meta', severity: 'hint', message: 'file-level', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } },
  ], { fileName: 'run.txt', version: 3, readonly: false, qc: { replicateSd: 0.5, maxCq: 35 } }));
  assert.equal(s.version, 3);
  assert.equal(s.wells.length, 2);
  assert.equal(s.wells[1].noCq, 'undetermined');
  assert.deepEqual(s.issues.map((i) => i.wells), [[0, 1], [1], []]);
  assert.deepEqual(s.conventions, plate.conventions);
  assert.equal(s.wells[0].canEditCq, false); // no cell ranges: nothing to edit
  assert.equal(s.wells[0].canOmit, false);
  assert.deepEqual(importFailureDetails([{ code: 'x', severity: 'error', message: 'bad', range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } } }]), ['line 3: bad [x]']);
});

test('toPlateState on a real SDS export (test/e2e/fixtures/ExperimentWithNTC.txt)', () => {
  const text = fs.readFileSync(path.join(repoRoot, 'test', 'e2e', 'fixtures', 'ExperimentWithNTC.txt'), 'utf8');
  const r = importPlate(text, 'ExperimentWithNTC.txt');
  assert.ok(r.plate, JSON.stringify(r.diagnostics));
  const s = decodePlateState(toPlateState(r.plate, r.diagnostics, { fileName: 'ExperimentWithNTC.txt', version: 1, readonly: false, qc: { replicateSd: 0.5, maxCq: 35 } }));
  assert.equal(s.wells.length, r.plate.wells.length);
  assert.ok(s.wells.length >= 21);
  assert.ok(s.wells.every((w) => w.canEditCq));
  assert.equal(s.wells[20].cq === null ? 'x' : s.wells[20].cqText, '45.032213');
  const ro = decodePlateState(toPlateState(r.plate, [], { fileName: 'x', version: 0, readonly: true, qc: { replicateSd: 0.5, maxCq: 35 } }));
  assert.ok(ro.wells.every((w) => !w.canEditCq && !w.canOmit));
});

test('toPlateState with maxWells (files over 50 MB): the first wells, their findings, whole-file QC counts', () => {
  const d = (line: number, severity: 'error' | 'warning' | 'info') => ({ code: 'c', severity, message: 'm', range: { start: { line, character: 0 }, end: { line, character: 1 } } });
  const diags = [d(10, 'warning'), d(11, 'info'), d(500, 'error'), d(501, 'warning')];
  const outliers = { method: 'grubbs' as const, alpha: 0.05, distance: 1, wells: [{ well: 0, reason: 'r0' }, { well: 1, reason: 'r1' }], ambiguous: [{ well: 1, message: 'a' }] };
  const full = toPlateState(plate, diags, { fileName: 'run.txt', version: 0, readonly: true, qc: { replicateSd: 0.5, maxCq: 35 }, maxWells: 2, outliers });
  assert.equal(full.truncated, undefined, 'no truncation when the plate has no more wells than maxWells');
  assert.equal(full.issues.length, 4);
  const cut = toPlateState(plate, diags, { fileName: 'run.txt', version: 0, readonly: true, qc: { replicateSd: 0.5, maxCq: 35 }, maxWells: 1, outliers, readonlyReason: 'too big' });
  assert.equal(decodePlateState(cut).wells.length, 1);
  assert.deepEqual(cut.truncated, { shown: 1, total: 2, issueCounts: { error: 1, warning: 2, info: 1 } });
  assert.deepEqual(cut.issues.map((i) => i.line), [10], 'only findings up to the last shown well line');
  assert.deepEqual(cut.outliers!.wells, [{ well: 0, reason: 'r0' }]);
  assert.deepEqual(cut.outliers!.ambiguous, []);
  assert.equal(cut.readonlyReason, 'too big');
});

test('isInFolders (untrusted workspaces): inside, the folder itself, siblings with a common prefix, .., other schemes', async () => {
  const { isInFolders } = await import('../../../src/host/study/studyInputs');
  const u = (p: string, scheme = 'file', authority = '') => ({ scheme, authority, path: p });
  const folders = [{ uri: u('/home/me/study') }, { uri: u('/data/', 'vscode-remote', 'ssh-remote+lab') }];
  assert.ok(isInFolders(u('/home/me/study'), folders));
  assert.ok(isInFolders(u('/home/me/study/plates/p1.csv'), folders));
  assert.ok(!isInFolders(u('/home/me/study2/p1.csv'), folders), 'a sibling sharing the prefix is outside');
  assert.ok(!isInFolders(u('/home/me/study/../secrets.csv'), folders), '.. is resolved first');
  assert.ok(!isInFolders(u('/etc/passwd'), folders));
  assert.ok(!isInFolders(u('/home/me/study/a.csv', 'untitled'), folders), 'another scheme');
  assert.ok(isInFolders(u('/data/x.csv', 'vscode-remote', 'ssh-remote+lab'), folders));
  assert.ok(!isInFolders(u('/data/x.csv', 'vscode-remote', 'ssh-remote+other'), folders), 'another authority');
  assert.ok(!isInFolders(u('/home/me/study/a.csv'), undefined), 'no workspace: nothing is inside');
  assert.ok(isInFolders(u('/anything'), [{ uri: u('/') }]), 'a workspace at / contains everything');
});

test('saveCaveats: bare-CR and mixed line ends, and a Windows-1252 file VS Code opened as UTF-8; none for clean files', async () => {
  const { saveCaveats } = await import('../../../src/host/plateEditor/plateView');
  const b = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
  assert.deepEqual(saveCaveats(b('a,b\r\nc,d\r\n'), 'a,b\r\nc,d\r\n'), []);
  assert.deepEqual(saveCaveats(b('a,b\nc,d'), 'a,b\nc,d'), []);
  const cr = saveCaveats(b('Experiment: x\rInclude\tPos\r'), 'Experiment: x\nInclude\tPos\n');
  assert.equal(cr.length, 1);
  assert.match(cr[0], /^Line ends: this file uses CR only \(as LightCycler 480 and SDS exports do\)\. .*saving here rewrites every line end/);
  assert.match(saveCaveats(b('a\r\nb\nc\r\n'), 'a\r\nb\r\nc\r\n')[0], /^Line ends: this file uses LF and CRLF\./);
  // "Cq für Probe" in Windows-1252 (ü = 0xFC); VS Code's UTF-8 decoding shows U+FFFD.
  const cp = new Uint8Array([...Buffer.from('sample,target,cq\nFr', 'latin1'), 0xfc, ...Buffer.from('h,miR-21,25\n', 'latin1')]);
  const enc = saveCaveats(cp, 'sample,target,cq\nFr\uFFFDh,miR-21,25\n');
  assert.equal(enc.length, 1);
  assert.match(enc[0], /^Encoding: this file is windows-1252, but VS Code opened it as UTF-8/);
  assert.deepEqual(saveCaveats(cp, 'sample,target,cq\nFrüh,miR-21,25\n'), [], 'reopened with the right encoding: no caveat');
  const utf16 = new Uint8Array([0xff, 0xfe, ...Buffer.from('a\r\nb\r\n', 'utf16le')]);
  assert.deepEqual(saveCaveats(utf16, 'a\r\nb\r\n'), [], 'UTF-16 with a BOM opens correctly (its zero bytes are not line ends)');
});
