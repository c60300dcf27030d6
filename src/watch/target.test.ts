// Target specs, their names (never with credentials), the scrubber, and the targets file.
import { describe, expect, it } from 'vitest';
import { Scrubber, displayUrl, secretsOf } from './redact.js';
import { parseTarget, siblingUrl, TargetError, type PprofTarget } from './target.js';
import { parseTargetsFile } from './targets-file.js';

describe('parseTarget', () => {
  it('reads net/http/pprof URLs: the profile, the /debug/pprof/ base, a bare host', () => {
    for (const spec of ['http://127.0.0.1:6060/debug/pprof/goroutine', 'http://127.0.0.1:6060/debug/pprof/', 'http://127.0.0.1:6060/debug/pprof', 'http://127.0.0.1:6060', 'http://127.0.0.1:6060/debug/pprof/goroutine?debug=2']) {
      const t = parseTarget(spec);
      expect(t.kind).toBe('pprof');
      expect(t.name).toBe('http://127.0.0.1:6060/debug/pprof/goroutine');
    }
    expect(parseTarget('https://svc.example.com/admin/debug/pprof/').name).toBe('https://svc.example.com/admin/debug/pprof/goroutine');
  });

  it('keeps credentials for requests, out of the name', () => {
    const t = parseTarget('http://admin:s3cr%40t@10.0.0.5:6060/debug/pprof/goroutine?token=abcdef&region=eu') as PprofTarget;
    expect(t.name).toBe('http://10.0.0.5:6060/debug/pprof/goroutine?token=***&region=eu');
    expect(t.authorization).toBe(`Basic ${Buffer.from('admin:s3cr@t').toString('base64')}`);
    expect(t.url.username).toBe('');
    expect(siblingUrl(t, 'heap', 1).href).toBe('http://10.0.0.5:6060/debug/pprof/heap?token=abcdef&region=eu&debug=1');
    expect(siblingUrl(t, '', null).pathname).toBe('/debug/pprof/');
    expect(t.secrets).toEqual(expect.arrayContaining(['admin', 's3cr%40t', 's3cr@t', 'abcdef']));
  });

  it('reads gops://HOST:PORT and PIDs', () => {
    expect(parseTarget('gops://127.0.0.1:4321')).toMatchObject({ kind: 'gops', host: '127.0.0.1', port: 4321, name: 'gops://127.0.0.1:4321' });
    expect(parseTarget('gops://[::1]:4321')).toMatchObject({ kind: 'gops', host: '::1', name: 'gops://[::1]:4321' });
    expect(parseTarget(' 12345 ')).toMatchObject({ kind: 'pid', pid: 12345, name: 'pid:12345' });
  });

  it('rejects what it cannot watch, without echoing credentials', () => {
    const bad = ['ftp://u:pw@host/x', 'gops://127.0.0.1', 'http://host/metrics', 'http://host/debug/pprof/goroutineleak', 'user:hunter22@host:6060', '0'];
    for (const spec of bad) {
      expect(() => parseTarget(spec)).toThrow(TargetError);
      try {
        parseTarget(spec);
      } catch (err) {
        expect((err as Error).message).not.toMatch(/hunter22|:pw@/);
      }
    }
    expect(() => parseTarget('http://host/debug/pprof/goroutineleak')).toThrow(/--leak-profile/);
  });
});

describe('redaction', () => {
  it('displayUrl drops user info and masks secret-looking parameters', () => {
    expect(displayUrl(new URL('https://u:p@h/x?api_key=1&sig=2&x=3&Authorization=4'))).toBe('https://h/x?api_key=***&sig=***&x=3&Authorization=***');
  });

  it('the scrubber replaces every secret, longest first, and leaves short ones alone', () => {
    const s = new Scrubber();
    s.add(secretsOf(new URL('http://bob:longpassword@h/?token=tok-123')));
    s.add(['longpass', 'ab']);
    expect(s.scrub('failed: longpassword tok-123 longpass bob ab')).toBe('failed: *** *** *** bob ab');
  });
});

describe('targets file', () => {
  it('reads one target a line with comments, and says which lines are wrong', () => {
    const read = parseTargetsFile('t.txt', '# services\nhttp://a:6060  # api\n\ngops://b:1\nhttp://a:6060/debug/pprof/\nnot a target\n4242\n');
    expect(read.targets.map((t) => t.name)).toEqual(['http://a:6060/debug/pprof/goroutine', 'gops://b:1', 'pid:4242']);
    expect(read.errors).toEqual(['t.txt:6: this is not a target: give http(s)://HOST:PORT/debug/pprof/goroutine, gops://HOST:PORT or a process ID']);
  });
});
