// The language server's package analysis: the same findings as `goroscope scan` for the package,
// with unsaved buffers in place of files, and the same again when trees come from its parse
// cache (a changed file parsed again, the others copied), also when an edit in one file changes
// which bodies of another file must be parsed.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScan } from '../scan/engine.js';
import type { Finding } from '../scan/finding.js';
import { REPO_ROOT } from '../testing/env.js';
import { DEFAULT_SETTINGS, PackageAnalyzer } from './packages.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'goroscope-lsp-pkg-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const key = (f: Finding) => `${path.basename(f.file)}:${f.line}:${f.column} ${f.rule} ${f.message} ${JSON.stringify(f.edits)}`;

describe('PackageAnalyzer', () => {
  it('finds what scan finds, from buffers, with and without its parse cache', async () => {
    const dir = path.join(tmp, 'fixtures');
    cpSync(path.join(REPO_ROOT, 'src/fix/testdata'), dir, { recursive: true });
    const analyzer = new PackageAnalyzer();
    for (const kind of ['buffer', 'deferdone', 'unlock']) {
      const pkgDir = path.join(dir, kind);
      const scanned = (await runScan([pkgDir], { config: false, workers: 0 })).result.findings.map(key).sort();
      expect(scanned.length).toBeGreaterThan(0);
      const first = await analyzer.analyze(pkgDir, new Map(), DEFAULT_SETTINGS);
      expect(first.findings.map(key).sort()).toEqual(scanned);
      // Second time round every tree comes from the cache.
      expect((await analyzer.analyze(pkgDir, new Map(), DEFAULT_SETTINGS)).findings.map(key).sort()).toEqual(scanned);
    }
  });

  it('an edit in one file that makes another file\'s body relevant is seen with the cache', async () => {
    const dir = path.join(tmp, 'relevance');
    cpSync(path.join(REPO_ROOT, 'src/fix/testdata/buffer'), dir, { recursive: true });
    const analyzer = new PackageAnalyzer();
    const a = path.join(dir, 'fix.go');
    await analyzer.analyze(dir, new Map(), DEFAULT_SETTINGS);
    // helper.go (a buffer only) is parsed for relay's channel operations, but spin's endless
    // loop matters only on a goroutine: while nothing starts it, its body is skipped.
    const helper = path.join(dir, 'helper.go');
    const helperText = 'package buffer\n\nimport "time"\n\nfunc spin(n *int) {\n\tfor {\n\t\t*n++\n\t\ttime.Sleep(time.Second)\n\t}\n}\n\nfunc relay(in, out chan int) { out <- <-in }\n';
    const buffers = new Map([[helper, helperText]]);
    const settings = { ...DEFAULT_SETTINGS, rules: ['+bare-go'] };
    const before = await analyzer.analyze(dir, buffers, settings);
    expect(before.findings.filter((f) => f.rule === 'bare-go')).toEqual([]);
    // fix.go now starts spin as a goroutine: helper.go's text is the same, its parse is not.
    buffers.set(a, readFileSync(a, 'utf8') + '\nfunc Start() {\n\tn := 0\n\tgo spin(&n)\n}\n');
    const cached = await analyzer.analyze(dir, buffers, settings);
    const fresh = await new PackageAnalyzer().analyze(dir, buffers, settings);
    expect(cached.findings.map(key).sort()).toEqual(fresh.findings.map(key).sort());
    expect(cached.findings.filter((f) => f.rule === 'bare-go').map((f) => f.message)).toEqual([expect.stringMatching(/loops forever/)]);
  });
});
