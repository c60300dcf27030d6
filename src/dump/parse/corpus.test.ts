// Every dump of the shared corpus parses without throwing, and for the generated dumps the
// goroutine total matches a count taken independently of the parser (see the corpus README).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Profile } from 'pprof-format';
import { describe, expect, it } from 'vitest';
import { SHARED_DIR, sharedUnavailable } from '../../testing/env.js';
import { parseDump } from './index.js';

const DUMPS = path.join(SHARED_DIR, 'testdata/dumps');

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? listFiles(p) : [p];
  });
}

const isDumpFile = (f: string): boolean => /\.(txt|pb\.gz)$/.test(f) && !/GO_VERSION|README|MANIFEST/.test(f);

/**
 * The README's rule, applied with plain regexes: header lines for traceback text (repeated
 * "goroutine 0" headers of GOTRACEBACK=crash dumps each count: every M prints its own), the
 * "total N" line for debug=1, the sum of the samples' first values for debug=0.
 */
function expectedTotal(file: string): number {
  const bytes = readFileSync(file);
  if (file.endsWith('.pb.gz')) {
    const p = Profile.decode(gunzipSync(bytes));
    return p.sample.reduce((sum, s) => sum + Number(s.value[0]), 0);
  }
  const text = bytes.toString('utf8');
  const total = /^goroutine(?:leak)? profile: total (\d+)$/m.exec(text);
  if (total) return Number(total[1]);
  return (text.match(/^goroutine \d+ (?:gp=0x[0-9a-f]+ m=\S+ (?:mp=0x[0-9a-f]+ )?)?\[/gm) ?? []).length;
}

describe.skipIf(sharedUnavailable())('shared dump corpus', () => {
  const files = listFiles(DUMPS).filter(isDumpFile).sort();

  it('finds the corpus', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it('parses every file without throwing, with consistent totals', () => {
    for (const f of files) {
      const d = parseDump(readFileSync(f));
      const sum = d.goroutines.reduce((n, g) => n + g.count, 0);
      expect(d.total, f).toBe(sum);
      expect(d.sections.reduce((n, s) => n + s.goroutines, 0), f).toBe(sum);
      for (const g of d.goroutines) expect(d.sections[g.section], f).toBeDefined();
    }
  }, 60_000);

  const generated = files.filter((f) => f.includes(`${path.sep}generated${path.sep}`));
  it.each(generated.map((f) => [path.relative(DUMPS, f), f]))('%s: goroutine total as the README says', (_name, f) => {
    const d = parseDump(readFileSync(f));
    const expected = expectedTotal(f);
    expect(expected).toBeGreaterThan(0);
    expect(d.total).toBe(expected);
    // Generated dumps are well formed: nothing may be skipped.
    expect(d.skipped).toEqual([]);
  });
});
