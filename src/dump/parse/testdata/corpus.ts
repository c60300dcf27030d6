// Test helper: every dump file the differential tests compare on, the shared corpus (when
// ../shared is there) and this directory's hand-written inputs.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SHARED_DIR, sharedUnavailable } from '../../../testing/env.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? listFiles(p) : [p];
  });
}

/** Dump files (text and gzipped protobuf), sorted, as paths. */
export function corpusFiles(): string[] {
  const dirs = [HERE, ...(sharedUnavailable() ? [] : [path.join(SHARED_DIR, 'testdata/dumps')])];
  return dirs
    .flatMap(listFiles)
    .filter((f) => /\.(txt|pb\.gz)$/.test(f) && !/GO_VERSION|README|MANIFEST/.test(f))
    .sort();
}

/** A short name for test titles. */
export function corpusName(file: string): string {
  const shared = path.join(SHARED_DIR, 'testdata/dumps');
  return file.startsWith(shared) ? path.relative(shared, file) : path.relative(HERE, file);
}
