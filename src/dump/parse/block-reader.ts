// Whole-goroutine fast path, part 3: what the parser does at a goroutine header. The block's
// header is located (block-shape.ts) and its stack matched against skeletons (block-skeletons.ts):
// first the skeleton that followed the previous block's last time, since dumps often list
// goroutines in the same order again (pools, repeated sections), then the skeletons with the same
// top frame. A block that matches none is read line by line by the parser and becomes one.

import type { Frame, Goroutine } from '../model.js';
import { BlockLocator, type BlockShape } from './block-shape.js';
import { Skeletons, type Skeleton } from './block-skeletons.js';
import type { HeaderRest, HeaderRests } from './header.js';
import type { RepeatedStack } from './sink.js';

/** What a block read whole repeats: a stack read before, and how many lines its goroutine took. */
export interface RepeatedBlock extends RepeatedStack {
  /** Lines from the header to the blank line, both included. */
  readonly lines: number;
}

/** One goroutine read line by line, with what a skeleton needs that the model does not hold. */
export interface CleanRead {
  goroutine: Goroutine;
  /** The "created by" call site, or null when the goroutine has no creator. */
  creatorSite: Frame | null;
  /** Lines read, header and blank line included. */
  lines: number;
}

/** What the block reader asks of the parser. */
export interface BlockHost {
  /**
   * Whether frames are keyed without their argument values (see DumpBuilder.framesWithoutArgs):
   * a repeated block then has its skeleton's frames; otherwise each goroutine gets frames with its
   * own arguments. When it changes (the model starts aggregating), skeletons start over.
   */
  readonly framesWithoutArgs: boolean;
  /**
   * Reads s[at, end) with the line state machine; the goroutine when those lines were exactly one
   * goroutine, ended by the blank line, with nothing skipped and no ancestors, else null.
   */
  readLines(s: string, at: number, end: number): CleanRead | null;
  /**
   * Adds the goroutine of a block read by skeleton `t` (its header is the next line), whose
   * frames are `frames`: t.frames, or copies with the block's own arguments.
   */
  addRepeat(t: RepeatedBlock, header: HeaderRest, shape: BlockShape, frames: Frame[]): void;
}

/** Blocks per round of the check whether skeletons pay off. */
const ROUND = 256;
/** The longest pause, in blocks, after rounds where skeletons did not pay off. */
const MAX_PAUSE = 64 * 1024;
/** The guess score's ceiling: how long a run of right guesses keeps guessing through wrong ones. */
const GUESS_SCORE_MAX = 16;
/** Blocks without guessing before the guess is tried again. */
const GUESS_REST = 1024;

export class BlockReader {
  private readonly locator = new BlockLocator();
  private readonly skeletons = new Skeletons();
  /** host.framesWithoutArgs when the skeletons were made. */
  private skeletonsWithoutArgs: boolean;
  /** The skeleton of the block just read (null when it was not read by skeleton): its `next` is the guess. */
  private previous: Skeleton | null = null;
  /** Right guesses count one up, wrong ones two down; below zero the guess is not tried. */
  private guessScore = 0;
  /** Blocks since guessing stopped: after GUESS_REST it is tried again. */
  private guessRest = 0;
  /**
   * When most blocks are new (stacks that do not repeat), learning costs more than it saves:
   * after such a round of ROUND blocks the reader leaves `paused` blocks to the line state
   * machine, pausing twice as long after each such round.
   */
  private blocksInRound = 0;
  private learnedInRound = 0;
  private paused = 0;
  private pause = ROUND;

  constructor(
    private readonly host: BlockHost,
    private readonly headerRests: HeaderRests,
  ) {
    this.skeletonsWithoutArgs = host.framesWithoutArgs;
  }

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
    if (!locator.id(s, at) || !locator.headerEnd(s, at)) return -1;
    const shape = locator.shape;
    const withoutArgs = this.host.framesWithoutArgs;
    const skeletons = this.skeletons;
    if (withoutArgs !== this.skeletonsWithoutArgs) {
      // The model started aggregating: frames made so far are keyed with their arguments.
      skeletons.clear();
      this.skeletonsWithoutArgs = withoutArgs;
    }
    const previous = this.previous;
    this.previous = null;
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
      k = skeletons.find(s, at, locator);
      if (k === undefined) {
        // Read line by line (its goroutine is added as it is read); the result becomes a skeleton.
        if (!locator.stack(s, at) || this.headerRests.parse(s, at, shape.idEnd, shape.headerEnd) === null) return -1;
        this.learnedInRound++;
        const learned = this.learn(s, at, shape, withoutArgs);
        if (learned !== undefined) {
          if (previous !== null) previous.next = learned;
          this.previous = learned;
        }
        return shape.stackEnd + 2;
      }
      if (previous !== null) previous.next = k;
    }
    const header = k.headers.parse(s, at, shape.idEnd, shape.headerEnd, this.headerRests);
    if (header === null) return -1;
    this.previous = k;
    this.host.addRepeat(k, header, shape, withoutArgs ? k.frames : skeletons.framesWithArgs(s, shape, k));
    return shape.stackEnd + 2;
  }

  private endRound(): void {
    if (this.learnedInRound * 2 > ROUND) {
      this.paused = this.pause;
      this.pause = Math.min(this.pause * 2, MAX_PAUSE);
      this.previous = null;
    } else {
      this.pause = ROUND;
    }
    this.blocksInRound = 0;
    this.learnedInRound = 0;
  }

  /** Reads the block line by line, and makes a skeleton of it when it read cleanly. */
  private learn(s: string, at: number, shape: BlockShape, withoutArgs: boolean): Skeleton | undefined {
    const read = this.host.readLines(s, at, shape.stackEnd + 2);
    if (read === null || this.host.framesWithoutArgs !== withoutArgs) return undefined;
    const g = read.goroutine;
    if (g.createdBy !== null && (read.creatorSite === null || g.createdBy.creatorId !== shape.creatorId)) return undefined;
    return this.skeletons.add(s, shape, { frames: g.frames, creatorSite: read.creatorSite, elidedFrames: g.elidedFrames, lines: read.lines });
  }
}
