// Runtime → source (`dump --source DIR`): each suspect group of a dump is placed in the local
// checkout (sites.ts), the packages it sits in are scanned, and the group gets the scan findings
// at its blocked line, its go statement or its function; when there is none, the explanation of
// its blocked line from the package model (explain.ts), and it counts as missed by scan.
import path from 'node:path';
import type { DumpAnalysis } from '../dump/analyze/analyze.js';
import type { GoroutineGroup } from '../dump/analyze/group.js';
import type { SNode } from '../gosrc/ast.js';
import type { GoPackage } from '../gosrc/package.js';
import { runScan } from '../scan/engine.js';
import type { Finding, ScanError, Severity } from '../scan/finding.js';
import { explainLine, type Explanation } from './explain.js';
import { LoadError, loadPackage } from './load.js';
import { findingMatch, groupSite, type GroupSite, type MatchKind, type SourceLine } from './sites.js';
import { SourceMapper, type FrameLike, type SourceCheckout } from './sourcemap.js';

export interface AttachedFinding {
  rule: string;
  severity: Severity;
  file: string;
  line: number;
  message: string;
  /** How it meets the group: at the blocked line, at its go statement, or in the blocked function. */
  match: MatchKind;
}

export interface GroupSource {
  /** The blocked line in the checkout (the innermost frame there), as a path relative to the working directory. */
  location: { file: string; line: number } | null;
  /** The go statement that started the group, when in the checkout. */
  createdBy: { file: string; line: number } | null;
  findings: AttachedFinding[];
  /** When no finding meets the group: the model's explanation of its blocked line. */
  explanations: Explanation[];
  /** A suspect in the checkout's code that no scan finding meets. */
  missedByScan: boolean;
  /** Why there is neither a finding nor an explanation, when that is so. */
  note: string | null;
}

export interface SourceJoin {
  checkout: SourceCheckout;
  /** Frames (and creator frames) of the suspect groups, and how many of them map into the checkout. */
  frames: number;
  mappedFrames: number;
  /** One entry per suspect group. */
  groups: Map<GoroutineGroup, GroupSource>;
  /** Packages the scan or the model could not read (their groups get what could be found). */
  problems: string[];
}

export interface JoinOptions {
  /** Base of relative paths in the result (default process.cwd()). */
  cwd?: string;
}

export async function joinSource(analysis: DumpAnalysis, checkout: SourceCheckout, options: JoinOptions = {}): Promise<SourceJoin> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const suspects = analysis.groups.filter((g) => g.suspect !== null);
  const mapper = SourceMapper.forFrames(checkout, allFrames(analysis.groups));
  let frames = 0;
  let mappedFrames = 0;
  const sites = new Map<GoroutineGroup, GroupSite>();
  const dirs = new Set<string>();
  for (const g of suspects) {
    for (const f of [...g.frames, ...(g.createdBy ? [g.createdBy] : [])]) {
      frames++;
      if (mapper.map(f)) mappedFrames++;
    }
    const site = groupSite(g, mapper);
    sites.set(g, site);
    if (site.blocked) dirs.add(path.dirname(site.blocked.file));
    if (site.createdBy) dirs.add(path.dirname(site.createdBy.file));
  }
  const problems: string[] = [];
  const packages = new PackageCache(cwd, problems);
  let findings: Finding[] = [];
  if (dirs.size > 0) {
    const outcome = await runScan([...dirs].map((d) => packages.shown(d)), { cwd });
    findings = outcome.result.findings;
    problems.push(...outcome.result.errors.filter((e: ScanError) => e.kind !== 'syntax').map((e) => `${e.file}: ${e.message}`));
  }
  const groups = new Map<GoroutineGroup, GroupSource>();
  for (const g of suspects) {
    const site = sites.get(g)!;
    const source = await attachAt(site, findings, packages);
    groups.set(g, source);
    if (!site.blocked && !site.createdBy) source.note = `no frame of this group is in ${checkout.modulePath} (${packages.shown(checkout.dir)})`;
  }
  return { checkout, frames, mappedFrames, groups, problems };
}

/**
 * The join for groups known only by their blocked frame and creator frame (watch's alert groups,
 * go test's leaks): frames mapped onto the checkout, their packages scanned, each group's source.
 * Returns one entry per group (null for none), and what could not be read.
 */
export async function joinFramePairs(
  groups: ReadonlyArray<{ location: FrameLike | null; createdBy: FrameLike | null }>,
  checkout: SourceCheckout,
  cwd: string,
  /** Findings already at hand (check's scan item); else the groups' packages are scanned. */
  given: readonly Finding[] | null = null,
): Promise<{ sources: GroupSource[]; problems: string[] }> {
  const frames = groups.flatMap((g) => [g.location, g.createdBy].filter((f): f is FrameLike => f !== null));
  const mapper = SourceMapper.forFrames(checkout, frames);
  const at = (f: FrameLike | null): SourceLine | null => {
    const local = f && f.line !== undefined ? mapper.map(f) : null;
    return local ? { file: local, line: f!.line! } : null;
  };
  const sites = groups.map((g) => ({ blocked: at(g.location), createdBy: at(g.createdBy) }));
  const problems: string[] = [];
  const packages = new PackageCache(path.resolve(cwd), problems);
  const dirs = new Set(sites.flatMap((s) => [s.blocked, s.createdBy].filter((l): l is SourceLine => l !== null).map((l) => path.dirname(l.file))));
  let findings: readonly Finding[] = given ?? [];
  if (!given && dirs.size > 0) {
    const outcome = await runScan([...dirs].map((d) => packages.shown(d)), { cwd: packages.cwd });
    findings = outcome.result.findings;
    problems.push(...outcome.result.errors.filter((e) => e.kind !== 'syntax').map((e) => `${e.file}: ${e.message}`));
  }
  const sources: GroupSource[] = [];
  for (const site of sites) sources.push(await attachAt(site, findings, packages));
  return { sources, problems };
}

/** Packages read whole for explanations, once each; what cannot be read goes to `problems`. */
export class PackageCache {
  private readonly packages = new Map<string, GoPackage | null>();

  constructor(
    readonly cwd: string,
    readonly problems: string[],
  ) {}

  /** The path as reports show it: relative to the working directory. */
  shown(abs: string): string {
    return path.relative(this.cwd, abs) || '.';
  }

  async get(dir: string): Promise<GoPackage | null> {
    if (!this.packages.has(dir)) {
      try {
        this.packages.set(dir, (await loadPackage(this.shown(dir), this.cwd)).pkg);
      } catch (err) {
        if (!(err instanceof LoadError)) throw err;
        this.problems.push(err.message);
        this.packages.set(dir, null);
      }
    }
    return this.packages.get(dir)!;
  }
}

/**
 * What the source says about goroutines at `site`: the findings that meet it (at the blocked
 * line, else the go statement, else in the blocked function); when none does, the model's
 * explanation of the blocked line, and the mark "missed by scan".
 */
export async function attachAt(site: GroupSite, findings: readonly Finding[], packages: PackageCache): Promise<GroupSource> {
  const cwd = packages.cwd;
  const source: GroupSource = {
    location: site.blocked ? { file: packages.shown(site.blocked.file), line: site.blocked.line } : null,
    createdBy: site.createdBy ? { file: packages.shown(site.createdBy.file), line: site.createdBy.line } : null,
    findings: [],
    explanations: [],
    missedByScan: false,
    note: null,
  };
  if (!site.blocked && !site.createdBy) return source;
  source.findings = matching(findings, site, cwd, null);
  const pkg = site.blocked ? await packages.get(path.dirname(site.blocked.file)) : null;
  const file = pkg && site.blocked ? pkg.files.find((f) => path.resolve(cwd, f.path) === site.blocked!.file) : undefined;
  if (source.findings.length === 0 && file) source.findings = matching(findings, site, cwd, functionAround(file.root, site.blocked!.line));
  if (source.findings.length > 0) return source;
  source.missedByScan = true;
  if (file && pkg) source.explanations = explainLine(pkg, file.path, site.blocked!.line);
  if (source.explanations.length === 0) {
    source.note = site.blocked
      ? `no channel, lock, WaitGroup or Cond operation of the model at ${source.location!.file}:${site.blocked.line}`
      : 'the goroutine is blocked outside the checkout (only its go statement is in it)';
  }
  return source;
}

function matching(findings: readonly Finding[], site: GroupSite, cwd: string, fn: { start: number; end: number } | null): AttachedFinding[] {
  const out: AttachedFinding[] = [];
  const order: MatchKind[] = fn ? ['function'] : ['line', 'go'];
  for (const kind of order) {
    for (const f of findings) {
      if (findingMatch(f, site, cwd, fn) === kind) out.push({ rule: f.rule, severity: f.severity, file: f.file, line: f.line, message: f.message, match: kind });
    }
    if (out.length > 0) break;
  }
  return out;
}

const FUNCTION_TYPES = new Set(['function_declaration', 'method_declaration', 'func_literal']);

/** The line range of the innermost function holding `line`, or null. */
function functionAround(root: SNode, line: number): { start: number; end: number } | null {
  let best: { start: number; end: number } | null = null;
  root.walk((n) => {
    const start = n.pos.line;
    const end = n.endPos.line;
    if (line < start || line > end) return false;
    if (FUNCTION_TYPES.has(n.type) && (!best || end - start <= best.end - best.start)) best = { start, end };
    return undefined;
  });
  return best;
}

function* allFrames(groups: readonly GoroutineGroup[]) {
  for (const g of groups) {
    yield* g.frames;
    if (g.createdBy) yield g.createdBy;
  }
}
