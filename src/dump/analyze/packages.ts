// Names of code locations in a dump: a frame's package, the reduced frame that groups compare.
// Which frames are the user's code is decided in user-code.ts.
import type { CreatedBy, Frame } from '../model.js';

/** A frame reduced to what identifies a code location (no args, offsets or pointers). */
export interface FrameRef {
  func: string;
  file: string;
  line: number;
}

/**
 * The import path of a qualified Go function name: "net/http.(*Server).Serve" -> "net/http",
 * "main.worker.func1" -> "main". The package ends at the first dot after the last slash, which
 * holds for methods, closures and generics because import paths escape dots only before a slash.
 */
export function packageOf(func: string): string {
  if (func === 'panic' || func.startsWith('panic(')) return 'runtime'; // runtime.gopanic is printed as "panic"
  const slash = func.lastIndexOf('/', func.indexOf('(') >= 0 ? func.indexOf('(') : func.length);
  const dot = func.indexOf('.', slash + 1);
  return dot < 0 ? func : func.slice(0, dot);
}

/** The frame's package as the parser gave it, falling back to the function name. */
export function framePackage(frame: Pick<Frame, 'func' | 'package'>): string {
  return frame.package || packageOf(frame.func);
}

/** The Go runtime's own packages by name; whether a frame's package is the real one, see CodeFacts.isRuntime. */
export function isRuntimePackage(pkg: string): boolean {
  return pkg === 'runtime' || pkg.startsWith('runtime/internal/') || pkg.startsWith('internal/runtime/');
}

export function toRef(f: Pick<Frame, 'func' | 'file' | 'line'>): FrameRef {
  return { func: f.func, file: f.file, line: f.line };
}

export function createdByRef(c: CreatedBy | null): FrameRef | null {
  return c ? { func: c.func, file: c.file, line: c.line } : null;
}

export function frameKey(f: FrameRef | null): string {
  return f ? `${f.func}\u0000${f.file}:${f.line}` : '-';
}
