// Derives a frame's package import path from its printed function name.

import { isDigit } from './text.js';

/**
 * The import path of the package a Go function belongs to, from the name the runtime prints:
 * "net/http.(*conn).serve" -> "net/http", "github.com/a/b.c.(*T).M" -> "github.com/a/b",
 * "main.F[...].func1.2" -> "main", "gopkg.in/yaml%2ev3.x" and "gopkg.in/yaml.v3.x" -> "gopkg.in/yaml.v3".
 * The runtime escapes dots in the last path element as %2e, so the first dot after the last slash
 * ends the path; unescaped ".vN." major-version suffixes (hand-edited or old dumps) are kept.
 */
export function packageOf(func: string): string {
  // Generic type arguments may contain slashes and dots of other packages: look only before '['.
  const bracket = func.indexOf('[');
  const name = bracket >= 0 ? func.slice(0, bracket) : func;
  const slash = name.lastIndexOf('/');
  let dot = name.indexOf('.', slash + 1);
  if (dot < 0) return name === 'panic' ? 'runtime' : '';
  if (slash >= 0) dot = skipMajorVersionSuffix(name, dot);
  const pkg = name.slice(0, dot);
  return pkg.includes('%') ? unescapePath(pkg) : pkg;
}

/** At "yaml.v3.x", dot points at ".v3": move it past a ".vN" element that is followed by a dot. */
function skipMajorVersionSuffix(name: string, dot: number): number {
  if (name.charCodeAt(dot + 1) !== 0x76 /* v */) return dot;
  let i = dot + 2;
  while (i < name.length && isDigit(name.charCodeAt(i))) i++;
  if (i > dot + 2 && name.charCodeAt(i) === 0x2e /* . */) return i;
  return dot;
}

function unescapePath(p: string): string {
  return p.replace(/%([0-9a-fA-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
