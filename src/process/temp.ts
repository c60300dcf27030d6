// Temporary directories that are removed however the run ends: by the code that made them when
// it finishes (normally or by an exception), or all at once, synchronously, by an exit that
// cannot wait for that code (a second Ctrl-C).
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const live = new Set<string>();

/** A new directory under the system's temporary directory, named `<prefix>XXXXXX`. */
export async function makeTempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  live.add(dir);
  return dir;
}

export async function removeTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  live.delete(dir);
}

/** Removes every directory made here and not removed yet. */
export function removeAllTempDirs(): void {
  for (const dir of live) rmSync(dir, { recursive: true, force: true });
  live.clear();
}

