// The fixture harness checks messages and lines; this checks the rest of a finding: the
// goroutine, the related exit and the exact fix, for both stranded-* rules.
import { describe, expect, it } from 'vitest';
import { buildPackage } from '../gosrc/package.js';
import { getGoParser } from '../gosrc/treesitter.js';
import { rule as sender } from './stranded-sender.js';
import { rule as receiver } from './stranded-receiver.js';
import type { Rule, RuleReport } from './types.js';

async function findings(rule: Rule, source: string): Promise<RuleReport[]> {
  const pkg = buildPackage({ dir: '/x', files: [{ path: '/x/a.go', source }], goVersion: null, modulePath: null }, await getGoParser());
  const out: RuleReport[] = [];
  rule.run({ pkg, report: (r) => out.push(r) });
  return out;
}

describe('stranded-sender findings', () => {
  it('name the goroutine, the receiver exit and the exact buffer', async () => {
    const [f, ...rest] = await findings(
      sender,
      `package p
type result struct{}
func fetch(string) result { return result{} }
func fastest(urls []string) result {
	ch := make(chan result)
	for _, u := range urls {
		go func(u string) { ch <- fetch(u) }(u)
	}
	return <-ch
}
`,
    );
    expect(rest).toEqual([]);
    expect(f!.node.type).toBe('send_statement');
    expect(f!.goroutine?.type).toBe('go_statement');
    expect(f!.goroutine?.pos.line).toBe(7);
    expect((f!.related![0] as { node: { text: string } }).node.text).toBe('<-ch');
    expect(f!.fix).toContain('`ch := make(chan result, len(urls))`');
  });

  it('suggests a one-slot buffer for a single sender behind a timeout', async () => {
    const [f] = await findings(
      sender,
      `package p
import "time"
func get(work func() int) int {
	ch := make(chan int)
	go func() { ch <- work() }()
	select {
	case v := <-ch:
		return v
	case <-time.After(time.Second):
		return 0
	}
}
`,
    );
    expect(f!.message).toMatch(/^goroutine sends on unbuffered channel `ch`, but the receiver returns on `<-time.After\(time.Second\)`/);
    expect((f!.related![0] as { node: { text: string } }).node.text).toBe('return 0');
    expect(f!.fix).toContain('`ch := make(chan int, 1)`');
  });

  it('report first response wins through a field at the callee send, naming the go statement and the receive', async () => {
    const [f, ...rest] = await findings(
      sender,
      `package orders
import "fmt"
type Service struct{ results chan string }
func New() *Service { return &Service{results: make(chan string)} }
func (s *Service) fetch(id int) { s.results <- fmt.Sprint(id) }
func (s *Service) Lookup(ids []int) string {
	for _, id := range ids {
		go s.fetch(id)
	}
	return <-s.results
}
`,
    );
    expect(rest).toEqual([]);
    expect(f!.node.text).toBe('s.results <- fmt.Sprint(id)');
    expect(f!.goroutine?.type).toBe('go_statement');
    expect(f!.goroutine?.pos.line).toBe(8);
    expect(f!.related!.map((r) => (r as { node: { text: string } }).node.text)).toEqual(['<-s.results']);
    expect(f!.fix).toContain('`results := make(chan string, len(ids))`');
  });
});

describe('stranded-receiver findings', () => {
  it('point at the return that skips the close', async () => {
    const [f, ...rest] = await findings(
      receiver,
      `package p
func work(n int, step func(int) error) error {
	ch := make(chan int)
	go func() {
		for v := range ch {
			println(v)
		}
	}()
	for i := 0; i < n; i++ {
		if err := step(i); err != nil {
			return err
		}
		ch <- i
	}
	close(ch)
	return nil
}
`,
    );
    expect(rest).toEqual([]);
    expect(f!.node.type).toBe('for_statement');
    expect(f!.goroutine?.pos.line).toBe(4);
    expect((f!.related![0] as { node: { text: string } }).node.text).toBe('return err');
    expect(f!.fix).toBe('close `ch` on every path: `defer close(ch)` right after making it');
  });
});

describe('stranded-sender fix for Go 1.22 integer ranges', () => {
  it('names the integer itself as the capacity', async () => {
    const [f] = await findings(
      sender,
      `package p
func first(n int, work func(int) int) int {
	ch := make(chan int)
	for i := range n {
		go func() { ch <- work(i) }()
	}
	return <-ch
}
`,
    );
    expect(f!.fix).toContain('`ch := make(chan int, n)`');
  });
});
