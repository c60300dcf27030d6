// Whole-goroutine fast path, part 3: what the parser does at a goroutine header. The block is
// located (block-shape.ts) and matched against templates (block-templates.ts): first the template
// that followed the previous block's template last time, since dumps list goroutines in the same
// order again and again (pools, repeated sections), then any template with the same stack text.
// A block without a template is read line by line by the parser and becomes one.

import type { Frame, Goroutine } from '../model.js';
import { BlockLocator, type BlockShape } from './block-shape.js';
import { Skeletons, type Skeleton } from './block-skeletons.js';
import { BlockTemplates, type BlockTemplate } from './block-templates.js';
import { HeaderRests, type HeaderRest } from './header.js';
import type { RepeatedStack } from './sink.js';

/** What a block read whole repeats: a stack read before, and how many lines its goroutine took. */
export interface RepeatedBlock extends RepeatedStack {
  /** Lines from the header to the blank line, both included. */
  readonly lines: number;
}

/** One goroutine read line by line, with what a template needs that the model does not hold. */
export interface CleanRead {
  goroutine: Goroutine;
  /** The "created by" call site, or null when the goroutine has no creator. */
  creatorSite: Frame | null;
  /** Lines read, header and blank line included. */
  lines: number;
}

/** What the block reader asks of the parser. */
export interface BlockHost {
  /** Whether the model is aggregating: its frames then differ, and templates start over. */
  readonly aggregating: boolean;
  /**
   * Whether frames are keyed without their argument values (see DumpBuilder.framesWithoutArgs):
   * blocks are then matched against skeletons (block-skeletons.ts) rather than whole templates.
   */
  readonly framesWithoutArgs: boolean;
  /**
   * Reads s[at, end) with the line state machine; the goroutine when those lines were exactly one
   * goroutine, ended by the blank line, with nothing skipped and no ancestors, else null.
   */
  readLines(s: string, at: number, end: number): CleanRead | null;
  /** Adds the goroutine of a block read by template or skeleton (its header is the next line). */
  addRepeat(t: RepeatedBlock, header: HeaderRest, shape: BlockShape): void;
}

/** Blocks per round of the check whether templates pay off. */
const ROUND = 256;
/** The guess score's ceiling: how long a run of right guesses keeps guessing through wrong ones. */
const GUESS_SCORE_MAX = 16;
/** Blocks without guessing before the guess is tried again. */
const GUESS_REST = 1024;
/** The longest pause, in blocks, after rounds where templates did not pay off. */
const MAX_PAUSE = 64 * 1024;

export class BlockReader {
  private readonly locator = new BlockLocator();
  private readonly templates = new BlockTemplates();
  private readonly skeletons = new Skeletons();
  /** The skeleton of the block just read (null when it was not read by skeleton): its `next` is the guess. */
  private previousSkeleton: Skeleton | null = null;
  /** Right guesses count one up, wrong ones two down; below zero the guess is not tried. */
  private guessScore = 0;
  /** Blocks since guessing stopped: after GUESS_REST it is tried again. */
  private guessRest = 0;
  /** Whether the model was aggregating when the templates were made. */
  private templatesAggregating = false;
  /** The template of the block just read (null when it was not read by template): its `next` is the guess. */
  private previous: BlockTemplate | null = null;
  /**
   * When most blocks are new (argument values that differ per goroutine make every stack text
   * unique), learning costs more than it saves: after such a round of ROUND blocks the reader
   * leaves `paused` blocks to the line state machine, pausing twice as long after each such round.
   */
  private blocksInRound = 0;
  private learnedInRound = 0;
  private paused = 0;
  private pause = ROUND;

  constructor(
    private readonly host: BlockHost,
    private readonly headerRests: HeaderRests,
  ) {}

  /**
   * Reads the goroutine block at `at` (a header at the start of a line, outside any goroutine,
   * no log prefix) when it lies whole in `s` and ends with a blank line; returns where the next
   * line starts, or -1 to leave the line to the state machine.
   */
  read(s: string, at: number): number {
    if (this.paused > 0) {
      this.paused--;
      return -1;
    }
    if (++this.blocksInRound === ROUND) this.endRound();
    const locator = this.locator;
    if (!locator.id(s, at)) return -1;
    if (this.host.framesWithoutArgs) return this.readBySkeleton(s, at);
    const previous = this.previous;
    this.previous = null;
    const shape = locator.shape;
    const templates = this.templates;
    const aggregating = this.host.aggregating;
    if (this.templatesAggregating !== aggregating) {
      templates.clear();
      this.templatesAggregating = aggregating;
    }
    const guess = previous === null ? null : previous.next;
    let t: BlockTemplate | undefined;
    let header: HeaderRest | null;
    if (guess !== null && templates.confirmWhole(s, at, shape, guess)) {
      // The most common case: the goroutine after the last one repeats the one that followed it before.
      t = guess;
      header = guess.header!;
    } else {
      if (!locator.headerEnd(s, at)) return -1;
      header = this.headerRests.parse(s, at, shape.idEnd, shape.headerEnd);
      if (header === null) return -1;
      if (guess !== null && templates.confirm(s, at, shape, guess)) {
        t = guess;
      } else {
        if (!locator.stack(s, at)) return -1;
        t = templates.find(s, shape);
        if (t === undefined) {
          // Read line by line (its goroutine is added as it is read); the result becomes a template.
          this.learnedInRound++;
          const learned = this.learn(s, at, shape);
          if (learned !== undefined) {
            templates.rememberHeader(s, shape, learned, header);
            if (previous !== null) previous.next = learned;
            this.previous = learned;
          }
          return shape.stackEnd + 2;
        }
        if (previous !== null) previous.next = t;
      }
      templates.rememberHeader(s, shape, t, header);
    }
    this.previous = t;
    this.host.addRepeat(t, header, shape);
    return shape.stackEnd + 2;
  }

  /** read() once frames are keyed without arguments: the block's stack is matched against skeletons. */
  private readBySkeleton(s: string, at: number): number {
    const locator = this.locator;
    const shape = locator.shape;
    const previous = this.previousSkeleton;
    this.previousSkeleton = null;
    if (!locator.headerEnd(s, at)) return -1;
    const skeletons = this.skeletons;
    // The guess pays when goroutines come in the same order again (pools started in a loop, the
    // same program dumped twice); in an order that does not repeat it is a wasted comparison,
    // so it is only tried while it is right at least about a third of the time.
    const guess = previous === null || this.guessScore < 0 ? null : previous.next;
    let k: Skeleton | undefined;
    if (guess !== null && skeletons.match(s, at, shape, guess)) {
      k = guess;
      if (this.guessScore < GUESS_SCORE_MAX) this.guessScore++;
    } else {
      if (guess !== null) this.guessScore -= 2;
      else if (++this.guessRest === GUESS_REST) {
        this.guessRest = 0;
        this.guessScore = 0; // try guessing again
      }
      k = skeletons.find(s, at, shape);
      if (k === undefined) {
        // Read line by line (its goroutine is added as it is read); the result becomes a skeleton.
        if (!locator.stack(s, at) || this.headerRests.parse(s, at, shape.idEnd, shape.headerEnd) === null) return -1;
        this.learnedInRound++;
        const learned = this.learnSkeleton(s, at, shape);
        if (learned !== undefined) {
          if (previous !== null) previous.next = learned;
          this.previousSkeleton = learned;
        }
        return shape.stackEnd + 2;
      }
      if (previous !== null) previous.next = k;
    }
    const header = k.headers.parse(s, at, shape.idEnd, shape.headerEnd, this.headerRests);
    if (header === null) return -1;
    this.previousSkeleton = k;
    this.host.addRepeat(k, header, shape);
    return shape.stackEnd + 2;
  }

  /** Reads the block line by line, and makes a skeleton of it when it read cleanly. */
  private learnSkeleton(s: string, at: number, shape: BlockShape): Skeleton | undefined {
    const read = this.host.readLines(s, at, shape.stackEnd + 2);
    if (read === null || !this.host.framesWithoutArgs) return undefined;
    const g = read.goroutine;
    if (g.createdBy !== null && (read.creatorSite === null || g.createdBy.creatorId !== shape.creatorId)) return undefined;
    return this.skeletons.add(s, shape, { frames: g.frames, creatorSite: read.creatorSite, elidedFrames: g.elidedFrames, lines: read.lines });
  }

  private endRound(): void {
    if (this.learnedInRound * 2 > ROUND) {
      this.paused = this.pause;
      this.pause = Math.min(this.pause * 2, MAX_PAUSE);
      this.previous = null;
      this.previousSkeleton = null;
    } else {
      this.pause = ROUND;
    }
    this.blocksInRound = 0;
    this.learnedInRound = 0;
  }

  /** Reads the block line by line, and makes a template of it when it read cleanly. */
  private learn(s: string, at: number, shape: BlockShape): BlockTemplate | undefined {
    const aggregating = this.host.aggregating;
    const read = this.host.readLines(s, at, shape.stackEnd + 2);
    if (read === null || this.host.aggregating !== aggregating) return undefined;
    const g = read.goroutine;
    if (g.createdBy !== null && (read.creatorSite === null || g.createdBy.creatorId !== shape.creatorId)) return undefined;
    return this.templates.add(s, shape, { frames: g.frames, creatorSite: read.creatorSite, elidedFrames: g.elidedFrames, lines: read.lines });
  }
}
