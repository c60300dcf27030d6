// Benchmark of `goroscope watch`: N fake net/http/pprof targets (fake-targets.ts, in a child
// process of their own) serve a recorded goroutine profile whose first group grows by one
// goroutine per sample, with the debug=2 text for snapshots and a heap profile's counters; a
// watcher (another child) samples them all at the interval, storing to a SQLite file.
//   node dist/bench/watch.js                      200 and 1,000 targets at 15 s, 60 s each
//   --targets=200,1000 --seconds=60 --interval=15s
//   --groups=N                                    a synthetic profile of N groups (6 frames each)
//                                                 instead of the recorded one (27 groups)
// Printed per run: samples taken, CPU seconds and share of one core (whole run, and steady state
// after the first interval, which also holds every target's first contact and first snapshot),
// CPU per sample, peak RSS, database size, and what a scrape of `--serve`'s /metrics costs with
// every target's state (time, size, series). Also the CPU per request of fetch() and of the
// node:http client watch uses, against the same server.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { SHARED_DIR } from '../testing/env.js';
import { httpGet } from '../watch/http-get.js';
import { Scrubber } from '../watch/redact.js';
import { metricsRoutes } from '../watch/serve/metrics.js';
import { parseServeAddress, startServer } from '../watch/serve/server.js';
import { WatchStore } from '../watch/store.js';
import { parseTarget } from '../watch/target.js';
import { DEFAULT_SETTINGS, type WatchEvents, type WatchSettings } from '../watch/target-watch.js';
import { Watcher } from '../watch/watcher.js';
import { debug1Profile, FakeTargets, heapAnswer } from './fake-targets.js';

const SELF = fileURLToPath(import.meta.url);
const RECORDED = path.join(SHARED_DIR, 'testdata/dumps/generated/go1.23');

function arg(name: string, fallback: string): string {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : fallback;
}

interface Profiles {
  debug1Lines: string[];
  debug2: string;
}

/** The recorded debug=1 profile (or a synthetic one of `groups` groups) and a debug=2 text. */
function profiles(groups: number): Profiles {
  if (groups > 0) {
    const records = Array.from({ length: groups }, (_, i) => ({ count: 1 + (i % 9), func: `example.com/svc/pkg${i % 17}.handler${i}.func1`, file: `/src/svc/pkg${i % 17}/h${i}.go`, line: 10 + i }));
    const text = debug1Profile(records);
    return { debug1Lines: text.split('\n'), debug2: readFileSync(path.join(RECORDED, 'pprof_goroutine_debug2.txt'), 'latin1') };
  }
  return {
    debug1Lines: readFileSync(path.join(RECORDED, 'pprof_goroutine_debug1.txt'), 'latin1').split('\n'),
    debug2: readFileSync(path.join(RECORDED, 'pprof_goroutine_debug2.txt'), 'latin1'),
  };
}

/** The debug=1 text with the first record's count raised by `extra` (and the total with it). */
function grown(lines: readonly string[], extra: number): string {
  const out = [...lines];
  const total = /^(\S+ profile: total )(\d+)/.exec(out[0]!);
  if (total) out[0] = `${total[1]}${Number(total[2]) + extra}`;
  const first = out.findIndex((l) => / @ /.test(l));
  const m = /^(\d+)( @ .*)$/.exec(out[first]!);
  if (m) out[first] = `${Number(m[1]) + extra}${m[2]}`;
  return out.join('\n');
}

/** Child: serves `n` targets; each goroutine profile request grows that target's first group. */
async function serve(n: number, groups: number): Promise<void> {
  const p = profiles(groups);
  // One port per 10 targets: targets are usually hosts of their own, each with its own connections.
  const fake = await FakeTargets.start(Math.ceil(n / 10));
  for (let i = 0; i < n; i++) {
    let samples = 0;
    fake.set(i, (endpoint, debug) => {
      if (endpoint === 'goroutine' && debug === '2') return { body: p.debug2 };
      if (endpoint === 'goroutine') return { body: grown(p.debug1Lines, samples++) };
      if (endpoint === 'heap') return heapAnswer(100_000 + samples * 1000, 10 + samples);
      if (endpoint === 'cmdline') return { body: `/srv/svc${i}\u0000-flag` };
      return null;
    });
  }
  process.send!({ urls: Array.from({ length: n }, (_, i) => fake.url(i)) });
}

interface WatchResult {
  targets: number;
  samples: number;
  failures: number;
  wallSeconds: number;
  cpuSeconds: number;
  steadyCpuSeconds: number;
  steadySeconds: number;
  steadySamples: number;
  peakRssMiB: number;
  heapMiB: number;
  /** Average time a sample took, from the request to its verdicts, in ms. */
  latencyMs: number;
  dbMiB: number;
  errors: Record<string, number>;
  /** A /metrics scrape after the run: average time (ms), size (KiB) and series. */
  scrape: { ms: number; kib: number; series: number };
}

/** Times scrapes of /metrics (`watch --serve`) over the watcher's state as the run left it. */
async function scrapeCost(watcher: Watcher, store: WatchStore, settings: WatchSettings): Promise<WatchResult['scrape']> {
  const server = await startServer(parseServeAddress('127.0.0.1:0', false), metricsRoutes(), { watcher, store, settings, scrubber: new Scrubber(), metricsTop: 20 });
  try {
    let text = '';
    for (let i = 0; i < 3; i++) text = await (await fetch(`${server.url}/metrics`)).text();
    const runs = 20;
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) text = await (await fetch(`${server.url}/metrics`)).text();
    const ms = (performance.now() - t0) / runs;
    return { ms, kib: Buffer.byteLength(text) / 1024, series: text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length };
  } finally {
    await server.close();
  }
}

/** Child: watches `n` targets of the fake server for `seconds`, then reports. */
async function watchTargets(urlsFile: string, seconds: number, intervalMs: number, dbFile: string): Promise<void> {
  // Snapshots are read (they cost what they cost in a real watch) but not written.
  const settings: WatchSettings = { ...DEFAULT_SETTINGS, intervalMs, snapshotDir: null };
  const targets = readFileSync(urlsFile, 'utf8').split('\n').filter(Boolean).map((u) => parseTarget(u));
  const n = targets.length;
  const store = new WatchStore(dbFile);
  const events: WatchEvents & { error(m: string): void } = { alert() {}, state() {}, note() {}, sampled() {}, error: (m) => console.error(m) };
  const watcher = new Watcher({ targets, targetsFile: null, durationMs: seconds * 1000, retentionMs: 7 * 86_400_000 }, settings, store, new Scrubber(), events);
  let peakRss = 0;
  const rss = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let steady: { cpu: NodeJS.CpuUsage; t: number; samples: number } | null = null;
  const mark = setTimeout(() => {
    steady = { cpu: process.cpuUsage(), t: performance.now(), samples: watcher.targets().reduce((s, t) => s + t.samples + t.failures, 0) };
  }, intervalMs + 1000);
  await watcher.run();
  clearTimeout(mark);
  const cpu = process.cpuUsage(cpu0);
  const wall = (performance.now() - t0) / 1000;
  const samples = watcher.targets().reduce((s, t) => s + t.samples, 0);
  const failures = watcher.targets().reduce((s, t) => s + t.failures, 0);
  const errors: Record<string, number> = {};
  for (const t of watcher.targets()) if (t.lastError) errors[t.lastError] = (errors[t.lastError] ?? 0) + 1;
  const heap = process.memoryUsage().heapUsed;
  const scrape = await scrapeCost(watcher, store, settings);

  const s = steady as { cpu: NodeJS.CpuUsage; t: number; samples: number } | null;
  const steadyCpu = s ? process.cpuUsage(s.cpu) : cpu;
  clearInterval(rss);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  store.close();
  const db = new Database(dbFile, { readonly: true });
  const latency = (db.prepare('SELECT AVG(duration_ms) AS ms FROM samples').get() as { ms: number | null }).ms ?? 0;
  db.close();
  const result: WatchResult = {
    targets: n,
    samples,
    failures,
    wallSeconds: wall,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    steadyCpuSeconds: (steadyCpu.user + steadyCpu.system) / 1e6,
    steadySeconds: s ? (performance.now() - s.t) / 1000 : wall,
    steadySamples: s ? samples + failures - s.samples : samples,
    peakRssMiB: peakRss / 2 ** 20,
    heapMiB: heap / 2 ** 20,
    latencyMs: latency,
    errors,
    dbMiB: statSync(dbFile).size / 2 ** 20,
    scrape,
  };
  process.send!(result);
}

/** CPU per request of fetch() and of watch's node:http client, against one fake target. */
async function httpCost(): Promise<{ fetchMs: number; httpMs: number }> {
  const fake = await FakeTargets.start();
  const p = profiles(0);
  fake.set(0, () => ({ body: grown(p.debug1Lines, 0) }));
  const url = new URL(`${fake.url(0)}?debug=1`);
  const measure = async (get: () => Promise<unknown>) => {
    for (let i = 0; i < 50; i++) await get();
    const c = process.cpuUsage();
    for (let i = 0; i < 500; i++) await get();
    const d = process.cpuUsage(c);
    return (d.user + d.system) / 1000 / 500;
  };
  // The server runs in this process too: its share is the same for both clients.
  const fetchMs = await measure(() => fetch(url).then((r) => r.arrayBuffer()));
  const httpMs = await measure(() => httpGet(url, { timeoutMs: 5000, maxBytes: 1 << 24 }));
  await fake.close();
  return { fetchMs, httpMs };
}

function child(args: string[]): ChildProcess {
  return fork(SELF, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

const message = <T>(c: ChildProcess) => new Promise<T>((resolve, reject) => {
  c.once('message', (m) => resolve(m as T));
  c.once('exit', (code) => reject(new Error(`child exited with ${code}`)));
});

async function main(): Promise<void> {
  const mode = process.argv[2];
  if (mode === '--serve') return serve(Number(process.argv[3]), Number(process.argv[4]));
  if (mode === '--watch') return watchTargets(process.argv[3]!, Number(process.argv[4]), Number(process.argv[5]), process.argv[6]!);
  const counts = arg('targets', '200,1000').split(',').map(Number);
  const seconds = Number(arg('seconds', '60'));
  const intervalMs = Number(arg('interval', '15s').replace(/s$/, '')) * 1000;
  const groups = Number(arg('groups', '0'));
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'goroscope-bench-watch-'));
  console.log(`goroscope watch benchmark: ${groups > 0 ? `synthetic profile of ${groups} groups` : 'recorded profile (go1.23, 27 groups, 108 goroutines)'}, interval ${intervalMs / 1000}s, ${seconds}s per run, ${os.cpus().length} cores`);
  const cost = await httpCost();
  console.log(`HTTP client CPU per request (client and server in one process): fetch ${cost.fetchMs.toFixed(2)} ms, node:http ${cost.httpMs.toFixed(2)} ms`);
  try {
    for (const n of counts) {
      const server = child(['--serve', String(n), String(groups)]);
      const { urls } = await message<{ urls: string[] }>(server);
      const urlsFile = path.join(tmp, `targets${n}.txt`);
      writeFileSync(urlsFile, urls.join('\n'));
      const watcher = child(['--watch', urlsFile, String(seconds), String(intervalMs), path.join(tmp, `w${n}.db`)]);
      const r = await message<WatchResult>(watcher);
      server.kill();
      const cores = r.cpuSeconds / r.wallSeconds;
      const steadyCores = r.steadyCpuSeconds / r.steadySeconds;
      console.log(
        `${String(n).padStart(5)} targets: ${r.samples} samples (${r.failures} failed) in ${r.wallSeconds.toFixed(1)}s; CPU ${r.cpuSeconds.toFixed(2)}s = ${(cores * 100).toFixed(1)}% of a core` +
          ` (steady state ${(steadyCores * 100).toFixed(1)}%, ${((r.steadyCpuSeconds * 1000) / Math.max(1, r.steadySamples)).toFixed(2)} ms per sample); peak RSS ${r.peakRssMiB.toFixed(0)} MiB (heap in use at the end ${r.heapMiB.toFixed(0)} MiB); database ${r.dbMiB.toFixed(1)} MiB`,
      );
      console.log(`       a sample took ${r.latencyMs.toFixed(1)} ms on average, request to verdict`);
      console.log(`       a /metrics scrape (--serve) took ${r.scrape.ms.toFixed(1)} ms: ${r.scrape.series} series, ${r.scrape.kib.toFixed(0)} KiB`);
      for (const [error, n] of Object.entries(r.errors)) console.log(`       ${n} targets down at the end: ${error}`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
