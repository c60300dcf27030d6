// Whole-goroutine fast path, part 1: locating a goroutine block (header line, stack lines, blank
// line) in a chunk of text with native string searches, without reading its lines one by one.
// See block-reader.ts for what is done with a located block.

import { digitsValue, isDigit } from './text.js';

/** Longer blocks are left to the line state machine (no line of them can then exceed MAX_LINE). */
export const MAX_BLOCK = 64 * 1024;

const GOROUTINE = 'goroutine ';
const IN_GOROUTINE = ' in goroutine ';
const CREATED_BY = 'created by ';

/** Where the parts of a block are; filled in place by BlockLocator and Skeletons.match(). */
export interface BlockShape {
  /** The header's goroutine ID and where its digits end (the header's status text starts there). */
  id: number;
  idEnd: number;
  /** The header line's '\n'. */
  headerEnd: number;
  /** The '\n' that ends the last stack line; the blank line's '\n' follows it. */
  stackEnd: number;
  /** The ID in "created by f in goroutine N" on the second-to-last line, or null. */
  creatorId: number | null;
  /** Where that ID's digits start and end (both stackEnd when there is none). */
  creatorIdStart: number;
  creatorIdEnd: number;
}

/**
 * Finds goroutine blocks that end with a blank line. Searches remember their last answer, so that
 * text without blank lines or "created by" lines is scanned once, not once per header.
 */
export class BlockLocator {
  readonly shape: BlockShape = { id: 0, idEnd: 0, headerEnd: 0, stackEnd: 0, creatorId: null, creatorIdStart: 0, creatorIdEnd: 0 };
  private readonly blankLines = new ForwardSearch('\n\n');
  private readonly creatorLines = new ForwardSearch('\n' + CREATED_BY);

  /** Reads "goroutine <digits>" at `at` into shape.id and idEnd; false when it is not there. */
  id(s: string, at: number): boolean {
    if (!matchesAt(s, at, GOROUTINE)) return false;
    const idStart = at + GOROUTINE.length;
    let i = idStart;
    let id = 0;
    for (let c = s.charCodeAt(i); c >= 0x30 && c <= 0x39; c = s.charCodeAt(++i)) id = id * 10 + (c - 0x30);
    if (i === idStart || i - idStart > 15) return false;
    const shape = this.shape;
    shape.id = id;
    shape.idEnd = i;
    return true;
  }

  /** Finds the end of the header line id() read (whole in `s`, not ending in CR): shape.headerEnd. */
  headerEnd(s: string, at: number): boolean {
    const headerEnd = s.indexOf('\n', this.shape.idEnd);
    if (headerEnd < 0 || headerEnd - at > MAX_BLOCK || s.charCodeAt(headerEnd - 1) === 0x0d) return false;
    this.shape.headerEnd = headerEnd;
    return true;
  }

  /**
   * The '\n' that ends the stack of the block whose header headerEnd() found, as stack() would
   * set shape.stackEnd, or -1; the shape is not changed.
   */
  stackEnd(s: string, at: number): number {
    const headerEnd = this.shape.headerEnd;
    const stackEnd = this.blankLines.next(s, headerEnd);
    return stackEnd < 0 || stackEnd === headerEnd || stackEnd + 2 - at > MAX_BLOCK ? -1 : stackEnd;
  }

  /**
   * Fills the rest of the shape for the block whose header headerEnd() found: the stack up to
   * the first blank line, which must lie whole in `s`, be non-empty and keep the block within
   * MAX_BLOCK; false otherwise.
   */
  stack(s: string, at: number): boolean {
    const shape = this.shape;
    const headerEnd = shape.headerEnd;
    const stackEnd = this.stackEnd(s, at);
    if (stackEnd < 0) return false;
    shape.stackEnd = stackEnd;
    shape.creatorId = null;
    shape.creatorIdStart = stackEnd;
    shape.creatorIdEnd = stackEnd;
    // The state machine takes the last "created by" as the creator: only the second-to-last line's counts.
    const newline = this.creatorLines.next(s, headerEnd);
    if (newline < 0 || newline >= stackEnd) return true;
    const creatorLine = newline + 1;
    const lineEnd = s.indexOf('\n', creatorLine);
    if (lineEnd < stackEnd && s.indexOf('\n', lineEnd + 1) === stackEnd) readCreatorId(s, creatorLine, lineEnd, shape);
    return true;
  }
}

/** Where the next occurrence of a pattern is, remembering the last answer for the same text. */
class ForwardSearch {
  private text = '';
  private from = 0;
  /** The first occurrence at or after `from` in `text` (its length when there is none). */
  private found = 0;

  constructor(private readonly pattern: string) {}

  /** The first occurrence of the pattern at or after `from` in `s`, or -1. */
  next(s: string, from: number): number {
    if (s !== this.text || from < this.from || from > this.found) {
      const found = s.indexOf(this.pattern, from);
      this.text = s;
      this.from = from;
      this.found = found < 0 ? s.length : found;
    }
    return this.found < s.length ? this.found : -1;
  }
}

/** Records N of "created by f in goroutine N" (the line from `creatorLine` to `lineEnd`) in `shape`. */
function readCreatorId(s: string, creatorLine: number, lineEnd: number, shape: BlockShape): void {
  let d = lineEnd;
  while (d > creatorLine && lineEnd - d < 16 && isDigit(s.charCodeAt(d - 1))) d--;
  if (d === lineEnd || lineEnd - d > 15) return;
  const inAt = d - IN_GOROUTINE.length;
  // As the state machine requires: a non-empty function name before " in goroutine ".
  if (inAt <= creatorLine + CREATED_BY.length || !matchesAt(s, inAt, IN_GOROUTINE)) return;
  shape.creatorId = digitsValue(s, d, lineEnd);
  shape.creatorIdStart = d;
  shape.creatorIdEnd = lineEnd;
}

/**
 * s.startsWith(literal, at) for short literals. A short slice is a copy, and comparing it is
 * native: measured about twice as fast as startsWith with a position or a charCodeAt loop.
 */
function matchesAt(s: string, at: number, literal: string): boolean {
  return s.slice(at, at + literal.length) === literal;
}
