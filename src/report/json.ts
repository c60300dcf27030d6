// `--format json`: the ScanResult with a fixed key order (docs/json-schema.md), built as one
// string so the caller writes it in a single piece, never half a document.
import type { Finding, ScanResult } from '../scan/finding.js';

export function formatJson(result: ScanResult): string {
  const doc = {
    version: result.version,
    findings: result.findings.map(orderFinding),
    errors: result.errors.map((e) => ({ file: e.file, line: e.line, message: e.message, kind: e.kind })),
    stats: { files: result.stats.files, packages: result.stats.packages, durationMs: result.stats.durationMs },
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

function orderFinding(f: Finding): Finding {
  return {
    rule: f.rule,
    severity: f.severity,
    file: f.file,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    message: f.message,
    goroutine: f.goroutine ? { file: f.goroutine.file, line: f.goroutine.line } : null,
    related: f.related.map((r) => ({ file: r.file, line: r.line, message: r.message })),
    fix: f.fix ?? null,
    edits: (f.edits ?? []).map((e) => ({ file: e.file, line: e.line, column: e.column, endLine: e.endLine, endColumn: e.endColumn, newText: e.newText })),
    // Only with --evidence, so that the document of a plain scan keeps its keys.
    ...(f.evidence !== undefined ? { evidence: f.evidence } : {}),
  };
}
