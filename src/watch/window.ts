// The recent history of one target's current series, in memory: sample times and, per group, the
// count at each of those samples (0 when the group was absent). Verdicts read it; the store keeps
// the full history.

export class SeriesWindow {
  readonly times: number[] = [];
  private readonly counts = new Map<string, number[]>();

  get size(): number {
    return this.times.length;
  }

  /** Adds a sample's counts by group ID. */
  add(at: number, counts: ReadonlyMap<string, number>): void {
    const index = this.times.length;
    this.times.push(at);
    for (const [gid, series] of this.counts) series.push(counts.get(gid) ?? 0);
    for (const [gid, count] of counts) {
      if (this.counts.has(gid)) continue;
      const series = new Array<number>(index + 1).fill(0);
      series[index] = count;
      this.counts.set(gid, series);
    }
  }

  /** Drops samples taken before `from`, and groups that are absent from every sample left. */
  trimBefore(from: number): void {
    let drop = 0;
    while (drop < this.times.length && this.times[drop]! < from) drop++;
    if (drop === 0) return;
    this.times.splice(0, drop);
    for (const [gid, series] of this.counts) {
      series.splice(0, drop);
      if (series.every((c) => c === 0)) this.counts.delete(gid);
    }
  }

  clear(): void {
    this.times.length = 0;
    this.counts.clear();
  }

  series(gid: string): readonly number[] | undefined {
    return this.counts.get(gid);
  }

  entries(): IterableIterator<[string, number[]]> {
    return this.counts.entries();
  }
}
