// Fixes as edits, end to end on real files: every fix kind's fixture (src/fix/testdata/<kind>:
// fix.go must be fixed into fix.go.golden, nofix.go holds findings no fix may be offered for),
// then examples/. The fixed code must be gofmt-clean, build, pass go vet and its tests, and a
// second run must change nothing.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScan } from '../scan/engine.js';
import type { ScanResult } from '../scan/finding.js';
import { findGo, gofmtOf, goEnv, goUnavailable, REPO_ROOT } from '../testing/env.js';
import { fixFindings } from './run.js';

const FIXTURES = path.join(REPO_ROOT, 'src/fix/testdata');
const KINDS = readdirSync(FIXTURES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'goroscope-fix-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function scanDir(dir: string): Promise<ScanResult> {
  return (await runScan(['./...'], { cwd: dir, config: false, workers: 0 })).result;
}

function copy(from: string, name: string): string {
  const to = path.join(tmp, name);
  cpSync(from, to, { recursive: true });
  return to;
}

describe('fix kinds (src/fix/testdata)', () => {
  let dir: string;
  let before: ScanResult;
  beforeAll(async () => {
    dir = copy(FIXTURES, 'fixtures');
    before = await scanDir(dir);
  });

  it('has a fixture with findings to fix and findings not to fix for each kind', () => {
    expect(KINDS.sort()).toEqual(['buffer', 'defercancel', 'deferdone', 'selectdone', 'tickerstop', 'unlock']);
    for (const kind of KINDS) {
      const fix = before.findings.filter((f) => f.file === path.join(kind, 'fix.go'));
      const nofix = before.findings.filter((f) => f.file === path.join(kind, 'nofix.go'));
      expect(fix.length, kind).toBeGreaterThan(0);
      expect(nofix.length, kind).toBeGreaterThan(0);
      // Every finding of fix.go offers edits, none of nofix.go does.
      expect(fix.filter((f) => f.edits.length === 0).map((f) => `${f.file}:${f.line}`)).toEqual([]);
      expect(nofix.filter((f) => f.edits.length > 0).map((f) => `${f.file}:${f.line}`)).toEqual([]);
    }
  });

  it('a dry run changes nothing and its diff is the fix', () => {
    const report = fixFindings(before, dir, false);
    for (const kind of KINDS) expect(readFileSync(path.join(dir, kind, 'fix.go'), 'utf8')).toBe(readFileSync(path.join(FIXTURES, kind, 'fix.go'), 'utf8'));
    expect(report.left).toEqual([]);
    const patch = report.files.map((f) => f.diff).join('');
    expect(patch).toContain('+\tdefer t.Stop()\n');
    // git apply reads the diff as a patch: applied to a fresh copy it gives the goldens.
    const patched = copy(FIXTURES, 'patched');
    const r = spawnSync('git', ['apply', '-p1', '-'], { cwd: patched, input: patch, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    for (const kind of KINDS) expect(readFileSync(path.join(patched, kind, 'fix.go'), 'utf8'), kind).toBe(readFileSync(path.join(FIXTURES, kind, 'fix.go.golden'), 'utf8'));
  });

  it('--fix turns each fix.go into its golden and leaves nofix.go alone; a second run changes nothing', async () => {
    const report = fixFindings(before, dir, true);
    expect(report.left).toEqual([]);
    expect(report.files.map((f) => f.file).sort()).toEqual(KINDS.map((k) => path.join(k, 'fix.go')).sort());
    for (const kind of KINDS) {
      expect(readFileSync(path.join(dir, kind, 'fix.go'), 'utf8'), kind).toBe(readFileSync(path.join(FIXTURES, kind, 'fix.go.golden'), 'utf8'));
      expect(readFileSync(path.join(dir, kind, 'nofix.go'), 'utf8'), kind).toBe(readFileSync(path.join(FIXTURES, kind, 'nofix.go'), 'utf8'));
    }
    const after = await scanDir(dir);
    expect(after.findings.filter((f) => f.file.endsWith('fix.go') && !f.file.endsWith('nofix.go'))).toEqual([]);
    expect(after.findings.length).toBe(before.findings.filter((f) => f.edits.length === 0).length);
    expect(fixFindings(after, dir, true).files).toEqual([]);
  });

  it('never edits a file that changed since it was scanned', async () => {
    const changed = copy(path.join(FIXTURES), 'changed');
    const result = await scanDir(changed);
    const file = path.join(changed, 'tickerstop', 'fix.go');
    const edited = readFileSync(file, 'utf8').replace('// polls', '// polls every tick');
    writeFileSync(file, edited);
    const report = fixFindings(result, changed, true);
    expect(readFileSync(file, 'utf8')).toBe(edited);
    expect(report.left.map((l) => l.reason)).toEqual([`${path.join('tickerstop', 'fix.go')} changed since it was scanned`]);
    expect(report.files.length).toBe(KINDS.length - 1);
  });
});

const skip = goUnavailable();
describe.skipIf(skip)('fixed code is gofmt-clean, builds and passes go vet and its tests', () => {
  const go = findGo()!;
  const run = (cwd: string, cmd: string, args: string[]) => execFileSync(cmd, args, { cwd, env: goEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  it('fixtures', async () => {
    const dir = copy(FIXTURES, 'built');
    fixFindings(await scanDir(dir), dir, true);
    expect(run(dir, gofmtOf(go), ['-l', '.'])).toBe('');
    run(dir, go, ['build', './...']);
    // nofix.go keeps its leaks, which go vet's lostcancel reports too: vet the fixed files alone.
    for (const kind of KINDS) rmSync(path.join(dir, kind, 'nofix.go'));
    run(dir, go, ['vet', './...']);
  });

  it('examples/: every finding with a fix is gone, the rest stay, and a second --fix changes nothing', async () => {
    const dir = copy(path.join(REPO_ROOT, 'examples'), 'examples');
    const before = await scanDir(dir);
    const fixable = before.findings.filter((f) => f.edits.length > 0);
    expect(fixable.map((f) => f.rule).sort()).toEqual(['lost-cancel', 'stranded-sender', 'stranded-sender', 'ticker-not-stopped', 'waitgroup-done-skipped']);
    const report = fixFindings(before, dir, true);
    expect(report.files.flatMap((f) => f.fixed).length).toBe(fixable.length);
    const after = await scanDir(dir);
    expect(after.findings.map((f) => `${f.rule}@${f.file}`)).toEqual(before.findings.filter((f) => f.edits.length === 0).map((f) => `${f.rule}@${f.file}`));
    expect(fixFindings(after, dir, true).files).toEqual([]);
    expect(run(dir, gofmtOf(go), ['-l', '.'])).toBe('');
    run(dir, go, ['vet', './...']);
    run(dir, go, ['test', './...']);
  });
});
