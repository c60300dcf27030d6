// The Go version decides the severity: the harness checks messages, this checks severities.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findGoMod } from '../gosrc/gomod.js';
import { buildPackage } from '../gosrc/package.js';
import { getGoParser } from '../gosrc/treesitter.js';
import { REPO_ROOT } from '../testing/env.js';
import { rule } from './time-in-loop.js';
import type { RuleReport } from './types.js';

type Reported = RuleReport & { severity?: string };

async function severities(sub: string): Promise<Array<string | undefined>> {
  const dir = path.join(REPO_ROOT, 'src/rules/testdata/time-in-loop', sub);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.go'))
    .map((f) => ({ path: path.join(dir, f), source: readFileSync(path.join(dir, f), 'utf8') }));
  const pkg = buildPackage({ dir, files, goVersion: findGoMod(dir)?.goVersion ?? null, modulePath: null }, await getGoParser());
  const out: Reported[] = [];
  rule.run({ pkg, report: (r) => out.push(r) });
  return out.map((r) => r.severity);
}

describe('time-in-loop severity by Go version', () => {
  it('warns before Go 1.23', async () => {
    expect(await severities('go121')).toEqual(['warning', 'warning', 'warning', 'warning']);
  });

  it('is informational from Go 1.23', async () => {
    expect(await severities('go123')).toEqual(['info', 'info']);
  });
});
