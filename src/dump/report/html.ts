// The HTML format: one self-contained file (inline CSS and JS, no network) that works from
// file://. Dump data travels as JSON inside a script element and is only ever inserted as text.
// Built for real sizes: the group table renders only the rows in view, the flame graph only when
// its tab is opened; see html-script.ts.
import type { GoroutineGroup } from '../analyze/group.js';
import type { DumpAnalysis } from '../analyze/analyze.js';
import { HTML_SCRIPT } from './html-script.js';
import { ICICLE_SCRIPT } from './icicle-script.js';
import { pageData } from './html-data.js';
import { sectionList } from './text.js';

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
:root { --row: 26px; --definite: #c62828; --likely: #f9a825; --benign: #9aa5b1; --line: #e4e7eb; --muted: #52606d; }
* { box-sizing: border-box; }
html, body { height: 100%; }
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1f2933; display: flex; flex-direction: column; }
header { padding: .8em 1.2em .4em; }
h1 { font-size: 1.25em; margin: 0 0 .2em; overflow-wrap: anywhere; }
#summary { color: var(--muted); margin: 0 0 .4em; }
#legend { display: flex; flex-wrap: wrap; gap: .3em 1.2em; margin: 0; padding: 0; list-style: none; font-size: 12.5px; color: var(--muted); }
.badge { display: inline-block; min-width: 5.2em; padding: 0 .45em; border-radius: 3px; font-weight: 600; font-size: 12px; text-align: center; }
.badge.definite { background: var(--definite); color: #fff; } .badge.likely { background: var(--likely); color: #1f2933; }
.badge.benign { background: #e4e7eb; color: #616e7c; } .badge.none { background: transparent; color: #9aa5b1; font-weight: 400; }
nav { display: flex; gap: .2em; padding: 0 1.2em; border-bottom: 1px solid var(--line); }
nav button { font: inherit; border: 1px solid transparent; border-bottom: 0; background: none; padding: .45em .9em; cursor: pointer; color: var(--muted); border-radius: 4px 4px 0 0; margin-bottom: -1px; }
nav button[aria-selected="true"] { border-color: var(--line); background: #fff; color: #1f2933; font-weight: 600; }
main { flex: 1; min-height: 0; display: flex; flex-direction: column; }
section { flex: 1; min-height: 0; display: flex; flex-direction: column; padding: .6em 1.2em 1em; }
section[hidden] { display: none; }
.toolbar { display: flex; gap: .8em; align-items: center; margin-bottom: .5em; }
#search { flex: 0 1 32em; min-width: 0; padding: .35em .5em; font-size: 1em; }
#shown { color: var(--muted); white-space: nowrap; }
.split { flex: 1; min-height: 0; display: flex; gap: 1em; }
#table { flex: 5 1 0; min-width: 0; display: flex; flex-direction: column; border: 1px solid var(--line); }
.cols { display: grid; grid-template-columns: 6.2em 4.6em minmax(6em, 1.2fr) minmax(5em, .8fr) 4.6em minmax(0, 1fr) minmax(0, 2.4fr) minmax(0, 1.8fr); }
.head { background: #f0f2f5; font-weight: 600; font-size: 12.5px; border-bottom: 1px solid var(--line); }
.head span { padding: .35em .5em; cursor: pointer; user-select: none; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.head span.sorted::after { content: " \\25BE"; } .head span.sorted.asc::after { content: " \\25B4"; }
#viewport { flex: 1; min-height: 8em; overflow-y: auto; position: relative; outline: none; }
#spacer { width: 1px; }
.row { position: absolute; left: 0; right: 0; height: var(--row); cursor: pointer; border-bottom: 1px solid #f0f2f5; font: 12px/var(--row) ui-monospace, SFMono-Regular, Menlo, monospace; }
.row span { padding: 0 .5em; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.row:hover { background: #f5f7fa; } .row.selected { background: #e3f0ff; }
.row.level-benign { color: #8795a1; }
.row .num { text-align: right; }
#detail { flex: 2 1 0; min-width: 18em; overflow: auto; border: 1px solid var(--line); padding: .6em .8em; }
#detail h2 { font-size: 1em; margin: 0 0 .4em; }
#detail .empty { color: var(--muted); }
#detail dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .15em .8em; margin: 0 0 .6em; font-size: 13px; }
#detail dt { color: var(--muted); } #detail dd { margin: 0; overflow-wrap: anywhere; }
#detail ol { margin: 0; padding-left: 2.2em; font: 12px/1.45 ui-monospace, SFMono-Regular, Menlo, monospace; }
#detail li { margin-bottom: .25em; overflow-wrap: anywhere; } #detail li.user { font-weight: 600; }
.path { color: var(--muted); }
pre.source { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 0.85em; }
#flame-wrap { flex: 1; min-height: 0; overflow: auto; }
#flame { display: block; font: 11px ui-monospace, monospace; }
#flame .cell { cursor: pointer; } #flame .cell:hover rect { stroke: #1f2933; }
#flame .zoomed rect { stroke: var(--definite); stroke-width: 1.5; }
#zoom { color: var(--muted); margin: 0 0 .5em; }
/* Narrow screens: the page scrolls as a whole; the table keeps a window of rows, the details follow it. */
@media (max-width: 760px) {
  html, body { height: auto; } body { display: block; }
  header { padding: .6em .7em .3em; } h1 { font-size: 1.1em; } nav, section { padding-left: .7em; padding-right: .7em; }
  #legend { display: block; } #legend li { margin-bottom: .2em; }
  main, section, .split { display: block; }
  #table { display: flex; } #viewport { flex: none; height: 55vh; }
  #detail { margin-top: .8em; min-width: 0; }
  .cols { grid-template-columns: 6.6em 4.4em minmax(0, 1fr) minmax(0, 1.5fr); }
  .col-kind, .col-wait, .col-labels, .col-createdBy { display: none; }
  #flame-wrap { overflow-x: auto; }
}
`;

/** `annotate` adds a "Source" section to a group's details (dump --source). */
export function renderDumpHtml(a: DumpAnalysis, title = 'goroscope dump', annotate?: (g: GoroutineGroup) => string[]): string {
  const data = jsonForScript(pageData(a, title, sectionList(a.dump.sections.map((s) => s.format)), annotate));
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
<p id="summary"></p>
<ul id="legend" aria-label="Legend">
<li><span class="badge definite">definite</span> blocked forever: nil channel, <code>select {}</code>, marked leaked by the runtime, or left after the program's work (--idle)</li>
<li><span class="badge likely">likely</span> waiting in your code for --min-wait minutes or more, or an unusually large group</li>
<li><span class="badge benign">benign</span> the runtime's and standard library's own goroutines, and your ignore rules</li>
</ul>
</header>
<noscript>This report needs JavaScript; the same data is available with --format json.</noscript>
<nav role="tablist">
<button role="tab" id="tab-groups" aria-controls="panel-groups" aria-selected="true">Goroutine groups</button>
<button role="tab" id="tab-flame" aria-controls="panel-flame" aria-selected="false">Flame graph</button>
</nav>
<main>
<section id="panel-groups" role="tabpanel" aria-labelledby="tab-groups">
<div class="toolbar"><input id="search" type="search" placeholder="Search functions, files, states, labels" aria-label="Search groups"><span id="shown"></span></div>
<div class="split">
<div id="table" role="grid" aria-label="Goroutine groups"><div class="head cols" role="row"></div><div id="viewport" tabindex="0"><div id="spacer"></div></div></div>
<aside id="detail" aria-live="polite"><p class="empty">Select a group to see its stack.</p></aside>
</div>
</section>
<section id="panel-flame" role="tabpanel" aria-labelledby="tab-flame" hidden>
<p id="zoom"></p>
<div id="flame-wrap"><svg id="flame" xmlns="http://www.w3.org/2000/svg"></svg></div>
</section>
</main>
<script type="application/json" id="goroscope-data">${data}</script>
<script>${ICICLE_SCRIPT}</script>
<script>${HTML_SCRIPT}</script>
</body></html>
`;
}
