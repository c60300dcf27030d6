// Every node of a package by its type, found in one walk. Several rules look at all calls (or
// all go statements, all receives) of a package; each walking every tree again cost a full walk
// per rule, which the language server pays on every edit.
import type { SNode } from './ast.js';
import type { GoFile, GoPackage } from './package.js';

/** The types rules ask for; only these are indexed (a lookup per node of every type cost more than the walks it saved). */
export type IndexedType = 'call_expression' | 'go_statement' | 'unary_expression';

interface NodeIndex {
  call_expression: SNode[];
  go_statement: SNode[];
  unary_expression: SNode[];
}

const indexCache = new WeakMap<GoPackage, NodeIndex>();

/**
 * The package's nodes of this type, file by file in the package's order, each file in source
 * order (pre-order). With `inFile`, only those of the files it keeps (a rule's textual
 * prefilter); when it keeps none, the package is not even indexed.
 */
export function nodesOfType(pkg: GoPackage, type: IndexedType, inFile?: (f: GoFile) => boolean): readonly SNode[] {
  const kept = inFile ? new Set(pkg.files.filter(inFile).map((f) => f.file)) : null;
  if (kept?.size === 0) return NONE;
  let index = indexCache.get(pkg);
  if (!index) indexCache.set(pkg, (index = buildIndex(pkg)));
  const all = index[type];
  return kept && kept.size < pkg.files.length ? all.filter((n) => kept.has(n.file)) : all;
}

const NONE: readonly SNode[] = Object.freeze([]);

function buildIndex(pkg: GoPackage): NodeIndex {
  const index: NodeIndex = { call_expression: [], go_statement: [], unary_expression: [] };
  for (const f of pkg.files) {
    f.root.walk((n) => {
      const t = n.type;
      if (t === 'call_expression') index.call_expression.push(n);
      else if (t === 'unary_expression') index.unary_expression.push(n);
      else if (t === 'go_statement') index.go_statement.push(n);
    });
  }
  return index;
}
