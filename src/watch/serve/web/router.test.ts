// The dashboard's stable URLs: every view's link parses back to the same view, whatever a target's
// name holds (slashes, query strings, quotes, markup), and anything else is "missing".
import { describe, expect, it } from 'vitest';
import { href, parseRoute } from './router.js';

const NAMES = ['http://10.0.0.5:6060/debug/pprof/goroutine', 'http://h/debug/pprof/goroutine?token=***&x=%3Cb%3E', 'gops://127.0.0.1:4321', 'pid:4242', `odd/"name'<script>`];

describe('dashboard routes', () => {
  it('parses each view link back to its view', () => {
    expect(parseRoute(href.overview())).toEqual({ view: 'overview' });
    expect(parseRoute('')).toEqual({ view: 'overview' });
    for (const name of NAMES) {
      expect(parseRoute(href.target(name))).toEqual({ view: 'target', target: name, range: null });
      expect(parseRoute(href.target(name, '6h'))).toEqual({ view: 'target', target: name, range: '6h' });
      expect(parseRoute(href.group(name, '38f7e7196cff75a8', '1d'))).toEqual({ view: 'group', target: name, group: '38f7e7196cff75a8', range: '1d' });
      expect(parseRoute(href.snapshot(name))).toEqual({ view: 'snapshot', target: name, snapshot: null });
      expect(parseRoute(href.snapshot(name, 12))).toEqual({ view: 'snapshot', target: name, snapshot: 12 });
    }
  });

  it('keeps a link in one piece: no raw slash, quote or angle bracket from a name', () => {
    for (const name of NAMES) expect(href.target(name).slice('#/target/'.length)).not.toMatch(/[/"<>?#]/);
  });

  it('calls anything else missing', () => {
    for (const hash of ['#/targets', '#/target', '#/target/x/group', '#/target/x/snapshot/latest', '#/target/%E0%A4%A/', '#/target/x/group/a/b']) {
      expect(parseRoute(hash).view, hash).toBe('missing');
    }
  });
});
