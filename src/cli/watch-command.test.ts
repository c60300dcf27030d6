// `goroscope watch` flags: each one `--help` lists is documented in docs/watch.md, and usage errors
// exit 2 with a message (the built CLI; sampling itself is tested in src/watch/).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../testing/env.js';

const CLI = path.join(REPO_ROOT, 'dist/cli/main.js');
const run = (args: string[]) => spawnSync(process.execPath, [CLI, 'watch', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

describe('goroscope watch options', () => {
  it('documents every flag of --help in docs/watch.md', () => {
    const help = run(['--help']);
    expect(help.status).toBe(0);
    const flags = [...help.stdout.matchAll(/(?:^|\s)(--[a-z][a-z-]+)/g)].map((m) => m[1]!).filter((f) => f !== '--help');
    expect(flags.length).toBeGreaterThan(25);
    const docs = readFileSync(path.join(REPO_ROOT, 'docs/watch.md'), 'utf8');
    for (const flag of new Set(flags)) expect(docs, flag).toContain(`\`${flag}`);
  });

  it('rejects bad durations, a missing target and --report without a database, exit 2', () => {
    const cases: Array<[string[], RegExp]> = [
      [['http://127.0.0.1:1', '--interval', 'soon', '--no-db'], /--interval takes a duration such as 500ms, 30s, 5m or 1m30s \(a plain number is seconds\), not "soon"/],
      [['--no-db'], /no target: give URLs, gops:\/\/HOST:PORT or PIDs, or --targets FILE/],
      [['--report', '--no-db'], /cannot be combined with --no-db/],
      [['--report', '--db', path.join(REPO_ROOT, 'no-such.db')], /no watch history at .*no-such\.db/],
      [['--targets', path.join(REPO_ROOT, 'no-such.txt'), '--no-db'], /cannot read the targets file .*no-such\.txt: no such file/],
    ];
    for (const [args, message] of cases) {
      const r = run(args);
      expect(r.stderr).toMatch(message);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
    }
  });
});
