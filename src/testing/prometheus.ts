// A real Prometheus server for end-to-end tests: on 127.0.0.1 at a free port, with a temporary
// data directory and the test's config and rule files; read through its HTTP API. Also the
// shipped rules with their windows scaled down, so that a test sees in seconds what the rules
// see in half an hour.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseDuration } from '../cli/units.js';
import { PROMETHEUS } from './env.js';

/** A port that was free a moment ago (the kernel's pick for port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface RunningPrometheus {
  url: string;
  /** GET /api/v1/<path> with the given parameters; the `data` of a successful answer. */
  api<T = unknown>(apiPath: string, params?: Record<string, string>): Promise<T>;
  /** An instant query's result vector. */
  query(query: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>>;
  close(): Promise<void>;
  /** What the server logged (warnings and errors: it runs with --log.level=warn). */
  log(): string;
}

/** Starts Prometheus with `config` (prometheus.yml) and `files` beside it; resolves once ready. */
export async function startPrometheus(config: string, files: Record<string, string> = {}): Promise<RunningPrometheus> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'goroscope-prometheus-'));
  writeFileSync(path.join(dir, 'prometheus.yml'), config);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let log = '';
  const child: ChildProcess = spawn(
    PROMETHEUS,
    [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn', '--storage.tsdb.retention.time=1h'],
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr!.on('data', (c: Buffer) => (log += c.toString()));
  let exited = false;
  child.on('exit', () => (exited = true));
  const close = async () => {
    if (!exited) {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; ; i++) {
    if (exited) {
      await close();
      throw new Error(`prometheus exited at start:\n${log}`);
    }
    try {
      if ((await fetch(`${url}/-/ready`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (i > 300) {
      await close();
      throw new Error(`prometheus not ready after 30 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const api = async <T>(apiPath: string, params: Record<string, string> = {}): Promise<T> => {
    const res = await fetch(`${url}/api/v1/${apiPath}?${new URLSearchParams(params)}`);
    const body = (await res.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`prometheus ${apiPath} ${JSON.stringify(params)}: ${body.error}`);
    return body.data;
  };
  return {
    url,
    api,
    async query(query: string) {
      return (await api<{ result: Array<{ metric: Record<string, string>; value: [number, string] }> }>('query', { query })).result;
    },
    close,
    log: () => log,
  };
}

/**
 * The rules text with every duration of a range (`[7m30s]`), an offset and a `for:` multiplied by
 * `factor` (written in ms), leaving names and annotations alone: the shipped 30m window becomes,
 * say, 16 s with factor 16/1800.
 */
export function scaleRuleDurations(rules: string, factor: number): string {
  const scale = (d: string) => `${Math.max(1, Math.round(parseDuration(d, 'a rule duration') * factor))}ms`;
  return rules
    .replace(/\[((?:\d+(?:ms|s|m|h|d))+)\]/g, (_, d: string) => `[${scale(d)}]`)
    .replace(/offset ((?:\d+(?:ms|s|m|h|d))+)/g, (_, d: string) => `offset ${scale(d)}`)
    .replace(/^(\s*for: )((?:\d+(?:ms|s|m|h|d))+)$/gm, (_, head: string, d: string) => `${head}${scale(d)}`);
}
