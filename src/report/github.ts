// `--format github`: GitHub Actions workflow commands, one line per finding, which the runner
// turns into annotations on the pull request. Escaping follows the workflow-command rules:
// in the message `%`, CR and LF are percent-encoded; in property values also `:` and `,`.
import type { ScanResult, Severity } from '../scan/finding.js';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatGithub(result: ScanResult): string {
  const lines: string[] = [];
  for (const f of result.findings) {
    const props = [
      `file=${escapeProperty(f.file)}`,
      `line=${f.line}`,
      `col=${f.column}`,
      `endLine=${f.endLine}`,
      `endColumn=${f.endColumn}`,
      `title=${escapeProperty(`goroscope ${f.rule}`)}`,
    ];
    const text = f.fix ? `${f.message}\nFix: ${f.fix}` : f.message;
    lines.push(`::${COMMAND[f.severity]} ${props.join(',')}::${escapeData(text)}`);
  }
  // A syntax error is a warning (the file was analysed as far as the parser recovered); what
  // was not analysed at all fails the run, so it is an error.
  for (const e of result.errors) {
    const syntax = e.kind === 'syntax';
    const title = syntax ? 'goroscope syntax error' : 'goroscope could not analyse this file';
    const props = [`file=${escapeProperty(e.file)}`, ...(e.line > 0 ? [`line=${e.line}`] : []), `title=${escapeProperty(title)}`];
    lines.push(`::${syntax ? 'warning' : 'error'} ${props.join(',')}::${escapeData(e.message)}`);
  }
  return lines.length > 0 ? lines.join('\n') + '\n' : '';
}
