/**
 * The CLI's usage text and its answers to `--help` and `--version`. Free of the engine (its version aside): the
 * launcher (bin.ts) answers these itself, without starting the worker that loads the engine (0.3 s → a few ms).
 */
import { ENGINE_VERSION } from '../engine/version';
import { REPORT_DOCUMENTS } from '../shared/report/documents';

/** Diagnostics of one code printed before the rest of them are folded into one line. */
export const FOLD_AFTER = 3;

export const NEW_USAGE = `  qpcr-studio new PLATES... [--clinical FILE] [--samples FILE] [--dir DIR] [--title TEXT]
                                           print a commented study for these plate files or folders (paths relative
                                           to DIR, default the current folder): qpcr-studio new plates/ > study.qstudy`;

/** The usage lines of the optional documents' flags (one per document, aligned as the other options). */
function documentUsage(): string {
  return REPORT_DOCUMENTS.map((d) => `  ${d.cliFlag.padEnd(22)} (run) ${'always' in d && d.always ? 'always writes' : 'also write'} DIR/${d.file}: ${d.description}`).join('\n');
}

export const USAGE = `Usage:
  qpcr-studio run STUDY.qstudy --out DIR   run a study; writes DIR/report.json, DIR/report.html, DIR/methods.txt,
                                           DIR/steps.csv and DIR/report.rdml (RDML 1.3: the plates' Cqs and exclusions)
  qpcr-studio check STUDY.qstudy           parse and check a study; print its diagnostics
${NEW_USAGE}
  qpcr-studio --help | --version
Options:
  --quiet, -q            print errors only (no warnings)
  --max-warnings N       exit 1 when there are more than N warnings
${documentUsage()}
  --all                  print every diagnostic (by default, after ${FOLD_AFTER} of one code the rest are counted)
Exit codes: 0 success, 1 study errors (or more warnings than --max-warnings), 2 usage errors
  (including a file that is not a .qstudy), 70 internal error, 71 out of memory (the heap limit is half the
  machine's memory; QPCR_MEMORY_MB sets it).`;

/** The output of `--help` / `-h` or `--version` / `-v` anywhere in the arguments, else null (a command to run). */
export function quickAnswer(args: readonly string[]): string | null {
  if (args.includes('--help') || args.includes('-h')) return USAGE;
  if (args.includes('--version') || args.includes('-v')) return `qpcr-studio ${ENGINE_VERSION}`;
  return null;
}
