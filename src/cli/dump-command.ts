// `goroscope dump [FILE|URL|-]...`: analyse goroutine dumps and report leak suspects.
// Exit 0 without suspects, 1 with suspects, 2 on usage or I/O errors (after reporting the rest).
import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { analyzeDump, mergeDumps, type AnalyzeOptions, type DumpAnalysis } from '../dump/analyze/index.js';
import { StreamingAnalysis } from '../dump/analyze/stream.js';
import { DEFAULT_LARGE_GROUP, DEFAULT_MIN_WAIT_MINUTES } from '../dump/analyze/suspects.js';
import { DEFAULT_FETCH_TIMEOUT_MS, DEFAULT_MAX_BYTES, isUrl, readDumpInput, type ReadInputOptions } from '../dump/fetch.js';
import type { Dump } from '../dump/model.js';
import { colorWanted, palette } from '../report/color.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UserError } from './exit.js';
import { assertWritableOutput } from './output.js';
import { terminalProgress } from './progress.js';
import { formatSize, parseCount, parseDuration, parseNonNegative, parseSize } from './units.js';

export interface SharedDumpFlags {
  quiet?: boolean;
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

/** Options shared by `dump` and `diff`: grouping, judgement, ignore rules and URL fetching. */
export function addSharedDumpOptions(cmd: Command): Command {
  return cmd
    .option('-q, --quiet', 'no progress on stderr (shown only when stderr is a terminal)')
    .addOption(new Option('--group-by <how>', 'group identical stacks, or coarser by the first frame in user code').choices(['stack', 'location']).default('stack'))
    .option('--module <path>', "the program's module path: its packages are user code (even one named like a standard package) and its frames win as location")
    .option('--min-wait <minutes>', 'a sync wait in user code this long is a likely leak', (v) => parseNonNegative(v, '--min-wait'), DEFAULT_MIN_WAIT_MINUTES)
    .option('--large-group <n>', 'a group this large blocked on one user-code operation is a likely leak', (v) => parseCount(v, '--large-group', 1), DEFAULT_LARGE_GROUP)
    .addOption(new Option('--ignore-top <func>', 'ignore goroutines whose top function is FUNC (repeatable)').argParser(collect).default([], 'none'))
    .addOption(new Option('--ignore-any <func>', 'ignore goroutines with FUNC anywhere in the stack (repeatable)').argParser(collect).default([], 'none'))
    .addOption(new Option('--ignore-created-by <func>', 'ignore goroutines started by FUNC (repeatable)').argParser(collect).default([], 'none'))
    .addOption(new Option('--timeout <duration>', 'timeout for a URL input (500ms, 10s, 1m)').argParser((v) => parseDuration(v, '--timeout')).default(DEFAULT_FETCH_TIMEOUT_MS, '10s'))
    .addOption(new Option('--max-bytes <size>', 'largest response accepted from a URL (512MiB, 100MB, bytes)').argParser((v) => parseSize(v, '--max-bytes')).default(DEFAULT_MAX_BYTES, '512MiB'));
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

/**
 * Shows how far reading an input has got ("reading big.txt: 1.2 GiB of 4.0 GiB"), once it has
 * taken a second: small inputs stay silent.
 */
function readingProgress(quiet: boolean | undefined) {
  const progress = terminalProgress({ quiet, delayMs: 1000 });
  return {
    progress,
    reading: (input: string) => (read: number, total: number | null) =>
      progress.status(`reading ${input === '-' ? 'standard input' : input}: ${formatSize(read)}${total ? ` of ${formatSize(total)}` : ''}`),
  };
}

/** Reads every input; a failing one is reported on stderr and the others still count. */
export async function readInputs(inputs: string[], options: ReadInputOptions, quiet?: boolean): Promise<{ dumps: Dump[]; failed: boolean }> {
  const dumps: Dump[] = [];
  let failed = false;
  const { progress, reading } = readingProgress(quiet);
  for (const input of inputs) {
    try {
      dumps.push(await readDumpInput(input, { ...options, onProgress: reading(input) }));
    } catch (err) {
      failed = true;
      progress.clear();
      process.stderr.write(`goroscope: ${(err as Error).message}\n`);
    }
  }
  progress.clear();
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
  quiet?: boolean,
): Promise<{ analysis: DumpAnalysis | null; failed: boolean }> {
  const streaming = new StreamingAnalysis(options);
  let readCount = 0;
  let failed = false;
  const { progress, reading } = readingProgress(quiet);
  for (const input of inputs) {
    const sink = streaming.input();
    try {
      streaming.add(sink, await readDumpInput(input, { ...read, sink, onProgress: reading(input) }));
      readCount++;
    } catch (err) {
      failed = true;
      progress.clear();
      process.stderr.write(`goroscope: ${(err as Error).message}\n`);
    }
  }
  progress.clear();
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

/** Runs the join of `dump --source`; what it could not read goes to stderr, the rest is reported. */
async function joinWithSource(analysis: DumpAnalysis, checkout: { dir: string; modulePath: string }) {
  const { joinSource } = await import('../join/attach.js');
  const join = await joinSource(analysis, checkout);
  for (const problem of join.problems) process.stderr.write(`goroscope: --source: ${problem}\n`);
  if (join.groups.size > 0 && join.mappedFrames === 0) {
    process.stderr.write(`goroscope: --source: no frame of the suspect groups is in module ${checkout.modulePath} (${checkout.dir}): is it the program's checkout?\n`);
  }
  return join;
}

/** An input as a report's title names it: a file by its name, a URL whole. */
function inputName(input: string): string {
  return input === '-' ? 'standard input' : isUrl(input) ? input : path.basename(input);
}

interface DumpFlags extends SharedDumpFlags {
  format: 'text' | 'json' | 'html';
  output?: string;
  idle: boolean;
  /** `--source` alone is true: the module of the working directory. */
  source?: string | true;
}

/** The checkout `--source [DIR]` names, or a usage error saying why it cannot be one. */
async function sourceCheckout(source: string | true) {
  const { checkoutAt, SourceError } = await import('../join/sourcemap.js');
  try {
    return checkoutAt(source === true ? '.' : source);
  } catch (err) {
    if (err instanceof SourceError) throw new UserError(`--source: ${err.message}`);
    throw err;
  }
}

export function registerDump(program: Command): void {
  const cmd = program
    .command('dump')
    .description('analyse goroutine dumps (files, - for stdin, or http(s) URLs of /debug/pprof/goroutine) and report leak suspects')
    .argument('[inputs...]', 'dump files, - for standard input, or URLs; standard input when none and it is not a terminal')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'html']).default('text'))
    .option('-o, --output <file>', 'write the report to FILE instead of standard output')
    .option('--idle', 'the program should have no goroutines of its own left: every other non-benign goroutine is a definite leak', false)
    .option('--source [dir]', "the program's source (a directory of its module; alone: the working directory's module): each suspect group gets the scan findings at its line, go statement or function, else the model's explanation of its blocked line")
    .addHelpText(
      'after',
      `
Inputs: traceback text (runtime.Stack, debug=2, panics, SIGQUIT, go test -timeout), pprof debug=1
text and debug=0 protobuf, gzipped or not, several in one stream; URLs on any port. Formats and
the JSON schema: docs/dump.md.

Exit codes: 0 no suspects, 1 definite or likely suspects, 2 usage error or an unreadable input
(the others are still reported).

Examples:
  goroscope dump crash.log
  curl -s localhost:6060/debug/pprof/goroutine?debug=2 | goroscope dump
  goroscope dump -f html -o goroutines.html http://127.0.0.1:6060/debug/pprof/goroutine
  goroscope dump --idle --module example.com/shop after-tests.txt.gz
  goroscope dump --source ~/src/shop prod-goroutines.txt`,
    );
  addSharedDumpOptions(cmd).action(async (inputs: string[], flags: DumpFlags) => {
    if (flags.output) assertWritableOutput(flags.output);
    // `--source` takes an optional DIR, so `--source dump.txt` reads the next argument as its
    // value: an input (a file, a URL, -) is never a directory, so it goes back to the inputs.
    if (typeof flags.source === 'string' && (flags.source === '-' || isUrl(flags.source) || statSync(flags.source, { throwIfNoEntry: false })?.isFile())) {
      inputs = [flags.source, ...inputs];
      flags.source = true;
    }
    if (inputs.length === 0) {
      if (process.stdin.isTTY) throw new UserError('no input: give dump files, URLs, or - to read standard input');
      inputs = ['-'];
    }
    const checkout = flags.source !== undefined ? await sourceCheckout(flags.source) : null;
    // The checkout's module is the program's: its frames are user code and win as location.
    const options: AnalyzeOptions = { ...analyzeOptionsFrom(flags), idle: flags.idle, ...(checkout && !flags.module ? { modulePath: checkout.modulePath } : {}) };
    let analysis: DumpAnalysis | null = null;
    let failed: boolean;
    if (flags.idle) {
      // --idle looks at every goroutine (which one took the dump): the model keeps them.
      const read = await readInputs(inputs, readOptionsFrom(flags), flags.quiet);
      if (read.dumps.length > 0) analysis = analyzeDump(mergeDumps(read.dumps), options);
      failed = read.failed;
    } else {
      ({ analysis, failed } = await analyzeInputs(inputs, readOptionsFrom(flags), options, flags.quiet));
    }
    if (analysis === null) {
      process.exitCode = EXIT_USAGE;
      return;
    }
    const join = checkout ? await joinWithSource(analysis, checkout) : null;
    const p = palette(!flags.output && colorWanted(process.stdout));
    const joinReport = join ? await import('../join/attach-report.js') : null;
    // Only the format asked for is loaded: start-up counts on every run.
    const text =
      flags.format === 'json'
        ? (await import('../dump/report/json.js')).renderDumpJson(analysis, join && joinReport ? joinReport.sourceJson(join, analysis.groups) : {})
        : flags.format === 'html'
          ? (await import('../dump/report/html.js')).renderDumpHtml(analysis, `goroscope dump: ${inputs.map(inputName).join(', ')}`, join && joinReport ? (g) => joinReport.sourceLines(join, g, palette(false)) : undefined)
          : (await import('../dump/report/text.js')).renderDumpText(analysis, p, join && joinReport ? (g) => joinReport.sourceLines(join, g, p) : undefined);
    emit(text, flags.output);
    const suspects = analysis.suspects.definite + analysis.suspects.likely;
    process.exitCode = failed ? EXIT_USAGE : suspects > 0 ? EXIT_FINDINGS : EXIT_OK;
  });
}
