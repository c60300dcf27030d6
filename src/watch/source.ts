// Reading a target: its goroutine profile for each sample, a full debug=2 snapshot, the runtime's
// goroutineleak profile, and what tells one process lifetime from the next (allocation counters
// that only grow while a process lives, its command line). One implementation per protocol.
import { createHash } from 'node:crypto';
import { GOPS_MEM_STATS, GOPS_STACK_TRACE, GOPS_STATS, gopsAge, gopsCommand, gopsGoroutines, gopsPortOf } from './gops.js';
import type { GroupOptions } from '../dump/analyze/index.js';
import { httpGet, ReadError } from './http-get.js';
import { ProfileError, readProfile, type ReadProfile } from './profile.js';
import { siblingUrl, type GopsTarget, type PidTarget, type PprofTarget, type Target } from './target.js';

/** Counters that only grow while one process lives: when they fall, the process was restarted. */
export interface ProcessAge {
  mallocs: number;
  numGC: number;
}

export interface ReadLimits {
  timeoutMs: number;
  maxBytes: number;
}

export interface TargetSource {
  /** Whether each sample is already a full debug=2 text (gops): it then also serves as snapshot. */
  readonly samplesAreSnapshots: boolean;
  /** The goroutine profile in format `debug` (1, 0 or 2); sources that have one format ignore it. */
  profile(debug: number): Promise<Buffer>;
  /** A debug=2 text of every goroutine. */
  snapshot(): Promise<Buffer>;
  /** The goroutine count alone, when the protocol has it cheaply (gops stats); else null. */
  goroutineCount(): Promise<number | null>;
  /** The process's allocation counters, or null when the target does not expose them. */
  age(): Promise<ProcessAge | null>;
  /** A hash of the command line (never the text: it may hold secrets), or null. */
  cmdlineHash(): Promise<string | null>;
  /** Whether the target serves the goroutineleak profile (Go 1.26+); null when it cannot tell. */
  leakProfileServed(): Promise<boolean | null>;
  /** The goroutineleak profile (debug=1); null when the target has none. */
  leakProfile(): Promise<Buffer | null>;
}

export function sourceOf(target: Target, limits: ReadLimits): TargetSource {
  switch (target.kind) {
    case 'pprof':
      return new PprofSource(target, limits);
    case 'gops':
    case 'pid':
      return new GopsSource(target, limits);
  }
}

/** The counters in the runtime.MemStats comment block that ends a heap profile's debug=1 text. */
export function heapProfileAge(text: string): ProcessAge | null {
  const mallocs = /^# Mallocs = (\d+)/m.exec(text);
  const numGC = /^# NumGC = (\d+)/m.exec(text);
  return mallocs && numGC ? { mallocs: Number(mallocs[1]), numGC: Number(numGC[1]) } : null;
}

const hash = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);

class PprofSource implements TargetSource {
  readonly samplesAreSnapshots = false;
  /** Endpoints that answered 404 once: not asked again. */
  private readonly missing = new Set<string>();

  constructor(
    private readonly target: PprofTarget,
    private readonly limits: ReadLimits,
  ) {}

  private get(url: URL): Promise<Buffer> {
    return httpGet(url, { ...this.limits, authorization: this.target.authorization });
  }

  /** An optional endpoint: null when the target does not serve it (404), remembered. */
  private async optional(endpoint: string, debug: number | null): Promise<Buffer | null> {
    if (this.missing.has(endpoint)) return null;
    try {
      return await this.get(siblingUrl(this.target, endpoint, debug));
    } catch (err) {
      if (err instanceof ReadError && err.status === 404) {
        this.missing.add(endpoint);
        return null;
      }
      throw err;
    }
  }

  profile(debug: number): Promise<Buffer> {
    return this.get(siblingUrl(this.target, 'goroutine', debug));
  }

  snapshot(): Promise<Buffer> {
    return this.profile(2);
  }

  async goroutineCount(): Promise<number | null> {
    return null;
  }

  async age(): Promise<ProcessAge | null> {
    const heap = await this.optional('heap', 1);
    return heap === null ? null : heapProfileAge(heap.toString('latin1'));
  }

  async cmdlineHash(): Promise<string | null> {
    const cmdline = await this.optional('cmdline', null);
    return cmdline === null ? null : hash(cmdline);
  }

  async leakProfileServed(): Promise<boolean | null> {
    const index = await this.optional('', null);
    return index === null ? null : index.includes('goroutineleak');
  }

  leakProfile(): Promise<Buffer | null> {
    return this.optional('goroutineleak', 1);
  }
}

/** A gops agent, at a fixed address or found through a PID's port file (re-read every time). */
class GopsSource implements TargetSource {
  readonly samplesAreSnapshots = true;

  constructor(
    private readonly target: GopsTarget | PidTarget,
    private readonly limits: ReadLimits,
  ) {}

  private async command(byte: number): Promise<Buffer> {
    const t = this.target;
    const [host, port] = t.kind === 'gops' ? [t.host, t.port] : ['127.0.0.1', await gopsPortOf(t.pid)];
    return gopsCommand(host, port, byte, this.limits);
  }

  profile(): Promise<Buffer> {
    return this.command(GOPS_STACK_TRACE);
  }

  snapshot(): Promise<Buffer> {
    return this.command(GOPS_STACK_TRACE);
  }

  async goroutineCount(): Promise<number | null> {
    return gopsGoroutines((await this.command(GOPS_STATS)).toString('latin1'));
  }

  async age(): Promise<ProcessAge | null> {
    return gopsAge((await this.command(GOPS_MEM_STATS)).toString('latin1'));
  }

  async cmdlineHash(): Promise<string | null> {
    return null;
  }

  async leakProfileServed(): Promise<boolean | null> {
    return false;
  }

  async leakProfile(): Promise<Buffer | null> {
    return null;
  }
}

/** Profile formats tried in order until one parses: debug=1 is aggregated and cheap for the target. */
export const PROFILE_FORMATS: readonly number[] = [1, 0, 2];

/** One goroutine profile read and grouped, with the format that worked and its bytes. */
export interface SampledProfile {
  read: ReadProfile;
  /** The debug format that answered (keep it: the next read of the target asks for it alone). */
  debug: number;
  bytes: Buffer;
}

/**
 * Reads one goroutine profile, trying `formats` in order until an answer parses: only an answer
 * that is not a profile (ProfileError) makes the next format worth trying, and a source whose
 * samples are debug=2 text has one format. Throws the first error. Used by each sample of a watch
 * and by each probe of `goroscope serve`.
 */
export async function readGoroutines(source: TargetSource, group: GroupOptions, formats: readonly number[] = PROFILE_FORMATS): Promise<SampledProfile> {
  let firstError: unknown = null;
  for (const debug of formats) {
    try {
      const bytes = await source.profile(debug);
      return { read: readProfile(bytes, group), debug, bytes };
    } catch (err) {
      if (!(err instanceof ProfileError) || source.samplesAreSnapshots) throw err;
      firstError ??= err;
    }
  }
  throw firstError;
}
