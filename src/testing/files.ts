// Test helper: the Go files under a directory, recursively (testdata included).
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export function goFilesUnder(root: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(root)) {
    const full = path.join(root, e);
    if (statSync(full).isDirectory()) out.push(...goFilesUnder(full));
    else if (e.endsWith('.go')) out.push(full);
  }
  return out;
}
