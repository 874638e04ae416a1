// Signals during `pnpm gen`. Outside a write a signal ends the run at once (nothing was written). While the writer
// has its journal open a signal only raises a flag: the writer notices it at its next step and rolls back, so Ctrl-C,
// SIGTERM (a CI runner cancelling) or SIGHUP (a closed terminal) never leave a half-written tree. SIGKILL cannot be
// caught; the journal (journal.ts) covers it on the next run.
import { ExitCode, SIGNAL_EXIT_CODES, type HandledSignal } from '../lib/exit-codes.ts';

let pending: HandledSignal | undefined;
let critical = 0;
let wake: (() => void) | undefined;
let installed = false;

/** Thrown at the writer's next step after a signal; apply-plan rolls back and turns it into the signal's exit code. */
export class InterruptedError extends Error {
  constructor(readonly signal: HandledSignal) {
    super(`stopped by ${signal}`);
    this.name = 'InterruptedError';
  }
}

/** Install the handlers; only the `gen` entry point calls this, never a test importing the CLI in-process. */
export const installSignalHandlers = (): void => {
  if (installed) return;
  installed = true;
  for (const signal of Object.keys(SIGNAL_EXIT_CODES) as HandledSignal[]) {
    process.on(signal, () => {
      pending ??= signal;
      if (critical > 0) {
        wake?.();
        return;
      }
      // 'exit' listeners (the lock) still run.
      process.stderr.write(`stopped by ${signal}; the generated tree was not being written\n`);
      process.exit(SIGNAL_EXIT_CODES[signal]);
    });
  }
};

/** The signal received so far, if any (the CLI exits with its code once the write has finished). */
export const pendingSignal = (): HandledSignal | undefined => pending;

export const signalExitCode = (signal: HandledSignal): number => SIGNAL_EXIT_CODES[signal] ?? ExitCode.Interrupted;

/** The writer holds its journal open: defer signals to its next step. */
export const enterCritical = (): void => void critical++;
export const leaveCritical = (): void => void (critical = Math.max(0, critical - 1));

/**
 * Test seam (tests/writer/interrupt.test.ts): `STREAMFLEET_WRITER_PAUSE_AT=N` makes the writer announce step N on
 * stderr and wait there (up to a minute) until a signal arrives, so a test can signal or SIGKILL the real process at
 * exactly that step. Unset in normal use: then this costs one comparison per step.
 */
const PAUSE_ENV = 'STREAMFLEET_WRITER_PAUSE_AT';
const PAUSE_LIMIT_MS = 60_000;

/** Give queued signal callbacks a chance to run: two turns, so a poll phase lies between. */
const yieldToEventLoop = async (): Promise<void> => {
  await new Promise<void>((resolve) => setImmediate(resolve));
  await new Promise<void>((resolve) => setImmediate(resolve));
};

/**
 * Called before every change to the tree. The writer's filesystem calls are synchronous, so without a yield a signal
 * would only be seen after the whole write; every YIELD_EVERY steps it lets the event loop deliver it.
 */
const YIELD_EVERY = 64;
let calls = 0;

export const interruptionPoint = async (step?: number, what?: string): Promise<void> => {
  if (step !== undefined && process.env[PAUSE_ENV] === String(step)) {
    process.stderr.write(`writer: paused before step ${step}: ${what ?? ''}\n`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, PAUSE_LIMIT_MS);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    wake = undefined;
  } else if (++calls % YIELD_EVERY === 0) await yieldToEventLoop();
  if (pending !== undefined) throw new InterruptedError(pending);
};
