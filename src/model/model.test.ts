import { describe, expect, it } from 'vitest';
import { buildPackage, type GoPackage } from '../gosrc/package.js';
import { getGoParser } from '../gosrc/treesitter.js';
import { constValue } from './consts.js';
import { callEffects, goroutinesRunning, placeName, summaries, valueModel } from './index.js';

async function pkgOf(source: string, extra: Record<string, string> = {}): Promise<GoPackage> {
  const files = [{ path: '/x/a.go', source }, ...Object.entries(extra).map(([path, src]) => ({ path, source: src }))];
  return buildPackage({ dir: '/x', files, goVersion: null, modulePath: null }, await getGoParser());
}

function fnNode(pkg: GoPackage, key: string) {
  return pkg.funcs.get(key)!.node;
}

describe('constants', () => {
  it('folds named constants, groups, iota and arithmetic', async () => {
    const pkg = await pkgOf(`package p
const workers = 4
const (
	a = iota + 1
	b
	c = workers * 2 // comment
	big int = 1 << 10
	name = "x"
)
func f() {}
`);
    expect(constValue(pkg, 'workers')).toBe(4);
    expect(constValue(pkg, 'a')).toBe(1);
    expect(constValue(pkg, 'b')).toBe(2);
    expect(constValue(pkg, 'c')).toBe(8);
    expect(constValue(pkg, 'big')).toBe(1024);
    expect(constValue(pkg, 'name')).toBeNull();
    expect(constValue(pkg, 'missing')).toBeNull();
  });

  it('gives make capacities through constants and len', async () => {
    const pkg = await pkgOf(`package p
const n = 3
func f(xs []int) {
	a := make(chan int, n+1)
	b := make(chan int, len(xs))
	c := make(chan int)
	_, _, _ = a, b, c
}
`);
    const caps = valueModel(pkg).creations.filter((c) => c.kind === 'make').map((c) => [c.place.text, c.capacity?.value ?? null, c.capacity?.text ?? null]);
    expect(caps).toEqual([
      ['a', 4, 'n+1'],
      ['b', null, 'len(xs)'],
      ['c', 0, null],
    ]);
  });
});

describe('places and operations', () => {
  it('names fields by their struct across instances, and follows copies and accessors', async () => {
    const pkg = await pkgOf(`package p
type S struct { done chan struct{}; jobs chan int }
func New() *S {
	s := &S{done: make(chan struct{}), jobs: make(chan int, 8)}
	go s.loop()
	return s
}
func (s *S) Done() <-chan struct{} { return s.done }
func (s *S) loop() {
	jobs := s.jobs
	for j := range jobs { _ = j }
}
func wait(s *S) { <-s.Done() }
func (s *S) Close() { close(s.done) }
`);
    const m = valueModel(pkg);
    const ops = m.opsOf('F:S.done').map((o) => `${o.kind}@${o.node.pos.line}:${placeName(o.place)}`);
    expect(ops).toEqual(['escape@8:s.done', 'recv@13:s.done', 'close@14:s.done']);
    expect(m.opsOf('F:S.jobs').map((o) => o.kind)).toEqual(['range']);
    expect(m.creationsOf('F:S.jobs').map((c) => c.capacity?.value)).toEqual([8]);
  });

  it('makes a local stored into a field that field', async () => {
    const pkg = await pkgOf(`package p
type S struct { quit chan struct{} }
func New() *S {
	q := make(chan struct{})
	s := &S{quit: q}
	go func() { <-q }()
	return s
}
func (s *S) Stop() { close(s.quit) }
`);
    const m = valueModel(pkg);
    expect(m.opsOf('F:S.quit').map((o) => o.kind).sort()).toEqual(['close', 'recv']);
  });

  it('records lock, WaitGroup and Cond operations, promoted ones included', async () => {
    const pkg = await pkgOf(`package p
import "sync"
type S struct { sync.Mutex; rw sync.RWMutex; wg sync.WaitGroup; c *sync.Cond }
func (s *S) f() {
	s.Lock()
	defer s.Unlock()
	s.rw.RLock()
	s.rw.RUnlock()
	s.wg.Add(1)
	s.c.L.Lock()
	s.c.Wait()
}
`);
    const kinds = valueModel(pkg).ops.map((o) => `${o.kind}:${placeName(o.place)}${o.deferred ? ':deferred' : ''}`);
    expect(kinds).toEqual(['lock:s.Mutex', 'unlock:s.Mutex:deferred', 'rlock:s.rw', 'runlock:s.rw', 'add:s.wg', 'lock:s.c.L', 'cwait:s.c']);
  });
});

describe('goroutine starts', () => {
  it('resolves literals, methods of fields, method values and funcs stored in fields', async () => {
    const pkg = await pkgOf(`package p
type HB struct{}
func (h *HB) run() {}
type S struct { hb *HB; work func() }
func (s *S) loop() {}
func (s *S) start() {
	go func() {}()
	go s.hb.run()
	f := s.loop
	go f()
	s.work = s.loop
	go s.work()
}
`);
    const m = valueModel(pkg);
    const targets = m.goCalls.map((c) => c.resolved?.targets.map((t) => (t.info ? t.info.key : 'literal')).join(',') ?? 'none');
    expect(targets).toEqual(['literal', 'HB.run', 'S.loop', 'S.loop']);
    expect(goroutinesRunning(m, fnNode(pkg, 'HB.run')).map((g) => g.pos.line)).toEqual([8]);
  });

  it('resolves an interface method to the package implementations when there are few', async () => {
    const pkg = await pkgOf(`package p
type Store interface { Save(int) }
type mem struct{ ch chan int }
func (m *mem) Save(v int) { m.ch <- v }
type S struct { st Store }
func (s *S) put() { s.st.Save(1) }
func (s *S) start() { go s.put() }
`);
    const site = valueModel(pkg).calls.find((c) => c.node.text === 's.st.Save(1)')!;
    expect(site.resolved?.kind).toBe('interface');
    expect(callEffects(pkg, site).effects.map((e) => `${e.kind}:${e.place.id}`)).toEqual(['send:F:mem.ch']);
  });
});

describe('summaries', () => {
  it('carries effects up the call graph with arguments and receivers bound', async () => {
    const pkg = await pkgOf(`package p
import "sync"
type w struct { done chan struct{}; wg sync.WaitGroup }
func closeIt(c chan struct{}) { close(c) }
func wrap(x chan struct{}) { closeIt(x) }
func finish(wg *sync.WaitGroup) { defer wg.Done() }
func (s *w) Close() { s.shutdown() }
func (s *w) shutdown() { close(s.done); s.wg.Done() }
func use(s *w, c chan struct{}) {
	wrap(c)
	s.Close()
	go finish(&s.wg)
}
func rec(n int, c chan int) { if n > 0 { rec(n-1, c) }; c <- n }
`);
    const all = summaries(pkg);
    const effects = (k: string) => all.get(fnNode(pkg, k))!.effects.map((e) => `${e.kind}:${placeName(e.place) ?? e.place.id}${e.async ? ':async' : ''}`);
    expect(effects('wrap')).toEqual(['close:x']);
    expect(effects('finish')).toEqual(['done:wg']);
    expect(effects('w.Close')).toEqual(['close:s.done', 'done:s.wg']);
    expect(effects('use')).toEqual(['close:c', 'close:s.done', 'done:s.wg', 'done:s.wg:async']);
    expect(all.get(fnNode(pkg, 'rec'))!.recursive).toBe(true);
  });

  it('knows lock helpers, unlock helpers, double locks through calls and lock order', async () => {
    const pkg = await pkgOf(`package p
import "sync"
type T struct { mu sync.Mutex; a sync.Mutex; b sync.Mutex; n int }
func (t *T) lock() { t.mu.Lock() }
func (t *T) unlock() { t.mu.Unlock() }
func (t *T) get() int { t.mu.Lock(); defer t.mu.Unlock(); return t.n }
func (t *T) waitLocked() { t.mu.Unlock(); t.mu.Lock() }
func (t *T) inc() {
	t.lock()
	t.n = t.get()
	t.unlock()
}
func (t *T) ab() { t.a.Lock(); t.b.Lock(); t.b.Unlock(); t.a.Unlock() }
`);
    const all = summaries(pkg);
    const locks = (k: string) => all.get(fnNode(pkg, k))!.locks!;
    expect(locks('T.lock').heldAtExit.map((h) => placeName(h.place))).toEqual(['t.mu']);
    expect(locks('T.unlock').releasedAtExit.map((h) => placeName(h.place))).toEqual(['t.mu']);
    expect(locks('T.get').reacquires.map((r) => placeName(r.place))).toEqual(['t.mu']);
    expect(locks('T.waitLocked').reacquires).toEqual([]);
    expect(locks('T.waitLocked').releasedAtExit).toEqual([]);
    // inc holds t.mu (through lock()) when it calls get(), which takes it again.
    const inc = locks('T.inc');
    const callGet = [...inc.states.get(`${inc.places.keys().next().value!.split('#')[0]}#w`)!.entries()].find(([n]) => n.text === 't.get()');
    expect(callGet?.[1]).toBe('yes');
    expect(locks('T.ab').edges.map((e) => `${placeName(e.held)}->${placeName(e.acquired)}`)).toEqual(['t.a->t.b']);
  });
});
