// `goroscope scan` and `goroscope rules` end to end: the built CLI (so the worker-thread path
// runs, with dist/scan/worker.js), exit codes 0/1/2, formats, config errors.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RULES } from '../rules/registry.js';
import { REPO_ROOT } from '../testing/env.js';
import { cappedWasmMemoryModule, deeplyNestedGo } from '../testing/wasm-memory.js';

const CLI = path.join(REPO_ROOT, 'dist/cli/main.js');
const FIXTURES = path.join(REPO_ROOT, 'src/rules/testdata');

function run(args: string[], cwd = REPO_ROOT) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let tmp: string;

beforeAll(() => {
  // The build may report type errors in files other helpers are editing; it still emits.
  try {
    execFileSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', REPO_ROOT], { stdio: 'pipe' });
  } catch {
    /* checked below */
  }
  if (!existsSync(CLI)) throw new Error(`the build did not produce ${CLI}`);
  tmp = mkdtempSync(path.join(os.tmpdir(), 'goroscope-e2e-'));
  mkdirSync(path.join(tmp, 'clean'), { recursive: true });
  writeFileSync(path.join(tmp, 'go.mod'), 'module example.com/e2e\n\ngo 1.21\n');
  writeFileSync(path.join(tmp, 'clean/clean.go'), 'package clean\n\nfunc Add(a, b int) int { return a + b }\n');
  writeFileSync(path.join(tmp, 'bad.yaml'), 'rules:\n  no-such-rule: on\n');
}, 180_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('goroscope scan (built CLI)', () => {
  it('documents every flag in --help', () => {
    const r = run(['scan', '--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--format', '--output', '--config', '--no-config', '--rules', '--fail-on', '--include-vendor', '--no-tests', '--max-file-size', '--workers', '--allow-errors', '--fix', '--fix-dry-run']) {
      expect(r.stdout).toContain(flag);
    }
  });

  it('exits 0 on clean code', () => {
    const r = run(['scan', './...'], tmp);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^No goroutine leaks found \(2 files in 2 packages|^No goroutine leaks found \(1 file in 1 package/);
    expect(r.code).toBe(0);
  });

  it('exits 2 for a missing path after scanning the rest, with a complete JSON document', () => {
    const r = run(['scan', '--format', 'json', 'nope/...', './clean'], tmp);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout);
    expect(doc.errors).toEqual([{ file: 'nope/...', line: 0, kind: 'path', message: 'cannot scan "nope/...": no such file or directory' }]);
    expect(doc.stats.files).toBe(1);
  });

  it('exits 2 with file and line for a bad config, and for unknown --rules', () => {
    const bad = run(['scan', '--config', 'bad.yaml', './...'], tmp);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.yaml:2: unknown rule "no-such-rule"/);
    expect(bad.stdout).toBe('');
    const rules = run(['scan', '--rules', 'no-such-rule', './...'], tmp);
    expect(rules.code).toBe(2);
    expect(rules.stderr).toMatch(/--rules: unknown rule "no-such-rule"/);
  });

  it('exits 2 for an unwritable --output', () => {
    const r = run(['scan', '--output', path.join(tmp, 'no/such/dir/out.json'), './...'], tmp);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot write/);
  });

  it('checks --output before any work, for scan, dump and diff: one line, exit 2', () => {
    const missingDir = path.join(tmp, 'no/such/dir/out.json');
    // The inputs do not exist either: the output is checked first, so only it is complained about.
    for (const args of [
      ['scan', '--output', missingDir, 'nope/...'],
      ['dump', '--output', missingDir, 'nope.txt'],
      ['diff', '--output', missingDir, 'a.txt', 'b.txt'],
      ['scan', '--output', tmp, 'nope/...'],
    ]) {
      const r = run(args, tmp);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^goroscope: cannot write --output ".*": (directory .* does not exist|it is a directory)\n$/);
    }
  });

  it('survives the parser running out of memory in a worker: one error line, a fresh worker for the rest', () => {
    // The parser's wasm memory is capped (through node --import, which worker threads inherit)
    // so that one deeply nested file exhausts it; the other packages hold real leaks.
    const dir = path.join(tmp, 'oom');
    mkdirSync(path.join(dir, 'deep'), { recursive: true });
    writeFileSync(path.join(dir, 'deep/deep.go'), deeplyNestedGo('deep'));
    for (const name of ['one', 'two']) {
      mkdirSync(path.join(dir, name), { recursive: true });
      writeFileSync(path.join(dir, name, `${name}.go`), readFileSync(path.join(REPO_ROOT, 'examples/timeout/timeout.go'), 'utf8').replace(/^package \w+/m, `package ${name}`));
    }
    const cap = path.join(tmp, 'cap-wasm-memory.mjs');
    writeFileSync(cap, cappedWasmMemoryModule());
    const r = spawnSync(process.execPath, ['--import', pathToFileURL(cap).href, CLI, 'scan', '--no-config', '--format', 'json', '--workers', '1', './...'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(r.stderr).not.toMatch(/Aborted|RuntimeError|\n\s+at /);
    expect(r.status).toBe(2);
    const doc = JSON.parse(r.stdout);
    expect(doc.errors).toHaveLength(1);
    expect(doc.errors[0]).toMatchObject({ file: path.join('deep', 'deep.go'), line: 0, kind: 'internal' });
    expect(doc.errors[0].message).toMatch(/^internal error: the Go parser ran out of memory \(at \d+ MiB of WebAssembly memory\)$/);
    // The worker that failed was replaced: the packages after it were analysed.
    expect(doc.findings.map((f: { file: string; rule: string }) => `${f.file} ${f.rule}`)).toEqual([`${path.join('one', 'one.go')} stranded-sender`, `${path.join('two', 'two.go')} stranded-sender`]);
    expect(r.stderr).toMatch(/^goroscope: deep\/deep\.go: internal error: the Go parser ran out of memory/);
  });

  it('applies --include-vendor, --no-tests and --max-file-size, and survives bad files', () => {
    const dir = path.join(tmp, 'flags');
    mkdirSync(path.join(dir, 'vendor/v'), { recursive: true });
    writeFileSync(path.join(dir, 'a.go'), 'package a\n');
    writeFileSync(path.join(dir, 'a_test.go'), 'package a\n');
    writeFileSync(path.join(dir, 'big.go'), 'package a\n' + '// pad\n'.repeat(400));
    writeFileSync(path.join(dir, 'bin.go'), Buffer.from([0x00, 0x01, 0xff]));
    writeFileSync(path.join(dir, 'broken.go'), 'package a\n\nfunc f() { go g( }\n');
    writeFileSync(path.join(dir, 'vendor/v/v.go'), 'package v\n');
    const r = run(['scan', '--no-config', '--format', 'json', '--include-vendor', '--no-tests', '--max-file-size', '1KiB', '--allow-errors', './...'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.stats).toMatchObject({ files: 5, packages: 2 });
    expect(doc.errors.map((e: { file: string; line: number; message: string }) => `${e.file}:${e.line}: ${e.message.replace(/ \(.*$/, '')}`)).toEqual([
      'big.go:0: file is 2810 bytes, over the size limit of 1024',
      'bin.go:0: binary file',
      'broken.go:3: ' + doc.errors[2].message.replace(/ \(.*$/, ''),
    ]);
    expect(doc.errors[2].message).toMatch(/syntax error/);
  });

  describe('fails closed', () => {
    let dir: string;
    beforeAll(() => {
      dir = path.join(tmp, 'closed');
      mkdirSync(path.join(dir, 'ok'), { recursive: true });
      mkdirSync(path.join(dir, 'bad'), { recursive: true });
      writeFileSync(path.join(dir, 'ok/ok.go'), 'package ok\n');
      writeFileSync(path.join(dir, 'bad/bad.go'), 'package bad\n');
      writeFileSync(path.join(dir, 'bad/big.go'), 'package bad\n' + '// pad\n'.repeat(400));
      writeFileSync(path.join(dir, 'bad/bin.go'), Buffer.from([0x00, 0x01, 0xff]));
      symlinkSync(path.join(dir, 'bad/nowhere.go'), path.join(dir, 'bad/gone.go'));
    });

    it('exits 2 naming each file it could not analyse, with the whole JSON document', () => {
      const r = run(['scan', '--no-config', '--format', 'json', '--max-file-size', '1KiB', './...'], dir);
      expect(r.code).toBe(2);
      const doc = JSON.parse(r.stdout);
      expect(doc.errors.map((e: { file: string; kind: string }) => `${e.file} ${e.kind}`)).toEqual([
        `${path.join('bad', 'big.go')} skipped`,
        `${path.join('bad', 'bin.go')} skipped`,
        `${path.join('bad', 'gone.go')} skipped`,
      ]);
      expect(r.stderr.split('\n')).toEqual([
        `goroscope: ${path.join('bad', 'big.go')}: file is 2812 bytes, over the size limit of 1024 (--max-file-size); skipped`,
        `goroscope: ${path.join('bad', 'bin.go')}: binary file (NUL byte in the first 8 KiB); skipped`,
        `goroscope: ${path.join('bad', 'gone.go')}: cannot read: no such file or directory`,
        'goroscope: 3 files or packages could not be analysed: exit 2; --allow-errors reports them and lets the findings decide',
        '',
      ]);
    });

    it('reports them and lets the findings decide with --allow-errors, in every format', () => {
      const json = run(['scan', '--no-config', '--format', 'json', '--max-file-size', '1KiB', '--allow-errors', './...'], dir);
      expect(json.code).toBe(0);
      expect(json.stderr).toBe('');
      expect(JSON.parse(json.stdout).errors).toHaveLength(3);
      const sarif = run(['scan', '--no-config', '--format', 'sarif', '--max-file-size', '1KiB', '--allow-errors', './...'], dir);
      const invocation = JSON.parse(sarif.stdout).runs[0].invocations[0];
      expect(invocation.executionSuccessful).toBe(false);
      expect(invocation.toolExecutionNotifications.map((n: { level: string }) => n.level)).toEqual(['error', 'error', 'error']);
      const text = run(['scan', '--no-config', '--max-file-size', '1KiB', './...'], dir);
      expect(text.code).toBe(2);
      expect(text.stdout).toContain(`Could not analyse:\n  ${path.join('bad', 'big.go')}: file is 2812 bytes`);
      expect(text.stderr).toBe('goroscope: 3 files or packages could not be analysed (listed above): exit 2; --allow-errors reports them and lets the findings decide\n');
    });

    it('reports a syntax error without failing: the compiler judges syntax, the parser may lag behind Go', () => {
      const syntax = path.join(tmp, 'syntax');
      mkdirSync(syntax, { recursive: true });
      writeFileSync(path.join(syntax, 'broken.go'), 'package a\n\nfunc f() { go g( }\n');
      const r = run(['scan', '--no-config', '--format', 'json', '.'], syntax);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout).errors.map((e: { line: number; kind: string }) => `${e.line} ${e.kind}`)).toEqual(['3 syntax']);
    });

    it('says a path has no Go files and points at ./..., exit 2', () => {
      const root = run(['scan', '--no-config', '--format', 'json', '.'], dir);
      expect(root.code).toBe(2);
      expect(root.stderr).toBe('goroscope: no Go files in "."; a directory argument is one package: use ./... to scan the packages below it\n');
      expect(JSON.parse(root.stdout).errors).toEqual([{ file: '.', line: 0, kind: 'path', message: 'no Go files in "."; a directory argument is one package: use ./... to scan the packages below it' }]);
      const empty = path.join(tmp, 'empty');
      mkdirSync(empty, { recursive: true });
      const none = run(['scan', './...'], empty);
      expect(none.code).toBe(2);
      expect(none.stderr).toMatch(/^goroscope: "\.\/\.\.\." matched no packages: no Go files in it or below it/);
    });
  });

  it('lists the registry with goroscope rules', () => {
    const r = run(['rules']);
    expect(r.code).toBe(0);
    for (const rule of RULES) expect(r.stdout).toContain(rule.meta.id);
    const json = JSON.parse(run(['rules', '--json']).stdout);
    expect(json.map((x: { id: string }) => x.id)).toEqual(RULES.map((x) => x.meta.id));
  });

  // Findings need a real rule; the registry's own fixtures provide code that has findings.
  const withFixtures = RULES.filter((r) => existsSync(path.join(FIXTURES, r.meta.id)));
  describe.skipIf(withFixtures.length === 0)('on rule fixtures', () => {
    const rule = withFixtures[0]!;
    const id = rule.meta.id;
    const target = path.relative(REPO_ROOT, path.join(FIXTURES, id)) + '/...';
    /** One JSON scan of the fixtures, shared by the tests below (each CLI start costs ~1 s). */
    let fixtureScan: ReturnType<typeof run>;
    beforeAll(() => {
      fixtureScan = run(['scan', '--no-config', '--rules', id, '--fail-on', 'info', '--format', 'json', target]);
    });

    it('exits 1 on findings at or above --fail-on, 0 below it', () => {
      const r = fixtureScan;
      expect(r.code).toBe(1);
      const doc = JSON.parse(r.stdout);
      expect(doc.findings.length).toBeGreaterThan(0);
      expect(new Set(doc.findings.map((f: { rule: string }) => f.rule))).toEqual(new Set([id]));
      const above = rule.meta.defaultSeverity === 'error' ? null : 'error';
      if (above) expect(run(['scan', '--no-config', '--rules', id, '--fail-on', above, target]).code).toBe(0);
    });

    it('gives the same findings on worker threads as in-process', () => {
      const all = path.relative(REPO_ROOT, FIXTURES) + '/...';
      const threads = run(['scan', '--no-config', '--rules', withFixtures.map((r) => r.meta.id).join(','), '--format', 'json', '--workers', '2', all]);
      const inline = run(['scan', '--no-config', '--rules', withFixtures.map((r) => r.meta.id).join(','), '--format', 'json', '--workers', '0', all]);
      expect(threads.stderr).toBe('');
      const a = JSON.parse(threads.stdout);
      const b = JSON.parse(inline.stdout);
      expect(a.stats.packages).toBeGreaterThan(1);
      expect(a.findings.length).toBeGreaterThan(0);
      expect(a.findings).toEqual(b.findings);
      expect(a.errors).toEqual(b.errors);
    });

    it('writes SARIF and GitHub annotations, and --output files', () => {
      const out = path.join(tmp, 'out.sarif');
      const r = run(['scan', '--no-config', '--rules', id, '--format', 'sarif', '--output', out, target]);
      expect(r.stdout).toBe('');
      const log = JSON.parse(readFileSync(out, 'utf8'));
      expect(log.version).toBe('2.1.0');
      expect(log.runs[0].results.length).toBeGreaterThan(0);
      expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toMatch(/^src\/rules\/testdata\//);
      const gh = run(['scan', '--no-config', '--rules', id, '--format', 'github', target]);
      expect(gh.stdout.split('\n')[0]).toMatch(new RegExp(`^::(error|warning|notice) file=src/rules/testdata/${id}/.*,line=\\d+,col=\\d+,endLine=\\d+,endColumn=\\d+,title=goroscope ${id}::`));
    });

    it('honours //nolint:goroscope', () => {
      const json = JSON.parse(fixtureScan.stdout);
      const first = json.findings[0];
      // Copy the fixture package, then mark the first finding's line.
      const copy = path.join(tmp, 'nolint');
      mkdirSync(copy, { recursive: true });
      const srcDir = path.dirname(path.join(REPO_ROOT, first.file));
      for (const name of readdirSync(srcDir).filter((n) => n.endsWith('.go'))) writeFileSync(path.join(copy, name), readFileSync(path.join(srcDir, name)));
      const file = path.join(copy, path.basename(first.file));
      const lines = readFileSync(file, 'utf8').split('\n');
      lines[first.line - 1] = lines[first.line - 1]!.replace(/\s*\/\/ want .*$/, '') + ' //nolint:goroscope';
      writeFileSync(file, lines.join('\n'));
      const after = JSON.parse(run(['scan', '--no-config', '--rules', id, '--format', 'json', '.'], copy).stdout);
      const key = (f: { file: string; line: number }) => `${path.basename(f.file)}:${f.line}`;
      expect(after.findings.map(key)).not.toContain(key(first));
    });
  });
});

describe('goroscope scan --fix / --fix-dry-run (built CLI)', () => {
  it('prints the diff and changes nothing in a dry run; --fix applies it, says what it fixed and left, and exits by what is left', () => {
    const dir = path.join(tmp, 'fixme');
    cpSync(path.join(REPO_ROOT, 'src/fix/testdata'), dir, { recursive: true });
    const original = readFileSync(path.join(dir, 'tickerstop/fix.go'), 'utf8');
    const dry = run(['scan', '--fix-dry-run', '--no-config', './tickerstop'], dir);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toMatch(/^--- a\/tickerstop\/fix.go\n\+\+\+ b\/tickerstop\/fix.go\n@@ -9,6 \+9,7 @@\n/);
    expect(dry.stderr).toContain('goroscope: would fix tickerstop/fix.go:11: ticker-not-stopped\n');
    expect(readFileSync(path.join(dir, 'tickerstop/fix.go'), 'utf8')).toBe(original);
    const fixed = run(['scan', '--fix', '--no-config', '-f', 'json', './tickerstop'], dir);
    expect(fixed.stderr).toContain('goroscope: fixed 1 finding in 1 file; 0 with a fix left, 2 with no automatic fix\n');
    expect(readFileSync(path.join(dir, 'tickerstop/fix.go'), 'utf8')).toBe(readFileSync(path.join(dir, 'tickerstop/fix.go.golden'), 'utf8'));
    // The report is a scan of the fixed code: the two findings of nofix.go, exit 1 for them.
    expect(JSON.parse(fixed.stdout).findings.map((f: { file: string; line: number }) => `${f.file}:${f.line}`)).toEqual(['tickerstop/nofix.go:11', 'tickerstop/nofix.go:27']);
    expect(fixed.code).toBe(1);
    expect(run(['scan', '--fix', '--fix-dry-run', './tickerstop'], dir).code).toBe(2);
  });
});
