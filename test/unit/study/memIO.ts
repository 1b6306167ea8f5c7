/** In-memory study files for runner tests: a StudyIO over a map path → text, and a small tidy plate generator. */
import { resolvePath, type StudyIO } from '../../../src/engine/study/runnerData';
import { compileGlob } from '../../../src/engine/common/glob';

export const DIR = '/proj';
export const STUDY = `${DIR}/study.qstudy`;

export interface MemOptions { isAllowed?: (p: string) => boolean; glob?: StudyIO['glob'] }

/** StudyIO over a map path → text; globs with the engine's matcher (`*` and `?` within one folder, as the CLI's). */
export function memIO(files: Record<string, string>, o: MemOptions = {}): StudyIO & { reads: string[] } {
  const reads: string[] = [];
  const io: StudyIO & { reads: string[] } = {
    reads,
    async readFile(p) {
      reads.push(p);
      if (!(p in files)) throw new Error(`ENOENT: no such file or directory, open '${p}'`);
      return new TextEncoder().encode(files[p]);
    },
    glob: o.glob ?? (async (pattern, base) => {
      const m = compileGlob(resolvePath(base, pattern), { sets: true, separators: '/' });
      return Object.keys(files).filter((f) => m.test(f)).sort();
    }),
  };
  if (o.isAllowed) io.isAllowed = o.isAllowed;
  return io;
}

/** A tidy plate: per subject and timepoint, two replicates of the reference and of miR-122. */
export function plate(subjects: string[], timepoints = ['pre', 'post'], sample = (s: string, t: string) => `${s}-${t}`): string {
  const rows = ['sample,target,cq,well,task'];
  let w = 0;
  const well = () => { const k = w++; return `${'ABCDEFGHIJKLMNOP'[Math.floor(k / 24)]}${(k % 24) + 1}`; };
  subjects.forEach((s, i) => timepoints.forEach((t, j) => {
    const ref = 24 + (i % 3) * 0.3 + j * 0.1;
    const mir = 27 + ((i * 7) % 5) * 0.4 - j * 0.8;
    for (const [target, cq] of [['cel-miR-39', ref], ['miR-122', mir]] as const) {
      rows.push(`${sample(s, t)},${target},${cq.toFixed(2)},${well()},unknown`);
      rows.push(`${sample(s, t)},${target},${(cq + 0.05).toFixed(2)},${well()},unknown`);
    }
  }));
  return rows.join('\n') + '\n';
}
