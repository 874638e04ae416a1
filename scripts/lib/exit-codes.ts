// One exit-code scheme for every command of this repository (CONVENTIONS.md #14).
export const ExitCode = {
  Ok: 0,
  Findings: 1,
  BadInput: 2,
  FilesystemRefusal: 3,
  RemoteFailure: 4,
  Precondition: 5,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

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
