// The standard library of the toolchain at hand, as `go list std` gives it: where goroscope runs
// go anyway (test, check), this is the exact list for the Go that built the program, and its
// GOROOT; the bundled list (dump/analyze/std-packages.ts) stays the fallback.
//
// `go list std` costs about 0.4 s of CPU, more than listing a small module's own packages, and
// its answer only changes when the toolchain does. So it is kept in a small cache file keyed by
// the go binary (its real path, size and modification time) and the environment that can change
// the list; every `goroscope test` after the first reads the file instead of running go.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, realpath, rename, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ToolchainStd } from '../dump/analyze/index.js';
import { goEnvironment } from './plan.js';

const execFileP = promisify(execFile);

/** `go list std` and the GOROOT of `go`; null when go cannot say (the caller still has the bundled list). */
export async function goListStd(go: string, cwd: string, cacheDir: string | null = stdCacheDir()): Promise<ToolchainStd | null> {
  const cacheFile = cacheDir === null ? null : await cacheFileFor(go, cacheDir);
  if (cacheFile) {
    const cached = await readCached(cacheFile);
    if (cached) return cached;
  }
  const listed = await runGoListStd(go, cwd);
  if (listed && cacheFile) await writeCached(cacheFile, listed);
  return listed;
}

async function runGoListStd(go: string, cwd: string): Promise<ToolchainStd | null> {
  try {
    const { stdout } = await execFileP(go, ['list', '-f', '{{.ImportPath}}\t{{.Dir}}', 'std'], { cwd, env: goEnvironment(), maxBuffer: 16 << 20 });
    const packages: string[] = [];
    let goroot: string | null = null;
    for (const line of stdout.split('\n')) {
      const [importPath, dir] = line.split('\t');
      if (!importPath) continue;
      packages.push(importPath);
      if (importPath === 'runtime' && dir) goroot = dir.replace(/[\\/]src[\\/]runtime$/, '').replace(/\\/g, '/');
    }
    return packages.length > 0 ? { packages, goroot } : null;
  } catch {
    return null;
  }
}

/**
 * Where the list is cached: $GOROSCOPE_CACHE_DIR, else the platform's user cache directory
 * (as Go's own build cache chooses it); null when $GOROSCOPE_CACHE_DIR is "off".
 */
export function stdCacheDir(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.GOROSCOPE_CACHE_DIR) return env.GOROSCOPE_CACHE_DIR === 'off' ? null : env.GOROSCOPE_CACHE_DIR;
  if (process.platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(os.homedir(), 'AppData', 'Local'), 'goroscope');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches', 'goroscope');
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'goroscope');
}

/** The variables that can change what `go list std` prints, or which toolchain answers. */
const LIST_ENV = ['GOROOT', 'GOOS', 'GOARCH', 'CGO_ENABLED', 'GOFLAGS', 'GOTOOLCHAIN', 'GOEXPERIMENT'];

/** The cache file for this go binary, or null when the binary cannot be found (go will say why). */
async function cacheFileFor(go: string, cacheDir: string): Promise<string | null> {
  const binary = await locate(go);
  if (!binary) return null;
  try {
    const real = await realpath(binary);
    const st = await stat(real);
    const env = goEnvironment();
    const key = [real, st.size, st.mtimeMs, ...LIST_ENV.map((v) => `${v}=${env[v] ?? ''}`)].join('\n');
    return path.join(cacheDir, `std-${createHash('sha256').update(key).digest('hex').slice(0, 24)}.json`);
  } catch {
    return null;
  }
}

/** The file `go` names: a path as given, a bare name looked up on PATH as the shell would. */
async function locate(go: string): Promise<string | null> {
  if (go.includes('/') || go.includes('\\')) return go;
  const exts = process.platform === 'win32' ? ['.exe', ''] : [''];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = path.join(dir, go + ext);
      try {
        if ((await stat(candidate)).isFile()) return candidate;
      } catch {
        // not in this directory
      }
    }
  }
  return null;
}

async function readCached(file: string): Promise<ToolchainStd | null> {
  try {
    const data = JSON.parse(await readFile(file, 'utf8')) as unknown;
    if (typeof data !== 'object' || data === null) return null;
    const { packages, goroot } = data as Record<string, unknown>;
    if (!Array.isArray(packages) || packages.length === 0 || !packages.every((p) => typeof p === 'string')) return null;
    if (goroot !== null && typeof goroot !== 'string') return null;
    return { packages: packages as string[], goroot };
  } catch {
    return null; // missing or damaged: go list again
  }
}

/** Best effort: a cache that cannot be written only costs the next run its go list. */
async function writeCached(file: string, std: ToolchainStd): Promise<void> {
  try {
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(std));
    await rename(tmp, file);
  } catch {
    // read-only home, full disk: run without the cache
  }
}
