import { describe, expect, it } from 'vitest';
import type { SNode } from '../../gosrc/ast.js';
import { buildPackage, type GoPackage } from '../../gosrc/package.js';
import { scopeFor } from '../../gosrc/scope.js';
import { getGoParser } from '../../gosrc/treesitter.js';
import {
  closeOf,
  endlessLoops,
  goroutineTargets,
  isReceive,
  receiveTakesOk,
  selectCaseCount,
  selectOfCase,
  startedForProgramLifetime,
} from './loops.js';

async function pkgOf(body: string, extra = ''): Promise<GoPackage> {
  const source = `package p\n\nimport (\n\t"context"\n\t"log"\n\t"os"\n\t"time"\n)\n\nvar _ = log.Println\nvar _ = os.Exit\nvar _ = time.Now\nvar _ context.Context\n\n${extra}\nfunc f(ctx context.Context, ch chan int) {\n${body}\n}\n`;
  return buildPackage({ dir: '/x', files: [{ path: '/x/p.go', source }], goVersion: null, modulePath: null }, await getGoParser());
}

function fnBody(pkg: GoPackage): SNode {
  return pkg.funcs.get('f')!.body!;
}

describe('endlessLoops', () => {
  it('finds for {}, for ;; {}, for true {} and ranges over timers, not conditional loops or channel ranges', async () => {
    const pkg = await pkgOf(`
	for {}
	for ;; {}
	for true {}
	t := time.NewTicker(time.Second)
	for range t.C {}
	for range time.Tick(time.Second) {}
	for i := 0; i < 3; i++ {}
	for v := range ch { _ = v }
	for ch != nil {}`);
    const scope = scopeFor(fnBody(pkg), pkg)!;
    const loops = endlessLoops(fnBody(pkg), scope).map((l) => l.text.replace(/\s*\{\}$/, ''));
    expect(loops).toEqual(['for', 'for ;;', 'for true', 'for range t.C', 'for range time.Tick(time.Second)']);
  });

  it('does not look into nested func literals', async () => {
    const pkg = await pkgOf('\tgo func() { for {} }()');
    const scope = scopeFor(fnBody(pkg), pkg)!;
    expect(endlessLoops(fnBody(pkg), scope)).toEqual([]);
  });
});

describe('receives and selects', () => {
  it('tells receives that take ok from those that do not', async () => {
    const pkg = await pkgOf(`
	v, ok := <-ch
	w := <-ch
	<-ch
	var x, ok2 = <-ch
	select {
	case y, ok3 := <-ch:
		_, _ = y, ok3
	case z := <-ch:
		_ = z
	}
	_, _, _, _, _ = v, ok, w, x, ok2`);
    const recvs = fnBody(pkg).findAll('unary_expression').filter(isReceive);
    expect(recvs.map(receiveTakesOk)).toEqual([true, false, false, true, true, false]);
  });

  it('finds the select of a case communication and counts its cases', async () => {
    const pkg = await pkgOf(`
	select {
	case <-ch:
		<-ch
	default:
	}`);
    const [inCase, inBody] = fnBody(pkg).findAll('unary_expression').filter(isReceive);
    const select = selectOfCase(inCase!);
    expect(select?.type).toBe('select_statement');
    expect(selectCaseCount(select!)).toBe(2);
    expect(selectOfCase(inBody!)).toBeNull();
  });
});

describe('closeOf', () => {
  it('finds the close of a local, and of a field through any variable of the struct type', async () => {
    const extra = 'type S struct{ in chan int }\nfunc (s *S) Close() { close(s.in) }\n';
    const pkg = await pkgOf('\tdone := make(chan int)\n\tclose(done)\n\tother := make(chan int)\n\tvar s S\n\t<-done\n\t<-other\n\t<-s.in', extra);
    const scope = scopeFor(fnBody(pkg), pkg)!;
    const [done, other, field] = fnBody(pkg).findAll('unary_expression').filter(isReceive).map((r) => r.child('operand')!);
    expect(closeOf(done!, scope, pkg)?.text).toBe('close(done)');
    expect(closeOf(other!, scope, pkg)).toBeNull();
    expect(closeOf(field!, scope, pkg)?.text).toBe('close(s.in)');
  });
});

describe('goroutineTargets', () => {
  it('resolves literals, functions and methods, and knows main/init daemons', async () => {
    // Bodies with nothing relevant are elided, so the started functions hold a loop.
    const extra = 'type S struct{}\nfunc (s *S) loop() { for {} }\nfunc work() { for {} }\nfunc init() { go work() }\n';
    const pkg = await pkgOf('\tgo func() {}()\n\tgo work()\n\ts := &S{}\n\tgo s.loop()\n\tgo log.Println("x")', extra);
    const targets = goroutineTargets(pkg);
    expect(targets.map((t) => t.literal ? 'literal' : t.fn!.key)).toEqual(['work', 'literal', 'work', 'S.loop']);
    expect(targets.map((t) => startedForProgramLifetime(t.goStmt, pkg))).toEqual([true, false, false, false]);
  });

  it('treats goroutines started inside once.Do as program-lifetime daemons', async () => {
    const pkg = await pkgOf('\tvar once interface{ Do(func()) }\n\tonce.Do(func() { go func() { for {} }() })\n\tgo func() { for {} }()');
    expect(goroutineTargets(pkg).map((t) => startedForProgramLifetime(t.goStmt, pkg))).toEqual([true, false]);
  });
});
