// The bundled standard library list (std-packages.ts, written by scripts/gen-std-packages.mjs)
// must be what `go list std` says for the Go at hand; regenerate it when this fails.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { findGo, goEnv, goUnavailable, IN_CI } from '../../testing/env.js';
import { BUNDLED_GO_VERSIONS, bundledStdOf, inBundledStd } from './std-list.js';

describe('bundled standard library list', () => {
  it('covers the Go versions from 1.19 on, and knows every package of each version', () => {
    expect(BUNDLED_GO_VERSIONS[0]).toBe('1.19');
    for (const v of BUNDLED_GO_VERSIONS) {
      const pkgs = bundledStdOf(v)!;
      expect(pkgs.length, v).toBeGreaterThan(200);
      expect(pkgs.every(inBundledStd)).toBe(true);
    }
    expect(bundledStdOf('1.19')).not.toContain('maps'); // added in 1.21
    expect(bundledStdOf('1.21')).toContain('maps');
    expect(bundledStdOf('1.2')).toBeNull();
    expect(inBundledStd('shop')).toBe(false);
  });

  const skip = goUnavailable();
  it.skipIf(skip)(`matches \`go list std\` of the local Go${skip ? ` (skipped: ${skip})` : ''}`, (ctx) => {
    const env = goEnv({ GOFLAGS: '' });
    const go = findGo()!;
    const version = /^go(\d+\.\d+)/.exec(execFileSync(go, ['env', 'GOVERSION'], { env, encoding: 'utf8' }))![1]!;
    const bundled = bundledStdOf(version);
    if (bundled === null) {
      const why = `Go ${version} is not in the bundled list (${BUNDLED_GO_VERSIONS.join(', ')}): add it with scripts/gen-std-packages.mjs`;
      if (IN_CI) throw new Error(why);
      ctx.skip(why);
    }
    const listed = execFileSync(go, ['list', 'std'], { env, encoding: 'utf8', cwd: os.tmpdir() }).split('\n').filter(Boolean).sort();
    expect(bundled).toEqual(listed);
  });
});
