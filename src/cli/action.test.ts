// The GitHub Action (action.yml + action/index.mjs) run as the runner would: inputs in INPUT_*
// variables, outputs in $GITHUB_OUTPUT, against the bundled example with the built CLI.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
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
