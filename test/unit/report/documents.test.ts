import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeRasters, REPORT_DOCUMENTS, reportDocument, reportDocumentByFlag } from '../../../src/shared/report/documents';
import { documentWriter, writerIds } from '../../../src/engine/report/documents';
import { USAGE } from '../../../src/cli/main';

test('every listed document has a writer and every writer is listed', () => {
  assert.deepEqual([...writerIds()].sort(), REPORT_DOCUMENTS.map((d) => d.id).sort());
  for (const d of REPORT_DOCUMENTS) assert.equal(typeof documentWriter(d.id), 'function');
  assert.throws(() => documentWriter('no-such-document'), /no writer/);
});

test('ids, flags and files are unique; the CLI usage names every flag', () => {
  for (const key of ['id', 'cliFlag', 'file'] as const) {
    const values = REPORT_DOCUMENTS.map((d) => d[key]);
    assert.equal(new Set(values).size, values.length, key);
  }
  for (const d of REPORT_DOCUMENTS) {
    assert.match(d.cliFlag, /^--[a-z][a-z-]*$/);
    assert.equal(reportDocument(d.id), d);
    assert.equal(reportDocumentByFlag(d.cliFlag), d);
    assert.ok(USAGE.includes(d.cliFlag) && USAGE.includes(`DIR/${d.file}`), d.cliFlag);
  }
  assert.equal(reportDocument('../etc'), undefined);
});

test('decodeRasters: PNG data URLs become bytes; anything else from the webview is dropped', () => {
  const out = decodeRasters({ 'a/km': `data:image/png;base64,${btoa('\x89PNG')}`, 'b/x': 'data:text/html;base64,PHA+', 'c/y': 42 as unknown as string });
  assert.deepEqual(Object.keys(out), ['a/km']);
  assert.deepEqual([...out['a/km']], [0x89, 0x50, 0x4e, 0x47]);
});
