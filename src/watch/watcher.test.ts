// The scheduler's own measure of how late samples start: a blocked event loop shows as lag, and a
// block longer than the interval as skipped ticks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debug1Profile, FakeTargets, heapAnswer } from '../bench/fake-targets.js';
import { Scrubber } from './redact.js';
import { WatchStore } from './store.js';
import { parseTarget } from './target.js';
import { DEFAULT_SETTINGS, type WatchEvents } from './target-watch.js';
import { Watcher } from './watcher.js';

const events: WatchEvents & { error(m: string): void } = { alert() {}, state() {}, note() {}, sampled() {}, error() {} };

describe('Watcher.samplingLag', () => {
  let fake: FakeTargets;
  beforeAll(async () => {
    fake = await FakeTargets.start();
    fake.set(0, (endpoint) => {
      if (endpoint === 'goroutine') return { body: debug1Profile([{ count: 3, func: 'main.work', file: '/app/main.go', line: 9 }]) };
      if (endpoint === 'heap') return heapAnswer(1000, 1);
      return null;
    });
  });
  afterAll(() => fake.close());

  it('is small while the loop is free, and shows a blocked loop as lag and skipped ticks', async () => {
    const store = new WatchStore(null);
    const settings = { ...DEFAULT_SETTINGS, intervalMs: 50, windowMs: 600, snapshots: false, snapshotDir: null };
    const watcher = new Watcher({ targets: [parseTarget(fake.url(0))], targetsFile: null, durationMs: null, retentionMs: 86_400_000 }, settings, store, new Scrubber(), events);
    const running = watcher.run();
    await new Promise((r) => setTimeout(r, 600));
    const free = watcher.samplingLag(0);
    expect(free.samples).toBeGreaterThanOrEqual(6);
    const blockedAt = Date.now();
    // Hold the event loop for three intervals, as a server that computed synchronously would.
    while (Date.now() - blockedAt < 160) {
      /* busy */
    }
    await new Promise((r) => setTimeout(r, 200));
    const blocked = watcher.samplingLag(blockedAt);
    await watcher.stop();
    await running;
    store.close();
    // A tick due during the block starts late by 110 ms or more, and the ticks after it are
    // skipped; a sample in flight during the block (its answer waiting for the loop) starts the
    // next one on time but skips the two or three it missed. Which one happens depends on timing.
    expect(blocked.skipped).toBeGreaterThanOrEqual(1);
    expect(blocked.maxMs >= 100 || blocked.skipped >= 2, `a 160 ms block seen as ${JSON.stringify(blocked)}`).toBe(true);
    expect(watcher.samplingLag(Date.now() + 1)).toEqual({ samples: 0, skipped: 0, p50Ms: 0, p95Ms: 0, maxMs: 0 });
  });
});
