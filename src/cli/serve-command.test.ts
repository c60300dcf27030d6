// `goroscope serve` flags: each one `--help` lists is documented in docs/prometheus.md; usage
// errors exit 2 with a message; the prober listens, answers, and exits 0 on SIGTERM (the built
// CLI; probes themselves are tested in src/watch/serve/).
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI, runCommand, undocumentedFlags } from '../testing/cli-help.js';

const run = (args: string[]) => runCommand('serve', args);

describe('goroscope serve', () => {
  it('documents every flag of --help in docs/prometheus.md', () => {
    const { flags, missing } = undocumentedFlags('serve', 'docs/prometheus.md');
    expect(flags.length).toBeGreaterThanOrEqual(10);
    expect(missing).toEqual([]);
  });

  it('refuses a public address without --listen-public, a bad regex and a bad duration, exit 2', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--listen', '0.0.0.0:9465'], /^goroscope: --listen 0\.0\.0\.0:9465 would listen beyond this machine .*: add --listen-public to mean it\n$/],
      [['--listen', 'nowhere'], /--listen takes HOST:PORT \(e\.g\. 127\.0\.0\.1:9464\), not "nowhere"/],
      [['--listen', '127.0.0.1:0', '--allow-targets', 'http://(10\\.'], /^goroscope: --allow-targets is not a regular expression: /],
      [['--listen', '127.0.0.1:0', '--timeout', 'soon'], /--timeout takes a duration such as 500ms, 30s, 5m or 1m30s/],
      [['--metrics-top', '-1'], /--metrics-top takes a whole number of at least 0, not "-1"/],
    ];
    for (const [args, message] of cases) {
      const r = run(args);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
    }
  });

  it('serves probes until SIGTERM, then exits 0', async () => {
    const child = spawn(process.execPath, [CLI, 'serve', '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
        const m = /serving (http:\/\/127\.0\.0\.1:\d+)\/probe\?target=\.\.\. \(loopback targets only\)/.exec(stderr);
        if (m) resolve(m[1]!);
      });
      child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
    });
    const r = await fetch(`${url}/probe?target=http://127.0.0.1:9/`);
    expect(r.status).toBe(200);
    expect(await r.text()).toMatch(/^goroscope_target_up\{target="http:\/\/127\.0\.0\.1:9\/debug\/pprof\/goroutine"\} 0$/m);
    const code = await new Promise((resolve) => {
      child.on('exit', resolve);
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
  });
});
