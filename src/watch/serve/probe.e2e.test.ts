// Fleet mode end to end: a real Prometheus scrapes `goroscope serve`'s /probe for a leaking Go
// service (testdata/watchsvc) through the shipped example's static job, evaluates the shipped
// rules (their 30m window scaled to 16 s), and its HTTP API shows the leaking location's series
// rising and GoroscopeGroupLeaking firing for it, and for nothing else: not for the service's pool
// or idle set, nor for a second service's start-up ramp, which a max-minus-min rule would take for
// a leak. Every query of the Grafana dashboard runs on it without error.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findGo, goEnv, goUnavailable, prometheusUnavailable, REPO_ROOT } from '../../testing/env.js';
import { dashboardQueries } from '../../testing/grafana.js';
import { freePort, scaleRuleDurations, startPrometheus, type RunningPrometheus } from '../../testing/prometheus.js';

const execFileP = promisify(execFile);
const CLI = path.join(REPO_ROOT, 'dist/cli/main.js');
const SVC_DIR = path.join(REPO_ROOT, 'src/watch/testdata/watchsvc');
const RULES = path.join(REPO_ROOT, 'deploy/prometheus/goroscope-rules.yml');
/** The rules' 30m window becomes this, scrapes and evaluations run every second. */
const WINDOW_S = 16;
const skip = goUnavailable() ?? prometheusUnavailable();

const leakLine = readFileSync(path.join(SVC_DIR, 'main.go'), 'utf8').split('\n').findIndex((l) => l.includes('watch-test: leak blocks here')) + 1;

/** Starts a child and resolves with the first match of `pattern` in its output. */
function startAndRead(command: string, args: string[], pattern: RegExp, stream: 'stdout' | 'stderr'): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child[stream]!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = pattern.exec(out);
      if (m) resolve({ child, match: m });
    });
    child.on('exit', (code) => reject(new Error(`${path.basename(command)} exited with ${code}: ${out}`)));
  });
}

interface Alert {
  labels: Record<string, string>;
  state: string;
  annotations: Record<string, string>;
}

describe.skipIf(skip !== null)(`goroscope serve probed by a real Prometheus${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const children: ChildProcess[] = [];
  let dir = '';
  let prom: RunningPrometheus;
  let target = '';
  let firing: Alert[] = [];
  /** Every GoroscopeGroupLeaking alert, pending or firing, when the first one fired. */
  let all: Alert[] = [];
  let firedAfterS = 0;
  let ramp = '';

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'goroscope-probe-e2e-'));
    const binary = path.join(dir, 'watchsvc');
    await execFileP(findGo()!, ['build', '-o', binary, '.'], { cwd: SVC_DIR, env: goEnv() });
    const [svc, prober] = await Promise.all([
      startAndRead(binary, ['-addr=127.0.0.1:0', '-load=20', '-pool', '-idle=6'], /listening "([^"]+)"/, 'stdout'),
      startAndRead(process.execPath, [CLI, 'serve', '--listen', '127.0.0.1:0'], /serving http:\/\/(127\.0\.0\.1:\d+)\/probe/, 'stderr'),
    ]);
    children.push(svc.child, prober.child);
    target = `http://${svc.match[1]}/debug/pprof/goroutine`;
    // The ramp's service starts once Prometheus scrapes, so that the whole ramp is seen.
    const rampAddr = `127.0.0.1:${await freePort()}`;
    ramp = `http://${rampAddr}/debug/pprof/goroutine`;
    // The shipped example's static job, with this test's addresses and intervals.
    const example = parse(readFileSync(path.join(REPO_ROOT, 'deploy/prometheus/scrape-configs.example.yml'), 'utf8')) as { scrape_configs: Array<Record<string, unknown>> };
    const job = example.scrape_configs.find((j) => j.job_name === 'goroscope-static') as { static_configs: Array<{ targets: string[] }>; relabel_configs: Array<{ replacement?: string; target_label?: string }> };
    job.static_configs = [{ targets: [svc.match[1]!, rampAddr] }];
    job.relabel_configs.find((r) => r.target_label === '__address__')!.replacement = prober.match[1]!;
    const config = stringify({ global: { scrape_interval: '1s', scrape_timeout: '900ms', evaluation_interval: '1s' }, rule_files: ['goroscope-rules.yml'], scrape_configs: [job] });
    const rules = scaleRuleDurations(readFileSync(RULES, 'utf8'), WINDOW_S / 1800);
    const started = Date.now();
    prom = await startPrometheus(config, { 'goroscope-rules.yml': rules });
    // Once scraping began (Prometheus's discovery hands targets over after about 5 s), 60 goroutines
    // started over 5 s, then held: a rise that levels off within a third of the window.
    for (let i = 0; i < 100 && (await prom.query('up{job="goroscope-static"}')).length === 0; i++) await new Promise((r) => setTimeout(r, 200));
    children.push((await startAndRead(binary, [`-addr=${rampAddr}`, '-warm=60', '-warm-for=5s'], /listening/, 'stdout')).child);
    for (let i = 0; i < 120; i++) {
      const { alerts } = await prom.api<{ alerts: Alert[] }>('alerts');
      all = alerts.filter((a) => a.labels.alertname === 'GoroscopeGroupLeaking');
      firing = all.filter((a) => a.state === 'firing');
      if (firing.length > 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    firedAfterS = (Date.now() - started) / 1000;
  }, 120_000);

  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await prom?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('scrapes the probe: the targets are up and their groups have series', async () => {
    const up = await prom.query('goroscope_target_up');
    expect(up.map((r) => [r.metric.target, r.metric.instance, r.metric.job, r.value[1]]).sort()).toEqual([[target, target, 'goroscope-static', '1'], [ramp, ramp, 'goroscope-static', '1']].sort());
    const scrape = await prom.query('up{job="goroscope-static"}');
    expect(scrape.map((s) => s.value[1])).toEqual(['1', '1']);
  });

  it("the leaking location's series rises, floor after floor", async () => {
    const end = Date.now() / 1000;
    const range = await prom.api<{ result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> }>('query_range', {
      query: 'goroscope_group_goroutines{function="main.leak.func1"}',
      start: String(end - WINDOW_S),
      end: String(end),
      step: '1',
    });
    expect(range.result).toHaveLength(1);
    const series = range.result[0]!;
    expect(series.metric).toMatchObject({ target, file: path.join(SVC_DIR, 'main.go'), line: String(leakLine) });
    const values = series.values.map(([, v]) => Number(v));
    expect(values.length).toBeGreaterThanOrEqual(WINDOW_S - 2);
    const quarter = Math.floor(values.length / 4);
    const floors = [0, 1, 2, 3].map((q) => Math.min(...values.slice(q * quarter, (q + 1) * quarter)));
    for (let q = 1; q < 4; q++) expect(floors[q]!).toBeGreaterThan(floors[q - 1]!);
    // About 20 leaked goroutines a second.
    expect(values[values.length - 1]! - values[0]!).toBeGreaterThan(10 * (WINDOW_S - 2));
  });

  it('fires GoroscopeGroupLeaking for the leaking location, and for nothing else: not the pool, the idle set or the ramp', async () => {
    expect(firing.map((a) => [a.labels.function, a.labels.line, a.labels.target])).toEqual([['main.leak.func1', String(leakLine), target]]);
    expect(all.map((a) => a.labels.function)).toEqual(['main.leak.func1']);
    // The ramp was seen rising from the first goroutines to all 60: the rules saw it and stayed silent.
    const seen = await prom.query(`max_over_time(goroscope_group_goroutines{function="main.warmUp.func1"}[1m]) - min_over_time(goroscope_group_goroutines{function="main.warmUp.func1"}[1m])`);
    expect(Number(seen[0]!.value[1])).toBeGreaterThanOrEqual(30);
    expect(firing[0]!.annotations.summary).toBe(`Goroutines leak at main.leak.func1 (${path.join(SVC_DIR, 'main.go')}:${leakLine}) on ${target}`);
    // The rules need a (scaled) window of samples and their `for`: about 19 s.
    expect(firedAfterS).toBeLessThan(60);
  });

  it("runs every query of the Grafana dashboard without error, and the per-group ones find the leak", async () => {
    const vars = (q: string) => q.replaceAll('$job', '.*').replaceAll('$target', target.replace(/[.?*+^$()[\]{}|\\]/g, '\\\\$&'));
    for (const q of dashboardQueries()) await prom.query(vars(q));
    const growth = await prom.query('topk(20, goroscope:group_goroutines:deriv_per_hour30m > 0)');
    expect(growth.map((g) => g.metric.function)).toContain('main.leak.func1');
    expect(prom.log()).not.toMatch(/level=error/);
  });
});
