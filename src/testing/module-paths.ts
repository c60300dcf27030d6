// Test helpers that put the tests' Go code and dumps under module paths without a dot ("shop",
// "billing/api"), made at test time from the committed code: user code must be recognised as
// such whatever its module is called, so every leak found under example.com/... must be found
// under these paths too.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Module paths without a dot that the tests also run under. */
export const DOTLESS_MODULES = ['shop', 'billing/api'] as const;

function goFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return goFiles(p);
    return name.endsWith('.go') ? [p] : [];
  });
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A copy of the Go module at `dir` in a new temporary directory (under `<tmp>/<last element of
 * the new path>`), with go.mod's module line and the imports of its own packages rewritten to
 * `modulePath`. Returns the copy's root; the caller removes path.dirname(root) when done.
 */
export function copyModuleAs(dir: string, modulePath: string): string {
  const gomod = readFileSync(path.join(dir, 'go.mod'), 'utf8');
  const old = /^module\s+(\S+)/m.exec(gomod)?.[1];
  if (!old) throw new Error(`no module line in ${dir}/go.mod`);
  const root = path.join(mkdtempSync(path.join(os.tmpdir(), 'goroscope-module-')), path.basename(modulePath));
  cpSync(dir, root, { recursive: true });
  writeFileSync(path.join(root, 'go.mod'), gomod.replace(/^module\s+\S+/m, `module ${modulePath}`));
  const imports = new RegExp(`"${escapeRegExp(old)}(/[^"]*)?"`, 'g');
  for (const file of goFiles(root)) {
    const text = readFileSync(file, 'utf8');
    const moved = text.replace(imports, (_m, rest: string | undefined) => `"${modulePath}${rest ?? ''}"`);
    if (moved !== text) writeFileSync(file, moved);
  }
  return root;
}

/**
 * Moves the `package main` program in `dir/rel` (of a module copied by copyModuleAs) into a
 * package `app` below it, with a main that only calls app.Main: its goroutines then run in
 * "<module>/<rel>/app", not in package main, which no module path changes. Lines keep their
 * numbers. Returns the new package's directory.
 */
export function movePackageMain(dir: string, rel: string): string {
  const from = path.join(dir, rel);
  const to = path.join(from, 'app');
  mkdirSync(to);
  const modulePath = /^module\s+(\S+)/m.exec(readFileSync(path.join(dir, 'go.mod'), 'utf8'))![1]!;
  for (const name of readdirSync(from).filter((n) => n.endsWith('.go') && !n.endsWith('_test.go'))) {
    const text = readFileSync(path.join(from, name), 'utf8');
    writeFileSync(path.join(from, name), text.replace(/^package main$/m, 'package app').replace(/^func main\(\) \{$/m, 'func Main() {'));
    renameSync(path.join(from, name), path.join(to, name));
  }
  const importPath = path.posix.join(modulePath, rel.split(path.sep).join('/'), 'app');
  writeFileSync(path.join(from, 'main.go'), `package main\n\nimport "${importPath}"\n\nfunc main() { app.Main() }\n`);
  return to;
}

/**
 * A goroutine dump's text as if its program's own code were in `<modulePath>/leaky` instead of
 * package main (main.main and its closures stay: the main goroutine is always main.main), and
 * its example.com/... test packages and -trimpath files in <modulePath>/....
 */
export function moveUserFrames(text: string, modulePath: string): string {
  return text.replace(/(^|\t|created by )main\.(?!main\b)/gm, `$1${modulePath}/leaky.`).replace(/example\.com\//g, `${modulePath}/`);
}
