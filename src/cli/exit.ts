// Exit codes shared by every command: 0 clean, 1 findings (or failed gate), 2 usage or I/O error;
// an interrupted run exits 128 + the signal's number (130 for SIGINT, 143 for SIGTERM), as shells
// report a command a signal ended (see cli/interrupt.ts).
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** An error whose message is meant for the user as it is: printed without a stack trace, exit 2. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** A bad option or argument: printed as one line followed by the command's usage line, exit 2. */
export class UsageError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
