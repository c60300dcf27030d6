// The one call of Prometheus's HTTP API that fleet triage needs: a range query
// (GET /api/v1/query_range), with a deadline, a size cap and basic authentication from the URL.
import { displayUrl } from '../redact.js';

export interface RangeSeries {
  labels: Record<string, string>;
  /** Sample times in ms and their values, oldest first. */
  times: number[];
  values: number[];
}

/** Prometheus could not be asked or refused the query; the message says why (no credentials). */
export class PrometheusError extends Error {
  override name = 'PrometheusError';
}

export interface RangeQuery {
  query: string;
  startMs: number;
  endMs: number;
  stepMs: number;
  timeoutMs: number;
  maxBytes: number;
}

interface ApiAnswer {
  status?: string;
  error?: string;
  errorType?: string;
  data?: { resultType?: string; result?: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> };
}

/** The base URL's query_range endpoint, its credentials moved into an Authorization header. */
function endpoint(base: URL): { url: URL; authorization: string | null } {
  const url = new URL(base.href);
  const authorization = url.username || url.password ? `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}` : null;
  url.username = '';
  url.password = '';
  url.pathname = `${url.pathname.replace(/\/$/, '')}/api/v1/query_range`;
  return { url, authorization };
}

/** What fetch() failed on: the socket's error code, else the reason undici gives ("bad port"). */
function causeOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string; errors?: Array<{ code?: string }> } }).cause;
  return cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message ?? (err as Error).message;
}

export async function queryRange(base: URL, q: RangeQuery): Promise<RangeSeries[]> {
  const { url, authorization } = endpoint(base);
  url.searchParams.set('query', q.query);
  url.searchParams.set('start', (q.startMs / 1000).toFixed(3));
  url.searchParams.set('end', (q.endMs / 1000).toFixed(3));
  url.searchParams.set('step', `${Math.max(1, Math.round(q.stepMs / 1000))}s`);
  const where = displayUrl(base);
  let res: Response;
  try {
    res = await fetch(url, { headers: authorization ? { authorization } : {}, signal: AbortSignal.timeout(q.timeoutMs) });
  } catch (err) {
    const cause = (err as Error).name === 'TimeoutError' ? `no answer within ${q.timeoutMs} ms (--timeout)` : causeOf(err);
    throw new PrometheusError(`cannot reach Prometheus at ${where}: ${cause}`);
  }
  const text = await res.text();
  if (text.length > q.maxBytes) throw new PrometheusError(`the answer of Prometheus at ${where} is larger than --max-bytes (${q.maxBytes} bytes): narrow --selector`);
  let body: ApiAnswer;
  try {
    body = JSON.parse(text) as ApiAnswer;
  } catch {
    throw new PrometheusError(`${where} answered HTTP ${res.status} with something that is not Prometheus's API (is it the Prometheus base URL?)`);
  }
  if (body.status !== 'success') throw new PrometheusError(`Prometheus at ${where} refused the query: ${body.errorType ?? `HTTP ${res.status}`}: ${body.error ?? 'no reason given'}`);
  if (body.data?.resultType !== 'matrix') throw new PrometheusError(`--selector must give a range vector of series (an instant vector selector or expression), not a ${body.data?.resultType ?? 'missing'} result`);
  return (body.data.result ?? []).map((r) => ({
    labels: r.metric,
    times: r.values.map(([t]) => Math.round(t * 1000)),
    values: r.values.map(([, v]) => Number(v)),
  }));
}
