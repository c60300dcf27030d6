// Source → runtime (`scan --evidence FILE`): goroutine dumps of the running program confirm scan
// findings. Each dump's groups are placed in the checkout of each finding's module (sites.ts);
// a finding is confirmed by goroutines blocked at its line (any group that is not running), or
// by a suspect group started at its go statement. Confirmed findings carry the evidence (how
// many goroutines, their state and wait, which input), become errors and sort first.
import path from 'node:path';
import type { DumpAnalysis } from '../dump/analyze/analyze.js';
import type { GoroutineGroup } from '../dump/analyze/group.js';
import { findGoMod } from '../gosrc/gomod.js';
import { compareFindings } from '../scan/engine.js';
import type { EvidenceEntry, Finding, ScanResult } from '../scan/finding.js';
import { findingMatch, groupSite } from './sites.js';
import { SourceMapper, type SourceCheckout } from './sourcemap.js';

/** What evidence reads of a goroutine group: a dump's group, or a leak of a `goroscope test` report. */
export type EvidenceGroup = Pick<GoroutineGroup, 'frames' | 'createdBy' | 'count' | 'state' | 'kind' | 'waitMinutes' | 'suspect' | 'benign'>;

/** One runtime input read as evidence: its name as given, what it is, and its groups. */
export interface EvidenceInput {
  source: string;
  kind: EvidenceEntry['kind'];
  groups: readonly EvidenceGroup[];
}

/** A dump's analysis as evidence. */
export function dumpEvidence(source: string, analysis: DumpAnalysis): EvidenceInput {
  return { source, kind: 'dump', groups: analysis.groups };
}

/**
 * A `goroscope test --format json` report as evidence: each leak is a group the tests left
 * behind (a definite suspect), blocked at its location and started at its go statement.
 * Null when the text is not such a report.
 */
export function testReportEvidence(source: string, text: string): EvidenceInput | null {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return null;
  }
  const packages = (doc as { packages?: unknown }).packages;
  if (!Array.isArray(packages) || !packages.every((p) => Array.isArray((p as { leaks?: unknown }).leaks))) return null;
  const groups: EvidenceGroup[] = [];
  const seen = new Set<string>();
  for (const p of packages as Array<{ package: string; leaks: TestReportLeak[] }>) {
    for (const l of p.leaks) {
      // Entries of one group (several tests leak it) are the same goroutines: count them once.
      const key = `${p.package}\u0000${l.group}`;
      if (seen.has(key)) continue;
      seen.add(key);
      groups.push({
        frames: l.location ? [l.location] : [],
        createdBy: l.createdBy ?? null,
        count: l.count,
        state: l.state,
        kind: l.kind as GoroutineGroup['kind'],
        waitMinutes: { min: null, max: null },
        suspect: { level: 'definite', reason: `left behind by ${l.test ?? 'a test'}` },
        benign: null,
      });
    }
  }
  return { source, kind: 'test-report', groups };
}

interface TestReportLeak {
  test: string | null;
  group: number;
  count: number;
  state: string;
  kind: string;
  location: { func: string; file: string; line: number } | null;
  createdBy: { func: string; file: string; line: number } | null;
}

/** Group states that are not a wait: a goroutine running at a line is no evidence it is stuck there. */
const NOT_WAITING = new Set(['running', 'runnable']);

/**
 * The scan result with `evidence` on every finding (null when nothing confirms it): confirmed
 * findings raised to error and sorted first, each part in the usual order.
 */
export function applyEvidence(result: ScanResult, inputs: readonly EvidenceInput[], cwd: string): ScanResult {
  const byModule = new Map<string, { checkout: SourceCheckout; findings: Finding[] }>();
  for (const f of result.findings) {
    // A finding outside any module cannot be placed: nothing can confirm it.
    const mod = findGoMod(path.dirname(path.resolve(cwd, f.file)));
    if (!mod?.modulePath) continue;
    let entry = byModule.get(mod.dir);
    if (!entry) byModule.set(mod.dir, (entry = { checkout: { dir: mod.dir, modulePath: mod.modulePath }, findings: [] }));
    entry.findings.push(f);
  }
  const evidence = new Map<Finding, EvidenceEntry[]>();
  for (const input of inputs) {
    const groups = input.groups.filter((g) => !g.benign && !NOT_WAITING.has(g.kind));
    for (const { checkout, findings } of byModule.values()) {
      const mapper = SourceMapper.forFrames(checkout, frames(input.groups));
      const sites = groups.map((g) => ({ g, site: groupSite(g, mapper) })).filter((x) => x.site.blocked || x.site.createdBy);
      for (const f of findings) {
        const byMatch = { line: [] as EvidenceGroup[], go: [] as EvidenceGroup[] };
        for (const { g, site } of sites) {
          const m = findingMatch(f, site, cwd);
          if (m === 'line') byMatch.line.push(g);
          else if (m === 'go' && g.suspect) byMatch.go.push(g);
        }
        const match = byMatch.line.length > 0 ? 'line' : byMatch.go.length > 0 ? 'go' : null;
        if (!match) continue;
        const list = evidence.get(f) ?? [];
        list.push(entryOf(input, match, byMatch[match]));
        evidence.set(f, list);
      }
    }
  }
  const findings = result.findings.map((f): Finding => {
    const entries = evidence.get(f);
    if (!entries) return { ...f, evidence: null };
    const goroutines = entries.reduce((n, e) => n + e.goroutines, 0);
    return { ...f, severity: 'error', evidence: { confirmed: true, goroutines, severityBefore: f.severity, entries } };
  });
  findings.sort((a, b) => Number(!!b.evidence) - Number(!!a.evidence) || compareFindings(a, b));
  return { ...result, findings };
}

function entryOf(input: EvidenceInput, match: 'line' | 'go', groups: EvidenceGroup[]): EvidenceEntry {
  const perState = new Map<string, number>();
  let min: number | null = null;
  let max: number | null = null;
  let suspect: EvidenceEntry['suspect'] = null;
  for (const g of groups) {
    perState.set(g.state || 'unknown', (perState.get(g.state || 'unknown') ?? 0) + g.count);
    if (g.waitMinutes.min !== null) min = min === null ? g.waitMinutes.min : Math.min(min, g.waitMinutes.min);
    if (g.waitMinutes.max !== null) max = max === null ? g.waitMinutes.max : Math.max(max, g.waitMinutes.max);
    if (g.suspect?.level === 'definite' || (g.suspect?.level === 'likely' && suspect === null)) suspect = g.suspect.level;
  }
  const states = [...perState].sort((a, b) => b[1] - a[1]).map(([s]) => s);
  return { source: input.source, kind: input.kind, goroutines: groups.reduce((n, g) => n + g.count, 0), states, waitMinutes: { min, max }, match, suspect };
}

function* frames(groups: readonly EvidenceGroup[]) {
  for (const g of groups) {
    yield* g.frames;
    if (g.createdBy) yield g.createdBy;
  }
}
