// The dashboard's HTML shell and its style sheet. The shell holds no data and no inline script or
// style (the Content-Security-Policy forbids both); the page's modules fill it from the API.

/** The shell; ASSETS is replaced by the assets' path, which names their build (see dashboard.ts). */
export const PAGE_HTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>goroscope watch</title>
<link rel="icon" href="ASSETS/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="ASSETS/uPlot.min.css">
<link rel="stylesheet" href="ASSETS/dashboard.css">
<script src="ASSETS/uPlot.iife.min.js"></script>
<script src="ASSETS/icicle.js"></script>
<script type="module" src="ASSETS/app/main.js"></script>
</head>
<body>
<header class="top">
  <a class="brand" href="#/"><img src="ASSETS/favicon.svg" alt="" width="22" height="22"><span>goroscope</span><span class="brand-sub">watch</span></a>
  <nav id="crumbs" class="crumbs" aria-label="Breadcrumbs"></nav>
  <div id="live" class="live live-loading" role="status"></div>
</header>
<main id="view"><noscript><p class="card notice">This dashboard needs JavaScript. The same data is in the JSON API under /api/ (docs/watch.md).</p></noscript></main>
</body>
</html>
`;

/** The page's icon: a goroutine lens. */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1e293b"/><circle cx="14" cy="14" r="7.5" fill="none" stroke="#60a5fa" stroke-width="3"/><path d="M19.5 19.5 26 26" stroke="#60a5fa" stroke-width="3.5" stroke-linecap="round"/><path d="M10 15.5l2.5-3 2.5 2.5 3-4" fill="none" stroke="#f87171" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/></svg>
`;

export const PAGE_CSS = `
:root {
  --bg: #f4f6f9; --card: #ffffff; --line: #e3e7ed; --text: #111827; --muted: #6b7280;
  --accent: #2563eb; --accent-soft: #dbeafe; --bad: #dc2626; --bad-soft: #fee2e2; --ok: #16a34a; --ok-soft: #dcfce7;
  --warn: #b45309; --warn-soft: #fef3c7; --top: #0f172a;
  --mono: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--text); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
h1 { font-size: 22px; line-height: 1.25; margin: 0; font-weight: 650; overflow-wrap: anywhere; }
h2 { font-size: 14px; margin: 0; font-weight: 650; letter-spacing: .01em; }
.muted { color: var(--muted); }
.small { font-size: 12px; }

/* Header */
.top { position: sticky; top: 0; z-index: 10; display: flex; align-items: center; gap: 18px; padding: 10px 24px; background: var(--top); color: #e2e8f0; box-shadow: 0 1px 0 rgba(0,0,0,.2); }
.brand { display: flex; align-items: center; gap: 8px; color: #fff; font-weight: 700; font-size: 16px; flex: none; }
.brand:hover { text-decoration: none; }
.brand-sub { font-weight: 500; color: #93c5fd; }
.crumbs { display: flex; align-items: center; gap: 8px; min-width: 0; flex: 1; font-size: 13px; overflow: hidden; white-space: nowrap; }
.crumbs .crumb { color: #cbd5e1; overflow: hidden; text-overflow: ellipsis; }
.crumbs .crumb.current { color: #fff; }
.crumb-sep { color: #64748b; }
.live { display: flex; align-items: center; gap: 7px; font-size: 12px; color: #cbd5e1; flex: none; max-width: 40%; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.live .dot { width: 8px; height: 8px; border-radius: 50%; background: #64748b; flex: none; }
.live-live .dot { background: #22c55e; box-shadow: 0 0 0 3px rgba(34,197,94,.25); }
.live-error { color: #fca5a5; }
.live-error .dot { background: #ef4444; }

/* Layout */
main { max-width: 1360px; margin: 0 auto; padding: 22px 24px 48px; }
.heading { margin: 0 0 14px; }
.heading .sub { margin: 6px 0 0; color: var(--muted); overflow-wrap: anywhere; }
.heading-badge { margin-left: 10px; vertical-align: 3px; }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin: 14px 0 16px; }
.stat { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; }
.stat-value { font-size: 22px; font-weight: 650; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
.stat-label { color: var(--muted); font-size: 12px; margin-top: 2px; }
.stat-ok .stat-value { color: var(--ok); } .stat-bad .stat-value { color: var(--bad); } .stat-warn .stat-value { color: var(--warn); }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 12px; margin: 0 0 16px; box-shadow: 0 1px 2px rgba(16,24,40,.04); min-width: 0; }
.card-alert { border-color: #fca5a5; box-shadow: 0 0 0 3px var(--bad-soft); }
.card-head { display: flex; align-items: center; justify-content: space-between; gap: 12px; padding: 12px 16px; border-bottom: 1px solid var(--line); flex-wrap: wrap; }
.card-body { padding: 12px 16px; min-width: 0; }
.hint { color: var(--muted); font-size: 12px; }
.notice { padding: 22px; }
.notice h1 { margin-bottom: 8px; }
.grid2 { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 16px; align-items: start; }
.grid2 > .card, .stack-side > .card { margin-bottom: 16px; }
.empty-note { color: var(--muted); margin: 4px 0; }
.error-text { color: var(--bad); overflow-wrap: anywhere; }
.error-banner, .info-banner { border-radius: 8px; padding: 8px 12px; margin: 10px 0 0; overflow-wrap: anywhere; }
.error-banner { background: var(--bad-soft); color: #991b1b; }
.info-banner { background: var(--accent-soft); color: #1e40af; }
.button-link { font-size: 13px; font-weight: 600; }

/* Badges */
.badge { display: inline-block; border-radius: 999px; padding: 1px 9px; font-size: 12px; font-weight: 600; line-height: 18px; white-space: nowrap; }
.badge-ok { background: var(--ok-soft); color: #166534; }
.badge-bad { background: var(--bad-soft); color: #991b1b; }
.badge-warn { background: var(--warn-soft); color: #92400e; }
.badge-muted { background: #eef0f3; color: #4b5563; }
.badge-info { background: var(--accent-soft); color: #1e40af; }
.row-badge { margin-right: 6px; }

/* Ranges */
.ranges { display: inline-flex; flex-wrap: wrap; gap: 0; margin-top: 12px; border: 1px solid var(--line); border-radius: 8px; overflow: hidden; background: var(--card); }
.range { padding: 5px 12px; color: #374151; font-size: 13px; border-right: 1px solid var(--line); }
.range:last-child { border-right: 0; }
.range:hover { background: #f3f4f6; text-decoration: none; }
.range.active { background: var(--accent); color: #fff; font-weight: 600; }

/* Charts */
.chart { width: 100%; min-height: 40px; }
.chart .u-legend { font-size: 12px; text-align: left; }
.spark { width: 120px; height: 28px; }
.spark-cell { width: 132px; }
.series-note p { margin: 6px 0 0; font-size: 12px; }

/* Tables */
.table-tools { margin-bottom: 10px; }
.search { width: min(420px, 100%); padding: 7px 10px; border: 1px solid #d1d5db; border-radius: 8px; font: inherit; background: #fff; }
.search:focus { outline: 2px solid var(--accent-soft); border-color: var(--accent); }
.table-wrap { overflow-x: auto; margin: 0 -16px; padding: 0 16px; }
table.data { width: 100%; border-collapse: collapse; font-size: 13px; }
table.data th { text-align: left; font-size: 12px; color: var(--muted); font-weight: 600; padding: 7px 10px; border-bottom: 1px solid var(--line); white-space: nowrap; user-select: none; }
table.data th.sortable { cursor: pointer; }
table.data th.sortable:hover { color: var(--text); }
table.data th[aria-sort="descending"]::after { content: " \\25BE"; }
table.data th[aria-sort="ascending"]::after { content: " \\25B4"; }
table.data td { padding: 8px 10px; border-bottom: 1px solid #f0f2f5; vertical-align: middle; }
table.data tr:last-child td { border-bottom: 0; }
table.data tr.clickable { cursor: pointer; }
table.data tr.clickable:hover td { background: #f8fafc; }
table.data tr.row-alert td:first-child { box-shadow: inset 3px 0 0 var(--bad); }
table.data tr.row-definite td:first-child { box-shadow: inset 3px 0 0 var(--bad); }
table.data tr.row-likely td:first-child { box-shadow: inset 3px 0 0 #f59e0b; }
table.data tr.row-benign td { color: #9ca3af; }
table.data tr.empty td { color: var(--muted); text-align: center; padding: 18px; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th.num { text-align: right; }
td.wide { min-width: 260px; }
.up { color: var(--bad); font-weight: 600; } .down { color: var(--ok); }
.table-foot { color: var(--muted); font-size: 12px; padding-top: 8px; }
.table-foot:empty { display: none; }
button.more { font: inherit; font-size: 12px; border: 1px solid var(--line); background: #fff; border-radius: 6px; padding: 3px 10px; cursor: pointer; margin-left: 6px; }

/* Frames */
.frame .func, .func { font-family: var(--mono); font-size: 12.5px; color: #111827; overflow-wrap: anywhere; }
.frame .file, .file { font-family: var(--mono); font-size: 12px; color: var(--muted); overflow-wrap: anywhere; }
a .func { color: var(--accent); }
.state { color: #374151; }
.target-link { font-family: var(--mono); font-size: 12.5px; overflow-wrap: anywhere; }
pre.stack { margin: 0; font: 12.5px/1.55 var(--mono); white-space: pre-wrap; overflow-wrap: anywhere; background: #f8fafc; border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; max-height: 520px; overflow: auto; }
pre.stack .frame-line { display: block; padding: 1px 4px; border-radius: 4px; }
pre.stack .location { background: #fef2f2; box-shadow: inset 3px 0 0 var(--bad); }
pre.stack .creator { margin-top: 6px; color: #4b5563; }
.labels-list { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; margin: 12px 0 0; font-family: var(--mono); font-size: 12px; }
.labels-list dt { color: var(--muted); overflow-wrap: anywhere; } .labels-list dd { margin: 0; overflow-wrap: anywhere; }

/* Alerts */
ul.alerts { list-style: none; margin: 0; padding: 0; }
li.alert { padding: 12px 0; border-bottom: 1px solid #f0f2f5; }
li.alert:first-child { padding-top: 2px; }
li.alert:last-child { border-bottom: 0; padding-bottom: 2px; }
.alert-head { display: flex; align-items: baseline; gap: 10px; flex-wrap: wrap; }
.alert-title { font-weight: 600; overflow-wrap: anywhere; }
.alert-meta { display: flex; flex-wrap: wrap; gap: 4px 16px; margin-top: 4px; font-size: 12.5px; color: var(--muted); }
.alert-figures { display: flex; flex-wrap: wrap; gap: 4px 16px; margin-top: 4px; font-size: 12.5px; }
.alert-figures b { color: var(--bad); }
ul.signals { margin: 6px 0 0; padding-left: 18px; font-size: 12.5px; color: #374151; overflow-wrap: anywhere; }
li.alert-resolved { opacity: .75; }
.labels { font-family: var(--mono); font-size: 12px; color: var(--muted); margin-top: 4px; overflow-wrap: anywhere; }
a.download { font-size: 12.5px; display: inline-block; margin-top: 4px; }

/* Snapshots */
ul.snapshots { list-style: none; margin: 0; padding: 0; font-size: 13px; }
ul.snapshots li { padding: 6px 0; border-bottom: 1px solid #f0f2f5; overflow-wrap: anywhere; }
ul.snapshots li:last-child { border-bottom: 0; }
ul.snapshots li.current .snapshot-link { font-weight: 700; }
.icicle { overflow-x: auto; }
#flame { display: block; font: 11px var(--mono); }
#flame .cell { cursor: pointer; }
#flame .cell:hover rect { stroke: #111827; }
#flame .zoomed rect { stroke: var(--bad); stroke-width: 1.5; }

/* Narrow windows (phones) */
@media (max-width: 720px) {
  .top { padding: 8px 12px; gap: 10px; flex-wrap: wrap; }
  .crumbs { order: 3; flex-basis: 100%; }
  .live { max-width: 60%; }
  main { padding: 14px 12px 32px; }
  h1 { font-size: 18px; }
  .stats { grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 8px; }
  .stat { padding: 10px 12px; }
  .stat-value { font-size: 18px; }
  .grid2 { grid-template-columns: minmax(0, 1fr); }
  .narrow-hide { display: none; }
  td.wide { min-width: 180px; }
  .card-body { padding: 10px 12px; }
  .table-wrap { margin: 0 -12px; padding: 0 12px; }
  /* Tables become stacked rows: the figures on one line, the location under them; the headers
     that sort become a row of chips. */
  table.data, table.data tbody { display: block; }
  table.data thead { display: block; margin-bottom: 6px; }
  table.data thead tr { display: flex; flex-wrap: wrap; gap: 6px; }
  table.data th { display: none; border: 1px solid var(--line); border-radius: 999px; padding: 2px 10px; background: #fff; }
  table.data th.sortable { display: block; }
  table.data th.sortable.narrow-hide { display: none; }
  table.data tbody tr { display: grid; grid-template-columns: auto auto minmax(0, 1fr) auto; grid-auto-flow: row dense; align-items: center; gap: 2px 10px; padding: 8px 4px 8px 8px; border-bottom: 1px solid #f0f2f5; }
  table.data tbody tr.empty { display: block; }
  table.data td { padding: 0; border: 0; min-width: 0; }
  table.data td.wide { grid-column: 1 / -1; min-width: 0; }
  table.data td.spark-cell { justify-self: end; width: auto; }
  table.data tr.row-alert td:first-child, table.data tr.row-definite td:first-child, table.data tr.row-likely td:first-child { box-shadow: none; }
  table.data tr.row-alert, table.data tr.row-definite { box-shadow: inset 3px 0 0 var(--bad); }
  table.data tr.row-likely { box-shadow: inset 3px 0 0 #f59e0b; }
}
`;
