// Progress on stderr for a person watching a terminal: one live line rewritten in place, and
// notes that stay. Silent when stderr is not a terminal (CI logs, pipes, files) or with --quiet,
// so machine-readable output and logs never see it; stdout is never written.
import type { Progress } from '../progress.js';

export interface TerminalProgressOptions {
  quiet?: boolean;
  stream?: NodeJS.WriteStream;
  /** The live line appears only once the work has run this long (quick runs stay silent). */
  delayMs?: number;
}

/** Rewrites of the live line are at most this frequent: a terminal is slow to redraw. */
const MIN_INTERVAL_MS = 100;

export type TerminalProgress = Progress & { readonly enabled: boolean };

export function terminalProgress({ quiet = false, stream = process.stderr, delayMs = 0 }: TerminalProgressOptions = {}): TerminalProgress {
  const enabled = !quiet && stream.isTTY === true;
  const started = Date.now();
  let current: string | null = null; // the live line's text, drawn or waiting to be
  let shown = false;
  let lastDraw = 0;
  let timer: NodeJS.Timeout | null = null;
  // Longer than the terminal is wide, the line would wrap and \r could not erase it.
  const fit = (text: string) => {
    const width = Math.max(20, (stream.columns || 80) - 1);
    return text.length > width ? `${text.slice(0, width - 1)}…` : text;
  };
  const draw = () => {
    timer = null;
    if (current === null) return;
    stream.write(`\r\u001b[K${fit(`goroscope: ${current}`)}`);
    shown = true;
    lastDraw = Date.now();
  };
  const schedule = () => {
    const due = Math.max(started + delayMs, lastDraw + MIN_INTERVAL_MS);
    const now = Date.now();
    if (now >= due) draw();
    else if (!timer) {
      timer = setTimeout(draw, due - now);
      timer.unref();
    }
  };
  const erase = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (shown) stream.write('\r\u001b[K');
    shown = false;
  };
  return {
    enabled,
    status(text) {
      if (!enabled) return;
      current = text;
      schedule();
    },
    note(text) {
      if (!enabled) return;
      const wasShown = shown;
      erase();
      stream.write(`goroscope: ${text}\n`);
      if (wasShown) draw();
      else if (current !== null) schedule();
    },
    clear() {
      erase();
      current = null;
    },
  };
}
