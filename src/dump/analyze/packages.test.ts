import { describe, it, expect } from 'vitest';
import { packageOf } from './packages.js';

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
