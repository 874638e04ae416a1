// Shared CLI plumbing: run `main`, map known errors to the house exit codes, exit only when run directly.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CliError, ExitCode } from './exit-codes.ts';
import { processIo, type Io } from './io.ts';

/** True when the module at `importMetaUrl` is the process entry point (not imported by a test). */
export const isEntryPoint = (importMetaUrl: string): boolean => {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(importMetaUrl));
  } catch {
    return false;
  }
};

/** Resolves once everything written to stdout so far has been handed to the OS. */
const stdoutFlushed = (): Promise<void> => new Promise((done) => void process.stdout.write('', () => done()));

/**
 * Run a CLI main and exit with its code; CliErrors print their message and exit with their code.
 * Waits for stdout to drain first: a piped `--format json` can be far larger than the pipe buffer, and
 * `process.exit` would cut it off.
 */
export const runMain = (main: (argv: string[]) => Promise<number>): void => {
  main(process.argv.slice(2)).then(
    async (code) => {
      await stdoutFlushed();
      process.exit(code);
    },
    (err: unknown) => {
      if (err instanceof CliError) {
        process.stderr.write(`${err.message}\n`);
        process.exit(err.exitCode);
      }
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(ExitCode.Findings);
    },
  );
};

/**
 * Wrap a command so that a CliError (bad input, refusal, failed step) is printed to `io.stderr` and becomes
 * the exit code, while tests can still call the result directly.
 */
export const cliMain =
  (run: (argv: string[], io: Io) => Promise<number>, prefix = ''): ((argv: string[], io?: Io) => Promise<number>) =>
  async (argv, io = processIo) => {
    try {
      return await run(argv, io);
    } catch (e) {
      if (!(e instanceof CliError)) throw e;
      io.stderr(`${prefix}${e.message}\n`);
      return e.exitCode;
    }
  };
