// `goroscope explain` as a user runs it (built CLI): text, JSON, and the exit-2 answers.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../testing/env.js';

const CLI = path.join(REPO_ROOT, 'dist/cli/main.js');
const FILE = 'src/join/testdata/explain/pipeline.go';

function run(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'explain', ...args], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('goroscope explain', () => {
  it('explains a blocked send in text and JSON, exit 0', () => {
    const text = run([`${FILE}:31`]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`${FILE}:31: send on \`p.results\` in Pipeline.work`);
    expect(text.stdout).toContain(`* ${FILE}:36: range (receives until closed) in Pipeline.Collect`);
    const json = run(['-f', 'json', `${FILE}:31`]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ version: 1, file: FILE, line: 31, explanations: [{ operation: { kind: 'send' }, identity: { id: 'F:Pipeline.results' } }] });
  });

  it('exit 2 with one line for a line with nothing to explain, a missing file, or no line number', () => {
    const none = run([`${FILE}:3`]);
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/pipeline\.go:3: no blocking operation on this line/);
    const missing = run(['src/join/testdata/explain/nope.go:3']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.go: no such Go file in its package/);
    const past = run([`${FILE}:9999`]);
    expect(past.code).toBe(2);
    expect(past.stderr).toMatch(/the file has \d+ lines/);
    const bare = run([FILE]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/expected FILE:LINE/);
  });
});
