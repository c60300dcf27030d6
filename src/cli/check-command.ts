// `goroscope check [packages]`: the pre-release checklist (scan, test leaks, load) as one command.
import { writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { loadCheckConfig, type CheckConfig } from '../check/config.js';
import { formatCheckJson, formatCheckMarkdown, formatCheckText } from '../check/report.js';
import { assertLoadOptions, runCheck, type ItemId } from '../check/run.js';
import { applyConfigTrust } from '../check/trust.js';
import { colorWanted } from '../report/color.js';
import { findConfigForPaths } from '../scan/config.js';
import type { Severity } from '../scan/finding.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from './exit.js';
import { handleInterrupts } from './interrupt.js';
import { assertWritableOutput } from './output.js';
import { terminalProgress } from './progress.js';
import { parseCount, parseDuration, parsePercent } from './units.js';

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
  trustConfig?: boolean;
  allowUnchecked?: boolean;
  allowErrors?: boolean;
  quiet?: boolean;
}

export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description('the pre-release checklist in one command: static scan, test leak check, and a load check against a running service')
    .argument('[packages...]', 'Go packages or patterns', ['./...'])
    .addOption(new Option('-f, --format <format>', 'report format').choices(['text', 'markdown', 'json']).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('-q, --quiet', 'no progress on stderr (shown only when stderr is a terminal)')
    .addOption(new Option('--fail-on <severity>', 'scan findings at or above this severity fail the scan item').choices(['error', 'warning', 'info']).default('warning'))
    .option('--service <url>', "the service's goroutine profile, e.g. http://127.0.0.1:6060/debug/pprof/goroutine")
    .option('--load <command>', 'shell command that puts load on the service (with --service)')
    .option('--max-growth <percent>', 'goroutine growth allowed after the load, e.g. 5 or 2.5% (default 5)')
    .option('--max-new <n>', 'goroutines in new groups allowed after the load (default 0)')
    .option('--settle <duration>', 'how long to wait for goroutines to come back down after the load, e.g. 10s, 1m (default 10s)')
    .option('--skip <items>', 'comma-separated items to skip: scan, test, load')
    .option('--test-flags <flags>', 'extra go test flags for the test item, e.g. "-race -short"')
    .option('--go <path>', 'the go command (default: go on PATH, or $GOROSCOPE_GO)')
    .option('-c, --config <file>', '.goroscope.yaml to read (default: the nearest one from the first package up to the repository root)')
    .option('--trust-config', "use the config's check.service, check.load and every check.testFlags entry (a repository's config is not trusted by default: see the README's CI section)")
    .option('--allow-unchecked', "do not fail the test item when a package's leak check could not run (it is still listed)")
    .option('--allow-errors', 'do not fail the scan item when a file could not be analysed (it is still listed)')
    .addHelpText(
      'after',
      `
Exit codes: 0 every item passed or was skipped, 1 an item failed, 2 usage error (a service
that cannot be reached, --service without --load), 130 (SIGINT) or 143 (SIGTERM) when
interrupted: child processes are ended and a partial report, marked as such, is written.

Examples:
  goroscope check ./...
  goroscope check -f markdown -o checklist.md ./...
  goroscope check --service http://127.0.0.1:6060/debug/pprof/goroutine --load "hey -n 2000 http://127.0.0.1:8080/search" ./...
  goroscope check --skip load --test-flags "-race -short" ./...`,
    )
    .action(async (packages: string[], flags: CheckFlags) => {
      const cwd = process.cwd();
      if (flags.output) assertWritableOutput(flags.output);
      const configFile = flags.config ?? findConfigForPaths(packages, cwd);
      const trust = applyConfigTrust(configFile ? loadCheckConfig(configFile) : {}, flags.trustConfig === true);
      const config: CheckConfig = trust.config;
      const skip = (flags.skip ? flags.skip.split(',').map((s) => s.trim()) : (config.skip ?? [])) as ItemId[];
      for (const s of skip) if (!['scan', 'test', 'load'].includes(s)) throw new UsageError(`--skip: unknown item "${s}" (expected scan, test, load)`);
      const load = {
        service: flags.service ?? config.service ?? null,
        load: flags.load ?? config.load ?? null,
        maxGrowthPercent: flags.maxGrowth !== undefined ? parsePercent(flags.maxGrowth, '--max-growth') : (config.maxGrowth ?? 5),
        maxNew: flags.maxNew !== undefined ? parseCount(flags.maxNew, '--max-new') : (config.maxNew ?? 0),
        settleMs: flags.settle !== undefined ? parseDuration(flags.settle, '--settle', { allowZero: true }) : (config.settleMs ?? 10_000),
        loadTimeoutMs: 5 * 60_000,
      };
      // Ignored settings are reported where they would have been used: not when the item is
      // skipped or the command line gives its own.
      const loadIgnored = skip.includes('load') || (flags.service && flags.load) ? null : trust.loadIgnored;
      const testFlagsIgnored = skip.includes('test') || flags.testFlags ? null : trust.testFlagsIgnored;
      assertLoadOptions({ skip, load, loadIgnored });
      const progress = terminalProgress({ quiet: flags.quiet });
      const interrupts = handleInterrupts(progress);
      try {
        const report = await runCheck({
          packages,
          cwd,
          configFile: flags.config ?? null,
          allowUnchecked: flags.allowUnchecked === true,
          allowErrors: flags.allowErrors === true,
          warnings: [loadIgnored, testFlagsIgnored].filter((w): w is string => w !== null),
          loadIgnored,
          failOn: flags.failOn,
          skip,
          testFlags: flags.testFlags ? flags.testFlags.split(/\s+/).filter(Boolean) : (config.testFlags ?? []),
          go: flags.go ?? process.env.GOROSCOPE_GO ?? 'go',
          load,
          signal: interrupts.signal,
          progress,
        });
        const text =
          flags.format === 'json' ? formatCheckJson(report) : flags.format === 'markdown' ? formatCheckMarkdown(report) : formatCheckText(report, flags.output ? false : colorWanted(process.stdout));
        if (flags.output) await writeFile(flags.output, text);
        else process.stdout.write(text);
        process.exitCode = interrupts.exitCode() ?? (report.passed ? EXIT_OK : EXIT_FINDINGS);
      } finally {
        interrupts.dispose();
      }
    });
}
