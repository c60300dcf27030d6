import { describe, it, expect } from 'vitest';
import { diffDumps, sameProcess } from './diff.js';
import { dumpOf, goroutine, many } from './testdata/factory.js';
import type { Goroutine } from '../model.js';

const base = (): Goroutine[] => [
  goroutine({ id: 1, state: 'running', frames: ['main.main /app/main.go:1'], createdBy: null }),
  ...[10, 11, 12, 13].map((id) => goroutine({ id, frames: ['main.worker /app/main.go:37'] })),
  goroutine({ id: 20, state: 'select', frames: ['main.loop /app/main.go:50'] }),
];

describe('diffDumps', () => {
  it('reports growth per group and fails the growth gate', () => {
    const after = [...base(), ...[30, 31].map((id) => goroutine({ id, frames: ['main.worker /app/main.go:37'] })), goroutine({ id: 32, state: 'chan send', frames: ['main.produce /app/main.go:60'] })];
    const d = diffDumps(dumpOf(base()), dumpOf(after));
    expect(d.totals).toMatchObject({ before: 6, after: 9, growth: 3, growthPercent: 50 });
    expect(d.grown.map((g) => [g.group.location?.func, g.before, g.after, g.newIds])).toEqual([
      ['main.worker', 4, 6, [30, 31]],
      ['main.produce', 0, 1, [32]],
    ]);
    expect(d.gate.passed).toBe(false);
    expect(d.gate.failures[0]).toMatch(/grew 50.0%/);
    expect(diffDumps(dumpOf(base()), dumpOf(after), { maxGrowthPercent: 50 }).gate.passed).toBe(true);
    expect(diffDumps(dumpOf(base()), dumpOf(after), { maxGrowthPercent: 50, maxNew: 2 }).gate.failures).toEqual(['3 new goroutines, more than --max-new 2']);
  });
  it('passes identical dumps and lists groups that are gone', () => {
    expect(diffDumps(dumpOf(base()), dumpOf(base())).gate).toMatchObject({ passed: true, failures: [] });
    const d = diffDumps(dumpOf(base()), dumpOf(base().filter((g) => g.state !== 'select')), {});
    expect(d.gone.map((g) => g.location?.func)).toEqual(['main.loop']);
  });
  it('leaves benign and ignored goroutines out of the totals', () => {
    const after = [...base(), ...many(10, { state: 'GC worker (idle)', frames: ['runtime.gcBgMarkWorker r.go:1'], createdBy: 'runtime.gcBgMarkStartWorkers r.go:2' })];
    expect(diffDumps(dumpOf(base()), dumpOf(after)).gate.passed).toBe(true);
  });
});

describe('sameProcess', () => {
  it('accepts a later dump of the same goroutines', () => {
    const after = [...base(), goroutine({ id: 40 })];
    expect(sameProcess(dumpOf(base()), dumpOf(after)).value).toBe(true);
  });
  it('rejects dumps whose shared IDs belong to different goroutines', () => {
    const other = base().map((g, i) => ({ ...g, frames: [{ ...g.frames[0]!, func: `main.other${i}` }] }));
    expect(sameProcess(dumpOf(base()), dumpOf(other)).value).toBe(false);
  });
  it('rejects an AFTER whose IDs are all below BEFORE (a restart)', () => {
    const restarted = base().filter((g) => g.id! < 20);
    expect(sameProcess(dumpOf(base()), dumpOf(restarted)).reason).toMatch(/highest goroutine ID/);
  });
  it('rejects input without IDs and then reports no new IDs', () => {
    const noIds = base().map((g) => ({ ...g, id: null }));
    expect(sameProcess(dumpOf(noIds), dumpOf(noIds)).value).toBe(false);
    const d = diffDumps(dumpOf(noIds), dumpOf([...noIds, goroutine({ id: null })]));
    expect(d.grown[0]!.newIds).toBeNull();
  });
});
