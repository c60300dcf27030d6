// The corpus's marks are checked against real runs: every program is built (one `go build` of
// the corpus module) and run, and its goroutine dump must show exactly the leaks it marks.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findGo, goUnavailable } from '../testing/env.js';
import { readCorpus } from './marks.js';
import { buildCorpus, listPrograms, runPrograms, runProblems, type ProgramRun } from './runtime.js';

const programs = readCorpus();

describe.skipIf(goUnavailable())('corpus programs, run (built with the local Go toolchain)', () => {
  let tmp = '';
  let listed: string[] = [];
  let runs = new Map<string, ProgramRun>();

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'goroscope-corpus-'));
    const bin = await buildCorpus(findGo()!, tmp);
    listed = await listPrograms(bin);
    runs = await runPrograms(bin, programs.map((p) => p.name));
  }, 300_000);

  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('the harness lists exactly the program directories (cmd/corpus/programs.go is complete)', () => {
    expect(listed).toEqual(programs.map((p) => p.name).sort());
  });

  it.each(programs.filter((p) => p.expect === 'leaky').map((p) => [p.name, p] as const))('%s leaves goroutines blocked exactly at its marks', (_name, program) => {
    expect(runProblems(program, runs.get(program.name)!)).toEqual([]);
  });

  it.each(programs.filter((p) => p.expect === 'correct').map((p) => [p.name, p] as const))('%s leaves no goroutine of its own', (_name, program) => {
    expect(runProblems(program, runs.get(program.name)!)).toEqual([]);
  });
});
