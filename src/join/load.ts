// One package read for the join layer (explain, dump --source): its directory's Go files, as the
// scan finds and reads them (same walker, same build-constraint and size checks), parsed into
// the GoPackage the model reads.
import path from 'node:path';
import { findGoMod } from '../gosrc/gomod.js';
import { buildPackage, ParseFailure, type GoPackage } from '../gosrc/package.js';
import { getGoParser } from '../gosrc/treesitter.js';
import { discover, loadGoSource } from '../gosrc/walk.js';

/** Thrown when a package cannot be read; the message names the directory or file. */
export class LoadError extends Error {}

/**
 * The package in `dir` (as given: absolute, or relative to `cwd`, which is how its files are then
 * named). Files that cannot be read are left out and listed in `problems`.
 */
export async function loadPackage(dir: string, cwd: string = process.cwd()): Promise<{ pkg: GoPackage; problems: string[] }> {
  const found = discover([dir], { cwd });
  const problems = found.errors.map((e) => `${e.file}: ${e.message}`);
  const pkgDir = found.packages[0];
  if (!pkgDir) throw new LoadError(found.errors[0]?.message ?? `${dir}: no Go files`);
  const files: Array<{ path: string; source: string }> = [];
  for (const f of pkgDir.files) {
    const loaded = loadGoSource(f.abs);
    if (loaded.kind === 'source') files.push({ path: f.display, source: loaded.source });
    else if (loaded.kind === 'error') problems.push(`${f.display}: ${loaded.message}`);
  }
  if (files.length === 0) throw new LoadError(`${dir}: no Go file could be read`);
  const mod = findGoMod(path.resolve(cwd, dir));
  try {
    const pkg = buildPackage({ dir: pkgDir.displayDir, files, goVersion: mod?.goVersion ?? null, modulePath: mod?.modulePath ?? null, keepAllBodies: true }, await getGoParser());
    return { pkg, problems };
  } catch (err) {
    if (err instanceof ParseFailure) throw new LoadError(`${err.file}: the Go parser failed: ${err.message}`);
    throw err;
  }
}
