// The HTML format: one self-contained file (inline CSS and JS, no network) that works from
// file://. Dump data travels as JSON inside a script element and is only ever inserted as text.
import type { DumpAnalysis } from '../analyze/analyze.js';
import { dumpToJson } from './json.js';
import { HTML_SCRIPT } from './html-script.js';
import { ICICLE_SCRIPT } from './icicle-script.js';

/** JSON that is safe inside <script>: no "</script>", no "<!--", no line separators. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #1f2933; }
h1 { font-size: 1.3em; margin: 0 0 .3em; } h2 { font-size: 1.1em; margin: 1.2em 0 .4em; }
#summary { color: #52606d; }
#search { width: 30em; padding: .3em; font-size: 1em; }
table { border-collapse: collapse; width: 100%; margin-top: .5em; }
th { text-align: left; cursor: pointer; background: #e4e7eb; padding: .3em .5em; user-select: none; }
td { padding: .25em .5em; border-top: 1px solid #e4e7eb; vertical-align: top; font-family: ui-monospace, monospace; font-size: 12px; }
tr.group { cursor: pointer; } tr.group:hover { background: #f5f7fa; }
tr.level-definite td.col-level { color: #fff; background: #c62828; font-weight: bold; }
tr.level-likely td.col-level { background: #f9a825; font-weight: bold; }
tr.level-benign { color: #9aa5b1; }
tr.stack pre { margin: .3em 0; white-space: pre-wrap; }
p.reason { margin: .2em 0; font-family: system-ui, sans-serif; }
#flame { display: block; max-width: none; font: 11px ui-monospace, monospace; }
#flame .cell { cursor: pointer; } #flame .cell:hover rect { stroke: #1f2933; }
#flame .zoomed rect { stroke: #c62828; stroke-width: 1.5; }
#zoom { color: #52606d; }
`;

export function renderDumpHtml(a: DumpAnalysis, title = 'goroscope dump'): string {
  // Goroutine IDs are left out: the page does not show them, and a big dump has millions.
  const json = dumpToJson(a);
  const data = jsonForScript({ ...json, groups: json.groups.map((g) => ({ ...g, ids: [] })) });
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
<p id="summary"></p>
<noscript>This report needs JavaScript; the same data is available with --format json.</noscript>
<h2>Goroutine groups</h2>
<input id="search" type="search" placeholder="Search functions, files, states, labels" aria-label="Search groups"> <span id="shown"></span>
<table id="groups"></table>
<h2>Flame graph (icicle) of all stacks, weighted by goroutine count</h2>
<p id="zoom"></p>
<svg id="flame" xmlns="http://www.w3.org/2000/svg"></svg>
<script type="application/json" id="goroscope-data">${data}</script>
<script>${ICICLE_SCRIPT}</script>
<script>${HTML_SCRIPT}</script>
</body></html>
`;
}
