// `goroscope dump [FILE|URL|-]...`: analyse goroutine dumps and report leak suspects.
// Exit 0 without suspects, 1 with suspects, 2 on usage or I/O errors (after reporting the rest).
import { writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { analyzeDump, mergeDumps, type AnalyzeOptions, type DumpAnalysis } from '../dump/analyze/index.js';
import { StreamingAnalysis } from '../dump/analyze/stream.js';
import { DEFAULT_LARGE_GROUP, DEFAULT_MIN_WAIT_MINUTES } from '../dump/analyze/suspects.js';
import { DEFAULT_FETCH_TIMEOUT_MS, DEFAULT_MAX_BYTES, readDumpInput, type ReadInputOptions } from '../dump/fetch.js';
import type { Dump } from '../dump/model.js';
import { colorWanted, palette } from '../report/color.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UserError } from './exit.js';
import { assertWritableOutput } from './output.js';

export interface SharedDumpFlags {
  groupBy: 'stack' | 'location';
  module?: string;
  minWait: number;
  largeGroup: number;
  ignoreTop: string[];
  ignoreAny: string[];
  ignoreCreatedBy: string[];
  timeout: number;
  maxBytes: number;
}

const collect = (value: string, previous: string[]) => [...previous, value];

function nonNegative(what: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0 || value.trim() === '') throw new InvalidArgumentError(`${what} must be a number >= 0`);
    return n;
  };
}

function positiveInt(what: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${what} must be a whole number >= 1`);
    return n;
  };
}

/** Seconds like "10", "2.5", "500ms" or "10s". */
function duration(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(value.trim());
  if (!m || Number(m[1]) <= 0) throw new InvalidArgumentError('--timeout must be a duration like 10s, 2.5 or 500ms');
  return m[2] === 'ms' ? Number(m[1]) : Number(m[1]) * 1000;
}

/** Options shared by `dump` and `diff`: grouping, judgement, ignore rules and URL fetching. */
export function addSharedDumpOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--group-by <how>', 'group identical stacks, or coarser by the first frame in user code').choices(['stack', 'location']).default('stack'))
    .option('--module <path>', "the program's module path: its packages are user code (even one named like a standard package) and its frames win as location")
    .option('--min-wait <minutes>', 'a sync wait in user code this long is a likely leak', nonNegative('--min-wait'), DEFAULT_MIN_WAIT_MINUTES)
    .option('--large-group <n>', 'a group this large blocked on one user-code operation is a likely leak', positiveInt('--large-group'), DEFAULT_LARGE_GROUP)
    .addOption(new Option('--ignore-top <func>', 'ignore goroutines whose top function is FUNC (repeatable)').argParser(collect).default([], 'none'))
    .addOption(new Option('--ignore-any <func>', 'ignore goroutines with FUNC anywhere in the stack (repeatable)').argParser(collect).default([], 'none'))
    .addOption(new Option('--ignore-created-by <func>', 'ignore goroutines started by FUNC (repeatable)').argParser(collect).default([], 'none'))
    .addOption(new Option('--timeout <duration>', 'timeout for a URL input (10s, 2.5, 500ms)').argParser(duration).default(DEFAULT_FETCH_TIMEOUT_MS, '10s'))
    .addOption(new Option('--max-bytes <n>', 'largest response accepted from a URL').argParser(positiveInt('--max-bytes')).default(DEFAULT_MAX_BYTES, '512 MiB'));
}

export function analyzeOptionsFrom(flags: SharedDumpFlags): AnalyzeOptions {
  return {
    groupBy: flags.groupBy,
    modulePath: flags.module ?? null,
    minWaitMinutes: flags.minWait,
    largeGroup: flags.largeGroup,
    ignore: { top: flags.ignoreTop, any: flags.ignoreAny, createdBy: flags.ignoreCreatedBy },
  };
}

export function readOptionsFrom(flags: SharedDumpFlags): ReadInputOptions {
  return { timeoutMs: flags.timeout, maxBytes: flags.maxBytes };
}

/** Reads every input; a failing one is reported on stderr and the others still count. */
export async function readInputs(inputs: string[], options: ReadInputOptions): Promise<{ dumps: Dump[]; failed: boolean }> {
  const dumps: Dump[] = [];
  let failed = false;
  for (const input of inputs) {
    try {
      dumps.push(await readDumpInput(input, options));
    } catch (err) {
      failed = true;
      process.stderr.write(`goroscope: ${(err as Error).message}\n`);
    }
  }
  return { dumps, failed };
}

/**
 * Reads and analyses every input as it is parsed, keeping only groups (see analyze/stream.ts); a
 * failing input is reported on stderr and the others still count. Null when none could be read.
 */
async function analyzeInputs(
  inputs: string[],
  read: ReadInputOptions,
  options: AnalyzeOptions,
): Promise<{ analysis: DumpAnalysis | null; failed: boolean }> {
  const streaming = new StreamingAnalysis(options);
  let readCount = 0;
  let failed = false;
  for (const input of inputs) {
    const sink = streaming.input();
    try {
      streaming.add(sink, await readDumpInput(input, { ...read, sink }));
      readCount++;
    } catch (err) {
      failed = true;
      process.stderr.write(`goroscope: ${(err as Error).message}\n`);
    }
  }
  return { analysis: readCount > 0 ? streaming.finish() : null, failed };
}

/** Writes the report to --output or stdout. */
export function emit(text: string, output: string | undefined): void {
  if (!output) {
    process.stdout.write(text);
    return;
  }
  try {
    writeFileSync(output, text);
  } catch (err) {
    throw new UserError(`cannot write ${output}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

interface DumpFlags extends SharedDumpFlags {
  format: 'text' | 'json' | 'html';
  output?: string;
  idle: boolean;
}

export function registerDump(program: Command): void {
  const cmd = program
    .command('dump')
    .description('analyse goroutine dumps (files, - for stdin, or http(s) URLs of /debug/pprof/goroutine) and report leak suspects')
    .argument('[inputs...]', 'dump files, - for standard input, or URLs; standard input when none and it is not a terminal')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'html']).default('text'))
    .option('-o, --output <file>', 'write the report to FILE instead of standard output')
    .option('--idle', 'the program should have no goroutines of its own left: every other non-benign goroutine is a definite leak', false);
  addSharedDumpOptions(cmd).action(async (inputs: string[], flags: DumpFlags) => {
    if (flags.output) assertWritableOutput(flags.output);
    if (inputs.length === 0) {
      if (process.stdin.isTTY) throw new UserError('no input: give dump files, URLs, or - to read standard input');
      inputs = ['-'];
    }
    const options: AnalyzeOptions = { ...analyzeOptionsFrom(flags), idle: flags.idle };
    let analysis: DumpAnalysis | null = null;
    let failed: boolean;
    if (flags.idle) {
      // --idle looks at every goroutine (which one took the dump): the model keeps them.
      const read = await readInputs(inputs, readOptionsFrom(flags));
      if (read.dumps.length > 0) analysis = analyzeDump(mergeDumps(read.dumps), options);
      failed = read.failed;
    } else {
      ({ analysis, failed } = await analyzeInputs(inputs, readOptionsFrom(flags), options));
    }
    if (analysis === null) {
      process.exitCode = EXIT_USAGE;
      return;
    }
    // Only the format asked for is loaded: start-up counts on every run.
    const text =
      flags.format === 'json'
        ? (await import('../dump/report/json.js')).renderDumpJson(analysis)
        : flags.format === 'html'
          ? (await import('../dump/report/html.js')).renderDumpHtml(analysis, `goroscope dump: ${inputs.join(', ')}`)
          : (await import('../dump/report/text.js')).renderDumpText(analysis, palette(!flags.output && colorWanted(process.stdout)));
    emit(text, flags.output);
    const suspects = analysis.suspects.definite + analysis.suspects.likely;
    process.exitCode = failed ? EXIT_USAGE : suspects > 0 ? EXIT_FINDINGS : EXIT_OK;
  });
}
