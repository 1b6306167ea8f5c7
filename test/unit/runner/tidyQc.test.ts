import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { tidyQc } from '../../../src/engine/study/runner';

test('report QC entries: relative to the study folder, one per finding', () => {
  const q = (file: string, line: number, message = 'Replicates of P01 / miR-122 have SD 0.9') => ({ code: 'replicate-sd', message, file, line, severity: 'warning' });
  const out = tidyQc([q('/w/ex/plates/a.txt', 6), q('/w/ex/plates/a.txt', 7), q('/w/ex/plates/a.txt', 8, 'other group'), q('/elsewhere/b.txt', 3)], '/w/ex/study.qstudy');
  assert.deepEqual(out.map((e) => [e.file, e.line, e.message]), [
    ['plates/a.txt', 6, 'Replicates of P01 / miR-122 have SD 0.9'],
    ['plates/a.txt', 8, 'other group'],
    ['/elsewhere/b.txt', 3, 'Replicates of P01 / miR-122 have SD 0.9'],
  ]);
});
