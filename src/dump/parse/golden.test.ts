// Hand-written inputs for each format variation (testdata/*.txt) against reviewed expected
// models (testdata/*.golden.json). UPDATE_GOLDEN=1 rewrites the expectations: review the diff.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDump, parseDumpStream } from './index.js';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testdata');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

async function* bytesInChunks(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

describe('golden dumps', () => {
  const inputs = readdirSync(DIR).filter((f) => f.endsWith('.txt'));

  it.each(inputs)('%s', async (name) => {
    const input = readFileSync(path.join(DIR, name));
    const dump = parseDump(input);
    // The same text streamed in 3-byte chunks (splitting CRLF and UTF-8) gives the same model.
    expect(await parseDumpStream(bytesInChunks(input, 3))).toEqual(dump);
    const goldenPath = path.join(DIR, name.replace(/\.txt$/, '.golden.json'));
    const actual = JSON.stringify(dump, null, 2) + '\n';
    if (UPDATE) writeFileSync(goldenPath, actual);
    expect(existsSync(goldenPath), `${goldenPath} missing: run with UPDATE_GOLDEN=1`).toBe(true);
    expect(JSON.parse(actual)).toEqual(JSON.parse(readFileSync(goldenPath, 'utf8')));
  });
});
