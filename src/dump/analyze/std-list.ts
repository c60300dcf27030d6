// The bundled list of standard library packages (std-packages.ts, generated from `go list std`
// of each Go version there), read once on first use: start-up counts on every run.
import { STD_GO_VERSIONS, STD_PACKAGES } from './std-packages.js';

/** Import path -> the listed versions whose standard library has it. */
let byPackage: Map<string, readonly string[]> | null = null;

function parse(): Map<string, readonly string[]> {
  const map = new Map<string, readonly string[]>();
  for (const line of STD_PACKAGES.split('\n')) {
    const space = line.indexOf(' ');
    if (space < 0) continue;
    const versions: string[] = [];
    for (const run of line.slice(space + 1).split(',')) {
      const [from, to = from] = run.split('-');
      const lo = STD_GO_VERSIONS.indexOf(from!);
      const hi = STD_GO_VERSIONS.indexOf(to);
      for (let i = lo; i >= 0 && i <= hi; i++) versions.push(STD_GO_VERSIONS[i]!);
    }
    map.set(line.slice(0, space), versions);
  }
  return map;
}

function packages(): Map<string, readonly string[]> {
  return (byPackage ??= parse());
}

/** The Go versions (major.minor, oldest first) the bundled list covers. */
export const BUNDLED_GO_VERSIONS = STD_GO_VERSIONS;

/**
 * Whether `pkg` is a standard library package in any bundled Go version. A dump does not say
 * which Go wrote it, so every version counts; a package newer than the newest bundled version is
 * not in the list (its frames are recognised by their GOROOT files, or count as user code).
 */
export function inBundledStd(pkg: string): boolean {
  return packages().has(pkg);
}

/** The bundled standard library of one Go version ("1.19"), sorted; null when it is not bundled. */
export function bundledStdOf(version: string): string[] | null {
  if (!STD_GO_VERSIONS.includes(version)) return null;
  return [...packages()].filter(([, versions]) => versions.includes(version)).map(([pkg]) => pkg);
}
