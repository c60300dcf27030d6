// The gops agent's protocol (github.com/google/gops): connect over TCP, send one command byte,
// read the answer until the agent closes the connection. A process is found by its PID through
// the port file the agent writes into its config directory, as `gops stack PID` finds it.
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { ReadError } from './http-get.js';

export const GOPS_STACK_TRACE = 0x1;
export const GOPS_MEM_STATS = 0x3;
export const GOPS_STATS = 0x7;

/** The agent's config directory: $GOPS_CONFIG_DIR, else the user config directory's gops/. */
export function gopsConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GOPS_CONFIG_DIR) return env.GOPS_CONFIG_DIR;
  if (process.platform === 'win32') return path.join(env.APPDATA ?? os.homedir(), 'gops');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'gops');
  return path.join(env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config'), 'gops');
}

/** The port the agent of process `pid` listens on, from its port file. */
export async function gopsPortOf(pid: number, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const dir = gopsConfigDir(env);
  let text: string;
  try {
    text = await readFile(path.join(dir, String(pid)), 'utf8');
  } catch {
    throw new ReadError(`no gops agent port file for PID ${pid} in ${dir} (is the process running with the agent? set GOPS_CONFIG_DIR if it uses another directory)`);
  }
  const port = Number(text.trim());
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ReadError(`the gops port file of PID ${pid} holds no port`);
  return port;
}

export interface CommandOptions {
  timeoutMs: number;
  maxBytes: number;
}

/** Sends one command byte and returns everything the agent writes before it closes the connection. */
export function gopsCommand(host: string, port: number, command: number, options: CommandOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const socket = net.connect({ host, port });
    const finish = (err: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (err === null) resolve(Buffer.concat(chunks, size));
      else reject(new ReadError(err));
    };
    const timer = setTimeout(() => finish(`no complete answer within ${options.timeoutMs} ms (--timeout)`), options.timeoutMs);
    socket.on('connect', () => socket.write(Buffer.from([command])));
    socket.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > options.maxBytes) finish(`answer larger than --max-bytes (${options.maxBytes} bytes)`);
      else chunks.push(chunk);
    });
    socket.on('end', () => finish(null));
    socket.on('error', (err: NodeJS.ErrnoException) => finish(err.code === 'ECONNREFUSED' ? 'connection refused (is the gops agent running?)' : (err.code ?? err.message)));
  });
}

/** `goroutines: N` of the stats answer. */
export function gopsGoroutines(stats: string): number | null {
  const m = /^goroutines: (\d+)/m.exec(stats);
  return m ? Number(m[1]) : null;
}

/** Counters that only grow while one process lives, from the memstats answer. */
export function gopsAge(memStats: string): { mallocs: number; numGC: number } | null {
  const mallocs = /^mallocs: (\d+)/m.exec(memStats);
  const numGC = /^num-gc: (\d+)/m.exec(memStats);
  return mallocs && numGC ? { mallocs: Number(mallocs[1]), numGC: Number(numGC[1]) } : null;
}
