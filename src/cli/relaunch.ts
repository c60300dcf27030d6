// Runs a command in a child Node process started with a one-thread V8 platform pool
// (`--v8-pool-size=1`): `scan` of a large tree (see scan-command.ts) and bench:scan.
//
// Why: scan analyses packages on one worker thread per core, and each worker's garbage collector
// and compiler hand work to V8's platform threads (four by default, shared by the process). On a
// machine with few cores those helper threads compete with the workers they help: on Go's
// standard library with 2 cores a scan took about 15% less wall and CPU time with one platform
// thread (README, Speed). The pool size can only be chosen when Node starts, hence the child,
// which costs a Node start-up (about 75 ms here): small scans stay in this process.
//
// The child inherits stdin, stdout and stderr, so output, colours and progress are unchanged.
// It is in the same process group, so a terminal's Ctrl-C reaches it directly; signals sent to
// this process alone (SIGTERM from a CI runner) are passed on. This process then exits as the
// child did: with its code, or by the same signal. GOROSCOPE_RELAUNCH=0 keeps everything in
// one process.
import { spawn } from 'node:child_process';
import os from 'node:os';

const POOL_FLAG = '--v8-pool-size';

/** Go source from which `scan` runs in the child: below it, the child's start-up costs more than the pool saves. */
const RELAUNCH_MIN_BYTES = 4_000_000;

/** Set in the child's environment, so that it does not relaunch again. */
export const RELAUNCH_MARK = 'GOROSCOPE_RELAUNCHED';
const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Whether this process runs with the one-thread pool (relaunched, or started so). */
export function smallPool(): boolean {
  return process.execArgv.includes(`${POOL_FLAG}=1`);
}

/**
 * Whether a scan with these worker settings should run in a child with the one-thread pool.
 * `goBytes` (the Go source the scan reads: a walk of the tree) is asked last, only when the
 * rest allows it. The scan command and bench:scan both decide here.
 */
export function scanWantsSmallPool(workers: number | undefined, goBytes: () => number): boolean {
  return workers !== 0 && shouldRelaunch() && goBytes() >= RELAUNCH_MIN_BYTES;
}

/** Whether this process should hand the command to a child with a one-thread pool. */
export function shouldRelaunch(env: NodeJS.ProcessEnv = process.env, execArgv: readonly string[] = process.execArgv, cores = os.availableParallelism()): boolean {
  if (env[RELAUNCH_MARK] === '1' || env.GOROSCOPE_RELAUNCH === '0') return false;
  // The user (or NODE_OPTIONS) chose a pool size: theirs stands.
  if (execArgv.some((a) => a.startsWith(POOL_FLAG)) || (env.NODE_OPTIONS ?? '').includes(POOL_FLAG)) return false;
  // One core means no worker threads, and nothing to compete with.
  return cores > 1;
}

/**
 * Runs `script args` in a child Node with `--v8-pool-size=1` and resolves with its exit: a code,
 * or the signal that ended it. Resolves null when the child could not be started (the caller
 * then runs the command itself).
 */
export function relaunch(script: string, args: readonly string[]): Promise<{ code: number } | { signal: NodeJS.Signals } | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`${POOL_FLAG}=1`, ...process.execArgv, script, ...args], {
      stdio: 'inherit',
      env: { ...process.env, [RELAUNCH_MARK]: '1' },
    });
    const forward = (sig: NodeJS.Signals) => {
      child.kill(sig);
    };
    let started = false;
    child.once('spawn', () => {
      started = true;
      for (const s of FORWARDED) process.on(s, forward);
    });
    child.once('error', () => {
      if (!started) resolve(null);
    });
    child.once('exit', (code, signal) => {
      for (const s of FORWARDED) process.off(s, forward);
      resolve(signal ? { signal } : { code: code ?? 1 });
    });
  });
}

/**
 * Runs this process's own command line again in a child with a one-thread pool and returns the
 * exit code to use, or null when the child could not be started. A child ended by a signal ends
 * this process by the same signal, as a shell or CI runner would have seen it.
 */
export async function rerunWithSmallPool(): Promise<number | null> {
  const script = process.argv[1];
  if (!script) return null;
  const ended = await relaunch(script, process.argv.slice(2));
  if (!ended) return null;
  if ('code' in ended) return ended.code;
  process.kill(process.pid, ended.signal);
  return 128 + (os.constants.signals[ended.signal] ?? 0);
}
