// `scan()`: the library entry point behind `goroscope scan`. Finds the packages, picks the rules
// from config and options, analyses the packages on worker threads (or in this thread when
// running from TypeScript sources, for one package, or when asked) and returns sorted results.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findGoMod } from '../gosrc/gomod.js';
import { getGoParser } from '../gosrc/treesitter.js';
import { discover, DEFAULT_MAX_FILE_SIZE } from '../gosrc/walk.js';
import { RULES } from '../rules/registry.js';
import type { Rule } from '../rules/types.js';
import { VERSION } from '../version.js';
import { analyzePackage, type PackageJob, type PackageOutcome } from './analyze.js';
import { emptyConfig, findConfigForPaths, isExcluded, loadConfigFile, selectRules, type ScanConfig, type SelectedRule } from './config.js';
import type { Finding, ScanError, ScanResult } from './finding.js';
import { runPool } from './pool.js';

export interface ScanProgress {
  done: number;
  total: number;
}

export interface ScanOptions {
  /** Base for relative paths and for displayed file names (default process.cwd()). */
  cwd?: string;
  /**
   * A .goroscope.yaml path, an already loaded config, or false for none. By default the nearest
   * .goroscope.yaml at or above the first path is used.
   */
  config?: string | false | ScanConfig;
  /** Rule selection as for `--rules`: ["a,b"] runs exactly those; ["+a", "-b"] edits the defaults. */
  rules?: readonly string[];
  /** Scan vendor directories too (default false). */
  includeVendor?: boolean;
  /** Include _test.go files found by recursion (default true). */
  tests?: boolean;
  /** Worker threads; 0 analyses in this thread. Default: os.availableParallelism(). */
  workers?: number;
  /** Files over this many bytes are reported and skipped (default 2 MiB). */
  maxFileSize?: number;
  /** Called with 0 done at the start, then after each package. */
  onProgress?: (progress: ScanProgress) => void;
  /**
   * The rules to choose from instead of the registry (for tests and embedders). Rules that are
   * not the registry's own objects cannot be sent to worker threads, so they run in-process.
   */
  ruleSet?: readonly Rule[];
}

/** What runScan knows beyond the ScanResult: for the CLI's exit code and the benchmark. */
export interface ScanOutcome {
  result: ScanResult;
  config: ScanConfig;
  rules: SelectedRule[];
  /** Path arguments that do not exist. */
  missingPaths: string[];
  /** Worker threads used; 0 when the analysis ran in this thread. */
  workers: number;
  peakHeapPerWorker: number[];
}

export async function scan(paths: readonly string[], options: ScanOptions = {}): Promise<ScanResult> {
  return (await runScan(paths, options)).result;
}

const WORKER_URL = new URL('./worker.js', import.meta.url);

export async function runScan(paths: readonly string[], options: ScanOptions = {}): Promise<ScanOutcome> {
  const started = performance.now();
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const ruleSet = options.ruleSet ?? RULES;
  const config = resolveConfig(paths, cwd, options.config, ruleSet);
  const selected = selectRules(ruleSet, config, options.rules);
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;

  const found = discover(paths, { cwd, includeVendor: options.includeVendor, tests: options.tests, maxFileSize });
  const errors: ScanError[] = found.errors.filter((e) => !isExcluded(config, path.resolve(cwd, e.file)));
  let files = found.goFiles;
  const jobs: PackageJob[] = [];
  const sizes: number[] = [];
  for (const pkg of found.packages) {
    const kept = pkg.files.filter((f) => !isExcluded(config, f.abs));
    files -= pkg.files.length - kept.length;
    if (kept.length === 0) continue;
    const mod = findGoMod(pkg.absDir);
    jobs.push({
      dir: pkg.displayDir,
      files: kept.map((f) => ({ abs: f.abs, display: f.display })),
      goVersion: mod?.goVersion ?? null,
      modulePath: mod?.modulePath ?? null,
      maxFileSize,
    });
    sizes.push(kept.reduce((n, f) => n + f.size, 0));
  }
  // Largest first: the long poles start early and small packages fill the gaps at the end.
  const order = jobs.map((_, i) => i).sort((a, b) => sizes[b]! - sizes[a]!);
  const queue = order.map((i) => jobs[i]!);

  const findings: Finding[] = [];
  const digests: Record<string, string> = {};
  let done = 0;
  options.onProgress?.({ done, total: queue.length });
  const collect = (_index: number, outcome: PackageOutcome) => {
    findings.push(...outcome.findings);
    errors.push(...outcome.errors);
    Object.assign(digests, outcome.digests);
    done++;
    options.onProgress?.({ done, total: queue.length });
  };

  const workers = chooseWorkers(options, ruleSet, queue.length);
  let peakHeapPerWorker: number[] = [];
  if (workers > 0 && selected.length > 0) {
    const rules = selected.map((s) => ({ id: s.rule.meta.id, severity: s.severity }));
    const stats = await runPool(queue, rules, { workers, workerUrl: WORKER_URL, onResult: collect });
    peakHeapPerWorker = stats.peakHeapPerWorker;
  } else {
    const parser = selected.length > 0 && queue.length > 0 ? await getGoParser() : null;
    /** The file the parser broke on: this thread's parser cannot be used again (no worker to replace). */
    let brokenOn: string | null = null;
    for (const [i, job] of queue.entries()) {
      if (brokenOn !== null) {
        const message = `not analysed: the Go parser stopped working after an internal error in ${brokenOn} (worker threads, --workers 1 or more, keep such a failure to its own package)`;
        collect(i, { findings: [], errors: [{ file: job.dir, line: 0, kind: 'internal', message }] });
        continue;
      }
      // With no rule selected there is nothing to parse for, but files are still read and checked.
      const outcome = analyzePackage(job, selected, parser);
      if (outcome.parserBroken) brokenOn = outcome.errors.find((e) => e.kind === 'internal')?.file ?? job.dir;
      collect(i, outcome);
      // Let progress callbacks and signals run between packages.
      if (i % 16 === 15) await new Promise((r) => setImmediate(r));
    }
  }

  findings.sort(compareFindings);
  errors.sort((a, b) => cmp(a.file, b.file) || a.line - b.line || cmp(a.message, b.message));
  return {
    result: {
      version: VERSION,
      findings,
      errors,
      stats: { files, packages: queue.length, durationMs: Math.round(performance.now() - started) },
      digests,
    },
    config,
    rules: selected,
    missingPaths: found.missing,
    workers: workers > 0 && selected.length > 0 ? Math.min(workers, queue.length) : 0,
    peakHeapPerWorker,
  };
}

function chooseWorkers(options: ScanOptions, ruleSet: readonly Rule[], packages: number): number {
  if (options.workers === 0 || packages <= 1) return 0;
  // Rules that are not in the registry cannot be found by id inside a worker.
  if (ruleSet !== RULES && !ruleSet.every((r) => RULES.includes(r))) return 0;
  // Running from TypeScript sources (vitest): there is no compiled worker next to this module.
  if (!existsSync(fileURLToPath(WORKER_URL))) return 0;
  return Math.max(1, options.workers ?? os.availableParallelism());
}

function resolveConfig(paths: readonly string[], cwd: string, option: ScanOptions['config'], ruleSet: readonly Rule[]): ScanConfig {
  if (option === false) return emptyConfig(cwd);
  if (typeof option === 'object') return option;
  if (typeof option === 'string') return loadConfigFile(path.resolve(cwd, option), ruleSet);
  const file = findConfigForPaths(paths, cwd);
  return file ? loadConfigFile(file, ruleSet) : emptyConfig(cwd);
}

export function compareFindings(a: Finding, b: Finding): number {
  return cmp(a.file, b.file) || a.line - b.line || a.column - b.column || cmp(a.rule, b.rule);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
