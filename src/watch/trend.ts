// Growth of one group's count over the watch window, judged robustly: a leak's floor keeps rising,
// while a pool that grows and shrinks, a burst that drains, a sawtooth that returns to its base, a
// start-up ramp that levels off, or a group that appears at its full size does not. A ramp that
// rises through three quarters of the window and only then levels off cannot be told from a leak
// that stopped leaking a little while ago, and is reported (its goroutines are still there).
//
// The samples of the window are split into four quarters of time, and each quarter's floor (its
// smallest count) is taken: in-flight goroutines come and go above the floor, leaked ones raise
// it. The group grows when
//   1. each floor is higher than the one before (it rose in every part of the window, still rises
//      now; a group that appeared in one or two steps does not),
//   2. the last floor is above every count of the first quarter (not a level the group already
//      reached at the start),
//   3. the last floor exceeds the first by at least --min-growth goroutines, and
//   4. the Theil-Sen slope (the median of the slopes between every pair of samples, which a few
//      outliers cannot move) is positive; it gives the rate.
// There must be at least MIN_SAMPLES samples spanning nearly the whole window (FULL_WINDOW of it):
// judged over less, a start-up ramp that takes most of that shorter time would pass as growth.

export interface GrowthOptions {
  windowMs: number;
  minGrowth: number;
}

export interface Growth {
  /** The count at the window's first sample. */
  countAtWindowStart: number;
  /** The count at the latest sample. */
  count: number;
  /** Floors of the four quarters. */
  floors: [number, number, number, number];
  ratePerHour: number;
  /** Time the window's samples span, in ms. */
  spanMs: number;
}

export const MIN_SAMPLES = 6;
/** A window must be at least this many intervals long (the CLI checks): spanned with room to spare. */
export const MIN_WINDOW_INTERVALS = 12;
/** Share of the window the samples must span (a little less than all of it: sampling jitters). */
export const FULL_WINDOW = 0.9;
/** Pairs of samples Theil-Sen looks at are those of at most this many samples, evenly picked. */
const MAX_TREND_POINTS = 64;

/** Whether the window has enough samples over enough time to judge growth at all. */
export function judgeable(times: readonly number[], windowMs: number): boolean {
  const n = times.length;
  return n >= MIN_SAMPLES && times[n - 1]! - times[0]! >= windowMs * FULL_WINDOW;
}

/** The quarter (0 to 3) of each sample's time within the span of the window's samples. */
export function quarters(times: readonly number[]): Uint8Array {
  const n = times.length;
  const t0 = times[0]!;
  const span = times[n - 1]! - t0;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = span <= 0 ? 0 : Math.min(3, Math.floor(((times[i]! - t0) / span) * 4));
  return out;
}

/** The smallest count of each quarter; null when a quarter holds no sample. */
export function quarterFloors(counts: readonly number[], quarter: Uint8Array): [number, number, number, number] | null {
  const floors = [Infinity, Infinity, Infinity, Infinity] as [number, number, number, number];
  for (let i = 0; i < counts.length; i++) {
    const q = quarter[i]!;
    if (counts[i]! < floors[q]) floors[q] = counts[i]!;
  }
  return floors.some((f) => f === Infinity) ? null : floors;
}

/** The group's growth over the window, or null when it does not grow (see the file comment). */
export function growthOf(times: readonly number[], counts: readonly number[], quarter: Uint8Array, o: GrowthOptions): Growth | null {
  const floors = quarterFloors(counts, quarter);
  if (floors === null) return null;
  const [f1, f2, f3, f4] = floors;
  if (!(f1 < f2 && f2 < f3 && f3 < f4) || f4 - f1 < o.minGrowth) return null;
  for (let i = 0; i < counts.length && quarter[i] === 0; i++) if (counts[i]! >= f4) return null;
  const slope = theilSen(times, counts);
  if (!(slope > 0)) return null;
  const n = times.length;
  return { countAtWindowStart: counts[0]!, count: counts[n - 1]!, floors, ratePerHour: slope * 3_600_000, spanMs: times[n - 1]! - times[0]! };
}

/** The Theil-Sen slope (count per ms): the median slope over all pairs of samples. */
export function theilSen(times: readonly number[], counts: readonly number[]): number {
  const n = times.length;
  const m = Math.min(n, MAX_TREND_POINTS);
  const pick = (k: number) => (m === n ? k : Math.round((k * (n - 1)) / (m - 1)));
  const slopes = new Float64Array((m * (m - 1)) / 2);
  let s = 0;
  for (let a = 0; a < m; a++) {
    const i = pick(a);
    for (let b = a + 1; b < m; b++) {
      const j = pick(b);
      const dt = times[j]! - times[i]!;
      if (dt > 0) slopes[s++] = (counts[j]! - counts[i]!) / dt;
    }
  }
  if (s === 0) return 0;
  const sorted = slopes.subarray(0, s).sort();
  return s % 2 === 1 ? sorted[(s - 1) / 2]! : (sorted[s / 2 - 1]! + sorted[s / 2]!) / 2;
}
