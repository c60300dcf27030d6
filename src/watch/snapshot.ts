// Snapshot files: a target's full debug=2 goroutine text, gzipped, named after the target, the
// time and why it was taken. `goroscope dump FILE` reads them as they are.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);

/** A file-name-safe form of a target name (which never holds credentials). */
export function targetSlug(name: string): string {
  return name
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/[^A-Za-z0-9.-]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 80);
}

/** Writes the snapshot and returns its path; a second snapshot in the same millisecond gets a suffix. */
export async function writeSnapshot(dir: string, target: string, at: number, reason: string, text: Buffer): Promise<string> {
  await mkdir(dir, { recursive: true });
  const stamp = new Date(at).toISOString().replace(/[-:]/g, '').replace(/\.(\d+)Z$/, '.$1Z');
  const base = path.join(dir, `${targetSlug(target)}-${stamp}-${reason}`);
  const data = await gzipAsync(text);
  for (let n = 1; ; n++) {
    const file = `${base}${n === 1 ? '' : `-${n}`}.txt.gz`;
    try {
      await writeFile(file, data, { flag: 'wx' });
      return file;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}
