// JUnit XML: each leaking test becomes a failing test case, so CI systems show it as a failure;
// a package whose leak check did not run is a test case with an error, never a passing one.
import type { TestReport } from '../run.js';

const esc = (s: string) => s.replace(/[<>&"']/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[ch]!);

const NOT_CHECKED_CASE = 'goroutine leak check (not run)';

function notCheckedCase(pkg: string, reason: string): string {
  return `    <testcase classname="${esc(pkg)}" name="${esc(NOT_CHECKED_CASE)}"><error message="${esc(`leak check did not run: ${reason}`)}" type="goroscope-not-checked">${esc(reason)}</error></testcase>`;
}

export function formatTestJunit(report: TestReport): string {
  const reasons = new Map(report.unchecked.map((u) => [u.package, u.reason]));
  const suites = report.packages.map((p) => {
    const cases = p.leaks.map((l) => {
      const name = `${l.test ?? 'unattributed'} leaks goroutines`;
      const body = [
        `${l.count} goroutine(s) blocked in ${l.blockedIn}${l.onlyWith.length > 0 ? ` (only when run with ${l.onlyWith.join(', ')})` : ''}`,
        l.location ? `blocked at ${l.location.func} (${l.location.file}:${l.location.line})` : '',
        l.createdBy ? `created by ${l.createdBy.func} (${l.createdBy.file}:${l.createdBy.line})` : '',
        report.runs > 1 ? `leaked in ${l.runs.leaked} of ${l.runs.total} runs` : '',
        l.seed !== null ? `--shake seed ${l.seed} (rerun this schedule: --shake-seed ${l.seed})` : '',
      ].filter(Boolean).join('\n');
      return `    <testcase classname="${esc(p.package)}" name="${esc(name)}"><failure message="${esc(`goroutine leak in ${l.blockedIn}`)}" type="goroutine-leak">${esc(body)}</failure></testcase>`;
    });
    const reason = reasons.get(p.package);
    if (reason !== undefined) cases.push(notCheckedCase(p.package, reason));
    if (cases.length === 0) cases.push(`    <testcase classname="${esc(p.package)}" name="goroutine leak check"/>`);
    return suite(p.package, cases, p.leaks.length, reason !== undefined ? 1 : 0);
  });
  // Packages the harness could not be added to at all (a TestMain it cannot wrap).
  const listed = new Set(report.packages.map((p) => p.package));
  for (const u of report.unchecked.filter((x) => !listed.has(x.package))) suites.push(suite(u.package, [notCheckedCase(u.package, u.reason)], 0, 1));
  // An interrupted run is an error of its own: CI must not read a partial report as a pass.
  const interrupted = report.interrupted ? 1 : 0;
  if (report.interrupted) {
    const why = `goroscope was interrupted by ${report.interrupted}: this report is partial`;
    suites.push(suite('(interrupted)', [`    <testcase classname="goroscope" name="goroscope test run"><error message="${esc(why)}" type="goroscope-interrupted">${esc(why)}</error></testcase>`], 0, 1));
  }
  const failures = report.packages.reduce((n, p) => n + p.leaks.length, 0);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="goroscope test" failures="${failures}" errors="${report.unchecked.length + interrupted}">\n${suites.join('\n')}\n</testsuites>\n`;
}

function suite(pkg: string, cases: string[], failures: number, errors: number): string {
  return `  <testsuite name="${esc(`goroscope ${pkg}`)}" tests="${cases.length}" failures="${failures}" errors="${errors}">\n${cases.join('\n')}\n  </testsuite>`;
}
