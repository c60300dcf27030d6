// goroscope serve's /probe against fake pprof targets: one fresh sample as metrics, the top
// groups and "other", failures as up 0 with a reason, bad and refused targets, the allow-list,
// the prober's own /metrics; promtool accepts what it serves.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debug1Profile, FakeTargets } from '../../bench/fake-targets.js';
import { PROMTOOL, promtoolUnavailable } from '../../testing/env.js';
import { parseExposition, samplesOf } from '../../testing/prom-text.js';
import { Scrubber } from '../redact.js';
import { parseTarget } from '../target.js';
import { probeRoutes, probeTimeout, TargetAllowList, type ProbeContext } from './probe.js';
import { parseServeAddress, startServer, type RunningServer } from './server.js';

const promtoolSkip = promtoolUnavailable();
const RECORDS = [
  { func: 'main.leak.func1', file: '/app/main.go', line: 42, count: 120 },
  { func: 'main.worker', file: '/app/pool.go', line: 12, count: 30 },
  { func: 'main.idle', file: '/app/main.go', line: 60, count: 8 },
  { func: 'runtime.gopark', file: '/usr/lib/go/src/runtime/proc.go', line: 381, count: 5 },
];

let fake: FakeTargets;
let server: RunningServer;
let requests = 0;

async function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const res = await fetch(`${server.url}${path}`, { headers });
  return { status: res.status, text: await res.text() };
}
const probe = (target: string, headers?: Record<string, string>) => get(`/probe?target=${encodeURIComponent(target)}`, headers);

beforeAll(async () => {
  fake = await FakeTargets.start();
  fake.set(0, (endpoint) => {
    if (endpoint !== 'goroutine') return null;
    requests++;
    return { body: debug1Profile(RECORDS) };
  });
  fake.set(1, () => ({ body: '<html>login</html>' }));
  fake.set(2, () => ({ body: debug1Profile(RECORDS), delayMs: 5_000 }));
  const ctx: ProbeContext = { scrubber: new Scrubber(), allow: new TargetAllowList(null), timeoutMs: 3000, maxBytes: 1 << 20, group: {}, metricsTop: 2 };
  server = await startServer(parseServeAddress('127.0.0.1:0', false), probeRoutes(), ctx);
});

afterAll(async () => {
  await server?.close();
  await fake?.close();
});

describe('goroscope serve /probe', () => {
  let text = '';

  it('answers one fresh sample of the target: up, total, the top groups and the rest in other', async () => {
    const before = requests;
    const target = `http://user:pw-s3cret@${fake.url(0).slice(7)}?token=tok-s3cret`;
    const r = await probe(target);
    text = r.text;
    expect(r.status).toBe(200);
    expect(requests).toBe(before + 1);
    const shown = parseTarget(target).name;
    expect(shown).toMatch(/\?token=\*\*\*$/);
    const samples = parseExposition(r.text);
    expect(samplesOf(samples, 'goroscope_target_up')).toEqual([{ name: 'goroscope_target_up', labels: { target: shown }, value: 1 }]);
    expect(samplesOf(samples, 'goroscope_goroutines')[0]!.value).toBe(163);
    const groups = samplesOf(samples, 'goroscope_group_goroutines', { target: shown });
    expect(groups.map((g) => [g.labels.function, g.labels.line, g.value])).toEqual([
      ['main.leak.func1', '42', 120],
      ['main.worker', '12', 30],
      ['', '', 13],
    ]);
    expect(groups[2]!.labels.group).toBe('other');
    expect(samplesOf(samples, 'goroscope_probe_duration_seconds')[0]!.value).toBeGreaterThan(0);
    for (const secret of ['pw-s3cret', 'tok-s3cret']) expect(r.text).not.toContain(secret);
  });

  it('gives a group the same ID in every probe (the dump library signature)', async () => {
    const ids = async () => samplesOf(parseExposition((await probe(fake.url(0))).text), 'goroscope_group_goroutines').map((g) => g.labels.group);
    expect(await ids()).toEqual(await ids());
  });

  it('answers up 0 with the reason when the target cannot be read', async () => {
    const cases: Array<[string, string]> = [
      ['http://127.0.0.1:1/debug/pprof/goroutine', 'connection_refused'],
      [fake.url(1), 'not_a_profile'],
      [fake.url(7), 'http_404'],
    ];
    for (const [target, reason] of cases) {
      const r = await probe(target);
      expect(r.status).toBe(200);
      const samples = parseExposition(r.text);
      expect(samplesOf(samples, 'goroscope_target_up')[0]!.value).toBe(0);
      expect(samplesOf(samples, 'goroscope_probe_error_info').map((s) => s.labels.reason)).toEqual([reason]);
      expect(samplesOf(samples, 'goroscope_group_goroutines')).toEqual([]);
    }
  });

  it("ends a probe before Prometheus's scrape timeout", async () => {
    const started = Date.now();
    const r = await probe(fake.url(2), { 'x-prometheus-scrape-timeout-seconds': '1' });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(samplesOf(parseExposition(r.text), 'goroscope_probe_error_info')[0]!.labels.reason).toBe('timeout');
    expect(probeTimeout(10_000, '1')).toBe(500);
    expect(probeTimeout(10_000, '30')).toBe(10_000);
    expect(probeTimeout(10_000, undefined)).toBe(10_000);
    expect(probeTimeout(10_000, 'soon')).toBe(10_000);
  });

  it('refuses a missing or bad target (400) and a target beyond the allow-list (403), without echoing credentials', async () => {
    expect(await get('/probe')).toMatchObject({ status: 400, text: expect.stringMatching(/give the target to probe/) });
    const bad = await probe('ftp://u:pw-s3cret@host/x');
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/"ftp:\/\/\.\.\." is not a target/);
    const far = await probe('http://u:pw-s3cret@10.1.2.3:6060/debug/pprof/goroutine');
    expect(far.status).toBe(403);
    expect(far.text).toMatch(/^http:\/\/10\.1\.2\.3:6060\/debug\/pprof\/goroutine is not a loopback address/);
    expect(`${bad.text}${far.text}`).not.toContain('pw-s3cret');
  });

  it("counts probes in the prober's own /metrics", async () => {
    const own = parseExposition((await get('/metrics')).text);
    const by = Object.fromEntries(samplesOf(own, 'goroscope_probes_total').map((s) => [s.labels.result, s.value]));
    expect(by).toEqual({ success: 3, failure: 4 });
    expect(samplesOf(own, 'goroscope_sample_duration_seconds_count')[0]!.value).toBe(7);
  });

  it.skipIf(promtoolSkip !== null)(`serves what promtool check metrics accepts${promtoolSkip ? ` (skipped: ${promtoolSkip})` : ''}`, async () => {
    const failed = (await probe('http://127.0.0.1:1/')).text;
    const own = (await get('/metrics')).text;
    for (const t of [text, failed, own]) expect(execFileSync(PROMTOOL, ['check', 'metrics'], { input: t, encoding: 'utf8' })).toBe('');
  });
});

describe('TargetAllowList', () => {
  const refuse = (allow: TargetAllowList, spec: string) => allow.refuse(parseTarget(spec));

  it('lets only loopback targets and local PIDs through by default', () => {
    const loopback = new TargetAllowList(null);
    for (const ok of ['http://127.0.0.1:6060/debug/pprof/goroutine', 'http://localhost:6060', 'http://[::1]:6060/debug/pprof/', 'http://127.1.2.3:80', 'gops://127.0.0.1:4321', '4242']) {
      expect(refuse(loopback, ok), ok).toBeNull();
    }
    for (const no of ['http://10.0.0.5:6060', 'http://example.com:6060', 'gops://192.168.1.2:4321', 'http://127.0.0.1.example.com/', 'http://[::2]:6060']) {
      expect(refuse(loopback, no), no).toMatch(/is not a loopback address/);
    }
  });

  it('with --allow-targets, lets through the targets whose whole shown name matches', () => {
    const allow = new TargetAllowList('http://10\\.0\\.0\\.\\d+:6060/debug/pprof/goroutine');
    expect(refuse(allow, 'http://10.0.0.5:6060')).toBeNull();
    expect(refuse(allow, 'http://10.0.0.5:6060/debug/pprof/goroutine?x=1')).toMatch(/does not match --allow-targets/);
    expect(refuse(allow, 'http://127.0.0.1:6060')).toMatch(/does not match --allow-targets/);
    expect(refuse(allow, 'http://evil.com/?http://10.0.0.5:6060/debug/pprof/goroutine')).not.toBeNull();
  });
});
