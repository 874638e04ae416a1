// Progress of long commands (promote, diff, apps --build, pr-report, validate): a step line on stderr, so stdout stays
// the report that scripts parse. Shown on a terminal, or anywhere with STREAMFLEET_PROGRESS=1 (CI logs); never in
// tests, whose Io has no `progress`. Each step shows the time since the command started, so a slow step is visible.

export interface ProgressSink {
  /** Whether to show progress at all (stderr is a terminal, or STREAMFLEET_PROGRESS=1). */
  readonly isTTY: () => boolean;
  readonly write: (text: string) => void;
  /** Milliseconds, monotonic. */
  readonly now: () => number;
}

/** A function that prints `[  3.2s] step…` lines; the clock starts at the first step. */
export const progressPrinter = (sink: ProgressSink): ((step: string) => void) => {
  let started: number | undefined;
  return (step) => {
    if (!sink.isTTY()) return;
    const now = sink.now();
    started ??= now;
    const seconds = ((now - started) / 1000).toFixed(1).padStart(5);
    sink.write(`[${seconds}s] ${step}\n`);
  };
};
