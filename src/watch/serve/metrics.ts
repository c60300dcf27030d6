// `watch --serve`'s /metrics: the watch's state in the Prometheus text exposition format, through
// prom-client. Gauges are set afresh from the watcher at each scrape (a group that left the top
// loses its series at once); the sample histogram and the error counter count every sample since
// the server started, through the watcher's sample listener.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AlertKind } from '../alerts.js';
import type { TargetWatch } from '../target-watch.js';
import { quarterFloors, quarters, theilSen } from '../trend.js';
import { judged } from '../verdicts.js';
import { DEFAULT_METRICS_TOP, errorReason, GROUP_LABELS, groupLabels, HELP, selectGroups, type GroupPoint } from './exposition.js';
import { setGroupSeries, targetGauges } from './gauges.js';
import type { Route, ServeContext } from './server.js';

export const ALERT_KINDS: readonly AlertKind[] = ['growth', 'threshold', 'stale', 'leak-profile'];

/** Buckets of goroscope_sample_duration_seconds: a loopback read to a slow big profile. */
export const SAMPLE_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The groups of one target at its latest sample, with their rise over the window. */
export function groupPoints(t: TargetWatch): GroupPoint[] {
  const times = t.window.times;
  if (times.length === 0) return [];
  const quarter = quarters(times);
  const alerting = new Set(t.alerts.all().map((a) => a.gid));
  const out: GroupPoint[] = [];
  for (const [gid, counts] of t.window.entries()) {
    const count = counts[counts.length - 1]!;
    const info = t.info(gid);
    // A group absent from the latest sample has no goroutines now: no series.
    if (info === undefined || count === 0) continue;
    const floors = quarterFloors(counts, quarter);
    out.push({
      gid,
      count,
      location: info.location,
      state: t.stateOf(gid),
      judged: judged(info),
      rise: floors === null ? null : floors[3] - floors[0],
      alerting: alerting.has(gid),
    });
  }
  return out;
}

export function metricsRoutes(): Route[] {
  const registry = new Registry();
  const gauges = targetGauges(registry);
  const growth = new Gauge({ name: 'goroscope_group_growth_per_hour', help: HELP.groupGrowth, labelNames: [...GROUP_LABELS], registers: [registry] });
  const alerts = new Gauge({ name: 'goroscope_leak_alerts', help: HELP.leakAlerts, labelNames: ['target', 'kind'], registers: [registry] });
  const duration = new Histogram({ name: 'goroscope_sample_duration_seconds', help: HELP.sampleDuration, buckets: SAMPLE_DURATION_BUCKETS, registers: [registry] });
  const errors = new Counter({ name: 'goroscope_sample_errors_total', help: HELP.sampleErrors, labelNames: ['target', 'reason'], registers: [registry] });

  const refresh = (ctx: ServeContext) => {
    for (const g of [gauges.up, gauges.goroutines, gauges.groupGoroutines, growth, alerts]) g.reset();
    const top = ctx.metricsTop ?? DEFAULT_METRICS_TOP;
    for (const t of ctx.watcher.targets()) {
      if (t.up === null) continue;
      gauges.up.set({ target: t.name }, t.up ? 1 : 0);
      const firing = t.alerts.all();
      for (const kind of ALERT_KINDS) alerts.set({ target: t.name, kind }, firing.filter((a) => a.kind === kind).length);
      if (!t.up || t.lastTotal === null) continue;
      gauges.goroutines.set({ target: t.name }, t.lastTotal);
      const points = groupPoints(t);
      if (points.length === 0) continue;
      const selection = selectGroups(points, top);
      setGroupSeries(gauges.groupGoroutines, t.name, selection);
      const times = t.window.times;
      for (const g of selection.chosen) {
        const counts = t.window.series(g.gid)!;
        growth.set(groupLabels(t.name, g), Math.round(theilSen(times, counts) * 3_600_000 * 10) / 10);
      }
    }
  };

  return [
    {
      path: '/metrics',
      start(ctx) {
        ctx.watcher.onSampled((t) => {
          if (t.lastDurationMs !== null) duration.observe(t.lastDurationMs / 1000);
          if (t.lastError !== null) errors.inc({ target: t.name, reason: errorReason(t.lastError) });
        });
      },
      async handler(_req, res, _url, ctx) {
        refresh(ctx);
        const text = ctx.scrubber.scrub(await registry.metrics());
        res.writeHead(200, { 'content-type': registry.contentType }).end(text);
      },
    },
  ];
}
