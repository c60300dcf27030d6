// The join for `goroscope check`: each leak the test item found (a goroutine group left behind by
// a test) gets the scan item's findings at its blocked line, go statement or function, else the
// model's explanation; the leaks no finding meets are "missed by scan".
import path from 'node:path';
import { findGoMod } from '../gosrc/gomod.js';
import { runScan } from '../scan/engine.js';
import type { Finding } from '../scan/finding.js';
import type { TestReport } from '../testrun/run.js';
import { attachAt, PackageCache, type GroupSource } from './attach.js';
import { SourceMapper, type FrameLike } from './sourcemap.js';

export interface TestLeakSource {
  package: string;
  test: string | null;
  count: number;
  source: GroupSource;
}

/** The report's leaks with their frames mapped onto the module at `cwd`; null when `cwd` is in no module. */
function mappedLeaks(report: TestReport, cwd: string) {
  const mod = findGoMod(path.resolve(cwd));
  if (!mod?.modulePath) return null;
  const all = report.packages.flatMap((p) => p.leaks.map((leak) => ({ pkg: p.package, leak })));
  const frames: FrameLike[] = all.flatMap(({ leak }) => [leak.location, leak.createdBy].filter((f): f is NonNullable<typeof f> => f !== null));
  const mapper = SourceMapper.forFrames({ dir: mod.dir, modulePath: mod.modulePath }, frames);
  const at = (f: (FrameLike & { line: number }) | null) => {
    const local = f ? mapper.map(f) : null;
    return local && f ? { file: local, line: f.line } : null;
  };
  return all.map(({ pkg, leak }) => ({ pkg, leak, site: { blocked: at(leak.location), createdBy: at(leak.createdBy) } }));
}

/**
 * `goroscope test --source`: scans the packages the leaks sit in and sets each leak's `source`
 * (findings, else the model's explanation). Returns what could not be read.
 */
export async function attachSourceToLeaks(report: TestReport, cwd: string): Promise<string[]> {
  const problems: string[] = [];
  const mapped = mappedLeaks(report, cwd);
  if (!mapped || mapped.length === 0) return problems;
  const packages = new PackageCache(path.resolve(cwd), problems);
  const dirs = new Set(mapped.flatMap(({ site }) => [site.blocked, site.createdBy].filter((s) => s !== null).map((s) => path.dirname(s!.file))));
  let findings: Finding[] = [];
  if (dirs.size > 0) {
    const outcome = await runScan([...dirs].map((d) => packages.shown(d)), { cwd });
    findings = outcome.result.findings;
    problems.push(...outcome.result.errors.filter((e) => e.kind !== 'syntax').map((e) => `${e.file}: ${e.message}`));
  }
  for (const { leak, site } of mapped) leak.source = await attachAt(site, findings, packages);
  return problems;
}

/** One entry per leak entry of the report (in its order); empty when `cwd` is in no module. */
export async function joinTestLeaks(report: TestReport, findings: readonly Finding[], cwd: string): Promise<{ leaks: TestLeakSource[]; problems: string[] }> {
  const problems: string[] = [];
  const mapped = mappedLeaks(report, cwd);
  if (!mapped) return { leaks: [], problems };
  const packages = new PackageCache(path.resolve(cwd), problems);
  const leaks: TestLeakSource[] = [];
  for (const { pkg, leak, site } of mapped) {
    leaks.push({ package: pkg, test: leak.test, count: leak.count, source: await attachAt(site, findings, packages) });
  }
  return { leaks, problems };
}
