// `--output FILE` is checked before a command does any work, so a run of several minutes
// (go test, a load check, a large scan) is not lost to a typo in the report's path at the end.
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from './exit.js';

/**
 * Throws a UserError (exit 2) unless `file` can be written as a report: it is not a directory,
 * its directory exists and is a writable directory, and an existing file is writable.
 * Nothing is created or truncated: the report is written whole once it is complete.
 */
export function assertWritableOutput(file: string, flag = '--output'): void {
  if (file.trim() === '') throw new UserError(`${flag} needs a file name`);
  const target = path.resolve(file);
  const existing = statOrNull(target);
  if (existing?.isDirectory()) throw new UserError(`${flag} ${file}: is a directory; name a file to write the report to`);
  const dir = path.dirname(target);
  const parent = statOrNull(dir);
  if (!parent) throw new UserError(`${flag} ${file}: the directory ${dir} does not exist`);
  if (!parent.isDirectory()) throw new UserError(`${flag} ${file}: ${dir} is not a directory`);
  try {
    accessSync(existing ? target : dir, constants.W_OK);
  } catch {
    throw new UserError(`${flag} ${file}: ${existing ? 'the file' : `the directory ${dir}`} is not writable`);
  }
}

function statOrNull(p: string) {
  try {
    return statSync(p);
  } catch {
    return null;
  }
}
