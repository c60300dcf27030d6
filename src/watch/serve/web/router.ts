// Stable URLs for every view, as hash routes (the server serves one page at /, and a link with a
// hash works behind any path prefix):
//   #/                                         overview
//   #/target/NAME?range=1h                     a target (NAME percent-encoded)
//   #/target/NAME/group/ID?range=1h            one stack group of that target
//   #/target/NAME/snapshot[/ID]                the latest (or a given) snapshot as an icicle graph

export type Route =
  | { view: 'overview' }
  | { view: 'target'; target: string; range: string | null }
  | { view: 'group'; target: string; group: string; range: string | null }
  | { view: 'snapshot'; target: string; snapshot: number | null }
  | { view: 'missing'; hash: string };

export function parseRoute(hash: string): Route {
  const text = hash.replace(/^#/, '');
  const [pathPart, query = ''] = text.split('?', 2) as [string, string?];
  const range = new URLSearchParams(query).get('range');
  const parts = pathPart.split('/').filter((p) => p !== '');
  if (parts.length === 0) return { view: 'overview' };
  let decoded: string[];
  try {
    decoded = parts.map((p) => decodeURIComponent(p));
  } catch {
    return { view: 'missing', hash: text };
  }
  const [head, target, sub, id] = decoded;
  if (head !== 'target' || target === undefined) return { view: 'missing', hash: text };
  if (sub === undefined && decoded.length === 2) return { view: 'target', target, range };
  if (sub === 'group' && id !== undefined && decoded.length === 4) return { view: 'group', target, group: id, range };
  if (sub === 'snapshot' && decoded.length <= 4) {
    if (id !== undefined && !/^\d+$/.test(id)) return { view: 'missing', hash: text };
    return { view: 'snapshot', target, snapshot: id === undefined ? null : Number(id) };
  }
  return { view: 'missing', hash: text };
}

const rangeQuery = (range: string | null) => (range ? `?range=${encodeURIComponent(range)}` : '');

export const href = {
  overview: () => '#/',
  target: (target: string, range: string | null = null) => `#/target/${encodeURIComponent(target)}${rangeQuery(range)}`,
  group: (target: string, group: string, range: string | null = null) => `#/target/${encodeURIComponent(target)}/group/${encodeURIComponent(group)}${rangeQuery(range)}`,
  snapshot: (target: string, id: number | null = null) => `#/target/${encodeURIComponent(target)}/snapshot${id === null ? '' : `/${id}`}`,
};

/** The API's query for a target (and group, range). */
export function apiQuery(params: Record<string, string | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null) q.set(k, v);
  return q.toString();
}
