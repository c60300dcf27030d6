import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from './exit.js';
import { assertWritableOutput } from './output.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'goroscope-output-'));
  mkdirSync(path.join(dir, 'sub'));
  writeFileSync(path.join(dir, 'file.txt'), 'x');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('assertWritableOutput', () => {
  it('accepts a new file in an existing directory and an existing file, creating nothing', () => {
    expect(() => assertWritableOutput(path.join(dir, 'new.json'))).not.toThrow();
    expect(() => assertWritableOutput(path.join(dir, 'file.txt'))).not.toThrow();
  });

  it.each([
    ['a directory', () => path.join(dir, 'sub'), /^cannot write --output ".*sub": it is a directory$/],
    ['a missing directory', () => path.join(dir, 'no/such/out.json'), /^cannot write --output ".*out\.json": directory .*no[/\\]such does not exist$/],
    ['a file as the directory', () => path.join(dir, 'file.txt', 'out.json'), /^cannot write --output ".*out\.json": .*file\.txt is not a directory$/],
    ['an empty path', () => '', /^cannot write --output "": the path is empty$/],
  ])('refuses %s with one line', (_what, target, message) => {
    let error: unknown;
    try {
      assertWritableOutput(target());
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  // root may write anywhere, so the permission check can only be seen as another user.
  it.skipIf(process.getuid?.() === 0)('refuses a directory it cannot write to', () => {
    const locked = path.join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    try {
      expect(() => assertWritableOutput(path.join(locked, 'out.json'))).toThrow(/is not writable/);
    } finally {
      chmodSync(locked, 0o755);
    }
  });
});
