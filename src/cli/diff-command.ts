// `goroscope diff BEFORE AFTER`: which goroutine groups grew, as a gate for CI or soak tests.
// Exit 0 when the gate passes, 1 when it fails, 2 on usage or I/O errors.
import { Command, Option } from 'commander';
import { diffDumps, DEFAULT_MAX_GROWTH_PERCENT, IncomparableDumpsError } from '../dump/analyze/index.js';
import { renderDiffJson } from '../dump/report/json.js';
import { renderDiffText } from '../dump/report/text.js';
import { colorWanted, palette } from '../report/color.js';
import { addSharedDumpOptions, analyzeOptionsFrom, emit, readInputs, readOptionsFrom, type SharedDumpFlags } from './dump-command.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UserError } from './exit.js';
import { assertWritableOutput } from './output.js';
import { parseCount, parsePercent } from './units.js';

interface DiffFlags extends SharedDumpFlags {
  format: 'text' | 'json';
  output?: string;
  maxGrowth: number;
  maxNew?: number;
}

export function registerDiff(program: Command): void {
  const cmd = program
    .command('diff')
    .description('compare two goroutine dumps: groups that are new or grew in AFTER; a gate on the growth')
    .argument('<before>', 'the earlier dump: file, - for standard input, or URL')
    .argument('<after>', 'the later dump: file, - for standard input, or URL')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-o, --output <file>', 'write the report to FILE instead of standard output')
    .option('--max-growth <percent>', 'fail when the goroutine total grows more than this many percent', (v) => parsePercent(v, '--max-growth'), DEFAULT_MAX_GROWTH_PERCENT)
    .option('--max-new <n>', 'fail when more than N goroutines are new (no limit unless given)', (v) => parseCount(v, '--max-new'))
    .addHelpText(
      'after',
      `
Groups are matched by signature (state, frames, creator, labels); goroutine IDs count only when
both dumps come from one process. Exit codes: 0 gate passed, 1 gate failed, 2 usage error or an
unreadable input.

Examples:
  goroscope diff before.txt after.txt
  goroscope diff --max-growth 10% --max-new 0 before.txt http://127.0.0.1:6060/debug/pprof/goroutine
  goroscope diff -f json -o growth.json before.txt after.txt`,
    );
  addSharedDumpOptions(cmd).action(async (before: string, after: string, flags: DiffFlags) => {
    if (before === '-' && after === '-') throw new UserError('standard input can be only one of BEFORE and AFTER');
    if (flags.output) assertWritableOutput(flags.output);
    const read = readOptionsFrom(flags);
    const a = await readInputs([before], read, flags.quiet);
    const b = await readInputs([after], read, flags.quiet);
    if (a.failed || b.failed) {
      process.exitCode = EXIT_USAGE;
      return;
    }
    let diff;
    try {
      diff = diffDumps(a.dumps[0]!, b.dumps[0]!, { ...analyzeOptionsFrom(flags), maxGrowthPercent: flags.maxGrowth, maxNew: flags.maxNew });
    } catch (err) {
      if (err instanceof IncomparableDumpsError) throw new UserError(`cannot compare ${before} with ${after}: ${err.message}`);
      throw err;
    }
    emit(flags.format === 'json' ? renderDiffJson(diff) : renderDiffText(diff, palette(!flags.output && colorWanted(process.stdout))), flags.output);
    process.exitCode = diff.gate.passed ? EXIT_OK : EXIT_FINDINGS;
  });
}
