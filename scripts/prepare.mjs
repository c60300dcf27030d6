// npm's `prepare` script: a clean build of dist/ with tsc (the package, then the dashboard's page).
//
// npm runs `prepare` after `npm ci`/`npm install` in a clone, before `npm pack`, and when
// goroscope is installed from a git URL (then in a temporary clone with the devDependencies
// installed, before packing it). Cleaning first keeps files of deleted sources out of packed
// tarballs. `npm ci --omit=dev` (a production install, e.g. a Docker stage that copies a
// dist/ built elsewhere) has no TypeScript: then this says so and leaves dist/ as it is
// rather than failing the install.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');

let tsc;
try {
  tsc = createRequire(path.join(root, 'package.json')).resolve('typescript/bin/tsc');
} catch {
  const state = existsSync(path.join(dist, 'cli', 'main.js')) ? 'keeping the existing dist/' : 'dist/ is not built, so the goroscope command will not run';
  console.warn(`goroscope prepare: TypeScript is not installed (devDependencies omitted?): ${state}. Build with \`npm ci && npm run build\`.`);
  process.exit(0);
}

rmSync(dist, { recursive: true, force: true });
// The package, then the dashboard's page (browser code with a tsconfig of its own), as `npm run build`.
for (const project of ['tsconfig.json', 'src/watch/serve/web/tsconfig.json']) {
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, project)], { cwd: root, stdio: 'inherit' });
  if (r.error) {
    console.error(`goroscope prepare: could not run tsc: ${r.error.message}`);
    process.exit(1);
  }
  if (r.status !== 0) process.exit(r.status ?? 1);
}
