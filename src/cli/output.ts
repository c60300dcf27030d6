// `--output FILE` is checked before any work starts, so a typo in the path fails at once with
// one line instead of after a long scan or test run whose report would then be lost.
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from './exit.js';

/**
 * Throws a UserError (exit 2, one line) unless a report can be written to `file`: its directory
 * exists and is writable, and the path is not a directory (nor an existing read-only file).
 * Nothing is created: a run that fails later leaves no empty report behind.
 */
export function assertWritableOutput(file: string): void {
  const shown = JSON.stringify(file);
  if (file === '') throw new UserError('cannot write --output "": the path is empty');
  const target = path.resolve(file);
  const existing = statOrNull(target);
  if (existing?.isDirectory()) throw new UserError(`cannot write --output ${shown}: it is a directory`);
  if (existing) {
    if (!writable(target)) throw new UserError(`cannot write --output ${shown}: the file is not writable`);
    return;
  }
  const dir = path.dirname(target);
  const parent = statOrNull(dir);
  if (!parent) throw new UserError(`cannot write --output ${shown}: directory ${dir} does not exist`);
  if (!parent.isDirectory()) throw new UserError(`cannot write --output ${shown}: ${dir} is not a directory`);
  if (!writable(dir)) throw new UserError(`cannot write --output ${shown}: directory ${dir} is not writable`);
}

function statOrNull(p: string) {
  try {
    return statSync(p);
  } catch {
    return null;
  }
}

function writable(p: string): boolean {
  try {
    accessSync(p, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
