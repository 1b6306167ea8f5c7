/**
 * The `qstudy` language in the editor: diagnostics (debounced parseStudy + checkStudy), completion, hover and
 * document symbols. Thin adapters over src/engine/study; this file and convert.ts are the only places that
 * build vscode types from them.
 */
import * as vscode from 'vscode';
import { STUDY_LANGUAGE_ID } from '../contributions';
import * as path from 'node:path';
import type { EngineDiagnostic } from '../../engine/common/diagnostic';
import { checkStudy, completions, documentSymbols, hover, parseStudy } from '../../engine/study';
import { toVsDiagnostic, toVsRange } from '../convert';
import { KeyedDebouncer } from '../debounce';
import { Disposable } from '../dispose';
import type { EngineQuickFixes } from '../quickFixes';
import { StudyContextCache } from './studyContext';
import type { LiveInputs } from '../../engine/study/inputs';
import type { StudyAst } from '../../engine/study';
import { dataStatements, type ContextReadEvent, type StudyContextArgs, type StudyContextResult } from '../worker/engineTasks';
import { enginePath, fileAccess, fileCallsFor, isCancelledTask, limitDiagnostic, runEngineTask } from '../worker/engineHost';
import { tableFromColumns } from '../../engine/expression/clinical';

const DELAY_MS = 250;

type EngineCompletion = ReturnType<typeof completions>[number];
type EngineSymbol = ReturnType<typeof documentSymbols>[number];

/** Engine completion kind (a name) → VS Code kind. */
function completionKind(kind: unknown): vscode.CompletionItemKind {
  switch (String(kind).toLowerCase()) {
    case 'keyword': return vscode.CompletionItemKind.Keyword;
    case 'target': return vscode.CompletionItemKind.Constant;
    case 'column': case 'field': return vscode.CompletionItemKind.Field;
    case 'variable': return vscode.CompletionItemKind.Variable;
    case 'function': return vscode.CompletionItemKind.Function;
    case 'model': return vscode.CompletionItemKind.Class;
    case 'cohort': return vscode.CompletionItemKind.Enum;
    case 'option': return vscode.CompletionItemKind.Property;
    case 'value': case 'level': return vscode.CompletionItemKind.Value;
    case 'file': return vscode.CompletionItemKind.File;
    case 'snippet': return vscode.CompletionItemKind.Snippet;
    default: return typeof kind === 'number' ? (kind as vscode.CompletionItemKind) : vscode.CompletionItemKind.Text;
  }
}

/** Engine symbol kind (a name) → VS Code kind. */
function symbolKind(kind: unknown): vscode.SymbolKind {
  switch (String(kind).toLowerCase()) {
    case 'study': case 'module': return vscode.SymbolKind.Module;
    case 'plates': case 'clinical': case 'samples': case 'file': return vscode.SymbolKind.File;
    case 'variable': case 'let': return vscode.SymbolKind.Variable;
    case 'cohort': return vscode.SymbolKind.Enum;
    case 'outcome': return vscode.SymbolKind.Event;
    case 'model': case 'analysis': return vscode.SymbolKind.Function;
    case 'reference': case 'targets': case 'target': return vscode.SymbolKind.Constant;
    case 'split': return vscode.SymbolKind.Struct;
    default: return typeof kind === 'number' ? (kind as vscode.SymbolKind) : vscode.SymbolKind.Object;
  }
}

function toVsSymbol(s: EngineSymbol): vscode.DocumentSymbol {
  const sym = new vscode.DocumentSymbol(s.name || '(unnamed)', s.detail ?? '', symbolKind(s.kind), toVsRange(s.range), toVsRange(s.selectionRange));
  sym.children = (s.children ?? []).map(toVsSymbol);
  return sym;
}

function toVsCompletion(c: EngineCompletion): vscode.CompletionItem {
  const item = new vscode.CompletionItem(c.label, completionKind(c.kind));
  if (c.detail) item.detail = c.detail;
  if (c.insertText) item.insertText = c.insertText;
  if (c.documentation) item.documentation = new vscode.MarkdownString(c.documentation);
  return item;
}

export class StudyLanguageFeatures extends Disposable
  implements vscode.CompletionItemProvider, vscode.HoverProvider, vscode.DocumentSymbolProvider {
  private readonly _collection = this._register(vscode.languages.createDiagnosticCollection('qstudy'));
  private readonly _debouncer = new KeyedDebouncer(DELAY_MS);
  private readonly _contexts = this._register(new StudyContextCache((studyUri) => this._rescheduleUri(studyUri), loadInputsInWorker, enginePath));
  /** Files other than the study that its diagnostics were put on (cleared with the study). */
  private readonly _foreign = new Map<string, vscode.Uri[]>();

  public static register(fixes: EngineQuickFixes): vscode.Disposable {
    const f = new StudyLanguageFeatures(fixes);
    const selector: vscode.DocumentSelector = { language: STUDY_LANGUAGE_ID };
    return vscode.Disposable.from(
      f,
      vscode.languages.registerCompletionItemProvider(selector, f, '@', '"', ' ', '/'),
      vscode.languages.registerHoverProvider(selector, f),
      vscode.languages.registerDocumentSymbolProvider(selector, f, { label: 'qPCR study' }),
    );
  }

  private constructor(private readonly _fixes: EngineQuickFixes) {
    super();
    this._register({ dispose: () => this._debouncer.dispose() });
    this._register(vscode.workspace.onDidOpenTextDocument((d) => this._schedule(d)));
    this._register(vscode.workspace.onDidChangeTextDocument((e) => { if (e.contentChanges.length) this._schedule(e.document); }));
    this._register(vscode.workspace.onDidCloseTextDocument((d) => this._close(d)));
    for (const d of vscode.workspace.textDocuments) this._schedule(d);
  }

  private _schedule(doc: vscode.TextDocument): void {
    if (doc.languageId !== STUDY_LANGUAGE_ID) return;
    this._debouncer.schedule(doc.uri.toString(), () => { if (!doc.isClosed) void this._validate(doc); });
  }

  private _rescheduleUri(uri: vscode.Uri): void {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (doc) this._schedule(doc);
  }

  private _close(doc: vscode.TextDocument): void {
    if (doc.languageId !== STUDY_LANGUAGE_ID) return;
    const key = doc.uri.toString();
    this._debouncer.cancel(key);
    this._collection.delete(doc.uri);
    this._fixes.delete(doc.uri);
    for (const u of this._foreign.get(key) ?? []) this._collection.delete(u);
    this._foreign.delete(key);
    this._contexts.forget(doc.uri);
  }

  private async _validate(doc: vscode.TextDocument): Promise<void> {
    const version = doc.version;
    const text = doc.getText();
    let diags: EngineDiagnostic[];
    try {
      const parsed = parseStudy(text, doc.uri.fsPath || doc.uri.toString());
      const loaded = await this._contexts.load(doc.uri, parsed.ast);
      // A newer check is scheduled (the text, the study's inputs or one of their files changed).
      if (doc.isClosed || doc.version !== version || loaded.cancelled) return;
      diags = [...parsed.diagnostics, ...loaded.diagnostics, ...checkStudy(parsed.ast, loaded.context)];
    } catch (e) {
      diags = [{ code: 'internal-error', severity: 'error', message: `qPCR Studio could not check this study: ${e instanceof Error ? e.message : String(e)}`, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }];
    }
    const own: [vscode.Diagnostic, EngineDiagnostic['fixes']][] = [];
    const others = new Map<string, { uri: vscode.Uri; diags: vscode.Diagnostic[] }>();
    const dir = vscode.Uri.joinPath(doc.uri, '..');
    for (const d of diags) {
      const target = d.file === undefined || d.file === doc.uri.fsPath || d.file === doc.uri.toString() ? undefined : resolveFile(dir, d.file);
      if (!target || target.toString() === doc.uri.toString()) {
        own.push([toVsDiagnostic(d, doc), d.fixes]);
      } else {
        const e = others.get(target.toString()) ?? { uri: target, diags: [] };
        e.diags.push(toVsDiagnostic(d));
        others.set(target.toString(), e);
      }
    }
    const key = doc.uri.toString();
    for (const u of this._foreign.get(key) ?? []) this._collection.delete(u);
    this._collection.set(doc.uri, own.map(([vd]) => vd));
    this._fixes.set(doc.uri, own);
    for (const e of others.values()) this._collection.set(e.uri, e.diags);
    this._foreign.set(key, [...others.values()].map((e) => e.uri));
  }

  /** Called by VS Code when the user types or presses Ctrl+Space in a .qstudy file. */
  public async provideCompletionItems(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionItem[]> {
    const text = doc.getText();
    const ctx = await this._contexts.get(doc.uri, parseStudy(text, doc.uri.fsPath).ast);
    return completions(text, { line: position.line, character: position.character }, ctx).map(toVsCompletion);
  }

  /** Called by VS Code when the mouse rests on a word in a .qstudy file. */
  public async provideHover(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const text = doc.getText();
    const ctx = await this._contexts.get(doc.uri, parseStudy(text, doc.uri.fsPath).ast);
    const h = hover(text, { line: position.line, character: position.character }, ctx);
    return h ? new vscode.Hover(new vscode.MarkdownString(h.markdown), toVsRange(h.range)) : undefined;
  }

  /** Called by VS Code for the outline, breadcrumbs and Go to Symbol. */
  public provideDocumentSymbols(doc: vscode.TextDocument): vscode.DocumentSymbol[] {
    return documentSymbols(parseStudy(doc.getText(), doc.uri.fsPath).ast).map(toVsSymbol);
  }
}

/**
 * The StudyContextCache's loader: resolves the study's inputs in an engine worker with the engine's resolver (limits
 * from the `qpcr.worker.*` settings), as `qpcr-studio check` resolves them. A worker that overruns or dies gives one
 * error on the statement it was reading.
 */
async function loadInputsInWorker(studyUri: vscode.Uri, ast: StudyAst, token: vscode.CancellationToken): Promise<LiveInputs & { cancelled?: boolean }> {
  let reading: ContextReadEvent | undefined;
  const studyPath = enginePath(studyUri);
  const args: StudyContextArgs = { ...fileAccess(studyUri), studyPath, ast: dataStatements(ast) };
  try {
    const live = await runEngineTask<StudyContextResult>('studyContext', args, 'check', studyUri, {
      token,
      ...fileCallsFor(studyUri),
      onEvent: (e) => { reading = e as ContextReadEvent; },
    });
    // The table crossed the worker boundary as its columns; its rows (without a prototype) are made if read.
    return { ...live, clinical: live.clinical && tableFromColumns(live.clinical) };
  } catch (e) {
    if (isCancelledTask(e)) return { context: {}, diagnostics: [], clinical: null, cancelled: true };
    const [subject, verb] = readingSubject(reading);
    return { context: {}, diagnostics: [limitDiagnostic(subject, e, 'check', reading?.range, studyPath, verb)], clinical: null };
  }
}

/** What the worker was doing when it was stopped: subject and verb of "… could not be read within …". */
function readingSubject(r: ContextReadEvent | undefined): [string, string] {
  const name = r && path.posix.basename(r.file.replace(/\\/g, '/'));
  switch (r?.what) {
    case 'plate': return [`The plate ${name}`, 'read'];
    case 'clinical': return [`The clinical table ${name}`, 'read'];
    case 'samples': return ['The sample names on the plates', 'matched against this pattern'];
    default: return ["The study's data", 'read'];
  }
}

function resolveFile(dir: vscode.Uri, file: string): vscode.Uri | undefined {
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(file)) {
    try { return vscode.Uri.parse(file, true); } catch { return undefined; }
  }
  if (file.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(file)) return vscode.Uri.file(file);
  return vscode.Uri.joinPath(dir, file);
}
