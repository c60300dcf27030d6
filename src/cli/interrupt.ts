// Ctrl-C, SIGTERM (a CI job cancelled) and SIGHUP (the terminal closed) during `test` and
// `check`: the first one aborts the run's AbortSignal, which ends the child process groups
// (process/group.ts); the command then removes its temporary directories, writes a report that
// says it is partial, and exits 128 + the signal's number (130 for SIGINT, 143 for SIGTERM, as
// shells report a command a signal ended), so no script or CI gate mistakes it for a verdict.
// A second signal kills every group, removes the temporary directories and exits at once.
import os from 'node:os';
import type { Progress } from '../progress.js';
import { Interrupted, killAllGroups } from '../process/group.js';
import { removeAllTempDirs } from '../process/temp.js';

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export interface InterruptHandle {
  /** Aborted, with an Interrupted reason, by the first signal. */
  readonly signal: AbortSignal;
  /** The exit code for an interrupted run (128 + signal number), or null when none came. */
  exitCode(): number | null;
  /** Restores the default handling (the work is done). */
  dispose(): void;
}

export function exitCodeFor(signal: NodeJS.Signals): number {
  return 128 + (os.constants.signals[signal] ?? 0);
}

export function handleInterrupts(progress?: Progress): InterruptHandle {
  const controller = new AbortController();
  let first: NodeJS.Signals | null = null;
  // What to do comes first, what to say after: on SIGHUP the terminal may be gone, and writing
  // to it can fail.
  const say = (text: string) => {
    try {
      progress?.clear();
      process.stderr.write(text);
    } catch {
      /* no terminal left to tell */
    }
  };
  const onSignal = (sig: NodeJS.Signals) => {
    if (first === null) {
      first = sig;
      controller.abort(new Interrupted(sig));
      const again = sig === 'SIGINT' && process.stdin.isTTY ? '; Ctrl-C again to quit at once' : '';
      say(`\ngoroscope: ${sig} received: stopping the child processes, then writing a partial report${again}\n`);
      return;
    }
    killAllGroups();
    removeAllTempDirs();
    say(`goroscope: ${sig} received again: stopped at once, no report\n`);
    process.exit(exitCodeFor(first));
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  return {
    signal: controller.signal,
    exitCode: () => (first === null ? null : exitCodeFor(first)),
    dispose: () => {
      for (const s of SIGNALS) process.off(s, onSignal);
    },
  };
}
