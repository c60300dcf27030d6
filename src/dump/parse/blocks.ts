// Whole-goroutine fast path. In a big traceback dump most goroutines repeat, byte for byte, the
// stack of one read before: only the goroutine ID, the header's status and the creator's ID
// ("created by f in goroutine N") differ. A goroutine block (header, stack, blank line) is located
// with native string searches, its stack text looked up among blocks already read, and on a hit
// the goroutine is built from the cached result without reading its lines. The first block with a
// given text is read by the line state machine as usual, so both paths give the same model.

import type { Frame } from '../model.js';

/** Longer blocks are left to the line state machine (no line of them can then exceed MAX_LINE). */
export const MAX_BLOCK = 64 * 1024;

const GOROUTINE = 'goroutine ';
const IN_GOROUTINE = ' in goroutine ';
const CREATED_BY = 'created by ';

/** Where the parts of a located block are; filled by BlockLocator.locate(), reused between blocks. */
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

  /**
   * Fills `shape` for a block starting at `at` ("goroutine <digits>..." up to a blank line) that
   * lies whole in `s`, has a stack, and is at most MAX_BLOCK long; false otherwise.
   */
  locate(s: string, at: number): boolean {
    if (!s.startsWith(GOROUTINE, at)) return false;
    const idStart = at + GOROUTINE.length;
    let i = idStart;
    let id = 0;
    for (let c = s.charCodeAt(i); c >= 0x30 && c <= 0x39; c = s.charCodeAt(++i)) id = id * 10 + (c - 0x30);
    if (i === idStart || i - idStart > 15) return false;
    const headerEnd = s.indexOf('\n', i);
    if (headerEnd < 0 || headerEnd - at > MAX_BLOCK || s.charCodeAt(headerEnd - 1) === 0x0d) return false;
    const stackEnd = this.blankLines.next(s, headerEnd);
    if (stackEnd < 0 || stackEnd === headerEnd || stackEnd + 2 - at > MAX_BLOCK) return false;
    const shape = this.shape;
    shape.id = id;
    shape.idEnd = i;
    shape.headerEnd = headerEnd;
    shape.stackEnd = stackEnd;
    shape.creatorId = null;
    shape.creatorIdStart = stackEnd;
    shape.creatorIdEnd = stackEnd;
    this.findCreatorId(s, headerEnd, stackEnd);
    return true;
  }

  /**
   * "created by f in goroutine N" as the second-to-last stack line (the state machine takes the
   * last "created by" as the creator): records N and where its digits are.
   */
  private findCreatorId(s: string, headerEnd: number, stackEnd: number): void {
    const newline = this.creatorLines.next(s, headerEnd);
    if (newline < 0 || newline >= stackEnd) return;
    const creatorLine = newline + 1;
    const digitsEnd = s.indexOf('\n', creatorLine);
    if (digitsEnd >= stackEnd || s.indexOf('\n', digitsEnd + 1) !== stackEnd) return;
    setCreatorId(s, creatorLine, digitsEnd, this.shape);
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

/** Records N of "created by f in goroutine N" (the line from `creatorLine` to `digitsEnd`) in `shape`. */
function setCreatorId(s: string, creatorLine: number, digitsEnd: number, shape: BlockShape): void {
  let d = digitsEnd;
  while (d > creatorLine && d > digitsEnd - 16 && isDigit(s.charCodeAt(d - 1))) d--;
  if (d === digitsEnd || digitsEnd - d > 15) return;
  const inAt = d - IN_GOROUTINE.length;
  if (inAt <= creatorLine + CREATED_BY.length || !matchesAt(s, inAt, IN_GOROUTINE)) return;
  let id = 0;
  for (let i = d; i < digitsEnd; i++) id = id * 10 + (s.charCodeAt(i) - 0x30);
  shape.creatorId = id;
  shape.creatorIdStart = d;
  shape.creatorIdEnd = digitsEnd;
}

/** s.startsWith(literal, at) for short literals: V8's startsWith with a position is far slower. */
function matchesAt(s: string, at: number, literal: string): boolean {
  if (at + literal.length > s.length) return false;
  for (let i = 0; i < literal.length; i++) if (s.charCodeAt(at + i) !== literal.charCodeAt(i)) return false;
  return true;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** What reading a block's stack produced, for blocks with the same text. */
export interface BlockTemplate {
  frames: Frame[];
  /** The "created by" call site, or null when the goroutine has no creator. */
  creatorSite: Frame | null;
  elidedFrames: number | null;
  /** Lines from the header to the blank line, both included. */
  lines: number;
}

/** Templates of one stack text up to the creator's ID, told apart by the text after the ID. */
interface StackText {
  /** Own copy of the text. */
  text: string;
  tails: Array<{ tail: string; template: BlockTemplate }>;
}

/** Templates keep copies of stack text: past this many characters they are dropped and relearned. */
const MAX_TEMPLATE_CHARS = 16 * 1024 * 1024;
/** Characters sampled, evenly spaced, besides the last ones. */
const SAMPLES = 24;
const LAST_CHARS = 8;

/**
 * Block templates, found by a hash of the stack text's length and a few sampled characters, then
 * by binary search among the texts with that hash. Texts are compared natively (slice, === and
 * <, which V8 runs at memory speed), several times faster than hashing every character in the
 * runtime or in JavaScript; stacks that differ in one digit share a sample hash, hence the search.
 */
export class BlockTemplates {
  private readonly bySample = new Map<number, StackText[]>();
  private chars = 0;

  find(s: string, shape: BlockShape): BlockTemplate | undefined {
    const start = shape.headerEnd + 1;
    const end = shape.creatorIdStart;
    const texts = this.bySample.get(sampleHash(s, start, end));
    if (texts === undefined) return undefined;
    const at = search(texts, s.slice(start, end));
    if (at < 0) return undefined;
    const tails = texts[at]!.tails;
    const tail = shape.creatorIdEnd === shape.stackEnd ? '' : s.slice(shape.creatorIdEnd, shape.stackEnd);
    for (const t of tails) if (t.tail === tail) return t.template;
    return undefined;
  }

  /** Remembers the result of reading the block `shape` describes. */
  add(s: string, shape: BlockShape, template: BlockTemplate): void {
    const start = shape.headerEnd + 1;
    const end = shape.creatorIdStart;
    const hash = sampleHash(s, start, end);
    const text = s.slice(start, end);
    // Copies: the texts are slices of a big chunk that must not be kept alive.
    const tail = shape.creatorIdEnd === shape.stackEnd ? '' : flat(s.slice(shape.creatorIdEnd, shape.stackEnd));
    if (this.chars + text.length + tail.length > MAX_TEMPLATE_CHARS) this.clear();
    let texts = this.bySample.get(hash);
    if (texts === undefined) {
      texts = [];
      this.bySample.set(hash, texts);
    }
    const at = search(texts, text);
    if (at >= 0) {
      texts[at]!.tails.push({ tail, template });
    } else {
      texts.splice(-at - 1, 0, { text: flat(text), tails: [{ tail, template }] });
      this.chars += text.length;
    }
    this.chars += tail.length;
  }

  clear(): void {
    this.bySample.clear();
    this.chars = 0;
  }
}

/** Index of `text` in the sorted `texts`, or -(insertion point) - 1. */
function search(texts: StackText[], text: string): number {
  let lo = 0;
  let hi = texts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = texts[mid]!.text;
    if (t === text) return mid;
    if (t < text) lo = mid + 1;
    else hi = mid - 1;
  }
  return -lo - 1;
}

/** A hash of s[start, end)'s length, SAMPLES evenly spaced characters and the last LAST_CHARS. */
function sampleHash(s: string, start: number, end: number): number {
  const length = end - start;
  let h = Math.imul(length, 0x9e3779b1);
  const step = length > SAMPLES ? Math.floor(length / SAMPLES) : 1;
  for (let i = start; i < end; i += step) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  for (let i = Math.max(start, end - LAST_CHARS); i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

function flat(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}
