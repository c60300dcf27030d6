// Where a watch's events go: log lines (one per alert change and target state change, and a
// periodic summary) when the output is not a terminal, the live view when it is, and the webhook.
// Every line passes the scrubber first.
import type { Alert } from './alerts.js';
import type { Scrubber } from './redact.js';
import { alertLine, alertToJson } from './report.js';
import type { TargetWatch, WatchEvents } from './target-watch.js';
import type { Webhook } from './webhook.js';

/** Targets named in a summary line; the others are counted. */
const SUMMARY_TARGETS = 10;

export interface OutputOptions {
  /** Writes one log line; null when the live view shows events instead. */
  log: ((line: string) => void) | null;
  webhook: Webhook | null;
  scrubber: Scrubber;
  /** Asked to redraw after samples (the live view), or null. */
  redraw: (() => void) | null;
}

export class WatchOutputs implements WatchEvents {
  alertsFired = 0;

  constructor(private readonly o: OutputOptions) {}

  private line(kind: string, text: string): void {
    this.o.log?.(this.o.scrubber.scrub(`${new Date().toISOString()} ${kind} ${text}`));
  }

  alert(target: TargetWatch, change: 'fired' | 'resolved', alert: Alert): void {
    if (change === 'fired') this.alertsFired++;
    const json = alertToJson(alert, alert.gid === null ? undefined : target.info(alert.gid));
    const text = this.o.scrubber.scrub(alertLine(change, target.name, json));
    this.o.log?.(`${new Date().toISOString()} ${text}`);
    this.o.webhook?.send(JSON.parse(this.o.scrubber.scrub(JSON.stringify({ text: `goroscope watch: ${text}`, event: change, target: target.name, alert: json }))));
    this.o.redraw?.();
  }

  state(target: TargetWatch, up: boolean): void {
    if (up) this.line('UP', `${target.name}: ${target.lastTotal} goroutines`);
    else this.line('DOWN', `${target.name}: ${target.lastError}`);
  }

  note(target: TargetWatch, message: string): void {
    this.line('NOTE', `${target.name}: ${message}`);
  }

  error(message: string): void {
    process.stderr.write(`goroscope: ${this.o.scrubber.scrub(message)}\n`);
  }

  sampled(): void {
    this.o.redraw?.();
  }

  /** One line about the targets: how many are up, firing alerts, and the first few targets' totals. */
  summary(targets: readonly TargetWatch[]): void {
    const up = targets.filter((t) => t.up === true).length;
    const firing = targets.reduce((n, t) => n + t.alerts.all().length, 0);
    const shown = targets.slice(0, SUMMARY_TARGETS).map((t) => `${t.name} ${t.up === null ? 'waiting' : t.up ? `${t.lastTotal}` : 'down'}`);
    if (targets.length > SUMMARY_TARGETS) shown.push(`and ${targets.length - SUMMARY_TARGETS} more`);
    this.line('SUMMARY', `${targets.length} targets, ${up} up, ${firing} firing alert${firing === 1 ? '' : 's'}: ${shown.join(', ')}`);
  }
}
