// Analysis of the shared corpus written by real Go programs (../shared): the same leaky program
// dumped by Go 1.19, 1.23 and 1.26 in several formats must give the same verdicts.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDump } from '../parse/index.js';
import { SHARED_DIR, sharedUnavailable } from '../../testing/env.js';
import { analyzeDump } from './analyze.js';

const GEN = path.join(SHARED_DIR, 'testdata/dumps/generated');
const load = (rel: string) => parseDump(readFileSync(path.join(GEN, rel)));

describe.skipIf(sharedUnavailable())('corpus verdicts', () => {
  for (const v of ['go1.19', 'go1.23', 'go1.26']) {
    it(`${v}: nil-chan and select {} leaks are definite; mutex waits are classified across wait-reason changes`, () => {
      const a = analyzeDump(load(`${v}/runtime_stack_all.txt`));
      const definite = a.groups.filter((g) => g.suspect?.level === 'definite').map((g) => `${g.kind} ${g.count}`);
      expect(definite.sort()).toEqual(['nil chan 2', 'nil chan 2', 'select no cases 3']);
      const kinds = new Map(a.groups.map((g) => [g.location?.func, g.kind]));
      expect(kinds.get('main.startLeaks.func4')).toBe('mutex');
      expect(kinds.get('main.startLeaks.func5')).toBe('rwmutex');
      expect(kinds.get('main.startLeaks.func6')).toBe('waitgroup');
      expect(kinds.get('main.startLeaks.func7')).toBe('cond');
      expect(kinds.get('main.worker')).toBe('chan receive');
      expect(a.groups.find((g) => g.location?.func === 'main.worker')?.count).toBe(40);
    });
  }

  it('go1.26 goroutineleak debug=2: goroutines marked (leaked) are definite suspects', () => {
    const a = analyzeDump(load('go1.26/goexperiment_goroutineleakprofile/pprof_goroutineleak_debug2.txt'));
    const leaked = a.groups.filter((g) => g.leaked);
    expect(leaked.reduce((s, g) => s + g.count, 0)).toBeGreaterThan(50);
    expect(leaked.every((g) => g.suspect?.level === 'definite')).toBe(true);
  });

  it('go1.19 wait_minutes: long waits become likely suspects once --min-wait is reached', () => {
    const d = load('go1.19/wait_minutes/runtime_stack_all.txt');
    expect(analyzeDump(d).suspects.likely).toBe(0); // 2 minutes < default 10
    const a = analyzeDump(d, { minWaitMinutes: 2 });
    const worker = a.groups.find((g) => g.location?.func === 'main.worker')!;
    expect(worker.suspect?.level).toBe('likely');
    expect(worker.waitMinutes.max).toBeGreaterThanOrEqual(2);
    // Sleeping and IO-waiting goroutines are not leaks however long they wait.
    expect(a.groups.filter((g) => g.kind === 'sleep' || g.kind === 'IO wait').every((g) => g.suspect === null)).toBe(true);
  });
});
