// Progress is for a person at a terminal: shown on stderr when it is a TTY, never with --quiet,
// never when stderr is a pipe or file, never on stdout. The end-to-end cases run the built CLI
// under a real pseudo-terminal made by script(1) (util-linux, in every Debian install).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findGo, goEnv, goUnavailable, IN_CI, REPO_ROOT } from '../testing/env.js';
import { terminalProgress } from './progress.js';

const CLI = path.join(REPO_ROOT, 'dist/cli/main.js');
const MODULE = path.join(REPO_ROOT, 'src/testrun/testdata/leakymod');
const SCRIPT = '/usr/bin/script';

/** A stand-in for stderr that records what is written. */
function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 40, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream };
}

describe('terminalProgress', () => {
  it('draws one live line, rewritten in place and cut to the terminal width, and clears it', () => {
    const { writes, stream } = fakeStream(true);
    const p = terminalProgress({ stream });
    p.status('reading a-rather-long-file-name-that-does-not-fit.txt: 1 GiB');
    expect(writes).toEqual(['\r\u001b[Kgoroscope: reading a-rather-long-file-…']); // 39 columns
    p.clear();
    expect(writes[1]).toBe('\r\u001b[K');
  });

  it('prints notes above the live line, which it then redraws', () => {
    const { writes, stream } = fakeStream(true);
    const p = terminalProgress({ stream });
    p.status('finding the leaking test');
    p.note('run 2 of 4 (-cpu=2)');
    expect(writes).toEqual(['\r\u001b[Kgoroscope: finding the leaking test', '\r\u001b[K', 'goroscope: run 2 of 4 (-cpu=2)\n', '\r\u001b[Kgoroscope: finding the leaking test']);
  });

  it('writes nothing when stderr is no terminal, or with --quiet', () => {
    for (const [tty, quiet] of [
      [false, false],
      [true, true],
    ]) {
      const { writes, stream } = fakeStream(tty!);
      const p = terminalProgress({ stream, quiet: quiet! });
      p.status('x');
      p.note('y');
      p.clear();
      expect(writes).toEqual([]);
    }
  });

  it('waits delayMs before the first live line: quick work stays silent', async () => {
    const { writes, stream } = fakeStream(true);
    const p = terminalProgress({ stream, delayMs: 150 });
    p.status('1/3 packages');
    expect(writes).toEqual([]);
    p.status('2/3 packages');
    await new Promise((r) => setTimeout(r, 250));
    expect(writes).toEqual(['\r\u001b[Kgoroscope: 2/3 packages']);
  });
});

/** Why script(1) cannot give a pseudo-terminal here, or null. */
function ptyUnavailable(): string | null {
  if (process.platform === 'linux' && existsSync(SCRIPT)) return null;
  if (IN_CI) throw new Error(`CI requires ${SCRIPT} (util-linux) for the pseudo-terminal tests`);
  return `${SCRIPT} is absent; pseudo-terminal tests skipped`;
}

const sh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Runs a shell command line under a pseudo-terminal (stdin, stdout and stderr are the terminal)
 * and returns what the terminal showed. Redirect stdout in `command` to keep it apart.
 */
function inPty(command: string, cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const r = spawnSync(SCRIPT, ['-qfec', command, '/dev/null'], { cwd, env: ptyEnv(env), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });
  return r.stdout;
}

const ptyEnv = (env: NodeJS.ProcessEnv) => ({ ...env, NO_COLOR: '1', TERM: 'dumb' });

/** inPty, not waiting: for commands that mostly sleep, run side by side. */
function inPtyAsync(command: string, cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(SCRIPT, ['-qfec', command, '/dev/null'], { cwd, env: ptyEnv(process.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', () => resolve(out));
  });
}

const ptySkip = ptyUnavailable();

describe.skipIf(ptySkip)(`progress in a pseudo-terminal${ptySkip ? ` (skipped: ${ptySkip})` : ''}`, () => {
  let tmp = '';
  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'goroscope-pty-'));
  });
  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('dump: says how much of a slow input it has read, after a second; stdout holds the report alone', async () => {
    const dump = path.join(tmp, 'dump.txt');
    writeFileSync(dump, 'goroutine 1 [running]:\nmain.main()\n\t/app/main.go:5 +0x1d\n');
    // The second part comes 3 s later: node has started and waited out the 1 s delay by then.
    const cmd = (options: string, out: string) => `(cat ${sh(dump)}; sleep 3; cat ${sh(dump)}) | node ${sh(CLI)} dump ${options} -f json - > ${sh(path.join(tmp, out))}`;
    const [shown, quiet, piped] = await Promise.all([
      inPtyAsync(cmd('', 'tty.json'), tmp),
      inPtyAsync(cmd('-q', 'quiet.json'), tmp),
      // Not a terminal: nothing on stderr.
      new Promise<string>((resolve) => {
        const child = spawn('sh', ['-c', cmd('', 'piped.json')], { cwd: tmp, stdio: ['ignore', 'ignore', 'pipe'] });
        let err = '';
        child.stderr.on('data', (d) => (err += d));
        child.on('close', () => resolve(err));
      }),
    ]);
    expect(shown).toMatch(/\r\u001b\[Kgoroscope: reading standard input: \d+ B/);
    expect(shown).toMatch(/\r\u001b\[K$/); // cleared before the exit
    expect(quiet).not.toContain('goroscope:');
    expect(piped).toBe('');
    // The report file got the report and no progress.
    expect(JSON.parse(readFileSync(path.join(tmp, 'tty.json'), 'utf8')).goroutines).toBe(2);
  }, 30_000);

  const goSkip = goUnavailable();
  it.skipIf(goSkip)('scan: counts packages on a tree that takes more than a second', () => {
    const goroot = spawnSync(findGo()!, ['env', 'GOROOT'], { encoding: 'utf8', env: goEnv() }).stdout.trim();
    const tree = path.join(goroot, 'src/net/http/...');
    const shown = inPty(`node ${sh(CLI)} scan --no-config ${sh(tree)} > /dev/null`, tmp);
    expect(shown).toMatch(/\r\u001b\[Kgoroscope: \d+\/\d+ packages/);
    expect(inPty(`node ${sh(CLI)} scan -q --no-config ${sh(tree)} > /dev/null`, tmp)).not.toContain('goroscope:');
  }, 120_000);

  it.skipIf(goSkip)('test: marks each run of --count and shows the search for the leaking test', () => {
    // --settle: the leaking goroutines never finish, so each run would wait the default 2 s.
    const args = `test --count 2 --settle 200ms --go ${sh(findGo()!)} -tags leaky ./chans/`;
    const shown = inPty(`node ${sh(CLI)} ${args} > /dev/null`, MODULE, goEnv());
    expect(shown).toContain('goroscope: run 1 of 2\r\n');
    expect(shown).toContain('goroscope: run 2 of 2\r\n');
    expect(shown).toContain('goroscope: example.com/leakymod/chans leaks goroutines: finding the leaking test (--no-attribute skips this)\r\n');
    expect(shown).toMatch(/\r\u001b\[Kgoroscope: finding the leaking test: \d+\/\d+ runs, \d+ s, in example\.com\/leakymod\/ch/); // cut to the 80-column terminal
    // --quiet silences the run markers (the live line is silenced as in the unit test above).
    const quiet = inPty(`node ${sh(CLI)} ${args.replace('test ', 'test --quiet --no-attribute ')} > /dev/null`, MODULE, goEnv());
    expect(quiet).not.toContain('goroscope:');
    // Not a terminal: go test's output only.
    const piped = spawnSync(process.execPath, [CLI, ...['test', '--count', '2', '--settle', '200ms', '--no-attribute', '--go', findGo()!, '-tags', 'leaky', './chans/']], { cwd: MODULE, env: goEnv(), encoding: 'utf8' });
    expect(piped.stderr).not.toContain('goroscope:');
    expect(piped.stdout).toContain('goroscope: goroutine leak check');
  }, 240_000);
});
