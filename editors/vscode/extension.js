// The goroscope extension: starts `goroscope lsp --stdio` for Go files and hands it the
// `goroscope.*` settings. Which goroscope: the `goroscope.path` setting, else the workspace's
// node_modules/.bin/goroscope, else goroscope on PATH, else `npx --yes goroscope`.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client = null;

function onPath(name) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    const candidate = path.join(dir, process.platform === 'win32' ? `${name}.cmd` : name);
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return null;
}

/** The command that runs goroscope, and the arguments before `lsp`. */
function serverCommand() {
  const configured = vscode.workspace.getConfiguration('goroscope').get('path');
  if (configured) return { command: configured, args: [] };
  for (const folder of vscode.workspace.workspaceFolders || []) {
    const local = path.join(folder.uri.fsPath, 'node_modules', '.bin', process.platform === 'win32' ? 'goroscope.cmd' : 'goroscope');
    if (fs.existsSync(local)) return { command: local, args: [] };
  }
  const global = onPath('goroscope');
  if (global) return { command: global, args: [] };
  return { command: process.platform === 'win32' ? 'npx.cmd' : 'npx', args: ['--yes', 'goroscope'] };
}

function settings() {
  const c = vscode.workspace.getConfiguration('goroscope');
  return { rules: c.get('rules'), severities: c.get('severities'), debounceMs: c.get('debounceMs') };
}

async function start() {
  const { command, args } = serverCommand();
  const run = { command, args: [...args, 'lsp', '--stdio'], transport: TransportKind.stdio };
  client = new LanguageClient('goroscope', 'goroscope', { run, debug: run }, {
    documentSelector: [{ scheme: 'file', language: 'go' }],
    initializationOptions: { goroscope: settings() },
    synchronize: { configurationSection: 'goroscope' },
  });
  await client.start();
}

async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('goroscope.restart', async () => {
      if (client) await client.stop();
      await start();
    }),
  );
  await start();
}

async function deactivate() {
  if (client) await client.stop();
}

module.exports = { activate, deactivate };
