/**
 * qpcr-studio: the headless CLI on the study engine.
 *   qpcr-studio run STUDY.qstudy --out DIR   → DIR/report.json, DIR/report.html; exit 0 (1 on study errors)
 *   qpcr-studio check STUDY.qstudy           → diagnostics only; exit 1 if any error
 *   --help, --version; usage errors exit 2.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatDiagnostic, type EngineDiagnostic } from '../engine/common/diagnostic';
import type { Report } from '../shared/report/types';
import { isErrorResult } from '../shared/report/types';
import { ENGINE_VERSION, runStudy, type StudyIO } from '../engine/study/runner';
import { fallbackReportHtml } from './fallbackHtml';
import { nodeStudyIO } from './nodeIO';

export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  study: StudyIO;
  /** Folder holding webview/results.js and webview/results.css (the folder of dist/cli.js). */
  assetDir: string;
}

export const USAGE = `Usage:
  qpcr-studio run STUDY.qstudy --out DIR   run a study; writes DIR/report.json and DIR/report.html
  qpcr-studio check STUDY.qstudy           parse and check a study; print its diagnostics
  qpcr-studio --help | --version`;

export function defaultCliIO(): CliIO {
  return {
    out: (l) => process.stdout.write(l + '\n'),
    err: (l) => process.stderr.write(l + '\n'),
    study: nodeStudyIO(),
    assetDir: __dirname,
  };
}

/** JSON with non-finite numbers as null (JSON has no NaN/Infinity). */
export function reportJson(report: Report): string {
  return JSON.stringify(report, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
}

function printDiagnostics(diags: EngineDiagnostic[], io: CliIO, studyPath: string): void {
  for (const d of diags) io.err(formatDiagnostic(d, studyPath));
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
  if (args.includes('--help') || args.includes('-h')) { io.out(USAGE); return 0; }
  if (args.includes('--version') || args.includes('-v')) { io.out(`qpcr-studio ${ENGINE_VERSION}`); return 0; }
  const cmd = args.shift();
  if (cmd !== 'run' && cmd !== 'check') {
    io.err(cmd === undefined ? 'qpcr-studio: no command given.' : `qpcr-studio: unknown command "${cmd}".`);
    io.err(USAGE);
    return 2;
  }
  let out: string | undefined;
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--out' || a === '-o') {
      out = args[++i];
      if (out === undefined) { io.err('qpcr-studio: --out needs a folder.'); io.err(USAGE); return 2; }
    } else if (a.startsWith('--out=')) out = a.slice(6);
    else if (a.startsWith('-')) { io.err(`qpcr-studio: unknown option "${a}".`); io.err(USAGE); return 2; }
    else positional.push(a);
  }
  if (positional.length !== 1) {
    io.err(positional.length === 0 ? `qpcr-studio ${cmd}: give one .qstudy file.` : `qpcr-studio ${cmd}: one .qstudy file expected, got ${positional.length}.`);
    io.err(USAGE);
    return 2;
  }
  if (cmd === 'run' && out === undefined) { io.err('qpcr-studio run: --out DIR is required.'); io.err(USAGE); return 2; }
  const studyPath = path.resolve(positional[0]);
  let text: string;
  try {
    text = new TextDecoder('utf-8').decode(await io.study.readFile(studyPath)).replace(/^\uFEFF/, '');
  } catch (e) {
    io.err(`qpcr-studio: cannot read ${positional[0]}: ${(e as Error).message}`);
    return 2;
  }
  const shown = positional[0];
  const relabel = (ds: EngineDiagnostic[]) => ds.map((d) => (d.file === studyPath || d.file === undefined ? { ...d, file: shown } : d));

  if (cmd === 'check') {
    // The same checks as a run, with the data (plates, clinical table) loaded, but no analysis.
    const ds = relabel((await runStudy(text, studyPath, io.study, { checkOnly: true })).diagnostics);
    printDiagnostics(ds, io, shown);
    const errors = ds.filter((d) => d.severity === 'error').length;
    io.out(`${shown}: ${errors} error(s), ${ds.length - errors} other diagnostic(s).`);
    return errors ? 1 : 0;
  }

  const { report, diagnostics } = await runStudy(text, studyPath, io.study);
  const ds = relabel(diagnostics);
  const errors = ds.filter((d) => d.severity === 'error');
  if (!report) {
    printDiagnostics(errors.length ? errors : ds, io, shown);
    io.err(`qpcr-studio: ${shown}: the study did not run (${errors.length} error(s)).`);
    return 1;
  }
  // Warnings and per-analysis errors go to stderr too; the run itself succeeded.
  printDiagnostics(ds.filter((d) => d.severity === 'error' || d.severity === 'warning'), io, shown);
  const dir = path.resolve(out!);
  fs.mkdirSync(dir, { recursive: true });
  const jsonPath = path.join(dir, 'report.json');
  const htmlPath = path.join(dir, 'report.html');
  fs.writeFileSync(jsonPath, reportJson(report));
  const html = await reportHtml(report, io.assetDir);
  fs.writeFileSync(htmlPath, html.html);
  const failed = report.results.filter(isErrorResult).length;
  io.out(`${report.study}`);
  io.out(`  plates ${report.data.plates}, wells ${report.data.wells}, samples ${report.data.samples}, subjects ${report.data.subjects}, QC findings ${report.data.qc.length}`);
  io.out(`  analyses ${report.results.length}${failed ? ` (${failed} failed)` : ''}`);
  for (const r of report.results) io.out(`    ${isErrorResult(r) ? 'ERROR' : 'ok   '} ${r.name} (${r.kind}, ${r.cohort}, n = ${r.n})${isErrorResult(r) ? `: ${r.error}` : ''}`);
  if (html.fallback) io.out(`  note: report.html is the table-only fallback: ${html.reason}`);
  io.out(`wrote ${jsonPath}`);
  io.out(`wrote ${htmlPath}`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
    process.stderr.write(`qpcr-studio: internal error: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 70;
  });
}
