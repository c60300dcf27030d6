// Source paths as a reader wants them in a report: the package's import path and the file name
// ("net/http/server.go", "example.com/shop/cart/cart.go"), not the machine's layout
// ("/usr/lib/go-1.19/src/net/http/server.go", "/home/ci/work/shop/cart/cart.go"). The full path
// stays available (a tooltip in the HTML report).
import { usualGorootOf } from '../analyze/goroot.js';
import { packageOf } from '../analyze/packages.js';

/**
 * The short form of `file`, where `func` (the frame's function) says which package it belongs
 * to: under a GOROOT, the path below its src/; where the file's directory is the package's own
 * (its last element, a module cache's "@version" dropped), the import path and the file name;
 * otherwise (package main, a directory named unlike its package) the last directory and the
 * file name. Relative paths (-trimpath) are short already.
 */
export function shortPath(file: string, func: string): string {
  const parts = file.split(/[\\/]/);
  if (parts.length <= 2 || !(file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file))) return file;
  const root = usualGorootOf(file.replace(/\\/g, '/'));
  if (root) return file.slice(root.length + '/src/'.length).replace(/\\/g, '/');
  const name = parts[parts.length - 1]!;
  const dir = parts[parts.length - 2]!.replace(/@[^@]*$/, '');
  const pkg = packageOf(func).replace(/_test$/, '');
  if (pkg !== 'main' && pkg.split('/').pop() === dir) return `${pkg}/${name}`;
  return `${parts[parts.length - 2]}/${name}`;
}
