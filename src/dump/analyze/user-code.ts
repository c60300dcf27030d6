// Which frames are the user's code and which the Go standard library (and runtime), decided from
// facts, never from the shape of an import path: modules without a dot in their path ("shop",
// "billing/api") are common, and calling their goroutines "standard library" hides their leaks.
//
// A frame is the user's when its package is "main", "command-line-arguments", or in the module
// (go.mod or --module). Otherwise it is the standard library when any of these says so:
//   - `go list std` of the toolchain at hand (goroscope test and check run go anyway);
//   - the bundled list of every standard package of the Go versions in std-packages.ts;
//   - its file lies under a GOROOT: a usual installation path (goroot.ts), the toolchain's own,
//     or one the dump itself shows in its runtime frames' files.
// Anything else is user code: when the facts cannot tell, a goroutine is shown, never hidden.
import type { Frame } from '../model.js';
import { gorootOfRuntimeFile, usualGorootOf } from './goroot.js';
import { framePackage, isRuntimePackage } from './packages.js';
import { inBundledStd } from './std-list.js';

/** What a Go toolchain at hand says about its standard library (`go list std`). */
export interface ToolchainStd {
  /** The import paths `go list std` printed. */
  packages: readonly string[];
  /** The toolchain's GOROOT, when known. */
  goroot: string | null;
}

export interface CodeFactsOptions {
  /** The program's module path (go.mod or --module): its packages are user code. */
  modulePath?: string | null;
  toolchainStd?: ToolchainStd | null;
}

/** What the facts need of a frame (a Frame or a CreatedBy). */
export type FrameFacts = Pick<Frame, 'func' | 'package' | 'file'>;

const USER = 0;
const STD = 1;
/** Neither the module nor any list knows the package: its file decides. */
const BY_FILE = 2;
type Verdict = typeof USER | typeof STD | typeof BY_FILE;

/**
 * The facts about one program's code. Verdicts are cached per package and per file, so a caller
 * that asks once per distinct stack (GroupIdentities) pays a few map lookups per frame.
 */
export class CodeFacts {
  readonly modulePath: string | null;
  private readonly toolchainPackages: ReadonlySet<string> | null;
  /** GOROOTs given or learned from the dump, each as "<GOROOT>/src/". */
  private readonly roots: string[] = [];
  private readonly packageVerdicts = new Map<string, Verdict>();
  private readonly fileVerdicts = new Map<string, boolean>();

  constructor(options: CodeFactsOptions = {}) {
    this.modulePath = options.modulePath || null;
    this.toolchainPackages = options.toolchainStd ? new Set(options.toolchainStd.packages) : null;
    if (options.toolchainStd?.goroot) this.addGoroot(options.toolchainStd.goroot);
  }

  /** The runtime or the standard library. */
  isStd(f: FrameFacts): boolean {
    const verdict = this.packageVerdict(framePackage(f));
    return verdict === BY_FILE ? this.inGoroot(f.file) : verdict === STD;
  }

  /** The Go runtime's own packages (runtime, runtime/internal/..., internal/runtime/...). */
  isRuntime(f: FrameFacts): boolean {
    return isRuntimePackage(framePackage(f)) && this.isStd(f);
  }

  /** Package main, a `go run` file list, or the program's module: the code the user can fix. */
  isOwn(f: FrameFacts): boolean {
    return this.isOwnPackage(framePackage(f));
  }

  /**
   * Learns the GOROOTs that standard library frames show: a dump's runtime files reveal where its
   * Go was installed ("/home/me/sdk/go/src/runtime/proc.go"), which then recognises standard
   * packages newer than the bundled list. Call it before asking about the same frames.
   */
  learnGoroots(frames: readonly FrameFacts[]): void {
    for (const f of frames) {
      if (!f.file.includes('/src/runtime/') || this.packageVerdict(framePackage(f)) !== STD) continue;
      const root = gorootOfRuntimeFile(f.file);
      if (root !== null && !this.roots.includes(`${root}/src/`)) this.addGoroot(root);
    }
  }

  /**
   * The frame that explains a goroutine: the first (innermost) one in the program's own code
   * (main or the module), else the first outside the standard library (third-party code).
   */
  locationFrame<F extends FrameFacts>(frames: readonly F[]): F | null {
    if (this.modulePath) {
      const own = frames.find((f) => this.isOwn(f));
      if (own) return own;
    }
    return frames.find((f) => !this.isStd(f)) ?? null;
  }

  private addGoroot(root: string): void {
    this.roots.push(`${root.replace(/\/+$/, '')}/src/`);
    this.fileVerdicts.clear(); // files outside every GOROOT so far may be inside this one
  }

  private isOwnPackage(pkg: string): boolean {
    if (pkg === 'main' || pkg === 'command-line-arguments') return true;
    const m = this.modulePath;
    if (m === null) return false;
    // An external test package of the module's root is printed as "<module>_test".
    const p = pkg.endsWith('_test') ? pkg.slice(0, -'_test'.length) : pkg;
    return p === m || p.startsWith(`${m}/`);
  }

  private packageVerdict(pkg: string): Verdict {
    let v = this.packageVerdicts.get(pkg);
    if (v === undefined) {
      if (this.isOwnPackage(pkg)) v = USER;
      else if (this.toolchainPackages?.has(pkg) || inBundledStd(pkg)) v = STD;
      else v = BY_FILE;
      this.packageVerdicts.set(pkg, v);
    }
    return v;
  }

  private inGoroot(file: string): boolean {
    let v = this.fileVerdicts.get(file);
    if (v === undefined) {
      v = this.roots.some((r) => file.startsWith(r)) || usualGorootOf(file) !== null;
      this.fileVerdicts.set(file, v);
    }
    return v;
  }
}

/** Facts without a module path or toolchain: the bundled list and GOROOT paths only. */
export const BUNDLED_FACTS = new CodeFacts();

/**
 * Whether a package is in the standard library by the facts that need no frame: not main or the
 * module, and in the bundled list. A frame's file can say more: see CodeFacts.isStd.
 */
export function isStdlibPackage(pkg: string, modulePath: string | null = null): boolean {
  return (modulePath ? new CodeFacts({ modulePath }) : BUNDLED_FACTS).isStd({ func: '', package: pkg, file: '' });
}

/** CodeFacts.locationFrame with the given facts (by default the bundled ones). */
export function locationFrame<F extends FrameFacts>(frames: readonly F[], facts: CodeFacts = BUNDLED_FACTS): F | null {
  return facts.locationFrame(frames);
}
