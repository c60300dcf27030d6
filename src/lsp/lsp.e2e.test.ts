// `goroscope lsp` driven as an editor drives it: the built CLI started once for this file over
// stdio, a JSON-RPC client doing initialize, didOpen, didChange, codeAction, executeCommand
// (answering the server's workspace/applyEdit), hover, didChangeConfiguration, shutdown, exit.
// Each quick fix is applied to the client's copy of the document, the result sent back and
// written to disk: its diagnostic must go, and the fixed code must pass gofmt and go vet.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeAction } from 'vscode-languageserver/node';
import { findGo, gofmtOf, goEnv, goUnavailable, REPO_ROOT } from '../testing/env.js';
import { fileUri as uri, LspClient } from '../testing/lsp-client.js';

const CLI = path.join(REPO_ROOT, 'dist/cli/main.js');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'goroscope-lsp-'));
const examples = path.join(tmp, 'examples');
const fixtures = path.join(tmp, 'fixtures');
cpSync(path.join(REPO_ROOT, 'examples'), examples, { recursive: true });
cpSync(path.join(REPO_ROOT, 'src/fix/testdata'), fixtures, { recursive: true });

let client: LspClient;

function edit(file: string, from: string, to: string): void {
  const text = client.text(file);
  expect(text).toContain(from);
  client.setText(file, text.replace(from, to));
}

beforeAll(async () => {
  const started = await LspClient.start(process.execPath, [CLI, 'lsp', '--stdio'], tmp, { goroscope: { debounceMs: 50 } });
  client = started.client;
  expect(started.capabilities.codeActionProvider).toBeTruthy();
}, 60_000);

afterAll(() => {
  client?.server.kill();
  rmSync(tmp, { recursive: true, force: true });
});

describe('goroscope lsp (built CLI, over stdio)', () => {
  const firstresponse = path.join(examples, 'firstresponse/firstresponse.go');

  it('publishes a diagnostic per finding with its range, rule, doc link and related locations', async () => {
    const diags = await client.open(firstresponse);
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
    const hover = (await client.conn.sendRequest('textDocument/hover', { textDocument: { uri: uri(firstresponse) }, position: { line: 21, character: 10 } })) as { contents: { value: string } } | null;
    expect(hover?.contents.value).toContain('stranded-sender');
    expect(hover?.contents.value).toContain('https://github.com/goroscope/goroscope/blob/main/docs/rules/stranded-sender.md');
    expect(await client.conn.sendRequest('textDocument/hover', { textDocument: { uri: uri(firstresponse) }, position: { line: 3, character: 0 } })).toBeNull();
  });

  it('applying each quick fix removes its diagnostic', async () => {
    const files = ['firstresponse/firstresponse.go', 'timeout/timeout.go', 'waitgroup/waitgroup.go', 'lostcancel/lostcancel.go', 'ticker/ticker.go'];
    for (const rel of files) {
      const file = path.join(examples, rel);
      const diags = client.docs.has(uri(file)) ? await client.diagnostics(file) : await client.open(file);
      expect(diags.length, rel).toBe(1);
      const actions = (await client.conn.sendRequest('textDocument/codeAction', {
        textDocument: { uri: uri(file) },
        range: diags[0]!.range,
        context: { diagnostics: diags, only: ['quickfix'] },
      })) as CodeAction[];
      expect(actions.map((a) => a.kind), rel).toEqual(['quickfix']);
      expect(actions[0]!.title).toMatch(/^goroscope: /);
      client.applyEdit(actions[0]!.edit!);
      expect(await client.change(file), rel).toEqual([]);
      writeFileSync(file, client.text(file));
    }
  });

  it('fix-all through executeCommand and the server\'s workspace/applyEdit', async () => {
    const file = path.join(fixtures, 'deferdone/fix.go');
    expect((await client.open(file)).length).toBe(3);
    const result = await client.conn.sendRequest('workspace/executeCommand', { command: 'goroscope.fixAll', arguments: [uri(file)] });
    expect(result).toEqual({ applied: true, fixed: 3 });
    expect(await client.change(file)).toEqual([]);
    expect(client.text(file)).toBe(readFileSync(path.join(REPO_ROOT, 'src/fix/testdata/deferdone/fix.go.golden'), 'utf8'));
  });

  it('a change re-analyses only the changed file\'s package, after a pause; a suppression comment silences a finding', async () => {
    const since = client.published.length;
    edit(firstresponse, 'make(chan Result, len(replicas))', 'make(chan Result)');
    const diags = await client.change(firstresponse);
    expect(diags.map((d) => d.code)).toEqual(['stranded-sender']);
    expect(new Set(client.published.slice(since).map((p) => path.dirname(fileURLToPath(p.uri))))).toEqual(new Set([path.dirname(firstresponse)]));
    edit(firstresponse, '\t\t\tresults <- search(query)', '\t\t\t//goroscope:ignore stranded-sender first answer wins, test\n\t\t\tresults <- search(query)');
    expect(await client.change(firstresponse)).toEqual([]);
  });

  it('settings choose rules and severities; .goroscope.yaml applies', async () => {
    const ticker = path.join(examples, 'ticker/ticker.go');
    edit(ticker, '\tdefer t.Stop()\n', '');
    expect((await client.change(ticker)).map((d) => `${d.code}:${d.severity}`)).toEqual(['ticker-not-stopped:2']);
    let since = client.published.length;
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: { goroscope: { severities: { 'ticker-not-stopped': 'info' } } } });
    expect((await client.diagnostics(ticker, () => true, since)).map((d) => `${d.code}:${d.severity}`)).toEqual(['ticker-not-stopped:3']);
    since = client.published.length;
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: { goroscope: { rules: ['-ticker-not-stopped'], severities: {} } } });
    expect(await client.diagnostics(ticker, () => true, since)).toEqual([]);
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: { goroscope: { rules: [] } } });

    const nilchan = path.join(examples, 'nilchan/nilchan.go');
    writeFileSync(path.join(examples, 'nilchan/.goroscope.yaml'), 'rules:\n  nil-channel: off\n');
    expect(await client.open(nilchan)).toEqual([]);
  });

  it('shuts down and exits cleanly', async () => {
    expect(await client.stop()).toBe(0);
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
