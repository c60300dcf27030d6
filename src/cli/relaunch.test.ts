import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { relaunch, RELAUNCH_MARK, scanWantsSmallPool, shouldRelaunch } from './relaunch.js';

describe('shouldRelaunch', () => {
  it('relaunches on a machine with several cores when nothing chose a pool size', () => {
    expect(shouldRelaunch({}, [], 2)).toBe(true);
  });
  it('does not relaunch the relaunched child, on request, on one core, or over a pool size the user chose', () => {
    expect(shouldRelaunch({ [RELAUNCH_MARK]: '1' }, [], 8)).toBe(false);
    expect(shouldRelaunch({ GOROSCOPE_RELAUNCH: '0' }, [], 8)).toBe(false);
    expect(shouldRelaunch({}, [], 1)).toBe(false);
    expect(shouldRelaunch({}, ['--v8-pool-size=4'], 8)).toBe(false);
    expect(shouldRelaunch({ NODE_OPTIONS: '--max-old-space-size=4096 --v8-pool-size=2' }, [], 8)).toBe(false);
  });
});

describe('scanWantsSmallPool', () => {
  it('never walks the tree for a scan on the main thread (--workers 0)', () => {
    expect(scanWantsSmallPool(0, () => {
      throw new Error('walked');
    })).toBe(false);
  });
});

describe('relaunch', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'goroscope-relaunch-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const script = (name: string, body: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, body);
    return file;
  };

  it('runs the script with a one-thread pool and the arguments, and returns its exit code', async () => {
    const out = path.join(dir, 'seen.json');
    const file = script('code.mjs', `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(out)}, JSON.stringify({ execArgv: process.execArgv, args: process.argv.slice(2), mark: process.env.${RELAUNCH_MARK} }));\nprocess.exit(3);\n`);
    expect(await relaunch(file, ['scan', './...', '--format', 'json'])).toEqual({ code: 3 });
    const seen = JSON.parse((await import('node:fs')).readFileSync(out, 'utf8'));
    expect(seen.execArgv).toContain('--v8-pool-size=1');
    expect(seen.args).toEqual(['scan', './...', '--format', 'json']);
    expect(seen.mark).toBe('1');
  });

  it('reports a child ended by a signal as that signal', async () => {
    const file = script('killed.mjs', `process.kill(process.pid, 'SIGTERM');\nsetTimeout(() => {}, 10_000);\n`);
    expect(await relaunch(file, [])).toEqual({ signal: 'SIGTERM' });
  });

  it('passes a SIGTERM sent to the parent alone on to the child, and the parent ends by it', async () => {
    // A parent process that relaunches a child which waits; the test signals the parent only.
    const child = script('waits.mjs', `process.stdout.write('ready\\n');\nsetTimeout(() => process.exit(0), 20_000);\n`);
    const relaunchModule = path.resolve('dist/cli/relaunch.js');
    const parent = script(
      'parent.mjs',
      `import { relaunch } from ${JSON.stringify(relaunchModule)};\nconst ended = await relaunch(${JSON.stringify(child)}, []);\nprocess.stdout.write(JSON.stringify(ended) + '\\n');\nprocess.exit(0);\n`,
    );
    const p = spawn(process.execPath, [parent], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const started = Date.now();
    await new Promise<void>((resolve) => {
      p.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('ready')) resolve();
      });
    });
    p.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => p.on('exit', (c) => resolve(c)));
    expect(code).toBe(0);
    expect(out).toContain('{"signal":"SIGTERM"}');
    // The child did not wait out its 20 seconds.
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
