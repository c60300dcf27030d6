// Analysis of the shared corpus written by real Go programs (../shared): the same leaky program
// dumped by Go 1.19, 1.23 and 1.26 in several formats must give the same verdicts, also when its
// code is renamed into a module without a dot (the corpus program is package main; the copies
// read as module "shop" or "billing/api"), where the same goroutines are the same suspects.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDump } from '../parse/index.js';
import { SHARED_DIR, sharedUnavailable } from '../../testing/env.js';
import { DOTLESS_MODULES, moveUserFrames } from '../../testing/module-paths.js';
import { analyzeDump } from './analyze.js';
import { diffDumps } from './diff.js';

const GEN = path.join(SHARED_DIR, 'testdata/dumps/generated');

const VARIANTS = [
  { title: 'as written (package main)', text: (t: string) => t, func: (f: string) => f },
  // moveUserFrames renames a function name as it renames the dump's frames.
  ...DOTLESS_MODULES.map((m) => ({ title: `user code in module ${m}`, text: (t: string) => moveUserFrames(t, m), func: (f: string) => moveUserFrames(f, m) })),
];

describe.skipIf(sharedUnavailable())('corpus verdicts', () => {
  for (const variant of VARIANTS) {
    describe(variant.title, () => {
      const load = (rel: string) => parseDump(variant.text(readFileSync(path.join(GEN, rel), 'latin1')));
      const fn = variant.func;

      for (const v of ['go1.19', 'go1.23', 'go1.26']) {
        for (const file of ['runtime_stack_all.txt', 'pprof_goroutine_debug2.txt', ...(v === 'go1.19' ? [] : ['trimpath/runtime_stack_all.txt'])]) {
          if (!file.startsWith('trimpath') || v === 'go1.23') {
            it(`${v}/${file}: nil-chan and select {} leaks are definite; mutex waits are classified across wait-reason changes`, () => {
              const a = analyzeDump(load(`${v}/${file}`));
              const definite = a.groups.filter((g) => g.suspect?.level === 'definite').map((g) => `${g.kind} ${g.count}`);
              expect(definite.sort()).toEqual(['nil chan 2', 'nil chan 2', 'select no cases 3']);
              const kinds = new Map(a.groups.map((g) => [g.location?.func, g.kind]));
              expect(kinds.get(fn('main.startLeaks.func4'))).toBe('mutex');
              expect(kinds.get(fn('main.startLeaks.func5'))).toBe('rwmutex');
              expect(kinds.get(fn('main.startLeaks.func6'))).toBe('waitgroup');
              expect(kinds.get(fn('main.startLeaks.func7'))).toBe('cond');
              expect(kinds.get(fn('main.worker'))).toBe('chan receive');
              expect(a.groups.find((g) => g.location?.func === fn('main.worker'))?.count).toBe(40);
              // A goroutine called "standard library goroutine" has no frame in user code.
              expect(a.groups.filter((g) => g.benign === 'standard library goroutine' && g.location !== null)).toEqual([]);
            });
          }
        }
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
        const worker = a.groups.find((g) => g.location?.func === fn('main.worker'))!;
        expect(worker.suspect?.level).toBe('likely');
        expect(worker.waitMinutes.max).toBeGreaterThanOrEqual(2);
        // Sleeping and IO-waiting goroutines are not leaks however long they wait.
        expect(a.groups.filter((g) => g.kind === 'sleep' || g.kind === 'IO wait').every((g) => g.suspect === null)).toBe(true);
      });

      it('go1.23 idle: every goroutine of the program is a leak, none of the runtime or net/http server', () => {
        const leaks = analyzeDump(load('go1.23/runtime_stack_all.txt'), { idle: true }).groups.filter((g) => g.suspect !== null);
        expect(leaks.reduce((s, g) => s + g.count, 0)).toBeGreaterThan(90);
        expect(leaks.every((g) => g.location !== null)).toBe(true);
      });

      it('go1.23 diff: a grown group of the program is growth, not a benign group', () => {
        const text = readFileSync(path.join(GEN, 'go1.23/runtime_stack_all.txt'), 'latin1');
        const producers = text.split(/\n\n+/).filter((b) => b.includes('main.producer('));
        const grown = `${text.trimEnd()}\n\n${producers.map((b, i) => b.replace(/^goroutine \d+/, `goroutine ${100_000 + i}`)).join('\n\n')}\n`;
        const diff = diffDumps(parseDump(variant.text(text)), parseDump(variant.text(grown)));
        expect(diff.grown.map((d) => [d.group.location?.func, d.growth])).toEqual([[fn('main.producer'), producers.length]]);
        expect(diff.gate.passed).toBe(false);
      });
    });
  }
});
