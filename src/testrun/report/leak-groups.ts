// A package's leak entries come one per leaking test; the goroutine group behind them is shared.
import type { PackageReport, TestLeak } from '../run.js';

/** The package's leak entries, one list per goroutine group (the entries of its tests), in order. */
export function leakGroups(p: PackageReport): TestLeak[][] {
  const groups = new Map<number, TestLeak[]>();
  for (const l of p.leaks) {
    const list = groups.get(l.group);
    if (list) list.push(l);
    else groups.set(l.group, [l]);
  }
  return [...groups.values()];
}

/** "TestA", "TestA and TestB", "TestA, TestB and TestC" (null tests: "A test"). */
export function testNames(entries: TestLeak[]): string {
  const names = entries.map((e) => e.test ?? 'A test');
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
