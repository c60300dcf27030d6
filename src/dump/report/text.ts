// Human-readable report of `goroscope dump` and `goroscope diff`: totals, then groups with
// suspects first, each with its stack.
import type { DumpAnalysis } from '../analyze/analyze.js';
import type { DumpDiff } from '../analyze/diff.js';
import type { GoroutineGroup } from '../analyze/group.js';
import type { FrameRef } from '../analyze/packages.js';
import type { Palette } from '../../report/color.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const where = (f: FrameRef) => `${f.func} (${f.file}:${f.line})`;

function waitText(g: GoroutineGroup): string {
  const { min, max } = g.waitMinutes;
  if (max === null) return '';
  return min === max ? `, ${plural(max, 'minute')}` : `, ${min}-${max} minutes`;
}

function labelText(labels: Record<string, string>): string {
  const keys = Object.keys(labels).sort();
  return keys.length ? ` {${keys.map((k) => `${k}: ${JSON.stringify(labels[k])}`).join(', ')}}` : '';
}

export function renderGroup(g: GoroutineGroup, p: Palette, heading = ''): string {
  const lines: string[] = [];
  const badge = g.suspect ? (g.suspect.level === 'definite' ? p.red(p.bold('DEFINITE LEAK')) : p.yellow(p.bold('LIKELY LEAK'))) : g.benign ? p.dim('benign') : '';
  const state = g.state || 'state unknown';
  lines.push(`${heading}${badge ? `${badge} ` : ''}${p.bold(plural(g.count, 'goroutine'))} [${state}${waitText(g)}] ${p.dim(`(${g.kind})`)}${labelText(g.labels)}`);
  if (g.suspect) lines.push(`  reason:     ${g.suspect.reason}`);
  if (g.benign) lines.push(`  ${p.dim(`benign:     ${g.benign}`)}`);
  if (g.location) lines.push(`  location:   ${p.blue(where(g.location))}`);
  if (g.createdBy) lines.push(`  created by: ${where(g.createdBy)}`);
  lines.push('  stack:');
  for (const f of g.frames) lines.push(`    ${f.func}\n      ${p.dim(`${f.file}:${f.line}`)}`);
  if (g.frames.length === 0) lines.push(`    ${p.dim('(no frames)')}`);
  return lines.join('\n');
}

/**
 * "1 section: traceback", "2 sections: traceback, pprof-debug1"; a long list (a log with a dump
 * per test) is counted by format instead: "150 sections: 148 traceback, 2 pprof-debug1".
 */
export function sectionList(formats: string[]): string {
  if (formats.length <= MAX_LISTED_SECTIONS) return `${plural(formats.length, 'section')}${formats.length ? `: ${formats.join(', ')}` : ''}`;
  const counts = new Map<string, number>();
  for (const f of formats) counts.set(f, (counts.get(f) ?? 0) + 1);
  return `${plural(formats.length, 'section')}: ${[...counts].map(([f, n]) => `${n} ${f}`).join(', ')}`;
}

const MAX_LISTED_SECTIONS = 4;

/**
 * `annotate` adds lines after a group's own (dump --source: the scan findings or the explanation
 * of the group's blocked line).
 */
export function renderDumpText(a: DumpAnalysis, p: Palette, annotate?: (g: GoroutineGroup) => string[]): string {
  const out: string[] = [];
  const total = a.groups.reduce((s, g) => s + g.count, 0); // as many as in a.dump.goroutines
  out.push(p.bold(`${plural(total, 'goroutine')} in ${plural(a.groups.length, 'group')} (${sectionList(a.dump.sections.map((s) => s.format))})`));
  out.push(`states: ${a.states.map((s) => `${s.count} ${s.state || 'unknown'}`).join(', ') || 'none'}`);
  const { definite, likely } = a.suspects;
  const verdict = definite + likely === 0 ? p.green('no leak suspects') : `${p.red(`${definite} definite`)} and ${p.yellow(`${likely} likely`)} leaked goroutines`;
  out.push(`suspects: ${verdict}`);
  if (a.dump.skipped.length) out.push(p.dim(`skipped ${plural(a.dump.skipped.length, 'unparseable part')} (first at line ${a.dump.skipped[0]!.line}: ${a.dump.skipped[0]!.reason})`));
  for (const g of a.groups) out.push('', renderGroup(g, p), ...(annotate?.(g) ?? []));
  return `${out.join('\n')}\n`;
}

export function renderDiffText(d: DumpDiff, p: Palette): string {
  const out: string[] = [];
  const pct = d.totals.growthPercent === null ? 'from zero' : `${d.totals.growthPercent >= 0 ? '+' : ''}${d.totals.growthPercent.toFixed(1)}%`;
  out.push(p.bold(`goroutines: ${d.totals.before} -> ${d.totals.after} (${d.totals.growth >= 0 ? '+' : ''}${d.totals.growth}, ${pct}); ${plural(d.newGoroutines, 'new goroutine')} in ${plural(d.grown.length, 'group')}`));
  out.push(p.dim(`same process: ${d.sameProcess.value ? 'yes' : 'no'} (${d.sameProcess.reason})`));
  if (d.comparison.by === 'stack') out.push(p.dim(`comparison: ${d.comparison.reason}`));
  out.push(d.gate.passed ? p.green('gate: passed') : p.red(`gate: FAILED: ${d.gate.failures.join('; ')}`));
  for (const x of d.grown) {
    const head = `${p.bold(`+${x.growth}`)} (${x.before} -> ${x.after}) `;
    out.push('', renderGroup(x.group, p, head));
    if (x.newIds && x.newIds.length) out.push(`  new IDs:    ${x.newIds.slice(0, 20).join(', ')}${x.newIds.length > 20 ? `, ... (${x.newIds.length})` : ''}`);
  }
  if (d.gone.length) {
    out.push('', p.dim(`gone since BEFORE: ${plural(d.gone.length, 'group')}`));
    for (const g of d.gone) out.push(p.dim(`  -${g.count} [${g.state || 'unknown'}] ${g.location ? where(g.location) : g.frames[0]?.func ?? ''}`));
  }
  return `${out.join('\n')}\n`;
}
