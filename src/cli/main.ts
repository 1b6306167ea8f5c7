/**
 * qpcr-studio: the headless CLI on the study engine.
 *   qpcr-studio run STUDY.qstudy --out DIR   → DIR/report.json, DIR/report.html, DIR/methods.txt, DIR/steps.csv,
 *     DIR/report.rdml (and each optional document asked for by its flag, shared/report/documents.ts); exit 0
 *     (1 on study errors)
 *   qpcr-studio check STUDY.qstudy           → diagnostics only; exit 1 if any error
 *   qpcr-studio new PLATES... [--clinical F] → a commented study on stdout (./newStudy.ts)
 *   --quiet, --max-warnings N, --all, --help, --version; usage errors exit 2.
 * Diagnostics go to stderr, errors first, repeated findings of one code folded; every printed string has its control
 * characters escaped, so a name in a plate or table cannot drive the terminal.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatDiagnostic, type EngineDiagnostic } from '../engine/common/diagnostic';
import type { Report } from '../shared/report/types';
import { isErrorResult } from '../shared/report/types';
import { runStudy, type StudyIO } from '../engine/study/runner';
import { append } from '../shared/append';
import { fallbackReportHtml } from './fallbackHtml';
import { nodeStudyIO } from './nodeIO';
import { toCsv } from '../shared/report/format';
import { stepsTable } from '../shared/report/steps';
import { documentWriter } from '../engine/report/documents';
import { HOST_ZIP } from './nodeZip';
import { REPORT_DOCUMENTS, reportDocumentByFlag, type ReportDocumentInfo } from '../shared/report/documents';
import { newCommand } from './newStudy';
import { FOLD_AFTER, quickAnswer, USAGE } from './usage';

export { FOLD_AFTER, USAGE };
import { cliTerminal } from './thread';
import { escapeControls, internalErrorText } from './escape';

export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  study: StudyIO;
  /** Folder holding webview/results.js and webview/results.css (the folder of dist/cli.js). */
  assetDir: string;
  /** A run's progress (fraction 0–1 and the step), shown on a terminal; absent when stderr is not one. */
  progress?: (fraction: number, message: string) => void;
}

/**
 * Progress on one terminal line of stderr (`[ 45%] km_os: Kaplan–Meier`), redrawn at most every 100 ms and
 * erased when the run ends, so logs and pipes (not a TTY) never see it.
 */
export function terminalProgress(write: (s: string) => void, columns: number): (fraction: number, message: string) => void {
  let last = 0;
  return (fraction, message) => {
    const now = Date.now();
    if (fraction < 1 && now - last < 100) return;
    last = now;
    const line = `[${String(Math.round(fraction * 100)).padStart(3)}%] ${escapeControls(message)}`.slice(0, Math.max(10, columns - 1));
    write(fraction >= 1 ? '\r\x1b[K' : `\r\x1b[K${line}`);
  };
}

export function defaultCliIO(): CliIO {
  const terminal = cliTerminal();
  return {
    out: (l) => process.stdout.write(l + '\n'),
    err: (l) => process.stderr.write(l + '\n'),
    study: nodeStudyIO(),
    assetDir: __dirname,
    ...(terminal.stderrTty ? { progress: terminalProgress((t) => process.stderr.write(t), terminal.columns) } : {}),
  };
}

/** JSON with non-finite numbers as null (JSON has no NaN/Infinity). */
export function reportJson(report: Report): string {
  return JSON.stringify(report, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
}

const SEVERITY_ORDER: Record<string, number> = { error: 0, warning: 1, info: 2, hint: 3 };

export interface PrintOptions { quiet: boolean; all: boolean; reportPath?: string }

/**
 * Prints diagnostics on stderr: errors first, then warnings, then the rest (stable within a severity); with
 * `quiet` errors only. After FOLD_AFTER diagnostics of one code and severity the rest become one line
 * ("49 more like this [code]") unless `all`.
 */
function printDiagnostics(diags: EngineDiagnostic[], io: CliIO, studyPath: string, o: PrintOptions): void {
  const shown = diags
    .map((d, i) => ({ d, i }))
    .filter(({ d }) => !o.quiet || d.severity === 'error')
    .sort((a, b) => (SEVERITY_ORDER[a.d.severity] ?? 4) - (SEVERITY_ORDER[b.d.severity] ?? 4) || a.i - b.i)
    .map(({ d }) => d);
  const seen = new Map<string, number>();
  const folded: { severity: string; code: string }[] = [];
  const flush = (severity?: string) => {
    for (const f of folded.filter((x) => x.severity !== severity)) {
      const more = (seen.get(`${f.severity}|${f.code}`) ?? 0) - FOLD_AFTER;
      const where = o.reportPath ? `, see ${o.reportPath}` : ' (--all prints them)';
      io.err(escapeControls(`  … ${more} more like this [${f.code}]${where}`));
    }
    folded.splice(0, folded.length, ...folded.filter((x) => x.severity === severity));
  };
  for (const d of shown) {
    flush(d.severity);
    const key = `${d.severity}|${d.code}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    if (o.all || n <= FOLD_AFTER) io.err(escapeControls(formatDiagnostic(d, studyPath)));
    else if (n === FOLD_AFTER + 1) folded.push({ severity: d.severity, code: d.code });
  }
  flush();
}

/** Exit code for warnings over `--max-warnings` (as eslint: more than N is a failure). */
function tooManyWarnings(diags: EngineDiagnostic[], max: number | undefined, io: CliIO): boolean {
  const warnings = diags.filter((d) => d.severity === 'warning').length;
  if (max === undefined || warnings <= max) return false;
  io.err(`qpcr-studio: ${warnings} warning(s), more than --max-warnings ${max}.`);
  return true;
}

/** report.html: the results-panel renderer when its assets exist, else the table-only fallback. */
export async function reportHtml(report: Report, assetDir: string): Promise<{ html: string; fallback: boolean; reason?: string }> {
  const js = path.join(assetDir, 'webview', 'results.js');
  const css = path.join(assetDir, 'webview', 'results.css');
  let render: ((r: Report, o: { script: string; css: string }) => string) | undefined;
  try {
    // Loaded lazily so the CLI still works when the renderer module is absent from a build.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    render = (require('../engine/report/html') as { renderReportHtml?: typeof render }).renderReportHtml;
  } catch { render = undefined; }
  if (!render) return { html: fallbackReportHtml(report), fallback: true, reason: 'the report renderer (src/engine/report/html.ts) is not in this build' };
  if (!fs.existsSync(js)) return { html: fallbackReportHtml(report), fallback: true, reason: `${js} is missing (run node esbuild.mjs)` };
  const script = fs.readFileSync(js, 'utf8');
  const style = fs.existsSync(css) ? fs.readFileSync(css, 'utf8') : '';
  return { html: render(report, { script, css: style }), fallback: false };
}

export async function main(argv: string[], io: CliIO = defaultCliIO()): Promise<number> {
  const args = argv.slice();
  const quick = quickAnswer(args);
  if (quick !== null) { io.out(quick); return 0; }
  const cmd = args.shift();
  if (cmd === 'new') return newCommand(args, io);
  if (cmd !== 'run' && cmd !== 'check') {
    io.err(escapeControls(cmd === undefined ? 'qpcr-studio: no command given.' : `qpcr-studio: unknown command "${cmd}".`));
    io.err(USAGE);
    return 2;
  }
  const a = parseArgs(cmd, args, io);
  if (typeof a === 'number') return a;
  const studyPath = path.resolve(a.study);
  let text: string;
  try {
    text = new TextDecoder('utf-8').decode(await io.study.readFile(studyPath)).replace(/^\uFEFF/, '');
  } catch (e) {
    io.err(escapeControls(`qpcr-studio: cannot read ${a.study}: ${(e as Error).message}`));
    return 2;
  }
  return cmd === 'check' ? checkCommand(a, text, studyPath, io) : runCommand(a, text, studyPath, io);
}

/** `run` and `check`'s options and their one study file. */
interface StudyArgs {
  study: string;
  out?: string;
  maxWarnings?: number;
  documents: { doc: ReportDocumentInfo; option?: string }[];
  print: PrintOptions;
}

/** The options after `run` or `check`, or the exit code of a usage error (said on stderr with the usage). */
function parseArgs(cmd: 'run' | 'check', args: string[], io: CliIO): StudyArgs | number {
  const a: Omit<StudyArgs, 'study'> = { documents: [], print: { quiet: false, all: false } };
  const positional: string[] = [];
  const usage = (msg: string) => { io.err(escapeControls(msg)); io.err(USAGE); return 2; };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--out' || arg === '-o') {
      a.out = args[++i];
      if (a.out === undefined) return usage('qpcr-studio: --out needs a folder.');
    } else if (arg.startsWith('--out=')) a.out = arg.slice(6);
    else if (arg === '--quiet' || arg === '-q') a.print.quiet = true;
    else if (arg === '--all') a.print.all = true;
    else if (reportDocumentByFlag(arg)) {
      const d = reportDocumentByFlag(arg)!;
      const option = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : undefined;
      const at = a.documents.findIndex((x) => x.doc === d);
      if (at < 0) a.documents.push({ doc: d, option });
      else if (option !== undefined) a.documents[at].option = [a.documents[at].option, option].filter(Boolean).join(',');
    }
    else if (arg === '--max-warnings' || arg.startsWith('--max-warnings=')) {
      const v = arg === '--max-warnings' ? args[++i] : arg.slice('--max-warnings='.length);
      if (v === undefined || !/^\d+$/.test(v)) return usage(`qpcr-studio: --max-warnings needs a whole number >= 0${v === undefined ? '' : ` (got "${v}")`}.`);
      a.maxWarnings = Number(v);
    } else if (arg.startsWith('-')) return usage(`qpcr-studio: unknown option "${arg}".`);
    else positional.push(arg);
  }
  if (positional.length !== 1) {
    return usage(positional.length === 0 ? `qpcr-studio ${cmd}: give one .qstudy file.` : `qpcr-studio ${cmd}: one .qstudy file expected, got ${positional.length}.`);
  }
  if (cmd === 'run' && a.out === undefined) return usage('qpcr-studio run: --out DIR is required.');
  if (!/\.qstudy$/i.test(positional[0])) {
    // A plate or a clinical table given by mistake would be parsed as a study: dozens of meaningless errors.
    io.err(escapeControls(`qpcr-studio ${cmd}: ${positional[0]} is not a study (a .qstudy file); plates and clinical tables are named inside one.`));
    return 2;
  }
  return { ...a, study: positional[0] };
}

/** The diagnostics with the study's own file named as the user gave it. */
function relabelled(ds: EngineDiagnostic[], studyPath: string, shown: string): EngineDiagnostic[] {
  return ds.map((d) => (d.file === studyPath || d.file === undefined ? { ...d, file: shown } : d));
}

/** `check`: the same checks as a run, with the data (plates, clinical table) loaded, but no analysis. */
async function checkCommand(a: StudyArgs, text: string, studyPath: string, io: CliIO): Promise<number> {
  const shown = a.study;
  const ds = relabelled((await runStudy(text, studyPath, io.study, { checkOnly: true })).diagnostics, studyPath, shown);
  printDiagnostics(ds, io, shown, a.print);
  const errors = ds.filter((d) => d.severity === 'error').length;
  io.out(escapeControls(`${shown}: ${errors} error(s), ${ds.length - errors} other diagnostic(s).`));
  return errors || tooManyWarnings(ds, a.maxWarnings, io) ? 1 : 0;
}

/** `run`: runs the study and writes report.json, report.html, methods.txt, steps.csv and the documents asked for. */
async function runCommand(a: StudyArgs, text: string, studyPath: string, io: CliIO): Promise<number> {
  const shown = a.study;
  const documents = [...a.documents];
  for (const d of REPORT_DOCUMENTS as readonly ReportDocumentInfo[]) if (d.always && !documents.some((x) => x.doc === d)) documents.push({ doc: d });
  const { report, diagnostics, data } = await runStudy(text, studyPath, io.study, {
    keepData: documents.some((d) => d.doc.needsData), ...(io.progress ? { onProgress: io.progress } : {}),
  });
  io.progress?.(1, ''); // erase the progress line, whatever the run's end

  const ds = relabelled(diagnostics, studyPath, shown);
  const errors = ds.filter((d) => d.severity === 'error');
  if (!report) {
    printDiagnostics(errors.length ? errors : ds, io, shown, a.print);
    io.err(escapeControls(`qpcr-studio: ${shown}: the study did not run (${errors.length} error(s)).`));
    return 1;
  }
  const dir = path.resolve(a.out!);
  const jsonPath = path.join(dir, 'report.json');
  // Warnings and per-analysis errors go to stderr too; the run itself succeeded.
  printDiagnostics(ds.filter((d) => d.severity === 'error' || d.severity === 'warning'), io, shown, { ...a.print, reportPath: jsonPath });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(jsonPath, reportJson(report));
  const written = [jsonPath];
  const stepsPath = report.steps ? path.join(dir, 'steps.csv') : null;
  if (report.steps && stepsPath) fs.writeFileSync(stepsPath, toCsv(stepsTable(report.steps)));
  const methodsPath = report.methods?.paragraph ? path.join(dir, 'methods.txt') : null;
  if (methodsPath) fs.writeFileSync(methodsPath, report.methods!.paragraph + '\n');
  const documentPaths: string[] = [];
  for (const { doc, option } of documents) {
    let files;
    try {
      files = await documentWriter(doc.id)({ report, data, studyPath, ...(HOST_ZIP ? { zip: HOST_ZIP } : {}), ...(option !== undefined ? { option } : {}) });
    } catch (e) {
      io.err(escapeControls(`qpcr-studio: ${doc.cliFlag}: ${(e as Error).message}`));
      return 1;
    }
    append(documentPaths, writeDocumentFiles(doc, files, dir));
  }
  const htmlPath = path.join(dir, 'report.html');
  const html = await reportHtml(report, io.assetDir);
  fs.writeFileSync(htmlPath, html.html);
  written.push(htmlPath);
  if (methodsPath) written.push(methodsPath);
  if (stepsPath) written.push(stepsPath);
  printRunSummary(report, html.fallback ? html.reason ?? '' : null, [...written, ...documentPaths], io);
  return tooManyWarnings(ds, a.maxWarnings, io) ? 1 : 0;
}

/** Writes a document's files into `dir`; returns what to say was written (a multi-file document as its folder). */
function writeDocumentFiles(d: ReportDocumentInfo, files: readonly { file: string; bytes: Uint8Array }[], dir: string): string[] {
  const paths: string[] = [];
  for (const f of files) {
    const file = path.resolve(dir, f.file);
    if (!file.startsWith(dir + path.sep)) throw new Error(`document file outside the output folder: ${f.file}`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, f.bytes);
    if (!d.multiFile) paths.push(file);
  }
  if (d.multiFile) paths.push(`${path.join(dir, d.file)}${path.sep} (${files.length} files)`);
  return paths;
}

/** The run's summary on stdout: data counts, each analysis, the report.html fallback if any, the files written. */
function printRunSummary(report: Report, htmlFallback: string | null, written: string[], io: CliIO): void {
  const failed = report.results.filter(isErrorResult).length;
  const say = (line: string) => io.out(escapeControls(line));
  say(`${report.study}`);
  say(`  plates ${report.data.plates}, wells ${report.data.wells}, samples ${report.data.samples}, subjects ${report.data.subjects}, QC findings ${report.data.qc.length}`);
  say(`  analyses ${report.results.length}${failed ? ` (${failed} failed)` : ''}`);
  for (const r of report.results) say(`    ${isErrorResult(r) ? 'ERROR' : 'ok   '} ${r.name} (${r.kind}, ${r.cohort}, n = ${r.n})${isErrorResult(r) ? `: ${r.error}` : ''}`);
  if (htmlFallback !== null) say(`  note: report.html is the table-only fallback: ${htmlFallback}`);
  for (const f of written) say(`wrote ${f}`);
}

// Run directly (node out/src/cli/main.js) or as the worker of bin.ts (dist/cli.js), which adds the heap limit.
if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
    process.stderr.write(internalErrorText(e));
    process.exitCode = 70;
  });
}
