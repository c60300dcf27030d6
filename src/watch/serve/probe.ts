// `goroscope serve`'s routes, the prober of a fleet (the pattern of blackbox_exporter):
// /probe?target=URL|gops://HOST:PORT|PID reads one fresh goroutine profile of the target, groups it
// with the dump library, and answers the target's metrics; /metrics answers the prober's own.
// Stateless between probes, so replicas behind Prometheus's discovery, relabelling and sharding
// scale it. Growth is Prometheus's to judge (deploy/prometheus/goroscope-rules.yml).
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { GroupOptions } from '../../dump/analyze/index.js';
import { groupId } from '../profile.js';
import { Scrubber } from '../redact.js';
import { readGoroutines, sourceOf } from '../source.js';
import { parseTarget, TargetError, type Target } from '../target.js';
import { judged } from '../verdicts.js';
import { errorReason, HELP, selectGroups, type GroupPoint } from './exposition.js';
import { setGroupSeries, targetGauges } from './gauges.js';
import { SAMPLE_DURATION_BUCKETS } from './metrics.js';
import { isLoopbackHost, type BaseContext, type Route } from './server.js';

/** Which targets may be probed: the prober must not become a way to reach arbitrary hosts. */
export class TargetAllowList {
  private readonly pattern: RegExp | null;

  /** `source` (--allow-targets) must match a target's shown name whole; null: loopback only. */
  constructor(readonly source: string | null) {
    this.pattern = source === null ? null : new RegExp(`^(?:${source})$`);
  }

  /** Why the target may not be probed, or null when it may. */
  refuse(target: Target): string | null {
    if (this.pattern !== null) return this.pattern.test(target.name) ? null : `${target.name} does not match --allow-targets ${this.source}`;
    if (target.kind === 'pid') return null;
    const host = target.kind === 'gops' ? target.host : target.url.hostname.replace(/^\[(.*)\]$/, '$1');
    return isLoopbackHost(host) ? null : `${target.name} is not a loopback address: only loopback targets may be probed unless --allow-targets REGEX says which`;
  }
}

export interface ProbeContext extends BaseContext {
  allow: TargetAllowList;
  timeoutMs: number;
  maxBytes: number;
  group: GroupOptions;
  metricsTop: number;
}

/** A probe ends a little before Prometheus's own scrape timeout, so the answer still arrives. */
const SCRAPE_TIMEOUT_MARGIN_MS = 500;

/** The read timeout of one probe: --timeout, or less when Prometheus says its scrape ends sooner. */
export function probeTimeout(timeoutMs: number, scrapeTimeoutHeader: string | string[] | undefined): number {
  const seconds = Number(Array.isArray(scrapeTimeoutHeader) ? scrapeTimeoutHeader[0] : scrapeTimeoutHeader);
  if (!Number.isFinite(seconds) || seconds <= 0) return timeoutMs;
  return Math.max(100, Math.min(timeoutMs, seconds * 1000 - SCRAPE_TIMEOUT_MARGIN_MS));
}

const text = (status: number, body: string) => ({ status, body: `${body}\n` });

export function probeRoutes(): Route<ProbeContext>[] {
  const own = new Registry();
  const probes = new Counter({ name: 'goroscope_probes_total', help: 'Probes answered, by result (success: the target gave a goroutine profile).', labelNames: ['result'], registers: [own] });
  const duration = new Histogram({ name: 'goroscope_sample_duration_seconds', help: HELP.sampleDuration, buckets: SAMPLE_DURATION_BUCKETS, registers: [own] });
  for (const result of ['success', 'failure']) probes.inc({ result }, 0);

  return [
    {
      path: '/probe',
      async handler(req, res, url, ctx) {
        const spec = url.searchParams.get('target');
        let target: Target;
        const refuse = (r: { status: number; body: string }): void => {
          res.writeHead(r.status, { 'content-type': 'text/plain; charset=utf-8' }).end(r.body);
        };
        if (spec === null || spec.trim() === '') return refuse(text(400, 'give the target to probe: /probe?target=http://HOST:PORT/debug/pprof/goroutine, gops://HOST:PORT or a PID'));
        try {
          target = parseTarget(spec);
        } catch (err) {
          return refuse(text(400, err instanceof TargetError ? err.message : 'not a target'));
        }
        const scrubber = new Scrubber();
        scrubber.add(target.secrets);
        const refused = ctx.allow.refuse(target);
        if (refused !== null) return refuse(text(403, scrubber.scrub(refused)));

        const registry = new Registry();
        const gauges = targetGauges(registry);
        const probeDuration = new Gauge({ name: 'goroscope_probe_duration_seconds', help: HELP.probeDuration, registers: [registry] });
        const failed = new Gauge({ name: 'goroscope_probe_error_info', help: 'Why the probe failed (value 1; reason as goroscope_sample_errors_total words it).', labelNames: ['target', 'reason'], registers: [registry] });
        const started = performance.now();
        const source = sourceOf(target, { timeoutMs: probeTimeout(ctx.timeoutMs, req.headers['x-prometheus-scrape-timeout-seconds']), maxBytes: ctx.maxBytes });
        try {
          const { read } = await readGoroutines(source, ctx.group);
          const points: GroupPoint[] = read.groups.map((g) => ({ gid: groupId(g.signature), count: g.count, location: g.location, state: g.state, judged: judged(g), rise: null, alerting: false }));
          gauges.up.set({ target: target.name }, 1);
          gauges.goroutines.set({ target: target.name }, read.total);
          setGroupSeries(gauges.groupGoroutines, target.name, selectGroups(points, ctx.metricsTop));
          probes.inc({ result: 'success' });
        } catch (err) {
          gauges.up.set({ target: target.name }, 0);
          failed.set({ target: target.name, reason: errorReason(err instanceof Error ? err.message : String(err)) }, 1);
          probes.inc({ result: 'failure' });
        }
        const seconds = (performance.now() - started) / 1000;
        probeDuration.set(seconds);
        duration.observe(seconds);
        res.writeHead(200, { 'content-type': registry.contentType }).end(scrubber.scrub(ctx.scrubber.scrub(await registry.metrics())));
      },
    },
    {
      path: '/metrics',
      async handler(_req, res) {
        res.writeHead(200, { 'content-type': own.contentType }).end(await own.metrics());
      },
    },
  ];
}
