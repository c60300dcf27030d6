// Human-readable `goroscope test` report, printed after go test's own output.
import path from 'node:path';
import { palette } from '../../report/color.js';
import type { Location, TestReport } from '../run.js';
import { explanationLines } from '../../join/explain-report.js';
import type { ShakeSummary } from '../shake/session.js';
import { leakGroups } from './leak-groups.js';

export function formatTestText(report: TestReport, color: boolean, cwd: string = process.cwd()): string {
  // Files under the working directory are shown relative to it, like go test shows them.
  const file = (f: string) => (path.isAbsolute(f) && f.startsWith(cwd + path.sep) ? path.relative(cwd, f) : f);
  const where = (l: Location | null) => (l ? `${l.func} (${file(l.file)}:${l.line})` : 'unknown');
  const c = palette(color);
  const partial = report.interrupted ? c.red(`PARTIAL: interrupted by ${report.interrupted}; only what ran before it is reported`) : '';
  const lines: string[] = ['', c.bold('goroscope: goroutine leak check') + (partial ? ` ${partial}` : '')];
  if (report.shake) lines.push(...shakeLines(report.shake, report.runs, file).map((l) => c.dim(l)));
  for (const p of report.packages) {
    const status = p.leaks.length > 0 ? c.red('LEAK') : p.checked ? c.green('ok  ') : c.red('NOT CHECKED');
    lines.push(`${status} ${p.package} ${c.dim(`[${p.mode}${p.testsPassed ? '' : ', tests failed'}]`)}`);
    for (const entries of leakGroups(p)) {
      const first = entries[0]!;
      const runs = report.runs > 1 ? ` in ${first.runs.leaked} of ${first.runs.total} runs` : '';
      const what = `${first.count} goroutine${first.count === 1 ? '' : 's'} blocked in ${first.blockedIn}${runs}`;
      if (entries.length === 1 && first.onlyWith.length === 0) {
        // One line per leaking test: "TestX: 2 goroutines blocked in chan send".
        lines.push(`     ${first.test ? c.bold(first.test) : c.yellow('(test not identified)')}: ${what}`);
      } else {
        lines.push(`     ${what}, leaked by ${entries.length} tests:`);
        for (const e of entries) lines.push(`       ${c.bold(e.test ?? '(test not identified)')}${e.onlyWith.length > 0 ? c.dim(` (only when run with ${e.onlyWith.join(', ')})`) : ''}`);
      }
      lines.push(`       blocked at  ${where(first.location)}`);
      lines.push(`       created by  ${where(first.createdBy)}`);
      if (first.seed !== null) lines.push(`       seed        ${first.seed} (rerun this schedule: --shake-seed ${first.seed})`);
      if (first.evidence !== 'idle-dump') lines.push(`       evidence    ${first.evidence === 'timeout' ? 'the test hit -timeout' : "the runtime's goroutineleak profile"}`);
      const source = first.source;
      for (const f of source?.findings ?? []) lines.push(`       ${c.bold('scan')}        ${f.file}:${f.line} ${f.rule} (${f.severity}): ${f.message}`);
      if (source?.missedByScan) lines.push(`       ${c.yellow('missed by scan')}${source.explanations.length > 0 ? ': from the model:' : source.note ? `: ${source.note}` : ''}`);
      for (const e of source?.explanations ?? []) lines.push(...explanationLines(e, '         ', c));
    }
    for (const n of p.notes) lines.push(`     ${c.dim(n)}`);
  }
  const listed = new Set(report.packages.map((p) => p.package));
  for (const u of report.unchecked) if (!listed.has(u.package)) lines.push(`${c.red('NOT CHECKED')} ${u.package}: ${u.reason}`);
  const leaking = report.packages.filter((p) => p.leaks.length > 0).length;
  const total = report.packages.length + report.unchecked.filter((u) => !listed.has(u.package)).length;
  const notChecked = report.unchecked.length;
  if (leaking === 0 && notChecked === 0) lines.push(c.green(`no leaks in ${total} package(s)`));
  else {
    const checked = report.packages.filter((p) => p.checked).length;
    const leaks = leaking > 0 ? `${leaking} of ${total} package(s) leak goroutines` : `no leaks in the ${checked} package(s) checked`;
    lines.push(c.red(notChecked > 0 ? `${leaks}; ${notChecked} package(s) not checked` : leaks));
  }
  if (partial) lines.push(partial);
  return lines.join('\n') + '\n';
}

/** What --shake tried: how many schedules, and the files it left alone. */
function shakeLines(shake: ShakeSummary, runs: number, file: (f: string) => string): string[] {
  const n = shake.seeds.length;
  const seeds = n === 0 ? '' : n === 1 ? `seed ${shake.seeds[0]}` : consecutive(shake.seeds) ? `seeds ${shake.seeds[0]}..${shake.seeds[n - 1]}` : `seeds ${shake.seeds.join(',')}`;
  const out = [
    `--shake: ${n} schedule${n === 1 ? '' : 's'} tried (${[seeds, `probability ${shake.probability}`, runs !== n ? `${runs} runs` : '', shake.untilFound ? 'until found' : ''].filter(Boolean).join(', ')}); ${shake.sites} operations instrumented in ${shake.files} file${shake.files === 1 ? '' : 's'}`,
  ];
  for (const s of shake.skipped) out.push(`--shake: not instrumented: ${file(s.file)}: ${s.reason}`);
  return out;
}

function consecutive(xs: number[]): boolean {
  return xs.every((x, i) => i === 0 || x === xs[i - 1]! + 1);
}
