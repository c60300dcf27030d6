// --targets FILE: one target a line, `#` starts a comment, blank lines are ignored. The file is
// read again when it changes, so services can be added and removed while the watch runs.
import { readFile, stat } from 'node:fs/promises';
import { parseTarget, TargetError, type Target } from './target.js';

export interface TargetsFileRead {
  targets: Target[];
  /** "FILE:LINE: message" for each line that is not a target. */
  errors: string[];
}

export function parseTargetsFile(file: string, text: string): TargetsFileRead {
  const targets: Target[] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') return;
    try {
      const t = parseTarget(line);
      if (!seen.has(t.name)) targets.push(t);
      seen.add(t.name);
    } catch (err) {
      errors.push(`${file}:${i + 1}: ${err instanceof TargetError ? err.message : String(err)}`);
    }
  });
  return { targets, errors };
}

/** Watches a targets file by polling its size and modification time (editors replace files, which file watchers miss). */
export class TargetsFile {
  private signature = '';

  constructor(readonly file: string) {}

  /** The file's targets when it changed since the last call (or on the first call), else null. Throws when unreadable. */
  async readIfChanged(): Promise<TargetsFileRead | null> {
    const s = await stat(this.file);
    const signature = `${s.ino}/${s.size}/${s.mtimeMs}`;
    if (signature === this.signature) return null;
    const text = await readFile(this.file, 'utf8');
    this.signature = signature;
    return parseTargetsFile(this.file, text);
  }
}
