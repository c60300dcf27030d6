// Fleet triage's ranking on Prometheus's history (watch's trend on totals) and the pprof address
// of an instance.
import { describe, expect, it } from 'vitest';
import type { RangeSeries } from './prometheus-api.js';
import { DEFAULT_PPROF_URL, pprofTargetOf, rankInstances } from './rank.js';

const MINUTE = 60_000;
const series = (instance: string, values: number[], stepMs = MINUTE): RangeSeries => ({ labels: { instance, job: 'api' }, times: values.map((_, i) => i * stepMs), values });
const minutes = (n: number, f: (i: number) => number) => Array.from({ length: n + 1 }, (_, i) => f(i));

describe('rankInstances', () => {
  it('finds the instance that leaks among a pool, a sawtooth and a burst, as watch would', () => {
    const ranked = rankInstances(
      [
        series('pool:1', minutes(60, (i) => 100 + (i % 10 < 5 ? i % 10 : 10 - (i % 10)) * 20)),
        series('leak:1', minutes(60, (i) => 100 + 2 * i + (i % 3))),
        series('saw:1', minutes(60, (i) => 100 + (i % 7) * 15)),
        series('burst:1', minutes(60, (i) => (i >= 20 && i < 30 ? 400 - (i - 20) * 30 : 100))),
        series('slow:1', minutes(60, (i) => 100 + i)),
      ],
      { windowMs: 60 * MINUTE, minGrowth: 20 },
    );
    expect(ranked.map((r) => [r.instance, r.growth !== null])).toEqual([
      ['leak:1', true],
      ['slow:1', true],
      ...ranked.slice(2).map((r) => [r.instance, false]),
    ]);
    expect(ranked[0]!.growth!.ratePerHour).toBeCloseTo(120, -1);
    expect(ranked[0]).toMatchObject({ first: 100, last: 220, min: 100, unjudged: null });
  });

  it('does not judge a series that spans too little of the range', () => {
    const [young] = rankInstances([series('young:1', minutes(20, (i) => 100 + 5 * i))], { windowMs: 60 * MINUTE, minGrowth: 20 });
    expect(young!.growth).toBeNull();
    expect(young!.unjudged).toMatch(/do not span 90% of --range/);
    expect(young!.slopePerHour).toBeCloseTo(300, 0);
  });
});

describe('pprofTargetOf', () => {
  it('fills the template from the instance label', () => {
    expect(pprofTargetOf('10.0.0.5:8080', DEFAULT_PPROF_URL, null).name).toBe('http://10.0.0.5:8080/debug/pprof/goroutine');
    expect(pprofTargetOf('10.0.0.5:8080', DEFAULT_PPROF_URL, 6060).name).toBe('http://10.0.0.5:6060/debug/pprof/goroutine');
    expect(pprofTargetOf('[fd00::5]:8080', DEFAULT_PPROF_URL, 6060).name).toBe('http://[fd00::5]:6060/debug/pprof/goroutine');
    expect(pprofTargetOf('api-0.api:8080', 'https://{host}:{port}/admin/debug/pprof/', 9999).name).toBe('https://api-0.api:9999/admin/debug/pprof/goroutine');
    expect(pprofTargetOf('10.0.0.5:8080', 'gops://{host}:4321', null)).toMatchObject({ kind: 'gops', host: '10.0.0.5', port: 4321 });
  });

  it('says why an instance label cannot give an address', () => {
    expect(() => pprofTargetOf('api-0', DEFAULT_PPROF_URL, null)).toThrow(/has no port: give --pprof-port/);
    expect(pprofTargetOf('api-0', DEFAULT_PPROF_URL, 6060).name).toBe('http://api-0:6060/debug/pprof/goroutine');
    expect(() => pprofTargetOf('a:b:c', DEFAULT_PPROF_URL, null)).toThrow(/is not HOST:PORT/);
  });
});
