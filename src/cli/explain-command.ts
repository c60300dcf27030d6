// `goroscope explain FILE:LINE`: for a blocking operation (send, receive, range, select, Lock,
// RLock, WaitGroup.Wait, Cond.Wait), the value it waits on by identity, every other operation on
// that value in the package and which could release it, and the goroutines that reach it.
// Exit 0 with an explanation, 2 when there is nothing to explain or the file cannot be read.
import path from 'node:path';
import { Command, Option } from 'commander';
import { explainLine } from '../join/explain.js';
import { renderExplainJson, renderExplainText } from '../join/explain-report.js';
import { LoadError, loadPackage } from '../join/load.js';
import { colorWanted, palette } from '../report/color.js';
import { emit } from './dump-command.js';
import { EXIT_OK, UsageError, UserError } from './exit.js';
import { assertWritableOutput } from './output.js';

interface ExplainFlags {
  format: 'text' | 'json';
  output?: string;
}

/** `pkg/worker.go:42` → file and line. */
export function parseFileLine(arg: string): { file: string; line: number } {
  const m = /^(.+):(\d+)$/.exec(arg);
  if (!m || Number(m[2]) < 1) throw new UsageError(`expected FILE:LINE (for example ./worker.go:42), got ${JSON.stringify(arg)}`);
  return { file: m[1]!, line: Number(m[2]) };
}

export function registerExplain(program: Command): void {
  program
    .command('explain')
    .description('explain a blocking line: the value it waits on, every other operation on that value in the package, and the goroutines that reach it')
    .argument('<file:line>', 'a Go file and the line of a send, receive, range, select, Lock, RLock, WaitGroup.Wait or Cond.Wait')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-o, --output <file>', 'write the explanation to FILE instead of standard output')
    .addHelpText(
      'after',
      `
The package of the file is read whole (every body parsed), with the model the scan uses: the
value is followed through fields, parameters, locals that copy it and same-package calls.
Partners marked * could release the wait (a receive or range for a send, a send or close for a
receive, an Unlock for a Lock, Done for Wait, Signal or Broadcast for Cond.Wait). JSON schema:
docs/json-schema.md.

Exit codes: 0 explained, 2 no blocking operation on that line, or a usage or I/O error.

Examples:
  goroscope explain ./pipeline/stage.go:88
  goroscope explain -f json internal/pool/pool.go:131`,
    )
    .action(async (target: string, flags: ExplainFlags) => {
      if (flags.output) assertWritableOutput(flags.output);
      const { file, line } = parseFileLine(target);
      const cwd = process.cwd();
      if (!file.endsWith('.go')) throw new UserError(`${file}: not a Go file`);
      let loaded;
      try {
        loaded = await loadPackage(path.dirname(file), cwd);
      } catch (err) {
        if (err instanceof LoadError) throw new UserError(err.message);
        throw err;
      }
      for (const problem of loaded.problems) process.stderr.write(`goroscope: ${problem}\n`);
      const wanted = path.resolve(cwd, file);
      const goFile = loaded.pkg.files.find((f) => path.resolve(cwd, f.path) === wanted);
      if (!goFile) throw new UserError(`${file}: no such Go file in its package (missing, or excluded by a //go:build ignore constraint)`);
      const lines = goFile.file.lines.lineCount;
      if (line > lines) throw new UserError(`${file}:${line}: the file has ${lines} lines`);
      const explanations = explainLine(loaded.pkg, goFile.path, line);
      if (explanations.length === 0) {
        throw new UserError(`${file}:${line}: no blocking operation on this line (explain reads a send, receive, range, select, Lock, RLock, WaitGroup.Wait or Cond.Wait written there)`);
      }
      const text =
        flags.format === 'json' ? renderExplainJson(goFile.path, line, explanations) : renderExplainText(explanations, palette(!flags.output && colorWanted(process.stdout)));
      emit(text, flags.output);
      process.exitCode = EXIT_OK;
    });
}
