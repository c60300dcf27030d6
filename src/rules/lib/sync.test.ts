import { describe, expect, it } from 'vitest';
import { buildPackage, type GoPackage } from '../../gosrc/package.js';
import { scopeFor } from '../../gosrc/scope.js';
import { getGoParser } from '../../gosrc/treesitter.js';
import { ownSyncOps, syncOp, withoutComments } from './sync.js';

async function pkgOf(source: string): Promise<GoPackage> {
  return buildPackage({ dir: '/x', files: [{ path: '/x/a.go', source }], goVersion: null, modulePath: null }, await getGoParser());
}

describe('syncOp', () => {
  it('recognises fields, promoted methods of embedded mutexes, and NewCond locals', async () => {
    const pkg = await pkgOf(`package p
import "sync"
type s struct {
	sync.RWMutex
	mu sync.Mutex
	wg *sync.WaitGroup
}
func (x *s) m() {
	x.RLock()
	x.mu.Lock()
	x.wg.Add(1)
	c := sync.NewCond(&x.mu)
	c.Wait()
	x.Other()
}
`);
    const fn = pkg.funcs.get('s.m')!;
    const scope = scopeFor(fn.node, pkg)!;
    const ops = ownSyncOps(fn.body!, scope).map((o) => `${o.kind} ${o.key}.${o.method}`);
    expect(ops).toEqual(['rwmutex x.RWMutex.RLock', 'mutex x.mu.Lock', 'waitgroup x.wg.Add', 'cond c.Wait']);
    const other = fn.body!.findAll('call_expression').find((c) => c.text === 'x.Other()')!;
    expect(syncOp(other, scope)).toBeNull();
  });
});

describe('withoutComments', () => {
  it('blanks comments, keeps offsets and leaves string literals alone', () => {
    const src = 'a := "http://x" // c.Signal()\n/* q.Broadcast() */ b := `//raw`';
    const out = withoutComments(src);
    expect(out.length).toBe(src.length);
    expect(out).not.toMatch(/Signal|Broadcast/);
    expect(out).toContain('"http://x"');
    expect(out).toContain('`//raw`');
  });
});
