// Why a package's leak check did not run, read from what go test printed for it, and whether
// that was a usage error (go's or the test binary's flag parsing) rather than a test outcome.
// A package goroscope could not check is reported as such, never counted as clean.

export interface MissingCheck {
  /** One line for the report: why the harness's check did not run. */
  reason: string;
  /** The flag parser's message when the test binary rejected its arguments (a usage error). */
  usageError: string | null;
}

/**
 * The flag package's messages (flag.FlagSet with ExitOnError, as the testing package parses the
 * test binary's flags), followed by the usage line naming the test binary: a test that merely
 * prints such a message is not taken for one.
 */
const FLAG_ERROR = /^(flag provided but not defined: -\S+|invalid (?:boolean )?value .* for (?:flag )?-\S+: .*|bad flag syntax: .*|flag needs an argument: -\S+)\nUsage of \S+\.test(?:\.exe)?:$/m;

/**
 * `output`: what go test printed for the package (packageOutputs); `passed`: its ok/FAIL outcome
 * when go test printed one.
 */
export function whyNotChecked(output: string, passed: boolean | undefined): MissingCheck {
  const usage = FLAG_ERROR.exec(output);
  if (usage) return { reason: `the test binary rejected its arguments: ${usage[1]}`, usageError: usage[1]! };
  const failLine = /^FAIL\s+\S+\s+\[(build|setup) failed\]/m.exec(output);
  if (failLine) return { reason: `the test binary was not run: ${failLine[1]} failed`, usageError: null };
  const signal = /^signal: (.+)$/m.exec(output);
  if (signal) return { reason: `the test binary was killed (signal: ${signal[1]!.trim()}) before goroscope's check ran`, usageError: null };
  const crash = /^(panic: .*|fatal error: .*)$/m.exec(output);
  if (crash) return { reason: `the test binary crashed before goroscope's check ran: ${crash[1]!.trim()}`, usageError: null };
  const status = /^exit status (\d+)$/m.exec(output);
  if (status) {
    return {
      reason: `the test binary exited with status ${status[1]} before goroscope's check ran (os.Exit or syscall.Exit in a test, an init function or a function TestMain calls)`,
      usageError: null,
    };
  }
  // With -json, Go 1.19's test2json files a binary's early "ok" line under the running test, so
  // no package-level pass event says it passed: the line itself does.
  if (passed === true || /^ok\s/m.test(output)) {
    return {
      reason: "the test binary exited with status 0 before goroscope's check ran (syscall.Exit, or os.Exit outside a test and outside TestMain's own body)",
      usageError: null,
    };
  }
  if (passed === false) {
    // go test -json of Go 1.19 drops the "signal: killed" and "exit status" lines.
    return { reason: "the test binary failed before goroscope's check ran (it exited, crashed or was killed; go test's output does not say which)", usageError: null };
  }
  return { reason: "the test binary did not reach goroscope's check, and go test's output does not say why", usageError: null };
}

/**
 * go test's own usage error (a flag go test rejects): it exits 2 after printing the message and
 * "usage: go test ...". Returns the message, or null for any other outcome (a build failure
 * also exits 2, without the usage line).
 */
export function goUsageError(exitCode: number, output: string): string | null {
  if (exitCode !== 2) return null;
  const usage = /^usage: go test /m.exec(output);
  if (!usage) return null;
  const before = output.slice(0, usage.index).trim().split('\n');
  return before[before.length - 1]?.trim() || 'go test rejected its arguments';
}
