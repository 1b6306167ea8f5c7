/**
 * "▶ Run analysis" above each analysis line of a .qstudy: runs the study with only that line (and the labelled
 * models it uses, see RunOptions.only in src/engine/study/runner.ts) and shows that result in the results panel.
 */
import * as vscode from 'vscode';
import { STUDY_LANGUAGE_ID } from '../contributions';
import { parseStudy } from '../../engine/study';

/** The argument of `qpcr.runAnalysis`: the study and the 0-based line of the analysis. */
export interface RunAnalysisArg { uri: string; line: number }

export class RunAnalysisLenses implements vscode.CodeLensProvider {
  public static register(): vscode.Disposable {
    return vscode.languages.registerCodeLensProvider({ language: STUDY_LANGUAGE_ID }, new RunAnalysisLenses());
  }

  public provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const { ast } = parseStudy(doc.getText(), doc.uri.fsPath || doc.uri.toString());
    return ast.statements.filter((s) => s.kind === 'analysis').map((s) => {
      const line = s.range.start.line;
      const arg: RunAnalysisArg = { uri: doc.uri.toString(), line };
      return new vscode.CodeLens(new vscode.Range(line, 0, line, 0), { title: '▶ Run analysis', tooltip: 'Run only this line (and the models it uses)', command: 'qpcr.runAnalysis', arguments: [arg] });
    });
  }
}

/** Reads `qpcr.runAnalysis`'s argument; without one, the active study editor's cursor line. */
export function runAnalysisTarget(arg: unknown): { uri: vscode.Uri; line: number } | undefined {
  if (arg && typeof arg === 'object' && typeof (arg as RunAnalysisArg).uri === 'string' && Number.isInteger((arg as RunAnalysisArg).line)) {
    return { uri: vscode.Uri.parse((arg as RunAnalysisArg).uri), line: (arg as RunAnalysisArg).line };
  }
  const ed = vscode.window.activeTextEditor;
  return ed?.document.languageId === STUDY_LANGUAGE_ID ? { uri: ed.document.uri, line: ed.selection.active.line } : undefined;
}
