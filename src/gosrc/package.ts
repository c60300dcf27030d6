// The per-package model that rules read: every file's syntax tree and imports, the package's
// functions, methods, struct fields and package-level variables, each with the kind of value
// it holds (channel, WaitGroup, mutex, context, cancel func, ticker, conn...), plus summaries of
// what each function does to its parameters and its receiver's fields.
import type { Parser } from 'web-tree-sitter';
import { convertTree, SourceFile, type SNode, type SyntaxError } from './ast.js';
import { includedRanges, skippedRanges, sourceLayout, withoutComments, type SourceLayout } from './layout.js';
import { bodyFilter, fileIsRelevant, packageRelevance } from './relevance.js';
import { classifyTypeNode, type TypeRef } from './types.js';
import type { GoVersion } from './gomod.js';

export interface PackageInput {
  /** Directory of the package (absolute or as given by the user). */
  dir: string;
  /** Its .go files (already filtered by build constraints and the walker's rules). */
  files: Array<{ path: string; source: string }>;
  /** From go.mod (1.16 when it has no `go` line); null when there is no go.mod: unknown, not the newest. */
  goVersion: GoVersion | null;
  modulePath: string | null;
  /**
   * Parse every function body, even those no rule reads (`goroscope explain` lists every
   * operation on a value, and a `range ch` alone holds no token relevance looks for).
   */
  keepAllBodies?: boolean;
  /**
   * Trees of earlier builds of the same package, by file path (the language server's: it builds
   * a package again after every edit, and most files have not changed). A file whose text and
   * skipped ranges are the same gets its earlier tree instead of a parse; the cache is updated
   * with the files of this build and forgets the others. Trees are never changed once built, and
   * every cache that depends on the package around a node is kept per package (scopeFor,
   * placeOf), so two builds can share a file's nodes.
   */
  parseCache?: ParseCache;
}

export type ParseCache = Map<string, { key: string; file: SourceFile; root: SNode; errors: SyntaxError[]; layout: SourceLayout; code: string }>;

export interface GoFile {
  file: SourceFile;
  path: string;
  root: SNode;
  packageName: string;
  /** Local name → import path ("http" → "net/http"; an alias or "." / "_" when so written). */
  imports: Map<string, string>;
  isTest: boolean;
}

export interface Param {
  name: string | null;
  /** The identifier node of the name, or the type node for an unnamed parameter. */
  node: SNode;
  type: TypeRef;
  variadic: boolean;
}

export interface FuncInfo {
  /** "F" for functions, "T.M" for methods (pointer or not). */
  key: string;
  name: string;
  receiver: { name: string | null; typeName: string; pointer: boolean } | null;
  /** function_declaration or method_declaration node. */
  node: SNode;
  /** The body block; null for declarations without a body. May be `elided`. */
  body: SNode | null;
  params: Param[];
  results: TypeRef[];
  file: GoFile;
}

export interface PackageVar {
  name: string;
  node: SNode;
  type: TypeRef | null;
  /** The initialiser expression, when it is a one-to-one `var x = expr`. */
  init: SNode | null;
  file: GoFile;
}

export interface GoPackage {
  dir: string;
  name: string;
  modulePath: string | null;
  goVersion: GoVersion | null;
  files: GoFile[];
  /** Functions by name and methods by "Type.Method". */
  funcs: Map<string, FuncInfo>;
  /** Struct type name → field name → type. Embedded fields are listed under their type name. */
  structs: Map<string, Map<string, TypeRef>>;
  /** Named non-struct types: `type sem chan struct{}` → its underlying TypeRef. */
  namedTypes: Map<string, TypeRef>;
  vars: Map<string, PackageVar>;
  /** Interface type name → its method names (embedded interfaces of this package included). */
  interfaces: Map<string, Set<string>>;
  /**
   * The text of every top-level const declaration (comments blanked). Constants are not parsed
   * (see layout.ts); model/consts.ts folds the few a rule asks about from this text.
   */
  constTexts: string[];
  syntaxErrors: Array<SyntaxError & { file: string }>;
}

/**
 * Thrown by buildPackage when parsing a file or copying its tree fails (the wasm parser ran out
 * of memory or aborted): names the file, and the parser may be unusable afterwards.
 */
export class ParseFailure extends Error {
  constructor(
    readonly file: string,
    readonly reason: unknown,
  ) {
    super(`${file}: ${reason instanceof Error ? reason.message : String(reason)}`);
    this.name = 'ParseFailure';
  }
}

export function buildPackage(input: PackageInput, parser: Parser): GoPackage {
  const pkg: GoPackage = {
    dir: input.dir,
    name: '',
    modulePath: input.modulePath,
    goVersion: input.goVersion,
    files: [],
    funcs: new Map(),
    structs: new Map(),
    namedTypes: new Map(),
    vars: new Map(),
    interfaces: new Map(),
    constTexts: [],
    syntaxErrors: [],
  };
  // Relevance reads the code without its comments; the parser still reads the comments (doc
  // comments matter to rules) but skips the bodies no rule needs, long tables and constants.
  // An unchanged file (the language server's cache) keeps its layout and comment-free text too.
  const earlier = input.files.map((f) => {
    const cached = input.parseCache?.get(f.path);
    return cached && cached.file.source === f.source ? cached : undefined;
  });
  const layouts = input.files.map((f, i) => (earlier[i] ? earlier[i].layout : sourceLayout(f.source)));
  const codes = input.files.map((f, i) => earlier[i]?.code ?? (layouts[i] ? withoutComments(f.source, layouts[i]) : f.source));
  const keepBody = input.keepAllBodies ? () => true : bodyFilter(packageRelevance(codes));
  for (const [i, { path, source }] of input.files.entries()) {
    const file = new SourceFile(path, source);
    const layout = layouts[i] ?? null;
    const bodies = layout?.bodies ?? null;
    const code = codes[i]!;
    if (layout) for (let k = 0; k < layout.consts.length; k += 2) pkg.constTexts.push(code.slice(layout.consts[k]!, layout.consts[k + 1]!));
    const skipped = bodies?.filter((b) => !keepBody(code.slice(b.open, b.close + 1), b.name)) ?? [];
    const skippedLiterals = layout ? skippableLiterals(layout.varLiterals, code) : [];
    const cacheKey = input.parseCache && layout ? `${source}\0${skippedRanges(layout, skipped, skippedLiterals).join(',')}` : null;
    // The key holds the text, so a matching entry is one of `earlier`.
    const cached = cacheKey !== null ? earlier[i] : undefined;
    if (cached && cached.key === cacheKey) {
      for (const e of cached.errors) pkg.syntaxErrors.push({ ...e, file: path });
      pkg.files.push(indexFile(cached.root, cached.file, path));
      continue;
    }
    let converted;
    try {
      const tree = layout ? parseSkipping(parser, file, skippedRanges(layout, skipped, skippedLiterals)) : parser.parse(source);
      if (!tree) {
        pkg.syntaxErrors.push({ file: path, line: 1, column: 1, message: 'the parser gave up on this file' });
        continue;
      }
      try {
        const elidedAt = new Set(skipped.map((b) => b.open));
        for (let k = 0; k < skippedLiterals.length; k += 2) elidedAt.add(skippedLiterals[k]!);
        // When the lexer could not find the bodies, convertTree decides from the tree instead.
        converted = convertTree(tree, file, bodies ? { elidedAt } : { keepBody });
      } finally {
        tree.delete();
      }
    } catch (err) {
      throw new ParseFailure(path, err);
    }
    for (const e of converted.errors) pkg.syntaxErrors.push({ ...e, file: path });
    if (cacheKey !== null) input.parseCache!.set(path, { key: cacheKey, file, root: converted.root, errors: converted.errors, layout: layout!, code });
    const goFile = indexFile(converted.root, file, path);
    pkg.files.push(goFile);
  }
  if (input.parseCache) {
    const paths = new Set(input.files.map((f) => f.path));
    for (const path of input.parseCache.keys()) if (!paths.has(path)) input.parseCache.delete(path);
  }
  // Package name: the non-_test one wins (external test packages share the directory).
  pkg.name = pkg.files.find((f) => !f.packageName.endsWith('_test'))?.packageName ?? pkg.files[0]?.packageName ?? '';
  for (const f of pkg.files) collectDeclarations(pkg, f);
  resolveEmbeddedInterfaces(pkg);
  return pkg;
}

/**
 * Parses the file without reading the skipped ranges: tree-sitter's included ranges make the
 * parser jump over them, so a skipped body costs nothing and still parses as `{ }` (its braces
 * are outside the ranges' gaps). Rows and columns in the tree are unused: positions come from
 * offsets and the file's own line index.
 */
export function parseSkipping(parser: Parser, file: SourceFile, skipped: number[]): ReturnType<Parser['parse']> {
  if (skipped.length === 0) return parser.parse(file.source);
  const ranges = includedRanges(file.source.length, skipped);
  const point = (offset: number) => {
    const p = file.lines.position(offset);
    return { row: p.line - 1, column: p.column - 1 };
  };
  const included = [];
  for (let k = 0; k < ranges.length; k += 2) {
    included.push({ startIndex: ranges[k]!, endIndex: ranges[k + 1]!, startPosition: point(ranges[k]!), endPosition: point(ranges[k + 1]!) });
  }
  return parser.parse(file.source, null, { includedRanges: included });
}

/** Var literals this long or longer are skipped when they hold no relevant token: tables. */
const MIN_SKIPPED_LITERAL = 256;

/** The [open, close] pairs of var literals not worth parsing. */
function skippableLiterals(literals: readonly number[], code: string): number[] {
  const out: number[] = [];
  for (let k = 0; k < literals.length; k += 2) {
    const open = literals[k]!;
    const close = literals[k + 1]!;
    // The broad file-level test: a literal can configure what rules read (`&http.Client{...}`).
    if (close - open >= MIN_SKIPPED_LITERAL && !fileIsRelevant(code.slice(open, close + 1))) out.push(open, close);
  }
  return out;
}

function indexFile(root: SNode, file: SourceFile, path: string): GoFile {
  const imports = new Map<string, string>();
  let packageName = '';
  for (const decl of root.children) {
    if (decl.type === 'package_clause') {
      packageName = decl.namedChildren[0]?.text ?? '';
    } else if (decl.type === 'import_declaration') {
      for (const spec of decl.findAll('import_spec')) {
        const pathNode = spec.child('path');
        if (!pathNode) continue;
        const importPath = pathNode.text.slice(1, -1);
        const alias = spec.child('name')?.text;
        const local = alias ?? importPath.slice(importPath.lastIndexOf('/') + 1).replace(/^go-|\.v\d+$/g, '');
        imports.set(local, importPath);
      }
    }
  }
  return { file, path, root, packageName, imports, isTest: path.endsWith('_test.go') };
}

function collectDeclarations(pkg: GoPackage, f: GoFile): void {
  for (const decl of f.root.children) {
    switch (decl.type) {
      case 'function_declaration':
      case 'method_declaration': {
        const info = funcInfo(decl, f);
        if (info && !pkg.funcs.has(info.key)) pkg.funcs.set(info.key, info);
        break;
      }
      case 'type_declaration':
        for (const spec of decl.namedChildren) {
          if (spec.type !== 'type_spec' && spec.type !== 'type_alias') continue;
          const name = spec.child('name')?.text;
          const type = spec.child('type');
          if (!name || !type) continue;
          if (type.type === 'struct_type') pkg.structs.set(name, structFields(type, f));
          else pkg.namedTypes.set(name, classifyTypeNode(type, f));
          if (type.type === 'interface_type') pkg.interfaces.set(name, interfaceMethods(type));
        }
        break;
      case 'var_declaration':
        for (const spec of decl.findAll('var_spec')) {
          const names = spec.childrenOf('name');
          const typeNode = spec.child('type');
          const values = spec.child('value')?.namedChildren ?? [];
          names.forEach((n, i) => {
            pkg.vars.set(n.text, {
              name: n.text,
              node: n,
              type: typeNode ? classifyTypeNode(typeNode, f) : null,
              init: values.length === names.length ? values[i]! : null,
              file: f,
            });
          });
        }
        break;
    }
  }
}

/** Method names of an interface type; an embedded interface of this package is kept as `embed:Name`. */
function interfaceMethods(iface: SNode): Set<string> {
  const out = new Set<string>();
  for (const c of iface.namedChildren) {
    if (c.type === 'method_elem' || c.type === 'method_spec') {
      const name = c.child('name')?.text;
      if (name) out.add(name);
    } else if (c.type === 'type_elem' || c.type === 'constraint_elem') {
      const t = c.namedChildren[0];
      if (t?.type === 'type_identifier') out.add(`embed:${t.text}`);
    }
  }
  return out;
}

/** Replaces `embed:Name` entries by the embedded interface's methods (a few rounds for chains). */
function resolveEmbeddedInterfaces(pkg: GoPackage): void {
  for (let round = 0; round < 3; round++) {
    for (const methods of pkg.interfaces.values()) {
      for (const m of [...methods]) {
        if (!m.startsWith('embed:')) continue;
        const inner = pkg.interfaces.get(m.slice(6));
        if (!inner) continue;
        methods.delete(m);
        for (const x of inner) methods.add(x);
      }
    }
  }
}

function structFields(struct: SNode, f: GoFile): Map<string, TypeRef> {
  const fields = new Map<string, TypeRef>();
  for (const decl of struct.findAll('field_declaration')) {
    const typeNode = decl.child('type');
    if (!typeNode) continue;
    const type = classifyTypeNode(typeNode, f);
    const names = decl.childrenOf('name');
    if (names.length === 0) {
      // Embedded: `sync.Mutex` is reachable as `.Mutex` and its methods are promoted.
      const base = typeNode.text.replace(/^\*/, '');
      fields.set(base.slice(base.lastIndexOf('.') + 1), { ...type, embedded: true });
    } else {
      for (const n of names) fields.set(n.text, type);
    }
  }
  return fields;
}

function funcInfo(decl: SNode, f: GoFile): FuncInfo | null {
  const name = decl.child('name')?.text;
  if (!name) return null;
  let receiver: FuncInfo['receiver'] = null;
  if (decl.type === 'method_declaration') {
    const recvDecl = decl.child('receiver')?.namedChildren.find((c) => c.type === 'parameter_declaration');
    const recvType = recvDecl?.child('type');
    if (recvType) {
      const pointer = recvType.type === 'pointer_type';
      // Strip pointer and type arguments: (s *Set[T]) → Set.
      const typeName = recvType.text.replace(/^\*/, '').replace(/\[.*$/s, '').trim();
      receiver = { name: recvDecl?.child('name')?.text ?? null, typeName, pointer };
    }
  }
  const params = paramList(decl.child('parameters'), f);
  const resultNode = decl.child('result');
  const results: TypeRef[] = !resultNode
    ? []
    : resultNode.type === 'parameter_list'
      ? paramList(resultNode, f).map((p) => p.type)
      : [classifyTypeNode(resultNode, f)];
  return {
    key: receiver ? `${receiver.typeName}.${name}` : name,
    name,
    receiver,
    node: decl,
    body: decl.child('body'),
    params,
    results,
    file: f,
  };
}

/** Parameters of a parameter_list, one entry per name (`a, b int` gives two). */
export function paramList(list: SNode | null, f: GoFile): Param[] {
  const out: Param[] = [];
  if (!list) return out;
  for (const decl of list.namedChildren) {
    if (decl.type !== 'parameter_declaration' && decl.type !== 'variadic_parameter_declaration') continue;
    const typeNode = decl.child('type');
    if (!typeNode) continue;
    const type = classifyTypeNode(typeNode, f);
    const variadic = decl.type === 'variadic_parameter_declaration';
    const names = decl.childrenOf('name');
    if (names.length === 0) out.push({ name: null, node: typeNode, type, variadic });
    for (const n of names) out.push({ name: n.text, node: n, type, variadic });
  }
  return out;
}
