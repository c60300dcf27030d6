// Whole-goroutine fast path, part 2. In a big traceback dump most goroutines repeat, byte for
// byte, the stack text of one read before: only the goroutine ID, the header's status and the
// creator's ID ("created by f in goroutine N") differ. The first block with a given stack text is
// read by the line state machine as usual and its result kept as a template; later blocks with
// the same text are built from the template without reading their lines, so both ways give the
// same model.

import type { Frame } from '../model.js';
import { digitsValue, isDigit, MAX_BLOCK, type BlockShape } from './block-shape.js';
import type { HeaderRest } from './header.js';

/** What reading a block's stack produced, for blocks with the same text. */
export interface BlockTemplate {
  /** The stack text up to the creator's ID, or all of it when it has none (own copy). */
  text: string;
  /** The stack text after the creator's ID; null when the stack has no creator ID. */
  tail: string | null;
  frames: Frame[];
  /** The "created by" call site, or null when the goroutine has no creator. */
  creatorSite: Frame | null;
  elidedFrames: number | null;
  /** Lines from the header to the blank line, both included. */
  lines: number;
  /** The template that followed this one last time: the guess for the next block. */
  next: BlockTemplate | null;
  /** The header text after the ID of the last block read with this template, and its parse. */
  headerText: string | null;
  header: HeaderRest | null;
  /** headerText, '\n' and text: what a block repeating the last one has after its ID. */
  whole: string | null;
  /** BlockTemplates.generation when made: templates of older generations are no longer valid. */
  generation: number;
}

export type TemplateResult = Pick<BlockTemplate, 'frames' | 'creatorSite' | 'elidedFrames' | 'lines'>;

/** Templates keep copies of stack text: past this many characters they are dropped and relearned. */
const MAX_TEMPLATE_CHARS = 16 * 1024 * 1024;
/** Texts per sample hash: more similar stacks are not learned (their search would slow every lookup). */
const MAX_PER_SAMPLE = 64;
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
  private readonly bySample = new Map<number, BlockTemplate[]>();
  private chars = 0;
  private generation = 0;

  /**
   * Whether the block whose ID `shape` describes has `guess`'s last header and its stack: then
   * fills the rest of the shape as BlockLocator.headerEnd() and stack() would, and the block's
   * header is guess.header. One comparison for the header and the stack up to the creator's ID.
   */
  confirmWhole(s: string, at: number, shape: BlockShape, guess: BlockTemplate): boolean {
    const whole = guess.whole;
    if (whole === null || guess.generation !== this.generation) return false;
    const textEnd = shape.idEnd + whole.length;
    if (s.slice(shape.idEnd, textEnd) !== whole) return false;
    shape.headerEnd = shape.idEnd + guess.headerText!.length;
    return this.confirmAfterText(s, at, shape, guess, textEnd);
  }

  /**
   * Whether the block whose header `shape` describes has `guess`'s stack: then fills the rest of
   * the shape as BlockLocator.stack() would. Cheaper than locating and finding: one comparison.
   */
  confirm(s: string, at: number, shape: BlockShape, guess: BlockTemplate): boolean {
    if (guess.generation !== this.generation) return false;
    const start = shape.headerEnd + 1;
    const textEnd = start + guess.text.length;
    if (s.slice(start, textEnd) !== guess.text) return false;
    return this.confirmAfterText(s, at, shape, guess, textEnd);
  }

  /** The part of confirm() after the text: the creator's ID, the tail and the blank line. */
  private confirmAfterText(s: string, at: number, shape: BlockShape, guess: BlockTemplate, textEnd: number): boolean {
    let stackEnd = textEnd;
    const tail = guess.tail;
    if (tail !== null) {
      let i = textEnd;
      while (i < s.length && i - textEnd < 16 && isDigit(s.charCodeAt(i))) i++;
      if (i === textEnd || i - textEnd > 15) return false;
      stackEnd = i + tail.length;
      if (s.slice(i, stackEnd) !== tail) return false;
      shape.creatorId = digitsValue(s, textEnd, i);
      shape.creatorIdEnd = i;
    } else {
      shape.creatorId = null;
      shape.creatorIdEnd = stackEnd;
    }
    // The same text holds no blank line, so the first blank line must follow it.
    if (s.charCodeAt(stackEnd) !== 0x0a || s.charCodeAt(stackEnd + 1) !== 0x0a || stackEnd + 2 - at > MAX_BLOCK) return false;
    shape.creatorIdStart = textEnd;
    shape.stackEnd = stackEnd;
    return true;
  }

  /** The template for the block located in `shape`, if one was made for its text. */
  find(s: string, shape: BlockShape): BlockTemplate | undefined {
    const start = shape.headerEnd + 1;
    const end = shape.creatorIdStart;
    const texts = this.bySample.get(sampleHash(s, start, end));
    if (texts === undefined) return undefined;
    let at = search(texts, s.slice(start, end));
    if (at < 0) return undefined;
    const tail = shape.creatorId === null ? null : s.slice(shape.creatorIdEnd, shape.stackEnd);
    // Templates with the same text are adjacent; they differ in the tail.
    const text = texts[at]!.text;
    while (at > 0 && texts[at - 1]!.text === text) at--;
    for (; at < texts.length && texts[at]!.text === text; at++) if (texts[at]!.tail === tail) return texts[at];
    return undefined;
  }

  /** Remembers the header of the block just read with `t` (shape.idEnd to headerEnd), for confirmWhole(). */
  rememberHeader(s: string, shape: BlockShape, t: BlockTemplate, header: HeaderRest): void {
    const length = shape.headerEnd - shape.idEnd;
    if (t.headerText !== null && t.headerText.length === length && t.headerText === s.slice(shape.idEnd, shape.headerEnd)) {
      t.header = header;
      return;
    }
    const before = t.whole === null ? 0 : t.whole.length;
    t.headerText = flat(s.slice(shape.idEnd, shape.headerEnd));
    t.header = header;
    t.whole = flat(`${t.headerText}\n${t.text}`);
    this.chars += t.whole.length - before;
  }

  /** Makes a template of the result of reading the block located in `shape`; undefined when there are too many like it. */
  add(s: string, shape: BlockShape, result: TemplateResult): BlockTemplate | undefined {
    const start = shape.headerEnd + 1;
    const end = shape.creatorIdStart;
    // Copies: the texts are slices of a big chunk that must not be kept alive.
    const text = flat(s.slice(start, end));
    const tail = shape.creatorId === null ? null : flat(s.slice(shape.creatorIdEnd, shape.stackEnd));
    const size = text.length + (tail?.length ?? 0);
    if (this.chars + size > MAX_TEMPLATE_CHARS) this.clear();
    const hash = sampleHash(s, start, end);
    let texts = this.bySample.get(hash);
    if (texts === undefined) {
      texts = [];
      this.bySample.set(hash, texts);
    } else if (texts.length >= MAX_PER_SAMPLE) {
      return undefined;
    }
    const template: BlockTemplate = {
      ...result,
      text,
      tail,
      next: null,
      headerText: null,
      header: null,
      whole: null,
      generation: this.generation,
    };
    const at = search(texts, text);
    texts.splice(at < 0 ? -at - 1 : at, 0, template);
    this.chars += size;
    return template;
  }

  /** Drops every template; templates held elsewhere stop being confirmed. */
  clear(): void {
    this.bySample.clear();
    this.chars = 0;
    this.generation++;
  }
}

/** An index of `text` in `texts` (sorted by text), or -(insertion point) - 1. */
function search(texts: BlockTemplate[], text: string): number {
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
