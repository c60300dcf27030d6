import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { framePackage } from '../dump/analyze/packages.js';
import { readDumpInput } from '../dump/fetch.js';
import { SHARED_DIR, sharedUnavailable } from '../testing/env.js';
import { checkoutAt, SourceError, SourceMapper, type FrameLike, type SourceCheckout } from './sourcemap.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'goroscope-sourcemap-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A checkout of `modulePath` under the temporary directory holding the given files. */
function checkout(name: string, modulePath: string, files: string[]): SourceCheckout {
  const dir = path.join(tmp, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'go.mod'), `module ${modulePath}\n\ngo 1.19\n`);
  for (const f of files) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), 'package x\n');
  }
  return { dir, modulePath };
}

const frame = (func: string, file: string): FrameLike => ({ func, file });

describe('SourceMapper on path shapes', () => {
  const shop = checkout('shop', 'shop', ['main.go', 'cmd/api/main.go', 'internal/store/db.go', 'internal/store/db_test.go', 'x.go']);
  const gh = checkout('gh', 'github.com/acme/pipe', ['pipe.go', 'stage/stage.go', 'cmd/pipe/main.go']);
  const local = (c: SourceCheckout, rel: string) => path.join(c.dir, rel);

  it('maps a build machine path by the package directory and file name', () => {
    const m = new SourceMapper(shop);
    expect(m.map(frame('shop/internal/store.(*DB).Get', '/srv/build/shop/internal/store/db.go'))).toBe(local(shop, 'internal/store/db.go'));
  });

  it('maps -trimpath paths, which start with the module path, for a dotless module too', () => {
    const m = new SourceMapper(shop);
    expect(m.map(frame('main.main', 'shop/main.go'))).toBe(local(shop, 'main.go'));
    expect(m.map(frame('main.main', 'shop/cmd/api/main.go'))).toBe(local(shop, 'cmd/api/main.go'));
    expect(m.map(frame('shop/internal/store.open', 'shop/internal/store/db.go'))).toBe(local(shop, 'internal/store/db.go'));
  });

  it('maps GOPATH and module cache paths by the module path in them', () => {
    const m = new SourceMapper(gh);
    expect(m.map(frame('main.main', '/go/src/github.com/acme/pipe/cmd/pipe/main.go'))).toBe(local(gh, 'cmd/pipe/main.go'));
    expect(m.map(frame('github.com/acme/pipe/stage.run', '/home/me/go/pkg/mod/github.com/acme/pipe@v1.2.3/stage/stage.go'))).toBe(local(gh, 'stage/stage.go'));
    expect(m.map(frame('github.com/acme/pipe.New.func1', '/root/go/pkg/mod/github.com/acme/pipe@v0.0.0-20240101000000-abcdef123456/pipe.go'))).toBe(local(gh, 'pipe.go'));
  });

  it('maps Windows paths, with backslashes or slashes', () => {
    const m = new SourceMapper(shop);
    expect(m.map(frame('shop/internal/store.open', 'C:\\work\\shop\\internal\\store\\db.go'))).toBe(local(shop, 'internal/store/db.go'));
    expect(m.map(frame('main.main', 'C:/Users/me/src/shop/cmd/api/main.go'))).toBe(local(shop, 'cmd/api/main.go'));
  });

  it('places package main under the build root the module frames show', () => {
    const frames = [frame('shop/internal/store.open', '/b/x/internal/store/db.go'), frame('main.main', '/b/x/main.go')];
    const m = SourceMapper.forFrames(shop, frames);
    expect(m.map(frames[1]!)).toBe(local(shop, 'main.go'));
    // Without the learned root the longest existing tail decides, which also finds it.
    expect(new SourceMapper(shop).map(frame('main.main', '/elsewhere/cmd/api/main.go'))).toBe(local(shop, 'cmd/api/main.go'));
  });

  it('prefers the module path and the learned root over a longer tail that happens to exist', () => {
    // A command directory named like the module (`shop/shop/main.go`) and one named like the build directory (`x/main.go`).
    const odd = checkout('odd', 'shop', ['main.go', 'shop/main.go', 'x/main.go', 'internal/store/db.go']);
    expect(new SourceMapper(odd).map(frame('main.main', 'shop/main.go'))).toBe(local(odd, 'main.go'));
    const frames = [frame('shop/internal/store.open', '/b/x/internal/store/db.go'), frame('main.main', '/b/x/main.go')];
    expect(SourceMapper.forFrames(odd, frames).map(frames[1]!)).toBe(local(odd, 'main.go'));
    // Without the root, the tail decides (and here it is the other command).
    expect(new SourceMapper(odd).map(frames[1]!)).toBe(local(odd, 'x/main.go'));
  });

  it('maps an external test package to its directory', () => {
    const m = new SourceMapper(shop);
    expect(m.map(frame('shop/internal/store_test.TestGet', '/ci/shop/internal/store/db_test.go'))).toBe(local(shop, 'internal/store/db_test.go'));
  });

  it('leaves frames of other modules, the standard library and missing files as they are', () => {
    const m = new SourceMapper(shop);
    expect(m.map(frame('runtime.gopark', '/usr/local/go/src/runtime/proc.go'))).toBeNull();
    expect(m.map(frame('sync.(*WaitGroup).Wait', 'sync/waitgroup.go'))).toBeNull();
    expect(m.map(frame('github.com/other/x.Run', '/go/pkg/mod/github.com/other/x@v1.0.0/x.go'))).toBeNull();
    expect(m.map(frame('shop/internal/store.gen', '/srv/build/shop/internal/store/zz_generated.go'))).toBeNull();
    expect(m.map(frame('main.main', '_cgo_gotypes.go'))).toBeNull();
    // A module path that is only the end of a directory name is not the module.
    expect(new SourceMapper(gh).map(frame('main.main', '/x/notgithub.com/acme/pipe/cmd/pipe/nope.go'))).toBeNull();
    // A package whose path only starts like the module's is another module.
    expect(m.map(frame('shopping/cart.Add', '/srv/shopping/cart/x.go'))).toBeNull();
  });

  it('finds the checkout of a directory through its go.mod, and says what is wrong with a bad one', () => {
    expect(checkoutAt(path.join(gh.dir, 'stage'))).toEqual({ dir: gh.dir, modulePath: 'github.com/acme/pipe' });
    expect(() => checkoutAt(path.join(tmp, 'nope'))).toThrow(SourceError);
    const bare = path.join(tmp, 'bare');
    mkdirSync(bare, { recursive: true });
    writeFileSync(path.join(bare, 'go.mod'), 'go 1.19\n');
    expect(() => checkoutAt(bare)).toThrow(/no module line/);
  });
});

const noShared = sharedUnavailable();

/** Every dump file under a directory of the shared corpus. */
function dumpFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...dumpFiles(p));
    else if (/\.(txt|gz)$/.test(name) && name !== 'GO_VERSION.txt') out.push(p);
  }
  return out;
}

async function framesOf(file: string): Promise<FrameLike[]> {
  const dump = await readDumpInput(file, {});
  const out: FrameLike[] = [];
  for (const g of dump.goroutines) {
    out.push(...g.frames);
    if (g.createdBy) out.push(g.createdBy);
  }
  return out;
}

describe.skipIf(noShared)('SourceMapper on the dump corpora of ../shared', () => {
  let leaky: SourceCheckout;
  let hangtest: SourceCheckout;
  beforeAll(() => {
    // The generated dumps come from module example.com/leaky (main.go at its root) and its test
    // module example.com/hangtest, built in /srv/gopher/leaky/{leaky,hangtest}, some with -trimpath.
    leaky = checkout('leaky', 'example.com/leaky', ['main.go']);
    hangtest = checkout('hangtest', 'example.com/hangtest', ['hang_test.go']);
  });

  it('maps every frame of the generated program back to its file, in every format and Go version, and no other frame', async () => {
    const files = dumpFiles(path.join(SHARED_DIR, 'testdata/dumps/generated'));
    expect(files.length).toBeGreaterThan(40);
    let mapped = 0;
    let trimpath = 0;
    let others = 0;
    for (const file of files) {
      const frames = await framesOf(file);
      const mLeaky = SourceMapper.forFrames(leaky, frames);
      const mHang = SourceMapper.forFrames(hangtest, frames);
      for (const f of frames) {
        const pkg = framePackage({ func: f.func, package: f.package ?? '' });
        const where = `${path.relative(SHARED_DIR, file)}: ${f.func} at ${f.file}`;
        if (pkg === 'main' && f.file.endsWith('_testmain.go')) {
          // go test's generated main: no file of the module.
          expect(mLeaky.map(f), where).toBeNull();
        } else if (pkg === 'main') {
          expect(mLeaky.map(f), where).toBe(path.join(leaky.dir, 'main.go'));
          mapped++;
          if (!f.file.startsWith('/')) trimpath++;
        } else if (pkg === 'example.com/hangtest') {
          expect(mHang.map(f), where).toBe(path.join(hangtest.dir, 'hang_test.go'));
          mapped++;
        } else {
          expect(mLeaky.map(f), where).toBeNull();
          expect(mHang.map(f), where).toBeNull();
          others++;
        }
      }
    }
    expect(mapped).toBeGreaterThan(1000);
    expect(trimpath).toBeGreaterThan(100);
    expect(others).toBeGreaterThan(1000);
  });

  it('maps GOPATH and module cache frames of the external dumps, and leaves a Windows GOROOT frame alone', async () => {
    const ext = path.join(SHARED_DIR, 'testdata/dumps/external');
    const colorable = checkout('colorable', 'github.com/mattn/go-colorable', ['noncolorable.go']);
    const xsys = checkout('xsys', 'golang.org/x/sys', ['unix/zsyscall_linux_amd64.go']);
    const web = await framesOf(path.join(ext, 'maruel-panicparse/extracted-from-source/static_panicweb_L12_const_staticPanicweb.txt'));
    const count = (c: SourceCheckout, frames: FrameLike[], rel: string) => {
      const m = SourceMapper.forFrames(c, frames);
      return frames.filter((f) => m.map(f) === path.join(c.dir, rel)).length;
    };
    expect(count(colorable, web, 'noncolorable.go')).toBeGreaterThan(0);
    expect(count(xsys, web, 'unix/zsyscall_linux_amd64.go')).toBeGreaterThan(0);
    // GOPATH: /gopath/src/github.com/maruel/panicparse/cmd/panicweb/..., package main and others.
    const gopath = '/gopath/src/github.com/maruel/panicparse/';
    const gopathFrames = web.filter((f) => f.file.startsWith(gopath));
    expect(gopathFrames.length).toBeGreaterThan(2);
    const rels = [...new Set(gopathFrames.map((f) => f.file.slice(gopath.length)))];
    const panicparse = checkout('panicparse', 'github.com/maruel/panicparse', rels);
    const m = SourceMapper.forFrames(panicparse, web);
    for (const f of gopathFrames) expect(m.map(f), f.file).toBe(path.join(panicparse.dir, f.file.slice(gopath.length)));
    expect(gopathFrames.some((f) => framePackage({ func: f.func, package: f.package ?? '' }) === 'main')).toBe(true);

    const windows = await framesOf(path.join(ext, 'DataDog-gostackparse/windows.txt'));
    expect(windows.some((f) => f.file.startsWith('C:/'))).toBe(true);
    const shop = checkout('shop2', 'shop', ['pprof.go']);
    for (const f of windows) expect(new SourceMapper(shop).map(f)).toBeNull();
  });
});
