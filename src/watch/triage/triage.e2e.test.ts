// Fleet triage end to end: a real Prometheus scrapes go_goroutines from three Go services
// (testdata/watchsvc: one leaking, one with a pool that grows and shrinks, one idle);
// `goroscope watch --prometheus URL --selector ...` ranks them on Prometheus's history, samples
// the one that grows through its pprof address, and reports its leaking group as watch does.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findGo, goEnv, goUnavailable, prometheusUnavailable, REPO_ROOT } from '../../testing/env.js';
import { freePort, startPrometheus, type RunningPrometheus } from '../../testing/prometheus.js';
import type { WatchReportJson } from '../report.js';

const execFileP = promisify(execFile);
const CLI = path.join(REPO_ROOT, 'dist/cli/main.js');
const SVC_DIR = path.join(REPO_ROOT, 'src/watch/testdata/watchsvc');
/** History the triage judges: about a dozen scrapes a second apart. */
const RANGE_S = 10;
const skip = goUnavailable() ?? prometheusUnavailable();

const leakLine = readFileSync(path.join(SVC_DIR, 'main.go'), 'utf8').split('\n').findIndex((l) => l.includes('watch-test: leak blocks here')) + 1;

function startService(binary: string, args: string[]): Promise<{ child: ChildProcess; addr: string }> {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening "([^"]+)"/.exec(out);
      if (m) resolve({ child, addr: m[1]! });
    });
    child.on('exit', (code) => reject(new Error(`watchsvc exited with ${code}`)));
  });
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function goroscope(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.skipIf(skip !== null)(`goroscope watch --prometheus fleet triage${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const children: ChildProcess[] = [];
  let dir = '';
  let prom: RunningPrometheus;
  let leaky = '';
  let pool = '';
  let idle = '';
  let run: Run;
  let report: WatchReportJson;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'goroscope-triage-e2e-'));
    const binary = path.join(dir, 'watchsvc');
    await execFileP(findGo()!, ['build', '-o', binary, '.'], { cwd: SVC_DIR, env: goEnv() });
    const services = await Promise.all([
      startService(binary, ['-addr=127.0.0.1:0', '-load=20', '-idle=4']),
      startService(binary, ['-addr=127.0.0.1:0', '-pool', '-idle=8']),
      startService(binary, ['-addr=127.0.0.1:0', '-idle=12']),
    ]);
    children.push(...services.map((s) => s.child));
    [leaky, pool, idle] = services.map((s) => s.addr);
    const config = `
global:
  scrape_interval: 1s
  scrape_timeout: 900ms
scrape_configs:
  - job_name: api
    static_configs:
      - targets: ['${leaky}', '${pool}', '${idle}']
`;
    prom = await startPrometheus(config);
    // Until every service has samples from before the range: the triage then sees all of it.
    for (let i = 0; i < 100; i++) {
      const older = await prom.query(`count(go_goroutines{job="api"} offset ${RANGE_S + 1}s)`);
      if (older[0]?.value[1] === '3') break;
      await new Promise((r) => setTimeout(r, 250));
    }
    run = await goroscope([
      'watch', ...['--prometheus', prom.url, '--selector', 'go_goroutines{job="api"}', '--range', `${RANGE_S}s`, '--worst', '2'],
      ...['--interval', '200ms', '--window', '2400ms', '--min-growth', '10', '--duration', '3s', '--no-db', '--format', 'json', '--snapshot-dir', path.join(dir, 'snaps')],
    ]);
    report = JSON.parse(run.stdout) as WatchReportJson;
  }, 120_000);

  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await prom?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("ranks the instances on Prometheus's history: only the leaking one grows", () => {
    const t = report.triage!;
    expect(t).toMatchObject({ prometheus: `${prom.url}/`, selector: 'go_goroutines{job="api"}', range: `${RANGE_S}s` });
    expect(t.instances.map((i) => i.instance).sort()).toEqual([leaky, pool, idle].sort());
    expect(t.instances[0]).toMatchObject({ instance: leaky, growing: true, target: `http://${leaky}/debug/pprof/goroutine`, note: null });
    expect(t.instances[0]!.detail).toMatch(/^rose from \d+ to \d+ in \d+(\.\d)?s \(floors \d+ → \d+ → \d+ → \d+\), \d+\/h$/);
    expect(t.instances[0]!.slopePerHour).toBeGreaterThan(20 * 3600 * 0.5);
    for (const i of t.instances.slice(1)) expect([i.instance, i.growing, i.target]).toEqual([i.instance, false, null]);
  });

  it('watches the growing instance through its pprof address and names its leaking group', () => {
    expect(run.code).toBe(1);
    expect(report.targets.map((t) => t.target)).toEqual([`http://${leaky}/debug/pprof/goroutine`]);
    const alerts = report.targets[0]!.alerts;
    expect(alerts.map((a) => [a.kind, a.group?.location])).toEqual([['growth', { func: 'main.leak.func1', file: path.join(SVC_DIR, 'main.go'), line: leakLine }]]);
    expect(run.stderr).toMatch(/goroscope triage: go_goroutines\{job="api"\} on http:\/\/127\.0\.0\.1:\d+\/ over 10s: 3 series, 1 growing/);
  });

  it('says so and exits 0 when no instance grows, and explains a bad selector or an unreachable Prometheus', async () => {
    const none = await goroscope(['watch', '--prometheus', prom.url, '--selector', `go_goroutines{instance="${idle}"}`, '--range', `${RANGE_S}s`, '--no-db', '--format', 'json']);
    expect(none.code).toBe(0);
    const quiet = JSON.parse(none.stdout) as WatchReportJson;
    expect(quiet.targets).toEqual([]);
    expect(quiet.triage!.instances.map((i) => [i.instance, i.growing])).toEqual([[idle, false]]);
    const bad = await goroscope(['watch', '--prometheus', prom.url, '--selector', 'go_goroutines{', '--no-db']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^goroscope: Prometheus at http:\/\/127\.0\.0\.1:\d+\/ refused the query: bad_data: /);
    const closed = await freePort();
    const away = await goroscope(['watch', '--prometheus', `http://u:pw-s3cret@127.0.0.1:${closed}`, '--selector', 'go_goroutines', '--no-db']);
    expect(away.code).toBe(2);
    expect(away.stderr).toBe(`goroscope: cannot reach Prometheus at http://127.0.0.1:${closed}/: ECONNREFUSED\n`);
    expect(away.stderr).not.toContain('pw-s3cret');
  });
});
