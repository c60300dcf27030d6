// The load item of `goroscope check` on a service whose module path has no dot: the example
// service (examples/cmd/service) copied as module "shop", its handler moved out of package main
// into shop/cmd/service/app. Its stranded goroutines must count as growth, as they do under
// example.com/...: a dotless module is not the standard library.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findGo, goEnv, goUnavailable, REPO_ROOT } from '../testing/env.js';
import { copyModuleAs, movePackageMain } from '../testing/module-paths.js';

const execFileP = promisify(execFile);
const CLI = path.join(REPO_ROOT, 'dist/cli/main.js');
const skip = goUnavailable();

/** A port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Waits until the service answers its goroutine profile. */
async function profileUp(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the service never answered ${url}`);
}

describe.skipIf(skip)(`goroscope check --load on a module without a dot${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let module = '';
  let service: ChildProcess | null = null;
  let addr = '';

  beforeAll(async () => {
    module = copyModuleAs(path.join(REPO_ROOT, 'examples'), 'shop');
    movePackageMain(module, path.join('cmd', 'service'));
    const binary = path.join(path.dirname(module), 'service');
    await execFileP(findGo()!, ['build', '-o', binary, './cmd/service'], { cwd: module, env: goEnv() });
    addr = `127.0.0.1:${await freePort()}`;
    service = spawn(binary, ['-addr', addr, '-leaky'], { stdio: 'ignore' });
    await profileUp(`http://${addr}/debug/pprof/goroutine?debug=1`);
  }, 120_000);

  afterAll(() => {
    service?.kill('SIGTERM');
    if (module) rmSync(path.dirname(module), { recursive: true, force: true });
  });

  it("fails the load item on the goroutines the service's own package left behind", async () => {
    const load = `node -e "(async () => { for (let i = 0; i < 20; i++) await fetch('http://${addr}/search?q=' + i); })()"`;
    const args = [CLI, 'check', '--format', 'json', '--go', findGo()!, '--skip', 'scan,test', '--service', `http://${addr}/debug/pprof/goroutine`, '--load', load, '--settle', '1s'];
    const r = await execFileP('node', args, { cwd: module, env: goEnv() }).then(
      (ok) => ({ code: 0, stdout: ok.stdout }),
      (err: { code: number; stdout: string }) => ({ code: err.code, stdout: err.stdout }),
    );
    expect(r.code).toBe(1);
    const item = JSON.parse(r.stdout).items.find((i: { id: string }) => i.id === 'load');
    expect(item.status).toBe('failed');
    expect(item.details.join('\n')).toMatch(/new: 0 -> 20 goroutine\(s\) in chan send at shop\/cmd\/service\/app\.Main\.func1\.1 \(.*cmd\/service\/app\/main\.go:35\)/);
  }, 120_000);
});
