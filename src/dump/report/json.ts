// The JSON formats of `goroscope dump` and `goroscope diff`. Their schema is documented in
// docs/dump.md and is a promise: within a major version fields are only added.
import type { GoroutineGroup } from '../analyze/group.js';
import type { DumpAnalysis } from '../analyze/analyze.js';
import type { DumpDiff } from '../analyze/diff.js';
import type { FrameRef } from '../analyze/packages.js';
import { VERSION } from '../../version.js';

export const JSON_SCHEMA_VERSION = 1;

export interface GroupJson {
  count: number;
  state: string;
  kind: string;
  waitMinutes: { min: number | null; max: number | null };
  frames: FrameRef[];
  location: FrameRef | null;
  createdBy: FrameRef | null;
  labels: Record<string, string>;
  leaked: boolean;
  benign: string | null;
  suspect: { level: 'definite' | 'likely'; reason: string } | null;
  ids: number[];
}

export interface DumpJson {
  version: number;
  tool: string;
  goroutines: number;
  sections: Array<{ format: string; goroutines: number; origin: string | null }>;
  states: Array<{ state: string; count: number }>;
  suspects: { definite: number; likely: number };
  groups: GroupJson[];
  skipped: Array<{ line: number; reason: string }>;
}

export function groupToJson(g: GoroutineGroup): GroupJson {
  return {
    count: g.count,
    state: g.state,
    kind: g.kind,
    waitMinutes: { ...g.waitMinutes },
    frames: g.frames.map((f) => ({ func: f.func, file: f.file, line: f.line })),
    location: g.location,
    createdBy: g.createdBy,
    labels: g.labels,
    leaked: g.leaked,
    benign: g.benign,
    suspect: g.suspect,
    ids: g.ids,
  };
}

/** `extend` adds fields to the document and to each group (dump --source: `source`). */
export interface DumpJsonExtension {
  document?: Record<string, unknown>;
  group?: (g: GoroutineGroup) => Record<string, unknown>;
}

export function dumpToJson(a: DumpAnalysis, extend: DumpJsonExtension = {}): DumpJson {
  return {
    version: JSON_SCHEMA_VERSION,
    tool: VERSION,
    // Every goroutine is in exactly one group; the streaming analysis keeps no goroutine records.
    goroutines: a.groups.reduce((s, g) => s + g.count, 0),
    sections: a.dump.sections.map((s) => ({ format: s.format, goroutines: s.goroutines, origin: s.origin })),
    states: a.states,
    suspects: a.suspects,
    groups: a.groups.map((g) => (extend.group ? { ...groupToJson(g), ...extend.group(g) } : groupToJson(g))),
    skipped: a.dump.skipped.map((s) => ({ line: s.line, reason: s.reason })),
    ...extend.document,
  };
}

export function renderDumpJson(a: DumpAnalysis, extend: DumpJsonExtension = {}): string {
  return `${JSON.stringify(dumpToJson(a, extend), null, 2)}\n`;
}

export function diffToJson(d: DumpDiff) {
  return {
    version: JSON_SCHEMA_VERSION,
    tool: VERSION,
    totals: d.totals,
    newGoroutines: d.newGoroutines,
    sameProcess: d.sameProcess,
    comparison: d.comparison,
    gate: d.gate,
    groups: d.grown.map((x) => ({ ...groupToJson(x.group), before: x.before, after: x.after, growth: x.growth, newIds: x.newIds })),
    gone: d.gone.map(groupToJson),
  };
}

export function renderDiffJson(d: DumpDiff): string {
  return `${JSON.stringify(diffToJson(d), null, 2)}\n`;
}
