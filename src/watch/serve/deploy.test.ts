// What goroscope ships under deploy/: the Prometheus rules pass `promtool check rules` and their
// unit tests (`promtool test rules`: every alert fires on a steady, slow and noisy rise and stays
// silent for a pool, a burst, a restart and a sawtooth); the Grafana dashboard is valid JSON with
// a datasource variable whose every query names only metrics that goroscope serves, its rules
// record, or client_golang exports.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROMTOOL, promtoolUnavailable, REPO_ROOT } from '../../testing/env.js';
import { allPanels, dashboard, dashboardQueries, metricNames } from '../../testing/grafana.js';
import { declaredMetrics } from '../../testing/prom-text.js';
import { Scrubber } from '../redact.js';
import { WatchStore } from '../store.js';
import { DEFAULT_SETTINGS } from '../target-watch.js';
import { Watcher } from '../watcher.js';
import { metricsRoutes } from './metrics.js';
import { probeRoutes, TargetAllowList } from './probe.js';
import { parseServeAddress, startServer } from './server.js';

const RULES = path.join(REPO_ROOT, 'deploy/prometheus/goroscope-rules.yml');
const RULE_TESTS = path.join(REPO_ROOT, 'deploy/prometheus/tests/goroscope-rules.test.yml');
/** client_golang's Go collector and process collector names the dashboard may use. */
const CLIENT_GOLANG = ['go_goroutines', 'go_threads', 'go_info', 'go_gc_duration_seconds', 'process_start_time_seconds', 'process_resident_memory_bytes'];
const promtoolSkip = promtoolUnavailable();

describe('deploy/grafana dashboard', () => {
  const served = new Set<string>();

  beforeAll(async () => {
    // What goroscope serves: watch --serve's /metrics, and serve's /probe (one that fails, which
    // still declares every metric) and /metrics.
    const scrubber = new Scrubber();
    const store = new WatchStore(null);
    const events = { alert() {}, state() {}, note() {}, sampled() {}, error() {} };
    const watcher = new Watcher({ targets: [], targetsFile: null, durationMs: null, retentionMs: 1 }, DEFAULT_SETTINGS, store, scrubber, events);
    const address = parseServeAddress('127.0.0.1:0', false);
    const watch = await startServer(address, metricsRoutes(), { watcher, store, settings: DEFAULT_SETTINGS, scrubber });
    const probe = await startServer(address, probeRoutes(), { scrubber, allow: new TargetAllowList(null), timeoutMs: 1000, maxBytes: 1 << 20, group: {}, metricsTop: 20 });
    for (const url of [`${watch.url}/metrics`, `${probe.url}/probe?target=http://127.0.0.1:1/`, `${probe.url}/metrics`]) {
      for (const name of declaredMetrics(await (await fetch(url)).text())) served.add(name);
    }
    await Promise.all([watch.close(), probe.close()]);
    store.close();
  });

  it('uses a datasource variable in every panel and query', () => {
    const ds = dashboard.templating.list.find((v) => v.type === 'datasource');
    expect(ds).toMatchObject({ name: 'datasource', query: 'prometheus' });
    for (const p of allPanels().filter((x) => x.type !== 'row')) {
      expect(p.datasource?.uid, p.title).toBe('${datasource}');
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      for (const t of p.targets!) expect(t.datasource?.uid, p.title).toBe('${datasource}');
    }
    for (const v of dashboard.templating.list.filter((x) => x.type === 'query')) expect(v.datasource?.uid).toBe('${datasource}');
  });

  it('names only metrics goroscope serves, its rules record, or client_golang exports', () => {
    const recorded = [...readFileSync(RULES, 'utf8').matchAll(/^\s*- record: (\S+)$/gm)].map((m) => m[1]!);
    expect(recorded.length).toBeGreaterThan(10);
    expect(served).toContain('goroscope_group_goroutines');
    expect(served).toContain('goroscope_probe_duration_seconds');
    const allowed = new Set([...served, ...recorded, ...CLIENT_GOLANG]);
    const used = new Set<string>();
    for (const q of dashboardQueries()) {
      const names = metricNames(q);
      expect(names.length, q).toBeGreaterThan(0);
      for (const n of names) {
        expect(allowed.has(n), `${n} in ${q}`).toBe(true);
        used.add(n);
      }
    }
    // The check sees what it should: a made-up name in a query is caught.
    expect(metricNames('sum by (le) (rate(made_up_total{a="b"}[5m])) / ignoring(x) goroscope_goroutines offset 5m')).toEqual(['made_up_total', 'goroscope_goroutines']);
    expect(used).toContain('go_goroutines');
  });
});

describe.skipIf(promtoolSkip !== null)(`deploy/prometheus rules${promtoolSkip ? ` (skipped: ${promtoolSkip})` : ''}`, () => {
  it('pass promtool check rules, and the example scrape configs promtool check config', () => {
    expect(execFileSync(PROMTOOL, ['check', 'rules', RULES], { encoding: 'utf8' })).toMatch(/SUCCESS: \d+ rules found/);
    const config = execFileSync(PROMTOOL, ['check', 'config', path.join(path.dirname(RULES), 'scrape-configs.example.yml')], { encoding: 'utf8' });
    expect(config).toMatch(/SUCCESS: \S*scrape-configs\.example\.yml is valid prometheus config file syntax/);
  });

  it('pass their unit tests: rises fire; a pool, a burst, a restart and a sawtooth stay silent', () => {
    const tests = readFileSync(RULE_TESTS, 'utf8');
    for (const name of ['steady rise fires', 'slow rise fires', 'rise with noise fires', 'pool stays silent', 'burst that drains stays silent', 'restart stays silent', 'sawtooth stays silent', 'start-up ramp over the first half that levels off stays silent']) {
      expect(tests).toContain(`group: ${name}`);
    }
    for (const name of ['steady rise fires', 'rise with noise fires', 'pool stays silent', 'burst that drains stays silent', 'restart stays silent', 'sawtooth stays silent', 'start-up ramp over the first half that levels off stays silent']) {
      expect(tests).toContain(`total: ${name}`);
    }
    const out = execFileSync(PROMTOOL, ['test', 'rules', path.basename(RULE_TESTS)], { cwd: path.dirname(RULE_TESTS), encoding: 'utf8' });
    expect(out).toMatch(/SUCCESS/);
  });
});
