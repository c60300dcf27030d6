// How `dump --source` shows what the join found: lines under each suspect group in the text
// report, and the `source` fields of the JSON (documented in docs/dump.md, "JSON of dump").
import type { GoroutineGroup } from '../dump/analyze/group.js';
import type { DumpJsonExtension } from '../dump/report/json.js';
import type { Palette } from '../report/color.js';
import type { GroupSource, SourceJoin } from './attach.js';
import { explanationLines } from './explain-report.js';

/** Text lines for one group (none for a group that is not a suspect). */
export function sourceLines(join: SourceJoin, g: GoroutineGroup, p: Palette): string[] {
  const s = join.groups.get(g);
  return s ? groupSourceLines(s, '  ', p) : [];
}

/** What the source says about a group, as lines under it (dump --source, watch --source). */
export function groupSourceLines(s: GroupSource, indent: string, p: Palette): string[] {
  const out: string[] = [];
  if (s.location) out.push(`${indent}source:     ${p.blue(`${s.location.file}:${s.location.line}`)}`);
  for (const f of s.findings) out.push(`${indent}${p.bold('finding:')}    ${f.file}:${f.line} ${f.rule} (${f.severity}, ${MATCH_WORDS[f.match]}): ${f.message}`);
  if (s.missedByScan) out.push(`${indent}${p.yellow(p.bold('missed by scan'))}: no scan finding at its line, go statement or function${s.explanations.length ? '; from the model:' : ''}`);
  for (const e of s.explanations) out.push(...explanationLines(e, `${indent}  `, p));
  if (s.note) out.push(`${indent}${p.dim(`source: ${s.note}`)}`);
  return out;
}

const MATCH_WORDS = { line: 'at the blocked line', go: 'at its go statement', function: 'in its function' } as const;

/** The JSON fields: `source` on the document and on every group (null for groups that are not suspects). */
export function sourceJson(join: SourceJoin, groups: readonly GoroutineGroup[]): DumpJsonExtension {
  const missed: Array<{ group: number; count: number; location: { file: string; line: number } | null }> = [];
  groups.forEach((g, i) => {
    const s = join.groups.get(g);
    if (s?.missedByScan) missed.push({ group: i, count: g.count, location: s.location });
  });
  return {
    document: {
      source: {
        dir: join.checkout.dir,
        modulePath: join.checkout.modulePath,
        frames: join.frames,
        mappedFrames: join.mappedFrames,
        missedByScan: missed,
        problems: join.problems,
      },
    },
    group: (g) => ({ source: join.groups.get(g) ?? null }),
  };
}
