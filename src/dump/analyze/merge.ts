// Several inputs (files, URLs) analysed together: goroutines are pooled for grouping, while each
// input's sections stay separate entries so the report still says where goroutines came from.
import type { Dump } from '../model.js';

export function mergeDumps(dumps: readonly Dump[]): Dump {
  if (dumps.length === 1) return dumps[0]!;
  const merged: Dump = { total: 0, goroutines: [], sections: [], skipped: [] };
  // Plain loops: push(...list) passes every element as an argument and overflows the stack on
  // dumps with hundreds of thousands of goroutines.
  for (const d of dumps) {
    const offset = merged.sections.length;
    for (const s of d.sections) merged.sections.push(s);
    for (const g of d.goroutines) merged.goroutines.push({ ...g, section: g.section + offset });
    for (const s of d.skipped) merged.skipped.push(s);
    merged.total += d.total;
  }
  return merged;
}
