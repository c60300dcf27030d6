// Runs `go test` with goroscope's overlay, passing the user's output through unchanged and
// keeping a bounded copy of it (a -timeout panic's goroutine dump is read from there).
import { mkdirSync } from 'node:fs';
import { spawnGroup } from '../process/group.js';
import { goEnvironment } from './plan.js';
import { mark } from './timing.js';

export interface GoTestRun {
  exitCode: number;
  /** stdout and stderr as they came, at most `captureLimit` characters (the tail is kept). */
  output: string;
}

export interface GoTestInvocation {
  go: string;
  cwd: string;
  overlayFile: string;
  /** The user's go test arguments (flags and packages). */
  args: string[];
  dumpDir: string;
  /** Copy output to our stdout/stderr as it arrives. */
  passThrough: boolean;
  /** Where go test's stdout is copied when passing through (default stdout; stderr when stdout holds a report). */
  goStdout?: 'stdout' | 'stderr';
  captureLimit?: number;
  /** Ends go test's process group (go, compilers, test binaries) when aborted. */
  signal?: AbortSignal;
  /** More environment for go test and the test binaries (--shake's seed). */
  env?: Record<string, string>;
  /** Receives the output instead of the pass-through, as it arrives (buffered runs of --shake). */
  onOutput?: (stream: 'stdout' | 'stderr', chunk: Buffer) => void;
}

/** Arguments goroscope adds in front of the user's. */
export function overlayArgs(overlayFile: string, userArgs: string[]): string[] {
  // go vet (run by go test) does not read overlay-added files before Go 1.2x and fails on them,
  // so vet is off unless the user asked for it explicitly.
  const userSetsVet = userArgs.some((a) => a === '-vet' || a.startsWith('-vet='));
  // A cached test result would skip the binary, and with it the leak check.
  const userSetsCount = userArgs.some((a) => a === '-count' || a.startsWith('-count='));
  return ['test', `-overlay=${overlayFile}`, ...(userSetsVet ? [] : ['-vet=off']), ...(userSetsCount ? [] : ['-count=1'])];
}

/**
 * go's work directory (WORK, where it builds the test binary) goes under goroscope's own temp
 * directory, which is removed whatever happens: go removes WORK when it exits normally, but a
 * go still building when an interrupt arrives dies of the SIGINT and leaves it behind. A GOTMPDIR
 * the user set (say, because the temp directory is mounted noexec) is kept.
 */
function goTmpDir(dumpDir: string): Record<string, string> {
  if (process.env.GOTMPDIR) return {};
  const dir = `${dumpDir}.gotmp`;
  mkdirSync(dir, { recursive: true });
  return { GOTMPDIR: dir };
}

export function runGoTest(inv: GoTestInvocation): Promise<GoTestRun> {
  const limit = inv.captureLimit ?? 64 << 20;
  return new Promise((resolve, reject) => {
    mark('go test start');
    // Throws Interrupted, and starts nothing, when the signal was already aborted.
    const child = spawnGroup(inv.go, [...overlayArgs(inv.overlayFile, inv.args), ...inv.args], {
      cwd: inv.cwd,
      env: goEnvironment({ ...inv.env, ...goTmpDir(inv.dumpDir), GOROSCOPE_DUMP_DIR: inv.dumpDir }),
      stdio: ['ignore', 'pipe', 'pipe'],
      signal: inv.signal,
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.length > limit) output = output.slice(output.length - limit);
    };
    child.stdout!.on('data', (c: Buffer) => {
      keep(c);
      inv.onOutput?.('stdout', c);
      if (inv.passThrough) (inv.goStdout === 'stderr' ? process.stderr : process.stdout).write(c);
    });
    child.stderr!.on('data', (c: Buffer) => {
      keep(c);
      inv.onOutput?.('stderr', c);
      if (inv.passThrough) process.stderr.write(c);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      mark('go test done');
      resolve({ exitCode: code ?? (signal ? 1 : 0), output });
    });
  });
}
