// Benchmark of the watch dashboard under load: does serving the page keep watch's sampling on time?
// A watch samples the leaking Go test service (testdata/watchsvc) with --serve; then N browsers
// (default 20) show its views, one view each in turn (overview, target, group, snapshot), and reload
// every second (testing/dashboard-load.ts: a first visit with an empty cache, then reloads that ask
// for the shell and the view's API answer, revalidated, as Chromium does). For each phase, without
// clients and with them, it prints how late the watch's samples started after they were planned
// (Watcher.samplingLag, read from /api/sampling), the ticks skipped, the page loads and their time,
// and the watch process's CPU.
//   node dist/bench/dashboard.js [--clients=20,100] [--seconds=30] [--interval=1s]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { refreshingBrowsers, type LoadFigures } from '../testing/dashboard-load.js';
import { findGo } from '../testing/env.js';
import { buildWatchsvc, startService, startServingWatch } from '../testing/watchsvc.js';
import { parseWatchDuration } from '../watch/duration.js';
import type { OverviewJson, SamplingJson, SamplingLagJson } from '../watch/serve/web/api-types.js';

function arg(name: string, fallback: string): string {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : fallback;
}

/** CPU seconds a process has used (user + system), from /proc; null elsewhere. */
function cpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** The 1-minute load average, or null where the OS has none. */
const loadAverage = () => (os.platform() === 'win32' ? null : os.loadavg()[0]!);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Phase {
  name: string;
  lag: SamplingLagJson;
  seconds: number;
  load: LoadFigures | null;
  cpu: number | null;
  loadAverage: number | null;
}

async function main(): Promise<void> {
  const clientCounts = arg('clients', '20,100').split(',').map(Number);
  const seconds = Number(arg('seconds', '30'));
  const intervalMs = parseWatchDuration(arg('interval', '1s'), '--interval');
  if (!findGo()) throw new Error('bench:dashboard needs Go (for the test service): put go on PATH or set GOROSCOPE_GO');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'goroscope-bench-dashboard-'));
  const cleanup: Array<() => Promise<unknown> | unknown> = [() => rmSync(dir, { recursive: true, force: true })];
  try {
    await buildWatchsvc(path.join(dir, 'watchsvc'));
    const svc = await startService(path.join(dir, 'watchsvc'), ['-addr=127.0.0.1:0', '-load=5', '-pool', '-idle=8']);
    cleanup.unshift(() => svc.child.kill('SIGKILL'));
    const target = `http://${svc.addr}/debug/pprof/goroutine`;
    const watch = await startServingWatch([target, '--interval', `${intervalMs}ms`, '--window', `${intervalMs * 30}ms`, '--min-growth', '10', '--snapshot-interval', `${intervalMs * 10}ms`, '--db', path.join(dir, 'w.db'), '--snapshot-dir', path.join(dir, 'snaps')]);
    cleanup.unshift(() => watch.stop());
    const pid = watch.child.pid!;
    const api = async <T>(p: string) => (await (await fetch(`${watch.url}${p}`)).json()) as T;
    console.log(`goroscope dashboard benchmark: a watch sampling every ${intervalMs} ms, browsers reloading every second, ${seconds} s per phase, ${os.cpus().length} cores`);
    // Let the watch reach its steady state: first contact, first snapshot, a leaking group to show.
    await sleep(Math.max(5000, intervalMs * 5));
    const overview = await api<OverviewJson>('/api/overview');
    if (overview.targets[0]?.up !== true) throw new Error(`the target is not up: ${overview.targets[0]?.lastError ?? 'not sampled'}`);
    const groups = (await api<{ groups: Array<{ id: string }> }>(`/api/target?target=${encodeURIComponent(target)}`)).groups;
    if (groups.length === 0) throw new Error('the target has no stack groups yet');
    const q = `target=${encodeURIComponent(target)}`;
    const views = ['/api/overview', `/api/target?${q}&range=1h`, `/api/group?${q}&group=${groups[0]!.id}&range=1h`, `/api/snapshot?${q}`];

    const phases: Phase[] = [];
    const measure = async (name: string, during: () => Promise<LoadFigures | null>) => {
      const since = Date.now();
      const cpu0 = cpuSeconds(pid);
      const load = await during();
      const cpu1 = cpuSeconds(pid);
      const elapsed = (Date.now() - since) / 1000;
      const lag = (await api<SamplingJson>(`/api/sampling?since=${since}`)).lag;
      phases.push({ name, lag, seconds: elapsed, load, cpu: cpu0 === null || cpu1 === null ? null : (cpu1 - cpu0) / elapsed, loadAverage: loadAverage() });
    };
    await measure('no clients', async () => {
      await sleep(seconds * 1000);
      return null;
    });
    for (const n of clientCounts) {
      await measure(`${n} browsers reloading every second`, () => refreshingBrowsers(watch.url, views, n, seconds * 1000));
      await measure('no clients again', async () => {
        await sleep(seconds * 1000);
        return null;
      });
    }

    const ms = (n: number) => `${n} ms`.padStart(8);
    const cols = ['samples', 'p50', 'p95', 'max', 'skipped', 'loads/s', 'reload p95', 'first max', 'watch CPU', 'loadavg'];
    console.log(`\n${'phase'.padEnd(36)} ${cols.map((c) => c.padStart(10)).join(' ')}`);
    for (const p of phases) {
      const cells = [
        String(p.lag.samples),
        ms(p.lag.p50Ms),
        ms(p.lag.p95Ms),
        ms(p.lag.maxMs),
        String(p.lag.skipped),
        p.load ? (p.load.pageLoads / p.seconds).toFixed(1) : '-',
        p.load ? ms(p.load.reloadP95Ms) : '-',
        p.load ? ms(p.load.firstVisitMaxMs) : '-',
        p.cpu === null ? 'n/a' : `${(p.cpu * 100).toFixed(1)}%`,
        p.loadAverage === null ? 'n/a' : p.loadAverage.toFixed(1),
      ];
      console.log(`${p.name.padEnd(36)} ${cells.map((c) => c.padStart(10)).join(' ')}`);
      if (p.load && p.load.failures.length > 0) console.log(`  failed answers: ${p.load.failures.slice(0, 5).join('; ')}`);
    }
    console.log(
      '\np50/p95/max: how late samples started after they were planned; skipped: ticks missed because a sample overran its interval; ' +
        'loads/s: page loads completed per second; reload p95: the time of a reload (the shell, then the view\'s API answer); first max: the longest first visit (every asset too); ' +
        'watch CPU: share of one core used by the watch process (sampling, its store and the server); loadavg: the machine\'s 1-minute load average at the end of the phase.',
    );
  } finally {
    for (const c of cleanup) await c();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
