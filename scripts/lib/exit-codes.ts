// One exit-code scheme for every command of this repository (CONVENTIONS.md #14).
export const ExitCode = {
  Ok: 0,
  Findings: 1,
  BadInput: 2,
  FilesystemRefusal: 3,
  RemoteFailure: 4,
  Precondition: 5,
  /**
   * An unexpected exception (a bug, not a finding): EX_SOFTWARE, "internal software error".
   * Checked: lattera/glibc @ 5107cf1d7d27f17c6de68ec15a8e8d9dd5b471c1 : misc/sysexits.h (#define EX_SOFTWARE 70)
   */
  Crash: 70,
  /** Stopped by a signal: 128 + its number, as shells report a signal-terminated process (SIGHUP 1, SIGINT 2, SIGTERM 15). */
  Hangup: 129,
  Interrupted: 130,
  Terminated: 143,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** The signals the CLIs handle, with the exit code each one ends a run with. */
export const SIGNAL_EXIT_CODES = { SIGHUP: ExitCode.Hangup, SIGINT: ExitCode.Interrupted, SIGTERM: ExitCode.Terminated } as const;
export type HandledSignal = keyof typeof SIGNAL_EXIT_CODES;

/** An error that knows which exit code it maps to; CLIs print `message` and exit with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** A bad flag or value (exit 2); CLIs print it followed by their usage text. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, ExitCode.BadInput);
    this.name = 'UsageError';
  }
}
