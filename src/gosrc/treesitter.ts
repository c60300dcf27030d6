// Loads web-tree-sitter and the Go grammar once per thread. Each worker thread calls
// getGoParser() itself: a wasm instance cannot be shared between threads.
import { createRequire } from 'node:module';
import { Language, Parser } from 'web-tree-sitter';

const require = createRequire(import.meta.url);

let parserPromise: Promise<Parser> | null = null;

/**
 * The Emscripten module object handed to Parser.init: Emscripten fills it with the wasm
 * exports and the heap views (HEAP32 is replaced whenever wasm memory grows).
 */
const wasmModule: Record<string, unknown> = {};

/**
 * Direct calls into the tree cursor functions of web-tree-sitter's wasm binding.
 *
 * Why: web-tree-sitter's TreeCursor copies the cursor's four words into and out of a transfer
 * buffer through generic getValue/setValue helpers on every property read, which costs more
 * than the parse itself when a whole tree is copied. The binding keeps the cursor in that
 * transfer buffer between calls, so a walk that only calls these functions in a row never needs
 * to copy it (see convertTree). Each function takes the tree's address and acts on the cursor
 * in the buffer. They are internal to the pinned web-tree-sitter version; when one is missing,
 * cursorExports() returns null and the public TreeCursor API is used instead.
 */
export interface CursorExports {
  gotoFirstChild(tree: number): number;
  gotoNextSibling(tree: number): number;
  gotoParent(tree: number): number;
  typeId(tree: number): number;
  fieldId(tree: number): number;
  startIndex(tree: number): number;
  endIndex(tree: number): number;
  isMissing(tree: number): number;
  /** The four words of the cursor in the transfer buffer, to hand the state back to JS. */
  cursorWords(): [number, number, number, number];
}

let cursorApi: CursorExports | null | undefined;

const CURSOR_FUNCTIONS = {
  gotoFirstChild: '_ts_tree_cursor_goto_first_child_wasm',
  gotoNextSibling: '_ts_tree_cursor_goto_next_sibling_wasm',
  gotoParent: '_ts_tree_cursor_goto_parent_wasm',
  typeId: '_ts_tree_cursor_current_node_type_id_wasm',
  fieldId: '_ts_tree_cursor_current_field_id_wasm',
  startIndex: '_ts_tree_cursor_start_index_wasm',
  endIndex: '_ts_tree_cursor_end_index_wasm',
  isMissing: '_ts_tree_cursor_current_node_is_missing_wasm',
} as const;

/** The direct cursor functions, or null when this web-tree-sitter does not have them. */
export function cursorExports(): CursorExports | null {
  if (cursorApi !== undefined) return cursorApi;
  const init = wasmModule['_ts_init'];
  const fns = Object.values(CURSOR_FUNCTIONS).map((name) => wasmModule[name]);
  if (typeof init !== 'function' || !fns.every((f) => typeof f === 'function') || !(wasmModule['HEAP32'] instanceof Int32Array)) {
    return (cursorApi = null);
  }
  // ts_init only stores two version numbers in the static transfer buffer and returns its address.
  const buffer = (init as () => number)() >> 2;
  const api = { cursorWords: () => {
    const heap = wasmModule['HEAP32'] as Int32Array;
    return [heap[buffer]!, heap[buffer + 1]!, heap[buffer + 2]!, heap[buffer + 3]!] as [number, number, number, number];
  } } as CursorExports;
  for (const [key, name] of Object.entries(CURSOR_FUNCTIONS)) (api as unknown as Record<string, unknown>)[key] = wasmModule[name];
  return (cursorApi = api);
}

export function getGoParser(): Promise<Parser> {
  if (!parserPromise) {
    parserPromise = (async () => {
      await Parser.init(wasmModule);
      const language = await Language.load(require.resolve('tree-sitter-go/tree-sitter-go.wasm'));
      const parser = new Parser();
      parser.setLanguage(language);
      return parser;
    })();
  }
  return parserPromise;
}
