// The default human-readable report: findings grouped by file, each with its severity, rule,
// message, a code frame with a caret under the column, related locations and the fix, then the
// files that could not be analysed and a summary line.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Finding, ScanError, ScanResult, Severity } from '../scan/finding.js';
import { palette, type Palette } from './color.js';

/** Returns the text of a 1-based line of a displayed file, or null when it cannot be read. */
export type LineReader = (file: string, line: number) => string | null;

/** Reads source lines from disk (paths resolved against `cwd`), each file once. */
export function diskLineReader(cwd: string): LineReader {
  const cache = new Map<string, string[] | null>();
  return (file, line) => {
    let lines = cache.get(file);
    if (lines === undefined) {
      try {
        lines = readFileSync(path.resolve(cwd, file), 'utf8').split('\n');
      } catch {
        lines = null;
      }
      cache.set(file, lines);
    }
    const text = lines?.[line - 1];
    return text === undefined ? null : text.replace(/\r$/, '');
  };
}

export interface TextOptions {
  color: boolean;
  readLine: LineReader;
}

export function formatText(result: ScanResult, options: TextOptions): string {
  const c = palette(options.color);
  const out: string[] = [];
  let lastFile: string | null = null;
  for (const f of result.findings) {
    if (f.file !== lastFile) {
      if (lastFile !== null) out.push('');
      out.push(c.bold(c.blue(f.file)));
      lastFile = f.file;
    }
    out.push(...findingBlock(f, c, options.readLine));
  }
  const sections: Array<[string, ScanError[]]> = [
    ['Could not analyse:', result.errors.filter((e) => e.kind !== 'syntax')],
    ['Syntax errors (analysed as far as the parser recovered):', result.errors.filter((e) => e.kind === 'syntax')],
  ];
  for (const [title, errors] of sections) {
    if (errors.length === 0) continue;
    if (out.length > 0) out.push('');
    out.push(c.bold(title));
    for (const e of errors) out.push(`  ${e.line > 0 ? `${e.file}:${e.line}` : e.file}: ${e.message}`);
  }
  if (out.length > 0) out.push('');
  out.push(summary(result, c));
  return out.join('\n') + '\n';
}

function findingBlock(f: Finding, c: Palette, readLine: LineReader): string[] {
  const lines = [`  ${c.dim(`${f.line}:${f.column}`)}  ${severityLabel(f.severity, c)}  ${c.dim(f.rule)}  ${f.message}`];
  const text = readLine(f.file, f.line);
  if (text !== null) {
    const gutter = String(f.line);
    lines.push(`    ${c.dim(`${gutter} |`)} ${text}`);
    // Copy tabs from the line so the caret lines up however the terminal expands them.
    const lead = text.slice(0, f.column - 1).replace(/[^\t]/g, ' ');
    const width = f.endLine === f.line ? Math.max(1, Math.min(f.endColumn, text.length + 1) - f.column) : 1;
    lines.push(`    ${' '.repeat(gutter.length)} ${c.dim('|')} ${lead}${severityColor(f.severity, c)('^'.repeat(width))}`);
  }
  if (f.goroutine) lines.push(`    ${c.dim('goroutine started at')} ${f.goroutine.file}:${f.goroutine.line}`);
  for (const r of f.related) lines.push(`    ${c.dim('related:')} ${r.file}:${r.line}: ${r.message}`);
  if (f.fix) lines.push(`    ${c.green('fix:')} ${f.fix}`);
  return lines;
}

function severityColor(s: Severity, c: Palette): (t: string) => string {
  return s === 'error' ? c.red : s === 'warning' ? c.yellow : c.blue;
}

function severityLabel(s: Severity, c: Palette): string {
  return severityColor(s, c)(s.padEnd(7));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function summary(result: ScanResult, c: Palette): string {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of result.findings) counts[f.severity]++;
  const scope = `${plural(result.stats.files, 'file')} in ${plural(result.stats.packages, 'package')}, ${result.stats.durationMs} ms`;
  const syntax = result.errors.filter((e) => e.kind === 'syntax').length;
  const notAnalysed = result.errors.length - syntax;
  const problems = (notAnalysed > 0 ? `; ${notAnalysed} not analysed` : '') + (syntax > 0 ? `; ${plural(syntax, 'syntax error')}` : '');
  if (result.findings.length === 0) return `${c.green('No goroutine leaks found')} (${scope})${problems}`;
  const parts = (['error', 'warning', 'info'] as const).filter((s) => counts[s] > 0).map((s) => plural(counts[s], s === 'info' ? 'info' : s).replace(/infos$/, 'info'));
  return `${c.bold(plural(result.findings.length, 'finding'))} (${parts.join(', ')}) (${scope})${problems}`;
}
