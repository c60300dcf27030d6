// Every rule goroscope has. The engine, `goroscope rules`, the docs test and the SARIF output
// read this list; a new rule is one import and one entry here (see ARCHITECTURE.md).
import type { Rule } from './types.js';

export const RULES: readonly Rule[] = [
];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.meta.id === id);
}
