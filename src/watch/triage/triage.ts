// `goroscope watch --prometheus URL --selector EXPR`: fleet triage. Prometheus's history of many
// instances' totals (query_range over --range) is judged with watch's trend; the worst growing
// instances get their goroutine profile address from the `instance` label and a template, and are
// then watched per stack group as any target is.
import type { Palette } from '../../report/color.js';
import { formatDuration } from '../duration.js';
import { displayUrl } from '../redact.js';
import { TargetError, type Target } from '../target.js';
import { queryRange } from './prometheus-api.js';
import { pprofTargetOf, rankInstances } from './rank.js';

/** Points a range query asks for at most: enough for quarter floors, cheap for Prometheus. */
const MAX_POINTS = 240;

export interface TriageOptions {
  prometheus: URL;
  selector: string;
  rangeMs: number;
  worst: number;
  pprofUrl: string;
  pprofPort: number | null;
  minGrowth: number;
  timeoutMs: number;
  maxBytes: number;
  now: number;
}

export interface TriageInstanceJson {
  instance: string | null;
  labels: Record<string, string>;
  goroutines: { first: number; last: number; min: number; max: number };
  /** Theil-Sen slope over the range, goroutines per hour. */
  slopePerHour: number;
  growing: boolean;
  /** The growth verdict's figures ("rose from ... (floors ...)"), or why it was not judged. */
  detail: string | null;
  /** The goroutine profile watched for this instance (null when it was not sampled). */
  target: string | null;
  /** Why a growing instance was not sampled (beyond --worst, no usable instance label). */
  note: string | null;
}

export interface TriageJson {
  prometheus: string;
  selector: string;
  range: string;
  instances: TriageInstanceJson[];
}

const round = (n: number) => Math.round(n * 10) / 10;

export async function triageFleet(o: TriageOptions): Promise<{ json: TriageJson; targets: Target[] }> {
  const stepMs = Math.max(1000, Math.ceil(o.rangeMs / MAX_POINTS));
  const series = await queryRange(o.prometheus, { query: o.selector, startMs: o.now - o.rangeMs, endMs: o.now, stepMs, timeoutMs: o.timeoutMs, maxBytes: o.maxBytes });
  const ranked = rankInstances(series, { windowMs: o.rangeMs, minGrowth: o.minGrowth });
  const targets: Target[] = [];
  const instances = ranked.map((r): TriageInstanceJson => {
    const g = r.growth;
    const json: TriageInstanceJson = {
      instance: r.instance,
      labels: r.labels,
      goroutines: { first: r.first, last: r.last, min: r.min, max: r.max },
      slopePerHour: round(r.slopePerHour),
      growing: g !== null,
      detail: g ? `rose from ${g.countAtWindowStart} to ${g.count} in ${formatDuration(g.spanMs)} (floors ${g.floors.join(' → ')}), ${Math.round(g.ratePerHour)}/h` : r.unjudged,
      target: null,
      note: null,
    };
    if (g === null) return json;
    if (targets.length >= o.worst) {
      json.note = `not sampled: beyond --worst ${o.worst}`;
      return json;
    }
    if (r.instance === null) {
      json.note = 'not sampled: the series has no instance label';
      return json;
    }
    try {
      const target = pprofTargetOf(r.instance, o.pprofUrl, o.pprofPort);
      json.target = target.name;
      if (!targets.some((t) => t.name === target.name)) targets.push(target);
    } catch (err) {
      json.note = `not sampled: ${err instanceof TargetError ? err.message : String(err)}`;
    }
    return json;
  });
  return { json: { prometheus: displayUrl(o.prometheus), selector: o.selector, range: formatDuration(o.rangeMs), instances }, targets };
}

/** Instances named in the text triage; the rest are counted. */
const SHOWN = 10;

export function renderTriageText(t: TriageJson, p: Palette): string {
  const growing = t.instances.filter((i) => i.growing);
  const lines = [`goroscope triage: ${t.selector} on ${t.prometheus} over ${t.range}: ${t.instances.length} series, ${growing.length} growing`];
  for (const i of t.instances.slice(0, SHOWN)) {
    const head = i.growing ? p.red('GROWING') : p.dim('steady ');
    const name = i.instance ?? JSON.stringify(i.labels);
    lines.push(`  ${head} ${name}  goroutines ${i.goroutines.first} -> ${i.goroutines.last}, ${i.slopePerHour}/h${i.detail && i.growing ? `; ${i.detail}` : ''}`);
    if (i.target) lines.push(`          sampled: ${i.target}`);
    if (i.note) lines.push(`          ${p.dim(i.note)}`);
  }
  if (t.instances.length > SHOWN) lines.push(`  and ${t.instances.length - SHOWN} more (--format json lists them all)`);
  return `${lines.join('\n')}\n`;
}
