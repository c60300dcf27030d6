// Human-readable `goroscope test` report, printed after go test's own output.
import path from 'node:path';
import { palette } from '../../report/color.js';
import type { Location, TestReport } from '../run.js';

export function formatTestText(report: TestReport, color: boolean, cwd: string = process.cwd()): string {
  // Files under the working directory are shown relative to it, like go test shows them.
  const file = (f: string) => (path.isAbsolute(f) && f.startsWith(cwd + path.sep) ? path.relative(cwd, f) : f);
  const where = (l: Location | null) => (l ? `${l.func} (${file(l.file)}:${l.line})` : 'unknown');
  const c = palette(color);
  const lines: string[] = ['', c.bold('goroscope: goroutine leak check')];
  for (const p of report.packages) {
    const status = p.leaks.length > 0 ? c.red('LEAK') : c.green('ok  ');
    lines.push(`${status} ${p.package} ${c.dim(`[${p.mode}${p.testsPassed ? '' : ', tests failed'}]`)}`);
    for (const leak of p.leaks) {
      const runs = report.runs > 1 ? ` in ${leak.runs.leaked} of ${leak.runs.total} runs` : '';
      lines.push(`     ${leak.test ? c.bold(leak.test) : c.yellow('(test not identified)')}: ${leak.count} goroutine${leak.count === 1 ? '' : 's'} blocked in ${leak.state || leak.kind}${runs}`);
      lines.push(`       blocked at  ${where(leak.location)}`);
      lines.push(`       created by  ${where(leak.createdBy)}`);
      if (leak.evidence !== 'idle-dump') lines.push(`       evidence    ${leak.evidence === 'timeout' ? 'the test hit -timeout' : "the runtime's goroutineleak profile"}`);
    }
    for (const n of p.notes) lines.push(`     ${c.dim(n)}`);
  }
  for (const u of report.unchecked) lines.push(`${c.yellow('skip')} ${u.package}: ${u.reason}`);
  const leaking = report.packages.filter((p) => p.leaks.length > 0).length;
  lines.push(leaking === 0 ? c.green(`no leaks in ${report.packages.length} package(s)`) : c.red(`${leaking} of ${report.packages.length} package(s) leak goroutines`));
  return lines.join('\n') + '\n';
}
