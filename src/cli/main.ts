#!/usr/bin/env node
// The goroscope command line: a thin layer that parses arguments and calls the libraries.
// Each command lives in its own module and registers itself on the program.
import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import { EXIT_USAGE, UserError } from './exit.js';
import { registerScan } from './scan-command.js';
import { registerRules } from './rules-command.js';
import { registerDump } from './dump-command.js';
import { registerDiff } from './diff-command.js';
import { registerTestCommand } from './test-command.js';
import { registerCheckCommand } from './check-command.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('goroscope')
    .description('Find goroutine leaks: static analysis of Go source, goroutine dump analysis, leak checks for go test.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError()
    .exitOverride();
  // Commands register here, one line each.
  registerScan(program);
  registerRules(program);
  registerDump(program);
  registerDiff(program);
  registerTestCommand(program);
  registerCheckCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return (process.exitCode as number | undefined) ?? 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit through here with code 0; usage errors were already printed.
      return err.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (err instanceof UserError) {
      process.stderr.write(`goroscope: ${err.message}\n`);
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
