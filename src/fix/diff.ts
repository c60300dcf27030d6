// A unified diff of one file's planned edits, for `scan --fix-dry-run`. The hunks come straight
// from the edits (no general diff algorithm is needed: the changed lines are known), with three
// lines of context, lines that an edit touched but left equal shown as context.
import { LineIndex } from '../gosrc/lines.js';
import { applyOffsetEdits, type OffsetEdit } from './apply.js';

const CONTEXT = 3;

export function unifiedDiff(file: string, text: string, edits: readonly OffsetEdit[]): string {
  if (edits.length === 0) return '';
  const lines = new LineIndex(text);
  const all = splitLines(text);
  // Old line ranges (1-based, inclusive) each edit touches, merged when their contexts meet.
  const groups: Array<{ first: number; last: number; edits: OffsetEdit[] }> = [];
  for (const e of [...edits].sort((a, b) => a.start - b.start)) {
    const first = lines.position(e.start).line;
    const last = Math.max(first, lines.position(Math.max(e.start, e.end - 1)).line);
    const prev = groups[groups.length - 1];
    if (prev && first - CONTEXT <= prev.last + CONTEXT + 1) {
      prev.last = Math.max(prev.last, last);
      prev.edits.push(e);
    } else groups.push({ first, last, edits: [e] });
  }
  let out = `--- a/${file}\n+++ b/${file}\n`;
  let shift = 0;
  for (const g of groups) {
    const from = lines.lineStart(g.first);
    const to = g.last < lines.lineCount ? lines.lineStart(g.last + 1) : text.length;
    const oldLines = all.slice(g.first - 1, g.last);
    const newLines = splitLines(applyOffsetEdits(text.slice(from, to), g.edits.map((e) => ({ ...e, start: e.start - from, end: e.end - from }))));
    // Lines the edits left equal at either end are context, not change.
    let head = 0;
    while (head < oldLines.length && head < newLines.length && oldLines[head] === newLines[head]) head++;
    let tail = 0;
    while (tail < oldLines.length - head && tail < newLines.length - head && oldLines[oldLines.length - 1 - tail] === newLines[newLines.length - 1 - tail]) tail++;
    const firstChanged = g.first + head;
    const lastChanged = g.last - tail;
    const removed = oldLines.slice(head, oldLines.length - tail);
    const added = newLines.slice(head, newLines.length - tail);
    const start = Math.max(1, firstChanged - CONTEXT);
    const end = Math.min(all.length, Math.max(lastChanged, firstChanged - 1) + CONTEXT);
    const before = all.slice(start - 1, firstChanged - 1);
    const after = all.slice(Math.max(lastChanged, firstChanged - 1), end);
    const body = [...before.map((l) => ` ${l}`), ...lineChanges(removed, added), ...after.map((l) => ` ${l}`)];
    const oldCount = body.filter((l) => l[0] !== '+').length;
    const newCount = body.filter((l) => l[0] !== '-').length;
    const oldStart = oldCount === 0 ? start - 1 : start;
    out += `@@ -${oldStart},${oldCount} +${oldStart + shift},${newCount} @@\n` + body.join('');
    shift += newCount - oldCount;
  }
  return out;
}

/**
 * The old lines turned into the new ones as context, removed and added lines, through their
 * longest common subsequence (hunks are a few lines; a huge one is shown as replaced whole).
 */
function lineChanges(removed: string[], added: string[]): string[] {
  const n = removed.length;
  const m = added.length;
  if (n * m > 1_000_000) return [...removed.map((l) => `-${l}`), ...added.map((l) => `+${l}`)];
  // common[i][j]: length of the LCS of removed[i..] and added[j..].
  const common = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) common[i]![j] = removed[i] === added[j] ? common[i + 1]![j + 1]! + 1 : Math.max(common[i + 1]![j]!, common[i]![j + 1]!);
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && removed[i] === added[j]) {
      out.push(` ${removed[i++]}`);
      j++;
    } else if (i < n && (j === m || common[i + 1]![j]! >= common[i]![j + 1]!)) out.push(`-${removed[i++]}`);
    else out.push(`+${added[j++]}`);
  }
  return out;
}

/** Lines with their terminators; a last line without one gets git's marker. */
function splitLines(text: string): string[] {
  const out = text.split(/(?<=\n)/).filter((l) => l !== '');
  return out.map((l) => (l.endsWith('\n') ? l : `${l}\n\\ No newline at end of file\n`));
}
