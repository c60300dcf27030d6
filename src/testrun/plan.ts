// Lists the packages `go test` will build and prepares the overlay that adds goroscope's
// leak check to each package's test binary.
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { UserError } from '../cli/exit.js';
import { parseTestArgs } from './args.js';
import { declaresTestMain, harnessSource, wrapUserTestMain } from './harness.js';
import { mark } from './timing.js';

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

/** A go list started by prefetchGoList(), kept for the goList() call with the same arguments. */
let prefetched: { key: string; listing: Promise<GoListPackage[]> } | null = null;

/**
 * Starts the go list that `goroscope test ARGS` will need, before the command line and the rest of
 * goroscope are loaded (cli/main.ts): go list then runs while they load instead of after. Bad
 * arguments start nothing; the command reports them.
 */
export function prefetchGoList(args: string[], cwd: string = process.cwd()): void {
  let o;
  try {
    o = parseTestArgs(args);
  } catch {
    return;
  }
  const listing = runGoList(o.go, o.packages, o.buildFlags, cwd);
  listing.catch(() => undefined); // its error is reported by the goList() call that takes it
  prefetched = { key: listingKey(o.go, o.packages, o.buildFlags, cwd), listing };
}

function listingKey(go: string, patterns: string[], buildFlags: string[], cwd: string): string {
  return JSON.stringify([go, patterns, buildFlags, cwd]);
}

/** The packages go test will build; a prefetched listing with the same arguments is used once. */
export function goList(go: string, patterns: string[], buildFlags: string[], cwd: string): Promise<GoListPackage[]> {
  mark('go list wanted');
  const p = prefetched;
  prefetched = null;
  if (p !== null && p.key === listingKey(go, patterns, buildFlags, cwd)) return p.listing;
  return runGoList(go, patterns, buildFlags, cwd);
}

async function runGoList(go: string, patterns: string[], buildFlags: string[], cwd: string): Promise<GoListPackage[]> {
  const format = '{{.ImportPath}}\t{{.Dir}}\t{{.Name}}\t{{join .TestGoFiles ","}}\t{{join .XTestGoFiles ","}}';
  let stdout: string;
  let stderr: string;
  try {
    // -find: the packages' own files are all the overlay needs; resolving their imports (what go
    // list does by default) only delays go test.
    mark('go list start');
    ({ stdout, stderr } = await execFileP(go, ['list', '-find', ...buildFlags, '-f', format, ...patterns], {
      cwd,
      env: goEnvironment(),
      maxBuffer: 64 << 20,
    }));
    mark('go list done');
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
  const srcDir = path.join(workDir, 'overlay');
  await mkdir(srcDir, { recursive: true });
  // Packages are prepared concurrently (go test waits for this); each result keeps its place.
  const prepared = await Promise.all(pkgs.map((pkg, i) => preparePackage(pkg, settleMs, (suffix) => path.join(srcDir, `${i}_${suffix}`))));
  const replace: Record<string, string> = {};
  const plans: PackagePlan[] = [];
  const unchecked: Overlay['unchecked'] = [];
  for (const p of prepared) {
    if (p === null) continue;
    if ('reason' in p) {
      unchecked.push(p);
      continue;
    }
    Object.assign(replace, p.replace);
    plans.push(p.plan);
  }
  const overlayFile = path.join(workDir, 'overlay.json');
  await writeFile(overlayFile, JSON.stringify({ Replace: replace }));
  return { file: overlayFile, plans, unchecked };
}

type Prepared = { plan: PackagePlan; replace: Record<string, string> } | Overlay['unchecked'][number] | null;

/** The overlay files of one package, written under `tmp(name)`; null when it has no tests. */
async function preparePackage(pkg: GoListPackage, settleMs: number, tmp: (suffix: string) => string): Promise<Prepared> {
  const testFiles = [...pkg.testGoFiles, ...pkg.xTestGoFiles];
  if (testFiles.length === 0) return null;
  const dumpName = dumpNameFor(pkg.importPath);
  const sources = await Promise.all(testFiles.map((f) => readFile(path.join(pkg.dir, f), 'utf8')));
  const m = sources.findIndex(declaresTestMain);
  const harnessPath = path.join(pkg.dir, 'zz_goroscope_leakcheck_test.go');
  const harnessFile = tmp('goroscope_harness_test.go');
  if (m < 0) {
    // Internal test package: present in every package with tests, even one with only _test packages.
    await writeFile(harnessFile, harnessSource({ packageName: pkg.name, dumpName, settleMs, wrapUserMain: false }));
    return { plan: { pkg, mode: 'injected', dumpName }, replace: { [harnessPath]: harnessFile } };
  }
  const mainFile = testFiles[m]!;
  const mainSource = sources[m]!;
  const wrapped = wrapUserTestMain(mainSource);
  const packageName = /^package\s+(\w+)/m.exec(mainSource)?.[1];
  if (!wrapped || !packageName) {
    return { importPath: pkg.importPath, reason: `its TestMain in ${mainFile} has a shape goroscope cannot wrap`, file: path.join(pkg.dir, mainFile) };
  }
  const copy = tmp(`user_${path.basename(mainFile)}`); // never the harness's name
  await Promise.all([writeFile(copy, wrapped), writeFile(harnessFile, harnessSource({ packageName, dumpName, settleMs, wrapUserMain: true }))]);
  return { plan: { pkg, mode: 'wrapped', dumpName }, replace: { [path.join(pkg.dir, mainFile)]: copy, [harnessPath]: harnessFile } };
}
