import { describe, expect, it } from 'vitest';
import { parseBody } from '../../testing/gosrc.js';
import { canFallThrough, exitWithout } from './paths.js';

/** The statement `start()` is the starting point; statements mentioning `use` are uses. */
async function firstUnusedExit(body: string): Promise<string | null> {
  const root = await parseBody(body);
  const start = root.findAll('expression_statement').find((s) => s.text === 'start()')!;
  const scope = root.findAll('function_declaration')[0]!.child('body')!;
  const exit = exitWithout(start, scope, (n) => n.findAll('identifier').some((id) => id.text === 'use'));
  return exit ? `${exit.kind}@${exit.node.pos.line - 3}` : null;
}

describe('exitWithout', () => {
  it('finds an early return before the use', async () => {
    expect(await firstUnusedExit('start()\nif a {\n\treturn\n}\nuse()\nreturn')).toBe('return@3');
  });

  it('accepts a use on every branch', async () => {
    expect(await firstUnusedExit('start()\nif a {\n\tuse()\n\treturn\n} else {\n\tdefer use()\n}\nreturn')).toBeNull();
  });

  it('reports the end of the scope when it falls off unused', async () => {
    expect(await firstUnusedExit('start()\nif a {\n\tuse()\n}')).toBe('end@5');
  });

  it('treats panic as leaving without a return', async () => {
    expect(await firstUnusedExit('start()\nif a {\n\tpanic("x")\n}\nuse()')).toBeNull();
  });

  it('follows switch cases and a missing default', async () => {
    expect(await firstUnusedExit('start()\nswitch x {\ncase 1:\n\tuse()\n\treturn\ncase 2:\n\treturn\n}\nuse()')).toBe('return@7');
    expect(await firstUnusedExit('start()\nswitch x {\ncase 1:\n\tuse()\ndefault:\n\tuse()\n}\nreturn')).toBeNull();
  });

  it('does not count a use inside a loop that may not run', async () => {
    expect(await firstUnusedExit('start()\nfor _, v := range xs {\n\tuse(v)\n}\nreturn')).toBe('return@5');
  });

  it('treats a continue that skips the use as leaving the loop body', async () => {
    const root = await parseBody('for _, v := range xs {\n\tstart()\n\tif v {\n\t\tcontinue\n\t}\n\tuse()\n}');
    const start = root.findAll('expression_statement').find((s) => s.text === 'start()')!;
    const loopBody = root.findAll('for_statement')[0]!.child('body')!;
    const exit = exitWithout(start, loopBody, (n) => n.text.includes('use'));
    expect(exit?.kind).toBe('end');
  });
});

describe('canFallThrough', () => {
  it('tells a case that goes round the loop again from one that returns', async () => {
    const root = await parseBody('for {\n\tselect {\n\tcase <-done:\n\t\treturn\n\tcase v := <-in:\n\t\tuse(v)\n\t}\n}');
    const [doneCase, inCase] = root.findAll('communication_case');
    expect(canFallThrough(inCase!)).toBe(true);
    expect(canFallThrough(doneCase!)).toBe(false);
  });
});
