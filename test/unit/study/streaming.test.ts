/** The runner streams plates over 50 MB when the StudyIO can (size + readStream), with the same report as reading them. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { runStudy } from '../../../src/engine/study/runner';
import { STREAM_PLATE_BYTES, type StudyIO } from '../../../src/engine/study/runnerData';
import { DIR, STUDY, memIO, plate } from './memIO';

const SUBJECTS = Array.from({ length: 30 }, (_, i) => `P${String(i + 1).padStart(2, '0')}`);
const files: Record<string, string> = {
  [`${DIR}/plates/p1.csv`]: plate(SUBJECTS),
  [`${DIR}/clinical.csv`]: ['patient,age', ...SUBJECTS.map((s, i) => `${s},${40 + i}`)].join('\n') + '\n',
};
const text = ['study "stream"', 'plates "plates/*.csv"', 'clinical "clinical.csv" key patient', 'samples "{patient}-{timepoint}"',
  'reference cel-miR-39', 'paired: compare miR-122@post vs miR-122@pre paired', 'corr: correlate miR-122@pre with age'].join('\n') + '\n';

test('a plate reported as larger than 50 MB is imported from readStream, not readFile; same report', async () => {
  const plain = await runStudy(text, STUDY, memIO(files));
  const streamedPaths: string[] = [];
  const io: StudyIO & { reads: string[] } = {
    ...memIO(files),
    size: async (p) => (p.endsWith('.csv') && p.includes('/plates/') ? STREAM_PLATE_BYTES + 1 : 10),
    readStream: (p) => {
      streamedPaths.push(p);
      const bytes = new TextEncoder().encode(files[p]);
      return (async function* () { for (let i = 0; i < bytes.length; i += 333) yield bytes.subarray(i, i + 333); })();
    },
  };
  const streamed = await runStudy(text, STUDY, io);
  assert.deepEqual(streamedPaths, [`${DIR}/plates/p1.csv`]);
  assert.ok(!io.reads.includes(`${DIR}/plates/p1.csv`), 'the large plate is not read whole');
  assert.ok(plain.report && streamed.report);
  const strip = (r: typeof plain.report) => JSON.stringify({ ...r, generated: undefined });
  assert.equal(strip(streamed.report), strip(plain.report));
});

test('a streamed plate outside an untrusted workspace is refused before it is opened', async () => {
  let opened = false;
  const io: StudyIO = {
    ...memIO(files),
    isAllowed: (p) => !p.includes('/plates/'),
    size: async () => STREAM_PLATE_BYTES + 1,
    readStream: () => { opened = true; return (async function* () { /* nothing */ })(); },
  };
  const out = await runStudy(text, STUDY, io);
  assert.equal(out.report, null);
  assert.ok(out.diagnostics.some((d) => d.code === 'study-file-not-allowed'));
  assert.equal(opened, false);
});
