// The webhook retries with backoff, never blocks its caller, and gives up in the end; the gops
// client speaks the agent's protocol (one command byte, the answer until the agent closes).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOPS_STATS, gopsAge, gopsCommand, gopsConfigDir, gopsGoroutines, gopsPortOf } from './gops.js';
import { Webhook } from './webhook.js';

async function receiver(statuses: number[]) {
  const bodies: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      bodies.push(`${req.headers.authorization ?? ''}|${body}`);
      res.writeHead(statuses.shift() ?? 200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, bodies, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook` };
}

describe('Webhook', () => {
  it('retries failed posts with backoff and delivers in order; send never waits', async () => {
    const r = await receiver([500, 503]);
    const logs: string[] = [];
    const hook = new Webhook(new URL(r.url.replace('http://', 'http://bot:pw@')), { retryMs: 20, log: (m) => logs.push(m) });
    hook.send({ n: 1 });
    hook.send({ n: 2 });
    expect(r.bodies).toEqual([]); // send returned before anything was delivered
    await hook.flush(5000);
    r.server.close();
    expect(r.bodies.map((b) => b.split('|')[1])).toEqual(['{"n":1}', '{"n":1}', '{"n":1}', '{"n":2}']);
    expect(r.bodies[0]!.split('|')[0]).toBe(`Basic ${Buffer.from('bot:pw').toString('base64')}`);
    expect(hook.delivered).toBe(2);
    expect(logs).toEqual([]);
  });

  it('drops a message after its attempts, and says so without the URL', async () => {
    const r = await receiver([500, 500, 500]);
    const logs: string[] = [];
    const hook = new Webhook(new URL(r.url), { attempts: 3, retryMs: 10, log: (m) => logs.push(m) });
    hook.send({ n: 1 });
    await hook.flush(5000);
    r.server.close();
    expect(hook.dropped).toBe(1);
    expect(logs).toEqual(['webhook: message dropped after 3 attempts (HTTP 500)']);
  });

  it('flush gives up at its deadline when the receiver is down', async () => {
    const hook = new Webhook(new URL('http://127.0.0.1:1/hook'), { retryMs: 1000 });
    hook.send({ n: 1 });
    const started = performance.now();
    await hook.flush(300);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(hook.dropped).toBe(1);
  });
});

describe('gops client', () => {
  it('sends one command byte and reads until the agent closes', async () => {
    const received: number[] = [];
    const server = net.createServer((socket) => {
      socket.once('data', (b) => {
        received.push(b[0]!);
        socket.end('goroutines: 12\nOS threads: 7\nGOMAXPROCS: 2\nnum CPU: 2\n');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const answer = await gopsCommand('127.0.0.1', port, GOPS_STATS, { timeoutMs: 2000, maxBytes: 1000 });
    server.close();
    expect(received).toEqual([0x7]);
    expect(gopsGoroutines(answer.toString())).toBe(12);
  });

  it('finds a PID\'s port in the config directory, as gops does', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'goroscope-gops-'));
    try {
      writeFileSync(path.join(dir, '4242'), '39123');
      expect(gopsConfigDir({ GOPS_CONFIG_DIR: dir })).toBe(dir);
      expect(await gopsPortOf(4242, { GOPS_CONFIG_DIR: dir })).toBe(39123);
      await expect(gopsPortOf(4243, { GOPS_CONFIG_DIR: dir })).rejects.toThrow(/no gops agent port file for PID 4243/);
      expect(gopsConfigDir({ XDG_CONFIG_HOME: '/x' })).toBe(process.platform === 'linux' ? '/x/gops' : gopsConfigDir({ XDG_CONFIG_HOME: '/x' }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the allocation counters from memstats, old and new formats', () => {
    expect(gopsAge('alloc: 1.20MB (1258291 bytes)\nmallocs: 5821\nfrees: 20\nnum-gc: 3\n')).toEqual({ mallocs: 5821, numGC: 3 });
    expect(gopsAge('alloc: 12 bytes\n')).toBeNull();
  });
});
