// `goroscope check [packages]`: the pre-release checklist (scan, test leaks, load) as one command.
import { writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { loadCheckConfig, type CheckConfig } from '../check/config.js';
import { formatCheckJson, formatCheckMarkdown, formatCheckText } from '../check/report.js';
import { runCheck, type ItemId } from '../check/run.js';
import { colorWanted } from '../report/color.js';
import { findConfig } from '../scan/config.js';
import type { Severity } from '../scan/finding.js';
import { parseDuration } from '../testrun/args.js';
import { EXIT_FINDINGS, EXIT_OK, UserError } from './exit.js';

interface CheckFlags {
  format: 'text' | 'markdown' | 'json';
  output?: string;
  failOn: Severity;
  service?: string;
  load?: string;
  maxGrowth?: string;
  maxNew?: string;
  settle?: string;
  skip?: string;
  testFlags?: string;
  go?: string;
  config?: string;
}

function number(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UserError(`${name} takes a number of at least 0, not "${value}"`);
  return n;
}

export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description('the pre-release checklist in one command: static scan, test leak check, and a load check against a running service')
    .argument('[packages...]', 'Go packages or patterns', ['./...'])
    .addOption(new Option('--format <format>', 'report format').choices(['text', 'markdown', 'json']).default('text'))
    .option('--output <file>', 'write the report to a file instead of stdout')
    .addOption(new Option('--fail-on <severity>', 'scan findings at or above this severity fail the scan item').choices(['error', 'warning', 'info']).default('warning'))
    .option('--service <url>', "the service's goroutine profile, e.g. http://127.0.0.1:6060/debug/pprof/goroutine")
    .option('--load <command>', 'shell command that puts load on the service (with --service)')
    .option('--max-growth <percent>', 'goroutine growth allowed after the load (default 5)')
    .option('--max-new <n>', 'goroutines in new groups allowed after the load (default 0)')
    .option('--settle <duration>', 'how long to wait for goroutines to come back down after the load (default 10s)')
    .option('--skip <items>', 'comma-separated items to skip: scan, test, load')
    .option('--test-flags <flags>', 'extra go test flags for the test item, e.g. "-race -short"')
    .option('--go <path>', 'the go command (default: go on PATH, or $GOROSCOPE_GO)')
    .option('--config <file>', '.goroscope.yaml to read the check: section from (default: found upward from here)')
    .action(async (packages: string[], flags: CheckFlags) => {
      const cwd = process.cwd();
      const configFile = flags.config ?? findConfig(cwd);
      const config: CheckConfig = configFile ? loadCheckConfig(configFile) : {};
      const skip = (flags.skip ? flags.skip.split(',').map((s) => s.trim()) : (config.skip ?? [])) as ItemId[];
      for (const s of skip) if (!['scan', 'test', 'load'].includes(s)) throw new UserError(`--skip: unknown item "${s}" (expected scan, test, load)`);
      const report = await runCheck({
        packages,
        cwd,
        failOn: flags.failOn,
        skip,
        testFlags: flags.testFlags ? flags.testFlags.split(/\s+/).filter(Boolean) : (config.testFlags ?? []),
        go: flags.go ?? process.env.GOROSCOPE_GO ?? 'go',
        load: {
          service: flags.service ?? config.service ?? null,
          load: flags.load ?? config.load ?? null,
          maxGrowthPercent: number(flags.maxGrowth, '--max-growth', config.maxGrowth ?? 5),
          maxNew: number(flags.maxNew, '--max-new', config.maxNew ?? 0),
          settleMs: flags.settle ? parseDuration(flags.settle, '--settle') : (config.settleMs ?? 10_000),
          loadTimeoutMs: 5 * 60_000,
        },
      });
      const text =
        flags.format === 'json' ? formatCheckJson(report) : flags.format === 'markdown' ? formatCheckMarkdown(report) : formatCheckText(report, flags.output ? false : colorWanted(process.stdout));
      if (flags.output) await writeFile(flags.output, text);
      else process.stdout.write(text);
      process.exitCode = report.passed ? EXIT_OK : EXIT_FINDINGS;
    });
}
