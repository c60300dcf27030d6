// Whole-goroutine fast path, part 3: what the parser does at a goroutine header. The block is
// located (block-shape.ts) and matched against templates (block-templates.ts): first the template
// that followed the previous block's template last time, since dumps list goroutines in the same
// order again and again (pools, repeated sections), then any template with the same stack text.
// A block without a template is read line by line by the parser and becomes one.

import type { Frame, Goroutine } from '../model.js';
import { BlockLocator, type BlockShape } from './block-shape.js';
import { BlockTemplates, type BlockTemplate } from './block-templates.js';
import { HeaderRests, type HeaderRest } from './header.js';

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
   * Reads s[at, end) with the line state machine; the goroutine when those lines were exactly one
   * goroutine, ended by the blank line, with nothing skipped and no ancestors, else null.
   */
  readLines(s: string, at: number, end: number): CleanRead | null;
  /** Adds the goroutine of a block read by template (its header is the next line). */
  addRepeat(t: BlockTemplate, header: HeaderRest, shape: BlockShape): void;
}

/** Blocks per round of the check whether templates pay off. */
const ROUND = 256;
/** The longest pause, in blocks, after rounds where templates did not pay off. */
const MAX_PAUSE = 64 * 1024;

export class BlockReader {
  private readonly locator = new BlockLocator();
  private readonly templates = new BlockTemplates();
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
    const previous = this.previous;
    this.previous = null;
    const locator = this.locator;
    if (!locator.id(s, at)) return -1;
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
