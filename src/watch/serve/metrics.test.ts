// watch --serve's /metrics against fake pprof targets, sampled by a real Watcher: per-target up
// and totals, the top groups with the rest summed into group="other", growth, firing alerts, the
// sample histogram and errors by reason, no credential in the text; promtool accepts it.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debug1Profile, FakeTargets, heapAnswer } from '../../bench/fake-targets.js';
import { parseExposition, samplesOf, type PromSample } from '../../testing/prom-text.js';
import { PROMTOOL, promtoolUnavailable } from '../../testing/env.js';
import { Scrubber } from '../redact.js';
import { WatchStore } from '../store.js';
import { parseTarget } from '../target.js';
import { DEFAULT_SETTINGS, type WatchSettings } from '../target-watch.js';
import { Watcher } from '../watcher.js';
import { metricsRoutes } from './metrics.js';
import { parseServeAddress, startServer, type RunningServer } from './server.js';

const LEAK = { func: 'main.leak.func1', file: '/app/main.go', line: 42 };
const SETTINGS: WatchSettings = { ...DEFAULT_SETTINGS, intervalMs: 40, timeoutMs: 1000, windowMs: 12 * 40, minGrowth: 5, snapshots: false, snapshotDir: null, maxBytes: 1 << 20 };
const TOP = 3;
const promtoolSkip = promtoolUnavailable();

let fake: FakeTargets;
let watcher: Watcher;
let server: RunningServer;
let running: Promise<void>;
let text = '';
let samples: PromSample[] = [];
const leaked = { n: 5 };
let up = '';
let down = '';

beforeAll(async () => {
  fake = await FakeTargets.start();
  // A leak that grows every sample, eight steady groups, and goroutines of the runtime only.
  fake.set(0, (endpoint) => {
    if (endpoint === 'heap') return heapAnswer(1000, 10);
    if (endpoint !== 'goroutine') return null;
    const steady = Array.from({ length: 8 }, (_, i) => ({ func: `main.worker${i}`, file: '/app/workers.go', line: 10 + i, count: 10 + i }));
    return { body: debug1Profile([{ ...LEAK, count: (leaked.n += 3) }, ...steady, { func: 'runtime.gopark', file: '/usr/lib/go/src/runtime/proc.go', line: 381, count: 4 }]) };
  });
  fake.set(1, () => null);
  up = `http://watcher:pw-s3cret@${fake.url(0).slice('http://'.length)}?token=tok-s3cret`;
  down = fake.url(1);
  const scrubber = new Scrubber();
  const targets = [parseTarget(up), parseTarget(down)];
  for (const t of targets) scrubber.add(t.secrets);
  const store = new WatchStore(null);
  const events = { alert() {}, state() {}, note() {}, sampled() {}, error() {} };
  watcher = new Watcher({ targets, targetsFile: null, durationMs: null, retentionMs: 86_400_000 }, SETTINGS, store, scrubber, events);
  server = await startServer(parseServeAddress('127.0.0.1:0', false), metricsRoutes(), { watcher, store, settings: SETTINGS, scrubber, metricsTop: TOP });
  running = watcher.run();
  // Until the leak's growth alert fires (a full window of samples: about half a second).
  for (let i = 0; i < 100; i++) {
    text = await (await fetch(`${server.url}/metrics`)).text();
    samples = parseExposition(text);
    if (samplesOf(samples, 'goroscope_leak_alerts', { kind: 'growth' }).some((s) => s.value === 1)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
});

afterAll(async () => {
  await watcher?.stop();
  await running;
  await server?.close();
  await fake?.close();
});

describe('watch --serve /metrics', () => {
  const upName = () => watcher.targets()[0]!.name;

  it('says which targets are up, with their totals, and names targets without credentials', () => {
    expect(upName()).toMatch(/\?token=\*\*\*$/);
    expect(samplesOf(samples, 'goroscope_target_up').map((s) => [s.labels.target, s.value]).sort()).toEqual([[down, 0], [upName(), 1]].sort());
    const total = samplesOf(samples, 'goroscope_goroutines', { target: upName() });
    expect(total).toHaveLength(1);
    expect(samplesOf(samples, 'goroscope_goroutines', { target: down })).toEqual([]);
    for (const secret of ['pw-s3cret', 'tok-s3cret']) expect(text).not.toContain(secret);
  });

  it('gives the top --metrics-top groups series of their own, the leak first, and sums the rest into other', () => {
    const groups = samplesOf(samples, 'goroscope_group_goroutines', { target: upName() });
    expect(groups).toHaveLength(TOP + 1);
    expect(groups[0]!.labels).toMatchObject({ function: LEAK.func, file: LEAK.file, line: String(LEAK.line) });
    expect(groups[0]!.labels.group).toMatch(/^[0-9a-f]{16}$/);
    const other = groups.find((g) => g.labels.group === 'other')!;
    expect(other.labels).toMatchObject({ function: '', file: '', line: '', state: '' });
    // The runtime's goroutines and the groups beyond the top are in "other": the sum is the total.
    const total = samplesOf(samples, 'goroscope_goroutines', { target: upName() })[0]!.value;
    expect(groups.reduce((s, g) => s + g.value, 0)).toBe(total);
    expect(other.value).toBeGreaterThanOrEqual(4);
  });

  it('reports the growth rate of each group and the firing alerts by kind', () => {
    const growth = samplesOf(samples, 'goroscope_group_growth_per_hour', { target: upName() });
    expect(growth).toHaveLength(TOP);
    const leak = growth.find((g) => g.labels.function === LEAK.func)!;
    // 3 goroutines a sample, a sample every 40 ms: 270,000 an hour (sampling jitters).
    expect(leak.value).toBeGreaterThan(100_000);
    for (const g of growth.filter((x) => x !== leak)) expect(g.value).toBe(0);
    const alerts = samplesOf(samples, 'goroscope_leak_alerts', { target: upName() });
    expect(Object.fromEntries(alerts.map((a) => [a.labels.kind, a.value]))).toEqual({ growth: 1, threshold: 0, stale: 0, 'leak-profile': 0 });
  });

  it('counts every sample in the duration histogram and every failed read by reason', () => {
    const count = samplesOf(samples, 'goroscope_sample_duration_seconds_count')[0]!.value;
    const sampled = watcher.targets().reduce((s, t) => s + t.samples + t.failures, 0);
    expect(count).toBeGreaterThan(5);
    expect(count).toBeLessThanOrEqual(sampled);
    const inf = samplesOf(samples, 'goroscope_sample_duration_seconds_bucket', { le: '+Inf' })[0]!.value;
    expect(inf).toBe(count);
    const errors = samplesOf(samples, 'goroscope_sample_errors_total');
    expect(errors.map((e) => e.labels)).toEqual([{ target: down, reason: 'http_404' }]);
    expect(errors[0]!.value).toBeGreaterThanOrEqual(1);
  });

  it.skipIf(promtoolSkip !== null)(`passes promtool check metrics${promtoolSkip ? ` (skipped: ${promtoolSkip})` : ''}`, () => {
    expect(execFileSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' })).toBe('');
  });
});
