import { describe, expect, it } from 'vitest';
import type { SNode } from '../../gosrc/ast.js';
import { buildPackage, type GoPackage } from '../../gosrc/package.js';
import { scopeFor } from '../../gosrc/scope.js';
import { getGoParser } from '../../gosrc/treesitter.js';
import { ownSyncOps, syncOp, tracePaths, withoutComments, type Effect } from './sync.js';

async function pkgOf(source: string): Promise<GoPackage> {
  return buildPackage({ dir: '/x', files: [{ path: '/x/a.go', source }], goVersion: null, modulePath: null }, await getGoParser());
}

/** Traces function `name`, with `mu.Lock()` acquiring and `mu.Unlock()` releasing. */
async function trace(body: string) {
  const pkg = await pkgOf(`package p\nimport "sync"\nvar mu sync.Mutex\nfunc f(a, b bool, xs []int) int {\n${body}\n}\n`);
  const fn = pkg.funcs.get('f')!;
  const effectOf = (call: SNode): Effect => {
    const t = call.child('function')?.text;
    return t === 'mu.Lock' ? 'acquire' : t === 'mu.Unlock' ? 'release' : null;
  };
  const r = tracePaths(fn.body!, 'no', effectOf);
  return {
    returns: r.returns.map((x) => `${x.node.pos.line - 4}:${x.state}`),
    continues: r.continues.map((x) => `${x.node.pos.line - 4}:${x.state}:${x.loopEntry}`),
    fallOff: r.fallOff,
    mainExit: r.mainExit,
  };
}

describe('tracePaths', () => {
  it('tracks a lock through an early return and the normal exit', async () => {
    const r = await trace(`mu.Lock()
if a {
  return 1
}
mu.Unlock()
return 0`);
    expect(r.returns).toEqual(['3:yes', '6:no']);
    expect(r.mainExit).toBe('no');
  });

  it('merges disagreeing branches into maybe', async () => {
    const r = await trace(`if a {
  mu.Lock()
}
if b {
  return 1
}
return 0`);
    expect(r.returns).toEqual(['5:maybe', '7:maybe']);
  });

  it('sends break to after the loop, and break inside a select leaves only the select', async () => {
    const r = await trace(`for _, x := range xs {
  mu.Lock()
  select {
  default:
    break
  }
  if x > 0 {
    break
  }
  mu.Unlock()
}
return 0`);
    // After the loop: normal end (unlocked) or the loop's break (locked).
    expect(r.returns).toEqual(['12:maybe']);
  });

  it('records a continue that keeps the lock, with the loop entry state', async () => {
    const r = await trace(`for _, x := range xs {
  mu.Lock()
  if x == 0 {
    continue
  }
  mu.Unlock()
}
return 0`);
    expect(r.continues).toEqual(['4:yes:no']);
  });

  it('ends paths at panic and has no normal exit after an endless loop', async () => {
    const r = await trace(`mu.Lock()
if a {
  panic("x")
}
for {
  if b {
    mu.Unlock()
    return 1
  }
}`);
    expect(r.returns).toEqual(['8:no']);
    expect(r.fallOff).toBeNull();
    expect(r.mainExit).toBeNull();
  });

  it('lets a switch without default fall through, and follows fallthrough', async () => {
    const r = await trace(`switch {
case a:
  mu.Lock()
  fallthrough
case b:
  return 1
}
return 0`);
    expect(r.returns).toEqual(['6:maybe', '8:no']);
  });
});

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
