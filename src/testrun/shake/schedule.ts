// Runs --shake's schedules in parallel (one go test per schedule, at most `limit` at a time) and
// hands each run's result and buffered output on in the order of the schedules, so that the
// output is never interleaved and the report does not depend on which run ended first.

export type OutputStream = 'stdout' | 'stderr';

/** A run's go test output, kept until it can be written whole. */
export class BufferedOutput {
  private readonly chunks: Array<{ stream: OutputStream; chunk: Buffer }> = [];
  readonly add = (stream: OutputStream, chunk: Buffer): void => {
    this.chunks.push({ stream, chunk });
  };
  writeTo(stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): void {
    for (const { stream, chunk } of this.chunks) (stream === 'stdout' ? stdout : stderr).write(chunk);
  }
}

export interface ParallelRuns<C, R> {
  configs: readonly C[];
  limit: number;
  /** The packages of the next run; null to start no more runs (every package already leaked, --shake-until-found). */
  packagesFor: () => string[] | null;
  run: (index: number, config: C, packages: string[], output: BufferedOutput) => Promise<R>;
  /** Called when a run ends, in whatever order runs end (packagesFor may depend on it). */
  ended?: (result: R) => void;
  /** Called once per run, in the order of `configs`. May throw to stop the runs. */
  collect: (index: number, config: C, result: R, output: BufferedOutput) => void;
}

/** Runs the configs; returns how many ran. The first error stops new runs and is thrown once the others end. */
export async function runInParallel<C, R>(p: ParallelRuns<C, R>): Promise<number> {
  const done = new Map<number, { result: R; output: BufferedOutput } | null>();
  let next = 0;
  let collected = 0;
  let failure: { error: unknown } | null = null;
  const collectReady = () => {
    while (!failure && done.has(collected)) {
      const entry = done.get(collected)!;
      done.delete(collected);
      if (entry) {
        try {
          p.collect(collected, p.configs[collected]!, entry.result, entry.output);
        } catch (error) {
          failure = { error };
        }
      }
      collected++;
    }
  };
  let ran = 0;
  const worker = async () => {
    while (!failure && next < p.configs.length) {
      const i = next++;
      const packages = p.packagesFor();
      if (!packages) {
        done.set(i, null);
        collectReady();
        continue;
      }
      const output = new BufferedOutput();
      try {
        ran++;
        const result = await p.run(i, p.configs[i]!, packages, output);
        p.ended?.(result);
        done.set(i, { result, output });
      } catch (error) {
        failure ??= { error };
        return;
      }
      collectReady();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(p.limit, p.configs.length)) }, worker));
  if (failure) throw (failure as { error: unknown }).error;
  return ran;
}
