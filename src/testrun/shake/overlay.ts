// Builds the overlay of `goroscope test --shake`: the leak-check overlay (plan.ts) plus
// instrumented copies of the tested packages' Go files (test files included) and, with
// --shake-deps, of the other packages of the main module they import, and one helper file per
// instrumented package clause. A file the leak-check overlay already replaces (a wrapped
// TestMain) is instrumented from that copy. Nothing is written to the user's tree.
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { UserError } from '../../cli/exit.js';
import { getGoParser } from '../../gosrc/treesitter.js';
import { goEnvironment } from '../plan.js';
import { shakeHelperSource } from './helper.js';
import { instrumentSource } from './instrument.js';

const execFileP = promisify(execFile);

export interface ShakePackage {
  importPath: string;
  dir: string;
  name: string;
  standard: boolean;
  /** Compiled non-test files, cgo files apart. */
  goFiles: string[];
  cgoFiles: string[];
  testGoFiles: string[];
  xTestGoFiles: string[];
  /** True for a package under test (its test files are instrumented too). */
  tested: boolean;
}

export interface SkippedFile {
  file: string;
  reason: string;
}

export interface ShakeOverlay {
  /** The overlay JSON to pass as -overlay. */
  file: string;
  /** Files instrumented, and the calls inserted in them. */
  files: number;
  sites: number;
  /** Files left as they are (cgo, generated, unparsable), with the reason. */
  skipped: SkippedFile[];
}

/** Packages the helper imports: instrumenting one of them (or what they import) would be an import cycle. */
const HELPER_IMPORTS = ['os', 'runtime', 'strconv', 'sync/atomic', 'time'];

const FIELDS = ['{{.ImportPath}}', '{{.Dir}}', '{{.Name}}', '{{.Standard}}', '{{with .Module}}{{.Main}}{{end}}', '{{join .GoFiles ","}}', '{{join .CgoFiles ","}}', '{{join .TestGoFiles ","}}', '{{join .XTestGoFiles ","}}'];

async function goListLines(go: string, args: string[], cwd: string): Promise<string[][]> {
  try {
    const { stdout } = await execFileP(go, ['list', ...args], { cwd, env: goEnvironment(), maxBuffer: 256 << 20 });
    return stdout
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => l.split('\t'));
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new UserError(`go list failed (--shake): ${(e.stderr ?? e.message).trim()}`);
  }
}

const list = (s: string | undefined) => (s ? s.split(',') : []);

/**
 * The packages to instrument: those matching the patterns (with their test files) and, with
 * `deps`, every other package of the main module they or their tests import.
 */
export async function listShakePackages(go: string, patterns: string[], buildFlags: string[], cwd: string, deps: boolean): Promise<ShakePackage[]> {
  const format = ['-f', FIELDS.join('\t')];
  const toPackage = (f: string[], tested: boolean): ShakePackage => ({
    importPath: f[0]!,
    dir: f[1]!,
    name: f[2]!,
    standard: f[3] === 'true',
    goFiles: list(f[5]),
    cgoFiles: list(f[6]),
    testGoFiles: tested ? list(f[7]) : [],
    xTestGoFiles: tested ? list(f[8]) : [],
    tested,
  });
  const tested = (await goListLines(go, [...buildFlags, ...format, ...patterns], cwd)).map((f) => toPackage(f, true));
  if (!deps) return tested;
  const seen = new Set(tested.map((p) => p.importPath));
  const out = [...tested];
  // -test brings in what the test files import; test variants ("p [p.test]") and test mains are left out.
  for (const f of await goListLines(go, [...buildFlags, '-deps', '-test', ...format, ...patterns], cwd)) {
    const importPath = f[0]!;
    if (f[4] !== 'true' || importPath.includes(' ') || importPath.endsWith('.test') || seen.has(importPath)) continue;
    seen.add(importPath);
    out.push(toPackage(f, false));
  }
  return out;
}

/** The standard packages the helper depends on (only asked for when a standard package is instrumented). */
async function helperDependencies(go: string, cwd: string): Promise<Set<string>> {
  const lines = await goListLines(go, ['-deps', '-f', '{{.ImportPath}}', ...HELPER_IMPORTS], cwd);
  return new Set(lines.map((f) => f[0]!));
}

/**
 * Reads the leak-check overlay `baseOverlay`, adds the instrumented files and the helpers, and
 * writes the result next to it.
 */
export async function buildShakeOverlay(go: string, baseOverlay: string, pkgs: ShakePackage[], cwd: string): Promise<ShakeOverlay> {
  const replace = (JSON.parse(await readFile(baseOverlay, 'utf8')) as { Replace: Record<string, string> }).Replace;
  const outDir = path.join(path.dirname(baseOverlay), 'shake');
  await mkdir(outDir, { recursive: true });
  const parser = await getGoParser();
  const skipped: SkippedFile[] = [];
  let files = 0;
  let sites = 0;
  let n = 0;
  const helperDeps = pkgs.some((p) => p.standard) ? await helperDependencies(go, cwd) : new Set<string>();
  for (const pkg of pkgs) {
    if (helperDeps.has(pkg.importPath)) {
      skipped.push({ file: pkg.dir, reason: `${pkg.importPath} is imported by the shake helper itself` });
      continue;
    }
    for (const f of pkg.cgoFiles) skipped.push({ file: path.join(pkg.dir, f), reason: 'cgo file (import "C")' });
    // One helper per package clause: the package with its in-package tests, and the external test package.
    const clauses: Array<{ files: string[]; helper: string; name: string | null }> = [
      { files: [...pkg.goFiles, ...pkg.testGoFiles], helper: pkg.goFiles.length + pkg.cgoFiles.length > 0 ? 'zz_goroscope_shake.go' : 'zz_goroscope_shake_test.go', name: pkg.name },
      { files: pkg.xTestGoFiles, helper: 'zz_goroscope_shakex_test.go', name: null },
    ];
    for (const clause of clauses) {
      let count = 0;
      let packageName = clause.name;
      for (const f of clause.files) {
        const original = path.join(pkg.dir, f);
        const from = replace[original] ?? original;
        let source: string;
        try {
          source = await readFile(from, 'utf8');
        } catch (err) {
          skipped.push({ file: original, reason: `cannot read it: ${(err as Error).message}` });
          continue;
        }
        const result = instrumentSource(parser, source, count);
        if (!result.instrumented) {
          skipped.push({ file: original, reason: result.reason });
          continue;
        }
        if (result.sites.length === 0) continue;
        packageName ??= result.packageName;
        const copy = path.join(outDir, `${n++}_${path.basename(f)}`);
        await writeFile(copy, result.source);
        replace[original] = copy;
        count += result.sites.length;
        files++;
      }
      if (count === 0 || !packageName) continue;
      sites += count;
      const helper = path.join(outDir, `${n++}_${clause.helper}`);
      await writeFile(helper, shakeHelperSource({ packageName, sites: count }));
      replace[path.join(pkg.dir, clause.helper)] = helper;
    }
  }
  const file = path.join(path.dirname(baseOverlay), 'overlay-shake.json');
  await writeFile(file, JSON.stringify({ Replace: replace }));
  return { file, files, sites, skipped };
}
