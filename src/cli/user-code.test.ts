// `goroscope dump` and `diff` as a user runs them on a program whose module path has no dot, and
// `--module` for a module named like a standard package (built CLI, as the other CLI tests).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, SHARED_DIR, sharedUnavailable } from '../testing/env.js';
import { moveUserFrames } from '../testing/module-paths.js';

const CLI = path.join(REPO_ROOT, 'dist/cli/main.js');

const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

/** A dump of `count` handler goroutines of package `pkg` (files under /srv/app) stranded in select. */
function handlerDump(pkg: string, count: number): string {
  const blocks = ['goroutine 1 [running]:\nmain.main()\n\t/srv/app/main.go:20 +0x1d'];
  for (let i = 0; i < count; i++) {
    blocks.push(`goroutine ${100 + i} [select]:\n${pkg}.Handle.func1()\n\t/srv/app/handler.go:12 +0x45\ncreated by ${pkg}.Handle in goroutine 1\n\t/srv/app/handler.go:11 +0x50`);
  }
  return `${blocks.join('\n\n')}\n`;
}

describe('dump and diff on a module without a dot (built CLI)', () => {
  let tmp = '';
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`no built CLI at ${CLI}: run npx tsc -p .`);
    tmp = mkdtempSync(path.join(os.tmpdir(), 'goroscope-usercode-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const p = path.join(tmp, name);
    writeFileSync(p, text);
    return p;
  };

  it('dump --idle reports the stranded handlers of module shop as leaks', () => {
    const r = run(['dump', '--idle', '--format', 'json', file('shop.txt', handlerDump('shop/handler', 30))]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.groups[0]).toMatchObject({ count: 30, benign: null, location: { func: 'shop/handler.Handle.func1' }, suspect: { level: 'definite' } });
  });

  it('diff counts their growth', () => {
    const r = run(['diff', '--format', 'json', file('before.txt', handlerDump('shop/handler', 0)), file('after.txt', handlerDump('shop/handler', 30))]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.totals).toMatchObject({ before: 1, after: 31 });
    expect(doc.groups[0]).toMatchObject({ growth: 30, location: { func: 'shop/handler.Handle.func1' } });
  });

  it('--module makes a module named like a standard package ("maps") user code', () => {
    const maps = file('maps.txt', handlerDump('maps', 30));
    const without = JSON.parse(run(['dump', '--idle', '--format', 'json', maps]).stdout);
    expect(without.groups.find((g: { count: number }) => g.count === 30).benign).toBe('standard library goroutine');
    const r = run(['dump', '--idle', '--format', 'json', '--module', 'maps', maps]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).groups[0]).toMatchObject({ count: 30, benign: null, suspect: { level: 'definite' } });
    const d = run(['diff', '--format', 'json', '--module', 'maps', file('maps-before.txt', handlerDump('maps', 0)), maps]);
    expect(JSON.parse(d.stdout).newGoroutines).toBe(30);
  });

  describe.skipIf(sharedUnavailable())('on the corpus renamed into module billing/api', () => {
    it('dump reports the same suspects as for package main', () => {
      const original = path.join(SHARED_DIR, 'testdata/dumps/generated/go1.23/runtime_stack_all.txt');
      const renamed = file('billing.txt', moveUserFrames(readFileSync(original, 'latin1'), 'billing/api'));
      const suspects = (f: string) => JSON.parse(run(['dump', '--format', 'json', f]).stdout).suspects;
      expect(suspects(renamed)).toEqual(suspects(original));
      expect(suspects(renamed).definite).toBe(7);
    });
  });
});
