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
    const width = f.endLine === f.line ? Math.max(1, Math.min(f.endColumn, text.length + 1) - f.column) : 1;
    const frame = codeFrame(text, f.column - 1, width);
    lines.push(`    ${c.dim(`${gutter} |`)} ${frame.text}`);
    // Copy tabs from the line so the caret lines up however the terminal expands them.
    const lead = frame.text.slice(0, frame.start).replace(/[^\t]/g, ' ');
    lines.push(`    ${' '.repeat(gutter.length)} ${c.dim('|')} ${lead}${severityColor(f.severity, c)('^'.repeat(frame.width))}`);
  }
  if (f.goroutine) lines.push(`    ${c.dim('goroutine started at')} ${f.goroutine.file}:${f.goroutine.line}`);
  for (const r of f.related) lines.push(`    ${c.dim('related:')} ${r.file}:${r.line}: ${r.message}`);
  if (f.fix) lines.push(`    ${c.green('fix:')} ${f.fix}`);
  for (const e of f.evidence?.entries ?? []) {
    const wait = e.waitMinutes.max === null ? '' : e.waitMinutes.min === e.waitMinutes.max ? `, ${e.waitMinutes.max} min` : `, ${e.waitMinutes.min}-${e.waitMinutes.max} min`;
    const where = e.match === 'line' ? 'blocked at this line' : 'started at its go statement';
    lines.push(`    ${c.red(c.bold('confirmed:'))} ${e.goroutines} goroutine${e.goroutines === 1 ? '' : 's'} ${where} [${e.states.join(', ')}${wait}] in ${e.source}`);
  }
  return lines;
}

/** Longest source line a code frame shows whole; longer ones are cut around the finding. */
export const MAX_FRAME_WIDTH = 120;
/** Characters kept before the finding's column when a long line is cut. */
const FRAME_CONTEXT = 40;

/**
 * The part of a source line a code frame shows: the whole line when it fits, else a window of
 * MAX_FRAME_WIDTH characters starting a little before `start` (0-based), with "…" where it was
 * cut (generated code and minified tables have lines of thousands of characters). `start` and
 * `width` come back as positions in the returned text, the caret clipped to the window.
 */
export function codeFrame(line: string, start: number, width: number): { text: string; start: number; width: number } {
  if (line.length <= MAX_FRAME_WIDTH) return { text: line, start, width };
  const from = Math.max(0, Math.min(start - FRAME_CONTEXT, line.length - MAX_FRAME_WIDTH));
  const to = Math.min(line.length, from + MAX_FRAME_WIDTH);
  const head = from > 0 ? '…' : '';
  const text = `${head}${line.slice(from, to)}${to < line.length ? '…' : ''}`;
  const at = start - from + head.length;
  return { text, start: at, width: Math.max(1, Math.min(width, to - start)) };
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
  const fixable = result.findings.filter((f) => f.edits.length > 0).length;
  const fixes = fixable > 0 ? `; ${fixable} fixable with --fix` : '';
  return `${c.bold(plural(result.findings.length, 'finding'))} (${parts.join(', ')}) (${scope})${problems}${fixes}`;
}
