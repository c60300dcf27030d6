// The CLI's streaming analysis must report exactly what analyzing the model reports: compared as
// `dump --format json` output on every corpus dump, pooled inputs, several option sets, and with
// aggregation forced (IDs then come from merged records).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDumpStream, type ParseOptions } from '../parse/index.js';
import { corpusFiles, corpusName } from '../parse/testdata/corpus.js';
import { moveUserFrames } from '../../testing/module-paths.js';
import { dumpToJson } from '../report/json.js';
import { analyzeDump, type AnalyzeOptions } from './analyze.js';
import { mergeDumps } from './merge.js';
import { StreamingAnalysis } from './stream.js';

async function* chunks(bytes: Buffer): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += 65536) yield bytes.subarray(i, i + 65536);
}

const OPTION_SETS: AnalyzeOptions[] = [
  {},
  { groupBy: 'location' },
  { modulePath: 'example.com/leaky', minWaitMinutes: 1, largeGroup: 2 },
  { ignore: { top: ['main.worker'], any: ['net/http.(*conn).serve'], createdBy: ['main.main'] } },
];

/** The JSON report of the model path and of the streaming path for the same inputs. */
async function bothWays(inputs: Buffer[], options: AnalyzeOptions, aggregateAfter?: number): Promise<[unknown, unknown]> {
  const parse: ParseOptions = aggregateAfter === undefined ? {} : { aggregateAfter };
  const dumps = [];
  for (const input of inputs) dumps.push(await parseDumpStream(chunks(input), parse));
  const model = dumpToJson(analyzeDump(mergeDumps(dumps), options));
  const streaming = new StreamingAnalysis(options, aggregateAfter);
  for (const input of inputs) {
    const sink = streaming.input();
    const dump = await parseDumpStream(chunks(input), { sink });
    expect(dump.goroutines).toEqual([]);
    if (sink.records > 0) streaming.add(sink, dump);
  }
  return [model, dumpToJson(streaming.finish())];
}

describe('streaming analysis gives the model analysis', () => {
  const files = corpusFiles();

  it.each(files.map((f) => [corpusName(f), f]))('%s', async (_name, file) => {
    const input = readFileSync(file);
    for (const options of OPTION_SETS) {
      const [model, streamed] = await bothWays([input], options);
      expect(streamed).toEqual(model);
    }
    // Past the aggregation threshold only the first goroutine of identical ones keeps its ID.
    for (const after of [1, 7]) {
      const [model, streamed] = await bothWays([input, input], {}, after);
      expect(streamed).toEqual(model);
    }
  });

  // The same with the program's code in a module without a dot: user code found by facts as it is read.
  it.each(files.filter((f) => f.endsWith('.txt')).map((f) => [corpusName(f), f]))('%s, user code in module shop', async (_name, file) => {
    const input = Buffer.from(moveUserFrames(readFileSync(file, 'latin1'), 'shop'), 'latin1');
    const [model, streamed] = await bothWays([input], {});
    expect(streamed).toEqual(model);
  });

  it('pools several inputs, their sections kept apart', async () => {
    const inputs = files.slice(0, 4).map((f) => readFileSync(f));
    const [model, streamed] = await bothWays(inputs, {});
    expect(streamed).toEqual(model);
    expect((streamed as { sections: unknown[] }).sections.length).toBeGreaterThanOrEqual(4);
  });
});
