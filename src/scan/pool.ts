// Runs package analyses on worker threads, one worker per core. Packages are handed out from a
// queue (the caller orders it largest first, so a big package does not start last and leave
// the other cores idle at the end). A worker that dies takes only its current package down:
// that package gets an error entry and a fresh worker takes over the rest of the queue. A worker
// whose parser broke (out of memory, a wasm abort) reports its package, then is replaced the same
// way: its wasm instance cannot be trusted again.
import { Worker } from 'node:worker_threads';
import type { Severity } from './finding.js';
import type { PackageJob, PackageOutcome } from './analyze.js';

export interface ToWorker {
  id: number;
  job: PackageJob;
  rules: Array<{ id: string; severity: Severity }>;
}

export type FromWorker =
  | { type: 'done'; id: number; outcome: PackageOutcome; peakHeap: number }
  | { type: 'failed'; id: number; message: string };

export interface PoolOptions {
  workers: number;
  workerUrl: URL;
  /** Called as each package finishes, in completion order. */
  onResult(index: number, outcome: PackageOutcome): void;
}

export interface PoolStats {
  workers: number;
  /** Largest V8 heap each worker reported (bytes). */
  peakHeapPerWorker: number[];
}

export function runPool(jobs: readonly PackageJob[], rules: ToWorker['rules'], options: PoolOptions): Promise<PoolStats> {
  const count = Math.max(1, Math.min(options.workers, jobs.length));
  const stats: PoolStats = { workers: 0, peakHeapPerWorker: [] };
  if (jobs.length === 0) return Promise.resolve(stats);
  return new Promise((resolve) => {
    let next = 0;
    let finished = 0;
    /** Workers that died before finishing any package: a broken worker script, not bad input. */
    let barrenDeaths = 0;
    const live = new Set<Worker>();

    const failed = (index: number, message: string): PackageOutcome => ({ findings: [], errors: [{ file: jobs[index]!.dir, line: 0, kind: 'internal', message }] });

    const finish = (index: number, outcome: PackageOutcome) => {
      options.onResult(index, outcome);
      finished++;
      if (finished === jobs.length) {
        for (const w of live) void w.terminate();
        live.clear();
        resolve(stats);
      }
    };

    const start = () => {
      const slot = stats.workers++;
      stats.peakHeapPerWorker[slot] = 0;
      const worker = new Worker(options.workerUrl);
      live.add(worker);
      let current = -1;
      let completed = 0;
      const feed = () => {
        if (next >= jobs.length) {
          live.delete(worker);
          void worker.terminate();
          return;
        }
        current = next++;
        worker.postMessage({ id: current, job: jobs[current]!, rules } satisfies ToWorker);
      };
      worker.on('message', (msg: FromWorker) => {
        const index = current;
        current = -1;
        completed++;
        if (msg.type === 'done') {
          stats.peakHeapPerWorker[slot] = Math.max(stats.peakHeapPerWorker[slot]!, msg.peakHeap);
          finish(index, msg.outcome);
        } else {
          finish(index, failed(index, `internal error: ${msg.message}`));
        }
        if (msg.type === 'done' && msg.outcome.parserBroken) {
          live.delete(worker);
          void worker.terminate();
          if (next < jobs.length) start();
        } else if (finished < jobs.length) feed();
      });
      const died = (why: string) => {
        if (!live.has(worker)) return;
        live.delete(worker);
        void worker.terminate();
        if (current >= 0) {
          const index = current;
          current = -1;
          finish(index, failed(index, `internal error: worker stopped (${why}) while analysing this package`));
        }
        if (completed === 0) barrenDeaths++;
        if (barrenDeaths >= 3) {
          // Give up on threads rather than fail every package one by one.
          while (next < jobs.length) {
            const index = next++;
            finish(index, failed(index, `internal error: worker threads keep failing (${why})`));
          }
          return;
        }
        if (next < jobs.length) start();
      };
      worker.on('error', (err) => died(err.message));
      worker.on('exit', (code) => died(`exit code ${code}`));
      feed();
    };

    for (let i = 0; i < count; i++) start();
  });
}
