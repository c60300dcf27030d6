// The Go service that watch's tests sample (src/watch/testdata/watchsvc), built once per test file,
// and `goroscope watch` started with --serve: the helpers that watch's end-to-end tests, the
// dashboard's browser tests and its benchmark share.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { OverviewJson } from '../watch/serve/web/api-types.js';
import { findGo, goEnv, REPO_ROOT } from './env.js';

const execFileP = promisify(execFile);
export const CLI = path.join(REPO_ROOT, 'dist/cli/main.js');
export const SVC_DIR = path.join(REPO_ROOT, 'src/watch/testdata/watchsvc');

/** The line of main.go that a `// watch-test: MARKER` comment marks (where the leak blocks, its go statement). */
export function markedLine(marker: string): number {
  const lines = readFileSync(path.join(SVC_DIR, 'main.go'), 'utf8').split('\n');
  return lines.findIndex((l) => l.includes(`watch-test: ${marker}`)) + 1;
}

/** Builds watchsvc into `binary` with the Go toolchain the tests use. */
export async function buildWatchsvc(binary: string): Promise<void> {
  await execFileP(findGo()!, ['build', '-o', binary, '.'], { cwd: SVC_DIR, env: goEnv() });
}

export interface Service {
  child: ChildProcess;
  pid: number;
  /** HOST:PORT of its HTTP server ("" without one). */
  addr: string;
}

export async function startService(binary: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Service> {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'inherit'], env });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /watchsvc pid (\d+) listening "([^"]*)"/.exec(out);
      if (m) resolve({ child, pid: Number(m[1]), addr: m[2]! });
    });
    child.on('exit', (code) => reject(new Error(`watchsvc exited with ${code}`)));
  });
}

export interface ServingWatch {
  child: ChildProcess;
  /** The dashboard's base URL, as watch logs it ("goroscope: serving http://..."). */
  url: string;
  /** Standard error so far (log lines). */
  stderr(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `goroscope watch ARGS --serve 127.0.0.1:0` and resolves once it serves. */
export function startServingWatch(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<ServingWatch> {
  const child = spawn(process.execPath, [CLI, 'watch', ...args, '--serve', '127.0.0.1:0'], { env: { ...env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stdout!.resume();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString();
      const m = /goroscope: serving (http:\/\/\S+)/.exec(stderr);
      if (m) {
        resolve({
          child,
          url: m[1]!,
          stderr: () => stderr,
          stop: () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    });
    void exited.then((code) => reject(new Error(`goroscope watch exited with ${code} before serving:\n${stderr}`)));
  });
}

/**
 * Polls the watch's /api/overview until `pick` finds what a test waits for (an alert, say), and
 * fails after `ms` with the watch's log: "no WHAT within N s".
 */
export async function waitForOverview<T>(watch: ServingWatch, pick: (o: OverviewJson) => T | null | undefined, what: string, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = pick((await (await fetch(`${watch.url}/api/overview`)).json()) as OverviewJson);
    if (found !== null && found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`no ${what} within ${ms / 1000} s:\n${watch.stderr()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
