// --shake must never change what the code means: instrumented copies of every rule fixture, the
// examples, the corpus and the test modules vet exactly as the originals do (go vet of Go 1.19
// does not read overlay-added files, so the overlay is written out into a copy of the module);
// tests that pass plain pass shaken; the corpus, built instrumented and run shaken, still leaves
// its goroutines exactly at its marked lines; and a sample of the standard library builds and
// passes its tests instrumented.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCorpus } from '../../corpus/marks.js';
import { buildCorpus, runPrograms, runProblems } from '../../corpus/runtime.js';
import { findGo, goEnv, goUnavailable, REPO_ROOT } from '../../testing/env.js';
import { mapLimit } from '../attribute.js';
import { buildShakeOverlay, listShakePackages, type ShakeOverlay } from './overlay.js';
import { shakeEnvironment } from './session.js';

const execFileP = promisify(execFile);
const skip = goUnavailable();
const go = findGo() ?? 'go';
const SHAKEN = shakeEnvironment(7, 0.5);

async function goRun(args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await execFileP(go, args, { cwd, env: goEnv(env), maxBuffer: 64 << 20 });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

/** Every module under a directory (a go.mod each). */
function modules(dir: string): string[] {
  const out: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true });
  if (entries.some((e) => e.name === 'go.mod')) out.push(dir);
  for (const e of entries) if (e.isDirectory()) out.push(...modules(path.join(dir, e.name)));
  return out;
}

describe.skipIf(skip)(`--shake instrumentation keeps the code's meaning${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let work = '';
  let n = 0;
  beforeAll(() => {
    work = mkdtempSync(path.join(os.tmpdir(), 'goroscope-shake-compile-'));
  });
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  async function overlayFor(dir: string, patterns: string[], buildFlags: string[] = []): Promise<ShakeOverlay> {
    const base = path.join(work, `${n++}`, 'overlay.json');
    mkdirSync(path.dirname(base), { recursive: true });
    writeFileSync(base, '{"Replace":{}}');
    return buildShakeOverlay(go, base, await listShakePackages(go, patterns, buildFlags, dir, false), dir);
  }

  /** A copy of the module with the overlay written into it. */
  function materialize(dir: string, overlay: ShakeOverlay): string {
    const copy = path.join(path.dirname(overlay.file), 'copy');
    cpSync(dir, copy, { recursive: true });
    const { Replace } = JSON.parse(readFileSync(overlay.file, 'utf8')) as { Replace: Record<string, string> };
    for (const [original, replacement] of Object.entries(Replace)) writeFileSync(path.join(copy, path.relative(dir, original)), readFileSync(replacement));
    return copy;
  }

  /** go vet's verdict: exit code and its diagnostics as file:line: message (columns move). */
  async function vet(dir: string, flags: string[]): Promise<{ code: number; lines: string[] }> {
    // Read-only modules: -mod=mod would write a `go` line into a fixture's go.mod that has none
    // on purpose (src/rules/testdata/ticker-not-stopped/nogoline), changing the repository.
    const r = await goRun(['vet', ...flags, './...'], dir, { GOFLAGS: '-mod=readonly' });
    const lines = r.out
      .split('\n')
      .filter((l) => /^\S+\.go:\d+/.test(l))
      .map((l) => l.replace(/^(\S+\.go:\d+):\d+:/, '$1:'))
      .sort();
    return { code: r.code, lines };
  }

  it('vets every rule fixture module, the examples, the corpus and the test modules exactly as the originals', async () => {
    const dirs = [
      ...modules(path.join(REPO_ROOT, 'src/rules/testdata')).map((d) => ({ dir: d, flags: [] as string[] })),
      { dir: path.join(REPO_ROOT, 'examples'), flags: [] },
      { dir: path.join(REPO_ROOT, 'src/corpus/testdata'), flags: [] },
      { dir: path.join(REPO_ROOT, 'src/testrun/testdata/shakemod'), flags: [] },
      { dir: path.join(REPO_ROOT, 'src/testrun/testdata/leakymod'), flags: ['-tags', 'leaky'] },
    ];
    expect(dirs.length).toBeGreaterThan(25);
    const problems: string[] = [];
    let sites = 0;
    await mapLimit(dirs, Math.max(2, os.availableParallelism()), async ({ dir, flags }) => {
      const overlay = await overlayFor(dir, ['./...'], flags);
      sites += overlay.sites;
      const [original, shaken] = await Promise.all([vet(dir, flags), vet(materialize(dir, overlay), flags)]);
      const rel = path.relative(REPO_ROOT, dir);
      if (shaken.code !== original.code) problems.push(`${rel}: go vet exits ${shaken.code} instrumented, ${original.code} plain`);
      if (shaken.lines.join('\n') !== original.lines.join('\n')) problems.push(`${rel}: go vet says\n${shaken.lines.join('\n')}\ninstead of\n${original.lines.join('\n')}`);
      if (overlay.skipped.length > 0) problems.push(`${rel}: files not instrumented: ${overlay.skipped.map((s) => `${s.file} (${s.reason})`).join(', ')}`);
    });
    expect(problems).toEqual([]);
    expect(sites).toBeGreaterThan(2000);
  }, 300_000);

  it('compiles in a package that declares its own time, rand, os, runtime, strconv and atomic', async () => {
    const dir = path.join(work, 'clash');
    mkdirSync(path.join(dir, 'p'), { recursive: true });
    writeFileSync(path.join(dir, 'go.mod'), 'module clash\n\ngo 1.19\n');
    writeFileSync(
      path.join(dir, 'p', 'p.go'),
      'package p\n\nimport "sync"\n\nvar time = 1\n\ntype os struct{}\n\nconst runtime = 2\n\nfunc rand() int { return time }\n\nfunc strconv(atomic *sync.Mutex) { atomic.Lock(); atomic.Unlock() }\n\nfunc Send(ch chan int) { ch <- rand() + runtime }\n',
    );
    writeFileSync(path.join(dir, 'p', 'p_test.go'), 'package p\n\nimport "testing"\n\nfunc TestSend(t *testing.T) {\n\tch := make(chan int, 1)\n\tSend(ch)\n\tvar mu sync.Mutex\n\tstrconv(&mu)\n}\n'.replace('import "testing"', 'import (\n\t"sync"\n\t"testing"\n)'));
    const overlay = await overlayFor(dir, ['./...']);
    expect(overlay.sites).toBeGreaterThan(0);
    const r = await goRun(['test', `-overlay=${overlay.file}`, '-vet=off', '-count=1', './...'], dir, SHAKEN);
    expect(r.out).toMatch(/^ok\s+clash\/p/m);
    expect(r.code).toBe(0);
  }, 120_000);

  it('passes the tests instrumented and shaken that pass plain', async () => {
    for (const { dir, pattern } of [
      { dir: path.join(REPO_ROOT, 'src/testrun/testdata/leakymod'), pattern: './...' },
      { dir: path.join(REPO_ROOT, 'src/testrun/testdata/shakemod'), pattern: './calm/' },
    ]) {
      const overlay = await overlayFor(dir, [pattern]);
      const plain = await goRun(['test', '-count=1', pattern], dir);
      const shaken = await goRun(['test', `-overlay=${overlay.file}`, '-vet=off', '-count=1', pattern], dir, SHAKEN);
      const verdicts = (out: string) => out.split('\n').filter((l) => /^(ok|FAIL|---)\s/.test(l)).map((l) => l.replace(/\s+[\d.]+s$/, '').replace(/\s+\(cached\)$/, '')).sort();
      expect(plain.code, plain.out).toBe(0);
      expect(verdicts(shaken.out), shaken.out).toEqual(verdicts(plain.out));
    }
  }, 180_000);

  it('leaves the corpus goroutines blocked exactly at their marked lines, built instrumented and run shaken', async () => {
    const dir = path.join(REPO_ROOT, 'src/corpus/testdata');
    const overlay = await overlayFor(dir, ['./...']);
    const out = path.join(path.dirname(overlay.file), 'bin');
    mkdirSync(out);
    const bin = await buildCorpus(go, out, dir, [`-overlay=${overlay.file}`]);
    const programs = readCorpus();
    const runs = await runPrograms(bin, programs.map((p) => p.name), 16, '1s', SHAKEN);
    const problems = programs.flatMap((p) => runProblems(p, runs.get(p.name)!).map((x) => `${p.name}: ${x}`));
    expect(problems).toEqual([]);
  }, 300_000);

  it('--shake-deps adds the packages of the main module the tested ones import, not their tests and not the standard library', async () => {
    const dir = path.join(REPO_ROOT, 'src/corpus/testdata');
    const pkgs = await listShakePackages(go, ['./cmd/corpus'], [], dir, true);
    const [main, ...deps] = pkgs;
    expect(main).toMatchObject({ importPath: 'corpus/cmd/corpus', tested: true });
    expect(deps.length).toBe(readCorpus().length);
    for (const d of deps) expect(d).toMatchObject({ tested: false, standard: false, testGoFiles: [], xTestGoFiles: [] });
    expect((await listShakePackages(go, ['./cmd/corpus'], [], dir, false)).length).toBe(1);
  }, 60_000);

  it('builds a sample of the standard library instrumented, and its tests pass shaken', async () => {
    // Packages with goroutines, locks and channels that few other packages import (an
    // instrumented package makes everything that imports it build again).
    const sample = ['context', 'container/list', 'database/sql', 'expvar', 'net/rpc', 'os/signal', 'net/http/httptest'];
    const overlay = await overlayFor(work, sample);
    expect(overlay.files).toBeGreaterThan(20);
    const r = await goRun(['test', `-overlay=${overlay.file}`, '-vet=off', '-count=1', '-short', ...sample], work, SHAKEN);
    expect(r.code, r.out).toBe(0);
    expect(r.out.split('\n').filter((l) => l.startsWith('ok ')).length).toBe(sample.length);
  }, 300_000);
});
