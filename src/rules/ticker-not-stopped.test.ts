// The Go version decides the severity: the harness checks messages, this checks severities.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findGoMod } from '../gosrc/gomod.js';
import { buildPackage } from '../gosrc/package.js';
import { getGoParser } from '../gosrc/treesitter.js';
import { REPO_ROOT } from '../testing/env.js';
import { rule } from './ticker-not-stopped.js';
import type { RuleReport } from './types.js';

type Reported = RuleReport & { severity?: string };

async function findings(sub: string): Promise<Array<{ line: number; severity: string | undefined }>> {
  const dir = path.join(REPO_ROOT, 'src/rules/testdata/ticker-not-stopped', sub);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.go'))
    .map((f) => ({ path: path.join(dir, f), source: readFileSync(path.join(dir, f), 'utf8') }));
  const pkg = buildPackage({ dir, files, goVersion: findGoMod(dir)?.goVersion ?? null, modulePath: null }, await getGoParser());
  const out: Reported[] = [];
  rule.run({ pkg, report: (r) => out.push(r) });
  return out.map((r) => ({ line: r.node.pos.line, severity: r.severity })).sort((a, b) => a.line - b.line);
}

describe('ticker-not-stopped severity by Go version', () => {
  it('warns about every unstopped ticker before Go 1.23; a one-shot timer is only info', async () => {
    expect((await findings('go121')).map((f) => f.severity)).toEqual(['warning', 'info', 'warning', 'warning']);
  });

  it('reads a go.mod without a go line as Go 1.16', async () => {
    expect((await findings('nogoline')).map((f) => f.severity)).toEqual(['warning']);
  });

  it('lowers a local ticker to info from Go 1.23, but not one kept in a package variable', async () => {
    expect(await findings('go123')).toEqual([
      { line: 9, severity: 'info' },
      { line: 17, severity: 'warning' },
      // Read by an endless loop: it lives as long as the loop, so only info at any version.
      { line: 20, severity: 'info' },
    ]);
  });
});
