/**
 * The seam between the study commands (this folder) and the study runner / results panel written
 * elsewhere. Those register themselves here; until they do, the commands say so instead of faking results.
 */
import type * as vscode from 'vscode';
import type { Report } from '../shared/report/types';

/** Runs a `.qstudy` file end to end and returns its report.json. */
export interface StudyRunner {
  /** `only`: run just the analyses on these 0-based lines (and the models they use). */
  run(studyUri: vscode.Uri, progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken, only?: number[]): Promise<Report>;
}

/** Shows and exports reports (the results panel). */
export interface ResultsPresenter {
  /** Opens (or reveals) the results panel for a study's report. */
  show(report: Report, studyUri: vscode.Uri): void | Promise<void>;
  /** Writes the report (report.json / report.html ...) for a study; returns the file written, or undefined if cancelled. */
  exportReport(report: Report, studyUri: vscode.Uri): Promise<vscode.Uri | undefined>;
}

/** The last successful run of each study (so "Open Results"/"Export Report" need no re-run). */
export interface StudyRunRecord {
  studyUri: vscode.Uri;
  report: Report;
  finishedAt: Date;
}

/** Registry of the pluggable study services. One per extension activation. */
export class StudyServices {
  private _runner: StudyRunner | undefined;
  private _presenter: ResultsPresenter | undefined;
  private readonly _lastRuns = new Map<string, StudyRunRecord>();

  public get runner(): StudyRunner | undefined { return this._runner; }
  public get presenter(): ResultsPresenter | undefined { return this._presenter; }

  /** Registers the study runner; disposing the result unregisters it. */
  public registerRunner(runner: StudyRunner): vscode.Disposable {
    this._runner = runner;
    return { dispose: () => { if (this._runner === runner) this._runner = undefined; } };
  }

  /** Registers the results panel; disposing the result unregisters it. */
  public registerPresenter(presenter: ResultsPresenter): vscode.Disposable {
    this._presenter = presenter;
    return { dispose: () => { if (this._presenter === presenter) this._presenter = undefined; } };
  }

  public recordRun(rec: StudyRunRecord): void {
    this._lastRuns.set(rec.studyUri.toString(), rec);
  }

  public lastRun(studyUri: vscode.Uri): StudyRunRecord | undefined {
    return this._lastRuns.get(studyUri.toString());
  }

  /** The most recent run of any study. */
  public latestRun(): StudyRunRecord | undefined {
    let best: StudyRunRecord | undefined;
    for (const r of this._lastRuns.values()) if (!best || r.finishedAt > best.finishedAt) best = r;
    return best;
  }
}
