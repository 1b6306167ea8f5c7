/**
 * "qPCR: New Study from Plates…": the user picks plate files or a folder, then (optionally) a clinical table and a
 * sample sheet; the files are read through workspace.fs, the plates imported, and src/engine/scaffold writes the study
 * text, saved as a new file beside the data (never over an existing one: study.qstudy, study-2.qstudy, ...) and opened.
 * The command also takes a folder or file Uri (Explorer context menu) or `{ plates | folder, clinical, sampleSheet }`
 * (other extensions, tests); `clinical: null` / `sampleSheet: null` mean "none" without asking.
 */
import * as vscode from 'vscode';
import { importPlate } from '../engine/plate';
import type { Plate } from '../engine/plate/model';
import { MAX_PLATE_BYTES } from '../engine/study/inputs';
import { scaffoldStudy, type ScaffoldTable } from '../engine/scaffold/scaffold';

export interface NewStudyArgs { plates?: vscode.Uri[]; folder?: vscode.Uri; clinical?: vscode.Uri | null; sampleSheet?: vscode.Uri | null; title?: string }

const PLATE_EXT = /\.(csv|txt|tsv|rdml|xml)$/i;
const TABLE_EXT = /\.(csv|tsv|txt)$/i;
const MAX_DEPTH = 3;

const dirOf = (u: vscode.Uri) => vscode.Uri.joinPath(u, '..');
const baseName = (u: vscode.Uri) => u.path.slice(u.path.lastIndexOf('/') + 1);

/** `u` relative to the folder `base` ('/' separators), or null when it is not inside. */
export function relativeTo(base: vscode.Uri, u: vscode.Uri): string | null {
  const b = base.path.replace(/\/$/, '');
  return u.scheme === base.scheme && u.authority === base.authority && u.path.startsWith(b + '/') ? u.path.slice(b.length + 1) : null;
}

/** The deepest folder holding every one of `dirs` (same scheme and authority). */
function commonFolder(dirs: vscode.Uri[]): vscode.Uri {
  const parts = dirs.map((d) => d.path.replace(/\/$/, '').split('/'));
  let n = 0;
  while (parts.every((p) => n < p.length && p[n] === parts[0][n])) n++;
  return dirs[0].with({ path: parts[0].slice(0, n).join('/') || '/' });
}

async function listFiles(folder: vscode.Uri, depth = 0): Promise<vscode.Uri[]> {
  const out: vscode.Uri[] = [];
  for (const [name, type] of (await vscode.workspace.fs.readDirectory(folder)).sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const u = vscode.Uri.joinPath(folder, name);
    if (type & vscode.FileType.Directory) { if (depth < MAX_DEPTH && !name.startsWith('.')) out.push(...await listFiles(u, depth + 1)); } else if (type & vscode.FileType.File) out.push(u);
  }
  return out;
}

export async function newStudyFromPlates(arg?: unknown): Promise<void> {
  const args = await argsFrom(arg);
  if (!args) return;
  const candidates = args.folder ? (await listFiles(args.folder)).filter((u) => PLATE_EXT.test(u.path)) : args.plates ?? [];
  const plates: { uri: vscode.Uri; plate: Plate }[] = [];
  const others: vscode.Uri[] = [];
  const tooLarge: string[] = [];
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'qPCR: reading the plates' }, async (progress) => {
    for (const uri of candidates) {
      progress.report({ message: baseName(uri), increment: 100 / candidates.length });
      if ((await vscode.workspace.fs.stat(uri)).size > MAX_PLATE_BYTES) { tooLarge.push(baseName(uri)); continue; }
      const { plate } = importPlate(await vscode.workspace.fs.readFile(uri), baseName(uri));
      if (plate && plate.wells.length) plates.push({ uri, plate }); else others.push(uri);
    }
  });
  if (tooLarge.length) void vscode.window.showWarningMessage(`qPCR: left out (over ${MAX_PLATE_BYTES / 1024 / 1024} MB): ${tooLarge.join(', ')}. Add them to the plates line by hand.`);
  if (!plates.length) {
    void vscode.window.showErrorMessage(`qPCR: none of the ${candidates.length} file(s) is a Cq export the plate importers recognise.`);
    return;
  }
  const near = await tableCandidates(args.folder ? dirOf(args.folder) : dirOf(plates[0].uri), others);
  const clinical = args.clinical !== undefined ? args.clinical : await pickTable('clinical table (one row per patient or subject)', near, /clinic|patient|subject/i);
  if (clinical === undefined) return;
  const sampleSheet = args.sampleSheet !== undefined ? args.sampleSheet : await pickTable('sample sheet (sample name → patient, group, ...)', near.filter((u) => u.toString() !== clinical?.toString()), /sample|sheet|layout|design/i);
  if (sampleSheet === undefined) return;
  await writeStudy(args, plates, clinical, sampleSheet);
}

/** The study folder (the deepest holding the plates' folders and the tables), the text, and a new file. */
async function writeStudy(args: NewStudyArgs, plates: { uri: vscode.Uri; plate: Plate }[], clinical: vscode.Uri | null, sampleSheet: vscode.Uri | null): Promise<void> {
  const tables = [clinical, sampleSheet].filter((u): u is vscode.Uri => u !== null);
  const base = commonFolder([...plates.map((p) => dirOf(p.uri)), ...tables.map(dirOf)]);
  const rel = (u: vscode.Uri) => relativeTo(base, u) ?? u.path;
  const table = async (u: vscode.Uri | null): Promise<ScaffoldTable | undefined> => (u ? { path: rel(u), data: await vscode.workspace.fs.readFile(u) } : undefined);
  const folderFiles: Record<string, string[]> = {};
  for (const dir of new Set(plates.map((p) => dirOf(p.uri).toString()))) {
    const d = vscode.Uri.parse(dir);
    const entries = await vscode.workspace.fs.readDirectory(d);
    folderFiles[relativeTo(base, d) ?? ''] = entries.filter(([, t]) => t & vscode.FileType.File).map(([n]) => rel(vscode.Uri.joinPath(d, n)));
  }
  let text: string;
  try {
    const [c, s] = [await table(clinical), await table(sampleSheet)];
    text = scaffoldStudy({ plates: plates.map((p) => ({ path: rel(p.uri), plate: p.plate })), folderFiles, title: args.title ?? `Study of ${baseName(base)}`, ...(c ? { clinical: c } : {}), ...(s ? { sampleSheet: s } : {}) }).text;
  } catch (e) {
    void vscode.window.showErrorMessage(`qPCR: no study could be written: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  const target = await freeName(base);
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  await vscode.window.showTextDocument(target);
  void vscode.window.showInformationMessage(`qPCR: wrote ${baseName(target)} from ${plates.length} plate file(s). Check the inferred lines (see the comments), then run it.`);
}

/** study.qstudy in `base`, or study-2.qstudy, ...: the first name no file has. */
async function freeName(base: vscode.Uri): Promise<vscode.Uri> {
  for (let k = 1; ; k++) {
    const u = vscode.Uri.joinPath(base, k === 1 ? 'study.qstudy' : `study-${k}.qstudy`);
    try { await vscode.workspace.fs.stat(u); } catch { return u; }
  }
}

/** The command's argument, or the user's choice of a folder or plate files; undefined when cancelled. */
async function argsFrom(arg: unknown): Promise<NewStudyArgs | undefined> {
  if (arg instanceof vscode.Uri) {
    const stat = await vscode.workspace.fs.stat(arg);
    return stat.type & vscode.FileType.Directory ? { folder: arg } : { plates: [arg] };
  }
  if (arg && typeof arg === 'object' && ('plates' in arg || 'folder' in arg)) return arg as NewStudyArgs;
  const folder = { label: '$(folder) A folder of plate files', folder: true };
  const files = { label: '$(files) Plate files…', folder: false };
  const how = await vscode.window.showQuickPick([folder, files], { title: 'qPCR: New Study from Plates', placeHolder: 'Where are the Cq exports?' });
  if (!how) return undefined;
  const picked = await vscode.window.showOpenDialog(how.folder
    ? { canSelectFolders: true, canSelectFiles: false, openLabel: 'Use this folder\'s plates' }
    : { canSelectMany: true, openLabel: 'Use these plates', filters: { 'Cq exports': ['csv', 'txt', 'tsv', 'rdml', 'xml'], 'All files': ['*'] } });
  if (!picked?.length) return undefined;
  return how.folder ? { folder: picked[0] } : { plates: picked };
}

/** Tables beside the plates: the non-plate files found among them and the csv/tsv/txt files of `dir`. */
async function tableCandidates(dir: vscode.Uri, others: vscode.Uri[]): Promise<vscode.Uri[]> {
  let here: vscode.Uri[] = [];
  try {
    here = (await vscode.workspace.fs.readDirectory(dir)).filter(([n, t]) => t & vscode.FileType.File && TABLE_EXT.test(n)).map(([n]) => vscode.Uri.joinPath(dir, n));
  } catch { /* an unreadable folder: offer only the other files */ }
  const seen = new Set<string>();
  return [...others.filter((u) => TABLE_EXT.test(u.path)), ...here].filter((u) => !seen.has(u.toString()) && seen.add(u.toString()));
}

/** A table from the candidates (likely ones first), another file, or none (null); undefined when cancelled. */
async function pickTable(what: string, candidates: vscode.Uri[], likely: RegExp): Promise<vscode.Uri | null | undefined> {
  type Item = vscode.QuickPickItem & { uri?: vscode.Uri; browse?: boolean };
  const sorted = [...candidates].sort((a, b) => Number(likely.test(baseName(b))) - Number(likely.test(baseName(a))));
  const items: Item[] = [
    ...sorted.map((uri) => ({ label: baseName(uri), description: vscode.workspace.asRelativePath(uri), uri })),
    { label: '$(file) Choose a file…', browse: true },
    { label: `No ${what.replace(/ \(.*/, '')}` },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: `qPCR: New Study from Plates — ${what}`, placeHolder: `Pick the ${what}, or none` });
  if (!pick) return undefined;
  if (pick.browse) {
    const f = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: `Use as ${what.replace(/ \(.*/, '')}`, filters: { Tables: ['csv', 'tsv', 'txt'] } });
    return f?.[0] ?? undefined;
  }
  return pick.uri ?? null;
}
