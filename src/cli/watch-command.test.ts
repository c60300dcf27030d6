// `goroscope watch` flags: each one `--help` lists is documented in docs/watch.md, and usage errors
// exit 2 with a message (the built CLI; sampling itself is tested in src/watch/).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand, undocumentedFlags } from '../testing/cli-help.js';
import { REPO_ROOT } from '../testing/env.js';

const run = (args: string[]) => runCommand('watch', args);

describe('goroscope watch options', () => {
  it('documents every flag of --help in docs/watch.md', () => {
    const { flags, missing } = undocumentedFlags('watch', 'docs/watch.md');
    expect(flags.length).toBeGreaterThan(25);
    expect(missing).toEqual([]);
  });

  it('rejects bad durations, a missing target, --report without a database and misused --serve and --prometheus flags, exit 2', () => {
    const cases: Array<[string[], RegExp]> = [
      [['http://127.0.0.1:1', '--interval', 'soon', '--no-db'], /--interval takes a duration such as 500ms, 30s, 5m or 1m30s \(a plain number is seconds\), not "soon"/],
      [['--no-db'], /no target: give URLs, gops:\/\/HOST:PORT or PIDs, or --targets FILE/],
      [['--report', '--no-db'], /cannot be combined with --no-db/],
      [['--report', '--db', path.join(REPO_ROOT, 'no-such.db')], /no watch history at .*no-such\.db/],
      [['--targets', path.join(REPO_ROOT, 'no-such.txt'), '--no-db'], /cannot read the targets file .*no-such\.txt: no such file/],
      [['http://127.0.0.1:1', '--no-db', '--serve', '0.0.0.0:9464'], /--serve 0\.0\.0\.0:9464 would listen beyond this machine .*: add --serve-public to mean it/],
      [['http://127.0.0.1:1', '--no-db', '--serve-public'], /--serve-public only applies with --serve ADDR/],
      [['http://127.0.0.1:1', '--no-db', '--metrics-top', '5'], /--metrics-top only applies with --serve ADDR/],
      [['--no-db', '--prometheus', 'http://127.0.0.1:9090'], /--prometheus needs --selector/],
      [['http://127.0.0.1:1', '--no-db', '--prometheus', 'http://127.0.0.1:9090', '--selector', 'go_goroutines'], /--prometheus chooses the targets: give no TARGET and no --targets/],
      [['http://127.0.0.1:1', '--no-db', '--selector', 'go_goroutines'], /--selector only applies with --prometheus URL/],
      [['--no-db', '--prometheus', 'ftp://x', '--selector', 'go_goroutines'], /--prometheus takes an http\(s\) URL/],
    ];
    for (const [args, message] of cases) {
      const r = run(args);
      expect(r.stderr).toMatch(message);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
    }
  });
});
