// The harness waits for goroutines that are finishing, as goleak retries, so that making
// `goroscope test` fast never turns a goroutine that ends shortly after the tests into a leak;
// one that never ends is still reported. Package settle of the test module, behind build tags.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findGo, goEnv, goUnavailable, REPO_ROOT } from '../testing/env.js';

const skip = goUnavailable();

function goroscopeTestJson(tags: string) {
  const r = spawnSync(
    process.execPath,
    [path.join(REPO_ROOT, 'dist/cli/main.js'), 'test', '--format', 'json', '--settle', '1s', '--go', findGo()!, '-tags', tags, './settle/'],
    { cwd: path.join(REPO_ROOT, 'src/testrun/testdata/leakymod'), env: goEnv(), encoding: 'utf8' },
  );
  // go test's own output comes first; the report is the last JSON document.
  return { code: r.status, stderr: r.stderr, report: JSON.parse(r.stdout.slice(r.stdout.lastIndexOf('\n{\n') + 1)) };
}

describe.skipIf(skip)(`the settle wait${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('does not report a goroutine that ends 200 ms after the tests', () => {
    const r = goroscopeTestJson('settle');
    expect(r.code, r.stderr).toBe(0);
    expect(r.report.packages).toMatchObject([{ package: 'example.com/leakymod/settle', leaks: [] }]);
  }, 120_000);

  it('reports a goroutine that never ends, and only that one', () => {
    const r = goroscopeTestJson('settle,never');
    expect(r.code, r.stderr).toBe(1);
    const [pkg] = r.report.packages;
    expect(pkg.leaks).toHaveLength(1);
    expect(pkg.leaks[0]).toMatchObject({ test: 'TestWatch', count: 1, state: 'chan receive', location: { func: 'example.com/leakymod/settle.Watch.func1', line: 17 } });
  }, 120_000);
});
