// Findings in LSP terms: diagnostics with related information and the rule's doc link, code
// actions from their edits, hover text. Positions: the scan's are 1-based lines and UTF-16
// columns, the protocol's 0-based lines and UTF-16 characters, so only the base changes.
import { pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  DiagnosticSeverity,
  type CodeAction,
  type Diagnostic,
  type DiagnosticRelatedInformation,
  type Range,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { ruleById } from '../rules/registry.js';
import { docsUrl } from '../rules/types.js';
import type { Finding, Severity, TextEdit } from '../scan/finding.js';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** What a diagnostic carries for its code action: the edits and the document version they fit. */
export interface DiagnosticData {
  rule: string;
  fix: string | null;
  edits: TextEdit[];
  /** The version of the document the finding was computed on (null: the file on disk). */
  version: number | null;
}

export function uriOf(file: string): string {
  return pathToFileURL(file).href;
}

function range(line: number, column: number, endLine: number, endColumn: number): Range {
  return { start: { line: line - 1, character: column - 1 }, end: { line: endLine - 1, character: endColumn - 1 } };
}

/** A whole line, for a related location that names only a line. */
function lineRange(line: number): Range {
  return { start: { line: line - 1, character: 0 }, end: { line, character: 0 } };
}

export function toDiagnostic(f: Finding, version: number | null): Diagnostic {
  const related: DiagnosticRelatedInformation[] = f.related.map((r) => ({ location: { uri: uriOf(r.file), range: lineRange(r.line) }, message: r.message }));
  if (f.goroutine) related.push({ location: { uri: uriOf(f.goroutine.file), range: lineRange(f.goroutine.line) }, message: 'the goroutine is started here' });
  const data: DiagnosticData = { rule: f.rule, fix: f.fix, edits: f.edits, version };
  return {
    range: range(f.line, f.column, f.endLine, f.endColumn),
    severity: SEVERITY[f.severity],
    source: 'goroscope',
    code: f.rule,
    codeDescription: { href: docsUrl(f.rule) },
    message: f.fix ? `${f.message}\nfix: ${f.fix}` : f.message,
    relatedInformation: related,
    data,
  };
}

/** The edits of one fix, grouped by document. */
export function workspaceEdit(edits: readonly TextEdit[]): WorkspaceEdit {
  const changes: Record<string, LspTextEdit[]> = {};
  for (const e of edits) (changes[uriOf(e.file)] ??= []).push({ range: range(e.line, e.column, e.endLine, e.endColumn), newText: e.newText });
  return { changes };
}

export function isDiagnosticData(x: unknown): x is DiagnosticData {
  return typeof x === 'object' && x !== null && Array.isArray((x as DiagnosticData).edits) && typeof (x as DiagnosticData).rule === 'string';
}

export function codeActionFor(diagnostic: Diagnostic, data: DiagnosticData): CodeAction {
  return {
    title: `goroscope: ${fixTitle(data)}`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: true,
    edit: workspaceEdit(data.edits),
  };
}

/** The fix's first clause, which names the change: "make `results` buffered with capacity 3". */
function fixTitle(data: DiagnosticData): string {
  const text = (data.fix ?? `fix ${data.rule}`).split(/, or |; /)[0]!.replace(/:\s*`[^`]*`$/, '');
  return text.length > 90 ? `${text.slice(0, 87)}...` : text;
}

/** Hover over a finding: the rule, the finding and its fix, and the rule's documentation. */
export function hoverMarkdown(f: Finding): string {
  const title = ruleById(f.rule)?.meta.title ?? f.rule;
  const lines = [`**goroscope ${f.rule}**: ${title}`, '', f.message];
  if (f.fix) lines.push('', `Fix: ${f.fix}${f.edits.length > 0 ? ' (quick fix available)' : ''}`);
  lines.push('', `[Documentation of ${f.rule}](${docsUrl(f.rule)})`);
  return lines.join('\n');
}
