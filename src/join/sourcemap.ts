// Source mapping: which file of a local checkout a dump frame's file is. A dump names files as
// the build machine saw them, and that is rarely where the code is read:
//   - an absolute path on another machine (/srv/build/shop/internal/store/db.go);
//   - a GOPATH path (/go/src/github.com/x/y/pkg/f.go);
//   - the module cache (/home/me/go/pkg/mod/github.com/x/y@v1.2.3/pkg/f.go);
//   - a -trimpath path, which starts with the module path (github.com/x/y/pkg/f.go, shop/main.go);
//   - a Windows path (C:\work\shop\main.go, or with forward slashes).
// A frame maps when its package is the checkout's module (or package main, which a dump names
// without its module) and the file is found in the checkout: by the module path written in the
// file's path, by the package's directory in the module and the file's name, under a build root
// learned from the other frames, or, for package main, by the longest tail of the path that
// names a file of the checkout. Anything else (the standard library, other modules, generated
// files) is not mapped: the caller keeps the frame as it is.
import { statSync } from 'node:fs';
import path from 'node:path';
import { framePackage } from '../dump/analyze/packages.js';
import { findGoMod } from '../gosrc/gomod.js';

/** A local checkout of a module: its root directory (holding go.mod) and its module path. */
export interface SourceCheckout {
  dir: string;
  modulePath: string;
}

/** What mapping reads of a frame: its function (for the package) and its file. */
export interface FrameLike {
  func: string;
  file: string;
  /** The import path when the parser gave it; else it comes from `func`. */
  package?: string;
  line?: number;
}

/** Packages a dump names without their module path: `go build` and `go run file.go` mains. */
const MAIN_PACKAGES = new Set(['main', 'command-line-arguments']);

/** Backslashes as slashes, so one set of rules reads Windows and Unix paths. */
export function normalizeDumpPath(file: string): string {
  return file.replace(/\\/g, '/');
}

export class SourceMapper {
  readonly checkout: SourceCheckout;
  /** Build-machine directories that stand for the checkout's root, learned from frames. */
  private readonly roots = new Set<string>();
  private readonly cache = new Map<string, string | null>();
  private readonly fileCache = new Map<string, boolean>();

  constructor(checkout: SourceCheckout) {
    this.checkout = { dir: path.resolve(checkout.dir), modulePath: checkout.modulePath };
  }

  /** A mapper that has learned the build roots the given frames show (call with every frame of a dump). */
  static forFrames(checkout: SourceCheckout, frames: Iterable<FrameLike>): SourceMapper {
    const m = new SourceMapper(checkout);
    m.learn(frames);
    return m;
  }

  /**
   * Learns where the build machine kept the module: a frame of package `mod/internal/store` in
   * `/srv/build/shop/internal/store/db.go` shows `/srv/build/shop` is the module root, which
   * then places package main's files (`/srv/build/shop/cmd/api/main.go`).
   */
  learn(frames: Iterable<FrameLike>): void {
    for (const f of frames) {
      const rel = this.packageDir(f);
      if (rel === null || rel === '') continue;
      const file = normalizeDumpPath(f.file);
      const tail = `/${rel}/${posixBase(file)}`;
      if (file.endsWith(tail) && this.isFile(path.join(this.checkout.dir, rel, posixBase(file)))) this.roots.add(file.slice(0, -tail.length));
    }
  }

  /** The absolute local path of the frame's file, or null when it is not the checkout's. */
  map(frame: FrameLike): string | null {
    const pkg = framePackage({ func: frame.func, package: frame.package ?? '' });
    const key = `${pkg}\u0000${frame.file}`;
    let out = this.cache.get(key);
    if (out === undefined) {
      out = this.compute(frame, pkg);
      this.cache.set(key, out);
    }
    return out;
  }

  /** The frame's file relative to the checkout's root (slash-separated), or null. */
  relative(frame: FrameLike): string | null {
    const local = this.map(frame);
    return local === null ? null : path.relative(this.checkout.dir, local).split(path.sep).join('/');
  }

  private compute(frame: FrameLike, pkg: string): string | null {
    const isMain = MAIN_PACKAGES.has(pkg);
    const rel = this.packageDir(frame);
    if (rel === null && !isMain) return null;
    const file = normalizeDumpPath(frame.file);
    const base = posixBase(file);
    if (!base.endsWith('.go')) return null;
    // The module path written in the path: GOPATH, module cache, -trimpath.
    for (const rest of this.afterModulePath(file)) {
      const found = this.existing(rest);
      if (found) return found;
    }
    if (rel !== null) {
      const found = this.existing(rel ? `${rel}/${base}` : base);
      if (found) return found;
    }
    for (const root of this.roots) {
      if (file.startsWith(`${root}/`)) {
        const found = this.existing(file.slice(root.length + 1));
        if (found) return found;
      }
    }
    if (isMain) {
      // The longest tail of the path that names a file here: /srv/x/cmd/api/main.go → cmd/api/main.go.
      const parts = file.split('/').filter((p) => p !== '' && !/^[A-Za-z]:$/.test(p));
      for (let i = 0; i < parts.length; i++) {
        const found = this.existing(parts.slice(i).join('/'));
        if (found) return found;
      }
    }
    return null;
  }

  /** The package's directory inside the module ('' for the root package), or null when the package is not the module's. */
  private packageDir(frame: FrameLike): string | null {
    let pkg = framePackage({ func: frame.func, package: frame.package ?? '' });
    // An external test package (`mod/pkg_test`) lives in the package's directory.
    if (pkg.endsWith('_test')) pkg = pkg.slice(0, -'_test'.length);
    const mod = this.checkout.modulePath;
    if (pkg === mod) return '';
    return pkg.startsWith(`${mod}/`) ? pkg.slice(mod.length + 1) : null;
  }

  /** What follows each occurrence of the module path (with an optional @version) as whole segments, last first. */
  private afterModulePath(file: string): string[] {
    const mod = this.checkout.modulePath;
    const out: string[] = [];
    let from = file.length;
    for (;;) {
      const at = file.lastIndexOf(mod, from);
      if (at < 0) break;
      from = at - 1;
      if (at > 0 && file[at - 1] !== '/') {
        if (from < 0) break;
        continue;
      }
      let rest = file.slice(at + mod.length);
      const version = /^@[^/]+/.exec(rest);
      if (version) rest = rest.slice(version[0].length);
      if (rest.startsWith('/') && rest.length > 1) out.push(rest.slice(1));
      if (from < 0) break;
    }
    return out;
  }

  private existing(rel: string): string | null {
    if (rel.split('/').some((p) => p === '..' || p === '')) return null;
    const local = path.join(this.checkout.dir, ...rel.split('/'));
    return this.isFile(local) ? local : null;
  }

  private isFile(p: string): boolean {
    let v = this.fileCache.get(p);
    if (v === undefined) {
      try {
        v = statSync(p, { throwIfNoEntry: false })?.isFile() ?? false;
      } catch {
        v = false;
      }
      this.fileCache.set(p, v);
    }
    return v;
  }
}

function posixBase(file: string): string {
  const i = file.lastIndexOf('/');
  return i < 0 ? file : file.slice(i + 1);
}

/** Thrown when a --source directory cannot serve as a checkout. */
export class SourceError extends Error {}

/** The checkout holding `dir`: the nearest go.mod at or above it, which must name a module. */
export function checkoutAt(dir: string): SourceCheckout {
  const abs = path.resolve(dir);
  const stat = statSync(abs, { throwIfNoEntry: false });
  if (!stat?.isDirectory()) throw new SourceError(`${dir}: not a directory`);
  const mod = findGoMod(abs);
  if (!mod) throw new SourceError(`${dir}: no go.mod at or above it, so its module path is unknown`);
  if (!mod.modulePath) throw new SourceError(`${path.join(mod.dir, 'go.mod')}: no module line`);
  return { dir: mod.dir, modulePath: mod.modulePath };
}
