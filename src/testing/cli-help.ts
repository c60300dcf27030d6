// The built command line as tests run it, and the flags a command's --help lists (each must be
// documented: watch in docs/watch.md, serve in docs/prometheus.md).
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './env.js';

export const CLI = path.join(REPO_ROOT, 'dist/cli/main.js');

/** Runs `goroscope COMMAND ARGS...` (the built CLI) to its end, without colours. */
export function runCommand(command: string, args: readonly string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, command, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
}

/** The long flags `goroscope COMMAND --help` lists, --help itself left out; throws if help fails. */
export function helpFlags(command: string): string[] {
  const help = runCommand(command, ['--help']);
  if (help.status !== 0) throw new Error(`goroscope ${command} --help exited ${help.status}: ${help.stderr}`);
  return [...new Set([...help.stdout.matchAll(/(?:^|\s)(--[a-z][a-z-]+)/g)].map((m) => m[1]!).filter((f) => f !== '--help'))];
}

/** The flags of `goroscope COMMAND --help` that `doc` (a path in the repository) never names as `--flag`. */
export function undocumentedFlags(command: string, doc: string): { flags: string[]; missing: string[] } {
  const flags = helpFlags(command);
  const text = readFileSync(path.join(REPO_ROOT, doc), 'utf8');
  return { flags, missing: flags.filter((f) => !text.includes(`\`${f}`)) };
}
