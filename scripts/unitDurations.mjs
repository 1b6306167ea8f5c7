// A reporter for node's test runner (used by scripts/testUnit.mjs): the seconds each test file's top-level tests
// took, as one JSON object keyed by the file's path. testUnit.mjs shares the files between its processes by these
// times, so that the processes end together.
export default async function* unitDurations(source) {
  const seconds = {};
  for await (const event of source) {
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.nesting === 0 && event.data.file) {
      seconds[event.data.file] = (seconds[event.data.file] ?? 0) + (event.data.details?.duration_ms ?? 0) / 1000;
    }
  }
  yield `${JSON.stringify(seconds)}\n`;
}
