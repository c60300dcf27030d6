// `goroscope watch` end to end against real Go services (testdata/watchsvc, built once): one that
// leaks a goroutine per request while a worker pool grows and shrinks and an idle set stays,
// served over net/http/pprof behind credentials; one with no HTTP server, watched by PID through
// its gops-protocol agent; one that restarts mid-watch. Also the stored report, a continued watch,
// kill -9 at random moments, exit codes, and (with a Go 1.26+ toolchain) the goroutineleak profile.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goEnv, goUnavailable } from '../testing/env.js';
import { buildWatchsvc, CLI, markedLine, startService, SVC_DIR, type Service } from '../testing/watchsvc.js';
import type { AlertJson, WatchReportJson } from './report.js';

const execFileP = promisify(execFile);
const skip = goUnavailable();

const LEAK_LINE = markedLine('leak blocks here');
const GO_LINE = markedLine('leak created here');

const SECRETS = ['s3cret-pw', 'tok-99-secret', 'SECRETHOOK'];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function watch(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'watch', ...args], { env: { ...env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function webhookReceiver() {
  const bodies: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      bodies.push(body);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, bodies, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook/SECRETHOOK` };
}

/** The leak's location and creator as the alert must name them. */
function expectLeakGroup(a: AlertJson) {
  expect(a.group!.location).toEqual({ func: 'main.leak.func1', file: path.join(SVC_DIR, 'main.go'), line: LEAK_LINE });
  expect(a.group!.createdBy).toEqual({ func: 'main.leak', file: path.join(SVC_DIR, 'main.go'), line: GO_LINE });
  expect(a.group!.state).toBe('chan send');
}

describe.skipIf(skip)(`goroscope watch end to end${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let dir = '';
  let binary = '';
  let gopsDir = '';
  const services: ChildProcess[] = [];
  let leaky: Service;
  let viaGops: Service;
  let restarting: Service;
  let hook: Awaited<ReturnType<typeof webhookReceiver>>;
  let main: Run;
  let report: WatchReportJson;
  let leakUrl = '';

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'goroscope-watch-e2e-'));
    binary = path.join(dir, 'watchsvc');
    gopsDir = path.join(dir, 'gops');
    await buildWatchsvc(binary);
    [leaky, viaGops, restarting] = await Promise.all([
      startService(binary, ['-addr=127.0.0.1:0', '-load=20', '-pool', '-idle=8', '-auth=watcher:s3cret-pw', '-token=tok-99-secret']),
      startService(binary, ['-addr=', `-gops-dir=${gopsDir}`, '-leak-rate=20', '-idle=4']),
      // Restarts after its 12th goroutine profile: about 2.4 s into the watch, whenever that starts.
      startService(binary, ['-addr=127.0.0.1:0', '-warm=30', '-warm-for=1500ms', '-restart-after=12', '-idle=4']),
    ]);
    services.push(leaky.child, viaGops.child, restarting.child);
    hook = await webhookReceiver();
    leakUrl = `http://watcher:s3cret-pw@${leaky.addr}/debug/pprof/goroutine?token=tok-99-secret`;
    main = await watch(
      [leakUrl, String(viaGops.pid), `http://${restarting.addr}/debug/pprof/`, ...['--interval', '200ms', '--window', '4s', '--min-growth', '10', '--duration', '9s'],
        ...['--format', 'json', '--db', path.join(dir, 'w.db'), '--snapshot-dir', path.join(dir, 'snaps'), '--webhook', hook.url]],
      { ...process.env, GOPS_CONFIG_DIR: gopsDir },
    );
    report = JSON.parse(main.stdout) as WatchReportJson;
  }, 120_000);

  afterAll(() => {
    for (const s of services) s.kill('SIGKILL');
    hook?.server.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const target = (kind: string, match = '') => report.targets.find((t) => t.kind === kind && t.target.includes(match))!;

  it('names exactly the leaking group of the pprof service: no alert for its pool or idle set', () => {
    expect(main.code).toBe(1);
    const t = target('pprof', leaky.addr);
    expect(t.target).toBe(`http://${leaky.addr}/debug/pprof/goroutine?token=***`);
    expect(t.up).toBe(true);
    expect(t.samples).toBeGreaterThan(30);
    expect(t.alerts.map((a) => [a.kind, a.state])).toEqual([['growth', 'firing']]);
    expectLeakGroup(t.alerts[0]!);
    expect(t.alerts[0]!.ratePerHour).toBeGreaterThan(20 * 3600 * 0.5);
    expect(t.alerts[0]!.signals.map((s) => s.name)).toEqual(['growth']);
  });

  it('watches the service without net/http/pprof through its gops agent, found by PID', () => {
    const t = target('pid');
    expect(t.target).toBe(`pid:${viaGops.pid}`);
    expect(t.alerts.map((a) => a.kind)).toEqual(['growth']);
    expectLeakGroup(t.alerts[0]!);
  });

  it('a restart starts a new series and raises no alert', () => {
    const t = target('pprof', restarting.addr);
    expect(t.restarts).toBe(1);
    expect(t.series[0]!.reason).toMatch(/^restarted: its allocation counters fell/);
    expect(t.alerts).toEqual([]);
  });

  it('posts each alert to the webhook, with a text for Slack-compatible receivers', () => {
    const fired = hook.bodies.map((b) => JSON.parse(b)).filter((b) => b.event === 'fired');
    expect(fired.map((b) => b.target).sort()).toEqual([`http://${leaky.addr}/debug/pprof/goroutine?token=***`, `pid:${viaGops.pid}`].sort());
    for (const b of fired) {
      expect(b.text).toMatch(/^goroscope watch: FIRING growth on .*main\.leak\.func1/);
      expect(b.alert.group.location.line).toBe(LEAK_LINE);
    }
  });

  it('takes a snapshot when an alert fires, which goroscope dump reads', async () => {
    const snapshot = target('pprof', leaky.addr).alerts[0]!.snapshot!;
    expect(snapshot).toMatch(/-alert\.txt\.gz$/);
    expect(existsSync(snapshot)).toBe(true);
    const r = spawnSync(process.execPath, [CLI, 'dump', '--format', 'json', snapshot], { encoding: 'utf8' });
    expect(r.status === 0 || r.status === 1).toBe(true);
    const dump = JSON.parse(r.stdout);
    expect(dump.groups.some((g: { location: { func: string } | null; count: number }) => g.location?.func === 'main.leak.func1' && g.count > 10)).toBe(true);
  });

  it('writes no credential anywhere: output, logs, database, snapshot names, webhook', () => {
    const files = readdirSync(dir).filter((f) => f.startsWith('w.db'));
    const places = [main.stdout, main.stderr, ...hook.bodies, ...readdirSync(path.join(dir, 'snaps')), ...files.map((f) => readFileSync(path.join(dir, f)).toString('latin1'))];
    for (const secret of SECRETS) for (const p of places) expect(p).not.toContain(secret);
    expect(main.stderr).toMatch(/FIRING growth on http:\/\/127\.0\.0\.1:\d+\/debug\/pprof\/goroutine\?token=\*\*\*/);
  });

  it('--report prints the stored period without sampling', async () => {
    const r = await watch(['--db', path.join(dir, 'w.db'), '--report', '--format', 'json']);
    expect(r.code).toBe(1);
    const stored = JSON.parse(r.stdout) as WatchReportJson;
    expect(stored.targets.map((t) => t.target).sort()).toEqual(report.targets.map((t) => t.target).sort());
    expect(stored.targets.flatMap((t) => t.alerts.map((a) => a.group!.id)).sort()).toEqual(report.targets.flatMap((t) => t.alerts.map((a) => a.group!.id)).sort());
  });

  it('a watch continued on its database keeps its series and firing alert: no second webhook message', async () => {
    const before = hook.bodies.length;
    const r = await watch([leakUrl, '--interval', '200ms', '--window', '4s', '--min-growth', '10', '--duration', '2s', '--format', 'json', '--db', path.join(dir, 'w.db'), '--snapshot-dir', path.join(dir, 'snaps'), '--webhook', hook.url]);
    expect(r.code).toBe(1);
    const t = (JSON.parse(r.stdout) as WatchReportJson).targets[0]!;
    expect(t.series).toEqual([]);
    expect(t.alerts.map((a) => [a.kind, a.state, a.firedAt])).toEqual([['growth', 'firing', target('pprof', leaky.addr).alerts[0]!.firedAt]]);
    expect(hook.bodies.slice(before)).toEqual([]);
  });

  /** Samples stored so far (0 while the database does not exist yet). */
  const sampleCount = (file: string): number => {
    if (!existsSync(file)) return 0;
    try {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try {
        return (db.prepare('SELECT COUNT(*) AS n FROM samples').get() as { n: number }).n;
      } finally {
        db.close();
      }
    } catch {
      return 0; // the schema is being created
    }
  };

  it('kill -9 at any moment leaves a consistent database that the next watch continues', async () => {
    const db = path.join(dir, 'killed.db');
    const runs: number[] = [];
    for (const delay of [150, 420, 270, 610]) {
      const child = spawn(process.execPath, [CLI, 'watch', leakUrl, '--interval', '50ms', '--window', '1s', '--duration', '30s', '--db', db, '--no-snapshots'], { stdio: 'ignore' });
      const closed = new Promise((r) => child.on('close', r));
      // Killed a while after it started writing, so the kill lands among samples and commits.
      const countBefore = runs[runs.length - 1] ?? 0;
      for (let i = 0; i < 200 && sampleCount(db) <= countBefore; i++) await new Promise((r) => setTimeout(r, 25));
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      await closed;
      const check = new Database(db);
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      // Every stored sample is whole: its counts add up to its total.
      const partial = check.prepare('SELECT COUNT(*) AS n FROM samples s WHERE s.ok = 1 AND s.grouped = 1 AND s.total != (SELECT SUM(count) FROM counts c WHERE c.sample_id = s.id)').get() as { n: number };
      expect(partial.n).toBe(0);
      runs.push((check.prepare('SELECT COUNT(*) AS n FROM samples').get() as { n: number }).n);
      expect((check.prepare('SELECT COUNT(*) AS n FROM series').get() as { n: number }).n).toBe(1);
      check.close();
    }
    for (let i = 1; i < runs.length; i++) expect(runs[i]!).toBeGreaterThan(runs[i - 1]!);
  });

  it('exits 2 when no target answers, and on usage errors without echoing credentials', async () => {
    const down = await watch(['http://127.0.0.1:1/debug/pprof/goroutine', '--interval', '100ms', '--window', '2s', '--duration', '600ms', '--no-db', '--format', 'json']);
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(/no target could be reached/);
    const t = (JSON.parse(down.stdout) as WatchReportJson).targets[0]!;
    expect([t.up, t.samples, t.lastError]).toEqual([false, 0, 'connection refused']);
    const bad = await watch(['ftp://watcher:s3cret-pw@host/x', '--no-db']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/"ftp:\/\/\.\.\." is not a target/);
    expect(bad.stderr).not.toContain('s3cret-pw');
    const window = await watch([leakUrl, '--interval', '1s', '--window', '5s', '--no-db']);
    expect(window.code).toBe(2);
    expect(window.stderr).toMatch(/--window 5s must be at least 12 times --interval 1s/);
  });
});

// Go 1.26+ only: the runtime's goroutineleak profile. CI has Go 1.19, so this needs a toolchain
// named by GOROSCOPE_GO_LEAKPROFILE (a go binary of 1.26 or later).
const leakGo = process.env.GOROSCOPE_GO_LEAKPROFILE ?? '';
const leakSkip = skip ?? (leakGo === '' ? 'set GOROSCOPE_GO_LEAKPROFILE to a Go 1.26+ go binary to run it' : null);

describe.skipIf(leakSkip !== null)(`goroscope watch --leak-profile (Go 1.26+)${leakSkip ? ` (skipped: ${leakSkip})` : ''}`, () => {
  let dir = '';
  let svc: Service | null = null;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'goroscope-watch-leak-'));
    const goroot = path.dirname(path.dirname(leakGo));
    const version = spawnSync(leakGo, ['version'], { encoding: 'utf8', env: goEnv({ GOROOT: goroot }) }).stdout;
    const minor = Number(/go1\.(\d+)/.exec(version)?.[1] ?? 0);
    if (minor < 26) throw new Error(`GOROSCOPE_GO_LEAKPROFILE names ${version.trim()}: the goroutineleak profile needs Go 1.26 or later`);
    // 1.26 has the profile behind an experiment; from 1.27 it is on by default.
    const env = goEnv({ GOROOT: goroot, ...(minor === 26 ? { GOEXPERIMENT: 'goroutineleakprofile' } : {}) });
    await execFileP(leakGo, ['build', '-o', path.join(dir, 'watchsvc'), '.'], { cwd: SVC_DIR, env });
    svc = await startService(path.join(dir, 'watchsvc'), ['-addr=127.0.0.1:0', '-load=20', '-idle=4']);
  }, 600_000); // a toolchain's first build compiles its standard library: minutes on two cores

  afterAll(() => {
    svc?.child.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('alerts leak-profile for the leaking group, and nothing for the idle set', async () => {
    const r = await watch([`http://${svc!.addr}/debug/pprof/goroutine`, '--interval', '200ms', '--window', '30s', '--leak-profile', '1s', '--duration', '3s', '--format', 'json', '--no-db', '--snapshot-dir', path.join(dir, 'snaps')]);
    expect(r.code).toBe(1);
    const alerts = (JSON.parse(r.stdout) as WatchReportJson).targets[0]!.alerts;
    expect(alerts.map((a) => a.kind)).toEqual(['leak-profile']);
    expect(alerts[0]!.group!.location).toEqual({ func: 'main.leak.func1', file: path.join(SVC_DIR, 'main.go'), line: LEAK_LINE });
    expect(alerts[0]!.signals[0]!.detail).toMatch(/marked leaked by the runtime's goroutineleak profile/);
  });
});
