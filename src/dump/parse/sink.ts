// Where the parser's goroutines go instead of the model, for callers that only aggregate them
// (the CLI's grouping): the model's per-goroutine records are then never built or kept.
import type { Frame, Goroutine } from '../model.js';
import type { HeaderRest } from './header.js';

/** A traceback stack read once and repeated by later goroutines (see block-skeletons.ts). */
export interface RepeatedStack {
  /** Shared by every goroutine with this stack; consumers must not mutate it. */
  readonly frames: Frame[];
  /** The "created by" call site (its creatorId is the goroutine's own), or null. */
  readonly creatorSite: Frame | null;
  readonly elidedFrames: number | null;
}

export interface GoroutineSink {
  /** A goroutine record as the model would hold it (read line by line, or a pprof record). */
  add(g: Goroutine): void;
  /**
   * A traceback goroutine whose stack repeats `stack`: the record the model would hold has this
   * header, ID and section, count 1, no ancestors, and `stack`'s frames, elided frames and
   * creator site. The same stack and header objects come back for every such goroutine.
   */
  addRepeat(stack: RepeatedStack, header: HeaderRest, id: number, section: number): void;
}
