import { describe, expect, it } from 'vitest';
import type { SNode } from './ast.js';
import { buildPackage, type GoPackage } from './package.js';
import { scopeFor } from './scope.js';
import { getGoParser } from './treesitter.js';

async function pkgOf(source: string): Promise<GoPackage> {
  return buildPackage({ dir: '/x', files: [{ path: '/x/a.go', source }], goVersion: null, modulePath: null }, await getGoParser());
}

/** The identifier at the n-th occurrence of `name` (0-based) in the first file. */
function ident(pkg: GoPackage, name: string, n = 0): SNode {
  const ids = pkg.files[0]!.root.findAll('identifier').filter((i) => i.text === name);
  const id = ids[n];
  if (!id) throw new Error(`no identifier ${name} #${n}`);
  return id;
}

const SRC = `package p

import (
	"context"
	stdsync "sync"
	"time"
)

type server struct {
	mu   stdsync.Mutex
	jobs chan job
	stop context.CancelFunc
	tick *time.Ticker
}

type job struct{}

var global = make(chan int)

func newJobs() chan job { return make(chan job, 4) }

func (s *server) run(ctx context.Context, wg *stdsync.WaitGroup) {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	ch := newJobs()
	var done chan struct{}
	t := time.NewTicker(time.Second)
	use(s.mu, s.jobs, s.stop, s.tick, ch, done, t, wg, global, ctx)
	{
		ch := 3
		use(ch)
	}
	use(ch)
}

func use(...interface{}) {}
`;

describe('FuncScope', () => {
  it('resolves locals, params, fields and package vars to value kinds', async () => {
    const pkg = await pkgOf(SRC);
    const useCall = pkg.files[0]!.root.findAll('call_expression').find((c) => c.text.startsWith('use(s.mu'))!;
    const scope = scopeFor(useCall, pkg)!;
    const kinds = useCall.child('arguments')!.namedChildren.map((a) => scope.typeOf(a).kind);
    expect(kinds).toEqual(['mutex', 'chan', 'cancel', 'ticker', 'chan', 'chan', 'ticker', 'waitgroup', 'chan', 'context']);
    expect(scope.typeOf(ident(pkg, 'cancel', 1)).kind).toBe('cancel');
  });

  it('respects block scoping and shadowing', async () => {
    const pkg = await pkgOf(SRC);
    const scope = scopeFor(ident(pkg, 'ch', 0), pkg)!;
    const inner = ident(pkg, 'ch', 3); // use(ch) inside the block
    const outer = ident(pkg, 'ch', 4); // use(ch) after the block
    expect(scope.typeOf(inner).kind).toBe('other');
    expect(scope.typeOf(outer).kind).toBe('chan');
    const b = scope.resolve(outer)!;
    expect(scope.references(b).map((r) => r.pos.line)).toEqual([25, 28, 33]);
  });
});
