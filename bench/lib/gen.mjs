// Seeded synthetic data for the benches (no dependency on the engine's RNG, so the data never change with it).

/** mulberry32: a small seeded uniform [0, 1) generator. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal by Box-Muller over `u`. */
export function normal(u) {
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

const ROWS = 'ABCDEFGHIJKLMNOP';
/** Row names of a 1,536-well block: A–Z, then AA–AF. */
const ROWS_1536 = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ', ...'ABCDEF'.split('').map((c) => `A${c}`)];
/** Writes a tidy CSV of `wells` rows to `write(chunk)`: sample,target,well,cq; reference + two targets, triplicates.
 * `positions`: 'unique' gives plate-prefixed well ids (`P0001-A1`, one 384-well plate per 384 rows, no duplicate
 * positions in the file); 'plate' gives bare `A1` positions repeating every 384 rows (a concatenation of plates);
 * 'plate1536' gives bare positions A1–AF48 of a 1,536-well block (QuantStudio 12K Flex layout), repeating every 1,536.
 * `decimals`: of each Cq (3: about 17,000 distinct texts in 1M wells; 8, as BioMark, QuantStudio Design & Analysis
 * or CFX Maestro write them: about one text per well). */
export function tidyCsv(wells, write, { seed = 1, positions = 'unique', decimals = 3 } = {}) {
  const u = mulberry32(seed);
  const z = normal(u);
  const targets = ['RNU6B', 'miR-21-5p', 'miR-122-5p'];
  const base = [22, 26, 29];
  let buf = 'sample,target,well,cq\n';
  let n = 0, s = 0;
  while (n < wells) {
    const sample = `S${String(s + 1).padStart(6, '0')}`;
    const shift = z() * 1.5;
    for (let t = 0; t < 3 && n < wells; t++) {
      const mean = base[t] + shift + (t ? z() * 0.8 : 0);
      for (let r = 0; r < 3 && n < wells; r++, n++) {
        const big = positions === 'plate1536';
        const slot = n % (big ? 1536 : 384);
        const pos = big ? `${ROWS_1536[slot % 32]}${Math.floor(slot / 32) + 1}` : `${ROWS[slot % 16]}${Math.floor(slot / 16) + 1}`;
        const well = positions === 'unique' ? `P${String(Math.floor(n / 384) + 1).padStart(4, '0')}-${pos}` : pos;
        const x = u();
        const cq = x < 0.01 ? 'Undetermined' : (mean + z() * 0.15).toFixed(decimals);
        buf += `${sample},${targets[t]},${well},${cq}\n`;
      }
    }
    s++;
    if (buf.length > 1 << 20) { write(buf); buf = ''; }
  }
  if (buf) write(buf);
}
