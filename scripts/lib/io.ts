// Where a CLI prints; tests pass their own to capture output without spawning processes.
import { progressPrinter } from './progress.ts';

export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /**
   * A step of a long command ("rendering 48 Applications at HEAD…"), for a person waiting at a terminal. Optional:
   * test Ios leave it out and stay deterministic; the process Io shows it on a terminal only (lib/progress.ts).
   */
  readonly progress?: (step: string) => void;
}

/** Report a step through `io.progress` when the Io has one. */
export const progress = (io: Io, step: string): void => io.progress?.(step);

const showProgress = progressPrinter({
  isTTY: () => process.stderr.isTTY === true || process.env.STREAMFLEET_PROGRESS === '1',
  write: (text) => void process.stderr.write(text),
  now: () => performance.now(),
});

export const processIo: Io = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  progress: showProgress,
};
