import { describe, expect, it } from 'vitest';
import type { SNode } from '../gosrc/ast.js';
import { buildPackage, type GoPackage } from '../gosrc/package.js';
import { scopeFor } from '../gosrc/scope.js';
import { getGoParser } from '../gosrc/treesitter.js';
import { parseBody } from '../testing/gosrc.js';
import { endlessLoops } from '../rules/lib/loops.js';
import { isEndless, jumpTarget, loopExits, loopsForever, tracePaths, type Effect } from './paths.js';

async function pkgOf(source: string): Promise<GoPackage> {
  return buildPackage({ dir: '/x', files: [{ path: '/x/a.go', source }], goVersion: null, modulePath: null }, await getGoParser());
}


async function loopPkgOf(body: string): Promise<GoPackage> {
  return pkgOf(`package p\n\nimport (\n\t"context"\n\t"log"\n\t"os"\n)\n\nvar _ = log.Println\nvar _ = os.Exit\nvar _ context.Context\n\nfunc f(ctx context.Context, ch chan int) {\n${body}\n}\n`);
}

function fnBody(pkg: GoPackage): SNode {
  return pkg.funcs.get('f')!.body!;
}

/** Exit statements of the first endless loop of f, as their first token. */
async function exitsOf(body: string): Promise<string[]> {
  const pkg = await loopPkgOf(body);
  const scope = scopeFor(fnBody(pkg), pkg)!;
  const loop = endlessLoops(fnBody(pkg), scope)[0]!;
  return loopExits(loop, { scope }).map((e) => e.node.text.split(/[\s(]/)[0]!);
}

describe('loopExits', () => {
  it('counts return, panic, os.Exit and log.Fatal', async () => {
    expect(await exitsOf('\tfor { if ch == nil { return } }')).toEqual(['return']);
    expect(await exitsOf('\tfor { panic("x") }')).toEqual(['panic']);
    expect(await exitsOf('\tfor { os.Exit(1) }')).toEqual(['os.Exit']);
    expect(await exitsOf('\tfor { log.Fatalf("x") }')).toEqual(['log.Fatalf']);
  });

  it('does not count a break that leaves only a select or switch', async () => {
    expect(await exitsOf('\tfor { select { case <-ctx.Done(): break } }')).toEqual([]);
    expect(await exitsOf('\tfor { switch { case ch == nil: break } }')).toEqual([]);
    expect(await exitsOf('\tfor { if ch == nil { break } }')).toEqual(['break']);
  });

  it('follows labels: break to the loop leaves it, break to an inner select does not', async () => {
    expect(await exitsOf('loop:\n\tfor { select { case <-ctx.Done(): break loop } }')).toEqual(['break']);
    expect(await exitsOf('\tfor {\n\tsel:\n\t\tselect { case <-ctx.Done(): break sel } }')).toEqual([]);
  });

  it('treats continue to the loop itself as staying, continue to an outer loop as leaving', async () => {
    expect(await exitsOf('loop:\n\tfor { continue loop }')).toEqual([]);
    const pkg = await loopPkgOf('outer:\n\tfor i := 0; i < 3; i++ {\n\t\tfor { continue outer }\n\t}');
    const scope = scopeFor(fnBody(pkg), pkg)!;
    const inner = endlessLoops(fnBody(pkg), scope)[0]!;
    expect(loopExits(inner, { scope }).map((e) => e.kind)).toEqual(['continue']);
  });

  it('ignores returns inside nested func literals', async () => {
    expect(await exitsOf('\tfor { go func() { return }() }')).toEqual([]);
  });
});

describe('loops', () => {
  it('knows endless loops and their breaks', async () => {
    const root = await parseBody('for {\n\tselect {\n\tcase <-a:\n\t\tbreak\n\t}\n}\nL:\nfor {\n\tbreak L\n}\nfor x {\n}');
    const [plain, labeled, conditional] = root.findAll('for_statement');
    expect(loopsForever(plain!)).toBe(true); // the break leaves only the select
    expect(loopsForever(labeled!)).toBe(false);
    expect(isEndless(conditional!)).toBe(false);
    expect(jumpTarget(root.findAll('break_statement')[0]!)?.type).toBe('select_statement');
  });

  it('finds exits other than an excluded case', async () => {
    const root = await parseBody('for {\n\tselect {\n\tcase <-done:\n\t\treturn\n\tcase v := <-in:\n\t\tuse(v)\n\t}\n}');
    const loop = root.findAll('for_statement')[0]!;
    const [doneCase] = root.findAll('communication_case');
    expect(loopExits(loop).length).toBe(1);
    expect(loopExits(loop, { except: doneCase! })).toEqual([]);
  });
});

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

