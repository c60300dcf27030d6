// A minimal LSP client over a child process's stdio, as an editor drives `goroscope lsp`: for the
// language server's e2e test and its latency benchmark. It keeps each open document's text and
// version, applies the server's workspace/applyEdit requests to them, and records every
// publishDiagnostics notification.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';

export const fileUri = (file: string) => pathToFileURL(file).href;

export class LspClient {
  readonly conn: ProtocolConnection;
  readonly docs = new Map<string, TextDocument>();
  /** Every publishDiagnostics received, in order, with when it arrived (performance.now()). */
  readonly published: Array<PublishDiagnosticsParams & { at: number }> = [];
  stderr = '';
  private waiters: Array<() => void> = [];

  constructor(readonly server: ChildProcess) {
    server.stderr?.on('data', (d) => (this.stderr += d));
    this.conn = createProtocolConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.published.push({ ...p, at: performance.now() });
      for (const w of this.waiters.splice(0)) w();
    });
    this.conn.onRequest('workspace/applyEdit', (params: { edit: WorkspaceEdit }) => {
      this.applyEdit(params.edit);
      return { applied: true };
    });
    this.conn.onNotification('window/showMessage', () => {});
    this.conn.listen();
  }

  /** Starts `command args` and initializes it with these initializationOptions. */
  static async start(command: string, args: string[], cwd: string, initializationOptions: unknown, env: NodeJS.ProcessEnv = process.env): Promise<{ client: LspClient; capabilities: Record<string, unknown> }> {
    const client = new LspClient(spawn(command, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] }));
    const init = (await client.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: fileUri(cwd),
      capabilities: { workspace: { applyEdit: true }, textDocument: { publishDiagnostics: { relatedInformation: true }, codeAction: {}, hover: {} } },
      initializationOptions,
    })) as { capabilities: Record<string, unknown> };
    await client.conn.sendNotification('initialized', {});
    return { client, capabilities: init.capabilities };
  }

  /** Applies a workspace edit to the documents held here (each edited document's version goes up by one). */
  applyEdit(edit: WorkspaceEdit): void {
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) {
      const doc = this.docs.get(uri)!;
      this.docs.set(uri, TextDocument.create(uri, 'go', doc.version + 1, TextDocument.applyEdits(doc, edits as TextEdit[])));
    }
  }

  text(file: string): string {
    return this.docs.get(fileUri(file))!.getText();
  }

  /** Replaces the held text of `file` (version + 1); send it with change(). */
  setText(file: string, text: string): void {
    const doc = this.docs.get(fileUri(file))!;
    this.docs.set(doc.uri, TextDocument.create(doc.uri, 'go', doc.version + 1, text));
  }

  /** The first diagnostics for `file` published after notification number `since` that satisfy `ok`. */
  async diagnostics(file: string, ok: (p: PublishDiagnosticsParams) => boolean = () => true, since = 0, timeoutMs = 20_000): Promise<Diagnostic[]> {
    const deadline = Date.now() + timeoutMs;
    const uri = fileUri(file);
    for (;;) {
      const hit = this.published.slice(since).find((p) => p.uri === uri && ok(p));
      if (hit) return hit.diagnostics;
      if (Date.now() > deadline) throw new Error(`no matching diagnostics for ${file} within ${timeoutMs} ms\nserver stderr: ${this.stderr}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  /** didOpen with the file's text on disk; resolves to the first diagnostics for it. */
  async open(file: string): Promise<Diagnostic[]> {
    const since = this.published.length;
    const doc = TextDocument.create(fileUri(file), 'go', 1, readFileSync(file, 'utf8'));
    this.docs.set(doc.uri, doc);
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: doc.uri, languageId: 'go', version: 1, text: doc.getText() } });
    return this.diagnostics(file, () => true, since);
  }

  /** didChange with the held text (whole content); resolves to the diagnostics of that version. */
  async change(file: string): Promise<Diagnostic[]> {
    const doc = this.docs.get(fileUri(file))!;
    const since = this.published.length;
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri: doc.uri, version: doc.version }, contentChanges: [{ text: doc.getText() }] });
    return this.diagnostics(file, (p) => p.version === doc.version, since);
  }

  /** shutdown, exit; resolves to the server's exit code. */
  async stop(): Promise<number | null> {
    await this.conn.sendRequest('shutdown');
    const exited = new Promise<number | null>((resolve) => this.server.on('exit', (code) => resolve(code)));
    await this.conn.sendNotification('exit');
    return exited;
  }
}
