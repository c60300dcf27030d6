// Making the Go parser run out of memory on purpose, for the tests of how a failing parser is
// reported. tree-sitter's wasm memory may grow to 2 GiB, which takes a 16 MB file and 20 s to
// exhaust; capped at 48 MiB, a 0.5 MB file does it in about 2 s.

/** 48 MiB in 64 KiB pages: above the 32 MiB the parser starts with. */
export const CAPPED_WASM_PAGES = 768;

/**
 * Caps the maximum of every WebAssembly.Memory made from now on (the parser makes its own when
 * it is first loaded in a thread) and returns the function that undoes it.
 */
export function withCappedWasmMemory(pages: number = CAPPED_WASM_PAGES): () => void {
  const wasm = (globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number; maximum?: number }) => object } }).WebAssembly;
  const Original = wasm.Memory;
  wasm.Memory = class extends Original {
    constructor(descriptor: { initial: number; maximum?: number }) {
      super({ ...descriptor, maximum: Math.min(descriptor.maximum ?? pages, pages) });
    }
  };
  return () => {
    wasm.Memory = Original;
  };
}

/**
 * The same cap as a module for `node --import` (it applies to worker threads too, which inherit
 * the option), for end-to-end runs of the CLI.
 */
export function cappedWasmMemoryModule(pages: number = CAPPED_WASM_PAGES): string {
  return `const Original = WebAssembly.Memory;
WebAssembly.Memory = class extends Original {
  constructor(descriptor) { super({ ...descriptor, maximum: Math.min(descriptor.maximum ?? ${pages}, ${pages}) }); }
};
`;
}

/** A valid Go file whose expression nests 250,000 parentheses deep: too much for a capped parser. */
export function deeplyNestedGo(pkg: string, depth = 250_000): string {
  return `package ${pkg}\n\nfunc Deep() int {\n\treturn ${'('.repeat(depth)}1${')'.repeat(depth)}\n}\n\nfunc Start() { go Deep() }\n`;
}
