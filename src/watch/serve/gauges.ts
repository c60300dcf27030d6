// The gauges both exporters set (up, total, per-group counts), with prom-client, from what
// exposition.ts chose.
import { Gauge, type Registry } from 'prom-client';
import { GROUP_LABELS, groupLabels, HELP, otherLabels, type GroupLabel, type GroupSelection } from './exposition.js';

/** The gauges both exporters set: up, total and per-group counts. */
export interface TargetGauges {
  up: Gauge<'target'>;
  goroutines: Gauge<'target'>;
  groupGoroutines: Gauge<GroupLabel>;
}

export function targetGauges(registry: Registry): TargetGauges {
  return {
    up: new Gauge({ name: 'goroscope_target_up', help: HELP.up, labelNames: ['target'], registers: [registry] }),
    goroutines: new Gauge({ name: 'goroscope_goroutines', help: HELP.goroutines, labelNames: ['target'], registers: [registry] }),
    groupGoroutines: new Gauge({ name: 'goroscope_group_goroutines', help: HELP.groupGoroutines, labelNames: [...GROUP_LABELS], registers: [registry] }),
  };
}

/** Sets the per-group series of one target from a selection. */
export function setGroupSeries(gauge: Gauge<GroupLabel>, target: string, selection: GroupSelection): void {
  for (const g of selection.chosen) gauge.set(groupLabels(target, g), g.count);
  gauge.set(otherLabels(target), selection.other);
}

