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

/** One runtime input read as evidence: its name as given, and its analysis. */
export interface EvidenceInput {
  source: string;
  analysis: DumpAnalysis;
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
    const groups = input.analysis.groups.filter((g) => !g.benign && !NOT_WAITING.has(g.kind));
    for (const { checkout, findings } of byModule.values()) {
      const mapper = SourceMapper.forFrames(checkout, frames(input.analysis.groups));
      const sites = groups.map((g) => ({ g, site: groupSite(g, mapper) })).filter((x) => x.site.blocked || x.site.createdBy);
      for (const f of findings) {
        const byMatch = { line: [] as GoroutineGroup[], go: [] as GoroutineGroup[] };
        for (const { g, site } of sites) {
          const m = findingMatch(f, site, cwd);
          if (m === 'line') byMatch.line.push(g);
          else if (m === 'go' && g.suspect) byMatch.go.push(g);
        }
        const match = byMatch.line.length > 0 ? 'line' : byMatch.go.length > 0 ? 'go' : null;
        if (!match) continue;
        const list = evidence.get(f) ?? [];
        list.push(entryOf(input.source, match, byMatch[match]));
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

function entryOf(source: string, match: 'line' | 'go', groups: GoroutineGroup[]): EvidenceEntry {
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
  return { source, kind: 'dump', goroutines: groups.reduce((n, g) => n + g.count, 0), states, waitMinutes: { min, max }, match, suspect };
}

function* frames(groups: readonly GoroutineGroup[]) {
  for (const g of groups) {
    yield* g.frames;
    if (g.createdBy) yield g.createdBy;
  }
}
