// `goroscope rules`: the rule registry as a table (id, default severity, on/off by default,
// title), or as JSON for tools. Exit 0.
import { Option, type Command } from 'commander';
import { RULES } from '../rules/registry.js';
import { docsUrl, type Rule } from '../rules/types.js';

export function formatRulesTable(rules: readonly Rule[]): string {
  if (rules.length === 0) return 'No rules are registered.\n';
  const rows = rules.map((r) => [r.meta.id, r.meta.defaultSeverity, r.meta.enabledByDefault ? 'on' : 'off', r.meta.title]);
  const header = ['RULE', 'SEVERITY', 'DEFAULT', 'TITLE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line)].join('\n') + '\n\nOff-by-default rules run with --rules +<id> or `<id>: on` in .goroscope.yaml.\n';
}

export function registerRules(program: Command): void {
  program
    .command('rules')
    .description('List the rules: id, default severity, whether on by default, title.')
    .addOption(new Option('-f, --format <format>', 'text, or json (id, title, category, severity, enabledByDefault, description, docs)').choices(['text', 'json']).default('text'))
    .option('--json', 'the same as --format json')
    .addHelpText(
      'after',
      `
Examples:
  goroscope rules
  goroscope rules -f json
  goroscope scan --rules +bare-go,+background-in-handler ./...   # run the off-by-default rules too`,
    )
    .action((flags: { json?: boolean; format: 'text' | 'json' }) => {
      if (flags.json || flags.format === 'json') {
        const list = RULES.map((r) => ({
          id: r.meta.id,
          title: r.meta.title,
          category: r.meta.category,
          severity: r.meta.defaultSeverity,
          enabledByDefault: r.meta.enabledByDefault,
          description: r.meta.description,
          docs: docsUrl(r.meta.id),
        }));
        process.stdout.write(JSON.stringify(list, null, 2) + '\n');
      } else {
        process.stdout.write(formatRulesTable(RULES));
      }
      process.exitCode = 0;
    });
}
