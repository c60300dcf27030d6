// Neovim's built-in LSP client (Debian's neovim, 0.7 in bookworm) runs headless, opens a
// leaking example with `goroscope lsp` as its language server (src/lsp/neovim.lua), and writes
// down the diagnostics it received; the test prints them. CI installs neovim (.ci/run) and must
// run this test; elsewhere it is skipped when nvim is missing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IN_CI, REPO_ROOT } from '../testing/env.js';

function nvimUnavailable(): string | null {
  const r = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  if (!r.error && r.status === 0) return null;
  if (IN_CI) throw new Error('CI requires nvim for this test (apt-get install neovim; .ci/run does)');
  return 'nvim is not installed';
}

const skip = nvimUnavailable();
const tmp = mkdtempSync(path.join(os.tmpdir(), 'goroscope-nvim-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(skip)('Neovim (headless) with goroscope lsp', () => {
  it('receives the example\'s diagnostic with its range, rule and source', () => {
    const out = path.join(tmp, 'diagnostics.jsonl');
    const file = path.join(REPO_ROOT, 'examples/timeout/timeout.go');
    const r = spawnSync('nvim', ['--headless', '--clean', '-n', '-u', path.join(REPO_ROOT, 'src/lsp/neovim.lua')], {
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        ...process.env,
        GOROSCOPE_CMD: JSON.stringify([process.execPath, path.join(REPO_ROOT, 'dist/cli/main.js'), 'lsp', '--stdio']),
        GOROSCOPE_FILE: file,
        GOROSCOPE_OUT: out,
        XDG_STATE_HOME: tmp,
        XDG_CACHE_HOME: tmp,
        XDG_DATA_HOME: tmp,
      },
    });
    expect(r.error).toBeUndefined();
    const received = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    process.stdout.write(`Neovim received from goroscope lsp for examples/timeout/timeout.go:\n${received.map((d) => `  ${d.lnum + 1}:${d.col + 1}-${d.end_lnum + 1}:${d.end_col + 1} ${d.source} ${d.code}: ${d.message.split('\n')[0]}`).join('\n')}\n`);
    expect(received).toEqual([
      expect.objectContaining({ lnum: 19, col: 2, end_lnum: 19, end_col: 18, severity: 1, source: 'goroscope', code: 'stranded-sender' }),
    ]);
    expect(received[0].message).toMatch(/^goroutine sends on unbuffered channel `result`, but the receiver returns on `<-time.After\(limit\)`/);
  });
});
