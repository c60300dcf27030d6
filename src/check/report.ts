// The checklist report of `goroscope check`: text for a terminal, markdown for a pull-request
// comment, JSON for tools (documented in docs/json-schema.md).
import { palette } from '../report/color.js';
import type { CheckReport, ItemStatus, MissedLeak } from './run.js';

const MARK: Record<ItemStatus, string> = { passed: 'PASS', failed: 'FAIL', skipped: 'SKIP' };
const EMOJI: Record<ItemStatus, string> = { passed: '✅', failed: '❌', skipped: '⏭️' };

export function formatCheckText(report: CheckReport, color: boolean): string {
  const c = palette(color);
  const paint = { passed: c.green, failed: c.red, skipped: c.yellow };
  const lines = [c.bold('goroscope check: pre-release goroutine leak checklist')];
  for (const item of report.items) {
    lines.push(`${paint[item.status](MARK[item.status])}  ${item.title}: ${item.summary}`);
    for (const d of item.details) lines.push(`      ${c.dim(d)}`);
  }
  for (const m of report.missedByScan) lines.push(`${c.yellow('missed by scan:')} ${missedText(m)}`);
  for (const w of report.warnings) lines.push(`${c.yellow('warning:')} ${w}`);
  if (report.interrupted) lines.push(c.red(`PARTIAL: interrupted by ${report.interrupted}; items not run are marked so`));
  lines.push(report.passed ? c.green('checklist passed') : c.red(report.interrupted ? 'checklist not completed' : 'checklist failed'));
  return lines.join('\n') + '\n';
}

/** A leak no scan finding meets, in one line: where, and what the model says about it. */
function missedText(m: MissedLeak): string {
  const where = m.location ? ` at ${m.location.file}:${m.location.line}` : '';
  return `${m.package}: ${m.test ?? 'unidentified test'} leaks ${m.count} goroutine(s)${where}${m.explanation ? `: ${m.explanation}` : ''}`;
}

const mdEscape = (s: string) => s.replace(/([\\`*_[\]|<>])/g, '\\$1');

export function formatCheckMarkdown(report: CheckReport): string {
  const lines = [
    `### goroscope check: ${report.passed ? 'passed' : report.interrupted ? `interrupted by ${report.interrupted} (partial)` : 'failed'}`,
    '',
    '| | Check | Result |',
    '|---|---|---|',
    ...report.items.map((i) => `| ${EMOJI[i.status]} | ${mdEscape(i.title)} | ${mdEscape(i.summary)} |`),
  ];
  if (report.missedByScan.length > 0) lines.push('', `Leaks the scan did not find (${report.missedByScan.length}):`, '', ...report.missedByScan.map((m) => `- ${mdEscape(missedText(m))}`));
  if (report.warnings.length > 0) lines.push('', ...report.warnings.map((w) => `- ⚠️ ${mdEscape(w)}`));
  for (const i of report.items.filter((x) => x.details.length > 0)) {
    lines.push('', `<details><summary>${mdEscape(i.title)} (${i.details.length})</summary>`, '');
    for (const d of i.details) lines.push(`- ${mdEscape(d)}`);
    lines.push('', '</details>');
  }
  return lines.join('\n') + '\n';
}

export function formatCheckJson(report: CheckReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}
