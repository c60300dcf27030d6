// The GitHub Action (action.yml + action/index.mjs) run as the runner would: inputs in INPUT_*
// variables, outputs in $GITHUB_OUTPUT, against the bundled example with the built CLI; then
// with a fake goroscope that fails in each way a real one can, and with the action's build
// (npm ci, then scripts/prepare.mjs) in a throwaway checkout.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../testing/env.js';

describe('GitHub Action', () => {
  it('declares a node20 action whose entry exists', () => {
    const yml = readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8');
    expect(yml).toMatch(/using: node20/);
    const main = /main: (\S+)/.exec(yml)![1]!;
    expect(existsSync(path.join(REPO_ROOT, main))).toBe(true);
  });

  it('writes SARIF and annotations for the example and fails on its leaks', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'goroscope-action-'));
    const out = path.join(dir, 'out.txt');
    const sarif = path.join(dir, 'g.sarif');
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'action/index.mjs')], {
      cwd: path.join(REPO_ROOT, 'examples'),
      encoding: 'utf8',
      env: {
        ...process.env,
        GOROSCOPE_ACTION_CLI: path.join(REPO_ROOT, 'dist/cli/main.js'),
        INPUT_COMMAND: 'scan',
        INPUT_PATHS: './...',
        'INPUT_SARIF-FILE': sarif,
        INPUT_ARGS: '',
        GITHUB_OUTPUT: out,
      },
    });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^::(error|warning) file=/m);
    const log = JSON.parse(readFileSync(sarif, 'utf8'));
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0].results.length).toBeGreaterThan(0);
    expect(readFileSync(out, 'utf8')).toContain('exit-code=1');
    rmSync(dir, { recursive: true, force: true });
  });

  it("ignores the repository config's load command and service unless trust-config is true", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'goroscope-action-trust-'));
    mkdirSync(path.join(dir, '.git'));
    writeFileSync(path.join(dir, 'go.mod'), 'module shop\n\ngo 1.19\n');
    writeFileSync(path.join(dir, 'main.go'), 'package main\n\nfunc main() {}\n');
    writeFileSync(path.join(dir, '.goroscope.yaml'), 'check:\n  service: http://127.0.0.1:9/debug/pprof/goroutine\n  load: "touch load-ran"\n');
    const summary = path.join(dir, 'summary.md');
    const runAction = (trust: string) =>
      spawnSync(process.execPath, [path.join(REPO_ROOT, 'action/index.mjs')], {
        cwd: dir,
        encoding: 'utf8',
        env: {
          ...process.env,
          GOROSCOPE_ACTION_CLI: path.join(REPO_ROOT, 'dist/cli/main.js'),
          INPUT_COMMAND: 'check',
          INPUT_ARGS: '--skip scan,test',
          'INPUT_SARIF-FILE': path.join(dir, 'g.sarif'),
          'INPUT_TRUST-CONFIG': trust,
          GITHUB_STEP_SUMMARY: summary,
        },
      });
    try {
      const untrusted = runAction('false');
      expect(untrusted.status, untrusted.stderr).toBe(0);
      expect(readFileSync(summary, 'utf8')).toMatch(/check\.service .* and check\.load .* ignored: a repository's \.goroscope\.yaml is not trusted/);
      // Trusted, the config's service is read (and found down): the check is attempted.
      const trusted = runAction('true');
      expect(trusted.status).toBe(2);
      expect(trusted.stderr).toMatch(/cannot read the goroutine profile at http:\/\/127\.0\.0\.1:9/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails the step, naming the file, when scan cannot analyse one', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'goroscope-action-'));
    writeFileSync(path.join(dir, 'go.mod'), 'module shop\n');
    writeFileSync(path.join(dir, 'ok.go'), 'package shop\n');
    symlinkSync(path.join(dir, 'nowhere.go'), path.join(dir, 'gone.go'));
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'action/index.mjs')], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, GOROSCOPE_ACTION_CLI: path.join(REPO_ROOT, 'dist/cli/main.js'), INPUT_COMMAND: 'scan', 'INPUT_SARIF-FILE': path.join(dir, 'g.sarif'), GITHUB_OUTPUT: path.join(dir, 'out.txt') },
    });
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('::error file=gone.go,title=goroscope could not analyse this file::cannot read: no such file or directory');
    expect(r.stdout).not.toMatch(/found goroutine leaks|could not run/);
    expect(r.stderr).toContain('goroscope: gone.go: cannot read: no such file or directory');
    rmSync(dir, { recursive: true, force: true });
  });

  it('rejects an unknown command input', () => {
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'action/index.mjs')], { encoding: 'utf8', env: { ...process.env, INPUT_COMMAND: 'lint' } });
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('::error title=goroscope::input command must be scan or check');
  });
});

/**
 * A stand-in for dist/cli/main.js whose behaviour FAKE_GOROSCOPE chooses: by default it writes
 * an empty SARIF log when given --output, prints one annotation or checklist, and exits 0.
 */
const FAKE_CLI = `import { writeFileSync } from 'node:fs';
const args = process.argv.slice(2);
const mode = process.env.FAKE_GOROSCOPE ?? '';
const output = args.indexOf('--output');
if (mode === 'exit2') {
  process.stderr.write('goroscope: no Go files in .\\n');
  process.exit(2);
}
if (mode === 'crash') throw new Error('boom');
if (mode === 'killed') process.kill(process.pid, 'SIGKILL');
if (mode === 'no-sarif') process.exit(1);
if (mode === 'not-sarif' && output >= 0) {
  writeFileSync(args[output + 1], 'not json');
  process.exit(1);
}
if (output >= 0) writeFileSync(args[output + 1], JSON.stringify({ version: '2.1.0', runs: [{ results: [] }] }));
if (args[0] === 'check' && mode === 'check-crash') process.exit(1);
if (args[0] === 'check') process.stdout.write('## goroscope check\\n');
process.exit(0);
`;

interface ActionRun {
  status: number | null;
  stdout: string;
  /** What the action wrote to $GITHUB_OUTPUT. */
  outputs: string;
}

describe('GitHub Action when goroscope fails', () => {
  let tmp = '';
  let fake = '';
  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'goroscope-action-fail-'));
    fake = path.join(tmp, 'fake-goroscope.mjs');
    writeFileSync(fake, FAKE_CLI);
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  function runAction(name: string, env: Record<string, string>): ActionRun & { sarif: string } {
    const dir = mkdtempSync(path.join(tmp, `${name}-`));
    const sarif = path.join(dir, 'g.sarif');
    const outputs = path.join(dir, 'outputs.txt');
    writeFileSync(outputs, '');
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'action/index.mjs')], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, GOROSCOPE_ACTION_CLI: fake, INPUT_COMMAND: 'scan', 'INPUT_SARIF-FILE': sarif, GITHUB_OUTPUT: outputs, ...env },
    });
    return { status: r.status, stdout: r.stdout, outputs: readFileSync(outputs, 'utf8'), sarif };
  }

  /** The step failed as "goroscope did not run", with `message` in its one error annotation. */
  function expectRunFailure(run: ActionRun, message: RegExp): void {
    expect(run.status).toBe(2);
    const errors = run.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
    expect(run.stdout).not.toContain('found goroutine leaks');
    expect(run.outputs).toContain('exit-code=2');
  }

  it('succeeds when the fake goroscope behaves (the baseline the failures differ from)', () => {
    const run = runAction('ok', {});
    expect(run.status).toBe(0);
    expect(run.stdout).not.toContain('::error');
    expect(run.outputs).toContain(`sarif-file=${run.sarif}`);
    expect(run.outputs).toContain('exit-code=0');
  });

  it('fails with goroscope\'s exit code 2, not as leaks, and points at no SARIF', () => {
    const run = runAction('exit2', { FAKE_GOROSCOPE: 'exit2' });
    expectRunFailure(run, /::error title=goroscope::goroscope scan exited 2 \(usage or I\/O error\)/);
    expect(run.outputs).not.toContain('sarif-file=');
  });

  it('fails when goroscope crashes with an uncaught exception (Node exits 1, no SARIF written)', () => {
    const run = runAction('crash', { FAKE_GOROSCOPE: 'crash' });
    expectRunFailure(run, /goroscope scan exited 1 without writing a readable SARIF report to .*g\.sarif \(ENOENT\)/);
    expect(run.outputs).not.toContain('sarif-file=');
  });

  it('fails when goroscope is killed', () => {
    expectRunFailure(runAction('killed', { FAKE_GOROSCOPE: 'killed' }), /goroscope scan was killed by SIGKILL/);
  });

  it('fails when the scan exits 1 without its SARIF file, even with a stale one left from an earlier step', () => {
    const dir = mkdtempSync(path.join(tmp, 'stale-'));
    const stale = path.join(dir, 'old.sarif');
    writeFileSync(stale, JSON.stringify({ version: '2.1.0', runs: [{ results: [] }] }));
    const run = runAction('no-sarif', { FAKE_GOROSCOPE: 'no-sarif', 'INPUT_SARIF-FILE': stale });
    expectRunFailure(run, /goroscope scan exited 1 without writing a readable SARIF report to .*old\.sarif/);
    expect(existsSync(stale)).toBe(false);
    expect(run.outputs).not.toContain('sarif-file=');
  });

  it('fails when the SARIF file is not a SARIF log', () => {
    expectRunFailure(runAction('not-sarif', { FAKE_GOROSCOPE: 'not-sarif' }), /goroscope scan exited 1 without writing a readable SARIF report/);
  });

  it('fails when check exits 1 with no checklist on stdout', () => {
    const run = runAction('check-crash', { FAKE_GOROSCOPE: 'check-crash', INPUT_COMMAND: 'check' });
    expectRunFailure(run, /goroscope check exited 1 without writing its report/);
    expect(run.stdout).not.toContain('goroscope check failed');
  });

  it('fails when goroscope cannot be started', () => {
    const run = runAction('missing', { GOROSCOPE_ACTION_CLI: path.join(tmp, 'no-such-main.js') });
    expectRunFailure(run, /goroscope scan exited 1 without writing a readable SARIF report/);
  });

  it('warns that the removed version input no longer selects anything', () => {
    const run = runAction('version', { INPUT_VERSION: '0.1.0' });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('::warning title=goroscope::the version input is gone');
  });
});

describe('GitHub Action building goroscope in its own checkout', () => {
  let tmp = '';
  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'goroscope-action-build-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  /**
   * A throwaway checkout: action/index.mjs, a package.json, and optionally a lockfile with no
   * dependencies (so npm ci needs no network) and a scripts/prepare.mjs.
   */
  function checkout(name: string, files: { lockfile: boolean; prepare?: string }): string {
    const root = path.join(tmp, name);
    mkdirSync(path.join(root, 'action'), { recursive: true });
    copyFileSync(path.join(REPO_ROOT, 'action/index.mjs'), path.join(root, 'action/index.mjs'));
    const pkg = { name: 'goroscope', version: '0.0.0', private: true };
    writeFileSync(path.join(root, 'package.json'), JSON.stringify(pkg));
    if (files.lockfile) writeFileSync(path.join(root, 'package-lock.json'), JSON.stringify({ ...pkg, lockfileVersion: 3, requires: true, packages: { '': pkg } }));
    if (files.prepare !== undefined) {
      mkdirSync(path.join(root, 'scripts'));
      writeFileSync(path.join(root, 'scripts/prepare.mjs'), files.prepare);
    }
    return root;
  }

  function runAction(root: string): ActionRun {
    const outputs = path.join(root, 'outputs.txt');
    writeFileSync(outputs, '');
    const env: NodeJS.ProcessEnv = { ...process.env, INPUT_COMMAND: 'scan', 'INPUT_SARIF-FILE': path.join(root, 'g.sarif'), GITHUB_OUTPUT: outputs, npm_config_offline: 'true' };
    delete env.GOROSCOPE_ACTION_CLI;
    const r = spawnSync(process.execPath, [path.join(root, 'action/index.mjs')], { cwd: root, encoding: 'utf8', env });
    return { status: r.status, stdout: r.stdout, outputs: readFileSync(outputs, 'utf8') };
  }

  it('builds once with npm ci and the prepare script, then runs the built CLI', () => {
    const prepare = `import { mkdirSync, writeFileSync } from 'node:fs';\nmkdirSync('dist/cli', { recursive: true });\nwriteFileSync('dist/cli/main.js', ${JSON.stringify(FAKE_CLI)});\n`;
    const root = checkout('ok', { lockfile: true, prepare });
    const first = runAction(root);
    expect(first.stdout).toContain('::group::goroscope: npm ci');
    expect(first.stdout).not.toContain('::error');
    expect(first.status).toBe(0);
    expect(first.outputs).toContain('exit-code=0');
    const second = runAction(root);
    expect(second.stdout).not.toContain('::group::');
    expect(second.status).toBe(0);
  });

  it('never runs npm ci through a symbolic link to another tree\'s node_modules', () => {
    const root = checkout('linked', { lockfile: true });
    const shared = path.join(tmp, 'shared-node_modules');
    mkdirSync(shared);
    writeFileSync(path.join(shared, 'keep.txt'), 'another tree\'s dependency');
    symlinkSync(shared, path.join(root, 'node_modules'));
    const unbuilt = runAction(root);
    expect(unbuilt.status).toBe(2);
    expect(unbuilt.stdout).toMatch(/^::error title=goroscope::goroscope is not built in .*, and its node_modules is a symbolic link/m);
    mkdirSync(path.join(root, 'dist/cli'), { recursive: true });
    writeFileSync(path.join(root, 'dist/cli/main.js'), FAKE_CLI);
    const built = runAction(root);
    expect(built.stdout).not.toContain('::group::');
    expect(built.status).toBe(0);
    expect(readdirSync(shared)).toEqual(['keep.txt']);
  });

  it('fails with npm\'s error when npm ci cannot install', () => {
    const run = runAction(checkout('no-lockfile', { lockfile: false }));
    expect(run.status).toBe(2);
    expect(run.stdout).toMatch(/^::error title=goroscope::could not build goroscope in .*: npm ci exited 1%0A.*package-lock/m);
    expect(run.stdout).not.toContain('found goroutine leaks');
    expect(run.outputs).toBe('exit-code=2\n');
  });

  it('fails when the build fails', () => {
    const run = runAction(checkout('tsc-error', { lockfile: true, prepare: "console.error('src/x.ts(1,7): error TS2322: Type string is not assignable to type number.');\nprocess.exit(2);\n" }));
    expect(run.status).toBe(2);
    expect(run.stdout).toMatch(/^::error title=goroscope::could not build goroscope in .*: build exited 2%0Asrc\/x\.ts\(1,7\): error TS2322/m);
    expect(run.outputs).toBe('exit-code=2\n');
  });

  it('fails when the build leaves no dist/cli/main.js', () => {
    const run = runAction(checkout('no-dist', { lockfile: true, prepare: '' }));
    expect(run.status).toBe(2);
    expect(run.stdout).toMatch(/^::error title=goroscope::could not build goroscope in .*: the build finished without dist\/cli\/main\.js$/m);
  });
});
