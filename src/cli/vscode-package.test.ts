// npm run package:vscode builds the VS Code extension offline (no registry: npm_config_offline),
// and the .vsix holds the extension with every module it loads: unpacked (with yauzl, which
// @vscode/vsce itself uses), extension.js loads against a stand-in `vscode` module and its
// language client resolves from inside the package.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../testing/env.js';

/** Extracts a zip archive (a .vsix) into `dir`. */
async function unzip(file: string, dir: string): Promise<void> {
  const yauzl = createRequire(import.meta.url)('yauzl');
  const zip = await new Promise<any>((resolve, reject) => yauzl.open(file, { lazyEntries: true }, (err: Error | null, z: any) => (err ? reject(err) : resolve(z))));
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', resolve);
    zip.on('entry', (entry: any) => {
      const target = path.join(dir, entry.fileName);
      if (entry.fileName.endsWith('/')) return zip.readEntry();
      zip.openReadStream(entry, (err: Error | null, stream: NodeJS.ReadableStream) => {
        if (err) return reject(err);
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          mkdirSync(path.dirname(target), { recursive: true });
          writeFileSync(target, Buffer.concat(chunks));
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'goroscope-vsix-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('npm run package:vscode', () => {
  it('packs the extension and the modules it needs, offline', async () => {
    const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'editors/vscode/package.json'), 'utf8'));
    const vsix = path.join(REPO_ROOT, 'editors/vscode', `goroscope-${manifest.version}.vsix`);
    execFileSync('npm', ['run', 'package:vscode'], { cwd: REPO_ROOT, stdio: 'pipe', env: { ...process.env, npm_config_offline: 'true' } });
    expect(existsSync(vsix)).toBe(true);
    await unzip(vsix, tmp);
    const ext = path.join(tmp, 'extension');
    const packed = JSON.parse(readFileSync(path.join(ext, 'package.json'), 'utf8'));
    expect(packed.main).toBe('./extension.js');
    expect(packed.activationEvents).toEqual(['onLanguage:go']);
    // A stand-in for the editor's `vscode` module: enough for the client to be constructed.
    mkdirSync(path.join(ext, 'node_modules', 'vscode'), { recursive: true });
    writeFileSync(
      path.join(ext, 'node_modules', 'vscode', 'index.js'),
      `const any = () => new Proxy(function () {}, { get: (_, k) => (k === 'then' ? undefined : any()), apply: () => any(), construct: () => any() });
module.exports = new Proxy({}, { get: (_, k) => k === 'workspace' ? { getConfiguration: () => ({ get: () => undefined }), workspaceFolders: [] } : any() });`,
    );
    const extension = createRequire(path.join(ext, 'extension.js'))('./extension.js');
    expect(typeof extension.activate).toBe('function');
    expect(typeof extension.deactivate).toBe('function');
    // The client's own modules resolve from inside the package, not from goroscope's tree.
    const fromExt = createRequire(path.join(ext, 'extension.js'));
    expect(fromExt.resolve('vscode-languageclient/node')).toContain(ext);
    expect(fromExt.resolve('vscode-languageserver-protocol', { paths: [path.join(ext, 'node_modules', 'vscode-languageclient')] })).toContain(ext);
  }, 120_000);
});
