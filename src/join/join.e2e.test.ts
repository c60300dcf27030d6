// Both kinds of evidence on real Go (issue 16's "done when"): the twoleaks module leaks one
// goroutine group that scan finds (a sender stranded by a timeout) and one it does not (a reader
// whose only sender is a func value kept in a map). It is built with -trimpath in another
// directory and its dump is read against the repository's copy of the source. The repo's dump
// fixture program is built there too, with and without -trimpath and moved into a dotless
// module with a package of its own: every frame of its code must map back to its file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { analyzeDump } from '../dump/analyze/index.js';
import { framePackage } from '../dump/analyze/packages.js';
import type { Dump } from '../dump/model.js';
import { parseDump } from '../dump/parse/index.js';
import { findGo, goEnv, goUnavailable, REPO_ROOT } from '../testing/env.js';
import { copyModuleAs, movePackageMain } from '../testing/module-paths.js';
import { joinSource } from './attach.js';
import { checkoutAt, SourceMapper, type FrameLike } from './sourcemap.js';

const TWOLEAKS = path.join(REPO_ROOT, 'src/join/testdata/twoleaks');
const ALLKINDS = path.join(REPO_ROOT, 'src/dump/fixtures/allkinds');
const CLI = path.join(REPO_ROOT, 'dist/cli/main.js');

/** Builds the module at `dir` into `bin` and runs it; its stdout is a dump. */
function buildAndRun(dir: string, bin: string, trimpath: boolean): string {
  execFileSync(findGo()!, ['build', ...(trimpath ? ['-trimpath'] : []), '-o', bin, '.'], { cwd: dir, env: goEnv(), stdio: 'pipe' });
  const run = spawnSync(bin, { encoding: 'utf8', timeout: 30_000, maxBuffer: 16 << 20 });
  if (run.status !== 0) throw new Error(`${bin} failed: ${run.stderr}`);
  return run.stdout;
}

function framesOf(dump: Dump): FrameLike[] {
  return dump.goroutines.flatMap((g) => [...g.frames, ...(g.createdBy ? [g.createdBy] : [])]);
}

const lineOf = (file: string, text: string) => readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;

const skip = goUnavailable();

describe.skipIf(skip)('runtime and source joined, on programs built elsewhere', () => {
  let tmp = '';
  const cleanup: string[] = [];
  let twoleaksDump = '';
  const allkinds = new Map<string, { dump: Dump; source: string }>();

  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'goroscope-join-'));
    // Another directory than the repository's: the dump must not name the checkout's files.
    const build = path.join(tmp, 'build', 'twoleaks');
    cpSync(TWOLEAKS, build, { recursive: true });
    twoleaksDump = path.join(tmp, 'twoleaks-dump.txt');
    writeFileSync(twoleaksDump, buildAndRun(build, path.join(tmp, 'twoleaks'), true));

    const kinds = path.join(tmp, 'build', 'allkinds');
    cpSync(ALLKINDS, kinds, { recursive: true });
    allkinds.set('built elsewhere', { dump: parseDump(buildAndRun(kinds, path.join(tmp, 'allkinds'), false)), source: ALLKINDS });
    allkinds.set('-trimpath', { dump: parseDump(buildAndRun(kinds, path.join(tmp, 'allkinds-trim'), true)), source: ALLKINDS });
    // Moved into module "shop" with its code in package shop/app: package frames map by directory.
    const moved = copyModuleAs(ALLKINDS, 'shop');
    cleanup.push(path.dirname(moved));
    movePackageMain(moved, '.');
    allkinds.set('-trimpath, dotless module, code in a package', { dump: parseDump(buildAndRun(moved, path.join(tmp, 'allkinds-shop'), true)), source: moved });
  }, 180_000);

  afterAll(() => {
    for (const dir of [tmp, ...cleanup]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("maps every frame of the repo's own test programs back to its file, at a line the file has", () => {
    const dumps: Array<[string, Dump, string]> = [...allkinds].map(([how, r]) => [`allkinds (${how})`, r.dump, r.source]);
    dumps.push(['twoleaks (-trimpath)', parseDump(readFileSync(twoleaksDump, 'utf8')), TWOLEAKS]);
    for (const [name, dump, source] of dumps) {
      const checkout = checkoutAt(source);
      const frames = framesOf(dump);
      const mapper = SourceMapper.forFrames(checkout, frames);
      let own = 0;
      for (const f of frames) {
        const pkg = framePackage({ func: f.func, package: f.package ?? '' });
        const isOwn = pkg === 'main' || pkg === checkout.modulePath || pkg.startsWith(`${checkout.modulePath}/`);
        const local = mapper.map(f);
        if (!isOwn) {
          expect(local, `${name}: ${f.func} ${f.file}`).toBeNull();
          continue;
        }
        own++;
        expect(local, `${name}: ${f.func} ${f.file}`).not.toBeNull();
        expect(path.basename(local!)).toBe(path.basename(f.file));
        expect(readFileSync(local!, 'utf8').split('\n').length, `${name}: ${f.file}:${f.line}`).toBeGreaterThanOrEqual(f.line);
      }
      expect(own, name).toBeGreaterThan(3);
    }
    // The LEAK lines of the fixture are where its groups are blocked.
    const trim = allkinds.get('-trimpath')!.dump;
    const send = trim.goroutines.find((g) => g.frames[0]?.func === 'main.chanSend')!;
    expect(SourceMapper.forFrames(checkoutAt(ALLKINDS), framesOf(trim)).map(send.frames[0]!)).toBe(path.join(ALLKINDS, 'main.go'));
    expect(send.frames[0]!.line).toBe(lineOf(path.join(ALLKINDS, 'main.go'), '// LEAK: chan send'));
  });

  it('dump --source: the scanned leak carries its finding, the other its explanation (library)', async () => {
    const analysis = analyzeDump(parseDump(readFileSync(twoleaksDump, 'utf8')), { idle: true, modulePath: 'twoleaks' });
    const join = await joinSource(analysis, checkoutAt(TWOLEAKS), { cwd: REPO_ROOT });
    const main = path.join(TWOLEAKS, 'main.go');
    const rel = path.relative(REPO_ROOT, main);
    const sender = analysis.groups.find((g) => g.frames[0]?.func === 'main.fetch.func1')!;
    const reader = analysis.groups.find((g) => g.frames[0]?.func === 'main.subscribe.func2')!;
    expect(sender.count).toBe(3);
    const s = join.groups.get(sender)!;
    expect(s.location).toEqual({ file: rel, line: lineOf(main, 'result <- slowCall(release)') });
    expect(s.findings).toEqual([expect.objectContaining({ rule: 'stranded-sender', file: rel, line: s.location!.line, match: 'line' })]);
    expect(s.missedByScan).toBe(false);
    const r = join.groups.get(reader)!;
    expect(r.findings).toEqual([]);
    expect(r.missedByScan).toBe(true);
    expect(r.explanations).toHaveLength(1);
    const e = r.explanations[0]!;
    expect(e.operation).toMatchObject({ kind: 'range', line: lineOf(main, 'for u := range updates') });
    expect(e.identity).toMatchObject({ kind: 'chan', name: 'updates' });
    expect(e.partners).toEqual([expect.objectContaining({ kind: 'send', line: lineOf(main, 'updates <- topic'), releases: true, callback: true })]);
    expect(e.goroutines.map((g) => g.line)).toEqual([lineOf(main, 'handlers[topic] =') + 1]);
    expect(join.mappedFrames).toBe(join.frames);
  });

  it('dump --source (built CLI): text shows both; JSON lists the second as missed by scan', () => {
    const cli = (args: string[]) => spawnSync(process.execPath, [CLI, 'dump', '--idle', ...args], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const text = cli(['--source', 'src/join/testdata/twoleaks', twoleaksDump]);
    expect(text.status).toBe(1);
    expect(text.stdout).toMatch(/finding: +src\/join\/testdata\/twoleaks\/main\.go:28 stranded-sender \(error, at the blocked line\)/);
    expect(text.stdout).toMatch(/missed by scan/);
    expect(text.stdout).toMatch(/\* src\/join\/testdata\/twoleaks\/main\.go:43: send in func literal in subscribe: updates <- topic/);
    const json = cli(['-f', 'json', '--source', 'src/join/testdata/twoleaks', twoleaksDump]);
    expect(json.status).toBe(1);
    const doc = JSON.parse(json.stdout);
    expect(doc.source).toMatchObject({ modulePath: 'twoleaks', missedByScan: [{ count: 1, location: { file: 'src/join/testdata/twoleaks/main.go', line: 45 } }] });
    const missed = doc.groups[doc.source.missedByScan[0].group];
    expect(missed.source.explanations[0].identity.kind).toBe('chan');
    expect(doc.groups.find((g: { count: number }) => g.count === 3).source.findings[0].rule).toBe('stranded-sender');
    const html = cli(['-f', 'html', '--source', 'src/join/testdata/twoleaks', twoleaksDump]);
    expect(html.status).toBe(1);
    expect(html.stdout).toContain('missed by scan: no scan finding at its line');
    // Another module's checkout: said on stderr, the report still written; a bad directory is exit 2.
    const other = cli(['--source', 'src/join/testdata/explain', twoleaksDump]);
    expect(other.status).toBe(1);
    expect(other.stderr).toMatch(/--source: no frame of the suspect groups is in module explainfixture .*is it the program's checkout\?/);
    expect(other.stdout).toMatch(/source: no frame of this group is in explainfixture/);
    const bad = cli(['--source', 'no/such/dir', twoleaksDump]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('goroscope: --source: no/such/dir: not a directory\n');
    // --source alone is the working directory's module; the dump file after it is still an input.
    const here = spawnSync(process.execPath, [CLI, 'dump', '--idle', '--source', twoleaksDump], { cwd: TWOLEAKS, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(here.stdout).toMatch(/finding: +main\.go:28 stranded-sender/);
  });

  it('scan --evidence on the same dump confirms the first finding with the right count (JSON and SARIF)', () => {
    const scan = (args: string[]) => spawnSync(process.execPath, [CLI, 'scan', '--evidence', twoleaksDump, ...args, 'src/join/testdata/twoleaks'], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const json = scan(['-f', 'json']);
    expect(json.status).toBe(1);
    const doc = JSON.parse(json.stdout);
    expect(doc.findings).toHaveLength(1);
    expect(doc.findings[0]).toMatchObject({
      rule: 'stranded-sender',
      severity: 'error',
      line: 28,
      evidence: { confirmed: true, goroutines: 3, entries: [{ source: twoleaksDump, kind: 'dump', goroutines: 3, states: ['chan send'], match: 'line' }] },
    });
    const sarif = JSON.parse(scan(['-f', 'sarif']).stdout);
    expect(sarif.runs[0].results[0].properties).toMatchObject({ tags: ['confirmed'], evidence: { goroutines: 3 } });
    expect(scan([]).stdout).toMatch(/confirmed: 3 goroutines blocked at this line \[chan send\]/);
  });

  it("check: the test item's leaks carry the scan's finding or 'missed by scan', listed in missedByScan", () => {
    const r = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', '--skip', 'load', '--go', findGo()!, './...'], { cwd: TWOLEAKS, encoding: 'utf8', env: goEnv(), timeout: 300_000 });
    expect(r.status, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout);
    const test = report.items.find((i: { id: string }) => i.id === 'test');
    expect(test.details).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^twoleaks: TestFetch leaks 1 goroutine\(s\) in chan send at .*main\.go:28; scan: stranded-sender at main\.go:28$/),
        expect.stringMatching(/^twoleaks: TestSubscribe leaks 1 goroutine\(s\) in chan receive at .*main\.go:45; missed by scan$/),
      ]),
    );
    expect(report.missedByScan).toEqual([
      { package: 'twoleaks', test: 'TestSubscribe', count: 1, location: { file: 'main.go', line: 45 }, explanation: expect.stringMatching(/func values handed out/) },
    ]);
  }, 300_000);

  it('test --source: each leak carries the finding or the explanation (JSON)', () => {
    const r = spawnSync(process.execPath, [CLI, 'test', '--source', '--format', 'json', '--go', findGo()!, './...'], { cwd: TWOLEAKS, encoding: 'utf8', env: goEnv(), timeout: 300_000 });
    expect(r.status, r.stderr).toBe(1);
    const leaks = JSON.parse(r.stdout).packages[0].leaks;
    const fetch = leaks.find((l: { test: string }) => l.test === 'TestFetch');
    const subscribe = leaks.find((l: { test: string }) => l.test === 'TestSubscribe');
    expect(fetch.source).toMatchObject({ location: { file: 'main.go', line: 28 }, findings: [{ rule: 'stranded-sender', match: 'line' }], missedByScan: false });
    expect(subscribe.source).toMatchObject({ location: { file: 'main.go', line: 45 }, findings: [], missedByScan: true, explanations: [{ identity: { name: 'updates' } }] });
    // The same report confirms the scan's finding.
    const reportFile = path.join(tmp, 'test-report.json');
    writeFileSync(reportFile, r.stdout);
    const scan = spawnSync(process.execPath, [CLI, 'scan', '-f', 'json', '--evidence', reportFile, '.'], { cwd: TWOLEAKS, encoding: 'utf8' });
    expect(scan.status, scan.stderr).toBe(1);
    expect(JSON.parse(scan.stdout).findings[0].evidence).toMatchObject({ goroutines: 1, entries: [{ kind: 'test-report', match: 'line', states: ['chan send'] }] });
  }, 300_000);
});
