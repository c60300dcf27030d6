import { describe, expect, it } from 'vitest';
import { atLeast, parseGoMod } from './gomod.js';

describe('go.mod version', () => {
  it('reads the go line', () => {
    expect(parseGoMod('module app\n\ngo 1.23.4\n', '/x').goVersion).toEqual({ major: 1, minor: 23 });
  });

  it('takes a go.mod with no go line as Go 1.16, as the go command does', () => {
    const mod = parseGoMod('module app\n\nrequire example.com/x v1.0.0\n', '/x');
    expect(mod.goVersion).toEqual({ major: 1, minor: 16 });
    expect(atLeast(mod.goVersion, 1, 23)).toBe(false);
  });

  it('does not take an unknown version (no go.mod) as the newest', () => {
    expect(atLeast(null, 1, 23)).toBe(false);
    expect(atLeast({ major: 1, minor: 23 }, 1, 23)).toBe(true);
    expect(atLeast({ major: 2, minor: 0 }, 1, 23)).toBe(true);
  });
});
