// Applying findings' edits (Finding.edits) to file text: shared by `scan --fix`, its dry run and
// the language server's code actions. Positions are the finding's (1-based lines, UTF-16
// columns). Findings whose edits collide with an edit already taken are left for a later run
// rather than merged: two fixes touching the same text cannot both be sure.
import { LineIndex } from '../gosrc/lines.js';
import type { Finding, TextEdit } from '../scan/finding.js';

export interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

export interface FilePlan {
  file: string;
  /** Edits to apply, sorted, no two overlapping (identical edits of several findings kept once). */
  edits: OffsetEdit[];
  /** The findings whose whole fix is in `edits`. */
  fixed: Finding[];
  /** Findings with a fix that could not be taken, and why. */
  left: Array<{ finding: Finding; reason: string }>;
}

/** The offset of a (line, column) position in `text`, or null when it lies outside it. */
export function offsetOf(lines: LineIndex, text: string, line: number, column: number): number | null {
  if (line < 1 || line > lines.lineCount || column < 1) return null;
  const start = lines.lineStart(line);
  const next = line < lines.lineCount ? lines.lineStart(line + 1) : text.length + 1;
  const offset = start + column - 1;
  return offset < next ? offset : null;
}

export function toOffsetEdit(lines: LineIndex, text: string, e: TextEdit): OffsetEdit | null {
  const start = offsetOf(lines, text, e.line, e.column);
  const end = offsetOf(lines, text, e.endLine, e.endColumn);
  return start === null || end === null || end < start ? null : { start, end, newText: e.newText };
}

/**
 * Plans the fixes of one file's findings (all of whose edits are in this file; a fix spanning
 * several files is left: none does today). Findings are taken in order.
 */
export function planFile(file: string, text: string, findings: readonly Finding[]): FilePlan {
  const lines = new LineIndex(text);
  const plan: FilePlan = { file, edits: [], fixed: [], left: [] };
  for (const finding of findings) {
    if (finding.edits.length === 0) continue;
    if (finding.edits.some((e) => e.file !== file)) {
      plan.left.push({ finding, reason: 'its fix changes more than one file' });
      continue;
    }
    const mine = finding.edits.map((e) => toOffsetEdit(lines, text, e));
    if (mine.some((e) => e === null)) {
      plan.left.push({ finding, reason: 'its fix does not fit the file' });
      continue;
    }
    const fresh = (mine as OffsetEdit[]).filter((e) => !plan.edits.some((t) => sameEdit(t, e)));
    if (fresh.some((e) => plan.edits.some((t) => overlaps(t, e))) || fresh.some((e, i) => fresh.some((o, j) => i !== j && overlaps(o, e)))) {
      plan.left.push({ finding, reason: 'its fix overlaps the fix of another finding (run --fix again)' });
      continue;
    }
    plan.edits.push(...fresh);
    plan.fixed.push(finding);
  }
  plan.edits.sort((a, b) => a.start - b.start || a.end - b.end);
  return plan;
}

function sameEdit(a: OffsetEdit, b: OffsetEdit): boolean {
  return a.start === b.start && a.end === b.end && a.newText === b.newText;
}

/** Two edits collide when their ranges share text, or both insert at the same point. */
function overlaps(a: OffsetEdit, b: OffsetEdit): boolean {
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  return a.start < b.end && b.start < a.end || (a.start === a.end && a.start > b.start && a.start < b.end) || (b.start === b.end && b.start > a.start && b.start < a.end);
}

/** `text` with non-overlapping edits applied. */
export function applyOffsetEdits(text: string, edits: readonly OffsetEdit[]): string {
  let out = '';
  let at = 0;
  for (const e of [...edits].sort((a, b) => a.start - b.start || a.end - b.end)) {
    out += text.slice(at, e.start) + e.newText;
    at = e.end;
  }
  return out + text.slice(at);
}
