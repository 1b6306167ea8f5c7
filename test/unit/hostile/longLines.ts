/**
 * Hostile line shapes for the streamed import, made at test time: one 64 MB line, a 64 MB row of delimiters under
 * a header, three million one-character lines in one chunk, and a 30 MB cell of doubled quotes. Each once took many
 * seconds and gigabytes, or crashed (a string grown a character at a time, a line joined again for every chunk, a
 * million cells split for one column, half a million lines spread into one call, a replace with a part per `""`).
 *
 * Run as a script (`node longLines.js CASE`) it imports one case in a fresh process and prints
 * `{ codes, ms, peakRssMb, baseRssMb }`, so the memory bound is measured on a process of its own.
 */
const MiB = 1024 * 1024;

/** The cases: chunks of 1 MiB, as the CLI reads a file. */
export const LONG_LINE_CASES: Record<string, () => Buffer> = {
  'one-line-64m': () => filled('sample,target,well,cq,', 64 * MiB, 'x', ''),
  'delimiters-64m': () => filled('sample,target,well,cq\nS1,T,A1,20.5', 64 * MiB, ',', '\n'),
  'short-lines-3m': () => Buffer.from('x\n'.repeat(3_000_000)),
  'quotes-30m': () => filled('sample,target,well,cq\n', 30 * MiB, '"', '\n'),
};

/** `head`, then `n` copies of the one-byte `fill`, then `tail`: one buffer filled once (no concatenated copy). */
function filled(head: string, n: number, fill: string, tail: string): Buffer {
  const b = Buffer.alloc(head.length + n + tail.length, fill);
  b.write(head, 0, 'latin1');
  b.write(tail, head.length + n, 'latin1');
  return b;
}

function peakRssMb(): number {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when run as a script
    const m = /VmHWM:\s+(\d+) kB/.exec((require('node:fs') as typeof import('node:fs')).readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch { /* not Linux */ }
  return process.resourceUsage().maxRSS / 1024;
}

if (require.main === module) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when run as a script
  const { importPlateStream } = require('../../../src/engine/plate/stream') as typeof import('../../../src/engine/plate/stream');
  const bytes = LONG_LINE_CASES[process.argv[2]]();
  const chunks: Uint8Array[] = [];
  for (let o = 0; o < bytes.length; o += MiB) chunks.push(bytes.subarray(o, o + MiB));
  const base = peakRssMb();
  const t = performance.now();
  void importPlateStream(chunks, `${process.argv[2]}.csv`).then((r) => {
    const ms = performance.now() - t;
    process.stdout.write(JSON.stringify({ codes: r.diagnostics.map((d) => d.code), plate: r.plate !== null, ms, baseRssMb: base, peakRssMb: peakRssMb() }));
  });
}
