// Reads what `go test` printed: which packages passed, and the goroutine dump of a test binary
// that hit -timeout ("panic: test timed out after ...").

/** Package import path → passed, from plain (`ok`/`FAIL` lines) or -json output. */
export function packageOutcomes(output: string): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const line of output.split('\n')) {
    if (line.startsWith('{')) {
      try {
        const ev = JSON.parse(line) as { Action?: string; Package?: string; Test?: string };
        if (ev.Package && !ev.Test && (ev.Action === 'pass' || ev.Action === 'fail')) out.set(ev.Package, ev.Action === 'pass');
      } catch {
        /* a test's own output line starting with "{" */
      }
      continue;
    }
    const m = /^(ok|FAIL|---)\s+(\S+)/.exec(line);
    if (!m || m[1] === '---') continue;
    if (m[2] === '[build' || m[2] === '[setup') continue;
    out.set(m[2]!, m[1] === 'ok');
  }
  return out;
}

export interface TimeoutPanic {
  /** The package the panic belongs to (from the FAIL line after it), or null. */
  importPath: string | null;
  /** Tests the runtime listed as running (Go 1.20+), or found as Test frames in the dump. */
  runningTests: string[];
  /** The text of the panic, dump included. */
  text: string;
}

/**
 * Every -timeout panic in the output. With -json the dump arrives as "Output" events, so JSON
 * lines are unwrapped first.
 */
export function findTimeoutPanics(rawOutput: string): TimeoutPanic[] {
  const output = unwrapJsonOutput(rawOutput);
  const panics: TimeoutPanic[] = [];
  let from = 0;
  for (;;) {
    const start = output.indexOf('panic: test timed out after', from);
    if (start < 0) break;
    const failLine = /^FAIL\s+(\S+)/m;
    const rest = output.slice(start);
    const fail = failLine.exec(rest);
    const end = fail ? start + fail.index : output.length;
    const text = output.slice(start, end);
    const running: string[] = [];
    const runningBlock = /running tests:\n((?:\t.+\n)+)/.exec(text);
    if (runningBlock) for (const l of runningBlock[1]!.split('\n')) if (l.trim()) running.push(l.trim().replace(/\s+\([^)]*\)$/, ''));
    panics.push({ importPath: fail?.[1] ?? null, runningTests: running, text });
    from = end + 1;
  }
  return panics;
}

function unwrapJsonOutput(output: string): string {
  if (!/^\{"Time"/m.test(output)) return output;
  let text = '';
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) {
      text += line + '\n';
      continue;
    }
    try {
      const ev = JSON.parse(line) as { Action?: string; Output?: string; Package?: string; Test?: string };
      if (ev.Action === 'output' && ev.Output) text += ev.Output;
      else if (ev.Action === 'fail' && ev.Package && !ev.Test) text += `FAIL\t${ev.Package}\n`;
    } catch {
      text += line + '\n';
    }
  }
  return text;
}

/** Names of Test functions of a package found in frames like "pkg.TestX(...)" / "pkg.TestX.func1". */
export function testsInFrames(funcs: string[], importPath: string): string[] {
  const out: string[] = [];
  const prefix = `${importPath}.`;
  for (const f of funcs) {
    const candidates = [prefix, `${importPath}_test.`];
    for (const p of candidates) {
      if (!f.startsWith(p)) continue;
      const m = /^(Test\w*)/.exec(f.slice(p.length));
      if (m && m[1] !== 'TestMain' && !out.includes(m[1]!)) out.push(m[1]!);
    }
  }
  return out;
}

/**
 * What go test printed for each package, from plain or -json output: in plain output, the lines
 * since the previous package's `ok`/`FAIL`/`?` line up to and including its own (go test prints
 * each package's output as one block); with -json, the Output of the package's events.
 */
export function packageOutputs(output: string): Map<string, string> {
  const out = new Map<string, string>();
  const add = (pkg: string, text: string) => out.set(pkg, (out.get(pkg) ?? '') + text);
  let pending = '';
  for (const line of output.split('\n')) {
    if (line.startsWith('{')) {
      try {
        const ev = JSON.parse(line) as { Action?: string; Package?: string; Output?: string };
        if (ev.Package && ev.Action === 'output' && typeof ev.Output === 'string') add(ev.Package, ev.Output);
        continue;
      } catch {
        /* a plain line that starts with "{" */
      }
    }
    pending += line + '\n';
    const end = /^(?:ok|FAIL|\?)\s+(\S+)/.exec(line);
    if (end && !end[1]!.startsWith('[')) {
      add(end[1]!, pending);
      pending = '';
    }
  }
  return out;
}
