// One grammar for every command (built CLI): the same short options where they mean the same,
// a bad option answered with one line and the command's usage line, examples in every --help.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../testing/env.js';

const CLI = path.join(REPO_ROOT, 'dist/cli/main.js');
const COMMANDS = ['scan', 'rules', 'dump', 'diff', 'explain', 'test', 'check', 'watch', 'serve', 'lsp'];

function run(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, input: '' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the command-line grammar', () => {
  it.each(COMMANDS)('%s: a bad option prints one line and the usage line, exit 2', (cmd) => {
    const r = run([cmd, '--bogus-option']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^goroscope: unknown option '?--bogus-option'?/);
    expect(lines[1]).toMatch(new RegExp(`^usage: goroscope ${cmd} .*\\(see goroscope ${cmd} --help\\)$`));
  });

  it.each(COMMANDS)('%s: --help has examples', (cmd) => {
    const r = run([cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\nExamples:\n {2}goroscope /);
  });

  it('gives -f/--format, -o/--output and -q/--quiet the same meaning everywhere but test, which keeps single dashes for go test', () => {
    for (const cmd of ['scan', 'dump', 'diff', 'check', 'watch']) {
      const help = run([cmd, '--help']).stdout;
      for (const flag of ['-f, --format <format>', '-o, --output <file>', '-q, --quiet']) expect(help, `${cmd} ${flag}`).toContain(flag);
    }
    expect(run(['rules', '--help']).stdout).toContain('-f, --format <format>');
    for (const cmd of ['scan', 'check']) expect(run([cmd, '--help']).stdout).toContain('-c, --config <file>');
    const test = run(['test', '--help']).stdout;
    for (const flag of ['--format', '--output', '--quiet']) expect(test).toContain(`  ${flag}`);
  });

  it('reads sizes, durations and percentages the same way on every command', () => {
    // A bad value names the option and the forms it takes, with the usage line.
    const bad = [
      [['scan', '--max-file-size', '2 parsecs'], /--max-file-size takes a size such as 1048576, 512KiB, 10MiB or 512MB/],
      [['dump', '--max-bytes', 'lots', '-'], /--max-bytes takes a size such as/],
      [['dump', '--timeout', 'soon', '-'], /--timeout takes a duration such as 500ms, 30s, 5m or 1m30s/],
      [['test', '--settle', 'soon'], /--settle takes a duration such as 500ms, 30s, 5m or 1m30s/],
      [['test', '--shake', 'many'], /--shake takes whole numbers from 1 to \d+, not "many"/],
      [['test', '--shake', '2', '--shake-prob', '2'], /--shake-prob takes a probability above 0 and at most 1/],
      [['check', '--settle', 'soon'], /--settle takes a duration such as 500ms, 30s, 5m or 1m30s/],
      [['diff', '--max-growth', 'x', 'a', 'b'], /--max-growth takes a percentage of at least 0, such as 5 or 2\.5%/],
      [['watch', '--max-bytes', 'lots', 'http://127.0.0.1:9/'], /--max-bytes takes a size such as/],
      [['watch', '--interval', 'soon', 'http://127.0.0.1:9/'], /--interval takes a duration such as 500ms, 30s, 5m or 1m30s/],
      [['watch', '--range', 'soon', '--prometheus', 'http://127.0.0.1:9/', '--selector', 'go_goroutines'], /--range takes a duration such as 500ms, 30s, 5m or 1m30s/],
      [['serve', '--max-bytes', 'lots'], /--max-bytes takes a size such as/],
      [['serve', '--timeout', 'soon'], /--timeout takes a duration such as 500ms, 30s, 5m or 1m30s/],
      [['check', '--max-growth', 'x'], /--max-growth takes a percentage of at least 0, such as 5 or 2\.5%/],
    ] as const;
    for (const [args, message] of bad) {
      const r = run([...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr).toMatch(/\nusage: goroscope \w+ /);
    }
  });

  it('lists examples in the top-level help', () => {
    expect(run(['--help']).stdout).toContain('Examples:\n  goroscope scan ./...');
  });
});
