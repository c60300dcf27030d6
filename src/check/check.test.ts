// End-to-end tests of `goroscope check` on the bundled example module, with the load check run
// against the example service (examples/cmd/service) started on 127.0.0.1 and stopped after.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findGo, goEnv, goUnavailable, REPO_ROOT } from '../testing/env.js';
import { loadCheckConfig } from './config.js';
import { formatCheckMarkdown } from './report.js';

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

async function check(args: string[]): Promise<{ code: number; report: { passed: boolean; items: Array<{ id: string; status: string; summary: string; details: string[] }> }; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileP('node', [CLI, 'check', '--format', 'json', '--go', findGo()!, ...args], { cwd: EXAMPLES, env: goEnv(), maxBuffer: 64 << 20 });
    return { code: 0, report: JSON.parse(stdout), stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, report: e.stdout ? JSON.parse(e.stdout) : null, stderr: e.stderr };
  }
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
    const r = await check(['--skip', 'scan,test', '--service', `http://${svc.addr}/debug/pprof/goroutine`, '--load', load(svc.addr)]);
    expect(r.stderr).toBe('');
    const item = r.report.items.find((i) => i.id === 'load')!;
    expect(item.status, JSON.stringify(item)).toBe('passed');
    expect(r.code).toBe(0);
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
    expect(byId.load!.details.join('\n')).toMatch(/new: 30 goroutine\(s\) in chan send at main\.main\.func1\.1 \(.*examples\/cmd\/service\/main\.go:35\)/);
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

describe('check configuration and markdown', () => {
  it('reads the check: section with its locations in errors', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'goroscope-cfg-'));
    const file = path.join(dir, '.goroscope.yaml');
    writeFileSync(file, 'rules:\n  bare-go: on\ncheck:\n  skip: [load]\n  testFlags: [-race]\n  maxGrowth: 10\n  settle: 3s\n');
    expect(loadCheckConfig(file)).toEqual({ skip: ['load'], testFlags: ['-race'], maxGrowth: 10, settleMs: 3000 });
    writeFileSync(file, 'check:\n  skip: [lint]\n');
    expect(() => loadCheckConfig(file)).toThrow(/\.goroscope\.yaml:2: check\.skip: unknown item "lint"/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders a pull-request comment with escaped details', () => {
    const md = formatCheckMarkdown({
      version: '0',
      passed: false,
      items: [{ id: 'scan', title: 'Static scan', status: 'failed', summary: '1 finding', details: ['a.go:3: x|y <b>'] }],
    });
    expect(md).toContain('| ❌ | Static scan | 1 finding |');
    expect(md).toContain('- a.go:3: x\\|y \\<b\\>');
  });
});
