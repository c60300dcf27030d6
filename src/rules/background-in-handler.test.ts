// What the fixture harness does not check: the fix text, which depends on the module's Go
// version (context.WithoutCancel exists from Go 1.21), and the related location.
import { describe, expect, it } from 'vitest';
import type { GoVersion } from '../gosrc/gomod.js';
import { buildPackage } from '../gosrc/package.js';
import { getGoParser } from '../gosrc/treesitter.js';
import { rule } from './background-in-handler.js';
import type { RuleReport } from './types.js';

const HANDLER = `package p

import (
	"context"
	"net/http"
)

func handle(w http.ResponseWriter, req *http.Request) {
	use(context.Background())
}

func use(ctx context.Context) {}
`;

async function findings(source: string, goVersion: GoVersion | null): Promise<RuleReport[]> {
  const pkg = buildPackage({ dir: '/x', files: [{ path: '/x/a.go', source }], goVersion, modulePath: null }, await getGoParser());
  const out: RuleReport[] = [];
  rule.run({ pkg, report: (r) => out.push(r) });
  return out;
}

describe('background-in-handler fix text', () => {
  it('suggests the request parameter by its own name and points at it', async () => {
    const [f] = await findings(HANDLER, { major: 1, minor: 21 });
    expect(f?.fix).toContain('use `req.Context()` instead of `context.Background()`');
    const related = f?.related?.[0];
    expect(related && 'node' in related ? related.node.text : null).toBe('req');
  });

  it('mentions context.WithoutCancel only from Go 1.21 on', async () => {
    const [old] = await findings(HANDLER, { major: 1, minor: 20 });
    const [modern] = await findings(HANDLER, { major: 1, minor: 21 });
    expect(old?.fix).not.toContain('WithoutCancel');
    expect(modern?.fix).toContain('`context.WithoutCancel(req.Context())`');
  });

  it('follows an aliased import of context', async () => {
    const aliased = HANDLER.replace('"context"', 'stdctx "context"').replace('context.Background()', 'stdctx.Background()').replace('ctx context.Context', 'ctx stdctx.Context');
    const [f] = await findings(aliased, null);
    expect(f?.message).toContain('`context.Background()` in HTTP handler `handle`');
  });
});
