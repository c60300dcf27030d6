// The shape of a SARIF 2.1.0 log, for the tests of every command that writes SARIF (scan, test).
// Required properties and allowed keys of the SARIF 2.1.0 objects goroscope emits, taken from
// the OASIS schema (sarif-schema-2.1.0.json: "required" lists and "additionalProperties": false).
const SARIF_OBJECTS: Record<string, { required: string[]; allowed: string[] }> = {
  sarifLog: { required: ['version', 'runs'], allowed: ['$schema', 'version', 'runs', 'inlineExternalProperties', 'properties'] },
  run: { required: ['tool'], allowed: ['tool', 'invocations', 'originalUriBaseIds', 'columnKind', 'results', 'artifacts', 'properties'] },
  tool: { required: ['driver'], allowed: ['driver', 'extensions', 'properties'] },
  toolComponent: { required: ['name'], allowed: ['name', 'version', 'semanticVersion', 'informationUri', 'rules', 'properties'] },
  reportingDescriptor: { required: ['id'], allowed: ['id', 'name', 'shortDescription', 'fullDescription', 'helpUri', 'help', 'defaultConfiguration', 'properties'] },
  multiformatMessageString: { required: ['text'], allowed: ['text', 'markdown', 'properties'] },
  reportingConfiguration: { required: [], allowed: ['enabled', 'level', 'rank', 'parameters', 'properties'] },
  result: { required: ['message'], allowed: ['ruleId', 'ruleIndex', 'rule', 'kind', 'level', 'message', 'locations', 'relatedLocations', 'partialFingerprints', 'fingerprints', 'fixes', 'properties'] },
  fix: { required: ['artifactChanges'], allowed: ['description', 'artifactChanges', 'properties'] },
  artifactChange: { required: ['artifactLocation', 'replacements'], allowed: ['artifactLocation', 'replacements', 'properties'] },
  replacement: { required: ['deletedRegion'], allowed: ['deletedRegion', 'insertedContent', 'properties'] },
  artifactContent: { required: [], allowed: ['text', 'binary', 'rendered', 'properties'] },
  message: { required: ['text'], allowed: ['text', 'markdown', 'id', 'arguments', 'properties'] },
  location: { required: [], allowed: ['id', 'physicalLocation', 'logicalLocations', 'message', 'annotations', 'relationships', 'properties'] },
  physicalLocation: { required: ['artifactLocation'], allowed: ['address', 'artifactLocation', 'region', 'contextRegion', 'properties'] },
  artifactLocation: { required: [], allowed: ['uri', 'uriBaseId', 'index', 'description', 'properties'] },
  region: { required: ['startLine'], allowed: ['startLine', 'startColumn', 'endLine', 'endColumn', 'charOffset', 'charLength', 'byteOffset', 'byteLength', 'snippet', 'message', 'sourceLanguage', 'properties'] },
  invocation: { required: ['executionSuccessful'], allowed: ['executionSuccessful', 'toolExecutionNotifications', 'toolConfigurationNotifications', 'exitCode', 'exitSignalName', 'properties'] },
  notification: { required: ['message'], allowed: ['locations', 'message', 'level', 'threadId', 'timeUtc', 'exception', 'descriptor', 'associatedRule', 'properties'] },
};

export function sarifProblems(log: any): string[] {
  const problems: string[] = [];
  const check = (kind: string, obj: any, where: string) => {
    const spec = SARIF_OBJECTS[kind]!;
    if (typeof obj !== 'object' || obj === null) return void problems.push(`${where}: ${kind} is not an object`);
    for (const r of spec.required) if (!(r in obj)) problems.push(`${where}: ${kind} lacks required ${r}`);
    for (const k of Object.keys(obj)) if (!spec.allowed.includes(k)) problems.push(`${where}: ${kind} has unknown property ${k}`);
  };
  const checkLocation = (loc: any, where: string) => {
    check('location', loc, where);
    check('physicalLocation', loc.physicalLocation, `${where}.physicalLocation`);
    check('artifactLocation', loc.physicalLocation.artifactLocation, `${where}.physicalLocation.artifactLocation`);
    const uri: string = loc.physicalLocation.artifactLocation.uri;
    if (uri.includes('\\')) problems.push(`${where}: uri with backslashes`);
    const region = loc.physicalLocation.region;
    if (region) {
      check('region', region, `${where}.region`);
      for (const k of ['startLine', 'startColumn', 'endLine', 'endColumn']) if (k in region && !(Number.isInteger(region[k]) && region[k] >= 1)) problems.push(`${where}.region.${k} must be an integer >= 1`);
    }
    if (loc.message) check('message', loc.message, `${where}.message`);
  };
  check('sarifLog', log, 'log');
  if (log.version !== '2.1.0') problems.push('log.version must be 2.1.0');
  log.runs.forEach((run: any, i: number) => {
    const w = `runs[${i}]`;
    check('run', run, w);
    check('tool', run.tool, `${w}.tool`);
    check('toolComponent', run.tool.driver, `${w}.tool.driver`);
    const rules = run.tool.driver.rules ?? [];
    rules.forEach((rule: any, j: number) => {
      const rw = `${w}.tool.driver.rules[${j}]`;
      check('reportingDescriptor', rule, rw);
      for (const k of ['shortDescription', 'fullDescription', 'help']) if (rule[k]) check('multiformatMessageString', rule[k], `${rw}.${k}`);
      check('reportingConfiguration', rule.defaultConfiguration, `${rw}.defaultConfiguration`);
      if (!['none', 'note', 'warning', 'error'].includes(rule.defaultConfiguration.level)) problems.push(`${rw}: bad level`);
    });
    (run.results ?? []).forEach((res: any, j: number) => {
      const rw = `${w}.results[${j}]`;
      check('result', res, rw);
      check('message', res.message, `${rw}.message`);
      if (!['none', 'note', 'warning', 'error'].includes(res.level)) problems.push(`${rw}: bad level`);
      if (rules[res.ruleIndex]?.id !== res.ruleId) problems.push(`${rw}: ruleIndex does not point at ruleId`);
      res.locations.forEach((l: any, k: number) => checkLocation(l, `${rw}.locations[${k}]`));
      (res.relatedLocations ?? []).forEach((l: any, k: number) => checkLocation(l, `${rw}.relatedLocations[${k}]`));
      (res.fixes ?? []).forEach((fix: any, k: number) => {
        const fw = `${rw}.fixes[${k}]`;
        check('fix', fix, fw);
        if (fix.description) check('message', fix.description, `${fw}.description`);
        if (!Array.isArray(fix.artifactChanges) || fix.artifactChanges.length === 0) problems.push(`${fw}: artifactChanges must be a non-empty array`);
        (fix.artifactChanges ?? []).forEach((change: any, m: number) => {
          const cw = `${fw}.artifactChanges[${m}]`;
          check('artifactChange', change, cw);
          check('artifactLocation', change.artifactLocation, `${cw}.artifactLocation`);
          if (!Array.isArray(change.replacements) || change.replacements.length === 0) problems.push(`${cw}: replacements must be a non-empty array`);
          (change.replacements ?? []).forEach((r: any, n: number) => {
            check('replacement', r, `${cw}.replacements[${n}]`);
            check('region', r.deletedRegion, `${cw}.replacements[${n}].deletedRegion`);
            if (r.insertedContent) check('artifactContent', r.insertedContent, `${cw}.replacements[${n}].insertedContent`);
          });
        });
      });
      for (const v of Object.values(res.partialFingerprints ?? {})) if (typeof v !== 'string') problems.push(`${rw}: fingerprint not a string`);
    });
    (run.invocations ?? []).forEach((inv: any, j: number) => {
      check('invocation', inv, `${w}.invocations[${j}]`);
      (inv.toolExecutionNotifications ?? []).forEach((n: any, k: number) => {
        check('notification', n, `${w}.invocations[${j}].toolExecutionNotifications[${k}]`);
        (n.locations ?? []).forEach((l: any, m: number) => checkLocation(l, `${w}.invocations[${j}].toolExecutionNotifications[${k}].locations[${m}]`));
      });
    });
  });
  return problems;
}
