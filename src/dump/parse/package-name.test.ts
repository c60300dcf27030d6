import { describe, expect, it } from 'vitest';
import { packageOf } from './package-name.js';

describe('packageOf', () => {
  it.each([
    ['main.main', 'main'],
    ['main.(*Server).loop', 'main'],
    ['net/http.(*conn).serve', 'net/http'],
    ['github.com/a/b.c.(*T).M', 'github.com/a/b'],
    ['example.com/x/gen.F[...]', 'example.com/x/gen'],
    ['example.com/x/gen.F[go.shape.*example.com/y/z.T].func1', 'example.com/x/gen'],
    ['main.worker.func1.2', 'main'],
    ['gopkg.in/yaml.v3.x', 'gopkg.in/yaml.v3'],
    ['gopkg.in/yaml%2ev2.(*parser).parse', 'gopkg.in/yaml.v2'],
    ['gopkg.in/DataDog/dd-trace-go.v1/profiler.Start', 'gopkg.in/DataDog/dd-trace-go.v1/profiler'],
    ['runtime.gopark', 'runtime'],
    ['internal/sync.(*Mutex).lockSlow', 'internal/sync'],
    ['panic', 'runtime'],
    ['??', ''],
    ['findrunnable', ''],
  ])('%s -> %s', (func, pkg) => {
    expect(packageOf(func)).toBe(pkg);
  });
});
