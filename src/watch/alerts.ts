// Alerts: one per target, group and kind. An alert fires once when its condition first holds,
// stays firing (its figures updated) while the condition holds, and resolves when it no longer
// does or when the target restarts.
import type { FrameRef } from '../dump/analyze/packages.js';

export type AlertKind = 'growth' | 'threshold' | 'stale' | 'leak-profile';

/** One piece of evidence: which verdict holds for the group, and the figures behind it. */
export interface Signal {
  name: AlertKind;
  detail: string;
}

/** A verdict that holds now, as the evaluation of one sample or snapshot finds it. */
export interface Condition {
  kind: AlertKind;
  /** The group's ID, or null for the target's total (threshold on --max-goroutines). */
  gid: string | null;
  count: number;
  countAtWindowStart: number | null;
  ratePerHour: number | null;
  detail: string;
  /** growth: the floor the window started at when the alert fired; the rise is measured from it. */
  baseline?: number;
}

/** What a debug=2 read (a snapshot, or a gops sample) says about a group: state and creator. */
export interface GroupDetail {
  state: string;
  createdBy: FrameRef | null;
}

export interface Alert {
  /** Row ID in the store; null until stored. */
  id: number | null;
  target: string;
  kind: AlertKind;
  state: 'firing' | 'resolved';
  firedAt: number;
  resolvedAt: number | null;
  resolveReason: string | null;
  gid: string | null;
  count: number;
  countAtWindowStart: number | null;
  ratePerHour: number | null;
  baseline: number | null;
  signals: Signal[];
  /** Path of the snapshot taken when it fired. */
  snapshot: string | null;
  detail: GroupDetail | null;
}

export interface AlertChanges {
  fired: Alert[];
  resolved: Alert[];
  /** Firing alerts whose figures changed. */
  updated: Alert[];
}

const keyOf = (kind: AlertKind, gid: string | null) => `${kind}\u0000${gid ?? ''}`;

/** The firing alerts of one target. */
export class AlertBook {
  private readonly firing = new Map<string, Alert>();

  constructor(private readonly target: string) {}

  /** Alerts restored from the store when a watch continues. */
  restore(alerts: readonly Alert[]): void {
    for (const a of alerts) if (a.state === 'firing') this.firing.set(keyOf(a.kind, a.gid), a);
  }

  all(): Alert[] {
    return [...this.firing.values()];
  }

  /** Firing alerts of one kind by group ID. */
  ofKind(kind: AlertKind): Map<string | null, Alert> {
    const out = new Map<string | null, Alert>();
    for (const a of this.firing.values()) if (a.kind === kind) out.set(a.gid, a);
    return out;
  }

  /**
   * Applies the conditions found by evaluating `kinds`: new ones fire, held ones are updated, and
   * firing alerts of those kinds whose condition is gone resolve. Other kinds are left alone.
   */
  apply(kinds: ReadonlySet<AlertKind>, conditions: readonly Condition[], now: number): AlertChanges {
    const changes: AlertChanges = { fired: [], resolved: [], updated: [] };
    const held = new Set<string>();
    for (const c of conditions) {
      const key = keyOf(c.kind, c.gid);
      held.add(key);
      const alert = this.firing.get(key);
      if (alert === undefined) {
        const fresh: Alert = {
          id: null,
          target: this.target,
          kind: c.kind,
          state: 'firing',
          firedAt: now,
          resolvedAt: null,
          resolveReason: null,
          gid: c.gid,
          count: c.count,
          countAtWindowStart: c.countAtWindowStart,
          ratePerHour: c.ratePerHour,
          baseline: c.baseline ?? null,
          signals: [{ name: c.kind, detail: c.detail }],
          snapshot: null,
          detail: null,
        };
        this.firing.set(key, fresh);
        changes.fired.push(fresh);
      } else if (alert.count !== c.count || alert.ratePerHour !== c.ratePerHour || alert.countAtWindowStart !== c.countAtWindowStart) {
        alert.count = c.count;
        if (c.ratePerHour !== null) alert.ratePerHour = c.ratePerHour;
        if (c.countAtWindowStart !== null) alert.countAtWindowStart = c.countAtWindowStart;
        setSignal(alert, { name: c.kind, detail: c.detail });
        changes.updated.push(alert);
      }
    }
    for (const [key, alert] of this.firing) {
      if (!kinds.has(alert.kind) || held.has(key)) continue;
      changes.resolved.push(this.resolve(key, alert, now, 'the condition no longer holds'));
    }
    this.shareSignals(changes);
    return changes;
  }

  /** Forgets an alert that just fired and turned out not to be one (it was never sent). */
  discard(alert: Alert): void {
    const key = keyOf(alert.kind, alert.gid);
    if (this.firing.get(key) === alert) this.firing.delete(key);
  }

  /** Resolves every firing alert (the target restarted: its goroutines are gone). */
  resolveAll(now: number, reason: string): Alert[] {
    return [...this.firing].map(([key, alert]) => this.resolve(key, alert, now, reason));
  }

  private resolve(key: string, alert: Alert, now: number, reason: string): Alert {
    this.firing.delete(key);
    alert.state = 'resolved';
    alert.resolvedAt = now;
    alert.resolveReason = reason;
    return alert;
  }

  /** Every firing alert of a group lists the signals of the group's other firing alerts too. */
  private shareSignals(changes: AlertChanges): void {
    const touched = new Set([...changes.fired, ...changes.updated].map((a) => a.gid).filter((g): g is string => g !== null));
    for (const gid of touched) {
      const alerts = [...this.firing.values()].filter((a) => a.gid === gid);
      for (const a of alerts) {
        for (const other of alerts) {
          const own = other.signals.find((s) => s.name === other.kind);
          if (own && setSignal(a, own) && !changes.fired.includes(a) && !changes.updated.includes(a)) changes.updated.push(a);
        }
      }
    }
  }
}

/** Adds or replaces the alert's signal of that name; whether anything changed. */
function setSignal(alert: Alert, signal: Signal): boolean {
  const i = alert.signals.findIndex((s) => s.name === signal.name);
  if (i < 0) {
    alert.signals.push(signal);
    return true;
  }
  if (alert.signals[i]!.detail === signal.detail) return false;
  alert.signals[i] = signal;
  return true;
}
