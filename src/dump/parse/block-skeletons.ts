// Whole-goroutine fast path, part 2. In a real dump the goroutines of one stack rarely repeat
// byte for byte: every goroutine passes its own pointers ("main.worker(0xc000123450, ...)"). A
// block is matched against a skeleton instead: the stack text of a block read before, with a hole
// for the argument list of each function line and for the creator's goroutine ID. Everything
// outside the holes is compared natively (one sticky RegExp), and a hole only has to be a
// well-formed argument list (no "(" in it, ")" right before the line end, not the inlined "...)"),
// which is all the line state machine reads of an argument list besides its text. A block that
// matches therefore gets exactly the frames, creator site and elision that reading its lines
// would give: the skeleton's frames when frames are keyed without arguments (a grouping sink, an
// aggregating model), else copies with the block's own arguments (framesWithArgs()).

import type { Frame } from '../model.js';
import { MAX_BLOCK, type BlockLocator, type BlockShape } from './block-shape.js';
import { callOpenParen } from './frame-line.js';
import { RecentHeaders } from './header.js';
import type { RepeatedStack } from './sink.js';
import { digitsValue, flat, isDigit } from './text.js';

/** A hole for a function line's arguments: from after '(' up to the ')' that ends the line. */
const ARGS = 0;
/** A hole for the digits of "created by f in goroutine N" on the second-to-last line. */
const CREATOR_ID = 1;

/** A stack read once, with holes where goroutines of the same stack differ. */
export interface Skeleton extends RepeatedStack {
  /**
   * The stack's pieces and holes as one sticky pattern, from the first stack line through the
   * blank line: one native regular expression run instead of a comparison and searches per hole.
   */
  readonly pattern: RegExp;
  /** The length of the text after the creator's ID when the last hole is that ID, else -1. */
  readonly creatorTail: number;
  /** The pieces' lengths and holes (see cutHoles()): where a matched block's argument lists are. */
  readonly pieceLengths: Uint32Array;
  readonly holes: Uint8Array;
  readonly holeFrames: Int32Array;
  /**
   * The stack text of the block the skeleton was made from, up to the creator's ID (all of it
   * when there is none), and the text after that ID (null when there is none). Goroutines whose
   * arguments print the same (no pointers, or the same ones: a dump repeated, a pool on one
   * object) repeat it exactly, which two comparisons confirm faster than the pattern.
   */
  readonly exactHead: string;
  readonly exactTail: string | null;
  /** Tries of the exact text left: right ones add one (up to EXACT_SCORE_MAX), wrong ones take two. */
  exactScore: number;
  /** Lines from the header to the blank line, both included. */
  readonly lines: number;
  /** The skeleton that followed this one last time: the guess for the next block. */
  next: Skeleton | null;
  /** Skeletons.generation when made: skeletons of older generations are no longer valid. */
  readonly generation: number;
  /** Headers of the blocks read with this skeleton. */
  readonly headers: RecentHeaders;
  /** framesWithArgs() results by the stack text up to the creator's ID; null once there were too many. */
  interned: Map<string, Frame[]> | null;
  /** bottomKeyOf() the block it was made from. */
  readonly bottom: number;
}

/** Skeletons with one top frame, and once there are CROWDED of them, by their last line too. */
interface Bucket {
  list: Skeleton[];
  byBottom: Map<number, Skeleton[]> | null;
}

/** Skeletons with one top frame beyond which they are also told apart by their last line. */
const CROWDED = 4;

/** Argument sets a skeleton interns frames for before it takes arguments to be per goroutine. */
const MAX_INTERNED = 256;

const EXACT_SCORE_START = 8;
const EXACT_SCORE_MAX = 16;

export interface SkeletonResult {
  frames: Frame[];
  creatorSite: Frame | null;
  elidedFrames: number | null;
  lines: number;
}

/** Skeletons keep copies of stack text: past this many characters they are dropped and relearned. */
const MAX_SKELETON_CHARS = 16 * 1024 * 1024;
/**
 * Skeletons per key (the top frame and, when crowded, the last line): more similar stacks are not
 * learned, as every block with that key would try them all; their blocks are read line by line.
 */
const MAX_PER_KEY = 32;

export class Skeletons {
  /** Whether the last successful match() was of the exact text (the block's arguments are the skeleton's). */
  matchedExactly = false;
  private readonly byKey = new Map<number, Bucket>();
  private chars = 0;
  private generation = 0;

  /**
   * Whether the block whose header `shape` describes (BlockLocator.headerEnd() done) has stack
   * `k`: then fills the rest of the shape as BlockLocator.stack() would. The shape is left as it
   * was when the block does not match.
   */
  match(s: string, at: number, shape: BlockShape, k: Skeleton): boolean {
    if (k.generation !== this.generation) return false;
    const start = shape.headerEnd + 1;
    if (k.exactScore > 0) {
      if (matchExact(s, at, shape, k)) {
        if (k.exactScore < EXACT_SCORE_MAX) k.exactScore++;
        this.matchedExactly = true;
        return true;
      }
      k.exactScore -= 2;
    }
    this.matchedExactly = false;
    const pattern = k.pattern;
    pattern.lastIndex = start;
    if (!pattern.test(s)) return false;
    const stackEnd = pattern.lastIndex - 2; // the pattern ends with the blank line
    if (stackEnd + 2 - at > MAX_BLOCK) return false;
    shape.stackEnd = stackEnd;
    if (k.creatorTail < 0) {
      shape.creatorId = null;
      shape.creatorIdStart = stackEnd;
      shape.creatorIdEnd = stackEnd;
    } else {
      // The creator's ID is the last hole: its digits end where the last piece starts.
      const idEnd = stackEnd - k.creatorTail;
      let idStart = idEnd;
      while (isDigit(s.charCodeAt(idStart - 1))) idStart--;
      shape.creatorId = digitsValue(s, idStart, idEnd);
      shape.creatorIdStart = idStart;
      shape.creatorIdEnd = idEnd;
    }
    return true;
  }

  /**
   * The skeleton that the block whose header `locator.shape` describes (BlockLocator.headerEnd()
   * done) matches, if any.
   */
  find(s: string, at: number, locator: BlockLocator): Skeleton | undefined {
    const shape = locator.shape;
    const key = keyOf(s, shape.headerEnd);
    if (key === null) return undefined;
    const bucket = this.byKey.get(key);
    if (bucket === undefined) return undefined;
    let list: Skeleton[] | undefined = bucket.list;
    if (bucket.byBottom !== null) {
      const stackEnd = locator.stackEnd(s, at);
      if (stackEnd < 0) return undefined;
      list = bucket.byBottom.get(bottomKeyOf(s, shape.headerEnd, stackEnd));
      if (list === undefined) return undefined;
    }
    for (let i = 0; i < list.length; i++) {
      const k = list[i]!;
      if (!this.match(s, at, shape, k)) continue;
      // Most recently matched first: a dump's goroutines of one key are mostly of a few stacks.
      if (i > 0) {
        list.splice(i, 1);
        list.unshift(k);
      }
      return k;
    }
    return undefined;
  }

  /**
   * Makes a skeleton of the block located in `shape`, which the line state machine read cleanly
   * into `result`; undefined when its lines are not ones a skeleton can hold or too many are alike.
   */
  add(s: string, shape: BlockShape, result: SkeletonResult): Skeleton | undefined {
    const cut = cutHoles(s, shape);
    if (cut === null || cut.functionLines !== result.frames.length) return undefined;
    let size = shape.stackEnd - shape.headerEnd; // the exact text
    for (const p of cut.pieces) size += p.length;
    if (this.chars + size > MAX_SKELETON_CHARS) this.clear();
    const key = keyOf(s, shape.headerEnd);
    if (key === null) return undefined;
    let bucket = this.byKey.get(key);
    if (bucket === undefined) {
      bucket = { list: [], byBottom: null };
      this.byKey.set(key, bucket);
    }
    const bottom = bottomKeyOf(s, shape.headerEnd, shape.stackEnd);
    if (bucket.byBottom === null && bucket.list.length >= CROWDED) {
      // Many stacks share this top frame (goroutines reading from the network, say): tell them
      // apart by their last line as well, the creator's call site.
      bucket.byBottom = new Map();
      for (const other of bucket.list.reverse()) listOf(bucket.byBottom, other.bottom).unshift(other);
    }
    const list = bucket.byBottom === null ? bucket.list : listOf(bucket.byBottom, bottom);
    if (list.length >= MAX_PER_KEY) return undefined;
    const exactHead = flat(s.slice(shape.headerEnd + 1, shape.creatorIdStart));
    const exactTail = shape.creatorId === null ? null : flat(s.slice(shape.creatorIdEnd, shape.stackEnd));
    const k: Skeleton = {
      ...result,
      pattern: patternOf(cut.pieces, cut.holes),
      creatorTail: cut.holes[cut.holes.length - 1] === CREATOR_ID ? cut.pieces[cut.pieces.length - 1]!.length : -1,
      pieceLengths: Uint32Array.from(cut.pieces, (p) => p.length),
      holes: cut.holes,
      holeFrames: cut.holeFrames,
      exactHead,
      exactTail,
      exactScore: EXACT_SCORE_START,
      next: null,
      generation: this.generation,
      headers: new RecentHeaders(),
      interned: new Map(),
      bottom,
    };
    list.unshift(k);
    this.chars += size;
    return k;
  }

  /**
   * The frames of the block that match() just matched with `k`, each with its own arguments, as
   * the line state machine gives them when frames are keyed with their arguments: the skeleton's
   * frames where the block repeats its text exactly, else copies of them with the arguments read
   * from the holes (own copies, not slices of the input).
   */
  framesWithArgs(s: string, shape: BlockShape, k: Skeleton): Frame[] {
    if (this.matchedExactly) return k.frames;
    // Goroutines that repeat an earlier one's arguments share its frames, as they do when read
    // line by line (the model's frames are interned by their text): a dump taken twice, workers
    // on the same few objects. Past MAX_INTERNED argument sets the arguments are taken to be
    // per goroutine (pointers) and the skeleton stops looking.
    const interned = k.interned;
    let text = '';
    if (interned !== null) {
      text = s.slice(shape.headerEnd + 1, shape.creatorIdStart);
      const known = interned.get(text);
      if (known !== undefined) return known;
    }
    const frames = k.frames.slice();
    const lengths = k.pieceLengths;
    const holes = k.holes;
    const holeFrames = k.holeFrames;
    let pos = shape.headerEnd + 1;
    for (let i = 0; i < holes.length; i++) {
      pos += lengths[i]!;
      if (holes[i] === ARGS) {
        const close = s.indexOf('\n', pos) - 1;
        const f = frames[holeFrames[i]!]!;
        const args = close === pos ? '' : flat(s.slice(pos, close));
        if (args !== f.args) {
          frames[holeFrames[i]!] = { ...f, args };
        }
        pos = close;
      } else {
        pos = shape.creatorIdEnd;
      }
    }
    if (interned !== null) {
      if (interned.size < MAX_INTERNED) interned.set(flat(text), frames);
      else k.interned = null;
    }
    return frames;
  }

  /** Drops every skeleton; skeletons held elsewhere stop matching. */
  clear(): void {
    this.byKey.clear();
    this.chars = 0;
    this.generation++;
  }
}

/**
 * Whether the block whose header `shape` describes repeats the text `k` was made from, up to
 * the creator's ID (any 1 to 15 digits, as the pattern allows): then fills the shape as match().
 */
function matchExact(s: string, at: number, shape: BlockShape, k: Skeleton): boolean {
  const head = k.exactHead;
  const headEnd = shape.headerEnd + 1 + head.length;
  if (s.slice(shape.headerEnd + 1, headEnd) !== head) return false;
  let stackEnd = headEnd;
  let creatorId: number | null = null;
  let idEnd = headEnd;
  const tail = k.exactTail;
  if (tail !== null) {
    let n = 0;
    for (let c = s.charCodeAt(idEnd); isDigit(c) && idEnd - headEnd < 16; c = s.charCodeAt(++idEnd)) n = n * 10 + (c - 0x30);
    if (idEnd === headEnd || idEnd - headEnd > 15) return false;
    stackEnd = idEnd + tail.length;
    if (s.slice(idEnd, stackEnd) !== tail) return false;
    creatorId = n;
  }
  if (s.charCodeAt(stackEnd) !== 0x0a || s.charCodeAt(stackEnd + 1) !== 0x0a || stackEnd + 2 - at > MAX_BLOCK) return false;
  shape.stackEnd = stackEnd;
  shape.creatorId = creatorId;
  shape.creatorIdStart = headEnd;
  shape.creatorIdEnd = idEnd;
  return true;
}

/** Characters at the end of the top frame's file line that go into the lookup key. */
const KEY_TAIL = 10;

/**
 * The lookup key of the block whose header ends at `headerEnd`, or null when its first two lines
 * are not both in `s`: a hash of the top frame's file line (its length and last characters, the
 * line number and PC offset) and of where the first "(" is on the function line, read without
 * finding the end of the block or copying text. Argument values never touch it. Stacks with the
 * same top frame share it (all goroutines waiting on the network, say) and are told apart by match().
 */
function keyOf(s: string, headerEnd: number): number | null {
  const start = headerEnd + 1;
  const firstEnd = s.indexOf('\n', start);
  if (firstEnd < 0) return null;
  const paren = s.indexOf('(', start);
  let h = Math.imul((paren < 0 || paren > firstEnd ? -1 : paren - start) ^ 0x9e3779b1, 0x01000193);
  // A one-line stack ends at the blank line that follows: its own line is the key.
  let lineEnd = firstEnd;
  if (s.charCodeAt(firstEnd + 1) !== 0x0a) {
    lineEnd = s.indexOf('\n', firstEnd + 1);
    if (lineEnd < 0) return null;
  }
  const lineStart = lineEnd === firstEnd ? start : firstEnd + 1;
  h = Math.imul(h ^ (lineEnd - lineStart), 0x01000193);
  for (let i = Math.max(lineStart, lineEnd - KEY_TAIL); i < lineEnd; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

/**
 * A hash of the last line of the block whose header ends at `headerEnd` and stack at `stackEnd`:
 * the file line of the creator or of the outermost frame, which tells apart stacks that share
 * their top frames (a loop rather than lastIndexOf, which V8 runs several times slower).
 */
function bottomKeyOf(s: string, headerEnd: number, stackEnd: number): number {
  let h = 0x811c9dc5;
  for (let i = stackEnd - 1; i > headerEnd && s.charCodeAt(i) !== 0x0a; i--) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

function listOf(byBottom: Map<number, Skeleton[]>, bottom: number): Skeleton[] {
  let list = byBottom.get(bottom);
  if (list === undefined) {
    list = [];
    byBottom.set(bottom, list);
  }
  return list;
}

/** A block's stack text cut at its holes (see cutHoles()). */
interface Cut {
  pieces: string[];
  holes: Uint8Array;
  /** For each hole, the index in the stack's frames of the function line it is in (-1 for the creator's ID). */
  holeFrames: Int32Array;
  /** Function lines: the frames a clean read of the block gives. */
  functionLines: number;
}

/** The stack text of the located block cut at its holes; null when a line is not one the skeleton can hold. */
function cutHoles(s: string, shape: BlockShape): Cut | null {
  const pieces: string[] = [];
  const holes: number[] = [];
  const holeFrames: number[] = [];
  let functionLines = 0;
  const stackEnd = shape.stackEnd;
  let pieceStart = shape.headerEnd + 1;
  let expectFile = false;
  for (let lineStart = pieceStart; lineStart < stackEnd; ) {
    let lineEnd = s.indexOf('\n', lineStart);
    if (lineEnd < 0 || lineEnd > stackEnd) lineEnd = stackEnd;
    const c = s.charCodeAt(lineStart);
    if (expectFile) {
      // The file line of a frame or of "created by": literal (path, line and PC offset).
      expectFile = false;
    } else if (c === 0x63 /* c */ && s.startsWith('created by ', lineStart)) {
      if (shape.creatorId !== null && shape.creatorIdStart > lineStart && shape.creatorIdStart < lineEnd) {
        pieces.push(flat(s.slice(pieceStart, shape.creatorIdStart)));
        holes.push(CREATOR_ID);
        holeFrames.push(-1);
        pieceStart = shape.creatorIdEnd;
      }
      expectFile = true;
    } else if (c === 0x09 || c === 0x20 || c === 0x2e /* . */ || c === 0x5b /* [ */) {
      // Elision markers and the like: literal.
    } else {
      const line = s.slice(lineStart, lineEnd);
      const open = callOpenParen(line, 0);
      if (open < 0 || line.charCodeAt(line.length - 1) !== 0x29) return null;
      if (!line.startsWith('...)', open + 1)) {
        pieces.push(flat(s.slice(pieceStart, lineStart + open + 1)));
        holes.push(ARGS);
        holeFrames.push(functionLines);
        pieceStart = lineEnd - 1; // the ")" that closes the arguments
      }
      functionLines++;
      expectFile = true;
    }
    lineStart = lineEnd + 1;
  }
  pieces.push(flat(s.slice(pieceStart, stackEnd)));
  return { pieces, holes: Uint8Array.from(holes), holeFrames: Int32Array.from(holeFrames), functionLines };
}

/**
 * The sticky pattern of a skeleton. An argument hole is what the line state machine accepts as
 * the arguments of a function line keyed without them: no "(" (it takes the last "(" as where
 * they open) and no line end, closed by the ")" that ends the line (the next piece starts with
 * it), and not starting with "...)", which marks an inlined frame, another frame. A creator hole
 * is 1 to 15 digits, as the block locator reads them.
 */
function patternOf(pieces: readonly string[], holes: Uint8Array): RegExp {
  let source = '';
  for (let i = 0; i < pieces.length; i++) {
    source += escapeRegExp(pieces[i]!);
    if (i < holes.length) source += holes[i] === ARGS ? '(?!\\.\\.\\.\\))[^(\\n]*' : '\\d{1,15}';
  }
  return new RegExp(source + '\\n\\n', 'y');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
