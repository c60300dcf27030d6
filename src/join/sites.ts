// Where a dump group sits in the source: its blocked line (the innermost frame that maps into
// the checkout) and its go statement (the creator frame), as local files; and how a scan
// finding meets a group: at the blocked line, at the go statement, or in the blocked function.
import path from 'node:path';
import type { GoroutineGroup } from '../dump/analyze/group.js';
import type { Finding } from '../scan/finding.js';
import type { SourceMapper } from './sourcemap.js';

/** A line of a local file (absolute path). */
export interface SourceLine {
  file: string;
  line: number;
}

export interface GroupSite {
  /** The innermost frame in the checkout: the line the goroutine is blocked on in the module's code. */
  blocked: SourceLine | null;
  /** The go statement that started the goroutines, when it is in the checkout. */
  createdBy: SourceLine | null;
}

export function groupSite(g: Pick<GoroutineGroup, 'frames' | 'createdBy'>, mapper: SourceMapper): GroupSite {
  let blocked: SourceLine | null = null;
  for (const f of g.frames) {
    const local = mapper.map(f);
    if (local) {
      blocked = { file: local, line: f.line };
      break;
    }
  }
  const created = g.createdBy ? mapper.map(g.createdBy) : null;
  return { blocked, createdBy: created && g.createdBy ? { file: created, line: g.createdBy.line } : null };
}

/**
 * How a finding meets a group: its range holds the blocked line (`line`), its goroutine is the
 * group's go statement (`go`), or it lies in the function around the blocked line (`function`,
 * given that function's line range). Finding paths are resolved against `cwd`.
 */
export type MatchKind = 'line' | 'go' | 'function';

export function findingMatch(f: Finding, site: GroupSite, cwd: string, fn: { start: number; end: number } | null = null): MatchKind | null {
  const file = path.resolve(cwd, f.file);
  if (site.blocked && file === site.blocked.file && f.line <= site.blocked.line && site.blocked.line <= f.endLine) return 'line';
  if (site.createdBy && f.goroutine && path.resolve(cwd, f.goroutine.file) === site.createdBy.file && f.goroutine.line === site.createdBy.line) return 'go';
  if (fn && site.blocked && file === site.blocked.file && fn.start <= f.line && f.line <= fn.end) return 'function';
  return null;
}
