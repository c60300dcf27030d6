// Child processes that can be ended whole. `go test` starts compilers and test binaries, and a
// load command is a shell with its own children: killing only the process we started leaves the
// rest running. So each child leads a process group of its own, and ending it signals the group.
// A second Ctrl-C, or an exit that cannot wait, kills every live group at once (killAllGroups).
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Why work stopped early: a signal the user (or CI) sent. The reason of an aborted AbortSignal. */
export class Interrupted extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted by ${signal}`);
    this.name = 'Interrupted';
  }
}

/** The Interrupted that aborted `signal`, or null while it has not been aborted by one. */
export function interruption(signal: AbortSignal | undefined): Interrupted | null {
  return signal?.aborted && signal.reason instanceof Interrupted ? signal.reason : null;
}

/** Time a group has to exit after SIGINT (go removes its work directory) before SIGKILL. */
const GRACE_MS = 3000;
/** Time the leader has, once its children were killed, to clean up before it is killed too. */
const LEADER_GRACE_MS = 2000;

// Process groups are a POSIX notion; on Windows a child is ended alone.
const GROUPS = process.platform !== 'win32';

const live = new Set<ChildProcess>();

export interface GroupSpawnOptions extends Omit<SpawnOptions, 'detached' | 'signal'> {
  /** Ends the child's whole group when aborted; an already aborted signal starts nothing. */
  signal?: AbortSignal;
}

/**
 * spawn(), with the child as the leader of a new process group (and session: no terminal, so a
 * Ctrl-C reaches goroscope alone, which decides what to end and reports what it has).
 */
export function spawnGroup(command: string, args: readonly string[], options: GroupSpawnOptions = {}): ChildProcess {
  const { signal, ...rest } = options;
  const stopped = interruption(signal);
  if (stopped) throw stopped;
  const child = spawn(command, args, { ...rest, detached: GROUPS });
  if (child.pid === undefined) return child; // failed to start: its 'error' event says why
  live.add(child);
  const onAbort = () => endGroup(child);
  signal?.addEventListener('abort', onAbort, { once: true });
  child.once('exit', () => {
    live.delete(child);
    signal?.removeEventListener('abort', onAbort);
  });
  return child;
}

/**
 * Ends a child's group: SIGINT first, which go handles by stopping its children and removing its
 * temporary work directory. What ignores it (a test binary that traps SIGINT) is killed after a
 * grace period, the leader last, so that go, seeing its children die, still cleans up; whatever
 * is left of the group once the leader has exited is orphans, and is killed at once.
 */
export function endGroup(child: ChildProcess, graceMs = GRACE_MS): void {
  if (child.pid === undefined) return;
  if (!GROUPS) {
    child.kill('SIGINT');
    setTimeout(() => child.kill('SIGKILL'), graceMs).unref();
    return;
  }
  const pgid = child.pid;
  signalGroup(pgid, 'SIGINT');
  const timers = [
    setTimeout(() => {
      const others = groupMembers(pgid);
      if (others === null) signalGroup(pgid, 'SIGKILL');
      else for (const pid of others) signalProcess(pid, 'SIGKILL');
    }, graceMs),
    setTimeout(() => signalGroup(pgid, 'SIGKILL'), graceMs + LEADER_GRACE_MS),
  ];
  for (const t of timers) t.unref();
  const leaderGone = () => {
    for (const t of timers) clearTimeout(t);
    signalGroup(pgid, 'SIGKILL');
  };
  if (child.exitCode !== null || child.signalCode !== null) leaderGone();
  else child.once('exit', leaderGone);
}

/**
 * The members of process group `pgid` other than its leader, read from /proc (Linux); null
 * where that cannot be read, and the caller then kills the group whole.
 */
export function groupMembers(pgid: number): number[] | null {
  if (process.platform !== 'linux') return null;
  try {
    const members: number[] = [];
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name) || Number(name) === pgid) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      } catch {
        continue; // exited meanwhile
      }
      // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid) members.push(Number(name));
    }
    return members;
  } catch {
    return null;
  }
}

/** SIGKILL to every live group: for an exit that cannot wait (a second Ctrl-C). */
export function killAllGroups(): void {
  for (const child of live) {
    if (child.pid === undefined) continue;
    if (GROUPS) signalGroup(child.pid, 'SIGKILL');
    else child.kill('SIGKILL');
  }
  live.clear();
}

function signalGroup(pgid: number, sig: NodeJS.Signals): void {
  signalProcess(-pgid, sig);
}

function signalProcess(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // ESRCH: gone already (for a group: no member left).
  }
}
