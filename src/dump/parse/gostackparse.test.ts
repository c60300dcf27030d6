// Compares with the golden JSON of DataDog/gostackparse (shared corpus) on what both models
// represent. Where gostackparse drops a goroutine that has an error, this parser keeps the
// parseable part and records the error in `skipped`: the comparison allows for that.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARED_DIR, sharedUnavailable } from '../../testing/env.js';
import { parseDump } from './index.js';

interface GoldenFrame {
  Func: string;
  File: string;
  Line: number;
}
interface GoldenGoroutine {
  ID: number;
  State: string;
  Wait: number;
  LockedToThread: boolean;
  Stack: GoldenFrame[];
  FramesElided: boolean;
  CreatedBy: GoldenFrame | null;
  Ancestor?: GoldenGoroutine | null;
}
interface Golden {
  Errors: string[] | null;
  Goroutines: GoldenGoroutine[] | null;
}

const DIR = path.join(SHARED_DIR, 'testdata/dumps/external/DataDog-gostackparse');
const NS_PER_MINUTE = 60e9;

function ancestorIds(g: GoldenGoroutine): number[] {
  const ids: number[] = [];
  for (let a = g.Ancestor; a; a = a.Ancestor) ids.push(a.ID);
  return ids;
}

describe.skipIf(sharedUnavailable())('gostackparse goldens', () => {
  const names = sharedUnavailable() ? [] : readdirSync(DIR).filter((f) => f.endsWith('.txt'));

  it('has fixtures', () => {
    expect(names.length).toBeGreaterThan(10);
  });

  it.each(names)('%s', (name) => {
    const golden = JSON.parse(readFileSync(path.join(DIR, 'golden', name.replace(/\.txt$/, '.golden.json')), 'utf8')) as Golden;
    const dump = parseDump(readFileSync(path.join(DIR, name)));
    const errors = golden.Errors ?? [];
    const expected = golden.Goroutines ?? [];

    for (const want of expected) {
      const got = dump.goroutines.find((g) => g.id === want.ID);
      expect(got, `goroutine ${want.ID}`).toBeDefined();
      if (!got) continue;
      expect(got.state).toBe(want.State);
      expect((got.waitMinutes ?? 0) * NS_PER_MINUTE).toBe(want.Wait);
      expect(got.lockedToThread).toBe(want.LockedToThread);
      expect(got.frames.map((f) => ({ Func: f.func, File: f.file, Line: f.line }))).toEqual(want.Stack);
      expect(got.elidedFrames !== null).toBe(want.FramesElided);
      expect(got.createdBy && { Func: got.createdBy.func, File: got.createdBy.file, Line: got.createdBy.line }).toEqual(
        want.CreatedBy,
      );
      expect(got.ancestors).toEqual(ancestorIds(want));
    }

    // Goroutines gostackparse dropped for an error are kept here only with the error recorded.
    const extra = dump.goroutines.filter((g) => !expected.some((w) => w.ID === g.id));
    expect(extra.length).toBeLessThanOrEqual(errors.length);
    // Every error gostackparse reports is reported here too. gostackparse names the line where
    // the missing part was expected, this parser the incomplete item just before it.
    for (const e of errors) {
      const line = Number(/on line (\d+)/.exec(e)?.[1]);
      expect(
        dump.skipped.some((s) => s.line === line || s.line === line - 1),
        `${e} vs ${JSON.stringify(dump.skipped)}`,
      ).toBe(true);
    }
    if (errors.length === 0) expect(dump.skipped).toEqual([]);
  });
});
