import { chmod, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goListStd, stdCacheDir } from './gostd.js';

// A stand-in for go that answers `go list ... std` and counts how often it was asked.
let dir: string;
let fakeGo: string;
const calls = async () => (await readFile(path.join(dir, 'calls'), 'utf8').catch(() => '')).length;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'goroscope-gostd-'));
  fakeGo = path.join(dir, 'go');
  await writeFile(
    fakeGo,
    `#!/bin/sh\nprintf x >> "${dir}/calls"\nprintf 'fmt\\t/opt/go/src/fmt\\nruntime\\t/opt/go/src/runtime\\n'\n`,
  );
  await chmod(fakeGo, 0o755);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe.skipIf(process.platform === 'win32')('goListStd', () => {
  it('runs go list std once per toolchain and reads the cache after that', async () => {
    const cache = path.join(dir, 'cache-a');
    const first = await goListStd(fakeGo, dir, cache);
    expect(first).toEqual({ packages: ['fmt', 'runtime'], goroot: '/opt/go' });
    const before = await calls();
    expect(await goListStd(fakeGo, dir, cache)).toEqual(first);
    expect(await calls()).toBe(before);
    expect((await readdir(cache)).filter((f) => f.endsWith('.json'))).toHaveLength(1);
  });

  it('asks go again when the binary changes or the cache file is damaged', async () => {
    const cache = path.join(dir, 'cache-b');
    await goListStd(fakeGo, dir, cache);
    let before = await calls();
    const later = new Date(Date.now() + 60_000);
    await utimes(fakeGo, later, later); // an upgraded toolchain at the same path
    expect(await goListStd(fakeGo, dir, cache)).not.toBeNull();
    expect(await calls()).toBe(before + 1);

    const files = (await readdir(cache)).filter((f) => f.endsWith('.json'));
    for (const f of files) await writeFile(path.join(cache, f), '{"packages": 3');
    before = await calls();
    expect(await goListStd(fakeGo, dir, cache)).toEqual({ packages: ['fmt', 'runtime'], goroot: '/opt/go' });
    expect(await calls()).toBe(before + 1);
  });

  it('works without a cache, and with one it cannot write', async () => {
    let before = await calls();
    await goListStd(fakeGo, dir, null);
    await goListStd(fakeGo, dir, null);
    expect(await calls()).toBe(before + 2);
    const blocker = path.join(dir, 'a-file');
    await writeFile(blocker, '');
    before = await calls();
    expect(await goListStd(fakeGo, dir, path.join(blocker, 'cache'))).toEqual({ packages: ['fmt', 'runtime'], goroot: '/opt/go' });
    expect(await calls()).toBe(before + 1);
  });

  it('says null when go cannot be run', async () => {
    expect(await goListStd(path.join(dir, 'no-such-go'), dir, path.join(dir, 'cache-c'))).toBeNull();
  });
});

describe('stdCacheDir', () => {
  it('follows GOROSCOPE_CACHE_DIR, which can turn the cache off', () => {
    expect(stdCacheDir({ GOROSCOPE_CACHE_DIR: '/x/y' })).toBe('/x/y');
    expect(stdCacheDir({ GOROSCOPE_CACHE_DIR: 'off' })).toBeNull();
    if (process.platform === 'linux') expect(stdCacheDir({ XDG_CACHE_HOME: '/c' })).toBe(path.join('/c', 'goroscope'));
  });
});
