// Which frames are "user code": the Go runtime and standard library are told apart from the
// program's own packages by their import path, since a dump carries no module information.
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

/**
 * Standard library (including the runtime): an import path whose first element has no dot, as the
 * go command defines it. "main", a test binary's "command-line-arguments" and the user's own
 * module path (which may lack a dot, e.g. "leakfixture/x") are user code.
 */
export function isStdlibPackage(pkg: string, modulePath: string | null = null): boolean {
  if (pkg === 'main' || pkg === 'command-line-arguments') return false;
  if (modulePath && (pkg === modulePath || pkg.startsWith(`${modulePath}/`))) return false;
  const first = pkg.split('/')[0] ?? '';
  return !first.includes('.');
}

export function isRuntimePackage(pkg: string): boolean {
  return pkg === 'runtime' || pkg.startsWith('runtime/internal') || pkg.startsWith('internal/runtime');
}

function isModulePackage(pkg: string, modulePath: string): boolean {
  return pkg === 'main' || pkg === 'command-line-arguments' || pkg === modulePath || pkg.startsWith(`${modulePath}/`);
}

export function toRef(f: Pick<Frame, 'func' | 'file' | 'line'>): FrameRef {
  return { func: f.func, file: f.file, line: f.line };
}

export function createdByRef(c: CreatedBy | null): FrameRef | null {
  return c ? { func: c.func, file: c.file, line: c.line } : null;
}

/**
 * The location that explains a goroutine: the first (innermost) frame outside the runtime and the
 * standard library. With a module path, frames of that module (or package main) win over
 * third-party ones, since the user can only fix their own code.
 */
export function locationFrame(frames: readonly Frame[], modulePath: string | null): Frame | null {
  if (modulePath) {
    const own = frames.find((f) => isModulePackage(framePackage(f), modulePath));
    if (own) return own;
  }
  return frames.find((f) => !isStdlibPackage(framePackage(f), modulePath)) ?? null;
}

export function frameKey(f: FrameRef | null): string {
  return f ? `${f.func}\u0000${f.file}:${f.line}` : '-';
}
