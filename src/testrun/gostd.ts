// The standard library of the toolchain at hand, as `go list std` gives it: where goroscope runs
// go anyway (test, check), this is the exact list for the Go that built the program, and its
// GOROOT; the bundled list (dump/analyze/std-packages.ts) stays the fallback.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ToolchainStd } from '../dump/analyze/index.js';
import { goEnvironment } from './plan.js';

const execFileP = promisify(execFile);

/** `go list std` and the GOROOT of `go`; null when go cannot say (the caller still has the bundled list). */
export async function goListStd(go: string, cwd: string): Promise<ToolchainStd | null> {
  try {
    const { stdout } = await execFileP(go, ['list', '-f', '{{.ImportPath}}\t{{.Dir}}', 'std'], { cwd, env: goEnvironment(), maxBuffer: 16 << 20 });
    const packages: string[] = [];
    let goroot: string | null = null;
    for (const line of stdout.split('\n')) {
      const [importPath, dir] = line.split('\t');
      if (!importPath) continue;
      packages.push(importPath);
      if (importPath === 'runtime' && dir) goroot = dir.replace(/[\\/]src[\\/]runtime$/, '').replace(/\\/g, '/');
    }
    return packages.length > 0 ? { packages, goroot } : null;
  } catch {
    return null;
  }
}
