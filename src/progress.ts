// How long-running library calls (test runs, the check's stages, reading a large dump) tell the
// user where they are. The CLI passes a terminal implementation (cli/progress.ts) that writes to
// stderr only when it is a terminal and not --quiet; library callers get silence by default.

export interface Progress {
  /** Replaces the one live status line ("finding the leaking test in pkg: 6 runs"). */
  status(text: string): void;
  /** Prints a line that stays ("run 2 of 4 (-cpu=2)"), above the live line. */
  note(text: string): void;
  /** Removes the live line (before a report is written below it). */
  clear(): void;
}

export const NO_PROGRESS: Progress = { status() {}, note() {}, clear() {} };
