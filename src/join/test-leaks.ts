// The join for `goroscope check`: each leak the test item found (a goroutine group left behind by
// a test) gets the scan item's findings at its blocked line, go statement or function, else the
// model's explanation; the leaks no finding meets are "missed by scan".
import path from 'node:path';
import { findGoMod } from '../gosrc/gomod.js';
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

/** One entry per leak entry of the report (in its order); empty when `cwd` is in no module. */
export async function joinTestLeaks(report: TestReport, findings: readonly Finding[], cwd: string): Promise<{ leaks: TestLeakSource[]; problems: string[] }> {
  const mod = findGoMod(path.resolve(cwd));
  const problems: string[] = [];
  if (!mod?.modulePath) return { leaks: [], problems };
  const all = report.packages.flatMap((p) => p.leaks.map((leak) => ({ pkg: p.package, leak })));
  const frames: FrameLike[] = all.flatMap(({ leak }) => [leak.location, leak.createdBy].filter((f): f is NonNullable<typeof f> => f !== null));
  const mapper = SourceMapper.forFrames({ dir: mod.dir, modulePath: mod.modulePath }, frames);
  const packages = new PackageCache(path.resolve(cwd), problems);
  const leaks: TestLeakSource[] = [];
  for (const { pkg, leak } of all) {
    const at = (f: FrameLike & { line: number }) => {
      const local = mapper.map(f);
      return local ? { file: local, line: f.line } : null;
    };
    const site = { blocked: leak.location ? at(leak.location) : null, createdBy: leak.createdBy ? at(leak.createdBy) : null };
    leaks.push({ package: pkg, test: leak.test, count: leak.count, source: await attachAt(site, findings, packages) });
  }
  return { leaks, problems };
}
