// One target's sampling against fake pprof endpoints, with time passed in: growth that fires once,
// holds and resolves; restarts; stale goroutines and the goroutineleak profile from the corpus;
// broken answers; a watch that continues from its database.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debug1Profile, FakeTargets, heapAnswer, type FakeHandler } from '../bench/fake-targets.js';
import { groupGoroutines } from '../dump/analyze/index.js';
import { parseDump } from '../dump/parse/index.js';
import { SHARED_DIR, sharedUnavailable } from '../testing/env.js';
import type { Alert } from './alerts.js';
import { GroupCatalog } from './group-info.js';
import { labelledStackKey } from './profile.js';
import { Scrubber } from './redact.js';
import { WatchStore } from './store.js';
import { parseTarget } from './target.js';
import { DEFAULT_SETTINGS, TargetWatch, type WatchEvents, type WatchSettings } from './target-watch.js';

const MINUTE = 60_000;
const T0 = Date.parse('2025-06-01T00:00:00Z');
const SETTINGS: WatchSettings = { ...DEFAULT_SETTINGS, timeoutMs: 2000, windowMs: 5 * MINUTE, maxBytes: 1 << 20, snapshotDir: null };

class Recorder implements WatchEvents {
  fired: Alert[] = [];
  resolved: Alert[] = [];
  notes: string[] = [];
  states: boolean[] = [];
  alert(_t: TargetWatch, change: 'fired' | 'resolved', a: Alert) {
    (change === 'fired' ? this.fired : this.resolved).push({ ...a });
  }
  state(_t: TargetWatch, up: boolean) {
    this.states.push(up);
  }
  note(_t: TargetWatch, message: string) {
    this.notes.push(message);
  }
  sampled() {}
}

const LEAK = { func: 'main.leak.func1', file: '/app/main.go', line: 42 };
const IDLE = { func: 'main.idle', file: '/app/main.go', line: 60 };
const POOL = { func: 'main.poolWorker', file: '/app/pool.go', line: 12 };

/** debug=2 text of the leaking goroutines: states and creators that debug=1 lacks. */
function leakTraceback(n: number): string {
  const one = (id: number) => `goroutine ${id} [chan send, 3 minutes]:\nmain.leak.func1()\n\t/app/main.go:42 +0x2d\ncreated by main.leak\n\t/app/main.go:41 +0x4f\n`;
  return Array.from({ length: Math.max(1, n) }, (_, i) => one(100 + i)).join('\n');
}

/** A service whose leak group grows by `leak()` while a pool oscillates and an idle set stays. */
function service(state: { leaked: number; mallocs: number; tick: number }): FakeHandler {
  return (endpoint, debug) => {
    if (endpoint === 'heap') return heapAnswer(state.mallocs, Math.floor(state.mallocs / 100));
    if (endpoint === 'goroutine' && debug === '2') return { body: leakTraceback(state.leaked) };
    if (endpoint === 'goroutine') {
      const pool = 4 + ((state.tick * 7) % 36);
      return { body: debug1Profile([{ ...LEAK, count: state.leaked }, { ...IDLE, count: 8 }, { ...POOL, count: pool }]) };
    }
    return null;
  };
}

let fake: FakeTargets;
let next = 0;
beforeAll(async () => {
  fake = await FakeTargets.start();
});
afterAll(async () => {
  await fake.close();
});

function watchOf(handler: FakeHandler, settings: Partial<WatchSettings> = {}, store = new WatchStore(null)) {
  const n = next++;
  fake.set(n, handler);
  const events = new Recorder();
  const watch = new TargetWatch(parseTarget(fake.url(n)), { ...SETTINGS, ...settings }, store, new GroupCatalog(), new Scrubber(), events, T0);
  return { watch, events, store, n };
}

describe('growth alerts', () => {
  it('fire once for the leaking group only, with state and creator from the snapshot, hold, and resolve', async () => {
    const s = { leaked: 3, mallocs: 1000, tick: 0 };
    const { watch, events } = watchOf(service(s));
    let t = T0;
    const step = async (leak: number) => {
      s.leaked += leak;
      s.mallocs += 50;
      s.tick++;
      await watch.sample(t);
      t += 15_000;
    };
    for (let i = 0; i < 17; i++) await step(1);
    expect(events.fired).toHaveLength(0); // the window is not full yet: 4 minutes
    for (let i = 0; i < 8; i++) await step(4);
    expect(events.fired).toHaveLength(1);
    const a = events.fired[0]!;
    expect(a.kind).toBe('growth');
    expect(watch.info(a.gid!)!.location).toEqual(LEAK);
    expect(a.detail).toEqual({ state: 'chan send', createdBy: { func: 'main.leak', file: '/app/main.go', line: 41 } });
    expect(a.ratePerHour).toBeGreaterThan(240);
    // The leak stops: the goroutines stay, so does the alert.
    for (let i = 0; i < 30; i++) await step(0);
    expect(events.fired).toHaveLength(1);
    expect(events.resolved).toHaveLength(0);
    // They go away: resolved once the last quarter of the window is back down.
    s.leaked = 3;
    for (let i = 0; i < 10; i++) await step(0);
    expect(events.fired).toHaveLength(1);
    expect(events.resolved.map((r) => r.resolveReason)).toEqual(['the condition no longer holds']);
  });

  it('a restart (allocation counters fall) starts a new series and resolves the alert without a new one', async () => {
    const s = { leaked: 3, mallocs: 1000, tick: 0 };
    const { watch, events } = watchOf(service(s));
    let t = T0;
    for (let i = 0; i < 25; i++) {
      s.leaked += 2;
      s.mallocs += 50;
      await watch.sample((t += 15_000));
    }
    expect(events.fired).toHaveLength(1);
    s.leaked = 0;
    s.mallocs = 400;
    for (let i = 0; i < 16; i++) {
      s.leaked++;
      s.mallocs += 50;
      await watch.sample((t += 15_000));
    }
    expect(events.resolved).toHaveLength(1);
    expect(events.resolved[0]!.resolveReason).toMatch(/^target restarted: its allocation counters fell/);
    expect(events.notes.some((n) => n.startsWith('new series: restarted'))).toBe(true);
    // 4 minutes into the new series: its window is not full, so no alert yet.
    expect(events.fired).toHaveLength(1);
  });

  it('a watch continued from its database keeps its window and firing alert: no second fire', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'goroscope-watch-'));
    try {
      const s = { leaked: 3, mallocs: 1000, tick: 0 };
      const file = path.join(dir, 'w.db');
      const first = watchOf(service(s), {}, new WatchStore(file));
      let t = T0;
      for (let i = 0; i < 25; i++) {
        s.leaked += 2;
        s.mallocs += 50;
        await first.watch.sample((t += 15_000));
      }
      expect(first.events.fired).toHaveLength(1);
      first.store.close();
      const store = new WatchStore(file);
      const events = new Recorder();
      const again = new TargetWatch(parseTarget(fake.url(first.n)), SETTINGS, store, new GroupCatalog(), new Scrubber(), events, t);
      expect(again.window.size).toBeGreaterThan(18);
      expect(again.alerts.all().map((a) => a.kind)).toEqual(['growth']);
      for (let i = 0; i < 5; i++) {
        s.leaked++;
        s.mallocs += 50;
        await again.sample((t += 15_000));
      }
      expect(events.fired).toHaveLength(0);
      expect(events.notes.filter((n) => n.startsWith('new series'))).toEqual([]);
      store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('benign by state', () => {
  const main = { func: 'main.main', file: '/app/main.go', line: 30 };
  const parked = (n: number) => Array.from({ length: n }, (_, i) => `goroutine ${i + 1} [select (no cases)]:\nmain.main()\n\t/app/main.go:30 +0x1f\n`).join('\n');
  // A growing group that only a debug=2 read shows benign (the main goroutine parked in select {}):
  // known from the first snapshot, or learnt from the snapshot of the alert it would have raised.
  for (const firstSnapshotFails of [false, true]) {
    it(`raises no alert (${firstSnapshotFails ? 'learnt when the alert fires' : 'known from the first snapshot'})`, async () => {
      const s = { n: 1, debug2: 0 };
      const { watch, events } = watchOf(
        (endpoint, debug) => {
          if (endpoint !== 'goroutine') return null;
          if (debug !== '2') return { body: debug1Profile([{ ...main, count: s.n }]) };
          return s.debug2++ === 0 && firstSnapshotFails ? { status: 500, body: 'busy' } : { body: parked(s.n) };
        },
        { snapshotIntervalMs: 60 * MINUTE },
      );
      for (let i = 0; i < 30; i++) {
        s.n += 3;
        await watch.sample(T0 + i * 15_000);
      }
      expect(s.debug2).toBe(firstSnapshotFails ? 2 : 1);
      expect(events.fired).toEqual([]);
      expect(watch.alerts.all()).toEqual([]);
    });
  }
});

describe('threshold alerts', () => {
  it('fire above the limit and resolve below 90% of it', async () => {
    const s = { leaked: 50, mallocs: 1000, tick: 0 };
    const { watch, events } = watchOf(service(s), { maxGroup: 60 });
    let t = T0;
    for (const leaked of [50, 61, 58, 55, 53]) {
      s.leaked = leaked;
      await watch.sample((t += 15_000));
    }
    expect(events.fired.map((a) => [a.kind, a.count])).toEqual([['threshold', 61]]);
    expect(events.resolved.map((a) => a.kind)).toEqual(['threshold']);
  });
});

describe('broken answers', () => {
  const cases: Array<[string, FakeHandler, RegExp]> = [
    ['an HTML page', () => ({ body: '<!DOCTYPE html><html>login</html>', contentType: 'text/html' }), /HTML page/],
    ['a 404', () => null, /HTTP 404: not found/],
    ['a 500', () => ({ status: 500, body: 'boom' }), /HTTP 500/],
    ['a truncated profile', () => ({ body: debug1Profile([{ ...LEAK, count: 10 }]).replace('total 10', 'total 50') }), /cut short: it declares 50 goroutines and holds 10/],
    ['a huge profile', () => ({ body: 'x'.repeat(2 << 20) }), /larger than --max-bytes/],
    ['a slow target', () => ({ body: '', delayMs: Infinity }), /no complete answer within 300 ms/],
    ['an empty answer', () => ({ body: '' }), /empty answer/],
  ];
  for (const [what, handler, message] of cases) {
    it(`${what}: the target is down with a clear message`, async () => {
      const { watch, events } = watchOf(handler, { timeoutMs: 300 });
      await watch.sample(T0);
      expect(watch.up).toBe(false);
      expect(watch.lastError).toMatch(message);
      expect(events.states).toEqual([false]);
      expect(watch.nextDelay()).toBe(SETTINGS.intervalMs);
      await watch.sample(T0 + 15_000);
      expect(watch.nextDelay()).toBe(2 * SETTINGS.intervalMs);
    });
  }

  it('falls back to debug=0 when debug=1 is not a profile', async () => {
    const skip = sharedUnavailable();
    if (skip) return void console.warn(skip);
    const proto = readFileSync(path.join(SHARED_DIR, 'testdata/dumps/generated/go1.23/pprof_goroutine_debug0.pb.gz'));
    const { watch } = watchOf((endpoint, debug) => (endpoint !== 'goroutine' ? null : debug === '0' ? { body: proto } : { body: 'profile unavailable' }));
    await watch.sample(T0);
    expect(watch.up).toBe(true);
    expect(watch.lastTotal).toBe(108);
  });
});

describe.skipIf(sharedUnavailable() !== null)('corpus profiles', () => {
  const gen = path.join(SHARED_DIR, 'testdata/dumps/generated');

  it('stale: workers blocked 2 minutes alert when the group held the floor, and carry state and creator', async () => {
    const dir = path.join(gen, 'go1.19/wait_minutes');
    const debug1 = readFileSync(path.join(dir, 'pprof_goroutine_debug1.txt'));
    const debug2 = readFileSync(path.join(dir, 'pprof_goroutine_debug2.txt'));
    const handler: FakeHandler = (endpoint, debug) => (endpoint === 'goroutine' ? { body: debug === '2' ? debug2 : debug1 } : null);
    const run = async (staleFloor: number) => {
      const { watch, events } = watchOf(handler, { staleMinutes: 1, staleFloor, snapshotIntervalMs: 2 * MINUTE });
      for (let i = 0; i <= 30; i++) await watch.sample(T0 + i * 15_000);
      // Stale waits for a full window of samples (5 minutes): none at the first snapshots.
      expect(events.fired.filter((a) => a.firedAt < T0 + 4 * MINUTE)).toEqual([]);
      return { watch, events };
    };
    expect((await run(100)).events.fired).toEqual([]);
    const { watch, events } = await run(30);
    expect(events.fired.map((a) => a.kind)).toEqual(['stale']);
    const a = events.fired[0]!;
    expect(watch.info(a.gid!)!.location?.func).toBe('main.worker');
    expect(watch.window.series(a.gid!)).toBeDefined();
    expect(a.detail?.state).toBe('chan receive');
    expect(a.detail?.createdBy?.func).toBe('main.startLeaks');
    expect(a.signals[0]!.detail).toMatch(/^40 goroutines blocked in chan receive at main.worker for at least 1 min \(up to 2\), and the group held at least 30/);
  });

  it('leak-profile: every group the goroutineleak profile lists alerts, tied to the sampled group', async () => {
    const dir = path.join(gen, 'go1.26/goexperiment_goroutineleakprofile');
    const goroutines = readFileSync(path.join(dir, 'pprof_goroutine_debug1.txt'));
    const leaked = readFileSync(path.join(dir, 'pprof_goroutineleak_debug1.txt'));
    const handler: FakeHandler = (endpoint) =>
      endpoint === 'goroutine' ? { body: goroutines } : endpoint === 'goroutineleak' ? { body: leaked } : endpoint === '' ? { body: '<a href="goroutineleak?debug=1">goroutineleak</a>' } : null;
    const { watch, events } = watchOf(handler, { leakProfileMs: MINUTE });
    await watch.sample(T0);
    expect(watch.leakProfile).toBe('available');
    const expected = new Set(groupGoroutines(parseDump(leaked).goroutines).filter((g) => g.benign === null).map((g) => labelledStackKey(g.frames, g.labels)));
    expect(events.fired.length).toBe(expected.size);
    for (const a of events.fired) {
      expect(a.kind).toBe('leak-profile');
      expect(watch.window.series(a.gid!)).toBeDefined(); // the sampled group's ID
    }
    expect(events.fired.reduce((s, a) => s + a.count, 0)).toBeGreaterThan(70);
  });

  it('leak-profile on a target without it: noted once, no alerts', async () => {
    const debug1 = readFileSync(path.join(gen, 'go1.23/pprof_goroutine_debug1.txt'));
    const { watch, events } = watchOf((endpoint) => (endpoint === 'goroutine' ? { body: debug1 } : null), { leakProfileMs: 1000 });
    for (let i = 0; i < 3; i++) await watch.sample(T0 + i * 15_000);
    expect(watch.leakProfile).toBe('unavailable');
    expect(events.notes.filter((n) => n.includes('no goroutineleak profile'))).toHaveLength(1);
    expect(events.fired).toEqual([]);
  });
});
