// Latency benchmark of `goroscope lsp`: a generated 200-file package (every file with
// goroutines, channels, locks and tickers, so every file is parsed and modelled), one file
// open; each change adds or removes a leak, and the time from sending didChange to receiving
// that version's diagnostics is measured, debounce (the server's default, 150 ms) included.
//   npm run bench:lsp [-- --files=200 --changes=30]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LspClient } from '../testing/lsp-client.js';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));

function option(name: string, fallback: number): number {
  const prefix = `--${name}=`;
  const v = process.argv.find((a) => a.startsWith(prefix))?.slice(prefix.length);
  return v === undefined ? fallback : Number(v);
}

/** One file of the package: a worker type, a fan-out, a poller and plain code around them. */
function goFile(i: number): string {
  const plain = Array.from({ length: 12 }, (_, k) => `
// helper${i}_${k} formats a record; it has nothing to do with goroutines.
func helper${i}_${k}(name string, n int) string {
	parts := make([]string, 0, n)
	for j := 0; j < n; j++ {
		parts = append(parts, fmt.Sprintf("%s-%d", name, j))
	}
	return strings.Join(parts, ",")
}
`).join('');
  return `package big

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

type worker${i} struct {
	mu   sync.Mutex
	jobs chan int
	n    int
}

func (w *worker${i}) run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case j := <-w.jobs:
			w.mu.Lock()
			w.n += j
			w.mu.Unlock()
		}
	}
}

func fanout${i}(items []int, f func(int) int) int {
	out := make(chan int, len(items))
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func(it int) {
			defer wg.Done()
			out <- f(it)
		}(it)
	}
	wg.Wait()
	close(out)
	s := 0
	for v := range out {
		s += v
	}
	return s
}

func poll${i}(ctx context.Context, d time.Duration, ok func() bool) bool {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return false
		case <-t.C:
			if ok() {
				return true
			}
		}
	}
}
${plain}`;
}

const LEAK = `
func first(replicas []func() int) int {
	results := make(chan int)
	for _, r := range replicas {
		go func(r func() int) { results <- r() }(r)
	}
	return <-results
}
`;

async function main(): Promise<void> {
  const files = option('files', 200);
  const changes = option('changes', 30);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'goroscope-bench-lsp-'));
  try {
    mkdirSync(path.join(dir, 'big'));
    writeFileSync(path.join(dir, 'go.mod'), 'module bench\n\ngo 1.21\n');
    let bytes = 0;
    for (let i = 0; i < files; i++) {
      const text = goFile(i);
      bytes += text.length;
      writeFileSync(path.join(dir, 'big', `f${String(i).padStart(3, '0')}.go`), text);
    }
    const target = path.join(dir, 'big', 'f100.go');
    const startedAt = performance.now();
    const { client } = await LspClient.start(process.execPath, [CLI, 'lsp', '--stdio'], dir, {}, { ...process.env, GOROSCOPE_TIMING: '1' });
    const first = await client.open(target);
    const firstMs = performance.now() - startedAt;
    const base = client.text(target);
    const latencies: number[] = [];
    for (let k = 0; k < changes; k++) {
      const leaking = k % 2 === 0;
      client.setText(target, leaking ? base + LEAK : base);
      const sent = performance.now();
      const diags = await client.change(target);
      latencies.push(performance.now() - sent);
      if (diags.length !== (leaking ? 1 : first.length)) throw new Error(`change ${k}: expected ${leaking ? 1 : first.length} diagnostics, got ${diags.length}`);
    }
    await client.stop();
    // The server's own figures for each analysis (GOROSCOPE_TIMING=1): the first is the open.
    const analyses = [...client.stderr.matchAll(/in (\d+) ms \((\d+) ms CPU\)/g)].map((m) => ({ wall: Number(m[1]), cpu: Number(m[2]) })).slice(1);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
    const load = os.loadavg()[0]!.toFixed(1);
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
    process.stdout.write(
      [
        `package:     ${files} files, ${(bytes / 1024).toFixed(0)} KiB (every file parsed: goroutines, channels, locks, tickers)`,
        `first open:  ${firstMs.toFixed(0)} ms from starting the server to the first diagnostics`,
        `changes:     ${changes}, each adding or removing a leak in f100.go (debounce 150 ms, the default, included)`,
        `latency:     median ${pct(50).toFixed(0)} ms, p90 ${pct(90).toFixed(0)} ms, max ${latencies[latencies.length - 1]!.toFixed(0)} ms (didChange sent -> that version's diagnostics received)`,
        `analysis:    median ${median(analyses.map((a) => a.wall))} ms wall, ${median(analyses.map((a) => a.cpu))} ms CPU per change (the server's own timing)`,
        `machine:     ${os.availableParallelism()} cores, load average ${load} when done`,
        `target:      500 ms: ${latencies[latencies.length - 1]! <= 500 ? 'met' : 'NOT met'} by every change (median ${pct(50) <= 500 ? 'within' : 'over'})`,
      ].join('\n') + '\n',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
