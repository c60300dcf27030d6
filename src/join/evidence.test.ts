// scan --evidence: which groups of a dump confirm which findings (no Go needed: a checkout and
// a dump written here, the dump as a -trimpath build elsewhere would print it).
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyzeDump } from '../dump/analyze/index.js';
import { parseDump } from '../dump/parse/index.js';
import type { Finding, ScanResult } from '../scan/finding.js';
import { applyEvidence, dumpEvidence, testReportEvidence } from './evidence.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'goroscope-evidence-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
mkdirSync(path.join(tmp, 'worker'), { recursive: true });
writeFileSync(path.join(tmp, 'go.mod'), 'module shop\n\ngo 1.19\n');
writeFileSync(path.join(tmp, 'main.go'), 'package main\n');
writeFileSync(path.join(tmp, 'worker', 'worker.go'), 'package worker\n');

const finding = (over: Partial<Finding>): Finding => ({
  rule: 'stranded-sender',
  severity: 'warning',
  file: 'worker/worker.go',
  line: 10,
  column: 2,
  endLine: 10,
  endColumn: 20,
  message: 'm',
  goroutine: null,
  related: [],
  fix: null,
  ...over,
});

const result = (findings: Finding[]): ScanResult => ({ version: 'x', findings, errors: [], stats: { files: 2, packages: 2, durationMs: 1 } });

const DUMP = `goroutine 1 [running]:
main.main()
	shop/main.go:5 +0x1

goroutine 7 [chan send, 12 minutes]:
shop/worker.(*Pool).run(0xc000010000)
	shop/worker/worker.go:10 +0x2
created by shop/worker.Start in goroutine 1
	shop/worker/worker.go:30 +0x3

goroutine 8 [chan send, 14 minutes]:
shop/worker.(*Pool).run(0xc000010008)
	shop/worker/worker.go:10 +0x2
created by shop/worker.Start in goroutine 1
	shop/worker/worker.go:30 +0x3

goroutine 9 [select, 20 minutes]:
shop/worker.loop()
	shop/worker/worker.go:50 +0x2
created by main.main in goroutine 1
	shop/main.go:8 +0x3

goroutine 10 [running]:
shop/worker.spin()
	shop/worker/worker.go:70 +0x2
created by main.main in goroutine 1
	shop/main.go:9 +0x3

goroutine 11 [chan receive]:
shop/worker.wait()
	shop/worker/worker.go:80 +0x2
created by main.main in goroutine 1
	shop/main.go:10 +0x3
`;

describe('applyEvidence', () => {
  const analysis = analyzeDump(parseDump(DUMP), { modulePath: 'shop' });
  const inputs = [dumpEvidence('prod.txt', analysis)];

  it('confirms a finding at the blocked line with the goroutine count, state and wait, raises it to error and sorts it first', () => {
    const out = applyEvidence(result([finding({ file: 'main.go', line: 1, endLine: 1 }), finding({})]), inputs, tmp);
    expect(out.findings.map((f) => f.file)).toEqual(['worker/worker.go', 'main.go']);
    const [confirmed, other] = out.findings;
    expect(confirmed).toMatchObject({ severity: 'error', evidence: { confirmed: true, goroutines: 2, severityBefore: 'warning' } });
    expect(confirmed!.evidence!.entries).toEqual([{ source: 'prod.txt', kind: 'dump', goroutines: 2, states: ['chan send'], waitMinutes: { min: 12, max: 14 }, match: 'line', suspect: 'likely' }]);
    expect(other).toMatchObject({ severity: 'warning', evidence: null });
  });

  it('confirms by the go statement only for a suspect group, and never by a running goroutine', () => {
    const byGo = finding({ line: 40, endLine: 40, goroutine: { file: 'main.go', line: 8 } });
    const running = finding({ line: 70, endLine: 70 });
    const notSuspect = finding({ line: 41, endLine: 41, goroutine: { file: 'main.go', line: 10 } });
    const out = applyEvidence(result([byGo, running, notSuspect]), inputs, tmp);
    const of = (line: number) => out.findings.find((f) => f.line === line)!;
    expect(of(40).evidence).toMatchObject({ goroutines: 1, entries: [{ match: 'go', states: ['select'], suspect: 'likely' }] });
    expect(of(70).evidence).toBeNull();
    expect(of(41).evidence).toBeNull();
    // The same group confirms a finding at its blocked line: waiting there is evidence enough.
    const atLine = applyEvidence(result([finding({ line: 80, endLine: 80 })]), inputs, tmp);
    expect(atLine.findings[0]!.evidence).toMatchObject({ goroutines: 1, entries: [{ match: 'line', suspect: null }] });
  });

  it('adds the entries of several dumps', () => {
    const out = applyEvidence(result([finding({})]), [...inputs, dumpEvidence('later.txt', analysis)], tmp);
    expect(out.findings[0]!.evidence).toMatchObject({ goroutines: 4, entries: [{ source: 'prod.txt' }, { source: 'later.txt' }] });
  });

  it('reads a goroscope test JSON report: each leak group counted once, as a definite suspect', () => {
    const leak = (test: string) => ({
      test,
      onlyWith: [],
      group: 1,
      count: 2,
      state: 'chan send',
      kind: 'chan send',
      blockedIn: 'chan send',
      location: { func: 'shop/worker.(*Pool).run', file: path.join(tmp, 'worker', 'worker.go'), line: 10 },
      createdBy: { func: 'shop/worker.Start', file: path.join(tmp, 'worker', 'worker.go'), line: 30 },
    });
    const report = JSON.stringify({ version: 'x', runs: 1, packages: [{ package: 'shop/worker', leaks: [leak('TestA'), leak('TestB')] }], unchecked: [] });
    const input = testReportEvidence('leaks.json', report)!;
    expect(input.groups).toHaveLength(1);
    const out = applyEvidence(result([finding({})]), [input], tmp);
    expect(out.findings[0]!.evidence).toMatchObject({ goroutines: 2, entries: [{ source: 'leaks.json', kind: 'test-report', match: 'line', suspect: 'definite' }] });
    expect(testReportEvidence('x.json', '{"goroutines": 3}')).toBeNull();
    expect(testReportEvidence('x.txt', 'goroutine 1 [running]:')).toBeNull();
  });
});
