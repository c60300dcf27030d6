// `goroscope test [goroscope options] [go test flags] [packages]`.
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { colorWanted } from '../report/color.js';
import { parseTestArgs } from '../testrun/args.js';
import { formatTestJson } from '../testrun/report/json.js';
import { formatTestJunit } from '../testrun/report/junit.js';
import { formatTestSarif } from '../testrun/report/sarif.js';
import { formatTestText } from '../testrun/report/text.js';
import { runLeakTests } from '../testrun/run.js';
import { EXIT_FINDINGS, EXIT_OK } from './exit.js';
import { handleInterrupts } from './interrupt.js';
import { assertWritableOutput } from './output.js';
import { terminalProgress } from './progress.js';

export function registerTestCommand(program: Command): void {
  program
    .command('test')
    .description('run go test with a goroutine leak check added to every package, and name the leaking tests')
    .usage('[goroscope options] [go test flags] [packages]')
    .helpOption(false)
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .argument('[args...]')
    .addHelpText(
      'after',
      `
goroscope options (two dashes and no short forms: every single-dash flag, -o and -json
included, goes to go test unchanged):
  --format text|json|sarif|junit  report format (default text)
  --output FILE                   write the report to FILE instead of stdout
  --quiet                         no progress on stderr (shown only when stderr is a terminal)
  --allow-unchecked               exit 0 even when some package's leak check could not run (still listed)
  --settle DURATION               how long to wait for goroutines to finish after the tests (default 2s)
  --no-attribute                  do not look for the leaking test by bisection
  --count N                       run the whole suite N times; report in how many runs each leak appeared
  --cpu LIST                      one run per GOMAXPROCS value, e.g. --cpu 1,2,4
  --go PATH                       the go command (default: go on PATH, or $GOROSCOPE_GO)
  --shake N                       run N perturbed schedules (in parallel): a yield or a short sleep, at random,
                                  before each channel, lock, WaitGroup, Cond, Once, close and go statement
  --shake-seed S[,S...]           run exactly these schedules (a leak's seed reruns its schedule)
  --shake-prob P                  probability of a pause at each operation (default 0.25)
  --shake-deps                    also perturb the main module's packages the tested ones import
  --shake-until-found             stop a package's schedules at its first leak
  --source                        scan the leaking packages: each leak gets the findings at its line,
                                  go statement or function, else the model's explanation (goroscope explain)

Output: with --format json|sarif|junit stdout holds the report alone (go test's output goes to
stderr); with go test's -json, stdout holds go's events and the report goes to stderr or --output.
Exit codes: 0 clean; 1 leaks, failed tests, or packages whose leak check could not run
(--allow-unchecked); 2 usage errors (go's or goroscope's); 130 (SIGINT) or 143 (SIGTERM) when
interrupted: go test's processes are ended and a partial report, marked as such, is written.

Examples:
  goroscope test ./...
  goroscope test -race -run TestServer ./pkg/...
  goroscope test --count 5 --cpu 1,4 ./internal/...
  goroscope test --format junit --output leaks.xml ./...
  goroscope test --shake 20 -timeout 60s ./...`,
    )
    .action(async (args: string[]) => {
      if (args.includes('--help') || args.includes('-h')) {
        program.commands.find((c) => c.name() === 'test')!.outputHelp();
        return;
      }
      const options = parseTestArgs(args);
      if (options.output) assertWritableOutput(options.output);
      // stdout carries one thing: go's -json event stream, or a machine-readable report, or (text
      // without -json) go's output followed by the report, as a terminal user reads them.
      const reportTo = options.output ? 'file' : options.goJson ? 'stderr' : 'stdout';
      const goStdout = !options.goJson && options.format !== 'text' && !options.output ? 'stderr' : 'stdout';
      const progress = terminalProgress({ quiet: options.quiet });
      const interrupts = handleInterrupts(progress);
      try {
        const { report, goExitCode } = await runLeakTests(options, process.cwd(), { goStdout, signal: interrupts.signal, progress });
        if (options.source && !interrupts.signal.aborted) {
          const { attachSourceToLeaks } = await import('../join/test-leaks.js');
          for (const problem of await attachSourceToLeaks(report, process.cwd())) process.stderr.write(`goroscope: --source: ${problem}\n`);
        }
        const text =
          options.format === 'json'
            ? formatTestJson(report)
            : options.format === 'sarif'
              ? formatTestSarif(report)
              : options.format === 'junit'
                ? formatTestJunit(report)
                : formatTestText(report, reportTo === 'file' ? false : colorWanted(reportTo === 'stderr' ? process.stderr : process.stdout));
        if (options.output) await writeFile(options.output, text);
        else if (reportTo === 'stderr') process.stderr.write(text);
        else process.stdout.write(text);
        const leaks = report.packages.some((p) => p.leaks.length > 0);
        const failed = goExitCode !== 0 || report.packages.some((p) => !p.testsPassed);
        const unchecked = report.unchecked.length > 0 && !options.allowUnchecked;
        process.exitCode = interrupts.exitCode() ?? (leaks || failed || unchecked ? EXIT_FINDINGS : EXIT_OK);
      } finally {
        interrupts.dispose();
      }
    });
}
