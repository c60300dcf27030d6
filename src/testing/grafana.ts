// The Grafana dashboard goroscope ships (deploy/grafana), read by tests: its panels and queries,
// and the metric names a PromQL query reads.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './env.js';

export const DASHBOARD_FILE = path.join(REPO_ROOT, 'deploy/grafana/goroscope-dashboard.json');

export interface Panel {
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets?: Array<{ expr: string; datasource?: { uid: string } }>;
  /** A collapsed row keeps its panels inside it. */
  panels?: Panel[];
}

export interface Variable {
  name: string;
  type: string;
  query: unknown;
  datasource?: { uid: string };
}

export const dashboard = JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as { panels: Panel[]; templating: { list: Variable[] } };

/** Every panel, those inside collapsed rows included. */
export function allPanels(): Panel[] {
  return dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
}

const PROMQL_WORDS = new Set(['and', 'or', 'unless', 'offset', 'bool', 'inf', 'nan', 'Inf', 'NaN']);

/** The metric names a PromQL expression reads (functions, keywords, labels and strings left out). */
export function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  const names: string[] = [];
  for (const m of bare.matchAll(/(?<![\w:$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)) {
    if (m[2] === undefined && !PROMQL_WORDS.has(m[1]!)) names.push(m[1]!);
  }
  return names;
}

/** Every PromQL query of the dashboard: panel targets, and the metric of each label_values variable. */
export function dashboardQueries(): string[] {
  const out = allPanels().flatMap((p) => (p.targets ?? []).map((t) => t.expr));
  for (const v of dashboard.templating.list) {
    if (v.type !== 'query') continue;
    const q = typeof v.query === 'string' ? v.query : (v.query as { query: string }).query;
    out.push(/^label_values\(([^,]+),/.exec(q)?.[1] ?? q);
  }
  return out;
}
