// `goroscope explain` on fixtures: a blocked send, receive, Lock, WaitGroup.Wait, Cond.Wait, a
// select, and a send whose partner is in a callee the channel is passed to.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GoPackage } from '../gosrc/package.js';
import { REPO_ROOT } from '../testing/env.js';
import { explainLine, type Explanation } from './explain.js';
import { renderExplainJson, renderExplainText } from './explain-report.js';
import { loadPackage } from './load.js';

const DIR = 'src/join/testdata/explain';
const PIPELINE = `${DIR}/pipeline.go`;
const MORE = `${DIR}/more.go`;

/** The 1-based line of the first line of `file` containing `text`. */
function lineOf(file: string, text: string): number {
  const i = readFileSync(path.join(REPO_ROOT, file), 'utf8').split('\n').findIndex((l) => l.includes(text));
  if (i < 0) throw new Error(`${text} not in ${file}`);
  return i + 1;
}

let pkg: GoPackage;
beforeAll(async () => {
  pkg = (await loadPackage(DIR, REPO_ROOT)).pkg;
});

function explainOne(file: string, marker: string): Explanation {
  const all = explainLine(pkg, file, lineOf(file, marker));
  expect(all).toHaveLength(1);
  return all[0]!;
}

const partnerAt = (e: Explanation, file: string, marker: string) => e.partners.find((p) => p.file === file && p.line === lineOf(file, marker));

describe('explain', () => {
  it('a blocked send: the field channel, where it is made, the worker goroutine and the range that could receive', () => {
    const e = explainOne(PIPELINE, '// explain: send');
    expect(e.operation).toMatchObject({ kind: 'send', function: 'Pipeline.work', text: 'p.results <- i * i' });
    expect(e.identity).toMatchObject({ id: 'F:Pipeline.results', kind: 'chan', name: 'p.results' });
    expect(e.creations).toEqual([expect.objectContaining({ line: lineOf(PIPELINE, 'make(chan int)'), capacity: 0 })]);
    expect(e.goroutines.map((g) => g.line)).toEqual([lineOf(PIPELINE, 'go p.work(i)')]);
    expect(e.partners).toHaveLength(1);
    expect(partnerAt(e, PIPELINE, 'range p.results')).toMatchObject({ kind: 'range', releases: true, function: 'Pipeline.Collect' });
  });

  it('a blocked receive whose only sender is a func value stored in a map', () => {
    const e = explainOne(PIPELINE, '// explain: recv');
    expect(e.identity).toMatchObject({ kind: 'chan', name: 'replies' });
    expect(e.identity.id).toMatch(/^L:src\/join\/testdata\/explain\/pipeline\.go:\d+$/);
    expect(e.goroutines.map((g) => g.line)).toEqual([lineOf(PIPELINE, 'go func() {')]);
    expect(partnerAt(e, PIPELINE, 'handlers["reply"]')).toMatchObject({ kind: 'send', releases: true, callback: true, goroutines: [] });
    expect(e.summary).toMatch(/func values handed out/);
  });

  it('a blocked Lock: every Unlock could release it, the other Lock could not', () => {
    const e = explainOne(PIPELINE, '// explain: lock');
    expect(e.identity).toMatchObject({ id: 'F:Pipeline.mu', kind: 'mutex' });
    const unlocks = e.partners.filter((p) => p.kind === 'unlock');
    expect(unlocks.map((p) => [p.line, p.function, p.releases])).toEqual([
      [lineOf(PIPELINE, 'p.mu.Unlock()'), 'Pipeline.Add', true],
      [62, 'Pipeline.Bump', true],
    ]);
    expect(e.partners.find((p) => p.kind === 'lock')).toMatchObject({ function: 'Pipeline.Bump', releases: false });
  });

  it('a WaitGroup Wait: Done (deferred, in the worker goroutine) releases it, Add does not', () => {
    const e = explainOne(PIPELINE, '// explain: wait');
    expect(e.identity).toMatchObject({ id: 'F:Pipeline.wg', kind: 'waitgroup' });
    expect(partnerAt(e, PIPELINE, 'defer p.wg.Done()')).toMatchObject({ kind: 'done', releases: true, deferred: true });
    expect(partnerAt(e, PIPELINE, 'defer p.wg.Done()')!.goroutines.map((g) => g.line)).toEqual([lineOf(PIPELINE, 'go p.work(i)')]);
    expect(partnerAt(e, PIPELINE, 'p.wg.Add(1)')).toMatchObject({ kind: 'add', releases: false });
  });

  it('a Cond Wait: Broadcast releases it', () => {
    const e = explainOne(MORE, '// explain: cond wait');
    expect(e.identity).toMatchObject({ id: 'F:Barrier.all', kind: 'cond' });
    expect(partnerAt(e, MORE, 'b.all.Broadcast()')).toMatchObject({ kind: 'broadcast', releases: true, function: 'Barrier.Arrive' });
    expect(e.creations.map((c) => c.line)).toEqual([lineOf(MORE, 'sync.NewCond(&b.gate)')]);
  });

  it('a send whose receiver is a callee the channel is passed to, in its own goroutine', () => {
    const e = explainOne(MORE, '// explain: send through a callee');
    const recv = partnerAt(e, MORE, '\t<-c');
    expect(recv).toMatchObject({ kind: 'recv', releases: true, function: 'drain' });
    expect(recv!.via.map((v) => v.line)).toEqual([lineOf(MORE, 'go drain(in)')]);
    expect(recv!.goroutines.map((g) => g.line)).toEqual([lineOf(MORE, 'go drain(in)')]);
    expect(partnerAt(e, MORE, 'in <- 1')).toMatchObject({ kind: 'send', releases: false });
  });

  it("a select line explains each case; a parameter nobody in the package passes says so", () => {
    const all = explainLine(pkg, MORE, lineOf(MORE, '// explain: select'));
    expect(all.map((e) => e.identity.name)).toEqual(['a', 'b']);
    expect(all[0]!.summary).toMatch(/parameter of Either, which no code of the package calls/);
  });

  it("a ticker's channel: the runtime is the sender, not a missing partner", () => {
    const e = explainOne(MORE, '// explain: ticker');
    expect(e.identity.description).toBe('channel `t.C`, reached through local `t`');
    expect(e.summary).toMatch(/^a timer's or ticker's channel: the runtime sends on it/);
  });

  it('nothing at a line without a blocking operation', () => {
    expect(explainLine(pkg, PIPELINE, lineOf(PIPELINE, 'p.total += v'))).toEqual([]);
  });

  it('renders text and JSON', () => {
    const line = lineOf(PIPELINE, '// explain: send');
    const all = explainLine(pkg, PIPELINE, line);
    const json = JSON.parse(renderExplainJson(PIPELINE, line, all));
    expect(json).toMatchObject({ version: 1, file: PIPELINE, line, explanations: [{ identity: { id: 'F:Pipeline.results' } }] });
    const text = renderExplainText(all);
    expect(text).toContain(`${PIPELINE}:${line}: send on \`p.results\` in Pipeline.work`);
    expect(text).toContain(`* ${PIPELINE}:${lineOf(PIPELINE, 'range p.results')}: range (receives until closed) in Pipeline.Collect`);
  });
});
