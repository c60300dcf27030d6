import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertWritableOutput } from './output.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'goroscope-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// root may write anywhere, so a read-only directory proves nothing when the tests run as root.
const asRoot = process.getuid?.() === 0;

describe('assertWritableOutput', () => {
  it('accepts a new file in an existing directory and an existing file, creating nothing', () => {
    expect(() => assertWritableOutput(path.join(dir, 'report.json'))).not.toThrow();
    const existing = path.join(dir, 'old.json');
    writeFileSync(existing, 'x');
    expect(() => assertWritableOutput(existing)).not.toThrow();
  });

  it('rejects a directory, a missing directory, a file as directory, and an empty name', () => {
    expect(() => assertWritableOutput(dir)).toThrow(/is a directory/);
    expect(() => assertWritableOutput(path.join(dir, 'missing', 'r.json'))).toThrow(/the directory .*missing does not exist/);
    writeFileSync(path.join(dir, 'plain'), 'x');
    expect(() => assertWritableOutput(path.join(dir, 'plain', 'r.json'))).toThrow(/plain is not a directory/);
    expect(() => assertWritableOutput('')).toThrow(/needs a file name/);
  });

  it.skipIf(asRoot)(`rejects a directory it cannot write to${asRoot ? ' (skipped: running as root, which may write anywhere)' : ''}`, () => {
    const ro = path.join(dir, 'ro');
    mkdirSync(ro);
    chmodSync(ro, 0o555);
    try {
      expect(() => assertWritableOutput(path.join(ro, 'r.json'))).toThrow(/is not writable/);
    } finally {
      chmodSync(ro, 0o755);
    }
  });
});
