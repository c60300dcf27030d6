import { readFileSync } from 'node:fs';

// Read from package.json so `--version`, JSON and SARIF output never drift from the release.
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

export const VERSION: string = pkg.version;
