// Lists the packages `go test` will build and prepares the overlay that adds goroscope's
// leak check to each package's test binary.
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { UserError } from '../cli/exit.js';
import { declaresTestMain, harnessSource, wrapUserTestMain } from './harness.js';

const execFileP = promisify(execFile);

export interface GoListPackage {
  importPath: string;
  dir: string;
  name: string;
  testGoFiles: string[];
  xTestGoFiles: string[];
}

export type CheckMode = 'injected' | 'wrapped';

export interface PackagePlan {
  pkg: GoListPackage;
  mode: CheckMode;
  /** The dump file name the harness writes in GOROSCOPE_DUMP_DIR. */
  dumpName: string;
}

export interface Overlay {
  /** Path of the overlay JSON to pass as -overlay. */
  file: string;
  plans: PackagePlan[];
  /** Packages with tests that cannot be checked, each with the reason (never skipped silently). */
  unchecked: Array<{ importPath: string; reason: string; file: string }>;
}

export function goEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { GOTOOLCHAIN: 'local', ...process.env, ...extra };
}

export async function goList(go: string, patterns: string[], buildFlags: string[], cwd: string): Promise<GoListPackage[]> {
  const format = '{{.ImportPath}}\t{{.Dir}}\t{{.Name}}\t{{join .TestGoFiles ","}}\t{{join .XTestGoFiles ","}}';
  let stdout: string;
  let stderr: string;
  try {
    ({ stdout, stderr } = await execFileP(go, ['list', ...buildFlags, '-f', format, ...patterns], {
      cwd,
      env: goEnvironment(),
      maxBuffer: 64 << 20,
    }));
  } catch (err) {
    const e = err as { code?: string; stderr?: string; message: string };
    if (e.code === 'ENOENT') throw new UserError(`cannot run ${go}: not found (put go on PATH or pass --go PATH)`);
    throw new UserError(`go list failed: ${(e.stderr ?? e.message).trim()}`);
  }
  // go warns and goes on; a leak gate must not pass a pattern that checked nothing.
  const unmatched = stderr.split('\n').filter((l) => l.includes('matched no packages'));
  if (unmatched.length > 0) throw new UserError(`no packages to test: ${unmatched.map((l) => l.trim()).join('; ')}`);
  return stdout
    .split('\n')
    .filter((l) => l.trim())
    .map((line) => {
      const [importPath, dir, name, tests, xtests] = line.split('\t');
      return {
        importPath: importPath!,
        dir: dir!,
        name: name!,
        testGoFiles: tests ? tests.split(',') : [],
        xTestGoFiles: xtests ? xtests.split(',') : [],
      };
    });
}

/** A file name safe for any import path. */
export function dumpNameFor(importPath: string): string {
  return importPath.replace(/[^A-Za-z0-9._-]+/g, '_');
}

export async function buildOverlay(pkgs: GoListPackage[], settleMs: number, workDir: string): Promise<Overlay> {
  const replace: Record<string, string> = {};
  const plans: PackagePlan[] = [];
  const unchecked: Overlay['unchecked'] = [];
  const srcDir = path.join(workDir, 'overlay');
  await mkdir(srcDir, { recursive: true });
  let n = 0;
  for (const pkg of pkgs) {
    const testFiles = [...pkg.testGoFiles, ...pkg.xTestGoFiles];
    if (testFiles.length === 0) continue;
    const dumpName = dumpNameFor(pkg.importPath);
    let mainFile: string | null = null;
    let mainSource = '';
    for (const f of testFiles) {
      const source = await readFile(path.join(pkg.dir, f), 'utf8');
      if (declaresTestMain(source)) {
        mainFile = f;
        mainSource = source;
        break;
      }
    }
    const harnessPath = path.join(pkg.dir, 'zz_goroscope_leakcheck_test.go');
    const tmp = (suffix: string) => path.join(srcDir, `${n++}_${suffix}`);
    if (!mainFile) {
      // Internal test package: present in every package with tests, even one with only _test packages.
      const file = tmp('harness_test.go');
      await writeFile(file, harnessSource({ packageName: pkg.name, dumpName, settleMs, wrapUserMain: false }));
      replace[harnessPath] = file;
      plans.push({ pkg, mode: 'injected', dumpName });
      continue;
    }
    const wrapped = wrapUserTestMain(mainSource);
    const packageName = /^package\s+(\w+)/m.exec(mainSource)?.[1];
    if (!wrapped || !packageName) {
      unchecked.push({ importPath: pkg.importPath, reason: `its TestMain in ${mainFile} has a shape goroscope cannot wrap`, file: path.join(pkg.dir, mainFile) });
      continue;
    }
    const copy = tmp(path.basename(mainFile));
    await writeFile(copy, wrapped);
    replace[path.join(pkg.dir, mainFile)] = copy;
    const file = tmp('harness_test.go');
    await writeFile(file, harnessSource({ packageName, dumpName, settleMs, wrapUserMain: true }));
    replace[harnessPath] = file;
    plans.push({ pkg, mode: 'wrapped', dumpName });
  }
  const overlayFile = path.join(workDir, 'overlay.json');
  await writeFile(overlayFile, JSON.stringify({ Replace: replace }));
  return { file: overlayFile, plans, unchecked };
}
