#!/usr/bin/env node
// The goroscope command line: a thin layer that parses arguments and calls the libraries.
// Each command lives in its own module and registers itself on the program.
import type { Command } from 'commander';
import { VERSION } from '../version.js';
import { EXIT_USAGE, UsageError, UserError } from './exit.js';

type Register = (program: Command) => void;

/**
 * Each command's module, loaded only when needed: loading every command's library costs about
 * 0.2 s of start-up, a fifth of a 128 MiB `dump`. The order is the order of `--help`.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  scan: async () => (await import('./scan-command.js')).registerScan,
  rules: async () => (await import('./rules-command.js')).registerRules,
  dump: async () => (await import('./dump-command.js')).registerDump,
  diff: async () => (await import('./diff-command.js')).registerDiff,
  explain: async () => (await import('./explain-command.js')).registerExplain,
  test: async () => (await import('./test-command.js')).registerTestCommand,
  check: async () => (await import('./check-command.js')).registerCheckCommand,
  watch: async () => (await import('./watch-command.js')).registerWatch,
  lsp: async () => (await import('./lsp-command.js')).registerLsp,
  serve: async () => (await import('./serve-command.js')).registerServe,
};

/**
 * The program with the command named by `argv[0]` registered, or with every command when the
 * first argument is not one (`--help`, `--version`, a typo: all of them must be known then).
 */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const { Command } = await import('commander');
  const program = new Command();
  program
    .name('goroscope')
    .description('Find goroutine leaks: static analysis of Go source, goroutine dump analysis, leak checks for go test, watching running services, probing them for Prometheus.')
    .version(VERSION, '-V, --version')
    // A usage error is one line ("goroscope: unknown option '--fromat' (did you mean --format?)")
    // and the command's usage line, not the whole help.
    .configureOutput({ outputError: (message, write) => write(oneLineError(message)) })
    .showHelpAfterError(usageLine(program))
    .addHelpText(
      'after',
      `
Examples:
  goroscope scan ./...                     find leaks in the source
  goroscope dump crash.log                 which goroutines of a dump are stuck, and why
  goroscope explain pkg/pool.go:88         what a blocked line waits on, and who could free it
  goroscope test ./...                     go test, with a leak check after every package
  goroscope check ./...                    all of it, as one pre-release gate

Exit codes: 0 clean, 1 findings, 2 usage or I/O error, 130/143 interrupted (test, check).
goroscope <command> --help shows a command's options and examples.`,
    )
    .exitOverride();
  const first = argv[0];
  const names = first !== undefined && Object.hasOwn(COMMANDS, first) ? [first] : Object.keys(COMMANDS);
  for (const register of await Promise.all(names.map((n) => COMMANDS[n]!()))) register(program);
  for (const cmd of program.commands) cmd.showHelpAfterError(usageLine(cmd));
  return program;
}

/** "usage: goroscope scan [options] [paths...] (see goroscope scan --help)". */
function usageLine(cmd: Command): string {
  const name = cmd.parent ? `goroscope ${cmd.name()}` : 'goroscope';
  return cmd.parent ? `usage: ${name} ${cmd.usage()} (see ${name} --help)` : 'usage: goroscope <command> [options] (see goroscope --help)';
}

/** Commander's "error: ..." message, with its "(Did you mean ...?)" line joined to it. */
function oneLineError(message: string): string {
  return `${message.replace(/^error: /, 'goroscope: ').replace(/\n\(Did you mean (.*)\?\)/, ' (did you mean $1?)').trimEnd()}\n`;
}

export async function main(argv: string[]): Promise<number> {
  let program: Command | null = null;
  try {
    if (argv[0] === 'test' && !argv.includes('--help') && !argv.includes('-h')) {
      // go list, which `test` runs first, takes as long as loading the command line and the
      // command: run it meanwhile (commander is imported after this for that reason).
      (await import('../testrun/plan.js')).prefetchGoList(argv.slice(1));
    }
    program = await buildProgram(argv);
    await program.parseAsync(argv, { from: 'user' });
    return (process.exitCode as number | undefined) ?? 0;
  } catch (err) {
    const { CommanderError } = await import('commander');
    if (err instanceof CommanderError) {
      // --help and --version exit through here with code 0; usage errors were already printed.
      return err.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (err instanceof UserError) {
      process.stderr.write(`goroscope: ${err.message}\n`);
      if (err instanceof UsageError && program) {
        const cmd = program.commands.find((c) => c.name() === argv[0]);
        process.stderr.write(`${usageLine(cmd ?? program)}\n`);
      }
      return EXIT_USAGE;
    }
    const e = err as NodeJS.ErrnoException;
    if (e && typeof e.code === 'string' && typeof e.message === 'string') {
      process.stderr.write(`goroscope: ${e.message}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`goroscope: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    if (process.env.GOROSCOPE_DEBUG) process.stderr.write(`${(e as Error)?.stack ?? ''}\n`);
    return EXIT_USAGE;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
