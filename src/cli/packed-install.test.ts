// The package as a user installs it: `npm pack`, the tarball installed into an empty directory,
// and the installed `goroscope` command run on the bundled examples and a small dump. This
// catches what the tests of dist/ cannot: a runtime file missing from package.json's `files`
// (the rule docs that SARIF embeds, the scan worker), a runtime dependency declared only as a
// devDependency, a broken `bin`.
//
// It packs the dist/ that `npm test` has just built (`--ignore-scripts`: the prepare script would
// rebuild dist/ under the other test files' feet). The install is offline, from the npm cache
// that `npm ci` filled: an empty directory has no lockfile, and resolving version ranges would
// need the registry's package metadata, which `npm ci` does not cache; so the directory gets a
// lockfile made of package-lock.json's runtime entries, which pins the very versions `npm ci`
// fetched, and is installed with `npm ci --offline`.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IN_CI, REPO_ROOT } from '../testing/env.js';

interface PackResult {
  filename: string;
  files: { path: string }[];
}

interface LockEntry {
  dev?: boolean;
  [key: string]: unknown;
}

const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  version: string;
  license: string;
  dependencies: Record<string, string>;
  bin: Record<string, string>;
  engines: Record<string, string>;
};

/** npm with the variables `npm test` exports for its own package left out. */
function npm(args: string[], cwd: string): SpawnSyncReturns<string> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_(package|lifecycle)_|^npm_config_(local_)?prefix$/i.test(k)));
  return spawnSync('npm', args, { cwd, env, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
}

/** A lockfile for a project that depends only on the tarball, from the repository's lockfile. */
function lockfileFor(tarball: string): object {
  const lock = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const spec = `file:${tarball}`;
  const packages: Record<string, unknown> = {
    '': { name: 'goroscope-packed-install', dependencies: { goroscope: spec } },
    'node_modules/goroscope': { version: pkg.version, resolved: spec, license: pkg.license, dependencies: pkg.dependencies, bin: pkg.bin, engines: pkg.engines },
  };
  // The root package's dependencies are hoisted to node_modules/<name> in both trees, so the
  // runtime entries keep their paths.
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (key.startsWith('node_modules/') && !entry.dev) packages[key] = entry;
  }
  return { name: 'goroscope-packed-install', lockfileVersion: 3, requires: true, packages };
}

describe('the packed package, installed into an empty directory', () => {
  let tmp = '';
  let packed: PackResult;
  let bin = '';
  /** Why the installed package cannot be tried here (a developer machine without the cache). */
  let skipReason = '';

  beforeAll(() => {
    if (!existsSync(path.join(REPO_ROOT, 'dist/cli/main.js'))) throw new Error('dist/ is not built: run `npm run build` (npm test does)');
    tmp = mkdtempSync(path.join(os.tmpdir(), 'goroscope-packed-'));
    const pack = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], REPO_ROOT);
    if (pack.status !== 0) throw new Error(`npm pack failed:\n${pack.stderr}`);
    packed = (JSON.parse(pack.stdout) as PackResult[])[0]!;

    const project = path.join(tmp, 'project');
    const tarball = path.relative(project, path.join(tmp, packed.filename));
    mkdirSync(project);
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'goroscope-packed-install', private: true, dependencies: { goroscope: `file:${tarball}` } }));
    writeFileSync(path.join(project, 'package-lock.json'), JSON.stringify(lockfileFor(tarball)));
    // Without the optional better-sqlite3 (watch's native store): building it from source takes
    // minutes, and an install where it cannot build must still give every other command.
    const install = npm(['ci', '--offline', '--omit=optional', '--no-audit', '--no-fund'], project);
    if (install.status !== 0) {
      const output = `${install.stdout}${install.stderr}`;
      if (/ENOTCACHED/.test(output) && !IN_CI) {
        skipReason = `a dependency is not in the npm cache (run npm ci to fill it): ${output.split('\n').find((l) => /request to/.test(l)) ?? 'ENOTCACHED'}`;
        return;
      }
      throw new Error(`npm ci --offline of the packed tarball failed:\n${output}`);
    }
    bin = path.join(project, 'node_modules/.bin/goroscope');
  });
  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  /** Runs the installed command itself (its shebang, its bin link), not main.js through node. */
  function goroscope(args: string[], cwd: string): SpawnSyncReturns<string> {
    return spawnSync(bin, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 });
  }

  it('without the optional better-sqlite3, watch says what is missing and exits 2', (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    const r = goroscope(['watch', '--no-db', '--duration', '1s', 'http://127.0.0.1:9/debug/pprof/goroutine'], tmp);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^goroscope: watch keeps its history in SQLite through better-sqlite3 \(an optional dependency\), which is not installed/);
  });

  it('ships what runs and none of the tests, fixtures, benchmarks or Action', () => {
    const files = packed.files.map((f) => f.path);
    for (const needed of [
      'package.json',
      'README.md',
      'dist/cli/main.js',
      'dist/scan/worker.js',
      'dist/index.js',
      'dist/index.d.ts',
      'docs/rules/stranded-sender.md',
      'docs/json-schema.md',
      'deploy/prometheus/goroscope-rules.yml',
      'deploy/grafana/goroscope-dashboard.json',
      'dist/watch/serve/web/main.js',
      'dist/watch/serve/web/views/target.js',
      'dist/watch/serve/snapshot-worker.js',
    ]) {
      expect(files).toContain(needed);
    }
    const unwanted = files.filter((f) => /(^|\/)(src|testdata|bench|testing|examples|action|scripts)\/|\.test\.|(^|\/)fixtures\.|^action\.yml$|^docs\/images\//.test(f));
    expect(unwanted).toEqual([]);
  });

  it('serves the whole dashboard from the installed files: the page, uPlot, every module it imports', (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    // The installed package's own asset table (what `watch --serve` serves), then every import of
    // the page's modules followed: a file missing from the tarball or a dependency not installed fails.
    const dashboard = path.join(path.dirname(bin), '../goroscope/dist/watch/serve/dashboard.js');
    const script = `
      const { dashboardAssets } = await import(${JSON.stringify(pathToFileURL(dashboard).href)});
      const { page, prefix, assets } = dashboardAssets();
      const html = page.body.toString();
      const wanted = [...html.matchAll(/(?:src|href)="(assets\\/[^"]+)"/g)].map((m) => '/' + m[1]);
      const seen = new Set();
      const missing = [];
      while (wanted.length) {
        const p = wanted.pop();
        if (seen.has(p)) continue;
        seen.add(p);
        const a = assets.get(p);
        if (!a) { missing.push(p); continue; }
        if (p.includes('/app/')) for (const m of a.body.toString().matchAll(/from '(\\.\\.?\\/[^']+)'/g)) wanted.push(new URL(m[1], 'http://x' + p).pathname);
      }
      console.log(JSON.stringify({ status: page.status, prefix, served: [...seen].map((p) => p.slice(prefix.length + 1)).sort(), missing }));
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: tmp, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { status: number; prefix: string; served: string[]; missing: string[] };
    expect(out.status).toBe(200);
    expect(out.missing).toEqual([]);
    expect(out.served).toEqual(expect.arrayContaining(['uPlot.iife.min.js', 'uPlot.min.css', 'icicle.js', 'dashboard.css', 'favicon.svg', 'app/main.js', 'app/views/overview.js', 'app/views/target.js', 'app/views/group.js', 'app/views/snapshot.js', 'app/charts.js']));
  });

  it('prints its version', (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    const r = goroscope(['--version'], tmp);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(pkg.version);
    expect(r.status).toBe(0);
  });

  it('scans the bundled examples: the README\'s nine leaks, exit 1', (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    const r = goroscope(['scan', '--format', 'json', './...'], path.join(REPO_ROOT, 'examples'));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    const result = JSON.parse(r.stdout) as { findings: { severity: string }[]; errors: unknown[] };
    expect(result.errors).toEqual([]);
    expect(result.findings.filter((f) => f.severity === 'error')).toHaveLength(7);
    expect(result.findings.filter((f) => f.severity === 'warning')).toHaveLength(2);
    expect(result.findings).toHaveLength(9);
  });

  it('embeds the shipped rule docs in SARIF', (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    const r = goroscope(['scan', '--format', 'sarif', './timeout'], path.join(REPO_ROOT, 'examples'));
    expect(r.status).toBe(1);
    const rules = JSON.parse(r.stdout).runs[0].tool.driver.rules as { id: string; help?: { markdown: string } }[];
    expect(rules.length).toBeGreaterThan(10);
    expect(rules.filter((rule) => !rule.help?.markdown).map((rule) => rule.id)).toEqual([]);
  });

  it('reads a small dump and reports its leaked goroutines, exit 1', (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    const r = goroscope(['dump', '--format', 'json', path.join(REPO_ROOT, 'src/dump/parse/testdata/leaked_durable_bubble.txt')], tmp);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    const doc = JSON.parse(r.stdout) as { goroutines: number; suspects: { definite: number } };
    expect(doc.goroutines).toBe(5);
    expect(doc.suspects.definite).toBe(2);
  });
});
