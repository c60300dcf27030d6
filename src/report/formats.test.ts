// The four output formats over one sample result.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RuleMeta } from '../rules/types.js';
import type { ScanResult } from '../scan/finding.js';
import { escapeData, escapeProperty, formatGithub } from './github.js';
import { formatJson } from './json.js';
import { artifactLocation, formatSarif } from './sarif.js';
import { sarifProblems } from '../testing/sarif-shape.js';
import { codeFrame, diskLineReader, formatText, MAX_FRAME_WIDTH, type LineReader } from './text.js';

const sample: ScanResult = {
  version: '9.9.9',
  findings: [
    {
      rule: 'send-leak',
      severity: 'error',
      file: 'pkg/a.go',
      line: 3,
      column: 2,
      endLine: 3,
      endColumn: 7,
      message: 'send on ch, 100% blocked: never received',
      goroutine: { file: 'pkg/a.go', line: 2 },
      related: [{ file: 'pkg/b.go', line: 9, message: 'the only receive' }],
      fix: 'make ch buffered:\nch := make(chan int, 1)',
      edits: [{ file: 'pkg/a.go', line: 2, column: 17, endLine: 2, endColumn: 17, newText: ', 1' }],
    },
    {
      rule: 'bare-go',
      severity: 'info',
      file: 'pkg/b.go',
      line: 1,
      column: 1,
      endLine: 2,
      endColumn: 3,
      message: 'loops forever',
      goroutine: null,
      related: [],
      fix: null,
      edits: [],
    },
  ],
  errors: [
    { file: 'pkg/c.go', line: 4, message: 'syntax error near "}"', kind: 'syntax' },
    { file: 'pkg/bin.go', line: 0, message: 'binary file (NUL byte in the first 8 KiB); skipped', kind: 'skipped' },
  ],
  stats: { files: 4, packages: 1, durationMs: 12 },
};

const lines: Record<string, string[]> = { 'pkg/a.go': ['package pkg', 'func f() {', '\tch <- 1 // x', '}'], 'pkg/b.go': ['for {}'] };
const readLine: LineReader = (file, line) => lines[file]?.[line - 1] ?? null;

const metas: RuleMeta[] = [
  { id: 'send-leak', title: 'Send that can block forever', category: 'channels', defaultSeverity: 'error', enabledByDefault: true, description: 'A send nobody receives.' },
  { id: 'bare-go', title: 'Endless goroutine', category: 'style', defaultSeverity: 'info', enabledByDefault: false, description: 'A goroutine with no exit.' },
];

describe('json', () => {
  it('has exactly the documented shape and key order', () => {
    const doc = JSON.parse(formatJson(sample));
    expect(Object.keys(doc)).toEqual(['version', 'findings', 'errors', 'stats']);
    expect(Object.keys(doc.findings[0])).toEqual(['rule', 'severity', 'file', 'line', 'column', 'endLine', 'endColumn', 'message', 'goroutine', 'related', 'fix', 'edits']);
    expect(Object.keys(doc.findings[0].edits[0])).toEqual(['file', 'line', 'column', 'endLine', 'endColumn', 'newText']);
    expect(doc.findings[1].goroutine).toBeNull();
    expect(doc.findings[1].fix).toBeNull();
    expect(Object.keys(doc.errors[0])).toEqual(['file', 'line', 'message', 'kind']);
    expect(Object.keys(doc.stats)).toEqual(['files', 'packages', 'durationMs']);
    expect(doc).toEqual(sample);
  });

  it('drops properties that are not part of the format', () => {
    const extra = { ...sample, findings: [{ ...sample.findings[0]!, internal: 1 } as never] };
    expect(formatJson(extra)).not.toContain('internal');
  });
});

describe('github', () => {
  it('escapes data and properties per the workflow-command rules', () => {
    expect(escapeData('100%\r\nnext: a,b')).toBe('100%25%0D%0Anext: a,b');
    expect(escapeProperty('C:\\x,y%')).toBe('C%3A\\x%2Cy%25');
  });

  it('writes one command per finding and per error, by severity', () => {
    expect(formatGithub(sample).split('\n')).toEqual([
      '::error file=pkg/a.go,line=3,col=2,endLine=3,endColumn=7,title=goroscope send-leak::send on ch, 100%25 blocked: never received%0AFix: make ch buffered:%0Ach := make(chan int, 1)',
      '::notice file=pkg/b.go,line=1,col=1,endLine=2,endColumn=3,title=goroscope bare-go::loops forever',
      '::warning file=pkg/c.go,line=4,title=goroscope syntax error::syntax error near "}"',
      '::error file=pkg/bin.go,title=goroscope could not analyse this file::binary file (NUL byte in the first 8 KiB); skipped',
      '',
    ]);
  });

  it('prints nothing for a clean result', () => {
    expect(formatGithub({ ...sample, findings: [], errors: [] })).toBe('');
  });
});

describe('text', () => {
  it('groups by file with a code frame, related locations, fix, errors and a summary', () => {
    const out = formatText(sample, { color: false, readLine });
    expect(out).toBe(
      [
        'pkg/a.go',
        '  3:2  error    send-leak  send on ch, 100% blocked: never received',
        '    3 | \tch <- 1 // x',
        '      | \t^^^^^',
        '    goroutine started at pkg/a.go:2',
        '    related: pkg/b.go:9: the only receive',
        '    fix: make ch buffered:\nch := make(chan int, 1)',
        '',
        'pkg/b.go',
        '  1:1  info     bare-go  loops forever',
        '    1 | for {}',
        '      | ^',
        '',
        'Could not analyse:',
        '  pkg/bin.go: binary file (NUL byte in the first 8 KiB); skipped',
        '',
        'Syntax errors (analysed as far as the parser recovered):',
        '  pkg/c.go:4: syntax error near "}"',
        '',
        '2 findings (1 error, 1 info) (4 files in 1 package, 12 ms); 1 not analysed; 1 syntax error; 1 fixable with --fix',
        '',
      ].join('\n'),
    );
  });

  it('cuts a long line around the finding, with the caret still under it', () => {
    const pad = 'x'.repeat(400);
    const line = `\tvar table = []int{${pad}}; ch <- v; ${pad}`;
    const column = line.indexOf('ch <- v') + 1;
    const long: ScanResult = { ...sample, findings: [{ ...sample.findings[0]!, column, endColumn: column + 7 }], errors: [] };
    const out = formatText(long, { color: false, readLine: () => line }).split('\n');
    const [code, caret] = [out[2]!, out[3]!];
    expect(code.length).toBeLessThan(MAX_FRAME_WIDTH + 12);
    expect(code).toMatch(/^ {4}3 \| …x+}; ch <- v; x+…$/);
    expect(caret.indexOf('^')).toBe(code.indexOf('ch <- v'));
    expect(caret.trimEnd().endsWith('^^^^^^^')).toBe(true);
    // Short lines, and the start and end of long ones, are shown as they are.
    expect(codeFrame('\tch <- 1', 1, 2)).toEqual({ text: '\tch <- 1', start: 1, width: 2 });
    expect(codeFrame(`ch <- v${pad}`, 0, 7)).toEqual({ text: `ch <- v${pad.slice(0, MAX_FRAME_WIDTH - 7)}…`, start: 0, width: 7 });
    const tail = codeFrame(`${pad}ch <- v`, 400, 7);
    expect(tail.text.startsWith('…')).toBe(true);
    expect(tail.text.slice(tail.start, tail.start + tail.width)).toBe('ch <- v');
  });

  it('colours only when asked', () => {
    expect(formatText(sample, { color: true, readLine })).toContain('\u001b[31m');
    expect(formatText(sample, { color: false, readLine })).not.toContain('\u001b[');
  });

  it('says so when nothing is found', () => {
    expect(formatText({ ...sample, findings: [], errors: [] }, { color: false, readLine })).toBe('No goroutine leaks found (4 files in 1 package, 12 ms)\n');
  });

  it('reads lines from disk relative to the cwd', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'goroscope-text-'));
    try {
      writeFileSync(path.join(dir, 'x.go'), 'package x\r\nfunc f() {}\r\n');
      const read = diskLineReader(dir);
      expect(read('x.go', 2)).toBe('func f() {}');
      expect(read('x.go', 9)).toBeNull();
      expect(read('missing.go', 1)).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('sarif', () => {
  const docsDir = mkdtempSync(path.join(os.tmpdir(), 'goroscope-sarif-'));
  mkdirSync(docsDir, { recursive: true });
  writeFileSync(path.join(docsDir, 'send-leak.md'), '# send-leak\n\nA send nobody receives.\n');
  afterAll(() => rmSync(docsDir, { recursive: true, force: true }));
  const render = (result: ScanResult = sample) => JSON.parse(formatSarif(result, { rules: metas, cwd: '/repo', readLine, version: '9.9.9', docsDir }));

  it('has every required SARIF 2.1.0 property and no unknown ones', () => {
    expect(sarifProblems(render())).toEqual([]);
  });

  it('the checker catches a broken log', () => {
    const log = render();
    delete log.runs[0].results[0].message;
    log.runs[0].results[1].ruleIndex = 0;
    log.runs[0].tool.driver.bogus = 1;
    expect(sarifProblems(log)).toEqual([
      'runs[0].tool.driver: toolComponent has unknown property bogus',
      'runs[0].results[0]: result lacks required message',
      'runs[0].results[0].message: message is not an object',
      'runs[0].results[1]: ruleIndex does not point at ruleId',
    ]);
  });

  it('describes the tool and its rules with docs', () => {
    const driver = render().runs[0].tool.driver;
    expect(driver.name).toBe('goroscope');
    expect(driver.version).toBe('9.9.9');
    expect(driver.informationUri).toMatch(/^https:\/\//);
    expect(driver.rules[0]).toEqual({
      id: 'send-leak',
      name: 'SendLeak',
      shortDescription: { text: 'Send that can block forever' },
      fullDescription: { text: 'A send nobody receives.' },
      helpUri: 'https://github.com/goroscope/goroscope/blob/main/docs/rules/send-leak.md',
      help: { text: '# send-leak\n\nA send nobody receives.\n', markdown: '# send-leak\n\nA send nobody receives.\n' },
      defaultConfiguration: { level: 'error', enabled: true },
      properties: { tags: ['goroutine-leak', 'channels'] },
    });
    expect(driver.rules[1].help).toBeUndefined();
    expect(driver.rules[1].defaultConfiguration).toEqual({ level: 'note', enabled: false });
  });

  it('maps results, locations, related locations and fingerprints', () => {
    const [first, second] = render().runs[0].results;
    expect(first.ruleId).toBe('send-leak');
    expect(first.ruleIndex).toBe(0);
    expect(first.level).toBe('error');
    expect(first.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'pkg/a.go', uriBaseId: '%SRCROOT%' },
      region: { startLine: 3, startColumn: 2, endLine: 3, endColumn: 7 },
    });
    expect(first.relatedLocations.map((l: any) => `${l.physicalLocation.artifactLocation.uri}:${l.physicalLocation.region.startLine} ${l.message.text}`)).toEqual([
      'pkg/b.go:9 the only receive',
      'pkg/a.go:2 the goroutine is started here',
    ]);
    expect(first.properties.fix).toMatch(/buffered/);
    expect(first.fixes).toEqual([
      {
        description: { text: 'make ch buffered:\nch := make(chan int, 1)' },
        artifactChanges: [
          {
            artifactLocation: { uri: 'pkg/a.go', uriBaseId: '%SRCROOT%' },
            replacements: [{ deletedRegion: { startLine: 2, startColumn: 17, endLine: 2, endColumn: 17 }, insertedContent: { text: ', 1' } }],
          },
        ],
      },
    ]);
    expect(second.fixes).toBeUndefined();
    expect(second.level).toBe('note');
    expect(second.relatedLocations).toBeUndefined();
    expect(first.partialFingerprints['goroscopeFindingHash/v1']).toMatch(/^[0-9a-f]{32}$/);
  });

  it('keeps fingerprints when the code moves down and separates identical findings', () => {
    const moved = { ...sample, findings: [{ ...sample.findings[0]!, line: 13 }] };
    const movedLines: LineReader = (f, l) => (l === 13 ? readLine(f, 3) : null);
    const fp = (r: ScanResult, rl: LineReader) => JSON.parse(formatSarif(r, { rules: metas, cwd: '/repo', readLine: rl, version: '1', docsDir })).runs[0].results.map((x: any) => x.partialFingerprints['goroscopeFindingHash/v1']);
    expect(fp(moved, movedLines)[0]).toBe(fp({ ...sample, findings: [sample.findings[0]!] }, readLine)[0]);
    const twice = fp({ ...sample, findings: [sample.findings[0]!, sample.findings[0]!] }, readLine);
    expect(twice[0]).not.toBe(twice[1]);
  });

  it('lists file problems as tool execution notifications: syntax errors as warnings, the rest as errors', () => {
    const inv = render().runs[0].invocations[0];
    // pkg/bin.go was not analysed at all.
    expect(inv.executionSuccessful).toBe(false);
    expect(inv.toolExecutionNotifications.map((n: { level: string }) => n.level)).toEqual(['warning', 'error']);
    expect(render({ ...sample, errors: [sample.errors[0]!] }).runs[0].invocations[0].executionSuccessful).toBe(true);
    expect(inv.toolExecutionNotifications[0]).toEqual({
      level: 'warning',
      message: { text: 'syntax error near "}"' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'pkg/c.go', uriBaseId: '%SRCROOT%' }, region: { startLine: 4 } } }],
    });
    expect(inv.toolExecutionNotifications[1].locations[0].physicalLocation.region).toBeUndefined();
  });

  it('makes URIs relative with forward slashes, absolute outside the root', () => {
    expect(artifactLocation('a b/x.go', '/repo')).toEqual({ uri: 'a%20b/x.go', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('/repo/sub/x.go', '/repo')).toEqual({ uri: 'sub/x.go', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('/elsewhere/x.go', '/repo')).toEqual({ uri: 'file:///elsewhere/x.go' });
  });
});
