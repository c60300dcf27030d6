import { describe, expect, it } from 'vitest';
import { buildPackage, type GoPackage } from '../../gosrc/package.js';
import { getGoParser } from '../../gosrc/treesitter.js';
import { earlyExits, fieldChannels, localChannels, loopBound, type LocalChannel } from './channels.js';

async function pkgOf(source: string): Promise<GoPackage> {
  return buildPackage({ dir: '/x', files: [{ path: '/x/a.go', source }], goVersion: null, modulePath: null }, await getGoParser());
}

function channel(pkg: GoPackage, name: string): LocalChannel {
  const ch = localChannels(pkg).find((c) => c.name === name);
  if (!ch) throw new Error(`no local channel ${name}`);
  return ch;
}

const OPS = `package p

import "context"

func produce(out chan<- int) {
	defer close(out)
	out <- 1
}

func f(ctx context.Context, sink func(chan int)) {
	a := make(chan int)
	b := make(chan string, 3)
	var c = make(chan int, len(xs))
	esc := make(chan int)
	go produce(a)
	go func() {
		select {
		case b <- "x":
		case <-ctx.Done():
		}
	}()
	defer close(b)
	for v := range a {
		_ = v
	}
	s, ok := <-b
	_, _ = s, ok
	go func() { c <- len(c) }()
	sink(esc)
}

var xs []int
`;

describe('localChannels', () => {
  it('classifies each use with its goroutine, defer and select context', async () => {
    const pkg = await pkgOf(OPS);
    const a = channel(pkg, 'a');
    expect(a.escape).toBeNull();
    expect(a.capacity).toEqual({ text: null, value: 0 });
    // go produce(a): the callee sends and closes, both done by the goroutine.
    const viaOps = a.ops.filter((o) => o.via);
    expect(viaOps.map((o) => o.kind).sort()).toEqual(['close', 'send']);
    expect(viaOps.every((o) => o.owner?.type === 'go_statement')).toBe(true);
    expect(a.ops.find((o) => o.kind === 'range')?.owner).toBeNull();

    const b = channel(pkg, 'b');
    expect(b.capacity).toEqual({ text: '3', value: 3 });
    const send = b.ops.find((o) => o.kind === 'send')!;
    expect(send.cancellable).toBe(true);
    expect(send.owner?.type).toBe('go_statement');
    expect(b.ops.find((o) => o.kind === 'close')?.deferred).toBe(true);
    expect(b.ops.find((o) => o.kind === 'recv')?.twoValue).toBe(true);

    const c = channel(pkg, 'c');
    expect(c.capacity).toEqual({ text: 'len(xs)', value: null });
    expect(c.ops.map((o) => o.kind).sort()).toEqual(['len', 'send']);
    expect(c.escape).toBeNull();

    expect(channel(pkg, 'esc').escape?.text).toBe('esc');
  });

  it('treats a closure that is neither started nor deferred as an escape', async () => {
    const pkg = await pkgOf(`package p
func g(run func(func())) {
	ch := make(chan int)
	run(func() { ch <- 1 })
	<-ch
}
`);
    expect(channel(pkg, 'ch').escape).not.toBeNull();
  });
});

describe('loopBound and earlyExits', () => {
  const LOOPS = `package p
func h(urls []string, n int, ch chan int) {
	for _, u := range urls {
		if u == "" {
			break
		}
		for range ch {
			break
		}
		select {
		case <-ch:
			break
		}
	}
	for i := 0; i < n; i++ {
		go func() { return }()
	}
Outer:
	for {
		switch n {
		case 1:
			break
		case 2:
			break Outer
		}
		return
	}
	for i := 1; i < n; i++ {
	}
}
`;

  it('gives the count of range and counting loops', async () => {
    const pkg = await pkgOf(LOOPS);
    const loops = pkg.files[0]!.root.findAll('for_statement');
    const top = loops.filter((l) => l.parent?.parent?.parent?.type === 'function_declaration' || l.parent?.type === 'labeled_statement');
    expect(top.map((l) => loopBound(l))).toEqual([['len(urls)', 'urls'], ['n'], null, null]);
  });

  it('finds returns and the breaks that leave the loop itself', async () => {
    const pkg = await pkgOf(LOOPS);
    const loops = pkg.files[0]!.root.findAll('for_statement');
    const rangeUrls = loops[0]!;
    // The nested range's break and the select's break stay inside.
    expect(earlyExits(rangeUrls).map((e) => e.pos.line)).toEqual([5]);
    // A return inside a started func literal does not leave the loop.
    expect(earlyExits(loops[2]!)).toEqual([]);
    const outer = loops.find((l) => l.parent?.type === 'labeled_statement')!;
    expect(earlyExits(outer).map((e) => e.text)).toEqual(['break Outer', 'return']);
  });
});

describe('fieldChannels', () => {
  it('collects makes, goroutine ranges and closes of a field across methods', async () => {
    const pkg = await pkgOf(`package p
type s struct{ jobs chan int; out chan int }
func newS() *s {
	x := &s{jobs: make(chan int)}
	x.out = make(chan int, 1)
	go func() {
		for j := range x.jobs {
			x.out <- j
		}
	}()
	return x
}
func (x *s) Close() { close(x.jobs) }
func (x *s) Out() chan int { return x.out }
`);
    const [jobs, out] = fieldChannels(pkg);
    expect(jobs).toMatchObject({ struct: 's', field: 'jobs', closes: 1, escape: null });
    expect(jobs!.makes).toHaveLength(1);
    expect(jobs!.waits.map((w) => w.kind)).toEqual(['range']);
    expect(out).toMatchObject({ field: 'out', sends: 1 });
    expect(out!.makes).toHaveLength(1);
    // `return x.out` hands the field out (the accessor's body is elided: caught from its text).
    expect(out!.escape).not.toBeNull();
  });
});
