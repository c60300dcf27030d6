// go list started early by the command line (prefetchGoList) is used once, by the goList() call
// with the same arguments, and never for another listing. A stand-in `go` records its calls.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goList, prefetchGoList } from './plan.js';

describe.skipIf(process.platform === 'win32')('prefetchGoList', () => {
  let dir = '';
  let go = '';
  const calls = () => readFileSync(path.join(dir, 'calls'), 'utf8').trim().split('\n').filter(Boolean);
  /** A stand-in go that records its arguments and prints one package whose dir says `tag` and them. */
  const writeGo = (tag: string) => {
    writeFileSync(go, `#!/bin/sh\nargs=$(echo "$*" | tr '\\t' ' ')\necho "$args" >> '${dir}/calls'\nprintf 'example.com/x\\t${tag} %s\\tx\\tx_test.go\\t\\n' "$args"\n`);
    chmodSync(go, 0o755);
  };
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'goroscope-plan-'));
    go = path.join(dir, 'go');
    writeFileSync(path.join(dir, 'calls'), '');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('hands its listing to the first goList() with the same arguments, then lists afresh', async () => {
    writeGo('early');
    prefetchGoList(['--go', go, '-tags', 'leaky', './...'], dir);
    while (calls().length === 0) await new Promise((r) => setTimeout(r, 10));
    writeGo('late');
    const first = await goList(go, ['./...'], ['-tags', 'leaky'], dir);
    expect(first[0]!.dir).toMatch(/^early .*-tags leaky/);
    expect(calls()).toHaveLength(1);
    const second = await goList(go, ['./...'], ['-tags', 'leaky'], dir);
    expect(second[0]!.dir).toMatch(/^late /);
    expect(calls()).toHaveLength(2);
  });

  it('is not used for other arguments, and bad arguments start nothing', async () => {
    writeFileSync(path.join(dir, 'calls'), '');
    writeGo('any');
    prefetchGoList(['--go', go, './a/...'], dir);
    const listed = await goList(go, ['./b/...'], [], dir);
    expect(listed[0]!.dir).toContain('./b/...');
    prefetchGoList(['--go', go, '--settle', 'soon', './...'], dir);
    await goList(go, ['./c/...'], [], dir);
    expect(calls().filter((c) => c.includes('./...'))).toEqual([]);
  });
});
