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
 * Run a CLI main and exit with its code; CliErrors print their message and exit with their code, anything else is a
 * crash (exit 70, see crashReport).
 * Waits for stdout to drain first: a piped `--format json` can be far larger than the pipe buffer, and
 * `process.exit` would cut it off.
 */
export const runMain = (main: (argv: string[]) => Promise<number>): void => {
  // An exception thrown outside main's promise (a callback, a forgotten await) is a crash too, not Node's exit 1.
  const crash = (err: unknown): void => {
    process.stderr.write(crashReport(err, process.env));
    process.exit(ExitCode.Crash);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
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
      crash(err);
    },
  );
};

/** Where a crash is reported: the repository's issues (the fleet's Git repository, inventory/fleet.yaml `git.repoURL`). */
export const ISSUES_URL = 'https://github.com/acme-media/streamfleet-gitops/issues';

/** Set to 1 to print a crash's stack trace. */
export const DEBUG_ENV = 'STREAMFLEET_DEBUG';

/**
 * What a crash (an exception that is not a CliError: a bug) prints. Exit 1 means findings, so a crash has its own
 * code (ExitCode.Crash, 70) and one line saying what happened and where to report it; the stack only on request.
 */
export const crashReport = (err: unknown, env: Readonly<Record<string, string | undefined>>): string => {
  const what = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  const line = `internal error (a bug, exit ${ExitCode.Crash}): ${what.split('\n')[0]}; please report it at ${ISSUES_URL}` +
    (env[DEBUG_ENV] === '1' ? '' : ` (${DEBUG_ENV}=1 shows the stack trace)`);
  const stack = env[DEBUG_ENV] === '1' && err instanceof Error && err.stack !== undefined ? `${err.stack}\n` : '';
  return `${line}\n${stack}`;
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
