// The worker thread that analyses snapshot files for the dashboard (snapshot-analysis.ts), one at a
// time, so that the watch's event loop keeps sampling on time.
import { parentPort } from 'node:worker_threads';
import type { AnalyzeOptions } from '../../dump/analyze/index.js';
import { analyseSnapshotFile, SnapshotUnavailable, type AnalysedSnapshot } from './snapshot-analysis.js';

export interface SnapshotRequest {
  id: number;
  file: string;
  options: AnalyzeOptions;
}

export type SnapshotReply = { id: number; ok: true; snapshot: AnalysedSnapshot } | { id: number; ok: false; unavailable: boolean; message: string };

parentPort?.on('message', (req: SnapshotRequest) => {
  let reply: SnapshotReply;
  try {
    reply = { id: req.id, ok: true, snapshot: analyseSnapshotFile(req.file, req.options) };
  } catch (err) {
    reply = { id: req.id, ok: false, unavailable: err instanceof SnapshotUnavailable, message: err instanceof Error ? err.message : String(err) };
  }
  parentPort!.postMessage(reply);
});
