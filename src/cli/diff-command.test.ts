// End-to-end tests of `goroscope diff` as a gate, on a corpus dump and a grown copy of it.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, SHARED_DIR, sharedUnavailable } from '../testing/env.js';

const CLI = path.join(REPO_ROOT, 'dist/cli/main.js');
const BEFORE = path.join(SHARED_DIR, 'testdata/dumps/generated/go1.23/runtime_stack_all.txt');

const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

/** BEFORE with every `main.producer` goroutine (chan send) duplicated under fresh IDs. */
function grow(text: string, times: number): string {
  const blocks = text.trimEnd().split(/\n\n+/);
  const producers = blocks.filter((b) => b.includes('main.producer('));
  let id = 100_000;
  const extra: string[] = [];
  for (let i = 0; i < times; i++) for (const b of producers) extra.push(b.replace(/^goroutine \d+/, `goroutine ${id++}`));
  return `${[...blocks, ...extra].join('\n\n')}\n`;
}

describe.skipIf(sharedUnavailable())('goroscope diff (built CLI)', () => {
  let tmp = '';
  let after = '';
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`no built CLI at ${CLI}: run npx tsc -p .`);
    tmp = mkdtempSync(path.join(os.tmpdir(), 'goroscope-diff-'));
    after = path.join(tmp, 'after.txt');
    writeFileSync(after, grow(readFileSync(BEFORE, 'utf8'), 1)); // +15 chan-send goroutines
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('passes on identical dumps', () => {
    const r = run(['diff', BEFORE, BEFORE]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('gate: passed');
  });

  it('fails the growth gate and names the group that grew, with its new IDs', () => {
    const r = run(['diff', '--format', 'json', BEFORE, after]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.version).toBe(1);
    expect(doc.gate.passed).toBe(false);
    expect(doc.newGoroutines).toBe(15);
    expect(doc.groups).toHaveLength(1);
    expect(doc.groups[0]).toMatchObject({ kind: 'chan send', before: 15, after: 30, growth: 15, location: { func: 'main.producer' } });
    expect(doc.sameProcess.value).toBe(true);
    expect(doc.groups[0].newIds).toHaveLength(15);
    expect(doc.totals.growthPercent).toBeGreaterThan(5);
  });

  it('--max-growth and --max-new set the gate', () => {
    expect(run(['diff', '--max-growth', '50', BEFORE, after]).code).toBe(0);
    const r = run(['diff', '--max-growth', '50', '--max-new', '10', BEFORE, after]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('15 new goroutines, more than --max-new 10');
  });

  it('ignore flags take goroutines out of the comparison', () => {
    expect(run(['diff', '--ignore-top', 'main.producer', BEFORE, after]).code).toBe(0);
  });

  it('compares dumps in different formats by stack, and refuses a goroutineleak profile against unmarked goroutines', () => {
    const gen = path.join(SHARED_DIR, 'testdata/dumps/generated');
    const debug1 = path.join(gen, 'go1.23/pprof_goroutine_debug1.txt');
    const r = run(['diff', '--format', 'json', debug1, after]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.comparison).toMatchObject({ by: 'stack', leftOut: ['state', 'creator', 'labels'], leakedOnly: false });
    expect(doc.groups.map((g: any) => [g.location.func, g.before, g.after]).filter(([f]: [string]) => f !== 'main.main')).toEqual([['main.producer', 15, 30]]);
    expect(run(['diff', debug1, path.join(gen, 'go1.23/pprof_goroutine_debug2.txt')]).stdout).toContain('comparison: BEFORE is pprof-debug1, AFTER is traceback');
    const leak = path.join(gen, 'go1.26/goexperiment_goroutineleakprofile/pprof_goroutineleak_debug1.txt');
    const refused = run(['diff', leak, path.join(gen, 'go1.26/pprof_goroutine_debug2.txt')]);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/^goroscope: cannot compare .* BEFORE is a goroutineleak profile, .* take both dumps from \/debug\/pprof\/goroutineleak/);
  });

  it('exits 2 when an input cannot be read', () => {
    const r = run(['diff', BEFORE, path.join(tmp, 'missing.txt')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`goroscope: cannot read ${path.join(tmp, 'missing.txt')}: no such file or directory\n`);
  });
});
