// Test helper: build model objects tersely. Frames are written "func file:line".
import type { Dump, Frame, Goroutine } from '../../model.js';
import { packageOf } from '../packages.js';

export function frame(spec: string): Frame {
  const [func, where = 'x.go:1'] = spec.split(' ');
  const colon = where.lastIndexOf(':');
  return { func: func!, package: packageOf(func!), file: where.slice(0, colon), line: Number(where.slice(colon + 1)), offset: 0x1d, inlined: false, args: '0xc000010000' };
}

export interface GoroutineSpec {
  id?: number | null;
  state?: string;
  frames?: string[];
  createdBy?: string | null;
  creatorId?: number | null;
  waitMinutes?: number | null;
  leaked?: boolean;
  labels?: Record<string, string>;
  count?: number;
  section?: number;
}

let nextId = 100;

export function goroutine(spec: GoroutineSpec = {}): Goroutine {
  const created = spec.createdBy === undefined ? 'main.start /app/main.go:10' : spec.createdBy;
  const cf = created ? frame(created) : null;
  const state = spec.state ?? 'chan receive';
  return {
    id: spec.id === undefined ? nextId++ : spec.id,
    state,
    waitReason: state,
    waitMinutes: spec.waitMinutes ?? null,
    lockedToThread: false,
    leaked: spec.leaked ?? false,
    durable: false,
    bubble: null,
    labels: spec.labels ?? {},
    frames: (spec.frames ?? ['main.worker /app/main.go:37']).map(frame),
    elidedFrames: null,
    createdBy: cf ? { func: cf.func, package: cf.package, file: cf.file, line: cf.line, creatorId: spec.creatorId ?? 1 } : null,
    ancestors: [],
    count: spec.count ?? 1,
    line: 0,
    section: spec.section ?? 0,
  };
}

export function dumpOf(goroutines: Goroutine[]): Dump {
  return {
    total: goroutines.reduce((s, g) => s + g.count, 0),
    goroutines,
    sections: [{ format: 'traceback', goroutines: goroutines.reduce((s, g) => s + g.count, 0), line: 1, declaredTotal: null, origin: null }],
    skipped: [],
  };
}

/** n copies of a goroutine spec with distinct IDs. */
export function many(n: number, spec: GoroutineSpec): Goroutine[] {
  return Array.from({ length: n }, () => goroutine({ ...spec, id: spec.id === null ? null : undefined }));
}
