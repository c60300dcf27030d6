import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIgnored, discover, loadGoSource, PatternError } from './walk.js';

let root: string;
/** A second tree for the tests that need links or empty directories. */
let side: string;

const writeIn = (base: string, rel: string, content: string | Buffer) => {
  const full = path.join(base, rel);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, content);
};
const write = (rel: string, content: string | Buffer) => writeIn(root, rel, content);

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'goroscope-walk-'));
  side = mkdtempSync(path.join(os.tmpdir(), 'goroscope-walk-side-'));
  write('go.mod', 'module example.com/m\n\ngo 1.21\n');
  write('main.go', 'package main\n');
  write('main_test.go', 'package main\n');
  write('notes.txt', 'not go\n');
  write('pkg/a.go', 'package pkg\n');
  write('pkg/sub/b.go', 'package sub\n');
  write('pkg/testdata/skip.go', 'package skip\n');
  write('vendor/v/v.go', 'package v\n');
  write('_x/x.go', 'package x\n');
  write('.hidden/h.go', 'package h\n');
  write('pkg/.dot.go', 'package pkg\n');
  write('pkg/_under.go', 'package pkg\n');
  write('pkg/gen.go', '//go:build ignore\n\npackage main\n');
  write('bin/bin.go', Buffer.from([0x70, 0x61, 0x00, 0x01, 0x02]));
  write('big/big.go', 'package big\n' + '// padding\n'.repeat(200));
  // A loop: loop/self -> loop.
  mkdirSync(path.join(root, 'loop'));
  write('loop/l.go', 'package loop\n');
  symlinkSync(path.join(root, 'loop'), path.join(root, 'loop', 'self'));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(side, { recursive: true, force: true });
});

const rel = (files: string[]) => files.map((f) => f.split(path.sep).join('/')).sort();
const allFiles = (r: ReturnType<typeof discover>) => rel(r.packages.flatMap((p) => p.files.map((f) => f.display)));

describe('discover', () => {
  it('walks ./... like the go tool: skips testdata, vendor, dot and underscore names', () => {
    const r = discover(['./...'], { cwd: root, maxFileSize: 1000 });
    expect(allFiles(r)).toEqual(['bin/bin.go', 'loop/l.go', 'main.go', 'main_test.go', 'pkg/a.go', 'pkg/gen.go', 'pkg/sub/b.go']);
    // big.go is counted but refused for its size.
    expect(r.goFiles).toBe(8);
    expect(r.errors.find((e) => e.file === path.join('big', 'big.go'))?.message).toMatch(/over the size limit of 1000/);
    expect(r.missing).toEqual([]);
  });

  it('does not follow a symlinked directory below an argument, so a loop is no error', () => {
    const r = discover(['./loop/...'], { cwd: root });
    expect(allFiles(r)).toEqual(['loop/l.go']);
    expect(r.errors).toEqual([]);
  });

  describe('symlinks, as the go tool treats them', () => {
    // Beside the shared tree, which the other tests walk whole:
    // links/real/{r.go, sub/s.go, ln.go -> elsewhere/o.go}, links/alias -> real,
    // links/real/sub/up -> .., links/broken/{x.go, gone.go -> nowhere.go}
    let links: string;
    beforeAll(() => {
      links = path.join(side, 'links');
      writeIn(side, 'links/real/r.go', 'package real\n');
      writeIn(side, 'links/real/sub/s.go', 'package sub\n');
      writeIn(side, 'elsewhere/o.go', 'package real\n\nfunc O() {}\n');
      symlinkSync(path.join(side, 'elsewhere/o.go'), path.join(links, 'real/ln.go'));
      symlinkSync(path.join(links, 'real'), path.join(links, 'alias'));
      symlinkSync(path.join(links, 'real'), path.join(links, 'real/sub/up'));
      writeIn(side, 'links/broken/x.go', 'package broken\n');
      symlinkSync(path.join(links, 'broken/nowhere.go'), path.join(links, 'broken/gone.go'));
    });

    it('./... skips symlinked directories and reads symlinked .go files where the link is', () => {
      const r = discover(['./...'], { cwd: links });
      expect(allFiles(r)).toEqual(['broken/x.go', 'real/ln.go', 'real/r.go', 'real/sub/s.go']);
      expect(r.packages.find((p) => p.displayDir === 'real')!.files.map((f) => f.display).sort()).toEqual(['real/ln.go', 'real/r.go'].map(path.normalize));
      // The dangling link claims to be Go source: it is reported, as the go tool fails on it.
      expect(r.errors).toEqual([{ file: path.join('broken', 'gone.go'), line: 0, kind: 'skipped', message: 'cannot read: no such file or directory' }]);
    });

    it('scans a symlinked directory named on the command line, and below it with /...', () => {
      expect(allFiles(discover(['./alias'], { cwd: links }))).toEqual(['alias/ln.go', 'alias/r.go']);
      const r = discover(['./alias/...'], { cwd: links });
      expect(allFiles(r)).toEqual(['alias/ln.go', 'alias/r.go', 'alias/sub/s.go']);
      expect(r.errors).toEqual([]);
    });

    it('takes a file once when two arguments reach it through a link and its target', () => {
      const r = discover(['./alias/...', './real/...', './real/r.go'], { cwd: links });
      expect(allFiles(r)).toEqual(['alias/ln.go', 'alias/r.go', 'alias/sub/s.go']);
      expect(r.errors).toEqual([]);
    });
  });

  it('walks below a directory that an earlier argument listed alone', () => {
    expect(allFiles(discover(['./pkg', './pkg/...'], { cwd: root }))).toEqual(['pkg/a.go', 'pkg/gen.go', 'pkg/sub/b.go']);
  });

  it('says a directory or pattern with no Go files matched nothing, pointing at /...', () => {
    writeIn(side, 'nogo/inner/i.go', 'package inner\n');
    writeIn(side, 'root.go', 'package side\n');
    mkdirSync(path.join(side, 'void'), { recursive: true });
    const r = discover(['nogo', '.', './void/...', 'void'], { cwd: side });
    expect(r.empty).toEqual(['nogo', './void/...', 'void']);
    expect(r.errors).toEqual([
      { file: 'nogo', line: 0, kind: 'path', message: 'no Go files in "nogo"; a directory argument is one package: use nogo/... to scan the packages below it' },
      { file: './void/...', line: 0, kind: 'path', message: '"./void/..." matched no packages: no Go files in it or below it (testdata, vendor and names starting with . or _ are skipped)' },
      { file: 'void', line: 0, kind: 'path', message: 'no Go files in "void"; a directory argument is one package: use void/... to scan the packages below it' },
    ]);
    const dot = discover(['.'], { cwd: path.join(side, 'nogo') });
    expect(dot.errors[0]!.message).toBe('no Go files in "."; a directory argument is one package: use ./... to scan the packages below it');
    // Test files skipped by --no-tests are still Go files: the user chose to leave them out.
    writeIn(side, 'onlytests/x_test.go', 'package x\n');
    expect(discover(['onlytests'], { cwd: side, tests: false }).errors).toEqual([]);
  });

  it('groups files into packages by directory', () => {
    const r = discover(['./...'], { cwd: root });
    const dirs = r.packages.map((p) => p.displayDir.split(path.sep).join('/')).sort();
    expect(dirs).toEqual(['.', 'big', 'bin', 'loop', 'pkg', 'pkg/sub']);
    const pkg = r.packages.find((p) => p.displayDir === 'pkg')!;
    expect(pkg.bytes).toBe(pkg.files.reduce((n, f) => n + f.size, 0));
  });

  it('includes vendor with includeVendor and drops tests with tests: false', () => {
    const r = discover(['./...'], { cwd: root, includeVendor: true, tests: false });
    const files = allFiles(r);
    expect(files).toContain('vendor/v/v.go');
    expect(files).not.toContain('main_test.go');
  });

  it('scans a directory argument as one package and an explicit testdata path', () => {
    expect(allFiles(discover(['pkg'], { cwd: root }))).toEqual(['pkg/a.go', 'pkg/gen.go']);
    expect(allFiles(discover(['pkg/testdata'], { cwd: root }))).toEqual(['pkg/testdata/skip.go']);
    expect(allFiles(discover(['pkg/testdata/skip.go', 'main_test.go'], { cwd: root, tests: false }))).toEqual(['main_test.go', 'pkg/testdata/skip.go']);
  });

  it('shows absolute paths for absolute arguments and dedupes overlapping arguments', () => {
    const r = discover([path.join(root, 'pkg'), path.join(root, 'pkg', 'a.go')], { cwd: '/' });
    expect(r.packages).toHaveLength(1);
    expect(r.packages[0]!.files.map((f) => f.display).sort()).toEqual([path.join(root, 'pkg', 'a.go'), path.join(root, 'pkg', 'gen.go')]);
  });

  it('reports nonexistent paths and keeps scanning the rest', () => {
    const r = discover(['nope/...', 'missing.go', 'pkg'], { cwd: root });
    expect(r.missing).toEqual(['nope/...', 'missing.go']);
    expect(r.errors.map((e) => e.kind)).toEqual(['path', 'path']);
    expect(r.errors.map((e) => e.message)).toEqual([
      'cannot scan "nope/...": no such file or directory',
      'cannot scan "missing.go": no such file or directory',
    ]);
    expect(allFiles(r)).toEqual(['pkg/a.go', 'pkg/gen.go']);
  });

  it('rejects ... in the middle of a pattern', () => {
    expect(() => discover(['./a/.../b'], { cwd: root })).toThrow(PatternError);
  });

  it.skipIf(process.getuid?.() === 0)('reports an unreadable directory', () => {
    write('locked/l.go', 'package locked\n');
    chmodSync(path.join(root, 'locked'), 0o000);
    try {
      const r = discover(['./locked/...'], { cwd: root });
      expect(r.errors[0]!.message).toMatch(/cannot read directory: permission denied/);
    } finally {
      chmodSync(path.join(root, 'locked'), 0o755);
    }
  });
});

describe('loadGoSource', () => {
  it('reads source and decodes invalid UTF-8 lossily', () => {
    write('utf/u.go', Buffer.concat([Buffer.from('package u\n// '), Buffer.from([0xff, 0xfe]), Buffer.from('\n')]));
    const r = loadGoSource(path.join(root, 'utf/u.go'));
    expect(r.kind).toBe('source');
    expect(r.kind === 'source' && r.source).toContain('\ufffd');
  });

  it('refuses binary files, oversized files and missing files with a message', () => {
    expect(loadGoSource(path.join(root, 'bin/bin.go'))).toEqual({ kind: 'error', message: 'binary file (NUL byte in the first 8 KiB); skipped' });
    const big = loadGoSource(path.join(root, 'big/big.go'), 100);
    expect(big.kind === 'error' && big.message).toMatch(/over the size limit of 100/);
    const missing = loadGoSource(path.join(root, 'nope.go'));
    expect(missing).toEqual({ kind: 'error', message: 'cannot read: no such file or directory' });
  });

  it('skips files with an ignore build constraint', () => {
    expect(loadGoSource(path.join(root, 'pkg/gen.go')).kind).toBe('ignored');
  });
});

describe('buildIgnored', () => {
  it.each([
    ['//go:build ignore\n\npackage x\n', true],
    ['// Copyright\n\n//go:build ignore\n// +build ignore\n\npackage x\n', true],
    ['// +build ignore\n\npackage x\n', true],
    ['//go:build ignore && linux\n\npackage x\n', true],
    ['/* header\n   comment */\n//go:build ignore\n\npackage x\n', true],
    ['//go:build !ignore\n\npackage x\n', false],
    ['//go:build linux && !windows\n\npackage x\n', false],
    ['//go:build ignore || linux\n\npackage x\n', false],
    ['// +build linux,ignore darwin\n\npackage x\n', false],
    ['// +build linux,ignore\n\npackage x\n', true],
    ['package x\n\n//go:build ignore\n', false],
    ['//go:build (ignore\n\npackage x\n', false],
    ['package x\n', false],
  ])('%j → %s', (src, ignored) => {
    expect(buildIgnored(src)).toBe(ignored);
  });
});
