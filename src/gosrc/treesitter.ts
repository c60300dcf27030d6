// Loads web-tree-sitter and the Go grammar once per thread. Each worker thread calls
// getGoParser() itself: a wasm instance cannot be shared between threads.
import { createRequire } from 'node:module';
import { Language, Parser } from 'web-tree-sitter';

const require = createRequire(import.meta.url);

let parserPromise: Promise<Parser> | null = null;

/** The few WebAssembly globals used here: the project's `lib` (no DOM) does not declare them. */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
const wasmApi = (globalThis as unknown as {
  WebAssembly: { Memory: new (descriptor: { initial: number; maximum: number }) => WasmMemory; RuntimeError: new (message?: string) => Error };
}).WebAssembly;

/**
 * Whether the last attempt to grow the parser's memory failed. Emscripten retries smaller
 * sizes before giving up, so only the last attempt counts: when it failed, the allocation
 * failed and the abort that follows is an out-of-memory.
 */
let memoryExhausted = false;

/**
 * The parser's memory, made here (with Emscripten's own defaults for web-tree-sitter: 32 MiB at
 * first, growing in 64 KiB pages to at most 2 GiB) so that a failure to grow can be seen.
 */
function watchedMemory(): WasmMemory {
  const memory = new wasmApi.Memory({ initial: 512, maximum: 32768 });
  const grow = memory.grow.bind(memory);
  memory.grow = (pages: number) => {
    try {
      const previous = grow(pages);
      memoryExhausted = false;
      return previous;
    } catch (err) {
      memoryExhausted = true;
      throw err;
    }
  };
  return memory;
}

/**
 * What the wasm module printed, kept for error messages instead of going to the user's
 * terminal: on a failure Emscripten prints `Aborted()` to stderr, and stdout may carry a JSON
 * report. Only the last lines are kept.
 */
const wasmOutput: string[] = [];
const capture = (text: string) => {
  wasmOutput.push(String(text));
  if (wasmOutput.length > 8) wasmOutput.shift();
};

/**
 * The Emscripten module object handed to Parser.init: Emscripten fills it with the wasm
 * exports and the heap views (HEAP32 is replaced whenever wasm memory grows).
 */
const wasmModule: Record<string, unknown> = { print: capture, printErr: capture };

/**
 * Whether an error thrown by the parser leaves it unusable: a trap or abort inside wasm (out of
 * memory, a failed assertion) stops the module midway, and later calls fail the same way.
 */
export function parserBroken(err: unknown): boolean {
  return memoryExhausted || err instanceof wasmApi.RuntimeError;
}

/** One line saying why the parser failed: out of memory, an abort, or the error's own message. */
export function describeParserFailure(err: unknown): string {
  if (memoryExhausted) {
    const size = (wasmModule['wasmMemory'] as WasmMemory).buffer.byteLength;
    return `the Go parser ran out of memory (at ${Math.round(size / (1024 * 1024))} MiB of WebAssembly memory)`;
  }
  const message = (err instanceof Error ? err.message : String(err)).replace(/\.?\s*Build with -sASSERTIONS.*$/s, '').trim();
  if (err instanceof wasmApi.RuntimeError) {
    const printed = wasmOutput.filter((l) => !l.startsWith('Aborted(')).at(-1);
    return `the Go parser crashed (${message}${printed ? `: ${printed}` : ''})`;
  }
  return message;
}

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
      wasmModule['wasmMemory'] = watchedMemory();
      await Parser.init(wasmModule);
      const language = await Language.load(require.resolve('tree-sitter-go/tree-sitter-go.wasm'));
      const parser = new Parser();
      parser.setLanguage(language);
      return parser;
    })();
  }
  return parserPromise;
}
