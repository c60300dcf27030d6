// Loads web-tree-sitter and the Go grammar once per thread. Each worker thread calls
// getGoParser() itself: a wasm instance cannot be shared between threads.
import { createRequire } from 'node:module';
import { Language, Parser } from 'web-tree-sitter';

const require = createRequire(import.meta.url);

let parserPromise: Promise<Parser> | null = null;

export function getGoParser(): Promise<Parser> {
  if (!parserPromise) {
    parserPromise = (async () => {
      await Parser.init();
      const language = await Language.load(require.resolve('tree-sitter-go/tree-sitter-go.wasm'));
      const parser = new Parser();
      parser.setLanguage(language);
      return parser;
    })();
  }
  return parserPromise;
}
