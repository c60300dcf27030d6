// JUnit XML: each leaking test becomes a failing test case, so CI systems show it as a failure.
import type { TestReport } from '../run.js';

const esc = (s: string) => s.replace(/[<>&"']/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[ch]!);

export function formatTestJunit(report: TestReport): string {
  const suites = report.packages.map((p) => {
    const cases = p.leaks.map((l) => {
      const name = `${l.test ?? 'unattributed'} leaks goroutines`;
      const body = [
        `${l.count} goroutine(s) blocked in ${l.state || l.kind}`,
        l.location ? `blocked at ${l.location.func} (${l.location.file}:${l.location.line})` : '',
        l.createdBy ? `created by ${l.createdBy.func} (${l.createdBy.file}:${l.createdBy.line})` : '',
        report.runs > 1 ? `leaked in ${l.runs.leaked} of ${l.runs.total} runs` : '',
      ].filter(Boolean).join('\n');
      return `    <testcase classname="${esc(p.package)}" name="${esc(name)}"><failure message="${esc(`goroutine leak in ${l.state || l.kind}`)}" type="goroutine-leak">${esc(body)}</failure></testcase>`;
    });
    if (cases.length === 0) cases.push(`    <testcase classname="${esc(p.package)}" name="goroutine leak check"/>`);
    return `  <testsuite name="${esc(`goroscope ${p.package}`)}" tests="${cases.length}" failures="${p.leaks.length}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  const failures = report.packages.reduce((n, p) => n + p.leaks.length, 0);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="goroscope test" failures="${failures}">\n${suites.join('\n')}\n</testsuites>\n`;
}
