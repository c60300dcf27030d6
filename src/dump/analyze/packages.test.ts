import { describe, it, expect } from 'vitest';
import { isStdlibPackage, locationFrame, packageOf } from './packages.js';
import { frame } from './testdata/factory.js';

describe('packageOf', () => {
  it.each([
    ['net/http.(*Server).Serve', 'net/http'],
    ['main.worker.func1', 'main'],
    ['github.com/a/b.(*T).M', 'github.com/a/b'],
    ['github.com/a/b/c.F[...]', 'github.com/a/b/c'],
    ['gopkg.in/yaml%2ev2.Unmarshal', 'gopkg.in/yaml%2ev2'],
    ['runtime.gopark', 'runtime'],
    ['panic', 'runtime'],
  ])('%s -> %s', (f, pkg) => expect(packageOf(f)).toBe(pkg));
});

describe('isStdlibPackage', () => {
  it('uses the dot rule, with main and the module path as user code', () => {
    expect(isStdlibPackage('net/http')).toBe(true);
    expect(isStdlibPackage('internal/poll')).toBe(true);
    expect(isStdlibPackage('main')).toBe(false);
    expect(isStdlibPackage('github.com/x/y')).toBe(false);
    expect(isStdlibPackage('leakfixture/x')).toBe(true);
    expect(isStdlibPackage('leakfixture/x/sub', 'leakfixture/x')).toBe(false);
  });
});

describe('locationFrame', () => {
  const frames = ['sync.(*Mutex).Lock s.go:1', 'github.com/lib/pool.(*P).Get p.go:5', 'example.com/app/svc.Handle svc.go:9'].map(frame);
  it('is the first frame outside the standard library', () => {
    expect(locationFrame(frames, null)?.func).toBe('github.com/lib/pool.(*P).Get');
  });
  it("prefers the module's own code when the module path is given", () => {
    expect(locationFrame(frames, 'example.com/app')?.func).toBe('example.com/app/svc.Handle');
  });
  it('is null for a stack entirely in the standard library', () => {
    expect(locationFrame([frame('runtime.bgsweep r.go:1')], null)).toBeNull();
  });
});
