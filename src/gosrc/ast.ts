// A plain JavaScript copy of the tree-sitter syntax tree of one Go file.
//
// Why a copy: every property read on a web-tree-sitter node is a call into wasm, and rules walk
// function bodies several times. So the tree is copied once, with node types and field names
// exactly as tree-sitter-go names them (punctuation and string internals left out), and the wasm
// tree is freed at once. Function bodies that contain nothing any rule looks at are not copied:
// they become an empty `block` with `elided = true` (skipped by the parser, see layout.ts, or
// decided here by `keepBody`).
import type { Tree, TreeCursor } from 'web-tree-sitter';
import { LineIndex, type Position } from './lines.js';
import { cursorExports, type CursorExports } from './treesitter.js';

export class SourceFile {
  readonly lines: LineIndex;
  constructor(
    readonly path: string,
    readonly source: string,
  ) {
    this.lines = new LineIndex(source);
  }
}

/** The children of every leaf: one shared, frozen array instead of one per node. */
const NO_CHILDREN: SNode[] = Object.freeze([]) as unknown as SNode[];

export class SNode {
  parent: SNode | null = null;
  children: SNode[] = NO_CHILDREN;
  /** True for a function body that was not copied because nothing in it is of interest. */
  elided = false;

  constructor(
    /** tree-sitter-go node type; an anonymous token's type is its own text ("<-", ":=", "go"). */
    readonly type: string,
    readonly named: boolean,
    /** The field name this node has in its parent ("body", "left", ...), or null. */
    readonly field: string | null,
    readonly start: number,
    readonly end: number,
    readonly file: SourceFile,
  ) {}

  get text(): string {
    return this.file.source.slice(this.start, this.end);
  }

  /** 1-based line and column of the node's first character. */
  get pos(): Position {
    return this.file.lines.position(this.start);
  }

  /** 1-based line and column just past the node's last character. */
  get endPos(): Position {
    return this.file.lines.position(this.end);
  }

  get namedChildren(): SNode[] {
    const out: SNode[] = [];
    const children = this.children;
    for (let i = 0; i < children.length; i++) {
      const c = children[i]!;
      if (c.named && c.type !== 'comment') out.push(c);
    }
    return out;
  }

  /** The first child with this field name. */
  child(field: string): SNode | null {
    // Indexed loops here and below: these run for nearly every node a rule reads.
    const children = this.children;
    for (let i = 0; i < children.length; i++) if (children[i]!.field === field) return children[i]!;
    return null;
  }

  /** Every child with this field name. */
  childrenOf(field: string): SNode[] {
    const out: SNode[] = [];
    const children = this.children;
    for (let i = 0; i < children.length; i++) if (children[i]!.field === field) out.push(children[i]!);
    return out;
  }

  /** The first child of this type. */
  childOfType(type: string): SNode | null {
    const children = this.children;
    for (let i = 0; i < children.length; i++) if (children[i]!.type === type) return children[i]!;
    return null;
  }

  /**
   * Pre-order walk over this node and its descendants. Return false from `visit` to skip a
   * node's children. Iterative, so deep expressions cannot overflow the stack.
   */
  walk(visit: (node: SNode) => boolean | void): void {
    const stack: SNode[] = [this];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (visit(node) === false) continue;
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
    }
  }

  /** Every descendant (and this node) of one of these types, in source order. */
  findAll(...types: string[]): SNode[] {
    const out: SNode[] = [];
    this.walk((n) => {
      if (types.includes(n.type)) out.push(n);
    });
    return out;
  }

  /** The nearest ancestor (not this node) of one of these types. */
  ancestor(...types: string[]): SNode | null {
    for (let p = this.parent; p; p = p.parent) if (types.includes(p.type)) return p;
    return null;
  }

  /** True when `other` is this node or inside it. */
  contains(other: SNode): boolean {
    return other.file === this.file && other.start >= this.start && other.end <= this.end;
  }
}

export interface SyntaxError {
  line: number;
  column: number;
  message: string;
}

export interface ConvertOptions {
  /**
   * Decides, from the text of a function body, whether it is copied. Bodies of functions that
   * hold nothing a rule reads are elided to keep conversion cheap.
   */
  keepBody?: (bodyText: string, funcName: string | null) => boolean;
  /**
   * Offsets of the `{` of top-level function bodies and var literals the parser skipped (see
   * layout.ts); when given, these and only these are marked elided and keepBody is
   * not asked.
   */
  elidedAt?: ReadonlySet<number>;
  /** Stop collecting syntax errors after this many. */
  maxErrors?: number;
  /** Read the tree through web-tree-sitter's public TreeCursor only (for tests and comparison). */
  publicCursor?: boolean;
}

const FUNCTION_TYPES = new Set(['function_declaration', 'method_declaration', 'func_literal']);

/** What convertTree reads at the cursor's node; two implementations below. */
interface CursorReader {
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): void;
  type(): string;
  named(): boolean;
  field(): string | null;
  start(): number;
  end(): number;
  missing(): boolean;
  delete(): void;
}

/** The public TreeCursor API: each read copies the cursor into wasm memory and back. */
class PublicCursor implements CursorReader {
  private readonly cursor: TreeCursor;
  constructor(tree: Tree) {
    this.cursor = tree.walk();
  }
  gotoFirstChild(): boolean {
    return this.cursor.gotoFirstChild();
  }
  gotoNextSibling(): boolean {
    return this.cursor.gotoNextSibling();
  }
  gotoParent(): void {
    this.cursor.gotoParent();
  }
  type(): string {
    return this.cursor.nodeType;
  }
  named(): boolean {
    return this.cursor.nodeIsNamed;
  }
  field(): string | null {
    return this.cursor.currentFieldName;
  }
  start(): number {
    return this.cursor.startIndex;
  }
  end(): number {
    return this.cursor.endIndex;
  }
  missing(): boolean {
    return this.cursor.nodeIsMissing;
  }
  delete(): void {
    this.cursor.delete();
  }
}

/**
 * Calls the binding's cursor functions directly (see treesitter.ts cursorExports): the cursor
 * lives in the binding's transfer buffer for the whole walk, so nothing is copied per call.
 */
class DirectCursor implements CursorReader {
  private readonly cursor: TreeCursor;
  private readonly tree: number;
  private readonly types: ReadonlyArray<string | null>;
  private readonly fields: ReadonlyArray<string | null>;
  /** Named-ness by type id: 0 unknown, 1 named, 2 anonymous (it depends on the symbol only). */
  private readonly namedByType: Uint8Array;
  private readonly language: Tree['language'];

  constructor(
    tree: Tree,
    private readonly api: CursorExports,
  ) {
    // Creating the cursor leaves its state in the transfer buffer, where the walk continues.
    this.cursor = tree.walk();
    this.tree = (tree as unknown as Record<number, number>)[0]!;
    this.language = tree.language;
    this.types = tree.language.types;
    this.fields = tree.language.fields;
    this.namedByType = namedCache(tree.language);
  }
  gotoFirstChild(): boolean {
    return this.api.gotoFirstChild(this.tree) === 1;
  }
  gotoNextSibling(): boolean {
    return this.api.gotoNextSibling(this.tree) === 1;
  }
  gotoParent(): void {
    this.api.gotoParent(this.tree);
  }
  private typeId = 0;
  type(): string {
    this.typeId = this.api.typeId(this.tree);
    return this.types[this.typeId] || 'ERROR';
  }
  /** Call after type(). */
  named(): boolean {
    const id = this.typeId;
    let k = this.namedByType[id]!;
    if (k === 0) this.namedByType[id] = k = id === 0xffff || this.language.nodeTypeIsNamed(id) ? 1 : 2;
    return k === 1;
  }
  field(): string | null {
    return this.fields[this.api.fieldId(this.tree)] ?? null;
  }
  start(): number {
    return this.api.startIndex(this.tree);
  }
  end(): number {
    return this.api.endIndex(this.tree);
  }
  missing(): boolean {
    return this.api.isMissing(this.tree) === 1;
  }
  delete(): void {
    // The JS cursor still holds the words from its creation; the walk may have reallocated the
    // cursor's stack since, so hand it the current words before it frees them.
    const words = this.api.cursorWords();
    const handle = this.cursor as unknown as Record<number, number>;
    for (let i = 0; i < 4; i++) handle[i] = words[i]!;
    this.cursor.delete();
  }
}

const namedCaches = new WeakMap<object, Uint8Array>();

function namedCache(language: Tree['language']): Uint8Array {
  let cache = namedCaches.get(language);
  if (!cache) namedCaches.set(language, (cache = new Uint8Array(0x10000)));
  return cache;
}

/**
 * Punctuation no rule reads: not copied, which saves about a fifth of the nodes. Keywords and
 * operators (`go`, `<-`, `:=`, `&`, `}`...) are kept; rules look at those.
 */
const DROPPED_TOKENS = new Set(['(', ')', ',', '.', '"', '[', ']', ';']);

/** Nodes copied without their children: a string literal's text is all a rule needs. */
const OPAQUE_TYPES = new Set(['interpreted_string_literal', 'raw_string_literal', 'rune_literal']);

/** Copies a tree-sitter tree into SNodes and collects its syntax errors. Does not delete `tree`. */
export function convertTree(
  tree: Tree,
  file: SourceFile,
  options: ConvertOptions = {},
): { root: SNode; errors: SyntaxError[] } {
  const elidedAt = options.elidedAt;
  const keepBody = options.keepBody ?? (() => true);
  const maxErrors = options.maxErrors ?? 20;
  const errors: SyntaxError[] = [];
  const api = options.publicCursor ? null : cursorExports();
  const cursor: CursorReader = api ? new DirectCursor(tree, api) : new PublicCursor(tree);
  try {
    const type = cursor.type();
    const root = new SNode(type, cursor.named(), null, cursor.start(), cursor.end(), file);
    // Depth-first with an explicit parent pointer. `current` is the SNode of the cursor's node,
    // or null when the cursor is on a dropped token, whose parent is then `parent`.
    let current: SNode | null = root;
    let parent: SNode = root;
    // A node's children are gathered in a buffer kept per depth and copied to an array of
    // their exact number when the node is done: arrays grown by push keep room for about 16
    // more, and over millions of nodes that spare room was a large part of what the garbage
    // collector had to copy.
    let depth = 0;
    for (;;) {
      if (current && !current.elided && !OPAQUE_TYPES.has(current.type) && cursor.gotoFirstChild()) {
        parent = current;
        depth++;
        current.children = childBuffer(depth);
        current = appendChild(current, cursor, file, keepBody, elidedAt, errors, maxErrors);
        continue;
      }
      // Move to the next sibling, climbing as needed.
      for (;;) {
        if (current === root) return { root, errors };
        if (current) parent = current.parent!;
        if (cursor.gotoNextSibling()) {
          current = appendChild(parent, cursor, file, keepBody, elidedAt, errors, maxErrors);
          break;
        }
        cursor.gotoParent();
        finishChildren(parent);
        depth--;
        current = parent;
      }
    }
  } finally {
    cursor.delete();
  }
}

const childBuffers: SNode[][] = [];

/** The empty buffer for the children of a node at this depth (see convertTree). */
function childBuffer(depth: number): SNode[] {
  const buffer = (childBuffers[depth] ??= []);
  buffer.length = 0;
  return buffer;
}

/** Replaces a finished node's buffer by an array of exactly its children, and empties the buffer. */
function finishChildren(node: SNode): void {
  const buffer = node.children;
  node.children = buffer.length === 0 ? NO_CHILDREN : buffer.slice();
  buffer.length = 0;
}

/** Copies the cursor's node under `parent` (whose children are being gathered); null for a dropped token. */
function appendChild(
  parent: SNode,
  cursor: CursorReader,
  file: SourceFile,
  keepBody: (text: string, funcName: string | null) => boolean,
  elidedAt: ReadonlySet<number> | undefined,
  errors: SyntaxError[],
  maxErrors: number,
): SNode | null {
  const type = cursor.type();
  const named = cursor.named();
  if (!named && DROPPED_TOKENS.has(type)) {
    // A `)` the parser had to invent is still a syntax error to report.
    if (errors.length < maxErrors && cursor.missing()) {
      const p = file.lines.position(cursor.start());
      errors.push({ line: p.line, column: p.column, message: `syntax error: missing ${type}` });
    }
    return null;
  }
  const start = cursor.start();
  const end = cursor.end();
  const node = new SNode(type, named, cursor.field(), start, end, file);
  node.parent = parent;
  parent.children.push(node);
  if (elidedAt) {
    // Blanked before parsing: a function body, or a var's composite literal (literal_value).
    if ((type === 'block' || type === 'literal_value') && elidedAt.has(start)) node.elided = true;
  } else if (node.field === 'body' && type === 'block' && FUNCTION_TYPES.has(parent.type) && !parent.ancestor('func_literal', 'function_declaration', 'method_declaration')) {
    // Only top-level function bodies are elided; literals inside a kept body are always kept.
    if (!keepBody(node.text, parent.child('name')?.text ?? null)) node.elided = true;
  }
  if (errors.length < maxErrors) {
    if (type === 'ERROR') {
      const p = file.lines.position(node.start);
      errors.push({ line: p.line, column: p.column, message: `syntax error near ${JSON.stringify(snippet(node.text))}` });
    } else if (start === end && cursor.missing()) {
      // Only a zero-width node can be one the parser inserted.
      const p = file.lines.position(node.start);
      errors.push({ line: p.line, column: p.column, message: `syntax error: missing ${type}` });
    }
  }
  return node;
}

function snippet(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 30 ? oneLine.slice(0, 30) + '…' : oneLine;
}
