// Worker for bench (a)/(b): one mode per process so the peak RSS (peakRssMB: VmHWM) belongs to that mode alone.
//   node bench/parts/import.mjs <file> papa|engine|engine-bytes|engine-stream [stages=import,qc,expr]
// Prints one JSON line per finished stage ({ stage, ms, maxRssMB, ... }) so a parent that kills a slow stage
// still has the earlier ones, then { stage: 'done' }.
import { createReadStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadPart } from '../lib/build.mjs';
import { peakRssMB } from '../lib/util.mjs';

const [file, mode, stagesArg = 'import,qc,expr'] = process.argv.slice(2);
const stages = new Set(stagesArg.split(','));
const require = createRequire(import.meta.url);
const mb = (b) => Math.round(b / 1048576);
const emit = (o) => console.log(JSON.stringify({ mode, ...o, maxRssMB: peakRssMB(), heapUsedMB: mb(process.memoryUsage().heapUsed) }));

if (mode === 'papa') {
  const Papa = require('papaparse');
  const text = readFileSync(file, 'utf8');
  const t0 = performance.now();
  const r = Papa.parse(text);
  emit({ stage: 'parse', ms: performance.now() - t0, rows: r.data.length });
} else {
  const { mod, error } = await loadPart('core');
  if (error) { console.log(JSON.stringify({ mode, stage: 'error', error })); process.exit(0); }
  const { importPlate, importPlateStream, runQc, computeExpression, DEFAULT_QC, wellSource } = mod;
  let data;
  try {
    data = mode === 'engine-stream' ? null : mode === 'engine-bytes' ? new Uint8Array(readFileSync(file)) : readFileSync(file, 'utf8');
  } catch (e) {
    console.log(JSON.stringify({ mode, stage: 'error', error: `read: ${e.message}` })); process.exit(0);
  }
  let t = performance.now();
  const lap = () => { const n = performance.now(); const d = n - t; t = n; return d; };
  let imp;
  try {
    // engine-stream: 1 MiB chunks from disk, never the whole text (src/engine/plate/stream.ts).
    imp = mode === 'engine-stream' ? await importPlateStream(createReadStream(file, { highWaterMark: 1 << 20 }), 'bench.csv') : importPlate(data, 'bench.csv');
  } catch (e) {
    console.log(JSON.stringify({ mode, stage: 'error', error: `importPlate threw: ${e.message}` })); process.exit(0);
  }
  if (!imp.plate) { console.log(JSON.stringify({ mode, stage: 'error', error: `import failed: ${imp.diagnostics[0]?.message}` })); process.exit(0); }
  // The count from the plate's well source: reading plate.wells would make a view per well (plate/wellSource.ts).
  emit({ stage: 'import', ms: lap(), wells: wellSource(imp.plate).length, diagnostics: imp.diagnostics.length });
  if (stages.has('qc')) {
    const qc = runQc(imp.plate, DEFAULT_QC, typeof data === 'string' ? data : undefined);
    emit({ stage: 'qc', ms: lap(), diagnostics: qc.length });
  }
  if (stages.has('expr')) {
    const ex = computeExpression([imp.plate], {
      references: ['RNU6B'], qc: DEFAULT_QC, nondetect: { policy: 'exclude' }, outliers: { method: 'none' },
    });
    // The row count from the result's table: reading ex.samples would make the row objects, which the study runner
    // does not (it pivots the table; expression/table.ts).
    emit({ stage: 'expr', ms: lap(), samples: ex.table.length, diagnostics: ex.diagnostics.length });
  }
}
console.log(JSON.stringify({ mode, stage: 'done' }));
