// npm run package:vscode: builds editors/vscode/goroscope-<version>.vsix offline. The extension's
// one runtime dependency, vscode-languageclient (a devDependency of goroscope, so npm ci has
// put it in node_modules), is copied with its own dependencies into a staging directory
// beside the extension's files, and @vscode/vsce packs that directory; nothing is downloaded.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ext = path.join(root, 'editors', 'vscode');
const manifest = JSON.parse(readFileSync(path.join(ext, 'package.json'), 'utf8'));
const out = path.join(ext, `${manifest.name}-${manifest.version}.vsix`);
const stage = mkdtempSync(path.join(os.tmpdir(), 'goroscope-vsix-'));

try {
  for (const f of ['package.json', 'extension.js', 'README.md', 'LICENSE']) cpSync(path.join(ext, f), path.join(stage, f));
  // Each dependency is found as Node finds it (its dependent's node_modules, then upwards) and
  // staged at the same place relative to the root, nested node_modules included.
  const staged = new Set();
  const copy = (name, fromDir) => {
    let found = null;
    for (let dir = fromDir; ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, 'node_modules', name);
      if (existsSync(path.join(candidate, 'package.json'))) {
        found = candidate;
        break;
      }
      if (dir === root || dir === path.dirname(dir)) break;
    }
    if (!found) throw new Error(`${name} is not installed (run npm ci first)`);
    if (staged.has(found)) return;
    staged.add(found);
    cpSync(found, path.join(stage, path.relative(root, found)), { recursive: true });
    for (const dep of Object.keys(JSON.parse(readFileSync(path.join(found, 'package.json'), 'utf8')).dependencies ?? {})) copy(dep, found);
  };
  for (const dep of Object.keys(manifest.dependencies ?? {})) copy(dep, root);
  // What is staged is what ships: the extension's files and those dependencies (vsce lists
  // them with `npm list --production`, which reads node_modules and needs no network).
  // Type declarations and source maps of the dependencies are of no use at run time.
  writeFileSync(path.join(stage, '.vscodeignore'), '**/*.d.ts\n**/*.map\n**/*.ts\n');
  rmSync(out, { force: true });
  execFileSync(process.execPath, [path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--allow-missing-repository', '--out', out], {
    cwd: stage,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  process.stdout.write(`${path.relative(process.cwd(), out)}\n`);
} finally {
  rmSync(stage, { recursive: true, force: true });
}
