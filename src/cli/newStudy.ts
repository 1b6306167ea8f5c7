/**
 * `qpcr-studio new PLATES... [--clinical FILE] [--samples FILE] [--dir DIR] [--title TEXT] > study.qstudy`: the
 * study scaffold of "New Study from Plates" (src/engine/scaffold) on stdout. PLATES are files or folders (their Cq
 * exports, three levels deep); the paths written are relative to DIR (default: the current folder), where the study
 * is meant to be saved. Exit 0, 1 when no study can be written (no plate recognised), 2 on usage errors.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { importPlate } from '../engine/plate';
import { scaffoldStudy, type ScaffoldInput, type ScaffoldPlate } from '../engine/scaffold/scaffold';
import type { CliIO } from './main';

const PLATE_EXT = /\.(csv|txt|tsv|rdml|xml)$/i;

function platesIn(p: string, depth = 0): string[] {
  if (!fs.statSync(p).isDirectory()) return [p];
  if (depth > 3) return [];
  return fs.readdirSync(p).sort().filter((n) => !n.startsWith('.')).flatMap((n) => {
    const f = path.join(p, n);
    return fs.statSync(f).isDirectory() ? platesIn(f, depth + 1) : PLATE_EXT.test(n) ? [f] : [];
  });
}

interface NewArgs { inputs: string[]; clinical?: string; samples?: string; dir: string; title?: string }

function parseArgs(args: string[]): NewArgs | string {
  const o: NewArgs = { inputs: [], dir: '.' };
  const value = (i: number, flag: string) => (args[i] === undefined || args[i].startsWith('-') ? `${flag} needs a value.` : null);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const flag = ({ '--clinical': 'clinical', '--samples': 'samples', '--dir': 'dir', '--title': 'title' } as const)[a as '--dir'];
    if (flag) {
      const bad = value(i + 1, a);
      if (bad) return bad;
      o[flag] = args[++i];
    } else if (a.startsWith('-')) return `unknown option "${a}".`;
    else o.inputs.push(a);
  }
  return o.inputs.length ? o : 'give plate files or folders.';
}

export async function newCommand(args: string[], io: CliIO): Promise<number> {
  const o = parseArgs(args);
  if (typeof o === 'string') { io.err(`qpcr-studio new: ${o}`); return 2; }
  const dir = path.resolve(o.dir);
  const rel = (f: string) => path.relative(dir, path.resolve(f)).split(path.sep).join('/');
  const read = async (f: string) => io.study.readFile(path.resolve(f));
  try {
    const files = o.inputs.flatMap((p) => platesIn(path.resolve(p)));
    const plates: ScaffoldPlate[] = [];
    for (const f of files) {
      const { plate } = importPlate(await read(f), path.basename(f));
      if (plate && plate.wells.length) plates.push({ path: rel(f), plate });
      else if (o.inputs.includes(f)) io.err(`qpcr-studio new: ${f} is not a Cq export the importers recognise; left out.`);
    }
    // Each plate folder's files, so that a glob is written only when it matches exactly the plates found.
    const folderFiles: Record<string, string[]> = {};
    for (const d of new Set(plates.map((p) => path.posix.dirname(p.path)))) {
      const abs = path.resolve(dir, d);
      folderFiles[d === '.' ? '' : d] = fs.readdirSync(abs).filter((n) => fs.statSync(path.join(abs, n)).isFile()).map((n) => rel(path.join(abs, n)));
    }
    const input: ScaffoldInput = { plates, folderFiles, title: o.title ?? `Study of ${path.basename(dir)}` };
    if (o.clinical) input.clinical = { path: rel(o.clinical), data: await read(o.clinical) };
    if (o.samples) input.sampleSheet = { path: rel(o.samples), data: await read(o.samples) };
    io.out(scaffoldStudy(input).text.replace(/\n$/, ''));
    return 0;
  } catch (e) {
    io.err(`qpcr-studio new: ${(e as Error).message}`);
    return 1;
  }
}
