// `goroscope lsp` driven as an editor drives it: the built CLI started once for this file over
// stdio, a JSON-RPC client doing initialize, didOpen, didChange, codeAction, executeCommand
// (answering the server's workspace/applyEdit), hover, didChangeConfiguration, shutdown, exit.
// Each quick fix is applied to the client's copy of the document, the result sent back and
// written to disk: its diagnostic must go, and the fixed code must pass gofmt and go vet.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type CodeAction,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { findGo, gofmtOf, goEnv, goUnavailable, REPO_ROOT } from '../testing/env.js';

const CLI = path.join(REPO_ROOT, 'dist/cli/main.js');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'goroscope-lsp-'));
const examples = path.join(tmp, 'examples');
const fixtures = path.join(tmp, 'fixtures');
cpSync(path.join(REPO_ROOT, 'examples'), examples, { recursive: true });
cpSync(path.join(REPO_ROOT, 'src/fix/testdata'), fixtures, { recursive: true });

let server: ChildProcess;
let conn: ProtocolConnection;
let stderr = '';
const docs = new Map<string, TextDocument>();
/** Every publishDiagnostics received, in order. */
const published: PublishDiagnosticsParams[] = [];
const waiters: Array<() => void> = [];

const uri = (file: string) => pathToFileURL(file).href;

function applyEdit(edit: WorkspaceEdit): void {
  for (const [u, edits] of Object.entries(edit.changes ?? {})) {
    const doc = docs.get(u)!;
    const text = TextDocument.applyEdits(doc, edits as TextEdit[]);
    docs.set(u, TextDocument.create(u, 'go', doc.version + 1, text));
  }
}

/** The next diagnostics for `file` (after `since` notifications) that satisfy `ok`. */
async function diagnosticsFor(file: string, ok: (d: Diagnostic[], p: PublishDiagnosticsParams) => boolean = () => true, since = 0): Promise<Diagnostic[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const hit = published.slice(since).reverse().find((p) => p.uri === uri(file));
    if (hit && ok(hit.diagnostics, hit)) return hit.diagnostics;
    if (Date.now() > deadline) throw new Error(`no matching diagnostics for ${file}; last: ${JSON.stringify(hit)}\nserver stderr: ${stderr}`);
    await new Promise<void>((resolve) => {
      waiters.push(resolve);
      setTimeout(resolve, 200);
    });
  }
}

async function open(file: string): Promise<Diagnostic[]> {
  const since = published.length;
  const doc = TextDocument.create(uri(file), 'go', 1, readFileSync(file, 'utf8'));
  docs.set(doc.uri, doc);
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: doc.uri, languageId: 'go', version: 1, text: doc.getText() } });
  return diagnosticsFor(file, () => true, since);
}

/** Sends the client's current text of `file` as a full-content change, and returns the diagnostics for that version. */
async function sendChange(file: string): Promise<Diagnostic[]> {
  const doc = docs.get(uri(file))!;
  const since = published.length;
  await conn.sendNotification('textDocument/didChange', { textDocument: { uri: doc.uri, version: doc.version }, contentChanges: [{ text: doc.getText() }] });
  return diagnosticsFor(file, (_, p) => p.version === doc.version, since);
}

function edit(file: string, from: string, to: string): void {
  const doc = docs.get(uri(file))!;
  const text = doc.getText();
  expect(text).toContain(from);
  docs.set(doc.uri, TextDocument.create(doc.uri, 'go', doc.version + 1, text.replace(from, to)));
}

beforeAll(async () => {
  server = spawn(process.execPath, [CLI, 'lsp', '--stdio'], { cwd: tmp, stdio: ['pipe', 'pipe', 'pipe'] });
  server.stderr!.on('data', (d) => (stderr += d));
  conn = createProtocolConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.push(p);
    for (const w of waiters.splice(0)) w();
  });
  conn.onRequest('workspace/applyEdit', (params: { edit: WorkspaceEdit }) => {
    applyEdit(params.edit);
    return { applied: true };
  });
  conn.onNotification('window/showMessage', () => {});
  conn.listen();
  const init = await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: uri(tmp),
    capabilities: { workspace: { applyEdit: true }, textDocument: { publishDiagnostics: { relatedInformation: true }, codeAction: {}, hover: {} } },
    initializationOptions: { goroscope: { debounceMs: 50 } },
  });
  expect((init as { capabilities: { codeActionProvider: unknown } }).capabilities.codeActionProvider).toBeTruthy();
  await conn.sendNotification('initialized', {});
}, 60_000);

afterAll(async () => {
  server?.kill();
  rmSync(tmp, { recursive: true, force: true });
});

describe('goroscope lsp (built CLI, over stdio)', () => {
  const firstresponse = path.join(examples, 'firstresponse/firstresponse.go');

  it('publishes a diagnostic per finding with its range, rule, doc link and related locations', async () => {
    const diags = await open(firstresponse);
    expect(diags).toHaveLength(1);
    const d = diags[0]!;
    expect(d.range).toEqual({ start: { line: 21, character: 3 }, end: { line: 21, character: 27 } });
    expect(d.source).toBe('goroscope');
    expect(d.code).toBe('stranded-sender');
    expect(d.severity).toBe(1);
    expect(d.codeDescription?.href).toMatch(/docs\/rules\/stranded-sender\.md$/);
    expect(d.relatedInformation?.map((r) => `${path.basename(fileURLToPath(r.location.uri))}:${r.location.range.start.line + 1} ${r.message}`)).toEqual([
      'firstresponse.go:25 the only receive: the other senders wait in vain',
      'firstresponse.go:21 the goroutine is started here',
    ]);
  });

  it('hover shows the finding, its fix and the rule documentation', async () => {
    const hover = (await conn.sendRequest('textDocument/hover', { textDocument: { uri: uri(firstresponse) }, position: { line: 21, character: 10 } })) as { contents: { value: string } } | null;
    expect(hover?.contents.value).toContain('stranded-sender');
    expect(hover?.contents.value).toContain('https://github.com/goroscope/goroscope/blob/main/docs/rules/stranded-sender.md');
    expect(await conn.sendRequest('textDocument/hover', { textDocument: { uri: uri(firstresponse) }, position: { line: 3, character: 0 } })).toBeNull();
  });

  it('applying each quick fix removes its diagnostic', async () => {
    const files = ['firstresponse/firstresponse.go', 'timeout/timeout.go', 'waitgroup/waitgroup.go', 'lostcancel/lostcancel.go', 'ticker/ticker.go'];
    for (const rel of files) {
      const file = path.join(examples, rel);
      const diags = docs.has(uri(file)) ? await diagnosticsFor(file) : await open(file);
      expect(diags.length, rel).toBe(1);
      const actions = (await conn.sendRequest('textDocument/codeAction', {
        textDocument: { uri: uri(file) },
        range: diags[0]!.range,
        context: { diagnostics: diags, only: ['quickfix'] },
      })) as CodeAction[];
      expect(actions.map((a) => a.kind), rel).toEqual(['quickfix']);
      expect(actions[0]!.title).toMatch(/^goroscope: /);
      applyEdit(actions[0]!.edit!);
      expect(await sendChange(file), rel).toEqual([]);
      writeFileSync(file, docs.get(uri(file))!.getText());
    }
  });

  it('fix-all through executeCommand and the server\'s workspace/applyEdit', async () => {
    const file = path.join(fixtures, 'deferdone/fix.go');
    expect((await open(file)).length).toBe(3);
    const result = await conn.sendRequest('workspace/executeCommand', { command: 'goroscope.fixAll', arguments: [uri(file)] });
    expect(result).toEqual({ applied: true, fixed: 3 });
    expect(await sendChange(file)).toEqual([]);
    expect(docs.get(uri(file))!.getText()).toBe(readFileSync(path.join(REPO_ROOT, 'src/fix/testdata/deferdone/fix.go.golden'), 'utf8'));
  });

  it('a change re-analyses only the changed file\'s package, after a pause; a suppression comment silences a finding', async () => {
    const since = published.length;
    edit(firstresponse, 'make(chan Result, len(replicas))', 'make(chan Result)');
    const diags = await sendChange(firstresponse);
    expect(diags.map((d) => d.code)).toEqual(['stranded-sender']);
    expect(new Set(published.slice(since).map((p) => path.dirname(fileURLToPath(p.uri))))).toEqual(new Set([path.dirname(firstresponse)]));
    edit(firstresponse, '\t\t\tresults <- search(query)', '\t\t\t//goroscope:ignore stranded-sender first answer wins, test\n\t\t\tresults <- search(query)');
    expect(await sendChange(firstresponse)).toEqual([]);
  });

  it('settings choose rules and severities; .goroscope.yaml applies', async () => {
    const ticker = path.join(examples, 'ticker/ticker.go');
    edit(ticker, '\tdefer t.Stop()\n', '');
    expect((await sendChange(ticker)).map((d) => `${d.code}:${d.severity}`)).toEqual(['ticker-not-stopped:2']);
    let since = published.length;
    await conn.sendNotification('workspace/didChangeConfiguration', { settings: { goroscope: { severities: { 'ticker-not-stopped': 'info' } } } });
    expect((await diagnosticsFor(ticker, () => true, since)).map((d) => `${d.code}:${d.severity}`)).toEqual(['ticker-not-stopped:3']);
    since = published.length;
    await conn.sendNotification('workspace/didChangeConfiguration', { settings: { goroscope: { rules: ['-ticker-not-stopped'], severities: {} } } });
    expect(await diagnosticsFor(ticker, () => true, since)).toEqual([]);
    await conn.sendNotification('workspace/didChangeConfiguration', { settings: { goroscope: { rules: [] } } });

    const nilchan = path.join(examples, 'nilchan/nilchan.go');
    writeFileSync(path.join(examples, 'nilchan/.goroscope.yaml'), 'rules:\n  nil-channel: off\n');
    expect(await open(nilchan)).toEqual([]);
  });

  it('shuts down and exits cleanly', async () => {
    await conn.sendRequest('shutdown');
    const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
    await conn.sendNotification('exit');
    expect(await exited).toBe(0);
  });
});

const skip = goUnavailable();
describe.skipIf(skip)('code fixed through the language server', () => {
  it('is gofmt-clean and passes go vet', () => {
    const go = findGo()!;
    // Runs after the server's tests: the fixed files were written to the copy of examples/.
    const fixed = ['firstresponse', 'timeout', 'waitgroup', 'lostcancel'].map((p) => path.join(examples, p));
    expect(execFileSync(gofmtOf(go), ['-l', ...fixed], { encoding: 'utf8' })).toBe('');
    execFileSync(go, ['vet', ...fixed.map((d) => `./${path.relative(examples, d)}`)], { cwd: examples, env: goEnv(), stdio: 'pipe' });
  });
});
