// The growth verdict on synthetic series: a leak (steady, noisy, step-wise) grows; a pool that
// grows and shrinks, a burst that drains, a sawtooth that returns to its base, a start-up ramp
// that levels off, a group that appears at full size and an idle set do not.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FULL_WINDOW, growthOf, judgeable, quarters, theilSen, type GrowthOptions } from './trend.js';

const WINDOW = 30 * 60_000;
const INTERVAL = 15_000;
const OPTIONS: GrowthOptions = { windowMs: WINDOW, minGrowth: 20 };

/** A window of samples every 15 s, the count at each given by f(seconds since the window started). */
function series(f: (s: number) => number, windowMs = WINDOW): { times: number[]; counts: number[] } {
  const times: number[] = [];
  const counts: number[] = [];
  for (let t = 0; t <= windowMs; t += INTERVAL) {
    times.push(1_700_000_000_000 + t);
    counts.push(Math.max(0, Math.round(f(t / 1000))));
  }
  return { times, counts };
}

const judge = (s: { times: number[]; counts: number[] }, o = OPTIONS) => growthOf(s.times, s.counts, quarters(s.times), o);

/** A deterministic pseudo-random sequence (tests must not flake). */
function noise(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

describe('growth', () => {
  it('a leak of one goroutine a minute over 30 minutes grows, at about 60 an hour', () => {
    const g = judge(series((s) => 10 + s / 60));
    expect(g).not.toBeNull();
    expect(g!.ratePerHour).toBeCloseTo(60, 0);
    expect(g!.countAtWindowStart).toBe(10);
    expect(g!.count).toBe(40);
  });

  it('a leak under in-flight noise of the same group grows', () => {
    const rnd = noise(7);
    const g = judge(series((s) => 5 + s / 40 + rnd() * 15));
    expect(g).not.toBeNull();
    expect(g!.ratePerHour).toBeGreaterThan(60);
    expect(g!.ratePerHour).toBeLessThan(120);
  });

  it('a leak that happens in bursts (a step every 3 minutes) grows', () => {
    expect(judge(series((s) => 4 * Math.floor(s / 180)))).not.toBeNull();
  });

  it('a rise below --min-growth is not growth', () => {
    expect(judge(series((s) => 10 + s / 120))).toBeNull(); // +15 in 30 minutes
    expect(judge(series((s) => 10 + s / 120), { windowMs: WINDOW, minGrowth: 10 })).not.toBeNull();
  });

  it('a pool that grows and shrinks (several cycles in the window) is not growth', () => {
    expect(judge(series((s) => 20 + 80 * Math.abs(Math.sin((s / 300) * Math.PI))))).toBeNull();
  });

  it('a pool whose single cycle spans the window is not growth, whatever its phase', () => {
    for (let phase = 0; phase < 1; phase += 0.05) {
      expect(judge(series((s) => 50 + 45 * Math.sin(2 * Math.PI * (s / 1800 + phase))))).toBeNull();
    }
  });

  it('a burst that drains is not growth', () => {
    expect(judge(series((s) => (s > 900 && s < 1300 ? 10 + (s - 900) / 2 : 10)))).toBeNull();
  });

  it('a sawtooth that returns to its base is not growth', () => {
    expect(judge(series((s) => 10 + ((s % 400) / 400) * 100))).toBeNull();
  });

  it('a start-up ramp over the first half that then levels off is not growth', () => {
    expect(judge(series((s) => Math.min(100, (s / 900) * 100)))).toBeNull();
  });

  it('a group that appears at its full size, once or in two steps, is not growth', () => {
    expect(judge(series((s) => (s > 1000 ? 200 : 0)))).toBeNull();
    expect(judge(series((s) => (s > 700 ? 100 : 0) + (s > 1300 ? 100 : 0)))).toBeNull();
  });

  it('an idle set that stays is not growth', () => {
    expect(judge(series(() => 8))).toBeNull();
  });

  it('a slow pool growth that stops before the third quarter is not growth; through the third it is', () => {
    expect(judge(series((s) => 10 + Math.min(s, 800) / 20))).toBeNull();
    // Rising through three quarters, then level: the same as a leak that stopped (see trend.ts).
    expect(judge(series((s) => 10 + Math.min(s, 1300) / 20))).not.toBeNull();
  });

  it('a leak that started in the middle of the window is growth only once it rose in every quarter', () => {
    expect(judge(series((s) => (s < 900 ? 5 : 5 + (s - 900) / 20)))).toBeNull();
    expect(judge(series((s) => (s < 300 ? 5 : 5 + (s - 300) / 20)))).not.toBeNull();
  });

  it('property: no series is growth unless its last quarter lies above all of its first quarter', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 121, maxLength: 121 }), (counts) => {
        const s = series(() => 0);
        const quarter = quarters(s.times);
        const g = growthOf(s.times, counts, quarter, OPTIONS);
        if (g === null) return true;
        const firstMax = Math.max(...counts.filter((_, i) => quarter[i] === 0));
        const lastMin = Math.min(...counts.filter((_, i) => quarter[i] === 3));
        return lastMin > firstMax && lastMin - Math.min(...counts.filter((_, i) => quarter[i] === 0)) >= OPTIONS.minGrowth;
      }),
    );
  });
});

describe('judgeable', () => {
  it('needs samples over nearly the whole window', () => {
    const full = series((s) => s);
    expect(judgeable(full.times, WINDOW)).toBe(true);
    const cut = Math.floor(full.times.length * FULL_WINDOW) - 2;
    expect(judgeable(full.times.slice(0, cut), WINDOW)).toBe(false);
    expect(judgeable(full.times.slice(0, 5), 4 * INTERVAL)).toBe(false);
  });
});

describe('theilSen', () => {
  it('is the median slope: a few outliers do not move it', () => {
    const times = Array.from({ length: 40 }, (_, i) => i * 1000);
    const counts = times.map((t) => t / 1000);
    counts[5] = 500;
    counts[30] = 0;
    expect(theilSen(times, counts) * 1000).toBeCloseTo(1, 5);
  });

  it('is 0 for a flat series and for a single pair without elapsed time', () => {
    expect(theilSen([0, 1, 2, 3], [4, 4, 4, 4])).toBe(0);
    expect(theilSen([5, 5], [1, 9])).toBe(0);
  });
});
