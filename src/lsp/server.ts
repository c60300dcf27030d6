// `goroscope lsp`: a language server (LSP over stdio, vscode-languageserver). Each open Go file's
// package is analysed when the file opens, is saved, or changes (debounced per package: only
// the package of the changed file is analysed again); its findings are published for every file
// of the package, with related locations, the rule's doc link, a quick fix per finding that
// carries edits, and a hover. One parser serves the server's whole life (PackageAnalyzer).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  TextDocumentSyncKind,
  TextDocuments,
  type CodeAction,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { planFile } from '../fix/apply.js';
import type { Severity } from '../scan/finding.js';
import { VERSION } from '../version.js';
import { codeActionFor, hoverMarkdown, isDiagnosticData, toDiagnostic, uriOf } from './convert.js';
import { DEFAULT_SETTINGS, PackageAnalyzer, type LspSettings, type PackageAnalysis } from './packages.js';

export const FIX_ALL_COMMAND = 'goroscope.fixAll';
const TIMING = process.env.GOROSCOPE_TIMING === '1';

/** Wires the server to a connection and starts listening. */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const analyzer = new PackageAnalyzer();
  let settings: LspSettings = { ...DEFAULT_SETTINGS };
  /** The last analysis of each package directory, and the documents it published to. */
  const analyses = new Map<string, { analysis: PackageAnalysis; versions: Map<string, number | null>; published: Set<string> }>();
  const timers = new Map<string, NodeJS.Timeout>();
  const reportedProblems = new Set<string>();
  let queue: Promise<void> = Promise.resolve();

  const fileOf = (uri: string): string | null => {
    if (!uri.startsWith('file:')) return null;
    const file = fileURLToPath(uri);
    return file.endsWith('.go') ? file : null;
  };

  const openIn = (dir: string) => documents.all().filter((d) => {
    const f = fileOf(d.uri);
    return f !== null && path.dirname(f) === dir;
  });

  const schedule = (dir: string, delayMs: number) => {
    clearTimeout(timers.get(dir));
    timers.set(
      dir,
      setTimeout(() => {
        timers.delete(dir);
        queue = queue.then(() => analyzeNow(dir)).catch((err) => connection.console.error(`goroscope: ${(err as Error).stack ?? err}`));
      }, delayMs),
    );
  };

  const analyzeNow = async (dir: string) => {
    const open = openIn(dir);
    if (open.length === 0) return clear(dir);
    const buffers = new Map<string, string>();
    const versions = new Map<string, number | null>();
    for (const d of open) {
      buffers.set(fileOf(d.uri)!, d.getText());
      versions.set(d.uri, d.version);
    }
    const analysis = await analyzer.analyze(dir, buffers, settings);
    // For bench:lsp: what the analysis itself cost, apart from debounce and transport.
    if (TIMING) process.stderr.write(`goroscope lsp: analysed ${analysis.files.length} files of ${dir} in ${analysis.durationMs} ms (${analysis.cpuMs} ms CPU)\n`);
    if (analysis.configProblem && !reportedProblems.has(analysis.configProblem)) {
      reportedProblems.add(analysis.configProblem);
      void connection.window.showWarningMessage(`goroscope: ${analysis.configProblem} (using the defaults)`);
    }
    const byUri = new Map<string, ReturnType<typeof toDiagnostic>[]>();
    for (const f of analysis.findings) {
      const uri = uriOf(f.file);
      if (!byUri.has(uri)) byUri.set(uri, []);
      byUri.get(uri)!.push(toDiagnostic(f, versions.get(uri) ?? null));
    }
    const previous = analyses.get(dir)?.published ?? new Set<string>();
    // Every open file gets its list, even an empty one; closed files of the package only when they have findings.
    const published = new Set<string>([...byUri.keys(), ...versions.keys()]);
    for (const uri of published) {
      const version = versions.get(uri);
      void connection.sendDiagnostics({ uri, ...(version !== undefined && version !== null ? { version } : {}), diagnostics: byUri.get(uri) ?? [] });
    }
    for (const uri of previous) if (!published.has(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
    analyses.set(dir, { analysis, versions, published });
  };

  const clear = (dir: string) => {
    for (const uri of analyses.get(dir)?.published ?? []) void connection.sendDiagnostics({ uri, diagnostics: [] });
    analyses.delete(dir);
  };

  connection.onInitialize((params): InitializeResult => {
    settings = readSettings(params.initializationOptions, settings);
    void analyzer.warm();
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        hoverProvider: true,
        executeCommandProvider: { commands: [FIX_ALL_COMMAND] },
      },
      serverInfo: { name: 'goroscope', version: VERSION },
    };
  });

  connection.onDidChangeConfiguration((params) => {
    settings = readSettings(params.settings, settings);
    for (const dir of analyses.keys()) schedule(dir, 0);
  });

  const seen = new Set<string>();
  documents.onDidChangeContent(({ document }) => {
    const file = fileOf(document.uri);
    if (!file) return;
    // The first content (didOpen) is analysed at once; edits wait for a pause in typing.
    const first = !seen.has(document.uri);
    seen.add(document.uri);
    schedule(path.dirname(file), first ? 0 : settings.debounceMs);
  });
  documents.onDidSave(({ document }) => {
    const file = fileOf(document.uri);
    if (file) schedule(path.dirname(file), 0);
  });
  documents.onDidClose(({ document }) => {
    seen.delete(document.uri);
    const file = fileOf(document.uri);
    // Analysed again with the file as it is on disk (or cleared when nothing of the package is open).
    if (file) schedule(path.dirname(file), 0);
  });

  connection.onCodeAction((params) => {
    const doc = documents.get(params.textDocument.uri);
    const actions: CodeAction[] = [];
    for (const diagnostic of params.context.diagnostics) {
      const data = diagnostic.data;
      if (diagnostic.source !== 'goroscope' || !isDiagnosticData(data) || data.edits.length === 0) continue;
      // Edits computed on an older text would land in the wrong place.
      if (doc && data.version !== null && data.version !== doc.version) continue;
      actions.push(codeActionFor(diagnostic, data));
    }
    return actions;
  });

  connection.onHover((params) => {
    const file = fileOf(params.textDocument.uri);
    const state = file ? analyses.get(path.dirname(file)) : undefined;
    if (!file || !state) return null;
    const { line, character } = params.position;
    const at = (l: number, c: number) => l - 1 < line || (l - 1 === line && c - 1 <= character);
    const hits = state.analysis.findings.filter((f) => f.file === file && at(f.line, f.column) && !at(f.endLine, f.endColumn + 1));
    if (hits.length === 0) return null;
    return { contents: { kind: 'markdown', value: hits.map(hoverMarkdown).join('\n\n---\n\n') } };
  });

  connection.onExecuteCommand(async (params) => {
    if (params.command !== FIX_ALL_COMMAND) return null;
    const uri = String(params.arguments?.[0] ?? '');
    const doc = documents.get(uri);
    const file = fileOf(uri);
    const state = file ? analyses.get(path.dirname(file)) : undefined;
    if (!doc || !file || !state || state.versions.get(uri) !== doc.version) return { applied: false, fixed: 0 };
    const plan = planFile(file, doc.getText(), state.analysis.findings.filter((f) => f.file === file));
    if (plan.edits.length === 0) return { applied: false, fixed: 0 };
    const edits = plan.edits.map((e) => ({ range: { start: doc.positionAt(e.start), end: doc.positionAt(e.end) }, newText: e.newText }));
    const result = await connection.workspace.applyEdit({ label: 'goroscope: fix all in file', edit: { changes: { [uri]: edits } } });
    return { applied: result.applied, fixed: result.applied ? plan.fixed.length : 0 };
  });

  documents.listen(connection);
  connection.listen();
}

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/** Settings from initializationOptions or didChangeConfiguration: `{goroscope: {...}}` or the section itself. */
export function readSettings(raw: unknown, current: LspSettings): LspSettings {
  const obj = (raw && typeof raw === 'object' && 'goroscope' in raw ? (raw as { goroscope: unknown }).goroscope : raw) as Record<string, unknown> | null | undefined;
  if (!obj || typeof obj !== 'object') return current;
  const next = { ...current };
  if (Array.isArray(obj.rules)) next.rules = obj.rules.filter((r): r is string => typeof r === 'string');
  else if (typeof obj.rules === 'string') next.rules = [obj.rules];
  if (obj.severities && typeof obj.severities === 'object') {
    next.severities = Object.fromEntries(Object.entries(obj.severities as Record<string, unknown>).filter((e): e is [string, Severity] => SEVERITIES.includes(e[1] as Severity)));
  }
  if (typeof obj.debounceMs === 'number' && obj.debounceMs >= 0) next.debounceMs = obj.debounceMs;
  return next;
}
