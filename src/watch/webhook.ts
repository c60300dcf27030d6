// --webhook URL: each alert change is POSTed as JSON from a queue of its own, with retries and
// backoff, so a slow or failing receiver never delays sampling. The URL is never logged (webhook
// URLs, Slack's among them, carry their secret in the path).
import http from 'node:http';
import https from 'node:https';

export interface WebhookOptions {
  /** Attempts per message before it is dropped. */
  attempts?: number;
  /** First retry delay; doubles per attempt. */
  retryMs?: number;
  timeoutMs?: number;
  /** Messages waiting beyond this are dropped, oldest first. */
  maxQueue?: number;
  /** Where delivery problems are reported (never with the URL). */
  log?: (message: string) => void;
}

export const WEBHOOK_ATTEMPTS = 5;
export const WEBHOOK_RETRY_MS = 1000;
export const WEBHOOK_TIMEOUT_MS = 5000;
const MAX_QUEUE = 1000;

export class Webhook {
  private readonly queue: string[] = [];
  private sending: Promise<void> | null = null;
  private readonly attempts: number;
  private readonly retryMs: number;
  private readonly timeoutMs: number;
  private readonly maxQueue: number;
  private readonly log: (message: string) => void;
  private closed = false;
  /** The POST under way, ended by flush() when its deadline passes. */
  private current: http.ClientRequest | null = null;
  delivered = 0;
  dropped = 0;

  constructor(
    private readonly url: URL,
    options: WebhookOptions = {},
  ) {
    this.attempts = options.attempts ?? WEBHOOK_ATTEMPTS;
    this.retryMs = options.retryMs ?? WEBHOOK_RETRY_MS;
    this.timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
    this.maxQueue = options.maxQueue ?? MAX_QUEUE;
    this.log = options.log ?? (() => undefined);
  }

  /** Queues a JSON body; returns at once. */
  send(body: unknown): void {
    if (this.queue.length >= this.maxQueue) {
      this.queue.shift();
      this.dropped++;
      this.log('webhook: queue full, the oldest message was dropped');
    }
    this.queue.push(JSON.stringify(body));
    this.sending ??= this.drain().finally(() => {
      this.sending = null;
    });
  }

  /** Waits until the queue is empty or `deadlineMs` has passed; later messages are given up. */
  async flush(deadlineMs: number): Promise<void> {
    const until = Date.now() + deadlineMs;
    while (this.sending !== null && Date.now() < until) {
      await Promise.race([this.sending, new Promise((r) => setTimeout(r, Math.max(0, until - Date.now())))]);
    }
    this.closed = true;
    this.current?.destroy();
    if (this.queue.length > 0) {
      this.log(`webhook: ${this.queue.length} message(s) not delivered before the watch ended`);
      this.dropped += this.queue.length;
      this.queue.length = 0;
    }
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.closed) {
      const body = this.queue[0]!;
      let error = '';
      let sent = false;
      for (let attempt = 1; attempt <= this.attempts && !this.closed; attempt++) {
        error = await this.post(body);
        if (error === '') {
          sent = true;
          break;
        }
        // Unreferenced: a pending retry never keeps a finished watch's process alive.
        if (attempt < this.attempts) await new Promise((r) => setTimeout(r, this.retryMs * 2 ** (attempt - 1)).unref());
      }
      if (this.queue[0] === body) this.queue.shift();
      if (sent) this.delivered++;
      else {
        this.dropped++;
        this.log(`webhook: message dropped after ${this.attempts} attempts (${error})`);
      }
    }
  }

  /** One POST; "" when the receiver took it (2xx), else why not. */
  private post(body: string): Promise<string> {
    const client = this.url.protocol === 'https:' ? https : http;
    return new Promise((resolve) => {
      let done = false;
      const finish = (error: string) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        req.destroy();
        this.current = null;
        resolve(error);
      };
      const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
      if (this.url.username || this.url.password) {
        headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(this.url.username)}:${decodeURIComponent(this.url.password)}`).toString('base64')}`;
      }
      const target = new URL(this.url.href);
      target.username = '';
      target.password = '';
      const req = (this.current = client.request(target, { method: 'POST', headers }, (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        res.on('end', () => finish(status >= 200 && status < 300 ? '' : `HTTP ${status}`));
        res.on('error', () => finish(`HTTP ${status}, answer cut short`));
      }));
      const timer = setTimeout(() => finish(`no answer within ${this.timeoutMs} ms`), this.timeoutMs);
      req.on('error', (err: NodeJS.ErrnoException) => finish(err.code ?? 'request failed'));
      req.end(body);
    });
  }
}
