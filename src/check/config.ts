// The `check:` section of .goroscope.yaml:
//   check:
//     skip: [load]            # items to skip: scan, test, load
//     testFlags: [-race]      # extra go test flags for the test item
//     service: http://127.0.0.1:6060/debug/pprof/goroutine
//     load: "hey -n 1000 http://127.0.0.1:8080/"
//     maxGrowth: 5            # percent
//     maxNew: 0
//     settle: 10s
import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { UsageError, UserError } from '../cli/exit.js';
import { parseDuration, parsePercent } from '../cli/units.js';
import type { ItemId } from './run.js';

export interface CheckConfig {
  skip?: ItemId[];
  testFlags?: string[];
  service?: string;
  load?: string;
  maxGrowth?: number;
  maxNew?: number;
  settleMs?: number;
  /** Where the settings that run or reach something were written ("file:line"), for messages. */
  locations?: Partial<Record<'service' | 'load' | 'testFlags', string>>;
}

const ITEMS: readonly ItemId[] = ['scan', 'test', 'load'];

export function loadCheckConfig(file: string): CheckConfig {
  const text = readFileSync(file, 'utf8');
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const at = (n: YamlNode | null | undefined) => `${file}:${lines.linePos(n?.range?.[0] ?? 0).line}`;
  if (doc.errors.length > 0) throw new UserError(`${file}:${doc.errors[0]!.linePos?.[0].line ?? 1}: invalid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  const root = doc.contents;
  if (!isMap(root)) return {};
  const section = root.get('check', true) as YamlNode | undefined;
  if (section === undefined || (isScalar(section) && section.value === null)) return {};
  if (!isMap(section)) throw new UserError(`${at(section)}: check must be a mapping`);
  const out: CheckConfig = {};
  for (const pair of section.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const v = pair.value as YamlNode | null;
    const scalar = isScalar(v) ? v.value : undefined;
    const str = () => {
      if (typeof scalar !== 'string' || scalar === '') throw new UserError(`${at(v ?? (pair.key as YamlNode))}: check.${key} must be a non-empty string`);
      return scalar;
    };
    const num = () => {
      if (typeof scalar !== 'number' || scalar < 0) throw new UserError(`${at(v ?? (pair.key as YamlNode))}: check.${key} must be a number of at least 0`);
      return scalar;
    };
    const list = () => {
      if (!isSeq(v)) throw new UserError(`${at(v ?? (pair.key as YamlNode))}: check.${key} must be a list`);
      return v.items.map((i) => String(isScalar(i) ? i.value : ''));
    };
    if (key === 'service' || key === 'load' || key === 'testFlags') out.locations = { ...out.locations, [key]: at(pair.key as YamlNode) };
    switch (key) {
      case 'skip': {
        const items = list();
        const bad = items.find((i) => !ITEMS.includes(i as ItemId));
        if (bad !== undefined) throw new UserError(`${at(v)}: check.skip: unknown item ${JSON.stringify(bad)} (expected scan, test, load)`);
        out.skip = items as ItemId[];
        break;
      }
      case 'testFlags':
        out.testFlags = list();
        break;
      case 'service':
        out.service = str();
        break;
      case 'load':
        out.load = str();
        break;
      case 'maxGrowth':
        // A number, or a string with the CLI's units ("5%").
        out.maxGrowth = typeof scalar === 'string' ? inConfig(() => parsePercent(scalar, `${at(v)}: check.maxGrowth`)) : num();
        break;
      case 'maxNew':
        out.maxNew = num();
        break;
      case 'settle':
        out.settleMs = inConfig(() => parseDuration(String(scalar ?? ''), `${at(v)}: check.settle`, { allowZero: true }));
        break;
      default:
        throw new UserError(`${at(pair.key as YamlNode)}: unknown key check.${key} (expected skip, testFlags, service, load, maxGrowth, maxNew, settle)`);
    }
  }
  return out;
}

/** A value error in the config file is not a usage error: no usage line after it. */
function inConfig<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof UsageError) throw new UserError(err.message);
    throw err;
  }
}
