// Every rule goroscope has. The engine, `goroscope rules`, the docs test and the SARIF output
// read this list; a new rule is one import and one entry here (see ARCHITECTURE.md).
import type { Rule } from './types.js';
import { rule as strandedSender } from './stranded-sender.js';
import { rule as strandedReceiver } from './stranded-receiver.js';
import { rule as bareGo } from './bare-go.js';
import { rule as backgroundInHandler } from './background-in-handler.js';
import { rule as lostCancel } from './lost-cancel.js';
import { rule as contextNeverCancelled } from './context-never-cancelled.js';
import { rule as noExitLoop } from './no-exit-loop.js';
import { rule as nilChannel } from './nil-channel.js';
import { rule as tickerNotStopped } from './ticker-not-stopped.js';
import { rule as timeInLoop } from './time-in-loop.js';
import { rule as blockingIoNoDeadline } from './blocking-io-no-deadline.js';
import { rule as waitgroupAddInGoroutine } from './waitgroup-add-in-goroutine.js';
import { rule as waitgroupDoneSkipped } from './waitgroup-done-skipped.js';
import { rule as waitgroupWaitUnsatisfied } from './waitgroup-wait-unsatisfied.js';
import { rule as lockNotReleased } from './lock-not-released.js';
import { rule as condWaitNoSignal } from './cond-wait-no-signal.js';
import { rule as httpClientNoTimeout } from './http-client-no-timeout.js';
import { rule as doubleLock } from './double-lock.js';
import { rule as lockOrder } from './lock-order.js';
import { rule as lockHeldWhileWaiting } from './lock-held-while-waiting.js';
import { rule as condWaitNoLoop } from './cond-wait-no-loop.js';

export const RULES: readonly Rule[] = [
  strandedSender,
  strandedReceiver,
  bareGo,
  backgroundInHandler,
  lostCancel,
  contextNeverCancelled,
  noExitLoop,
  nilChannel,
  tickerNotStopped,
  timeInLoop,
  blockingIoNoDeadline,
  waitgroupAddInGoroutine,
  waitgroupDoneSkipped,
  waitgroupWaitUnsatisfied,
  lockNotReleased,
  doubleLock,
  lockOrder,
  lockHeldWhileWaiting,
  condWaitNoSignal,
  condWaitNoLoop,
  httpClientNoTimeout,
];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.meta.id === id);
}
