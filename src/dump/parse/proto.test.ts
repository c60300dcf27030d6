// pprof debug=0 profiles from the shared corpus: counts, frames, inference and leak marking.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARED_DIR, sharedUnavailable } from '../../testing/env.js';
import { parseDump, parseDumpStream } from './index.js';

const GEN = path.join(SHARED_DIR, 'testdata/dumps/generated');

describe.skipIf(sharedUnavailable())('pprof debug=0', () => {
  it('reads samples with counts, runtime frames and inferred wait reasons', () => {
    const d = parseDump(readFileSync(path.join(GEN, 'go1.26/pprof_goroutine_debug0.pb.gz')));
    expect(d.sections).toEqual([{ format: 'pprof-proto', goroutines: 108, line: 0, declaredTotal: null, origin: null }]);
    const workers = d.goroutines.find((g) => g.count === 40)!;
    expect(workers.state).toBe('chan receive');
    expect(workers.frames.map((f) => f.func)).toContain('main.worker');
    expect(workers.id).toBeNull();
    const labelled = d.goroutines.filter((g) => g.labels.handler === '/api/v1/items');
    expect(labelled.reduce((n, g) => n + g.count, 0)).toBe(5);
    const reasons = new Set(d.goroutines.map((g) => g.state));
    for (const r of ['chan send', 'select', 'select (no cases)', 'sync.Mutex.Lock', 'sync.WaitGroup.Wait', 'sync.Cond.Wait', 'sleep', 'IO wait', 'running']) {
      expect(reasons, r).toContain(r);
    }
  });

  it('marks every goroutine of a goroutineleak profile as leaked, in all three forms', async () => {
    const dir = path.join(GEN, 'go1.26/goexperiment_goroutineleakprofile');
    const d0 = parseDump(readFileSync(path.join(dir, 'pprof_goroutineleak_debug0.pb.gz')));
    const d1 = parseDump(readFileSync(path.join(dir, 'pprof_goroutineleak_debug1.txt')));
    const d2 = parseDump(readFileSync(path.join(dir, 'pprof_goroutineleak_debug2.txt')));
    expect(d0.total).toBe(82);
    expect(d0.goroutines.every((g) => g.leaked)).toBe(true);
    expect(d1.total).toBe(82);
    expect(d1.goroutines.every((g) => g.leaked)).toBe(true);
    expect(d2.goroutines.filter((g) => g.leaked).length).toBe(82);
    const streamed = await parseDumpStream(
      (async function* () {
        const buf = readFileSync(path.join(dir, 'pprof_goroutineleak_debug0.pb.gz'));
        for (let i = 0; i < buf.length; i += 100) yield buf.subarray(i, i + 100);
      })(),
    );
    expect(streamed).toEqual(d0);
  });

  it('does not flag the ordinary goroutine profile as leaked', () => {
    const d = parseDump(readFileSync(path.join(GEN, 'go1.26/pprof_goroutine_debug1.txt')));
    expect(d.goroutines.some((g) => g.leaked)).toBe(false);
    expect(d.sections[0]!.declaredTotal).toBe(108);
  });
});
