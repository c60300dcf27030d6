// The wasm parser failing for real, in this thread: its memory is capped (for this file only;
// vitest gives each test file its own modules, so the parser made here is this file's) and a
// deeply nested expression makes tree-sitter run out of it. The worker-thread path, where a
// fresh worker takes over, is tested end to end in src/cli/e2e.test.ts.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RULES } from '../rules/registry.js';
import { deeplyNestedGo, withCappedWasmMemory } from '../testing/wasm-memory.js';
import { scan } from './engine.js';

let root: string;
let restore: () => void;

beforeAll(() => {
  restore = withCappedWasmMemory();
  root = mkdtempSync(path.join(os.tmpdir(), 'goroscope-parser-failure-'));
  const write = (rel: string, content: string) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  };
  write('go.mod', 'module shop\n\ngo 1.21\n');
  // The largest package is analysed first: the parser breaks before the others.
  write('big/big.go', deeplyNestedGo('big'));
  write('big/small.go', 'package big\n\nfunc G() { go G() }\n');
  write('other/other.go', 'package other\n\nfunc H() { go H() }\n');
});

afterAll(() => {
  restore?.();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('a parser that runs out of memory (in-process)', () => {
  it('is one internal error on its file, with nothing printed, and the rest is reported as not analysed', async () => {
    const stderr = vi.spyOn(process.stderr, 'write');
    const consoleError = vi.spyOn(console, 'error');
    try {
      const result = await scan(['./...'], { cwd: root, ruleSet: RULES, workers: 0, config: false });
      expect(result.errors.map((e) => [e.file, e.kind])).toEqual([
        [path.join('big', 'big.go'), 'internal'],
        ['other', 'internal'],
      ]);
      expect(result.errors[0]!.message).toMatch(/^internal error: the Go parser ran out of memory \(at \d+ MiB of WebAssembly memory\); the other files of package big were not analysed either$/);
      expect(result.errors[1]!.message).toBe(`not analysed: the Go parser stopped working after an internal error in ${path.join('big', 'big.go')} (worker threads, --workers 1 or more, keep such a failure to its own package)`);
      expect(result.stats).toMatchObject({ files: 3, packages: 2 });
      // Emscripten prints "Aborted()" when it gives up: that must not reach the user.
      expect(stderr).not.toHaveBeenCalled();
      expect(consoleError).not.toHaveBeenCalled();
    } finally {
      stderr.mockRestore();
      consoleError.mockRestore();
    }
  });
});
