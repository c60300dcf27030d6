// Test-environment helpers shared by test files: where Go and ../shared are, and whether a
// missing one means "skip" (a developer's machine) or "fail" (CI, where .ci/run installs Go).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED_DIR = path.resolve(REPO_ROOT, '../shared');
export const IN_CI = Boolean(process.env.CI);

/** The go binary to use in tests: $GOROSCOPE_GO, `go` on PATH, or Debian's golang-1.19-go. */
export function findGo(): string | null {
  const candidates = [process.env.GOROSCOPE_GO, 'go', '/usr/lib/go-1.19/bin/go'].filter(Boolean) as string[];
  for (const c of candidates) {
    try {
      execFileSync(c, ['version'], { stdio: 'ignore', env: { ...process.env, GOTOOLCHAIN: 'local' } });
      return c;
    } catch {
      /* try the next one */
    }
  }
  return null;
}

/**
 * Why a Go-dependent test suite cannot run, or null when it can. In CI a missing Go toolchain is
 * an error, not a skip: call requireOrSkip() in a describe block.
 */
export function goUnavailable(): string | null {
  if (findGo()) return null;
  const why = 'no Go toolchain (set GOROSCOPE_GO, put go on PATH, or apt-get install golang-1.19-go)';
  if (IN_CI) throw new Error(`CI requires Go for these tests: ${why}`);
  return why;
}

/** Why the ../shared corpus cannot be used, or null when it is there. */
export function sharedUnavailable(): string | null {
  if (existsSync(path.join(SHARED_DIR, 'testdata'))) return null;
  const why = `../shared is absent (looked in ${SHARED_DIR}); corpus tests skipped`;
  if (IN_CI) throw new Error(`CI requires ../shared: ${why}`);
  return why;
}

/** Environment for running go offline with the standard library only. */
export function goEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, GOTOOLCHAIN: 'local', GOPROXY: 'off', GOFLAGS: '-mod=mod', GO111MODULE: 'on', ...extra };
}

/** The gofmt of the Go toolchain `go` (GOROOT/bin/gofmt), for checking edited code is formatted. */
export function gofmtOf(go: string): string {
  const goroot = execFileSync(go, ['env', 'GOROOT'], { encoding: 'utf8', env: goEnv() }).trim();
  return path.join(goroot, 'bin', 'gofmt');
}

/** The promtool and prometheus binaries of tests: $GOROSCOPE_PROMTOOL/$GOROSCOPE_PROMETHEUS or Debian's. */
export const PROMTOOL = process.env.GOROSCOPE_PROMTOOL ?? '/usr/bin/promtool';
export const PROMETHEUS = process.env.GOROSCOPE_PROMETHEUS ?? '/usr/bin/prometheus';

/**
 * Why tests that run Prometheus's tools cannot run, or null when they can. In CI (where .ci/run
 * installs Debian's prometheus package, which ships both) a missing binary is an error.
 */
export function prometheusUnavailable(binary: string = PROMETHEUS): string | null {
  try {
    execFileSync(binary, ['--version'], { stdio: 'ignore' });
    return null;
  } catch {
    const why = `${binary} cannot be run (apt-get install prometheus, or set GOROSCOPE_PROMETHEUS and GOROSCOPE_PROMTOOL)`;
    if (IN_CI) throw new Error(`CI requires Prometheus for these tests: ${why}`);
    return why;
  }
}

/** prometheusUnavailable() for promtool. */
export function promtoolUnavailable(): string | null {
  return prometheusUnavailable(PROMTOOL);
}
