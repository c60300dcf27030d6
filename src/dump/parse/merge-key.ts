// When goroutine records are merged (aggregation, see builder.ts): two records merge when their
// keys are equal. Shared by the model builder and the streaming grouping sink, which must keep the
// same goroutine IDs as the model would.
import type { Frame, Goroutine } from '../model.js';

export class MergeKeys {
  /** Stacks (shared arrays) get small numbers for the key. */
  private readonly stackIds = new Map<readonly Frame[], number>();
  private readonly stackIdsByText = new Map<string, number>();

  /**
   * The key: stack up to argument values, section, state, wait, flags, labels and creator site.
   * The creator's goroutine ID, the record's own ID and line are left out: the merged record keeps
   * its first member's. Goroutines with ancestors are never merged (callers check).
   */
  keyOf(g: Goroutine): string {
    let sid = this.stackIds.get(g.frames);
    if (sid === undefined) {
      sid = this.stackIdOf(g.frames);
      this.stackIds.set(g.frames, sid);
    }
    const c = g.createdBy;
    let labels = '';
    for (const _k in g.labels) {
      labels = JSON.stringify(Object.entries(g.labels).sort());
      break;
    }
    return (
      `${sid}|${g.section}|${g.state}|${g.waitReason}|${g.waitMinutes}|${g.elidedFrames}|` +
      `${+g.lockedToThread}${+g.leaked}${+g.durable}|${g.bubble}|` +
      (c === null ? '-' : `${c.func}|${c.file}|${c.line}`) +
      `|${labels}`
    );
  }

  /** Forgets the stack arrays seen so far (their numbers by text stay). */
  forgetStacks(): void {
    this.stackIds.clear();
  }

  /**
   * A number per stack up to argument values: records from before aggregation started keep
   * frames keyed with their arguments, later ones do not, and both must meet in one record.
   */
  private stackIdOf(frames: readonly Frame[]): number {
    let key = '';
    for (const f of frames) key += `${f.func}\n${f.file}:${f.line}:${f.offset}:${+f.inlined}\n`;
    let id = this.stackIdsByText.get(key);
    if (id === undefined) {
      id = this.stackIdsByText.size;
      this.stackIdsByText.set(key, id);
    }
    return id;
  }
}
