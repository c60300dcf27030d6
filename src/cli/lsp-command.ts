// `goroscope lsp [--stdio]`: the language server on stdin/stdout (editors pass --stdio; it is
// the only transport, so it is also the default). stdout belongs to the protocol: anything the
// process would print there goes to stderr instead.
import type { Command } from 'commander';
import { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { startServer } from '../lsp/server.js';

export function registerLsp(program: Command): void {
  program
    .command('lsp')
    .description('Run the language server (LSP over stdin/stdout) that editors start: diagnostics, quick fixes and hovers for Go files.')
    .option('--stdio', 'talk LSP over stdin/stdout (the default and only transport)')
    .addHelpText(
      'after',
      `
Settings (initializationOptions or workspace/didChangeConfiguration, section "goroscope"):
  rules       as --rules of scan: ["a,b"] runs exactly these, ["+a", "-b"] edits the set
  severities  {"rule-id": "error" | "warning" | "info"}
  debounceMs  quiet time after a change before the package is analysed again (default 150)
.goroscope.yaml and suppression comments apply as for scan. Editor setup: README.md, "Editors".

Examples:
  goroscope lsp --stdio`,
    )
    .action(() => {
      console.log = console.error;
      console.info = console.error;
      const connection = createConnection(ProposedFeatures.all, new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
      startServer(connection);
    });
}
