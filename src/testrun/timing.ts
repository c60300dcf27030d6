// Where `goroscope test` spends its time, for the benchmark (npm run bench:test): with
// GOROSCOPE_TIMING=1 in the environment, the milliseconds since the process started at which each
// phase began or ended are written to standard error as one line when the process exits:
//   goroscope timing: {"go list start":131,"go list wanted":190,"go list done":262,"go test start":280,...}
// A phase that happens more than once (go test runs of --count, bisection probes) keeps its first.

const marks = new Map<string, number>();
const enabled = process.env.GOROSCOPE_TIMING === '1';

if (enabled) {
  process.on('exit', () => {
    mark('exit');
    process.stderr.write(`goroscope timing: ${JSON.stringify(Object.fromEntries(marks))}\n`);
  });
}

/** Records that `phase` happens now, unless it was recorded before. */
export function mark(phase: string): void {
  if (enabled && !marks.has(phase)) marks.set(phase, Math.round(performance.now()));
}
