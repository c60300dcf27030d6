// The join for `goroscope test --source` and `goroscope check`: each leak a test left behind (a
// goroutine group known by its blocked frame and its creator) gets the scan findings at its
// blocked line, go statement or function, else the model's explanation; the leaks no finding
// meets are "missed by scan".
import path from 'node:path';
import { findGoMod } from '../gosrc/gomod.js';
import type { Finding } from '../scan/finding.js';
import type { TestLeak, TestReport } from '../testrun/run.js';
import { joinFramePairs, type GroupSource } from './attach.js';

export interface TestLeakSource {
  package: string;
  test: string | null;
  count: number;
  source: GroupSource;
}

/**
 * The source of every leak entry of the report (in its order), against the module at `cwd`:
 * with `findings` given (check's scan item) they are matched, else the leaks' packages are
 * scanned. Empty when `cwd` is in no module.
 */
async function leakSources(report: TestReport, cwd: string, findings: readonly Finding[] | null) {
  const mod = findGoMod(path.resolve(cwd));
  const all = report.packages.flatMap((p) => p.leaks.map((leak) => ({ pkg: p.package, leak })));
  if (!mod?.modulePath || all.length === 0) return { all: [] as Array<{ pkg: string; leak: TestLeak }>, sources: [] as GroupSource[], problems: [] as string[] };
  const { sources, problems } = await joinFramePairs(
    all.map(({ leak }) => leak),
    { dir: mod.dir, modulePath: mod.modulePath },
    cwd,
    findings,
  );
  return { all, sources, problems };
}

/** `goroscope test --source`: scans the leaks' packages and sets each leak's `source`. Returns what could not be read. */
export async function attachSourceToLeaks(report: TestReport, cwd: string): Promise<string[]> {
  const { all, sources, problems } = await leakSources(report, cwd, null);
  all.forEach(({ leak }, i) => (leak.source = sources[i]));
  return problems;
}

/** `goroscope check`: the test item's leaks against the scan item's findings. */
export async function joinTestLeaks(report: TestReport, findings: readonly Finding[], cwd: string): Promise<{ leaks: TestLeakSource[]; problems: string[] }> {
  const { all, sources, problems } = await leakSources(report, cwd, findings);
  return { leaks: all.map(({ pkg, leak }, i) => ({ package: pkg, test: leak.test, count: leak.count, source: sources[i]! })), problems };
}
