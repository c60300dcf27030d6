// goroscope's library API. `scan()` is what `goroscope scan` runs; the report formatters turn
// its result into the CLI's output formats; RULES is the rule registry.
export { scan, runScan, compareFindings } from './scan/engine.js';
export type { ScanOptions, ScanOutcome, ScanProgress } from './scan/engine.js';
export type { Finding, RelatedLocation, ScanError, ScanErrorKind, ScanResult, ScanStats, Severity } from './scan/finding.js';
export { isUnanalysed, SEVERITY_ORDER } from './scan/finding.js';
export { ConfigError, findConfig, loadConfigFile, parseConfig, selectRules } from './scan/config.js';
export type { ScanConfig, RuleSetting, SelectedRule } from './scan/config.js';
export { PatternError } from './gosrc/walk.js';
export { RULES, ruleById } from './rules/registry.js';
export { docsUrl } from './rules/types.js';
export type { Rule, RuleCategory, RuleContext, RuleMeta, RuleReport } from './rules/types.js';
export { formatText, diskLineReader } from './report/text.js';
export type { LineReader, TextOptions } from './report/text.js';
export { formatJson } from './report/json.js';
export { formatSarif } from './report/sarif.js';
export type { SarifOptions } from './report/sarif.js';
export { formatGithub } from './report/github.js';
export { VERSION } from './version.js';
export * from './dump/index.js';
